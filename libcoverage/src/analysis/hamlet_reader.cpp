// read_hamlets: settlements from GeoJSON / GeoPackage / CSV through OGR.

#include <coverage/core/error.hpp>
#include <coverage/analysis/hamlet.hpp>

#include "io/ogr_fields.hpp"

#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace coverage {

namespace {

// A polygon outline to WGS84 rings, and a point inside it.
void read_outline(const OGRGeometry& g, OGRLayer& layer, const std::string& where, Hamlet& h) {
    const OGRSpatialReference* srs = detail::srs_of(g, layer);
    auto to_geo = [&](std::vector<double> x, std::vector<double> y) { return detail::to_wgs84(srs, std::move(x), std::move(y), where); };
    auto add_polygon = [&](const OGRPolygon& poly) {
        for (int r = -1; r < poly.getNumInteriorRings(); ++r) {
            const OGRLinearRing* ring = r < 0 ? poly.getExteriorRing() : poly.getInteriorRing(r);
            if (ring == nullptr || ring->getNumPoints() < 4) {
                throw InvalidArgument(where + ": an outline ring needs at least 3 distinct points");
            }
            std::vector<double> x;
            std::vector<double> y;
            for (int i = 0; i < ring->getNumPoints(); ++i) {
                x.push_back(ring->getX(i));
                y.push_back(ring->getY(i));
            }
            h.outline.push_back(to_geo(std::move(x), std::move(y)));
        }
    };
    if (wkbFlatten(g.getGeometryType()) == wkbPolygon) {
        add_polygon(*g.toPolygon());
    } else {
        for (const OGRPolygon* p : *g.toMultiPolygon()) {
            add_polygon(*p);
        }
    }
    const std::unique_ptr<OGRGeometry> inside(
        OGRGeometry::FromHandle(OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&g)))));
    if (!inside || wkbFlatten(inside->getGeometryType()) != wkbPoint) {
        throw InvalidArgument(where + ": the outline is empty or invalid (no point inside it)");
    }
    h.location = to_geo({inside->toPoint()->getX()}, {inside->toPoint()->getY()}).front();
}

} // namespace

std::vector<Hamlet> read_hamlets(const std::string& path) {
    const detail::DatasetPtr ds = detail::open_vector(path, "hamlets file");
    OGRLayer* layer = ds->GetLayer(0);
    const OGRFeatureDefn& defn = *layer->GetLayerDefn();
    std::vector<Hamlet> out;
    int row = 0;
    for (auto& f : *layer) {
        ++row;
        const std::string here = "hamlets file '" + path + "', feature " + std::to_string(row);
        detail::FeatureFields fields(here, "field", *f, defn);
        Hamlet h;
        h.name = fields.text("name");
        fields.set_context(here + " ('" + h.name + "')");
        h.hamlet_id = fields.text_or("hamlet_id", "H" + std::to_string(row));
        const OGRGeometry* g = f->GetGeometryRef();
        const auto type = g != nullptr ? wkbFlatten(g->getGeometryType()) : wkbUnknown;
        if (type == wkbPolygon || type == wkbMultiPolygon) {
            read_outline(*g, *layer, fields.context(), h);
        } else {
            h.location = fields.position(*layer);
        }
        if (!(h.location.lat_deg >= -90 && h.location.lat_deg <= 90 && h.location.lon_deg >= -180 && h.location.lon_deg <= 180)) {
            throw InvalidArgument(fields.context() + ": position out of range");
        }
        for (const char* col : {"households", "population"}) {
            const double v = fields.number(col);
            if (v < 0 || v != std::floor(v)) {
                throw InvalidArgument(fields.where(col) + ": must be a whole number >= 0 (got " + std::to_string(v) + ")");
            }
            (std::string(col) == "households" ? h.households : h.population) = static_cast<int>(v);
        }
        h.settlement_radius_m = fields.number_or("settlement_radius_m", h.settlement_radius_m);
        if (!(h.settlement_radius_m > 0.0 && h.settlement_radius_m <= 5000.0)) {
            throw InvalidArgument(fields.where("settlement_radius_m") + ": must be > 0 and <= 5000 m");
        }
        out.push_back(h);
    }
    if (out.empty()) {
        throw InvalidArgument("hamlets file '" + path + "' has no features");
    }
    return out;
}

} // namespace coverage
