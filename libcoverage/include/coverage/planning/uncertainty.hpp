#ifndef COVERAGE_PLANNING_UNCERTAINTY_HPP
#define COVERAGE_PLANNING_UNCERTAINTY_HPP

// How sure the ranking and the plan are: a Monte Carlo over the priority weights, the costs and the prediction itself.

#include <coverage/analysis/fibre_network.hpp>
#include <coverage/analysis/hamlet_analysis.hpp>
#include <coverage/analysis/priorities.hpp>
#include <coverage/planning/plan.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/** A value drawn uniformly between low and high in each trial (low == high: fixed). */
struct UniformRange {
    double low = 1.0;
    double high = 1.0;
};

/**
 * What is uncertain, and how much. Defaults for the prediction's error: σ 8 dB with a correlation distance of 120 m,
 * the shadow fading of 3GPP TR 38.901 (Table 7.4.1-1, RMa NLOS; Table 7.5-6, its decorrelation distance) — the scale
 * of what an uncalibrated prediction gets wrong at a place; a calibration's held-out σ replaces it.
 */
struct UncertaintySettings {
    int trials = 200;
    std::uint64_t seed = 1;
    double model_error_db = 8.0;              ///< σ of the prediction's error at a place, dB (0: the prediction is taken as exact)
    double model_error_correlation_m = 120.0; ///< its correlation distance (exponential: ρ = exp(-d / this))
    /** Ranges of the four priority weights (absolute values, as in the study); empty: the study's weight. */
    std::optional<UniformRange> weight_households_unserved, weight_fibre_distance, weight_tower_distance, weight_terrain_difficulty;
    /** Multipliers of each cost item; {1, 1}: as set. */
    UniformRange tower_cost_factor, fibre_cost_factor, microwave_cost_factor, small_cell_cost_factor, ftth_cost_factor;
    int threads = 0;                          ///< 0: all cores (the results do not depend on it)

    /** @throws InvalidArgument naming the field (trials 1..100000, σ 0..30 dB, correlation 1..100000 m, ranges ordered, >= 0). */
    void validate() const;
};

/** How often an option of the plan is chosen across the trials. */
struct OptionStability {
    PlanStep::Action action = PlanStep::Action::tower;
    std::string target_id;
    std::string name;
    int step = 0;                  ///< its step in the deterministic plan (0: not chosen there)
    double in_plan_share = 0.0;
};

struct UncertaintyResult {
    UncertaintySettings settings;                ///< as run (the model error as applied)
    std::string model_error_source;              ///< "calibration", "study" or "default"
    std::vector<RankStability> ranks;            ///< every hamlet that is a dead zone in some trial: deterministic order, then the others by name
    std::vector<OptionStability> options;        ///< the plan's options: chosen steps in order, then the others (empty without a plan)
    std::vector<double> households_connected;    ///< per trial: households the plan connects within the budget
    std::vector<double> cost_usd;                ///< per trial: what that plan costs
    double households_p10 = 0.0, households_p50 = 0.0, households_p90 = 0.0;
    double seconds = 0.0;
};

/**
 * Monte Carlo over the priority weights, the costs and the prediction: in each trial a spatially correlated error field
 * (per hamlet, on blocks of max(cell, correlation / 5), made larger until a hamlet has at most 400; hamlets
 * independent) is added to every prediction at the
 * households' cells — today's network and every option's — the dead zones and their unserved households follow, they
 * are ranked with drawn weights, and (with a plan) the plan is chosen again with drawn costs. Trial t draws from its own
 * generator seeded by (seed, t), so the result is the same for any number of threads.
 * @param priorities the deterministic ranking (its order and factors); @param plan the deterministic plan, or null.
 * @throws InvalidArgument for bad settings.
 */
[[nodiscard]] UncertaintyResult assess_uncertainty(const Dem& dem, const std::vector<HamletReport>& reports, const DeadZoneRule& rule,
                                                   const SignalThresholds& thresholds, const Raster<float>& existing_signal_dbm,
                                                   const FibreNetwork& fibre, const std::vector<Sector>& towers,
                                                   const PriorityWeights& weights, const std::vector<DeadZonePriority>& priorities,
                                                   const Plan* plan, const UncertaintySettings& settings);

/** uncertainty_households.csv: per trial the households connected and the cost; atomically. */
void write_uncertainty_csv(const std::string& path, const UncertaintyResult& result);

} // namespace coverage

#endif // COVERAGE_PLANNING_UNCERTAINTY_HPP
