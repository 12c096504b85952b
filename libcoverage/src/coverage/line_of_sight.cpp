// Line of sight from a sector's antenna: each cell's own profile (exact) or a running horizon along radials (fast).

#include "coverage/engine_parts.hpp"

namespace coverage::detail {

// Line of sight: is the point rx_height above the ground at the cell visible from the antenna, with
// earth curvature d1·d2/(2·k·R)? Exact mode scans each cell's own profile; fast mode keeps a running
// maximum of the elevation angle along each radial.
void visibility(const Dem& dem, const SectorGeometry& g, const CoverageOptions& o, Raster<std::uint8_t>& out,
                Counters& counters, SharedProgress& progress) {
    const double a_e = o.k_factor * earth_radius_m;
    if (o.mode == CoverageMode::exact) {
        for_cells_in_radius<TerrainProfile>(
            dem, g, &progress,
            [&](TerrainProfile& p, int col, int row, GridPoint c, double d) {
                if (d < 1e-9) {
                    out.at(col, row) = 1;
                    return;
                }
                if (!dem.try_profile(g.site, c, g.sample_m, p)) {
                    ++counters.without_terrain;
                    return;
                }
                const double z_rx = p.elevation_m.back() + o.rx_height_agl_m;
                const double len = p.length_m();
                // Compare slopes from the antenna, with the curvature drop x²/(2a) applied to each point.
                const double target = (z_rx - len * len / (2 * a_e) - g.antenna_m) / len;
                bool visible = true;
                for (std::size_t i = 1; i + 1 < p.point_count(); ++i) {
                    const double x = p.distance_m(i);
                    if ((p.elevation_m[i] - x * x / (2 * a_e) - g.antenna_m) / x > target) {
                        visible = false;
                        break;
                    }
                }
                out.at(col, row) = visible ? 1 : 0;
                ++counters.evaluations;
            },
            [&](std::size_t rows, std::size_t cells) {
                counters.in_radius += cells;
                progress.add(rows, "line of sight");
            });
        return;
    }
    const RadialLayout l = layout_for(g.radius_m, g.sample_m);
    std::vector<std::uint8_t> vis(static_cast<std::size_t>(l.n_radials) * static_cast<std::size_t>(l.samples), not_computed);
    tbb::parallel_for(tbb::blocked_range<int>(0, l.n_radials, 16), [&](const tbb::blocked_range<int>& radials) {
        std::vector<double> z;
        for (int r = radials.begin(); r != radials.end() && !progress.cancelled(); ++r) {
            const int valid = sample_radial(dem, g, l, r, z);
            std::uint8_t* row = vis.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(l.samples);
            double max_slope = -std::numeric_limits<double>::infinity(); // over points strictly between
            for (int k = 1; k < valid; ++k) {
                const double x = k * l.step_m;
                const double drop = x * x / (2 * a_e);
                const double target = (z[static_cast<std::size_t>(k)] + o.rx_height_agl_m - drop - g.antenna_m) / x;
                row[k] = target >= max_slope ? 1 : 0;
                max_slope = std::max(max_slope, (z[static_cast<std::size_t>(k)] - drop - g.antenna_m) / x);
            }
            row[0] = 1;
        }
        counters.evaluations += radials.size() * static_cast<std::size_t>(l.samples);
        progress.add(radials.size(), "line of sight (radial sweep)");
    });
    if (progress.cancelled()) {
        return;
    }
    gather(
        dem, g, l, -1.0,
        [&](int col, int row, const Corners& c) {
            // Visibility is categorical: the corner with the largest weight decides.
            const auto best = static_cast<std::size_t>(std::max_element(c.weight.begin(), c.weight.end()) - c.weight.begin());
            out.at(col, row) = vis[c.index[best]];
        },
        [&](std::size_t /*rows*/, std::size_t cells) { counters.in_radius += cells; });
}

} // namespace coverage::detail
