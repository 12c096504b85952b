// read_fibre_routes: cable routes (lines) through OGR.

#include <coverage/core/error.hpp>
#include <coverage/analysis/fibre_network.hpp>

#include "io/ogr_fields.hpp"

#include <ogrsf_frmts.h>

#include <string>

namespace coverage {

namespace {

void add_line(const OGRLineString& line, const OGRSpatialReference* srs, const std::string& where, FibreRoute route,
              std::vector<FibreRoute>& out) {
    if (line.getNumPoints() < 2) {
        throw InvalidArgument(where + ": a fibre route needs at least two points (got " + std::to_string(line.getNumPoints()) + ")");
    }
    std::vector<double> x;
    std::vector<double> y;
    for (int i = 0; i < line.getNumPoints(); ++i) {
        x.push_back(line.getX(i));
        y.push_back(line.getY(i));
    }
    route.points = detail::to_wgs84(srs, std::move(x), std::move(y), where);
    for (const GeoPoint& p : route.points) {
        if (!(p.lat_deg >= -90 && p.lat_deg <= 90 && p.lon_deg >= -180 && p.lon_deg <= 180)) {
            throw InvalidArgument(where + ": coordinates out of range (lat " + std::to_string(p.lat_deg) + ", lon " +
                                  std::to_string(p.lon_deg) + ")");
        }
    }
    out.push_back(std::move(route));
}

} // namespace

std::vector<FibreRoute> read_fibre_routes(const std::string& path) {
    const detail::DatasetPtr ds = detail::open_vector(path, "fibre file");
    OGRLayer* layer = ds->GetLayer(0);
    const OGRFeatureDefn& defn = *layer->GetLayerDefn();
    std::vector<FibreRoute> out;
    int row = 0;
    for (auto& f : *layer) {
        ++row;
        const std::string where = "fibre file '" + path + "', feature " + std::to_string(row);
        const detail::FeatureFields fields(where, "field", *f, defn);
        FibreRoute route;
        route.route_id = fields.text_or("route_id", "F" + std::to_string(row));
        route.name = fields.text_or("name", "");
        const OGRGeometry* g = f->GetGeometryRef();
        if (g == nullptr) {
            throw InvalidArgument(where + ": no geometry (a fibre route must be a LineString or MultiLineString)");
        }
        const OGRSpatialReference* srs = detail::srs_of(*g, *layer);
        const auto type = wkbFlatten(g->getGeometryType());
        if (type == wkbLineString) {
            add_line(*g->toLineString(), srs, where, route, out);
        } else if (type == wkbMultiLineString) {
            const OGRMultiLineString* multi = g->toMultiLineString();
            for (int i = 0; i < multi->getNumGeometries(); ++i) {
                FibreRoute part = route;
                part.route_id += "." + std::to_string(i + 1);
                add_line(*multi->getGeometryRef(i), srs, where + " part " + std::to_string(i + 1), part, out);
            }
        } else {
            throw InvalidArgument(where + ": geometry is a " + OGRGeometryTypeToName(g->getGeometryType()) +
                                  "; a fibre route must be a LineString or MultiLineString");
        }
    }
    if (out.empty()) {
        throw InvalidArgument("fibre file '" + path + "' has no features");
    }
    return out;
}

} // namespace coverage
