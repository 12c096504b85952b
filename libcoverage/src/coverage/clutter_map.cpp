// A land-cover raster as clutter classes on the working grid.
#include <coverage/coverage/clutter_map.hpp>
#include <coverage/core/error.hpp>
#include <coverage/io/raster_io.hpp>

#include "core/text.hpp"
#include "coverage/engine_parts.hpp"
#include "core/vectorise.hpp"

#include <cmath>
#include <map>
#include <vector>

namespace coverage {

std::vector<std::size_t> ClutterMap::cell_counts() const {
    std::vector<std::size_t> n(table.classes.size(), 0);
    for (const std::uint8_t i : class_index.values()) {
        ++n[i];
    }
    return n;
}

ClutterMap read_clutter_map(const std::string& path, const Dem& dem, LandCoverTable table, bool allow_remote) {
    table.validate();
    if (table.classes.size() > 255) {
        throw InvalidArgument("land-cover class table '" + table.name + "' has more than 255 classes");
    }
    const Raster<float>& grid = dem.raster();
    const Raster<float> codes = resample_onto_grid(path, grid, ClassResampling::majority, allow_remote);
    auto where = [&](std::size_t i) {
        const int col = static_cast<int>(i % static_cast<std::size_t>(grid.width()));
        const int row = static_cast<int>(i / static_cast<std::size_t>(grid.width()));
        return describe(dem.to_geo(dem.cell_centre(col, row)));
    };
    std::size_t uncovered = 0;
    std::size_t first_uncovered = 0;
    struct Missing {
        std::size_t cells = 0;
        std::size_t first = 0;
    };
    std::map<long long, Missing> missing;
    ClutterMap out{.class_index = Raster<std::uint8_t>(grid.width(), grid.height(), grid.transform(), grid.crs()),
                   .table = std::move(table),
                   .source = path};
    const std::vector<float>& v = codes.values();
    std::vector<std::uint8_t>& idx = out.class_index.values();
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (std::isnan(v[i])) {
            if (uncovered++ == 0) {
                first_uncovered = i;
            }
            continue;
        }
        const auto code = static_cast<long long>(std::llround(v[i]));
        const LandCoverClass* c = code == static_cast<int>(code) ? out.table.find(static_cast<int>(code)) : nullptr;
        if (c == nullptr) {
            Missing& m = missing[code];
            if (m.cells++ == 0) {
                m.first = i;
            }
            continue;
        }
        idx[i] = static_cast<std::uint8_t>(c - out.table.classes.data());
    }
    if (uncovered > 0) {
        throw InvalidArgument(detail::format("land-cover raster '%s' does not cover the study area: %zu of %zu cells have no "
                                             "value (outside the raster or its nodata), the first at %s",
                                             path.c_str(), uncovered, v.size(), where(first_uncovered).c_str()));
    }
    if (!missing.empty()) {
        const auto& [code, m] = *missing.begin();
        throw InvalidArgument(detail::format("land-cover raster '%s': value %lld (%zu cells, the first at %s) is not in the "
                                             "class table '%s' (%s)%s; give its clutter in the study's land-cover classes",
                                             path.c_str(), code, m.cells, where(m.first).c_str(), out.table.name.c_str(),
                                             out.table.describe_codes().c_str(),
                                             missing.size() > 1 ? detail::format("; %zu other values are missing too", missing.size() - 1).c_str()
                                                                : ""));
    }
    return out;
}

namespace {

// The pixel position (GeoTransform::geo_to_pixel, the same operations) of each point of a path from `from` to `to` at
// distance_km[i] along it.
COVERAGE_VECTOR_CLONES
void pixel_positions(const double* __restrict distance_km, std::size_t n, double length_km, GridPoint from, GridPoint to,
                     const GeoTransform& gt, double* __restrict col, double* __restrict row) {
    const double det = gt.xscale * gt.yscale - gt.xrot * gt.yrot; // non-zero: Dem's constructor checked the grid
    const double d0 = distance_km[0];
#pragma omp simd
    for (std::size_t i = 0; i < n; ++i) {
        const double t = length_km > 0.0 ? (distance_km[i] - d0) / length_km : 0.0;
        const double dx = (from.x_m + t * (to.x_m - from.x_m)) - gt.xorig;
        const double dy = (from.y_m + t * (to.y_m - from.y_m)) - gt.yorig;
        col[i] = (dx * gt.yscale - dy * gt.xrot) / det;
        row[i] = (dy * gt.xscale - dx * gt.yrot) / det;
    }
}

} // namespace

P1812Path p1812_path_with_clutter(const ClutterMap& clutter, const Dem& dem, GridPoint from, GridPoint to, const TerrainProfile& profile) {
    P1812Path path = P1812Path::from_map_profile(profile);
    const std::size_t n = path.distance_km.size();
    const double length_km = path.distance_km.back() - path.distance_km.front();
    path.clutter_height_m.resize(n, 0.0);
    path.clutter.resize(n, P1812Clutter::open_rural);
    // Dem::cell_at's arithmetic, for every point at once (a loop that vectorises: this runs for every point of every
    // cell's path, and the calls per point took a quarter of a Sảng Mộc study), then the look-ups.
    const GeoTransform& gt = dem.raster().transform();
    thread_local std::vector<double> col;
    thread_local std::vector<double> row;
    col.resize(n);
    row.resize(n);
    pixel_positions(path.distance_km.data(), n, length_km, from, to, gt, col.data(), row.data());
    auto floor_int = [](double v) {
        const auto i = static_cast<int>(v);
        return v < i ? i - 1 : i;
    };
    const double width = dem.raster().width();
    const double height = dem.raster().height();
    for (std::size_t i = 0; i < n; ++i) {
        if (!(col[i] >= 0.0 && row[i] >= 0.0 && col[i] < width && row[i] < height)) {
            const double t = length_km > 0.0 ? (path.distance_km[i] - path.distance_km.front()) / length_km : 0.0;
            const GridPoint p{.x_m = from.x_m + t * (to.x_m - from.x_m), .y_m = from.y_m + t * (to.y_m - from.y_m)};
            throw OutOfDomain("profile point " + std::to_string(i) + " at " + describe(dem.to_geo(p)) + " is off the land-cover grid (" +
                              clutter.source + ")");
        }
        const LandCoverClass& c = clutter.at(floor_int(col[i]), floor_int(row[i]));
        path.clutter_height_m[i] = c.clutter_height_m;
        path.clutter[i] = p1812_category(c.clutter);
    }
    return path;
}

namespace detail {

float receiver_clutter_db(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, int col, int row) {
    const ClutterMap& clutter = *o.rx_clutter;
    const LandCoverClass& c = clutter.table.classes[clutter.class_index.at(col, row)];
    const GridPoint centre = dem.cell_centre(col, row);
    const double d_km = std::hypot(centre.x_m - g.site.x_m, centre.y_m - g.site.y_m) / 1000.0;
    return static_cast<float>(receiver_clutter_loss_db(c, s.freq_mhz, o.rx_height_agl_m, d_km));
}

void add_receiver_clutter(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, Raster<float>& loss) {
    const ClutterMap& clutter = *o.rx_clutter;
    const std::optional<GridOffset> off = offset_on_grid(loss, clutter.class_index);
    if (!off) {
        throw InvalidArgument("coverage: the land-cover classes (" + clutter.source + ") are not on the DEM's grid");
    }
    // Up to 3 GHz the loss depends on the class only (§3.1): one value per class.
    const bool by_class = s.freq_mhz <= 3000.0;
    std::vector<float> per_class(clutter.table.classes.size(), 0.0F);
    if (by_class) {
        for (std::size_t k = 0; k < per_class.size(); ++k) {
            per_class[k] = static_cast<float>(receiver_clutter_loss_db(clutter.table.classes[k], s.freq_mhz, o.rx_height_agl_m, 1.0));
        }
    }
    for (int row = 0; row < loss.height(); ++row) {
        for (int col = 0; col < loss.width(); ++col) {
            float& v = loss.at(col, row);
            if (std::isnan(v)) {
                continue;
            }
            const int gc = col + off->col;
            const int gr = row + off->row;
            const std::uint8_t k = clutter.class_index.at(gc, gr);
            v += by_class ? per_class[k] : receiver_clutter_db(dem, g, s, o, gc, gr);
        }
    }
}

} // namespace detail

} // namespace coverage
