// Line of sight from a sector's antenna: each cell's own profile (exact) or a running horizon along radials (fast),
// with the cells on a shadow's edge traced on their own profile.

#include "coverage/engine_parts.hpp"

namespace coverage::detail {

namespace {

// Is the point rx_height above the ground at cell centre `c` visible from the antenna along the cell's own
// profile, with the earth's curvature (drop x²/(2·k·R) at distance x)? std::nullopt where the profile leaves the
// terrain.
std::optional<bool> visible_on_profile(const Dem& dem, const SectorGeometry& g, const CoverageOptions& o, double a_e, GridPoint c,
                                       TerrainProfile& p) {
    if (!dem.try_profile(g.site, c, g.sample_m, p, g.sampling)) {
        return std::nullopt;
    }
    const double z_rx = p.elevation_m.back() + o.rx_height_agl_m;
    const double len = p.length_m();
    // Compare slopes from the antenna, with the curvature drop applied to each point.
    const double target = (z_rx - len * len / (2 * a_e) - g.antenna_m) / len;
    for (std::size_t i = 1; i + 1 < p.point_count(); ++i) {
        const double x = p.distance_m(i);
        if ((p.elevation_m[i] - x * x / (2 * a_e) - g.antenna_m) / x > target) {
            return false;
        }
    }
    return true;
}

} // namespace

// Exact mode traces each cell's own profile. Fast mode keeps a running maximum of the elevation angle along each
// radial, and with it each radial point's clearance: how far the receiver there stands above (or below) the line
// to the horizon. A cell takes the radial answer only where its four radial corners agree and stand clear by more
// than the terrain can change within a cell; cells on a shadow's edge are traced on their own profile.
void visibility(const Dem& dem, const SectorGeometry& sector, const CoverageOptions& o, Raster<std::uint8_t>& out,
                Counters& counters, SharedProgress& progress) {
    const double a_e = o.k_factor * earth_radius_m;
    // A crest between two profile points can hide a cell that the points would show: line of sight samples the
    // terrain every third of the path-loss step (a tenth of a 30 m cell's worth of work per point, cheap beside ITM).
    SectorGeometry g = sector;
    g.sample_m = sector.sample_m / 3.0;
    // One cell on its own profile: visible (1) or not (0); true when a profile was traced (the antenna's own cell
    // is visible without one; a cell whose profile leaves the terrain is counted and left unset).
    const auto trace = [&](TerrainProfile& p, int col, int row, GridPoint c, double d) {
        if (d < 1e-9) {
            out.at(col, row) = 1;
            return false;
        }
        const std::optional<bool> v = visible_on_profile(dem, g, o, a_e, c, p);
        if (!v) {
            ++counters.without_terrain;
            return false;
        }
        out.at(col, row) = *v ? 1 : 0;
        return true;
    };
    if (o.mode == CoverageMode::exact) {
        for_cells_in_radius<TerrainProfile>(
            dem, g, &progress,
            [&](TerrainProfile& p, int col, int row, GridPoint c, double d) {
                if (trace(p, col, row, c, d)) {
                    ++counters.evaluations;
                }
            },
            [&](std::size_t rows, std::size_t cells) {
                counters.in_radius += cells;
                progress.add(rows, "line of sight");
            });
        return;
    }
    const RadialLayout l = sweep_layout(g, true);
    const std::size_t n = static_cast<std::size_t>(l.n_radials) * static_cast<std::size_t>(l.samples);
    std::vector<std::uint8_t> vis(n, not_computed);
    std::vector<float> clearance_m(n, nan_f);
    tbb::parallel_for(tbb::blocked_range<int>(0, l.n_radials, 16), [&](const tbb::blocked_range<int>& radials) {
        std::vector<double> z;
        for (int r = radials.begin(); r != radials.end() && !progress.cancelled(); ++r) {
            const int valid = sample_radial(dem, g, l, r, z);
            const std::size_t base = static_cast<std::size_t>(r) * static_cast<std::size_t>(l.samples);
            double max_slope = -std::numeric_limits<double>::infinity(); // over points strictly between
            for (int k = 1; k < valid; ++k) {
                const double x = k * l.step_m;
                const double drop = x * x / (2 * a_e);
                const double target = (z[static_cast<std::size_t>(k)] + o.rx_height_agl_m - drop - g.antenna_m) / x;
                vis[base + static_cast<std::size_t>(k)] = target >= max_slope ? 1 : 0;
                clearance_m[base + static_cast<std::size_t>(k)] =
                    std::isinf(max_slope) ? std::numeric_limits<float>::infinity() : static_cast<float>((target - max_slope) * x);
                max_slope = std::max(max_slope, (z[static_cast<std::size_t>(k)] - drop - g.antenna_m) / x);
            }
            vis[base] = 1;
            clearance_m[base] = std::numeric_limits<float>::infinity();
        }
        counters.evaluations += radials.size() * static_cast<std::size_t>(l.samples);
        progress.add(radials.size(), "line of sight (radial sweep)");
    });
    if (progress.cancelled()) {
        return;
    }
    // The clearance a radial answer must have to stand for a cell: the terrain's rise over one cell at the steepest
    // slope met near the cell would be needed to be sure; half the cell size (a 27° slope) serves on real terrain.
    const double sure_m = 0.5 * dem.cell_size_m();
    std::atomic<std::size_t> traced{0};
    gather_with<TerrainProfile>(
        dem, g, l, -1.0,
        [&](TerrainProfile& p, int col, int row, GridPoint c, double d, const Corners& cn) {
            int first = -1;
            bool agree = true;
            for (std::size_t i = 0; i < 4; ++i) {
                if (cn.weight[i] <= 0.0 || vis[cn.index[i]] == not_computed) {
                    continue;
                }
                const int v = vis[cn.index[i]];
                agree = agree && (first < 0 || v == first) && std::fabs(clearance_m[cn.index[i]]) > sure_m;
                first = first < 0 ? v : first;
            }
            if (first >= 0 && agree) {
                out.at(col, row) = static_cast<std::uint8_t>(first);
                return;
            }
            if (trace(p, col, row, c, d)) {
                traced.fetch_add(1, std::memory_order_relaxed);
            }
        },
        [&](std::size_t /*rows*/, std::size_t cells) { counters.in_radius += cells; });
    counters.evaluations += traced.load();
}

} // namespace coverage::detail
