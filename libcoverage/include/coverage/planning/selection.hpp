#ifndef COVERAGE_PLANNING_SELECTION_HPP
#define COVERAGE_PLANNING_SELECTION_HPP

// Budgeted selection of items that serve groups of cells, greedy with a bound, and exact for small checks.

#include <cstddef>
#include <string>
#include <vector>

namespace coverage {

/** A problem for budgeted selection: groups of cells (hamlets) with a weight per cell (households in the cell). */
struct SelectionProblem {
    std::vector<std::vector<double>> cell_weight;    ///< per group, per cell
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

} // namespace coverage

#endif // COVERAGE_PLANNING_SELECTION_HPP
