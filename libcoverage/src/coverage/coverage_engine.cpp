#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/core/error.hpp>
#include <coverage/core/geo.hpp>
#include <coverage/propagation/hata_model.hpp>
#include <coverage/propagation/itm_model.hpp>
#include <coverage/radio/link_budget.hpp>

#include "propagation/itm/radial.hpp"

#include <tbb/blocked_range.h>
#include <tbb/blocked_range2d.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <numbers>
#include <optional>
#include <string>

namespace coverage {

namespace {

constexpr double deg_per_rad = 180.0 / std::numbers::pi;
constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();

// Grid bearing from a to b, degrees clockwise from grid north, 0..360.
double bearing_deg(GridPoint a, GridPoint b) {
    double az = std::atan2(b.x_m - a.x_m, b.y_m - a.y_m) * deg_per_rad;
    return az < 0.0 ? az + 360.0 : az;
}

// Progress shared by worker threads: counts work units, reports from one thread at a time, and turns a
// "stop" answer into a flag every worker checks.
class SharedProgress {
public:
    SharedProgress(const ProgressFn& fn, std::size_t total) : m_fn(fn), m_total(std::max<std::size_t>(1, total)) {}
    void add(std::size_t units, const char* message) {
        const std::size_t done = m_done += units;
        if (!m_fn || m_cancelled) {
            return;
        }
        std::unique_lock lock(m_mutex, std::try_to_lock);
        if (lock.owns_lock() && !m_fn(static_cast<double>(done) / static_cast<double>(m_total), message)) {
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

CellBox box_around(const Dem& dem, GridPoint centre, double radius) {
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
};

// The grid bearing of true north at a point: the direction in the grid of a point 1e-4 degree (11 m) north of it.
// Sector azimuths are given from true north, as planners and compasses give them; a grid's north differs from
// it by the meridian convergence (in UTM up to about 3°·sin(latitude) at a zone's edge).
double true_north_grid_deg(const Dem& dem, GeoPoint p) {
    const double step_deg = p.lat_deg < 89.0 ? 1e-4 : -1e-4; // near the pole, a point south, its direction turned round
    const GridPoint here = dem.to_grid(p);
    const GridPoint other = dem.to_grid(GeoPoint{.lat_deg = p.lat_deg + step_deg, .lon_deg = p.lon_deg});
    return std::atan2((other.x_m - here.x_m) * step_deg, (other.y_m - here.y_m) * step_deg) * deg_per_rad;
}

SectorGeometry geometry_of(const Dem& dem, GridPoint site, double ground_m, const Sector& s, double radius_m,
                           std::optional<double> sample_m = {}) {
    return SectorGeometry{.site = site, .ground_m = ground_m, .antenna_m = ground_m + s.height_agl_m, .radius_m = radius_m,
                          .step_m = dem.cell_size_m(), .sample_m = sample_m ? *sample_m : dem.cell_size_m(),
                          .true_north_grid_deg = s.pattern->is_omni() ? 0.0 : true_north_grid_deg(dem, s.location)};
}

// Profiles and radials are sampled at the cell size, but at most default_max_profile_step_m apart unless the options
// say otherwise: on coarser grids the radial sweep's interpolation would otherwise miss the accuracy of exact mode.
double profile_step_of(const CoverageOptions& o, const Dem& dem) {
    return o.profile_step_m ? *o.profile_step_m : std::min(dem.cell_size_m(), default_max_profile_step_m);
}

// The receiver target for a cell: its centre, but never closer than one cell to the antenna
// (the cell holding the antenna is given the value one cell away, due east when coincident).
GridPoint receiver_point(const SectorGeometry& g, GridPoint centre) {
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

enum class Kernel { itm_radial, endpoints, full_profile };

Kernel kernel_for(const PropagationModel& m) {
    if (dynamic_cast<const ItmModel*>(&m) != nullptr) {
        return Kernel::itm_radial;
    }
    if (m.name() == "free-space" || dynamic_cast<const HataModel*>(&m) != nullptr) {
        return Kernel::endpoints; // only the two ends of the path matter
    }
    return Kernel::full_profile;
}

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

// Path loss from a sector's antenna to the receiver over cell centre `c`, from a profile of its own (or the two
// end points only); nullopt, counted, when the terrain or the model gives none.
std::optional<float> cell_loss(const Dem& dem, const SectorGeometry& g, const LinkParams& link, const PropagationModel& model,
                               GridPoint c, bool endpoints_only, TerrainProfile& profile, Counters& counters) {
    const GridPoint rx = receiver_point(g, c);
    bool ok = false;
    if (endpoints_only) {
        if (const auto z = dem.try_elevation_m(rx)) {
            profile.elevation_m.assign({g.ground_m, *z});
            profile.step_m = std::hypot(rx.x_m - g.site.x_m, rx.y_m - g.site.y_m);
            ok = true;
        }
    } else if (dem.try_profile(g.site, rx, g.sample_m, profile)) {
        profile.elevation_m.front() = g.ground_m; // the site's own ground (may be given)
        ok = true;
    }
    if (!ok) {
        ++counters.without_terrain;
        return std::nullopt;
    }
    try {
        const auto loss = static_cast<float>(model.path_loss(profile, link).loss_db);
        ++counters.evaluations;
        return loss;
    } catch (const OutOfDomain&) {
        ++counters.outside_model;
        return std::nullopt;
    }
}

// A sector's signal at a cell (centre `centre`, ground `z_cell`) for a given path loss: the pattern towards the
// receiver, the link budget, RSRP or RSCP.
double cell_signal(const SectorGeometry& g, const Sector& s, float loss_db, GridPoint centre, double z_cell, const CoverageOptions& o) {
    if (s.pattern->is_omni()) { // no direction to look up: skip the two arc tangents
        return sector_signal_dbm(s, loss_db, s.azimuth_deg, s.tilt_deg, o.rx_gain_dbi, o.cpich_fraction);
    }
    const double d = std::max(g.step_m, std::hypot(centre.x_m - g.site.x_m, centre.y_m - g.site.y_m));
    const double below = std::atan2(g.antenna_m - (z_cell + o.rx_height_agl_m), d) * deg_per_rad;
    return sector_signal_dbm(s, loss_db, bearing_deg(g.site, centre) - g.true_north_grid_deg, below, o.rx_gain_dbi, o.cpich_fraction);
}

LinkParams link_of(const Sector& s, const CoverageOptions& o) {
    return LinkParams{.freq_mhz = s.freq_mhz, .tx_height_agl_m = s.height_agl_m, .rx_height_agl_m = o.rx_height_agl_m,
                      .polarization = o.polarization};
}

// Exact mode for a loss model, and the per-cell path of the endpoint-only models in both modes.
void loss_per_cell(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, Raster<float>& out,
                   Counters& counters, SharedProgress& progress, bool endpoints_only, bool report_progress = true) {
    const LinkParams link = link_of(s, o);
    for_cells_in_radius<TerrainProfile>(
        dem, g, &progress,
        [&](TerrainProfile& profile, int col, int row, GridPoint c, double /*d*/) {
            if (const auto loss = cell_loss(dem, g, link, *o.model, c, endpoints_only, profile, counters)) {
                out.at(col, row) = *loss;
            }
        },
        [&](std::size_t rows, std::size_t cells) {
            counters.in_radius += cells;
            if (report_progress) { // the near zone of fast mode is not a unit of its progress
                progress.add(rows, "path loss");
            }
        });
}

// In fast mode the cells near the antenna, where a radial sample half a cell away from the cell centre
// sees the terrain from a noticeably different angle, get their own profiles (short, hence cheap).
constexpr double exact_near_cells = 64.0;

// Fast ITM: whether the radial sweep costs less than one profile per cell. The sweep evaluates ITM about 1.4 times
// per sample spacing² of the disc; a profile of its own costs a cell about 2.75 sweep evaluations plus one per 300
// profile points (bench_coverage on 30, 60 and 90 m grids). On 30 m cells the sweep wins by 3x; on 90 m cells sampled
// every 30 m the profiles win up to a radius of about 45 km.
bool sweep_is_cheaper(const SectorGeometry& g) {
    const double samples = g.radius_m / g.sample_m;                   // along one radial
    const double cells = std::numbers::pi * (g.radius_m / g.step_m) * (g.radius_m / g.step_m);
    const double sweep = 1.4 * std::numbers::pi * samples * samples; // ITM evaluations
    const double per_cell = cells * (2.75 + (2.0 / 3.0) * samples / 300.0);
    return sweep < per_cell;
}

bool use_radial_sweep(const CoverageOptions& o, Kernel kernel, const SectorGeometry& g) {
    if (o.mode != CoverageMode::fast) {
        return false;
    }
    if (o.line_of_sight) {
        return true;
    }
    if (kernel != Kernel::itm_radial) {
        return false;
    }
    return o.radial_sweep ? *o.radial_sweep : sweep_is_cheaper(g);
}

// Ring-doubling radial layout: n_radials = m·2^max_level radials at the full radius (just enough for one
// radial per cell at the rim); radial r is needed from distance radius / 2^(tz(r)+1) on, where tz = its
// number of trailing zero bits, so that about one radial passes through each cell at every distance.
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

RadialLayout layout_for(double radius_m, double step_m) {
    RadialLayout l;
    l.step_m = step_m;
    l.radius_m = radius_m;
    const double needed = 2.0 * std::numbers::pi * radius_m / step_m;
    constexpr int block = 1 << RadialLayout::max_level;
    l.n_radials = std::max(1, static_cast<int>(std::ceil(needed / block))) * block;
    l.samples = static_cast<int>(std::ceil(radius_m / step_m)) + 2;
    return l;
}

// Sample the DEM along radial r; returns how many samples are valid (stops at the DEM's edge or a void).
int sample_radial(const Dem& dem, const SectorGeometry& g, const RadialLayout& l, int r, std::vector<double>& z) {
    const double az = l.azimuth_rad(r);
    const double reach = (l.samples - 1) * l.step_m;
    z.resize(static_cast<std::size_t>(l.samples));
    const GridPoint end{.x_m = g.site.x_m + std::sin(az) * reach, .y_m = g.site.y_m + std::cos(az) * reach};
    const auto valid = static_cast<int>(dem.sample_line(g.site, end, static_cast<std::size_t>(l.samples - 1), z.data()));
    z[0] = g.ground_m; // the site's own ground (it may be given in the sites file)
    return std::max(valid, 1);
}

// For each cell in radius: the two needed radials on either side of it and the two samples on either
// side of its distance, with bilinear weights (angle, distance). fn(col, row, corners, weights).
struct Corners {
    std::array<std::size_t, 4> index{}; // into a radials × samples array: (r0,k0) (r0,k1) (r1,k0) (r1,k1)
    std::array<double, 4> weight{};
};

// Cells within `inner_m` of the antenna are left out (fast ITM computes those exactly). BlockDone as in
// for_cells_in_radius.
template <typename Fn, typename BlockDone>
void gather(const Dem& dem, const SectorGeometry& g, const RadialLayout& l, double inner_m, Fn&& fn, BlockDone&& block_done) {
    for_cells_in_radius<NoState>(
        dem, g, nullptr,
        [&](NoState&, int col, int row, GridPoint c, double d) {
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
            fn(col, row, cn);
        },
        block_done, inner_m);
}

// Bilinear value from the four corners, renormalised over the corners that hold a value.
float interpolate(const std::vector<float>& v, const Corners& c) {
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

// Along a radial the loss is smooth wherever the path changes smoothly. The sweep evaluates every
// sweep_block-th sample, and fills an interval by linear interpolation when its two ends have the same
// propagation mode, differ by at most smooth_interval_db, and either see the terrain through the same
// transmitter and receiver horizon points or the ground between them lies within smooth_ground_m of the
// straight line joining theirs (no hollow or crest in between: on a smooth slope the horizons move from one
// sample to the next while the loss changes smoothly). Otherwise it evaluates the interval's middle and
// treats each half the same way, down to single samples. On the rugged White Mountains half the samples are
// interpolated, at a cost of 0.02 dB to the p95 agreement with exact mode (bench_coverage).
constexpr int sweep_block = 4;
constexpr double smooth_interval_db = 0.5;
constexpr double smooth_ground_m = 1.0;

// What the interpolation test needs of an evaluated sample.
struct SampleGeometry {
    int mode = -1;       // ITM propagation mode; -1: no value
    int tx_horizon = -1; // sample index of the transmitter's horizon point
    int rx_horizon = -1; // sample index of the receiver's horizon point
    bool operator==(const SampleGeometry&) const = default;
};

void itm_fast(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, const ItmModel& itm,
              Raster<float>& out, Counters& counters, SharedProgress& progress) {
    const RadialLayout l = layout_for(g.radius_m, g.sample_m);
    // Cells up to near_m from the antenna get their own profiles (below); the sweep evaluates the radials only
    // from the last sample before that distance on, which is as far in as the interpolation reads them.
    const double near_m = std::min(g.radius_m, exact_near_cells * g.step_m);
    const int first_needed = std::max(1, static_cast<int>(near_m / l.step_m));
    std::vector<float> loss(static_cast<std::size_t>(l.n_radials) * static_cast<std::size_t>(l.samples), nan_f);
    const LinkParams link = link_of(s, o);
    try {
        itm.validate_link(link);
    } catch (const ItmError& e) {
        throw ItmError(e.code(), e.warnings(), std::string(e.what()) + " (sector '" + s.sector_id + "')");
    }
    const itm::RadialParams rp = itm::radial_params(itm.params(), link);
    tbb::parallel_for(tbb::blocked_range<int>(0, l.n_radials, 16), [&](const tbb::blocked_range<int>& radials) {
        std::vector<double> z;
        std::vector<std::pair<int, double>> anchors;
        std::vector<SampleGeometry> geometry(static_cast<std::size_t>(l.samples));
        std::size_t evaluations = 0;
        itm::RadialTerrain terrain(l.step_m, rp); // shared by the evaluators below
        itm::RadialItm scout(rp);                 // Δh at the anchors, ahead of the evaluations
        // Evaluations must come in increasing order on each evaluator: one for the block ends, one for the
        // blocks' middles, one for the middles' middles.
        itm::RadialItm ends(rp);
        itm::RadialItm middles(rp);
        itm::RadialItm quarters(rp);
        static_assert(sweep_block == 4, "one evaluator per level of halving");

        for (int r = radials.begin(); r != radials.end() && !progress.cancelled(); ++r) {
            const int valid = sample_radial(dem, g, l, r, z);
            if (valid < 2) {
                continue;
            }
            const std::span<const double> profile(z.data(), static_cast<std::size_t>(valid));
            const int first = std::max(l.first_sample(r), first_needed);
            if (first >= valid) {
                continue; // this radial is needed only beyond the DEM's edge
            }
            // Δh varies slowly along a radial: exact at anchors spaced 1/16 of the distance (every sample
            // near the antenna), linearly interpolated between them (DESIGN.md, performance model).
            terrain.start(profile);
            anchors.clear();
            scout.start(terrain);
            for (int k = first;;) {
                anchors.emplace_back(k, scout.delta_h(k));
                if (k == valid - 1) {
                    break;
                }
                k = std::min(valid - 1, k + std::max(1, k / 16));
            }
            auto delta_h_at = [&](int k) {
                const auto next = std::upper_bound(anchors.begin(), anchors.end(), k,
                                                   [](int v, const std::pair<int, double>& a) { return v < a.first; });
                const auto& [k0, dh0] = *(next - 1); // anchors start at `first` <= k
                if (k0 == k || next == anchors.end()) {
                    return dh0;
                }
                const double t = static_cast<double>(k - k0) / (next->first - k0);
                return dh0 + t * (next->second - dh0);
            };
            float* row = loss.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(l.samples);
            auto evaluate = [&](itm::RadialItm& on, int k) {
                double dh = delta_h_at(k);
                const itm::Result res = on.evaluate(k, &dh);
                SampleGeometry& sg = geometry[static_cast<std::size_t>(k)];
                sg = SampleGeometry{};
                if (res.rc < 1000) {
                    row[k] = static_cast<float>(res.a_db);
                    sg.mode = res.mode;
                    sg.tx_horizon = static_cast<int>(std::lround(res.d_hzn_m.tx / l.step_m));
                    sg.rx_horizon = k - static_cast<int>(std::lround(res.d_hzn_m.rx / l.step_m));
                    ++evaluations;
                }
            };
            auto smooth = [&](int i, int j) {
                const SampleGeometry& a = geometry[static_cast<std::size_t>(i)];
                const SampleGeometry& b = geometry[static_cast<std::size_t>(j)];
                if (a.mode < 0 || a.mode != b.mode || std::fabs(static_cast<double>(row[i]) - row[j]) > smooth_interval_db) {
                    return false;
                }
                if (a == b) {
                    return true;
                }
                const double slope_m = (z[static_cast<std::size_t>(j)] - z[static_cast<std::size_t>(i)]) / (j - i);
                for (int k = i + 1; k < j; ++k) {
                    const double chord_m = z[static_cast<std::size_t>(i)] + (k - i) * slope_m;
                    if (std::fabs(z[static_cast<std::size_t>(k)] - chord_m) > smooth_ground_m) {
                        return false;
                    }
                }
                return true;
            };
            const std::array<itm::RadialItm*, 2> at_depth{&middles, &quarters};
            auto refine = [&](auto&& self, int i, int j, std::size_t depth) -> void {
                if (j - i < 2) {
                    return;
                }
                if (smooth(i, j)) {
                    for (int k = i + 1; k < j; ++k) {
                        const float t = static_cast<float>(k - i) / static_cast<float>(j - i);
                        row[k] = row[i] + t * (row[j] - row[i]);
                    }
                    return;
                }
                const int m = (i + j) / 2;
                evaluate(*at_depth[depth], m);
                self(self, i, m, depth + 1);
                self(self, m, j, depth + 1);
            };
            ends.start(terrain);
            middles.start(terrain);
            quarters.start(terrain);
            evaluate(ends, first);
            for (int i = first; i + 1 < valid;) {
                const int j = std::min(valid - 1, i + sweep_block);
                evaluate(ends, j);
                refine(refine, i, j, 0);
                i = j;
            }
        }
        counters.evaluations += evaluations;
        progress.add(radials.size(), "path loss (radial sweep)");
    });
    if (progress.cancelled()) {
        return;
    }
    gather(
        dem, g, l, near_m,
        [&](int col, int row, const Corners& c) {
            const float v = interpolate(loss, c);
            if (std::isnan(v)) {
                ++counters.without_terrain; // no radial sample reached it (DEM edge or void on the way): rare
            }
            out.at(col, row) = v;
        },
        [&](std::size_t /*rows*/, std::size_t cells) { counters.in_radius += cells; });
    SectorGeometry near = g;
    near.radius_m = near_m;
    loss_per_cell(dem, near, s, o, out, counters, progress, false, false);
}

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
                  SharedProgress* progress) {
    const Raster<float>& z = dem.raster();
    const int w = z.width();
    const int h = z.height();
    const ServerRanking ranking(sectors, o, only);
    Composite c{Raster<float>(w, h, z.transform(), z.crs(), nan_f), Raster<std::uint16_t>(w, h, z.transform(), z.crs(), no_server),
                Raster<std::uint8_t>(w, h, z.transform(), z.crs(), no_class),
                Raster<std::uint8_t>(w, h, z.transform(), z.crs(), std::uint8_t{0})};
    tbb::parallel_for(tbb::blocked_range<int>(0, h), [&](const tbb::blocked_range<int>& rows) {
        for (int row = rows.begin(); row != rows.end(); ++row) {
            for (int col = 0; col < w; ++col) {
                const GridPoint centre = dem.cell_centre(col, row);
                const double z_cell = z.at(col, row);
                if (std::isnan(z_cell)) {
                    continue;
                }
                BestServer best;
                int count = 0;
                for (std::size_t i = 0; i < sectors.size(); ++i) {
                    if (only && sectors[i].technology != *only) {
                        continue;
                    }
                    const float loss = loss_db[i].at(col, row);
                    if (std::isnan(loss)) {
                        continue;
                    }
                    const double sig = cell_signal(geometry[i], sectors[i], loss, centre, z_cell, o);
                    if (sig >= o.server_threshold_dbm) {
                        ++count;
                    }
                    best.offer(ranking, sectors[i], i, static_cast<float>(sig));
                }
                c.server_count.at(col, row) = static_cast<std::uint8_t>(std::min(count, 254));
                if (best.index != no_server) {
                    c.signal_dbm.at(col, row) = best.signal_dbm;
                    c.best_server.at(col, row) = best.index;
                    c.signal_class.at(col, row) = static_cast<std::uint8_t>(ranking.thresholds(sectors[best.index]).classify(best.signal_dbm));
                }
            }
        }
        if (progress != nullptr) {
            progress->add(static_cast<std::size_t>(rows.size()), "combining sectors");
        }
    });
    return c;
}

} // namespace

Composite combine_sectors(const CoverageMap& map, const Dem& dem, const CoverageOptions& options, std::optional<Technology> only) {
    if (map.path_loss_db.size() != map.sectors.size()) {
        throw InvalidArgument("combine_sectors: the map has no path-loss rasters (line-of-sight mode?)");
    }
    std::vector<SectorGeometry> geometry;
    for (const Sector& s : map.sectors) {
        const GridPoint g = dem.to_grid(s.location);
        const auto z = dem.try_elevation_m(g);
        if (!z && !s.ground_elev_m) {
            throw OutOfDomain("sector '" + s.sector_id + "' at " + describe(s.location) + " is off the DEM");
        }
        const double ground = s.ground_elev_m ? *s.ground_elev_m : *z;
        geometry.push_back(geometry_of(dem, g, ground, s, 0.0));
    }
    return combine(dem, map.sectors, map.path_loss_db, geometry, options, only, nullptr);
}

const char* to_string(CoverageMode mode) noexcept { return mode == CoverageMode::exact ? "exact" : "fast"; }

void CoverageOptions::validate() const {
    if (!line_of_sight && !model) {
        throw InvalidArgument("coverage: a propagation model is required (or line-of-sight mode)");
    }
    if (radius_m && !(*radius_m > 0.0)) {
        throw InvalidArgument("coverage: radius_m must be > 0 (got " + std::to_string(*radius_m) + ")");
    }
    if (!(rx_height_agl_m > 0.0 && rx_height_agl_m <= 3000.0)) {
        throw InvalidArgument("coverage: rx_height_agl_m must be > 0 and <= 3000 m (got " + std::to_string(rx_height_agl_m) + ")");
    }
    if (!(k_factor > 0.0)) {
        throw InvalidArgument("coverage: k_factor must be > 0");
    }
    if (profile_step_m && !(*profile_step_m > 0.0 && *profile_step_m <= 1000.0)) {
        throw InvalidArgument("coverage: profile_step_m must be > 0 and <= 1000 m (got " + std::to_string(*profile_step_m) + ")");
    }
    if (threads < 0) {
        throw InvalidArgument("coverage: threads must be >= 0 (0 = all cores)");
    }
    if (!(cpich_fraction > 0.0 && cpich_fraction <= 1.0)) {
        throw InvalidArgument("coverage: cpich_fraction must be in (0, 1]");
    }
    for (const TechnologyTraits& t : technology_table) {
        thresholds[t.technology].validate();
    }
}

double sector_signal_dbm(const Sector& s, double path_loss_db, double azimuth_deg, double below_horizon_deg,
                         double rx_gain_dbi, double cpich_fraction) {
    const double gain = s.antenna_gain_dbi - s.pattern->attenuation_db(azimuth_deg - s.azimuth_deg, below_horizon_deg - s.tilt_deg);
    const LinkBudget b{.tx_power_dbm = s.tx_power_dbm, .tx_gain_dbi = gain, .cable_loss_db = s.cable_loss_db,
                       .path_loss_db = path_loss_db, .rx_gain_dbi = rx_gain_dbi};
    const double p = b.rx_power_dbm();
    return signal_measure_dbm(s.technology, p, s.channel(cpich_fraction));
}

double free_space_reach_m(const Sector& s, const SignalThresholds& t, double rx_gain_dbi, double cpich_fraction) {
    const double weakest = t.lower_bound_dbm[static_cast<std::size_t>(t.class_count - 1)];
    // The loss at which the signal, toward the pattern's peak, falls to the weakest class.
    const double at_zero_loss = sector_signal_dbm(s, 0.0, s.azimuth_deg, s.tilt_deg, rx_gain_dbi, cpich_fraction);
    const double max_loss_db = at_zero_loss - weakest;
    return 1000.0 * std::pow(10.0, (max_loss_db - 32.45 - 20.0 * std::log10(s.freq_mhz)) / 20.0);
}

CoverageEngine::CoverageEngine(const Dem& dem, std::vector<Sector> sectors, CoverageOptions options)
    : m_dem(dem), m_sectors(std::move(sectors)), m_options(std::move(options)) {
    m_options.validate();
    if (m_sectors.empty()) {
        throw InvalidArgument("coverage: no sectors");
    }
    if (m_sectors.size() >= no_server) {
        throw InvalidArgument("coverage: at most 65534 sectors");
    }
    for (std::size_t i = 0; i < m_sectors.size(); ++i) {
        const Sector& s = m_sectors[i];
        const std::string where = "sector '" + s.sector_id + "'";
        validate_sector(s, where);
        const GridPoint g = m_dem.to_grid(s.location);
        const auto z = m_dem.try_elevation_m(g);
        if (!z && !s.ground_elev_m) {
            throw OutOfDomain(where + " at " + describe(s.location) + " is off the DEM (or on a void)");
        }
        if (!m_dem.covers(g)) {
            throw OutOfDomain(where + " at " + describe(s.location) + " is off the DEM");
        }
        m_site_grid.push_back(g);
        m_site_ground_m.push_back(s.ground_elev_m ? *s.ground_elev_m : *z);
    }
}

double CoverageEngine::radius_m(std::size_t i) const {
    if (m_options.radius_m) {
        return *m_options.radius_m;
    }
    const Sector& s = m_sectors[i];
    const SignalThresholds& t = m_options.thresholds[s.technology];
    // Never beyond the grid: the farthest grid corner bounds any useful radius.
    const Raster<float>& r = m_dem.raster();
    const GeoTransform& gt = r.transform();
    double far = 0.0;
    for (const auto& [c, rr] : {std::pair{0.0, 0.0}, {1.0 * r.width(), 0.0}, {0.0, 1.0 * r.height()}, {1.0 * r.width(), 1.0 * r.height()}}) {
        const GridPoint p = gt.pixel_to_geo(PixelPoint{.col = c, .row = rr});
        far = std::max(far, std::hypot(p.x_m - m_site_grid[i].x_m, p.y_m - m_site_grid[i].y_m));
    }
    return std::min(far, free_space_reach_m(s, t, m_options.rx_gain_dbi, m_options.cpich_fraction));
}

CoverageMap CoverageEngine::compute(const ProgressFn& progress_fn) const {
    const auto t0 = std::chrono::steady_clock::now();
    const CoverageOptions& o = m_options;
    const Raster<float>& dem = m_dem.raster();
    const int w = dem.width();
    const int h = dem.height();
    const GeoTransform& gt = dem.transform();
    const Crs& crs = dem.crs();

    CoverageMap map;
    map.sectors = m_sectors;
    map.model_name = o.line_of_sight ? "los" : o.model->name();
    map.mode = o.mode;
    map.rx_height_agl_m = o.rx_height_agl_m;

    // Work units: rows (per-cell kernels) or radials (radial kernels), per sector, plus the composite rows.
    std::vector<SectorGeometry> geometry;
    std::size_t total_units = static_cast<std::size_t>(h);
    const Kernel kernel = o.line_of_sight ? Kernel::full_profile : kernel_for(*o.model);
    // Sectors of one tower at the same height and frequency share their path loss (only the antenna pattern,
    // applied in the composites, differs): computed once, copied to the others.
    std::vector<std::size_t> same_loss_as(m_sectors.size(), m_sectors.size());
    for (std::size_t i = 0; i < m_sectors.size(); ++i) {
        for (std::size_t j = 0; j < i && !o.line_of_sight; ++j) {
            if (same_loss_as[j] == m_sectors.size() && same_path_loss(i, j)) {
                same_loss_as[i] = j;
                break;
            }
        }
    }
    for (std::size_t i = 0; i < m_sectors.size(); ++i) {
        const SectorGeometry g = geometry_of(m_dem, m_site_grid[i], m_site_ground_m[i], m_sectors[i], radius_m(i), profile_step_of(m_options, m_dem));
        const bool radial = use_radial_sweep(o, kernel, g);
        const CellBox box = box_around(m_dem, g.site, g.radius_m);
        total_units += same_loss_as[i] != m_sectors.size() ? 0U : radial ? static_cast<std::size_t>(layout_for(g.radius_m, g.sample_m).n_radials)
                              : static_cast<std::size_t>(std::max(0, box.row1 - box.row0 + 1));
        geometry.push_back(g);
    }
    SharedProgress progress(progress_fn, total_units);
    Counters counters;

    tbb::task_arena arena(o.threads > 0 ? o.threads : tbb::task_arena::automatic);
    arena.execute([&] {
        for (std::size_t i = 0; i < m_sectors.size() && !progress.cancelled(); ++i) {
            const Sector& s = m_sectors[i];
            const SectorGeometry& g = geometry[i];
            if (o.line_of_sight) {
                Raster<std::uint8_t> vis(w, h, gt, crs, not_computed);
                visibility(m_dem, g, o, vis, counters, progress);
                map.visible.push_back(std::move(vis));
                continue;
            }
            if (same_loss_as[i] != m_sectors.size()) {
                Raster<float> copy = map.path_loss_db[same_loss_as[i]];
                map.path_loss_db.push_back(std::move(copy));
                continue;
            }
            Raster<float> loss(w, h, gt, crs, nan_f);
            if (use_radial_sweep(o, kernel, g)) {
                itm_fast(m_dem, g, s, o, dynamic_cast<const ItmModel&>(*o.model), loss, counters, progress);
            } else {
                loss_per_cell(m_dem, g, s, o, loss, counters, progress, kernel == Kernel::endpoints);
            }
            map.path_loss_db.push_back(std::move(loss));
        }
        if (progress.cancelled()) {
            return;
        }
        if (o.line_of_sight) {
            return;
        }
        // Composites over all sectors: best server, its signal and class, and how many sectors serve each cell.
        Composite all = combine(m_dem, map.sectors, map.path_loss_db, geometry, o, {}, &progress);
        map.signal_dbm = std::move(all.signal_dbm);
        map.best_server = std::move(all.best_server);
        map.signal_class = std::move(all.signal_class);
        map.server_count = std::move(all.server_count);
    });
    if (progress.cancelled()) {
        throw Cancelled("coverage computation cancelled");
    }
    map.stats.cells_in_radius = counters.in_radius;
    map.stats.model_evaluations = counters.evaluations;
    map.stats.cells_without_terrain = counters.without_terrain;
    map.stats.cells_outside_model = counters.outside_model;
    map.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    report(progress_fn, 1.0, "coverage done");
    return map;
}

bool CoverageEngine::same_path_loss(std::size_t a, std::size_t b) const {
    return m_site_grid[a] == m_site_grid[b] && m_site_ground_m[a] == m_site_ground_m[b] &&
           m_sectors[a].height_agl_m == m_sectors[b].height_agl_m && m_sectors[a].freq_mhz == m_sectors[b].freq_mhz &&
           radius_m(a) == radius_m(b);
}

std::vector<float> CoverageEngine::signal_at(const std::vector<Dem::Cell>& cells, std::optional<Technology> only) const {
    if (m_options.line_of_sight) {
        throw InvalidArgument("CoverageEngine::signal_at: line-of-sight mode has no signal");
    }
    const Raster<float>& z = m_dem.raster();
    std::vector<float> best(cells.size(), nan_f);
    const bool endpoints_only = kernel_for(*m_options.model) == Kernel::endpoints;
    const ServerRanking ranking(m_sectors, m_options, only);
    std::vector<SectorGeometry> geometry;
    for (std::size_t i = 0; i < m_sectors.size(); ++i) {
        geometry.push_back(geometry_of(m_dem, m_site_grid[i], m_site_ground_m[i], m_sectors[i], radius_m(i), profile_step_of(m_options, m_dem)));
    }
    tbb::task_arena arena(m_options.threads > 0 ? m_options.threads : tbb::task_arena::automatic);
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cells.size(), 64), [&](const tbb::blocked_range<std::size_t>& range) {
            TerrainProfile profile;
            Counters counters;
            // Loss is shared by sectors of one tower at one height and frequency: remember the last one.
            for (std::size_t k = range.begin(); k != range.end(); ++k) {
                const Dem::Cell cell = cells[k];
                if (!z.contains(cell.col, cell.row) || std::isnan(z.at(cell.col, cell.row))) {
                    continue;
                }
                const GridPoint centre = m_dem.cell_centre(cell.col, cell.row);
                std::optional<float> loss;
                std::size_t loss_of = m_sectors.size();
                BestServer server;
                for (std::size_t i = 0; i < m_sectors.size(); ++i) {
                    const Sector& s = m_sectors[i];
                    if (only && s.technology != *only) {
                        continue;
                    }
                    const SectorGeometry& g = geometry[i];
                    if (std::hypot(centre.x_m - g.site.x_m, centre.y_m - g.site.y_m) > g.radius_m) {
                        continue;
                    }
                    if (loss_of == m_sectors.size() || !same_path_loss(i, loss_of)) {
                        loss = cell_loss(m_dem, g, link_of(s, m_options), *m_options.model, centre, endpoints_only, profile, counters);
                        loss_of = i;
                    }
                    if (!loss) {
                        continue;
                    }
                    server.offer(ranking, s, i, static_cast<float>(cell_signal(g, s, *loss, centre, z.at(cell.col, cell.row), m_options)));
                }
                best[k] = server.signal_dbm;
            }
        });
    });
    return best;
}

} // namespace coverage
