// Fast mode: radials cast from the antenna (ring doubling), the DEM sampled once per radial, ITM evaluated
// incrementally along each and interpolated where the path changes smoothly; cells gathered from the radials.

#include "coverage/engine_parts.hpp"

#include "propagation/itm/radial.hpp"
#include "propagation/p1812_view.hpp"

#include <coverage/coverage/clutter_map.hpp>
#include <coverage/propagation/p1812_model.hpp>

namespace coverage::detail {

namespace {

// Fast ITM: whether the radial sweep costs less than one profile per cell. With radials two samples apart at the rim
// (sweep_layout) the sweep costs about as much as 0.7 ITM evaluations per sample spacing² of the disc; a profile of its
// own costs a cell about 2.75 sweep evaluations plus one per 300 profile points. Measured with CoverageOptions::radial_sweep
// forced either way (2 threads, ITM 1800 MHz, 30 m mast, radials and profiles sampled every 30 m; sweep / profiles,
// fast vs exact p95 / p99 of the sweep): N44W072 60 m cells, 10 km 0.08 / 0.13 s (0.28 / 0.83 dB), 20 km 0.29 / 0.71 s
// (0.34 / 0.98 dB), 90 m, 30 km 0.57 / 0.87 s (0.44 / 1.18 dB); Serra do Cipó 1" 60 m, 10 km 0.11 / 0.13 s (0.67 / 1.60 dB),
// 20 km 0.44 / 0.67 s (0.69 / 1.75 dB), 90 m, 30 km 0.45 / 0.44 s (0.76 / 1.88 dB). So the sweep on 30 and 60 m cells,
// profiles (the exact map, at most 1.5x the sweep's time) on 90 m cells up to a radius of about 45 km. (The coefficient
// was 1.4 when the radials were one sample apart: fast mode then gave 60 m cells profiles of their own.)
bool sweep_is_cheaper(const SectorGeometry& g) {
    const double samples = g.radius_m / g.sample_m;                   // along one radial
    const double cells = std::numbers::pi * (g.radius_m / g.step_m) * (g.radius_m / g.step_m);
    const double sweep = 0.7 * std::numbers::pi * samples * samples; // in ITM evaluations
    const double per_cell = cells * (2.75 + (2.0 / 3.0) * samples / 300.0);
    return sweep < per_cell;
}

// Fast P.1812: the sweep evaluates P.1812 incrementally along each radial (RadialP1812), 3.5-6x faster than a profile per
// cell on 30 m cells (bench_coverage ... p1812). Where the samples are denser than the cells (coarse grids sampled every
// 30 m) the sweep makes several evaluations per cell; there the cells keep their own profiles (not measured further).
bool p1812_sweep_is_cheaper(const SectorGeometry& g) { return g.sample_m >= 0.99 * g.step_m; }

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

// Across radials the loss is smooth only where the terrain is: on rugged ground the receiver's immediate foreground,
// which differs from one radial to the next, decides it. A cell is interpolated from the four radial samples around
// it only when all four hold a value within cell_spread_db of each other; otherwise it gets its own profile, as in
// exact mode, except that its Δh (a statistic of the whole path, which moves little from one radial to the next) is
// interpolated from the radials' like the samples' own. Measured with bench_coverage against exact mode over every
// cell (ITM, 1800 MHz, 30 m mast, 30 m cells):
//   SRTM 1" Serra do Cipó, 10 km:       p95 2.91 -> 0.69 dB, p99 8.53 -> 1.77 dB (26 % of the cells get a profile);
//   SRTM 3" White Mountains (N44W072), 20 km: p95 0.95 -> 0.32 dB, p99 5.96 -> 0.86 dB (10 %).
// (Δh computed anew for those cells: p95 0.68 / 0.32 dB, p99 1.76 / 0.86 dB, at 1.2-1.4x the cost of fast mode.)
constexpr float cell_spread_db = 3.0F;

bool smooth_around(const std::vector<float>& loss, const Corners& c) {
    float lo = loss[c.index[0]];
    float hi = lo;
    for (const std::size_t i : c.index) {
        const float v = loss[i];
        if (std::isnan(v)) {
            return false;
        }
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    return hi - lo <= cell_spread_db;
}

// ITM over a cell's own profile with Δh given (from the radials around it); NaN, counted, where the terrain or the
// model gives none.
float own_profile_loss(const Dem& dem, const SectorGeometry& g, const itm::RadialParams& p, GridPoint c, double delta_h_m,
                       TerrainProfile& profile, Counters& counters) {
    if (!sector_profile(dem, g, receiver_point(g, c), profile)) {
        ++counters.without_terrain;
        return nan_f;
    }
    const itm::Pfl pfl{std::span<const double>(profile.elevation_m), profile.step_m};
    const itm::Result r = itm::p2p_tls(p.h_tx_m, p.h_rx_m, pfl, p.climate, p.n_0, p.f_mhz, p.pol, p.epsilon, p.sigma, p.mdvar, p.time,
                                       p.location, p.situation, &delta_h_m);
    if (r.rc >= 1000) {
        ++counters.outside_model;
        return nan_f;
    }
    ++counters.evaluations;
    return static_cast<float>(r.a_db);
}

// What the interpolation test needs of an evaluated sample.
struct SampleGeometry {
    int mode = -1;       // ITM propagation mode; -1: no value
    int tx_horizon = -1; // sample index of the transmitter's horizon point
    int rx_horizon = -1; // sample index of the receiver's horizon point
    bool operator==(const SampleGeometry&) const = default;
};

// The samples of one radial from `first` to `valid - 1`: every sweep_block-th evaluated, the samples between filled by
// the rule above or evaluated by halving. evaluate(level, k) sets row[k] and geometry[k] (level 0 for the block ends,
// 1 and 2 for the halvings: ITM's incremental evaluators must each see increasing k).
template <class Evaluate>
void sweep_samples(float* row, std::vector<SampleGeometry>& geometry, const std::vector<double>& z, int first, int valid, Evaluate&& evaluate) {
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
    static_assert(sweep_block == 4, "one evaluator level per halving");
    auto refine = [&](auto&& self, int i, int j, int depth) -> void {
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
        evaluate(depth + 1, m);
        self(self, i, m, depth + 1);
        self(self, m, j, depth + 1);
    };
    evaluate(0, first);
    for (int i = first; i + 1 < valid;) {
        const int j = std::min(valid - 1, i + sweep_block);
        evaluate(0, j);
        refine(refine, i, j, 0);
        i = j;
    }
}

// The cells of a sector from its radial samples: a cell whose four samples agree within cell_spread_db takes their
// bilinear value, any other own(profile, cell centre, corners), a loss from a profile of its own; the cells within
// near_m of the antenna get exact mode's.
template <class OwnLoss>
void gather_cells(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, const RadialLayout& l, double near_m,
                  const std::vector<float>& loss, Raster<float>& out, Counters& counters, SharedProgress& progress, OwnLoss&& own) {
    const GridOffset at = require_on_grid(out, "the path-loss window of sector '" + s.sector_id + "'", dem.raster(), "the DEM");
    gather_with<TerrainProfile>(
        dem, g, l, near_m,
        [&](TerrainProfile& profile, int col, int row, GridPoint c, double /*d*/, const Corners& cn) {
            float v = nan_f;
            if (smooth_around(loss, cn)) {
                v = interpolate(loss, cn);
                if (std::isnan(v)) {
                    ++counters.without_terrain; // no radial sample reached it (DEM edge or void on the way): rare
                }
            } else {
                v = own(profile, c, cn);
            }
            if (out.contains(col - at.col, row - at.row)) { // always: the window is the radius's box
                out.at(col - at.col, row - at.row) = v;
            }
        },
        [&](std::size_t /*rows*/, std::size_t cells) { counters.in_radius += cells; });
    SectorGeometry near = g;
    near.radius_m = near_m;
    loss_per_cell(dem, near, s, o, out, counters, progress, false, false);
}

} // namespace

bool use_radial_sweep(const CoverageOptions& o, Kernel kernel, const SectorGeometry& g) {
    if (o.mode != CoverageMode::fast) {
        return false;
    }
    if (o.line_of_sight) {
        return true;
    }
    if (kernel == Kernel::p1812_radial) {
        return o.radial_sweep ? *o.radial_sweep : p1812_sweep_is_cheaper(g);
    }
    if (kernel != Kernel::itm_radial) {
        return false;
    }
    return o.radial_sweep ? *o.radial_sweep : sweep_is_cheaper(g);
}

namespace {

RadialLayout layout_for(double radius_m, double step_m, double rim_spacing_m) {
    RadialLayout l;
    l.step_m = step_m;
    l.radius_m = radius_m;
    const double needed = 2.0 * std::numbers::pi * radius_m / rim_spacing_m;
    constexpr int block = 1 << RadialLayout::max_level;
    l.n_radials = std::max(1, static_cast<int>(std::ceil(needed / block))) * block;
    l.samples = static_cast<int>(std::ceil(radius_m / step_m)) + 2;
    return l;
}

} // namespace

// Radials two samples apart at the rim, against one (same run, 2 threads, ITM 1800 MHz, 30 m mast and cells; fast vs exact
// p95 / p99 over every cell): Serra do Cipó 1" 10 km 0.27-0.32 s -> 0.23-0.27 s (0.69 / 1.77 -> 0.73 / 1.91 dB), 20 km
// 1.32 -> 1.25 s (0.63 / 1.66 -> 0.67 / 1.93 dB); Big Tujunga 8 km 0.20-0.24 -> 0.17-0.19 s (0.68 / 2.04 -> 0.65 / 2.05 dB);
// N44W072 20 km 0.71 -> 0.59 s (0.32 / 0.86 -> 0.33 / 0.91 dB); N50E010 20 km 1.40 -> 1.28 s (0.60 / 1.42 -> 0.64 / 1.57 dB);
// P.1812 on Serra do Cipó 10 km 0.42 -> 0.35 s (0.44 / 1.00 -> 0.49 / 1.08 dB). More cells get profiles of their own, but
// the sweep evaluates half as many radials.
RadialLayout sweep_layout(const SectorGeometry& g, bool line_of_sight) {
    return layout_for(g.radius_m, g.sample_m, (line_of_sight ? 1.0 : 2.0) * g.sample_m);
}

// Sample the DEM along radial r; returns how many samples are valid (stops at the DEM's edge or a void).
int sample_radial(const Dem& dem, const SectorGeometry& g, const RadialLayout& l, int r, std::vector<double>& z) {
    const double az = l.azimuth_rad(r);
    const double reach = (l.samples - 1) * l.step_m;
    z.resize(static_cast<std::size_t>(l.samples));
    const GridPoint end{.x_m = g.site.x_m + std::sin(az) * reach, .y_m = g.site.y_m + std::cos(az) * reach};
    const auto valid = static_cast<int>(dem.sample_line(g.site, end, static_cast<std::size_t>(l.samples - 1), z.data(), g.sampling));
    z[0] = g.ground_m; // the site's own ground (it may be given in the sites file)
    return std::max(valid, 1);
}

void itm_fast(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, const ItmModel& itm,
              Raster<float>& out, Counters& counters, SharedProgress& progress) {
    const RadialLayout l = sweep_layout(g, false);
    // Cells up to near_m from the antenna get their own profiles (below); the sweep evaluates the radials only
    // from the last sample before that distance on, which is as far in as the interpolation reads them.
    const double near_m = std::min(g.radius_m, exact_near_cells * g.step_m);
    const int first_needed = std::max(1, static_cast<int>(near_m / l.step_m));
    std::vector<float> loss(static_cast<std::size_t>(l.n_radials) * static_cast<std::size_t>(l.samples), nan_f);
    // Δh at every sample (from the anchors below): a cell that gets its own profile takes its Δh from the radials
    // around it, as the samples themselves do, instead of computing it anew (a third of a profile's cost).
    std::vector<float> delta_h(loss.size(), nan_f);
    const LinkParams link = link_of(s, o);
    try {
        itm.validate_link(link);
    } catch (const ItmError& e) {
        throw ItmError(e.code(), e.warnings(), std::string(e.what()) + " (sector '" + s.sector_id + "')");
    }
    const itm::RadialParams rp = itm::radial_params(itm.params(), link);
    tbb::parallel_for(tbb::blocked_range<int>(0, l.n_radials, 16), [&](const tbb::blocked_range<int>& radials) {
        std::vector<double> z;
        std::vector<double> dh(static_cast<std::size_t>(l.samples)); // Δh along the radial
        std::vector<SampleGeometry> geometry(static_cast<std::size_t>(l.samples));
        std::size_t evaluations = 0;
        itm::RadialTerrain terrain(l.step_m, rp); // shared by the evaluators below
        itm::RadialItm scout(rp);                 // Δh at the anchors, ahead of the evaluations
        // Evaluations must come in increasing order on each evaluator: one for the block ends, one for the
        // blocks' middles, one for the middles' middles.
        itm::RadialItm ends(rp);
        itm::RadialItm middles(rp);
        itm::RadialItm quarters(rp);

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
            // near the antenna), linearly interpolated between them (DESIGN.md, performance model). Kept for every
            // sample: the evaluations below read it, and so do the cells that get profiles of their own.
            terrain.start(profile);
            scout.start(terrain);
            float* row = loss.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(l.samples);
            float* dh_row = delta_h.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(l.samples);
            for (int k0 = first, k = first;;) {
                const double dh_k = scout.delta_h(k);
                if (k > k0) {
                    const double dh0 = dh[static_cast<std::size_t>(k0)];
                    for (int j = k0 + 1; j < k; ++j) {
                        dh[static_cast<std::size_t>(j)] = dh0 + static_cast<double>(j - k0) / (k - k0) * (dh_k - dh0);
                    }
                }
                dh[static_cast<std::size_t>(k)] = dh_k;
                if (k == valid - 1) {
                    break;
                }
                k0 = k;
                k = std::min(valid - 1, k + std::max(1, k / 16));
            }
            for (int k = first; k < valid; ++k) {
                dh_row[k] = static_cast<float>(dh[static_cast<std::size_t>(k)]);
            }
            auto evaluate = [&](itm::RadialItm& on, int k) {
                const itm::Result res = on.evaluate(k, &dh[static_cast<std::size_t>(k)]);
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
            ends.start(terrain);
            middles.start(terrain);
            quarters.start(terrain);
            const std::array<itm::RadialItm*, 3> at_level{&ends, &middles, &quarters};
            sweep_samples(row, geometry, z, first, valid, [&](int level, int k) { evaluate(*at_level[static_cast<std::size_t>(level)], k); });
        }
        counters.evaluations += evaluations;
        progress.add(radials.size(), "path loss (radial sweep)");
    });
    if (progress.cancelled()) {
        return;
    }
    gather_cells(dem, g, s, o, l, near_m, loss, out, counters, progress, [&](TerrainProfile& profile, GridPoint c, const Corners& cn) {
        // Δh, a statistic of the whole path that moves little from one radial to the next, from the radials around it.
        if (const float dh = interpolate(delta_h, cn); !std::isnan(dh)) {
            return own_profile_loss(dem, g, rp, c, dh, profile, counters);
        }
        return cell_loss(dem, g, link, itm, c, false, profile, counters).value_or(nan_f); // (cell_loss counts a cell it cannot compute)
    });
}

void p1812_fast(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, const P1812Model& p1812,
                Raster<float>& out, Counters& counters, SharedProgress& progress) {
    const RadialLayout l = sweep_layout(g, false);
    const double near_m = std::min(g.radius_m, exact_near_cells * g.step_m);
    const int first_needed = std::max(2, static_cast<int>(near_m / l.step_m)); // P.1812 takes three points or more
    std::vector<float> loss(static_cast<std::size_t>(l.n_radials) * static_cast<std::size_t>(l.samples), nan_f);
    const LinkParams link = link_of(s, o);
    p1812.validate_link(link);
    const ClutterMap* clutter = o.clutter_along_path ? o.rx_clutter.get() : nullptr;
    std::vector<double> d_km(static_cast<std::size_t>(l.samples)); // the samples' distances, the same on every radial
    for (std::size_t i = 0; i < d_km.size(); ++i) {
        d_km[i] = static_cast<double>(i) * l.step_m / 1000.0; // as a profile's distance_m(i) / 1000
    }
    tbb::parallel_for(tbb::blocked_range<int>(0, l.n_radials, 16), [&](const tbb::blocked_range<int>& radials) {
        std::vector<double> z;
        std::vector<double> with_clutter(static_cast<std::size_t>(l.samples)); // ground plus clutter height
        std::vector<double> clutter_m(static_cast<std::size_t>(l.samples), 0.0);
        std::vector<SampleGeometry> geometry(static_cast<std::size_t>(l.samples));
        TerrainProfile radial;
        std::size_t evaluations = 0;
        // One evaluator per level of the sweep (each sees its samples in increasing order), sharing the radial's arrays.
        std::array<RadialP1812, 3> at_level{RadialP1812(link, link.path_centre_lat_deg, p1812.settings()),
                                            RadialP1812(link, link.path_centre_lat_deg, p1812.settings()),
                                            RadialP1812(link, link.path_centre_lat_deg, p1812.settings())};
        for (int r = radials.begin(); r != radials.end() && !progress.cancelled(); ++r) {
            int valid = sample_radial(dem, g, l, r, z);
            const int first = std::max(l.first_sample(r), first_needed);
            if (valid < 3 || first >= valid) {
                continue;
            }
            if (clutter != nullptr) { // the clutter along the radial, looked up once for all its samples
                radial.elevation_m.assign(z.begin(), z.begin() + valid);
                radial.step_m = l.step_m;
                const double reach = (valid - 1) * l.step_m;
                const double az = l.azimuth_rad(r);
                const GridPoint end{.x_m = g.site.x_m + std::sin(az) * reach, .y_m = g.site.y_m + std::cos(az) * reach};
                try {
                    const P1812Path path = p1812_path_with_clutter(*clutter, dem, g.site, end, radial);
                    std::copy(path.clutter_height_m.begin(), path.clutter_height_m.end(), clutter_m.begin());
                } catch (const OutOfDomain&) {
                    continue; // off the land cover: its cells get profiles of their own (and its error, if any)
                }
                for (int i = 0; i < valid; ++i) {
                    with_clutter[static_cast<std::size_t>(i)] = z[static_cast<std::size_t>(i)] + clutter_m[static_cast<std::size_t>(i)];
                }
            }
            float* row = loss.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(l.samples);
            for (RadialP1812& e : at_level) {
                e.start(static_cast<std::size_t>(valid), l.step_m / 1000.0, d_km.data(), z.data(), clutter != nullptr ? with_clutter.data() : nullptr,
                        clutter != nullptr ? clutter_m.data() : nullptr);
            }
            const auto evaluate = [&](int level, int k) {
                SampleGeometry& sg = geometry[static_cast<std::size_t>(k)];
                sg = SampleGeometry{};
                try {
                    const P1812ViewResult res = at_level[static_cast<std::size_t>(level)].evaluate(static_cast<std::size_t>(k));
                    row[k] = static_cast<float>(res.lb_db);
                    sg.mode = res.trans_horizon ? 1 : 0;
                    sg.tx_horizon = static_cast<int>(std::lround(res.dlt_km * 1000.0 / l.step_m));
                    sg.rx_horizon = k - static_cast<int>(std::lround(res.dlr_km * 1000.0 / l.step_m));
                    ++evaluations;
                } catch (const OutOfDomain&) {
                    // left without a value: the cells around it get profiles of their own
                }
            };
            sweep_samples(row, geometry, z, first, valid, evaluate);
        }
        counters.evaluations += evaluations;
        progress.add(radials.size(), "path loss (radial sweep)");
    });
    if (progress.cancelled()) {
        return;
    }
    gather_cells(dem, g, s, o, l, near_m, loss, out, counters, progress, [&](TerrainProfile& profile, GridPoint c, const Corners& /*cn*/) {
        return cell_loss(dem, g, link, p1812, c, false, profile, counters, clutter).value_or(nan_f); // (cell_loss counts a cell it cannot compute)
    });
}

} // namespace coverage::detail
