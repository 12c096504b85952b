// read_hamlets: settlements from GeoJSON / GeoPackage / CSV (through io's read_layer).

#include <coverage/core/error.hpp>
#include <coverage/analysis/hamlet.hpp>

#include <coverage/io/vector_layer.hpp>

#include "core/text.hpp"


#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace coverage {

namespace {

// A polygon outline's rings (WGS84) and a point inside it.
void read_outline(const FeatureGeometry& g, const std::string& where, Hamlet& h) {
    for (const GeometryPart& ring : g.parts) {
        if (ring.kind != GeometryPart::Kind::ring || ring.points.size() < 4) {
            throw InvalidArgument(where + ": an outline ring needs at least 3 distinct points");
        }
        h.outline.push_back(ring.points);
    }
    if (!g.inside) {
        throw InvalidArgument(where + ": the outline is empty or invalid (no point inside it)");
    }
    h.location = *g.inside;
}

} // namespace

std::vector<Hamlet> read_hamlets(const std::string& path) {
    const VectorLayer layer = read_layer(path, "hamlets file", "feature");
    refuse_near_misses(layer, "hamlets file",
                       {"name", "hamlet_id", "households", "population", "settlement_radius_m", "lat_deg", "lon_deg",
                        "x_m", "y_m", "crs"});
    std::vector<Hamlet> out;
    for (const VectorFeature& f : layer.features) {
        const int row = f.number;
        const std::string here = "hamlets file '" + path + "', feature " + std::to_string(row);
        FeatureFields fields(here, "field", f);
        Hamlet h;
        h.name = fields.text("name");
        fields.set_context(here + " ('" + h.name + "')");
        h.hamlet_id = fields.text_or("hamlet_id", "H" + std::to_string(row));
        const FeatureGeometry::Kind kind = f.geometry.kind;
        if (kind == FeatureGeometry::Kind::polygon || kind == FeatureGeometry::Kind::multi_polygon) {
            read_outline(f.geometry, fields.context(), h);
        } else {
            h.location = fields.position();
        }
        if (!(h.location.lat_deg >= -90 && h.location.lat_deg <= 90 && h.location.lon_deg >= -180 && h.location.lon_deg <= 180)) {
            throw InvalidArgument(fields.context() + ": position out of range");
        }
        // Counts, bounded far above any settlement (the largest cities have a few million households) so that a
        // stray exponent fails here instead of overflowing a sum.
        for (const auto& [col, limit] : {std::pair{"households", 10'000'000.0}, std::pair{"population", 50'000'000.0}}) {
            const double v = fields.number(col);
            if (!(v >= 0 && v <= limit) || v != std::floor(v)) {
                throw InvalidArgument(fields.where(col) + ": must be a whole number from 0 to " + detail::format("%.0f", limit) +
                                      " (got " + detail::format("%g", v) + ")");
            }
            (std::string(col) == "households" ? h.households : h.population) = static_cast<int>(v);
        }
        h.settlement_radius_m = fields.number_or("settlement_radius_m", h.settlement_radius_m);
        if (!(h.settlement_radius_m > 0.0 && h.settlement_radius_m <= 5000.0)) {
            throw InvalidArgument(fields.where("settlement_radius_m") + ": must be > 0 and <= 5000 m");
        }
        for (const Hamlet& other : out) {
            if (other.hamlet_id == h.hamlet_id) {
                throw InvalidArgument(fields.where("hamlet_id") + ": '" + h.hamlet_id + "' is also the id of '" +
                                      other.name + "' (ids must be unique)");
            }
        }
        out.push_back(h);
    }
    if (out.empty()) {
        throw InvalidArgument("hamlets file '" + path + "' has no features");
    }
    return out;
}

} // namespace coverage
