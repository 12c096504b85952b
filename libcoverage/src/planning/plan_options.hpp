#ifndef COVERAGE_PLANNING_PLAN_OPTIONS_HPP
#define COVERAGE_PLANNING_PLAN_OPTIONS_HPP

// What a plan chooses from, and the choice itself: shared by plan_network and assess_uncertainty, which chooses again
// under other costs and other signals.

#include <coverage/analysis/hamlet.hpp>
#include <coverage/planning/plan.hpp>
#include <coverage/planning/selection.hpp>

#include <cstdint>
#include <vector>

namespace coverage::detail {

/** Multipliers of each cost item (1: as the study sets them). */
struct CostFactors {
    double tower = 1.0;       ///< tower fixed part and per metre of mast
    double fibre = 1.0;       ///< every route's cost (per-km costs and crossings scaled alike, so the route stays the same)
    double microwave = 1.0;
    double small_cell = 1.0;
    double ftth = 1.0;        ///< node and drops
};

struct PlanOptionSet {
    std::vector<std::string> hamlet_names;
    /** Every household cell of every hamlet, hamlet after hamlet (household_cells() order). */
    std::vector<HouseholdCell> cells;
    std::vector<std::size_t> cell_hamlet;    ///< the hamlet of each cell
    std::vector<std::size_t> first_cell;     ///< per hamlet, its first cell's index (and one past the last at the end)
    std::vector<float> existing_dbm;         ///< the rule's technology from the existing network, per cell (NaN none)
    double min_dbm = 0.0;                    ///< what a household needs (indoors: with the entry loss)
    struct Option {
        PlanStep step;                       ///< as built; cost_usd the sum of the parts below with factors 1
        std::vector<float> signal_dbm;       ///< towers and small cells: their signal at every cell
        std::vector<std::uint32_t> reach;    ///< FTTH: the cells within drop length of the node
        double equipment_usd = 0.0;          ///< tower, small cell or FTTH node
        double fibre_usd = 0.0;              ///< backhaul or feeder route
        double microwave_usd = 0.0;
    };
    std::vector<Option> options;             ///< feasible ones
    std::vector<PlanStep> impossible;
    double drop_usd_per_household = 0.0;
    std::vector<double> phases;              ///< budgets, one per year
    double budget_usd = 0.0;
    std::size_t candidates = 0;
};

/**
 * The selection problem of `set` with the signals moved by `error_db` (per cell, added to every prediction there; null:
 * none) and costs by `factors`. `drop_usd` gets each option's drop cost (FTTH: households not served in `problem.base`).
 */
[[nodiscard]] SelectionProblem selection_problem(const PlanOptionSet& set, const double* error_db, const CostFactors& factors,
                                                 std::vector<double>& drop_usd);

/** The plan year by year from a problem of `set` (selection_problem); steps, reasons and bound filled in. */
[[nodiscard]] Plan choose_plan(const PlanOptionSet& set, const SelectionProblem& problem, const std::vector<double>& drop_usd,
                               std::vector<std::size_t>* chosen_options = nullptr);

} // namespace coverage::detail

#endif // COVERAGE_PLANNING_PLAN_OPTIONS_HPP
