#ifndef COVERAGE_PLANNING_PLAN_HPP
#define COVERAGE_PLANNING_PLAN_HPP

// The plan: what to build first within a budget (towers with their backhaul, fibre extensions to hamlets), its tables.

#include <coverage/analysis/fibre_network.hpp>
#include <coverage/analysis/hamlet_analysis.hpp>
#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/core/progress.hpp>
#include <coverage/core/raster.hpp>
#include <coverage/planning/backhaul.hpp>
#include <coverage/planning/candidates.hpp>
#include <coverage/planning/cost_surface.hpp>
#include <coverage/planning/fibre_router.hpp>
#include <coverage/planning/selection.hpp>
#include <coverage/radio/sector.hpp>
#include <coverage/terrain/dem.hpp>

#include <memory>
#include <string>
#include <vector>

namespace coverage {

namespace detail {
struct PlanOptionSet;
}
struct UncertaintyResult;

/**
 * The radio of a small cell at a hamlet: one omni sector of the dead-zone technology on the new towers' band. Defaults
 * for a typical rural outdoor LTE small cell: 5 W (37 dBm) at the antenna connector, within 3GPP TS 36.104 §6.2.1's
 * Medium Range base-station class (≤ 38 dBm); a 6 dBi omni antenna, 1 dB of jumper loss and a 12 m pole (assumptions).
 */
struct SmallCellRadio {
    double mast_height_m = 12.0;
    double tx_power_dbm = 37.0;
    double antenna_gain_dbi = 6.0;
    double cable_loss_db = 1.0;
    /** Where it may stand: within this distance of the hamlet's point, where the fibre to the hamlet ends (walking
     *  distance); the spot that serves most of the hamlet's households is chosen. */
    double placement_radius_m = 300.0;
};

/** Planning settings. */
struct PlanSettings {
    double budget_usd = 0.0;            ///< one budget; with phase_budgets_usd, their sum (the caller keeps them equal)
    /** Phased budgets, one per year: year 1's steps are chosen within its budget, year 2's within its own starting from
     *  the network year 1 built, and so on; money not spent in a year is not carried over. Empty: one phase. */
    std::vector<double> phase_budgets_usd;
    CostModel costs;
    CandidateSearch search;
    bool find_candidates = true;
    bool fibre_to_hamlets = true;       ///< consider fibre to dead-zone hamlets: a small cell there, and fibre to the home
    SmallCellRadio small_cell;
    /** Fibre to the home: a node at the hamlet's point, drops to the households within this straight-line distance of
     *  it (each drop costs CostModel::ftth_drop_usd_per_household); 0: no FTTH option. */
    double ftth_max_drop_m = 500.0;
    MicrowaveRules microwave;
    std::vector<Sector> tower_sectors;  ///< radio template of a new tower (location ignored); default: 3 LTE 1800 sectors
};

/** One step of a plan, or an option that could not be built. */
struct PlanStep {
    int step = 0;                       ///< 1.. for chosen actions; 0 for options not chosen or impossible
    int phase = 0;                      ///< chosen steps: the year (1..) of the phased budget that pays for it
    /** A tower (new site, its sectors like the network's), a small cell (one omni sector, SmallCellRadio) or fibre to
     *  the home (FTTH: fixed broadband to the households within the drop length of a node). */
    enum class Action { tower, small_cell, ftth } action = Action::tower;
    std::string target_id;              ///< candidate id, or the hamlet id of a small cell or FTTH at a hamlet
    std::string name;
    GeoPoint location;
    double mast_height_m = 0.0;         ///< towers and small cells
    Backhaul backhaul;                  ///< towers: fibre or microwave; fibre extensions: the route (kind fibre)
    double cost_usd = 0.0;
    double drop_cost_usd = 0.0;         ///< FTTH: the drops (in cost_usd), one per household not served today within reach
    double households_new = 0.0;        ///< newly served when added (chosen steps), or alone (others)
    double households_cumulative = 0.0;
    double cost_cumulative_usd = 0.0;
    std::vector<std::string> hamlets;   ///< hamlets where it connects households not connected today
    bool feasible = true;
    /** Why an option is impossible or not chosen, for words in any language (note holds the English). */
    enum class Why { chosen, outside_terrain, no_backhaul, no_fibre, no_route, serves_none, over_budget, already_served };
    Why why = Why::chosen;
    double budget_left_usd = 0.0;       ///< why == over_budget: what was left of the budget
    std::string note;                   ///< why impossible, or why not chosen
};

/** The action's name in plan.csv, plan.geojson and run.json: "tower", "small_cell" or "ftth". */
[[nodiscard]] const char* to_string(PlanStep::Action action) noexcept;

struct Plan {
    std::vector<PlanStep> steps;        ///< chosen, in order
    std::vector<PlanStep> not_chosen;   ///< feasible but not chosen (budget or no gain)
    std::vector<PlanStep> impossible;   ///< unreachable targets, never dropped
    double budget_usd = 0.0;
    std::vector<double> phase_budgets_usd;   ///< one per year (a single phase: {budget_usd})
    double households_unserved_before = 0.0;
    double households_new = 0.0;
    double cost_usd = 0.0;
    double upper_bound_households = 0.0; ///< no plan within the budget serves more new households than this
    std::size_t candidates = 0;
    std::size_t selection_evaluations = 0; ///< marginal-value evaluations of the lazy greedy
    /** What the plan chose from, kept for assess_uncertainty() (which chooses again under other costs and signals). */
    std::shared_ptr<const detail::PlanOptionSet> option_set;
};

/**
 * Plan within a budget: candidates (given and found) get a backhaul (fibre route or microwave to a fibred
 * existing site, the cheaper feasible), their coverage of the households' cells from the coverage engine; each dead-zone
 * hamlet gets a small cell (at the spot near it that serves most of its households, its coverage from the same engine)
 * and an FTTH option; then budgeted greedy selection, overlaps counted once, households where they live.
 * @param existing_signal_dbm the rule's technology from the existing towers on the DEM's grid (NaN = none).
 * @param existing the existing sectors (fibred ones are microwave backhaul end points).
 * @throws InvalidArgument for bad settings; Cancelled.
 */
[[nodiscard]] Plan plan_network(const Dem& dem, const std::vector<HamletReport>& reports, const DeadZoneRule& rule,
                                const SignalThresholds& thresholds, const Raster<float>& existing_signal_dbm,
                                const std::vector<Sector>& existing,
                                const FibreNetwork& fibre, const CostSurface& cost, const std::vector<Candidate>& given,
                                const PlanSettings& settings, const CoverageOptions& coverage, const ProgressFn& progress = {});

/** plan.csv: chosen steps in order, then options not chosen and impossible ones, with the reason; atomically. With
 *  `uncertainty`, the column in_plan_pct: how often each option is in the plan across the Monte Carlo's trials. */
void write_plan_csv(const std::string& path, const Plan& plan, const UncertaintyResult* uncertainty = nullptr);

/**
 * Why an option is not in the plan, in `language`'s words ("vi", "en"; empty for a chosen step). plan.csv's `note`
 * is the English, `note_vi` the Vietnamese. @throws InvalidArgument for a language without a catalogue.
 */
[[nodiscard]] std::string plan_step_note(const PlanStep& step, const std::string& language);
/** plan.geojson: towers (points), fibre routes and microwave hops (lines), hamlet extensions; atomically. */
void write_plan_geojson(const std::string& path, const Plan& plan);

} // namespace coverage

#endif // COVERAGE_PLANNING_PLAN_HPP
