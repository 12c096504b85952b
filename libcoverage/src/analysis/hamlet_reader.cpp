// read_hamlets: settlements from GeoJSON / GeoPackage / CSV (through io's read_layer).

#include <coverage/core/error.hpp>
#include <coverage/analysis/hamlet.hpp>

#include <coverage/io/vector_layer.hpp>

#include "analysis/outline.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <limits>
#include <optional>


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

namespace coverage {

HouseholdPointsSummary read_household_points(const std::string& path, std::vector<Hamlet>& hamlets) {
    const VectorLayer layer = read_layer(path, "household points file", "feature");
    refuse_near_misses(layer, "household points file", {"households", "hamlet_id", "hamlet", "lat_deg", "lon_deg", "x_m", "y_m", "crs"});
    HouseholdPointsSummary summary;
    summary.path = path;
    std::vector<std::vector<HouseholdPoint>> homes(hamlets.size());
    for (const VectorFeature& f : layer.features) {
        const std::string here = "household points file '" + path + "', feature " + std::to_string(f.number);
        FeatureFields fields(here, "field", f);
        ++summary.points;
        HouseholdPoint p;
        const FeatureGeometry::Kind kind = f.geometry.kind;
        if (kind == FeatureGeometry::Kind::polygon || kind == FeatureGeometry::Kind::multi_polygon) {
            if (!f.geometry.inside) {
                throw InvalidArgument(here + ": the footprint is empty or invalid (no point inside it)");
            }
            p.location = *f.geometry.inside; // a building footprint: its point on surface
        } else {
            p.location = fields.position();
        }
        p.households = fields.number_or("households", 1.0);
        if (!(p.households > 0.0 && p.households <= 100000.0)) {
            throw InvalidArgument(fields.where("households") + ": must be > 0 and <= 100000 (got " + detail::format("%g", p.households) + ")");
        }
        std::optional<std::size_t> owner;
        for (const char* key : {"hamlet_id", "hamlet"}) {
            if (!fields.has(key)) {
                continue;
            }
            const std::string v = fields.text(key);
            const auto it = std::find_if(hamlets.begin(), hamlets.end(), [&](const Hamlet& h) {
                return std::string(key) == "hamlet_id" ? h.hamlet_id == v : h.name == v;
            });
            if (it == hamlets.end()) {
                throw InvalidArgument(fields.where(key) + ": '" + v + "' is not a hamlet of the hamlets file");
            }
            owner = static_cast<std::size_t>(it - hamlets.begin());
            break;
        }
        if (!owner) {
            // Inside an outline first; else within a settlement radius, the nearest hamlet's.
            double nearest = std::numeric_limits<double>::infinity();
            for (std::size_t h = 0; h < hamlets.size() && !owner; ++h) {
                if (!hamlets[h].outline.empty() &&
                    detail::inside_even_odd(hamlets[h].outline, p.location.lon_deg, p.location.lat_deg,
                                            [](const GeoPoint& g) { return std::pair{g.lon_deg, g.lat_deg}; })) {
                    owner = h;
                }
            }
            if (!owner) {
                std::optional<std::size_t> within;
                for (std::size_t h = 0; h < hamlets.size(); ++h) {
                    const double d = great_circle_distance_m(p.location, hamlets[h].location);
                    if (hamlets[h].outline.empty() && d <= hamlets[h].settlement_radius_m && d < nearest) {
                        nearest = d;
                        within = h;
                    }
                }
                owner = within;
            }
        }
        if (!owner) {
            ++summary.outside;
            continue;
        }
        ++summary.linked;
        homes[*owner].push_back(p);
    }
    if (summary.linked == 0) {
        throw InvalidArgument("household points file '" + path + "': none of its " + std::to_string(summary.points) +
                              " points lies in a hamlet (inside an outline or settlement radius) or names one");
    }
    for (std::size_t h = 0; h < hamlets.size(); ++h) {
        hamlets[h].homes = std::move(homes[h]);
        summary.hamlets_with_points += hamlets[h].homes.empty() ? 0U : 1U;
    }
    return summary;
}

} // namespace coverage
