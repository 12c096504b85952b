// read_map_lines: the lines of a vector layer (roads, streams, boundaries) for drawing on a map, through OGR.

#include <coverage/core/error.hpp>
#include <coverage/report/map_render.hpp>

#include "io/ogr_fields.hpp"

#include <ogrsf_frmts.h>

#include <string>

namespace coverage {

namespace {

// Appends a line string (or a polygon's ring) of two points or more, in WGS84.
void add_curve(const OGRSimpleCurve& curve, const OGRSpatialReference* srs, const std::string& where,
               std::vector<std::vector<GeoPoint>>& out) {
    if (curve.getNumPoints() < 2) {
        return; // nothing to draw
    }
    std::vector<double> x;
    std::vector<double> y;
    for (int i = 0; i < curve.getNumPoints(); ++i) {
        x.push_back(curve.getX(i));
        y.push_back(curve.getY(i));
    }
    out.push_back(detail::to_wgs84(srs, std::move(x), std::move(y), where));
}

void add_geometry(const OGRGeometry& g, const OGRSpatialReference* srs, const std::string& where,
                  std::vector<std::vector<GeoPoint>>& out) {
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbLineString:
        add_curve(*g.toLineString(), srs, where, out);
        return;
    case wkbPolygon:
        for (const OGRLinearRing* ring : *g.toPolygon()) {
            add_curve(*ring, srs, where, out);
        }
        return;
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const OGRGeometry* part : *g.toGeometryCollection()) {
            add_geometry(*part, srs, where, out);
        }
        return;
    default:
        throw InvalidArgument(where + ": geometry is a " + OGRGeometryTypeToName(g.getGeometryType()) +
                              "; lines or polygons are expected");
    }
}

} // namespace

std::vector<std::vector<GeoPoint>> read_map_lines(const std::string& path, const std::string& what) {
    const detail::DatasetPtr ds = detail::open_vector(path, what);
    OGRLayer* layer = ds->GetLayer(0);
    std::vector<std::vector<GeoPoint>> out;
    int row = 0;
    for (auto& f : *layer) {
        ++row;
        const OGRGeometry* g = f->GetGeometryRef();
        if (g != nullptr) {
            add_geometry(*g, detail::srs_of(*g, *layer), what + " '" + path + "', feature " + std::to_string(row), out);
        }
    }
    return out;
}

} // namespace coverage
