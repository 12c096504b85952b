#ifndef COVERAGE_PLANNING_HPP
#define COVERAGE_PLANNING_HPP

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/terrain/dem.hpp>
#include <coverage/analysis/fibre_network.hpp>
#include <coverage/analysis/hamlet.hpp>
#include <coverage/core/progress.hpp>
#include <coverage/core/raster.hpp>
#include <coverage/radio/sector.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/**
 * What building costs, US dollars. Defaults and their sources (order-of-magnitude figures: replace them with
 * local quotes before a budget is defended):
 * - fibre: USD 15,850 per km of rural fibre in emerging markets (Analysys Mason, reported by Capacity Media,
 *   "Rural fibre costs 26% of urban fibre", 1 April 2011) for gentle ground; the multipliers for steeper slope
 *   classes (1.5, 2.5, 4) are this project's assumption;
 * - microwave: USD 40,000 per point-to-point link (same source);
 * - tower: USD 200,000 for a new rural base-station site (radiocomponents.com, "USD 100 000 (city) – 200 000
 *   (rural)"), split here as USD 125,000 fixed (equipment, power, civil works) + USD 2,500 per metre of mast
 *   (30 m: USD 200,000) — the split is an assumption;
 * - road factor 0.6, river crossing USD 5,000 and hamlet end point USD 15,000 (small cell or fixed-broadband
 *   node) are assumptions.
 */
struct CostModel {
    std::vector<double> slope_class_upper_deg{10.0, 20.0, 30.0};                 ///< class i: slope < bound i
    std::vector<double> fibre_usd_per_km{15850.0, 23775.0, 39625.0, 63400.0};    ///< one more entry than bounds
    double road_factor = 0.6;           ///< fibre cost multiplier on cells with a road or track
    std::map<int, double> landcover_factor; ///< land-cover class → multiplier (classes not listed: 1)
    double river_crossing_usd = 5000.0;
    double tower_fixed_usd = 125000.0;
    double tower_usd_per_m = 2500.0;    ///< per metre of mast
    double microwave_link_usd = 40000.0;
    double hamlet_endpoint_usd = 15000.0;

    /** @throws InvalidArgument naming the field (sizes, order, negative costs). */
    void validate() const;
    /** Fibre cost per metre on ground of this slope, before road and land-cover factors. */
    [[nodiscard]] double fibre_usd_per_m(double slope_deg) const;
    [[nodiscard]] double tower_usd(double mast_height_m) const { return tower_fixed_usd + tower_usd_per_m * mast_height_m; }
};

/** Optional layers on the DEM's grid (empty rasters = not given). */
struct CostLayers {
    Raster<std::uint8_t> roads;     ///< 1 where a road or track runs
    Raster<std::uint8_t> rivers;    ///< 1 on a river
    Raster<float> landcover;        ///< land-cover class per cell (NaN = unknown)
};

/**
 * Rasterize a vector layer (lines or polygons; any OGR format and CRS) onto the DEM's grid: 1 in every cell a
 * feature touches. @throws IoError / InvalidArgument naming the file.
 */
[[nodiscard]] Raster<std::uint8_t> rasterize_vector(const std::string& path, const Dem& dem);

/** A raster (e.g. land cover) resampled to the DEM's grid by nearest neighbour. @throws IoError naming the file. */
[[nodiscard]] Raster<float> read_raster_on_grid(const std::string& path, const Dem& dem);

/** Cost of laying fibre per metre through each cell, USD; +∞ where there is no terrain. */
class CostSurface {
public:
    CostSurface(const Dem& dem, const CostModel& model, const CostLayers& layers = {});
    [[nodiscard]] const Raster<float>& usd_per_m() const noexcept { return m_cost; }
    [[nodiscard]] bool river(int col, int row) const noexcept;
    [[nodiscard]] const CostModel& model() const noexcept { return m_model; }

private:
    Raster<float> m_cost;
    Raster<std::uint8_t> m_rivers;
    CostModel m_model;
};

/** A least-cost fibre route from the existing network to a target. */
struct Route {
    bool reachable = false;
    double cost_usd = 0.0;          ///< laying cost along the route, river crossings included
    double length_m = 0.0;
    int river_crossings = 0;
    std::vector<GeoPoint> path;     ///< from the network to the target (WGS84)
};

/**
 * Least-cost routes from anywhere on the existing fibre to any cell: one multi-source Dijkstra over the cost
 * surface with 16 neighbours (the 8 adjacent cells and the 8 knight moves), each step costing its length times
 * the mean cost of the cells it crosses, plus the crossing cost when it enters a river. Built once, queried per
 * target. Immutable after construction.
 */
class FibreRouter {
public:
    /** @throws InvalidArgument when no fibre lies on the grid. */
    FibreRouter(const Dem& dem, const CostSurface& cost, const FibreNetwork& network);
    /** The route to the cell holding `target`; unreachable when cut off by cells without terrain or off the grid. */
    [[nodiscard]] Route route_to(GeoPoint target) const;
    [[nodiscard]] double cost_to(GeoPoint target) const; ///< +∞ when unreachable

private:
    const Dem& m_dem;
    std::vector<double> m_cost;        // per cell, USD
    std::vector<std::int32_t> m_from;  // previous cell, -1 at a source
    std::vector<std::int32_t> m_crossings;
    [[nodiscard]] std::optional<std::size_t> index_of(GeoPoint p) const;
};

/** A place where a tower could be built. */
struct Candidate {
    std::string candidate_id;
    std::string name;
    GeoPoint location;
    double mast_height_m = 30.0;
    std::string origin = "file"; ///< "file" or "found" (automatic search)
};

/**
 * Read candidates from CSV / GeoJSON / GPKG: `candidate_id`, `name`, a position, optional `mast_height_m`
 * (default `default_mast_m`). @throws naming the file, row and field.
 */
[[nodiscard]] std::vector<Candidate> read_candidates(const std::string& path, double default_mast_m = 30.0);

/** Automatic candidate search around dead-zone hamlets. */
struct CandidateSearch {
    double search_radius_m = 2000.0;  ///< look for high points within this distance of each dead-zone hamlet
    double min_spacing_m = 1000.0;    ///< no two candidates (found or given) closer than this
    int per_hamlet = 1;               ///< how many per dead-zone hamlet
    double mast_height_m = 30.0;
};

/**
 * The highest local peaks (cells higher than their 8 neighbours) within the search radius of each dead-zone
 * hamlet, at least min_spacing_m from each other and from `existing` candidates.
 */
[[nodiscard]] std::vector<Candidate> find_candidates(const Dem& dem, const std::vector<HamletReport>& reports,
                                                     const CandidateSearch& search, const std::vector<Candidate>& existing = {});

/** How a new tower is connected to the network. */
struct Backhaul {
    enum class Kind { none, fibre, microwave };
    Kind kind = Kind::none;
    double cost_usd = 0.0;
    Route fibre;                     ///< kind == fibre
    std::string microwave_to;        ///< kind == microwave: the fibred site
    GeoPoint microwave_to_location;
    double microwave_distance_m = 0.0;
    double microwave_fresnel_clear_pct = 0.0;
    std::string why_none;            ///< kind == none: why neither works
};

/** Microwave backhaul rules. */
struct MicrowaveRules {
    double freq_mhz = 15000.0;
    double max_distance_m = 30000.0;
    double min_fresnel_clear_pct = 60.0;   ///< of the first Fresnel zone, at the worst point
    double k_factor = 4.0 / 3.0;
    double fibred_site_max_distance_m = 300.0; ///< an existing site this close to the fibre counts as fibred
};

/** A problem for budgeted selection: groups of cells (hamlets) with a weight per cell (households per cell). */
struct SelectionProblem {
    std::vector<double> cell_weight;                 ///< per group
    std::vector<std::vector<std::uint8_t>> base;     ///< per group, per cell: 1 already served
    struct Item {
        double cost = 0.0;
        std::vector<std::vector<std::uint32_t>> serves; ///< per group, the cells this item serves
    };
    std::vector<Item> items;
};

/** The outcome of a selection: items in the order chosen, each with its marginal value. */
struct Selection {
    std::vector<std::size_t> order;
    std::vector<double> gains;    ///< value added by each chosen item, in order
    double value = 0.0;           ///< total value added (existing coverage not counted)
    double cost = 0.0;
    double upper_bound = 0.0;     ///< no selection within the budget adds more than this (data-dependent bound)
    std::size_t evaluations = 0;  ///< marginal-value evaluations (lazy greedy)
};

/**
 * Budgeted maximum coverage by lazy greedy (CELF, Leskovec et al. 2007): the better of the cost-effectiveness
 * greedy and the greedy that starts from the best single item; guaranteed ≥ (1 − 1/e)/2 of the optimum.
 * `upper_bound` is the online bound value(S) + the fractional knapsack of the remaining marginal values.
 */
[[nodiscard]] Selection select_greedy(const SelectionProblem& problem, double budget);

/** The optimum by enumeration (at most 22 items), for checking the greedy on small instances. */
[[nodiscard]] Selection select_exact(const SelectionProblem& problem, double budget);

/** Planning settings. */
struct PlanSettings {
    double budget_usd = 0.0;
    CostModel costs;
    CandidateSearch search;
    bool find_candidates = true;
    bool fibre_to_hamlets = true;       ///< consider fibre extensions to dead-zone hamlets (small cell / fixed broadband)
    MicrowaveRules microwave;
    std::vector<Sector> tower_sectors;  ///< radio template of a new tower (location ignored); default: 3 LTE 1800 sectors
};

/** One step of a plan, or an option that could not be built. */
struct PlanStep {
    int step = 0;                       ///< 1.. for chosen actions; 0 for options not chosen or impossible
    enum class Action { tower, fibre_extension } action = Action::tower;
    std::string target_id;              ///< candidate id or hamlet id
    std::string name;
    GeoPoint location;
    double mast_height_m = 0.0;         ///< towers
    Backhaul backhaul;                  ///< towers: fibre or microwave; fibre extensions: the route (kind fibre)
    double cost_usd = 0.0;
    double households_new = 0.0;        ///< newly served when added (chosen steps), or alone (others)
    double households_cumulative = 0.0;
    double cost_cumulative_usd = 0.0;
    std::vector<std::string> hamlets;   ///< hamlets where it connects households not connected today
    bool feasible = true;
    std::string note;                   ///< why impossible, or why not chosen
};

struct Plan {
    std::vector<PlanStep> steps;        ///< chosen, in order
    std::vector<PlanStep> not_chosen;   ///< feasible but not chosen (budget or no gain)
    std::vector<PlanStep> impossible;   ///< unreachable targets, never dropped
    double budget_usd = 0.0;
    double households_unserved_before = 0.0;
    double households_new = 0.0;
    double cost_usd = 0.0;
    double upper_bound_households = 0.0; ///< no plan within the budget serves more new households than this
    std::size_t candidates = 0;
    std::size_t selection_evaluations = 0; ///< marginal-value evaluations of the lazy greedy
};

/**
 * Plan within a budget: candidates (given and found) get a backhaul (fibre route or microwave to a fibred
 * existing site, the cheaper feasible), their coverage of the hamlets' cells from the coverage engine; dead-zone
 * hamlets get a fibre-extension option; then budgeted greedy selection, overlaps counted once.
 * @param existing_signal_dbm the rule's technology from the existing towers on the DEM's grid (NaN = none).
 * @param existing the existing sectors (fibred ones are microwave backhaul end points).
 * @throws InvalidArgument for bad settings; Cancelled.
 */
[[nodiscard]] Plan plan_network(const Dem& dem, const std::vector<HamletReport>& reports, const DeadZoneRule& rule,
                                const SignalThresholds& thresholds, const Raster<float>& existing_signal_dbm,
                                const std::vector<Sector>& existing,
                                const FibreNetwork& fibre, const CostSurface& cost, const std::vector<Candidate>& given,
                                const PlanSettings& settings, const CoverageOptions& coverage, const ProgressFn& progress = {});

/** plan.csv: chosen steps in order, then options not chosen and impossible ones, with the reason; atomically. */
void write_plan_csv(const std::string& path, const Plan& plan);
/** plan.geojson: towers (points), fibre routes and microwave hops (lines), hamlet extensions; atomically. */
void write_plan_geojson(const std::string& path, const Plan& plan);

} // namespace coverage

#endif // COVERAGE_PLANNING_HPP
