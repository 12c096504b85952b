// Private: the pieces of the coverage engine shared by its translation units -- sector geometry, the per-cell
// loop, the radial layout and its gather, and the entry points of exact mode, the radial sweep, line of sight and
// the composites. Small functions on the per-cell path are inline here so that splitting the engine into files
// costs no call per cell.
#ifndef COVERAGE_SRC_COVERAGE_ENGINE_PARTS_HPP
#define COVERAGE_SRC_COVERAGE_ENGINE_PARTS_HPP

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/core/error.hpp>
#include <coverage/core/geo.hpp>
#include <coverage/propagation/itm_model.hpp>
#include <coverage/propagation/p1812_model.hpp>
#include <coverage/radio/link_budget.hpp>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <mutex>
#include <numbers>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coverage::detail {


constexpr double deg_per_rad = 180.0 / std::numbers::pi;
constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();

// Grid bearing from a to b, degrees clockwise from grid north, 0..360.
inline double bearing_deg(GridPoint a, GridPoint b) {
    double az = std::atan2(b.x_m - a.x_m, b.y_m - a.y_m) * deg_per_rad;
    return az < 0.0 ? az + 360.0 : az;
}

// Progress shared by worker threads: counts work units, reports from one thread at a time, and turns a
// "stop" answer into a flag every worker checks.
class SharedProgress {
public:
    SharedProgress(const ProgressFn& fn, std::size_t total) : m_fn(fn), m_total(std::max<std::size_t>(1, total)) {}
    // Reports are serialised by the mutex and read the count under it, so the fractions a caller sees never fall
    // even when a thread that finished earlier reaches the lock later.
    void add(std::size_t units, const char* message) {
        m_done += units;
        if (!m_fn || m_cancelled) {
            return;
        }
        std::unique_lock lock(m_mutex, std::try_to_lock);
        if (!lock.owns_lock()) {
            return;
        }
        const std::size_t done = std::min(m_done.load(), m_total);
        if (!m_fn(static_cast<double>(done) / static_cast<double>(m_total), message)) {
            m_cancelled = true;
        }
    }
    [[nodiscard]] bool cancelled() const noexcept { return m_cancelled; }

private:
    const ProgressFn& m_fn;
    std::size_t m_total;
    std::atomic<std::size_t> m_done{0};
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
};

// The cells of the grid within `radius` of `centre`, as a clamped index box.
struct CellBox {
    int col0 = 0;
    int col1 = -1; // inclusive
    int row0 = 0;
    int row1 = -1;
};

inline CellBox box_around(const Dem& dem, GridPoint centre, double radius) {
    const GeoTransform& gt = dem.raster().transform();
    const PixelPoint lo = gt.geo_to_pixel(GridPoint{.x_m = centre.x_m - radius, .y_m = centre.y_m + radius});
    const PixelPoint hi = gt.geo_to_pixel(GridPoint{.x_m = centre.x_m + radius, .y_m = centre.y_m - radius});
    CellBox b;
    b.col0 = std::max(0, static_cast<int>(std::floor(lo.col)));
    b.row0 = std::max(0, static_cast<int>(std::floor(lo.row)));
    b.col1 = std::min(dem.raster().width() - 1, static_cast<int>(std::floor(hi.col)));
    b.row1 = std::min(dem.raster().height() - 1, static_cast<int>(std::floor(hi.row)));
    return b;
}

struct SectorGeometry {
    GridPoint site;
    double ground_m;
    double antenna_m; // antenna altitude above MSL
    double radius_m;
    double step_m;    // = cell size
    double sample_m;  // spacing of the terrain profiles (exact) and of the samples along radials (fast)
    double true_north_grid_deg; // grid bearing of true north at the site (the projection's meridian convergence)
    ProfileSampling sampling = ProfileSampling::bilinear; // how terrain is read between posts (CoverageOptions)
};

// The grid bearing of true north at a point: the direction in the grid of a point 1e-4 degree (11 m) north of it.
// Sector azimuths are given from true north, as planners and compasses give them; a grid's north differs from
// it by the meridian convergence (in UTM up to about 3°·sin(latitude) at a zone's edge).
double true_north_grid_deg(const Dem& dem, GeoPoint p);

SectorGeometry geometry_of(const Dem& dem, GridPoint site, double ground_m, const Sector& s, double radius_m,
                           std::optional<double> sample_m = {}, ProfileSampling sampling = ProfileSampling::bilinear);

// Profiles and radials are sampled at the cell size, but at most default_max_profile_step_m apart unless the options
// say otherwise: on coarser grids the radial sweep's interpolation would otherwise miss the accuracy of exact mode.
inline double profile_step_of(const CoverageOptions& o, const Dem& dem) {
    return o.profile_step_m ? *o.profile_step_m : std::min(dem.cell_size_m(), default_max_profile_step_m);
}

// The receiver target for a cell: its centre, but never closer than one cell to the antenna
// (the cell holding the antenna is given the value one cell away, due east when coincident).
inline GridPoint receiver_point(const SectorGeometry& g, GridPoint centre) {
    const double dx = centre.x_m - g.site.x_m;
    const double dy = centre.y_m - g.site.y_m;
    const double d = std::hypot(dx, dy);
    if (d >= g.step_m) {
        return centre;
    }
    if (d < 1e-9) {
        return GridPoint{.x_m = g.site.x_m + g.step_m, .y_m = g.site.y_m};
    }
    return GridPoint{.x_m = g.site.x_m + dx / d * g.step_m, .y_m = g.site.y_m + dy / d * g.step_m};
}

enum class Kernel { itm_radial, p1812_radial, endpoints, full_profile };

// Which path the engine takes for a model: ITM or P.1812 along radials in fast mode, the two end points only (free
// space, Hata), or a full profile.
Kernel kernel_for(const PropagationModel& m);

struct Counters {
    std::atomic<std::size_t> in_radius{0};
    std::atomic<std::size_t> evaluations{0};
    std::atomic<std::size_t> without_terrain{0};
    std::atomic<std::size_t> outside_model{0};
};

// Every cell whose centre lies within the sector's radius (and farther than inner_m), rows in parallel:
// cell(state, col, row, centre, distance_m) with one default-constructed State per block of rows (scratch
// space such as a profile), then block_done(rows_in_block, cells_in_block). Stops early once cancelled.
template <typename State, typename Cell, typename BlockDone>
void for_cells_in_radius(const Dem& dem, const SectorGeometry& g, const SharedProgress* progress, Cell&& cell,
                         BlockDone&& block_done, double inner_m = -1.0) {
    const CellBox b = box_around(dem, g.site, g.radius_m);
    if (b.col1 < b.col0 || b.row1 < b.row0) {
        return;
    }
    const double outside_m2 = g.radius_m * g.radius_m * (1.0 + 1e-9);
    tbb::parallel_for(tbb::blocked_range<int>(b.row0, b.row1 + 1), [&](const tbb::blocked_range<int>& rows) {
        State state{};
        std::size_t cells = 0;
        for (int row = rows.begin(); row != rows.end() && (progress == nullptr || !progress->cancelled()); ++row) {
            for (int col = b.col0; col <= b.col1; ++col) {
                const GridPoint c = dem.cell_centre(col, row);
                const double dx = c.x_m - g.site.x_m;
                const double dy = c.y_m - g.site.y_m;
                if (dx * dx + dy * dy > outside_m2) {
                    continue; // the box's corners: surely outside, without the cost of hypot
                }
                const double d = std::hypot(dx, dy);
                if (d <= g.radius_m && d > inner_m) {
                    ++cells;
                    cell(state, col, row, c, d);
                }
            }
        }
        block_done(static_cast<std::size_t>(rows.size()), cells);
    });
}

struct NoState {};

// The terrain profile from a sector's antenna to receiver point `rx` (receiver_point()), with the site's own ground
// (which the sites file may give) at its start; false where the path leaves the DEM or meets a void.
inline bool sector_profile(const Dem& dem, const SectorGeometry& g, GridPoint rx, TerrainProfile& profile) {
    if (!dem.try_profile(g.site, rx, g.sample_m, profile, g.sampling)) {
        return false;
    }
    profile.elevation_m.front() = g.ground_m;
    return true;
}

// Path loss from a sector's antenna to the receiver over cell centre `c`, from a profile of its own (or the two
// end points only); nullopt, counted, when the terrain or the model gives none.
// With `path_clutter` (a P1812Model only), each profile point carries its cell's representative clutter height.
std::optional<float> cell_loss(const Dem& dem, const SectorGeometry& g, const LinkParams& link, const PropagationModel& model,
                               GridPoint c, bool endpoints_only, TerrainProfile& profile, Counters& counters,
                               const ClutterMap* path_clutter = nullptr);

// A sector's signal at a cell (centre `centre`, ground `z_cell`) for a given path loss: the pattern towards the
// receiver, the link budget, RSRP or RSCP.
inline double cell_signal(const SectorGeometry& g, const Sector& s, float loss_db, GridPoint centre, double z_cell, const CoverageOptions& o) {
    if (s.pattern->is_omni()) { // no direction to look up: skip the two arc tangents
        return sector_signal_dbm(s, loss_db, s.azimuth_deg, s.tilt_deg, o.rx_gain_dbi, o.cpich_fraction);
    }
    const double d = std::max(g.step_m, std::hypot(centre.x_m - g.site.x_m, centre.y_m - g.site.y_m));
    const double below = std::atan2(g.antenna_m - (z_cell + o.rx_height_agl_m), d) * deg_per_rad;
    return sector_signal_dbm(s, loss_db, bearing_deg(g.site, centre) - g.true_north_grid_deg, below, o.rx_gain_dbi, o.cpich_fraction);
}

inline LinkParams link_of(const Sector& s, const CoverageOptions& o) {
    return LinkParams{.freq_mhz = s.freq_mhz, .tx_height_agl_m = s.height_agl_m, .rx_height_agl_m = o.rx_height_agl_m,
                      .polarization = o.polarization,
                      // ITU-R P.1812's β0: the sector's latitude stands for the path centre's (within a coverage
                      // radius of 30 km the two differ by 0.14° at most, which moves β0 by 0.5 % at most)
                      .path_centre_lat_deg = s.location.lat_deg};
}

// Add each cell's receiver clutter loss (ITU-R P.2108, o.rx_clutter) to a sector's path-loss window.
void add_receiver_clutter(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, Raster<float>& loss);
// The receiver clutter loss (ITU-R P.2108, o.rx_clutter) at one cell of the DEM's grid, dB.
float receiver_clutter_db(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, int col, int row);

// Exact mode for a loss model, and the per-cell path of the endpoint-only models in both modes.
void loss_per_cell(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, Raster<float>& out,
                   Counters& counters, SharedProgress& progress, bool endpoints_only, bool report_progress = true);

// In fast mode the cells near the antenna, where a radial sample half a cell away from the cell centre
// sees the terrain from a noticeably different angle, get their own profiles (short, hence cheap).
constexpr double exact_near_cells = 64.0;

// Fast mode: the radial sweep (ITM, or line of sight), or a profile per cell (radial_sweep.cpp).
bool use_radial_sweep(const CoverageOptions& o, Kernel kernel, const SectorGeometry& g);

// Ring-doubling radial layout: n_radials = m·2^max_level radials at the full radius (just enough for radials at most
// rim_spacing_m apart at the rim); radial r is needed from distance radius / 2^(tz(r)+1) on, where tz = its number of
// trailing zero bits, so that the spacing between radials stays between half and all of it at every distance.
struct RadialLayout {
    static constexpr int max_level = 8;
    int n_radials = 0;
    int samples = 0; // per radial, index 0 = the antenna
    double step_m = 0.0;
    double radius_m = 0.0;

    [[nodiscard]] int first_sample(int r) const {
        if (r == 0) {
            return 1;
        }
        const int tz = std::min(max_level, std::countr_zero(static_cast<unsigned>(r)));
        if (tz == max_level) {
            return 1; // the coarsest radials run from the antenna out
        }
        return std::max(1, static_cast<int>(std::floor(radius_m / std::ldexp(1.0, tz + 1) / step_m)));
    }
    // The stride between radials needed at distance d: the largest power of two <= radius/d (at most 2^max_level).
    [[nodiscard]] int stride(double d) const {
        const double q = std::min(radius_m / std::max(d, step_m), static_cast<double>(1 << max_level));
        return static_cast<int>(std::bit_floor(static_cast<unsigned>(std::max(q, 1.0))));
    }
    [[nodiscard]] double azimuth_rad(int r) const { return 2.0 * std::numbers::pi * r / n_radials; }
};

// The layout of a sector's sweep. The model sweeps (fast ITM and P.1812): radials up to two samples apart at the rim, so
// that a cell lies between radials one to two cells apart; a cell whose four radial samples disagree gets its own profile
// (cell_spread_db in radial_sweep.cpp), which keeps the accuracy of radials one sample apart at fewer evaluations
// (bench_coverage, README). Line of sight: radials one sample apart.
RadialLayout sweep_layout(const SectorGeometry& g, bool line_of_sight);

// Sample the DEM along radial r; returns how many samples are valid (stops at the DEM's edge or a void).
int sample_radial(const Dem& dem, const SectorGeometry& g, const RadialLayout& l, int r, std::vector<double>& z);

// For each cell in radius: the two needed radials on either side of it and the two samples on either
// side of its distance, with bilinear weights (angle, distance). fn(col, row, corners, weights).
struct Corners {
    std::array<std::size_t, 4> index{}; // into a radials × samples array: (r0,k0) (r0,k1) (r1,k0) (r1,k1)
    std::array<double, 4> weight{};
};

// Cells within `inner_m` of the antenna are left out (fast ITM computes those exactly). BlockDone as in
// for_cells_in_radius.
template <typename State, typename Fn, typename BlockDone>
void gather_with(const Dem& dem, const SectorGeometry& g, const RadialLayout& l, double inner_m, Fn&& fn, BlockDone&& block_done) {
    for_cells_in_radius<State>(
        dem, g, nullptr,
        [&](State& state, int col, int row, GridPoint c, double d) {
            const int s = l.stride(d);
            double az = std::atan2(c.x_m - g.site.x_m, c.y_m - g.site.y_m);
            if (az < 0.0) {
                az += 2.0 * std::numbers::pi;
            }
            const double pos = az / (2.0 * std::numbers::pi) * l.n_radials / s;
            const double p0 = std::floor(pos);
            const double fa = pos - p0;
            const int r0 = (static_cast<int>(p0) * s) % l.n_radials;
            const int r1 = (r0 + s) % l.n_radials;
            const double kd = std::clamp(d / l.step_m, 1.0, static_cast<double>(l.samples - 1));
            const int k0 = std::min(static_cast<int>(kd), l.samples - 2);
            const double fk = kd - k0;
            auto at = [&](int r, int k) { return static_cast<std::size_t>(r) * static_cast<std::size_t>(l.samples) + static_cast<std::size_t>(k); };
            Corners cn;
            cn.index = {at(r0, k0), at(r0, k0 + 1), at(r1, k0), at(r1, k0 + 1)};
            cn.weight = {(1 - fa) * (1 - fk), (1 - fa) * fk, fa * (1 - fk), fa * fk};
            fn(state, col, row, c, d, cn);
        },
        block_done, inner_m);
}

// gather_with without per-thread state: fn(col, row, corners).
template <typename Fn, typename BlockDone>
void gather(const Dem& dem, const SectorGeometry& g, const RadialLayout& l, double inner_m, Fn&& fn, BlockDone&& block_done) {
    gather_with<NoState>(
        dem, g, l, inner_m, [&](NoState&, int col, int row, GridPoint, double, const Corners& cn) { fn(col, row, cn); },
        std::forward<BlockDone>(block_done));
}

// Bilinear value from the four corners, renormalised over the corners that hold a value.
inline float interpolate(const std::vector<float>& v, const Corners& c) {
    double sum = 0.0;
    double w = 0.0;
    for (int i = 0; i < 4; ++i) {
        const float x = v[c.index[static_cast<std::size_t>(i)]];
        if (!std::isnan(x) && c.weight[static_cast<std::size_t>(i)] > 0.0) {
            sum += c.weight[static_cast<std::size_t>(i)] * x;
            w += c.weight[static_cast<std::size_t>(i)];
        }
    }
    return w > 0.0 ? static_cast<float>(sum / w) : nan_f;
}

// Fast ITM: the radial sweep with interpolation along radials (radial_sweep.cpp).
void itm_fast(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, const ItmModel& itm,
              Raster<float>& out, Counters& counters, SharedProgress& progress);
// Fast P.1812: the same sweep, P.1812 evaluated over each radial's first samples (its terrain and clutter read once).
void p1812_fast(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, const P1812Model& p1812,
                Raster<float>& out, Counters& counters, SharedProgress& progress);

// Line of sight: is the point rx_height above the ground at the cell visible from the antenna, with
// earth curvature d1·d2/(2·k·R)? Exact mode scans each cell's own profile; fast mode keeps a running
// maximum of the elevation angle along each radial.
void visibility(const Dem& dem, const SectorGeometry& g, const CoverageOptions& o, Raster<std::uint8_t>& out,
                Counters& counters, SharedProgress& progress);

// How a cell's best server is chosen among sectors offered in index order (the first wins a tie, so the choice is
// the same whichever subsets of sectors are combined first and merged afterwards: libcoverage.distributed).
// Signals are compared as stored (float). Among sectors of one technology the strongest wins. Where LTE and UMTS
// sectors compete, RSRP and RSCP are different measures (RSCP: a tenth of a 5 MHz carrier; RSRP: one 15 kHz
// subcarrier), each classed by its own thresholds, so they are compared by class, not in dBm: the better class
// wins, and within a class the larger margin above the class's lower bound (below the weakest class: the margin to
// its threshold, negative).
class ServerRanking {
public:
    ServerRanking(const std::vector<Sector>& sectors, const CoverageOptions& o, std::optional<Technology> only) : m_o(o) {
        PerTechnology<bool> present;
        int count = 0;
        for (const Sector& s : sectors) {
            if ((!only || s.technology == *only) && !present[s.technology]) {
                present[s.technology] = true;
                ++count;
            }
        }
        m_mixed = count > 1;
    }
    [[nodiscard]] const SignalThresholds& thresholds(const Sector& s) const noexcept { return m_o.thresholds[s.technology]; }
    // The larger wins.
    [[nodiscard]] double key(const Sector& s, float signal_dbm) const noexcept {
        if (!m_mixed) {
            return signal_dbm;
        }
        const SignalThresholds& t = thresholds(s);
        const int c = static_cast<int>(t.classify(signal_dbm));
        const double bound_dbm = t.lower_bound_dbm[static_cast<std::size_t>(std::min(c, t.class_count - 1))];
        return -1000.0 * c + (signal_dbm - bound_dbm); // margins stay far inside ±500 dB for any real signal
    }

private:
    const CoverageOptions& m_o;
    bool m_mixed = false;
};

// One cell's best server so far.
struct BestServer {
    float signal_dbm = std::numeric_limits<float>::quiet_NaN();
    double key = 0.0;
    std::uint16_t index = no_server;
    void offer(const ServerRanking& ranking, const Sector& s, std::size_t i, float sig_dbm) {
        const double k = ranking.key(s, sig_dbm);
        if (index == no_server || k > key) {
            signal_dbm = sig_dbm;
            key = k;
            index = static_cast<std::uint16_t>(i);
        }
    }
};

// Best server, its signal and class, and server count, over the sectors passing `only` (all when empty).
Composite combine(const Dem& dem, const std::vector<Sector>& sectors, const std::vector<Raster<float>>& loss_db,
                  const std::vector<SectorGeometry>& geometry, const CoverageOptions& o, std::optional<Technology> only,
                  SharedProgress* progress);

} // namespace coverage::detail

#endif // COVERAGE_SRC_COVERAGE_ENGINE_PARTS_HPP
