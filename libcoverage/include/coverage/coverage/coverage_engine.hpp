#ifndef COVERAGE_COVERAGE_MAP_HPP
#define COVERAGE_COVERAGE_MAP_HPP

#include <coverage/terrain/dem.hpp>
#include <coverage/core/progress.hpp>
#include <coverage/coverage/clutter_map.hpp>
#include <coverage/coverage/model_correction.hpp>
#include <coverage/propagation/propagation_model.hpp>
#include <coverage/core/raster.hpp>
#include <coverage/radio/signal_class.hpp>
#include <coverage/radio/sector.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/** How per-cell path loss is obtained. */
enum class CoverageMode {
    exact, ///< every cell gets its own profile from the antenna (the reference)
    fast,  ///< radial sweep: one DEM profile per radial, ITM evaluated incrementally along it
};

[[nodiscard]] const char* to_string(CoverageMode mode) noexcept;

/** Default upper bound of CoverageOptions::profile_step_m, metres (1 arc-second terrain). */
inline constexpr double default_max_profile_step_m = 30.0;

/** Settings of a coverage computation. */
struct CoverageOptions {
    /** Path-loss model; ignored in line-of-sight mode. Shared across threads (models are stateless). */
    std::shared_ptr<const PropagationModel> model;
    bool line_of_sight = false;              ///< visibility only (`--model los`)
    CoverageMode mode = CoverageMode::fast;
    std::optional<double> radius_m;          ///< per-sector radius; default: free-space reach of the weakest class
    double rx_height_agl_m = 1.5;            ///< receiver height above ground
    double rx_gain_dbi = 0.0;
    Polarization polarization = Polarization::vertical; ///< of the transmit antennas (ITM ground reflection)
    double k_factor = 4.0 / 3.0;             ///< effective earth radius factor for line of sight
    /** Spacing of the terrain profiles (exact mode) and of the samples along radials (fast mode), metres; default: the
     *  cell size, but at most default_max_profile_step_m, so that fast mode keeps its agreement with exact mode on
     *  coarse grids (a 90 m grid is sampled every 30 m). */
    std::optional<double> profile_step_m;
    /** How terrain is read between the DEM's posts along profiles and radials, and at sites and receivers: bilinear
     *  (default) or the nearest post, as SPLAT! and Signal-Server read it. */
    ProfileSampling profile_sampling = ProfileSampling::bilinear;
    /** Fast ITM mode only: sweep radials (true) or give every cell its own profile (false, i.e. exact mode).
     *  Default: whichever costs less for the sector's radius and cell size; on 30 and 60 m cells the sweep, on 90 m
     *  cells up to a radius of about 45 km the profiles, which then cost about as much and give the exact map. */
    std::optional<bool> radial_sweep;
    int threads = 0;                         ///< 0: all cores
    /// compute() refuses a map whose rasters would need more than this (estimated before allocating);
    /// 0: 80 % of the memory this process may use (the machine's, or less under `ulimit -v` or a container's cgroup limit).
    std::uint64_t max_memory_bytes = 0;
    double cpich_fraction = 0.1;             ///< UMTS: share of power on the CPICH
    TechnologyThresholds thresholds = default_technology_thresholds(); ///< class thresholds per technology
    double server_threshold_dbm = -110.0;    ///< a sector "serves" a cell at or above this signal (its measure, dBm)
    /** Receiver clutter by ITU-R P.2108 (`coverage.clutter = "p2108"`): each cell's land-cover class on the DEM's grid;
     *  its loss (receiver_clutter_loss_db) is added to every sector's path loss there. nullptr: none. */
    std::shared_ptr<const ClutterMap> rx_clutter;
    /** With rx_clutter and a P1812Model (`coverage.clutter = "path"`): instead of P.2108 at the receiver, every point of
     *  each path carries the representative clutter height of its cell (ITU-R P.1812-6 §3.2), so trees and houses
     *  between the antenna and the receiver, and around the receiver, diffract as P.1812 models them. */
    bool clutter_along_path = false;
    /** A calibration fitted to measurements (`[calibration] file`): its term for a sector's technology and band is
     *  subtracted from that sector's path loss everywhere (maps, signal_at, sector_signal_at). nullptr: none. */
    std::shared_ptr<const ModelCorrection> correction;

    /** @throws InvalidArgument for an inconsistent setting (no model, radius <= 0, ...). */
    void validate() const;
};

/** Nodata values of the integer rasters. */
inline constexpr std::uint16_t no_server = 65535;
inline constexpr std::uint8_t no_class = 255;
inline constexpr std::uint8_t not_computed = 255;

/** Figures of one computation, for reports and benchmarks. */
struct CoverageStats {
    std::size_t cells_in_radius = 0;       ///< sum over the path-loss computations of the cells within radius (sectors
                                           ///< of one tower at the same height and frequency share one)
    std::size_t model_evaluations = 0;     ///< path-loss evaluations (fast mode: samples on radials)
    std::size_t cells_without_terrain = 0; ///< cells whose path leaves the DEM or meets a void
    std::size_t cells_outside_model = 0;   ///< cells where the model refused the inputs (e.g. Hata < 1 km)
    double seconds = 0.0;
};

/** Result of CoverageEngine::compute. The composites and `visible` share the DEM's grid (CRS, transform, size); each
 * sector's path loss covers its window of that grid. */
struct CoverageMap {
    std::vector<Sector> sectors;
    /// Per sector, its basic transmission loss, dB, over its window of the grid: the cells within its radius (clipped
    /// to the grid), NaN where a cell's path leaves the terrain. Each raster's transform places it on the grid; read
    /// a cell of the grid with path_loss_at(), or a whole band with path_loss_on_grid().
    std::vector<Raster<float>> path_loss_db;
    std::vector<Raster<std::uint8_t>> visible; ///< line-of-sight mode, per sector: 1 visible, 0 not, 255 not computed
    Raster<float> signal_dbm;                  ///< best server's RSRP (LTE) or RSCP (UMTS); NaN where none reaches
    /// index into `sectors`; no_server where none. The strongest sector; where LTE and UMTS sectors compete (RSRP
    /// and RSCP are not comparable in dBm), the one in the better signal class by its own technology's thresholds,
    /// then the one further above that class's lower bound.
    Raster<std::uint16_t> best_server;
    Raster<std::uint8_t> signal_class;         ///< SignalClass of the best server; no_class where none
    Raster<std::uint8_t> server_count;         ///< sectors at or above server_threshold_dbm
    std::string model_name;
    CoverageMode mode = CoverageMode::fast;
    double rx_height_agl_m = 1.5;
    CoverageStats stats;

    /** Sector `sector`'s path loss at cell (col, row) of the map's grid, dB; NaN outside its window. @throws InvalidArgument. */
    [[nodiscard]] float path_loss_at(std::size_t sector, int col, int row) const;
    /** Sector `sector`'s path loss as a band of the whole grid (NaN outside its window): a copy. @throws InvalidArgument. */
    [[nodiscard]] Raster<float> path_loss_on_grid(std::size_t sector) const;
};

/** Composite rasters over a set of sectors (see CoverageMap for their meaning). */
struct Composite {
    Raster<float> signal_dbm;
    Raster<std::uint16_t> best_server;
    Raster<std::uint8_t> signal_class;
    Raster<std::uint8_t> server_count;
};

/**
 * Recombine a map's per-sector path loss, e.g. for one technology only (3G or 4G coverage on its own).
 * @param only keep the sectors of this technology; all sectors when empty. best_server indexes map.sectors.
 * @throws InvalidArgument for a line-of-sight map (no path loss); OutOfDomain for a sector off the DEM.
 */
[[nodiscard]] Composite combine_sectors(const CoverageMap& map, const Dem& dem, const CoverageOptions& options,
                                        std::optional<Technology> only = {});

/**
 * Computes per-sector path loss over a DEM's grid and combines them into best-server, signal, class
 * and server-count rasters. Immutable; compute() may be called from several threads.
 */
class CoverageEngine {
public:
    /**
     * @param dem     terrain; its grid is the study grid (receivers at cell centres)
     * @param sectors transmitters; ground elevation taken from the DEM unless given
     * @throws InvalidArgument for bad options or sectors; OutOfDomain when a site is off the DEM (named).
     */
    CoverageEngine(const Dem& dem, std::vector<Sector> sectors, CoverageOptions options);

    /** @throws Cancelled when `progress` returns false (nothing partial is returned). */
    [[nodiscard]] CoverageMap compute(const ProgressFn& progress = {}) const;

    /**
     * Best-server signal (RSRP for LTE, RSCP for UMTS), dBm, at the centres of the given cells only, every cell
     * with its own profile as in exact mode; NaN where no sector reaches (radius, terrain, model domain). The best
     * server is chosen as in compute(): by signal class where LTE and UMTS sectors compete.
     * For questions about a few places (hamlets, candidate sites) without computing whole rasters.
     * @param only keep the sectors of this technology; all when empty.
     */
    [[nodiscard]] std::vector<float> signal_at(const std::vector<Dem::Cell>& cells, std::optional<Technology> only = {}) const;

    /**
     * One sector's signal (RSRP, RSCP or SS-RSRP), dBm, at arbitrary points of the grid's CRS, each with its own
     * profile as in exact mode, the receiver clutter and the correction included as in the maps; NaN where the
     * terrain or the model gives none, or beyond the sector's radius. For comparing predictions with measurements.
     */
    [[nodiscard]] std::vector<double> sector_signal_at(std::size_t sector, const std::vector<GridPoint>& points) const;

    /** The radius used for a sector, metres. */
    [[nodiscard]] double radius_m(std::size_t sector) const;

    [[nodiscard]] const std::vector<Sector>& sectors() const noexcept { return m_sectors; }
    [[nodiscard]] const CoverageOptions& options() const noexcept { return m_options; }

private:
    /** Sectors a and b have the same path loss everywhere (same mast position, ground, height, frequency and radius);
     *  only their antenna patterns, applied afterwards, differ. */
    [[nodiscard]] bool same_path_loss(std::size_t a, std::size_t b) const;
    // Refuse a map whose rasters would not fit (CoverageOptions::max_memory_bytes), before allocating them.
    void check_memory() const;

    const Dem& m_dem;
    std::vector<Sector> m_sectors;
    CoverageOptions m_options;
    std::vector<GridPoint> m_site_grid;     // antenna positions in the grid CRS
    std::vector<double> m_site_ground_m;    // ground elevation under each antenna
};

/**
 * Signal of one sector at a receiver, dBm (RSRP for LTE, RSCP for UMTS): peak EIRP reduced by the pattern
 * toward the receiver, minus path loss, plus receiver gain.
 * @param azimuth_deg bearing from the antenna to the receiver, degrees clockwise from true north (as Sector::azimuth_deg)
 * @param below_horizon_deg depression angle of the receiver seen from the antenna, degrees
 */
[[nodiscard]] double sector_signal_dbm(const Sector& s, double path_loss_db, double azimuth_deg, double below_horizon_deg,
                                       double rx_gain_dbi, double cpich_fraction);

/** Weakest-class reach in free space, metres: where free-space loss equals the sector's budget down to the lowest class. */
[[nodiscard]] double free_space_reach_m(const Sector& s, const SignalThresholds& thresholds, double rx_gain_dbi,
                                        double cpich_fraction);

} // namespace coverage

#endif // COVERAGE_COVERAGE_MAP_HPP
