#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/core/error.hpp>
#include <coverage/core/geo.hpp>
#include <coverage/propagation/itm_model.hpp>
#include <coverage/radio/link_budget.hpp>
#include <coverage/radio/technology.hpp>

#include "core/system_memory.hpp"
#include "core/text.hpp"
#include "coverage/engine_parts.hpp"

#include <coverage/propagation/p1812_model.hpp>

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

using namespace detail;

const char* to_string(CoverageMode mode) noexcept { return mode == CoverageMode::exact ? "exact" : "fast"; }

namespace {

// The calibration's correction for sector `s` at receiver `rx` in grid cell (col, row), dB (0 without a term).
double correction_at(const ModelCorrection& c, const CorrectionTerm* term, const SectorGeometry& g, GridPoint rx, int col, int row) {
    if (term == nullptr) {
        return 0.0;
    }
    return term->correction_db(std::hypot(rx.x_m - g.site.x_m, rx.y_m - g.site.y_m), term->class_offset_db.empty() ? -1 : c.code_at(col, row));
}

// Subtract the calibration's correction from a sector's path-loss window (the correction raises the signal).
void subtract_correction(const Dem& dem, const SectorGeometry& g, const Sector& s, const ModelCorrection& c, Raster<float>& loss) {
    const CorrectionTerm* term = c.term_for(s.technology, s.freq_mhz);
    if (term == nullptr) {
        return;
    }
    const GridOffset at = require_on_grid(loss, "the path-loss window of sector '" + s.sector_id + "'", dem.raster(), "the DEM");
    if (c.classes && !term->class_offset_db.empty()) {
        (void)require_on_grid(c.classes->class_index, "the land-cover classes of the calibration", dem.raster(), "the DEM");
    }
    for (int row = 0; row < loss.height(); ++row) {
        for (int col = 0; col < loss.width(); ++col) {
            float& v = loss.at(col, row);
            if (!std::isnan(v)) {
                const GridPoint centre = dem.cell_centre(col + at.col, row + at.row);
                v -= static_cast<float>(correction_at(c, term, g, receiver_point(g, centre), col + at.col, row + at.row));
            }
        }
    }
}

} // namespace

void CoverageOptions::validate() const {
    if (!line_of_sight && !model) {
        throw InvalidArgument("coverage: a propagation model is required (or line-of-sight mode)");
    }
    if (!(server_threshold_dbm > -300.0 && server_threshold_dbm < 100.0)) {
        throw InvalidArgument("coverage: server_threshold_dbm must be a number of dBm between -300 and 100 (got " +
                              std::to_string(server_threshold_dbm) + ")");
    }
    if (radius_m && !(*radius_m > 0.0 && std::isfinite(*radius_m))) {
        throw InvalidArgument("coverage: radius_m must be > 0 (got " + std::to_string(*radius_m) + ")");
    }
    if (!(rx_height_agl_m > 0.0 && rx_height_agl_m <= 3000.0)) {
        throw InvalidArgument("coverage: rx_height_agl_m must be > 0 and <= 3000 m (got " + std::to_string(rx_height_agl_m) + ")");
    }
    if (!(k_factor > 0.0 && std::isfinite(k_factor))) {
        throw InvalidArgument("coverage: k_factor must be > 0");
    }
    if (profile_step_m && !(*profile_step_m > 0.0 && *profile_step_m <= 1000.0)) {
        throw InvalidArgument("coverage: profile_step_m must be > 0 and <= 1000 m (got " + std::to_string(*profile_step_m) + ")");
    }
    if (threads < 0) {
        throw InvalidArgument("coverage: threads must be >= 0 (0 = all cores)");
    }
    if (clutter_along_path && (!rx_clutter || line_of_sight || dynamic_cast<const P1812Model*>(model.get()) == nullptr)) {
        throw InvalidArgument("coverage: clutter along the path needs the land cover (rx_clutter) and the ITU-R P.1812 model; "
                              "the other models take the receiver's clutter by ITU-R P.2108");
    }
    if (!(cpich_fraction > 0.0 && cpich_fraction <= 1.0)) {
        throw InvalidArgument("coverage: cpich_fraction must be in (0, 1]");
    }
    if (correction) {
        correction->validate();
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
        const auto z = m_dem.try_elevation_m(g, m_options.profile_sampling);
        if (!z && !s.ground_elev_m) {
            throw OutOfDomain(where + " at " + describe(s.location) + " is off the DEM (or on a void)");
        }
        if (!m_dem.covers(g)) {
            throw OutOfDomain(where + " at " + describe(s.location) + " is off the DEM");
        }
        m_site_grid.push_back(g);
        m_site_ground_m.push_back(s.ground_elev_m ? *s.ground_elev_m : *z);
        // A model that cannot serve this sector's band or heights fails now, naming it, rather than leaving every
        // one of its cells without a value.
        if (m_options.rx_clutter && !m_options.clutter_along_path && !m_options.line_of_sight && !(s.freq_mhz >= 30.0 && s.freq_mhz <= 67000.0)) {
            throw OutOfDomain(where + detail::format(" at %g MHz: ITU-R P.2108's receiver clutter loss covers 30 MHz to 67 GHz", s.freq_mhz));
        }
        if (m_options.model) {
            const std::string what = where + " (" + std::string(traits(s.technology).key) + ", " + detail::format("%g", s.freq_mhz) +
                                     " MHz, " + detail::format("%g", s.height_agl_m) + " m above ground): the " +
                                     m_options.model->name() + " model cannot serve it: ";
            try {
                m_options.model->validate_link(link_of(s, m_options));
            } catch (const ItmError& e) {
                throw ItmError(e.code(), e.warnings(), what + e.what());
            } catch (const OutOfDomain& e) {
                throw OutOfDomain(what + e.what());
            }
        }
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
    check_memory();
    for (std::size_t i = 0; i < m_sectors.size(); ++i) {
        const SectorGeometry g = geometry_of(m_dem, m_site_grid[i], m_site_ground_m[i], m_sectors[i], radius_m(i),
                                             profile_step_of(m_options, m_dem), m_options.profile_sampling);
        const bool radial = use_radial_sweep(o, kernel, g);
        const CellBox box = box_around(m_dem, g.site, g.radius_m);
        total_units += same_loss_as[i] != m_sectors.size() ? 0U : radial ? static_cast<std::size_t>(sweep_layout(g, o.line_of_sight).n_radials)
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
            // Only the cells within the sector's radius are stored: its window of the grid.
            const CellBox b = box_around(m_dem, g.site, g.radius_m);
            Raster<float> loss = grid_window<float>(dem, GridOffset{b.col0, b.row0}, std::max(1, b.col1 - b.col0 + 1),
                                                    std::max(1, b.row1 - b.row0 + 1), nan_f);
            if (use_radial_sweep(o, kernel, g) && kernel == Kernel::p1812_radial) {
                p1812_fast(m_dem, g, s, o, dynamic_cast<const P1812Model&>(*o.model), loss, counters, progress);
            } else if (use_radial_sweep(o, kernel, g)) {
                itm_fast(m_dem, g, s, o, dynamic_cast<const ItmModel&>(*o.model), loss, counters, progress);
            } else {
                loss_per_cell(m_dem, g, s, o, loss, counters, progress, kernel == Kernel::endpoints);
            }
            if (o.rx_clutter && !o.clutter_along_path) {
                add_receiver_clutter(m_dem, g, s, o, loss);
            }
            if (o.correction) {
                subtract_correction(m_dem, g, s, *o.correction, loss);
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

void CoverageEngine::check_memory() const {
    const Raster<float>& dem = m_dem.raster();
    const double cells = static_cast<double>(dem.width()) * static_cast<double>(dem.height());
    // Per sector, its path loss over the cells within its radius (float; copies of a shared window count too), or a
    // full-grid byte of visibility in line-of-sight mode; and the composites: signal (float), best server (16 bits),
    // class and server count (a byte each) per technology and for all together.
    double per_sector = 0.0;
    for (std::size_t i = 0; i < m_sectors.size(); ++i) {
        if (m_options.line_of_sight) {
            per_sector += cells;
        } else {
            const detail::CellBox b = detail::box_around(m_dem, m_site_grid[i], radius_m(i));
            per_sector += 4.0 * std::max(1, b.col1 - b.col0 + 1) * static_cast<double>(std::max(1, b.row1 - b.row0 + 1));
        }
    }
    std::size_t technologies = 0;
    for (const TechnologyTraits& t : technology_table) {
        technologies += std::any_of(m_sectors.begin(), m_sectors.end(), [&](const Sector& s) { return s.technology == t.technology; }) ? 1U : 0U;
    }
    const double need = per_sector + cells * 8.0 * static_cast<double>(technologies + 1);
    // The memory this process may use: the machine's, or less where a ulimit or the cgroup of a container says so.
    const detail::MemoryLimit available = detail::memory_limit();
    const double limit = m_options.max_memory_bytes != 0 ? static_cast<double>(m_options.max_memory_bytes)
                         : available.bytes != 0           ? 0.8 * static_cast<double>(available.bytes)
                                                          : 0.0;
    if (limit > 0 && need > limit) {
        const std::string allowed_by = m_options.max_memory_bytes != 0 ? "max_memory_bytes" : "80 % of " + available.source;
        constexpr double gib = 1024.0 * 1024.0 * 1024.0;
        throw InvalidArgument(detail::format(
            "coverage of %zu sectors over %d × %d cells would need about %.1f GiB (each sector's path loss within its "
            "radius plus the composites), more than the %.1f GiB allowed (%s); use fewer sectors per run, a larger cell size or a "
            "smaller area",
            m_sectors.size(), dem.width(), dem.height(), need / gib, limit / gib,
            allowed_by.c_str()));
    }
}

bool CoverageEngine::same_path_loss(std::size_t a, std::size_t b) const {
    return m_site_grid[a] == m_site_grid[b] && m_site_ground_m[a] == m_site_ground_m[b] &&
           m_sectors[a].height_agl_m == m_sectors[b].height_agl_m && m_sectors[a].freq_mhz == m_sectors[b].freq_mhz &&
           radius_m(a) == radius_m(b) &&
           // a calibration corrects each technology and band on its own
           (!m_options.correction || m_sectors[a].technology == m_sectors[b].technology);
}

std::vector<double> CoverageEngine::sector_signal_at(std::size_t sector, const std::vector<GridPoint>& points) const {
    if (m_options.line_of_sight) {
        throw InvalidArgument("CoverageEngine::sector_signal_at: line-of-sight mode has no signal");
    }
    if (sector >= m_sectors.size()) {
        throw InvalidArgument("CoverageEngine::sector_signal_at: no sector " + std::to_string(sector));
    }
    const Sector& s = m_sectors[sector];
    const SectorGeometry g = geometry_of(m_dem, m_site_grid[sector], m_site_ground_m[sector], s, radius_m(sector),
                                         profile_step_of(m_options, m_dem), m_options.profile_sampling);
    const bool endpoints_only = kernel_for(*m_options.model) == Kernel::endpoints;
    const LinkParams link = link_of(s, m_options);
    const CorrectionTerm* term = m_options.correction ? m_options.correction->term_for(s.technology, s.freq_mhz) : nullptr;
    std::vector<double> out(points.size(), std::numeric_limits<double>::quiet_NaN());
    tbb::task_arena arena(m_options.threads > 0 ? m_options.threads : tbb::task_arena::automatic);
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, points.size(), 16), [&](const tbb::blocked_range<std::size_t>& range) {
            TerrainProfile profile;
            Counters counters;
            for (std::size_t k = range.begin(); k != range.end(); ++k) {
                const GridPoint p = points[k];
                if (std::hypot(p.x_m - g.site.x_m, p.y_m - g.site.y_m) > g.radius_m) {
                    continue;
                }
                const std::optional<Dem::Cell> cell = m_dem.cell_at(p);
                const std::optional<double> z = m_dem.try_elevation_m(p, g.sampling);
                if (!cell || !z) {
                    continue;
                }
                std::optional<float> loss = cell_loss(m_dem, g, link, *m_options.model, p, endpoints_only, profile, counters,
                                                      m_options.clutter_along_path ? m_options.rx_clutter.get() : nullptr);
                if (!loss) {
                    continue;
                }
                if (m_options.rx_clutter && !m_options.clutter_along_path) {
                    *loss += receiver_clutter_db(m_dem, g, s, m_options, cell->col, cell->row);
                }
                if (term != nullptr) {
                    *loss -= static_cast<float>(correction_at(*m_options.correction, term, g, receiver_point(g, p), cell->col, cell->row));
                }
                out[k] = cell_signal(g, s, *loss, p, *z, m_options);
            }
        });
    });
    return out;
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
        geometry.push_back(geometry_of(m_dem, m_site_grid[i], m_site_ground_m[i], m_sectors[i], radius_m(i),
                                       profile_step_of(m_options, m_dem), m_options.profile_sampling));
    }
    // Each sector's calibration term, looked up once rather than per cell.
    std::vector<const CorrectionTerm*> terms(m_sectors.size(), nullptr);
    if (m_options.correction) {
        for (std::size_t i = 0; i < m_sectors.size(); ++i) {
            terms[i] = m_options.correction->term_for(m_sectors[i].technology, m_sectors[i].freq_mhz);
        }
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
                        loss = cell_loss(m_dem, g, link_of(s, m_options), *m_options.model, centre, endpoints_only, profile, counters,
                                         m_options.clutter_along_path ? m_options.rx_clutter.get() : nullptr);
                        if (loss && m_options.rx_clutter && !m_options.clutter_along_path) { // as compute() adds it to the maps
                            *loss += receiver_clutter_db(m_dem, g, s, m_options, cell.col, cell.row);
                        }
                        if (loss && m_options.correction) {
                            *loss -= static_cast<float>(correction_at(*m_options.correction, terms[i], g, receiver_point(g, centre), cell.col, cell.row));
                        }
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
