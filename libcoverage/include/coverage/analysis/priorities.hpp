#ifndef COVERAGE_PRIORITIES_HPP
#define COVERAGE_PRIORITIES_HPP

#include <coverage/terrain/dem.hpp>
#include <coverage/analysis/fibre_network.hpp>
#include <coverage/analysis/hamlet_analysis.hpp>
#include <coverage/radio/sector.hpp>

#include <string>
#include <vector>

namespace coverage {

/**
 * Weights of the dead-zone priority score. Each factor is first turned into a part between 0 and 1
 * relative to the other dead zones, so that a higher part always means "serve sooner":
 * - households: unserved households ÷ the most unserved households of any dead zone;
 * - fibre: 1 − distance to the nearest existing fibre ÷ the largest such distance (near fibre = cheap backhaul);
 * - tower: 1 − distance to the nearest existing tower ÷ the largest such distance (near a tower = an upgrade,
 *   a new sector or a repeater may be enough);
 * - terrain: 1 − mean slope around the hamlet ÷ the steepest (gentle terrain = cheaper to build in).
 * score = 100 × Σ weight × part ÷ Σ weight, so scores run from 0 to 100 whatever the weights' scale.
 */
struct PriorityWeights {
    double households_unserved = 0.4;
    double fibre_distance = 0.25;
    double tower_distance = 0.15;
    double terrain_difficulty = 0.2;
    double terrain_radius_m = 1000.0; ///< mean slope is taken over the cells within this distance of the hamlet

    /** @throws InvalidArgument for a negative or non-finite weight, all weights zero, or a radius outside (0, 10 km]. */
    void validate() const;
};

/** What the score is made of, for one hamlet. */
struct PriorityFactors {
    double households_unserved = 0.0;   ///< households without the dead-zone rule's class (area share × households)
    double fibre_distance_m = 0.0;      ///< to the nearest existing fibre
    std::string nearest_fibre_route;
    double tower_distance_m = 0.0;      ///< to the nearest existing site (any technology)
    std::string nearest_tower;          ///< its site_id
    double mean_slope_deg = 0.0;        ///< terrain difficulty: mean slope within terrain_radius_m
};

/** The points (out of 100 in all) each factor contributes. */
struct PriorityPoints {
    double households = 0.0;
    double fibre = 0.0;
    double tower = 0.0;
    double terrain = 0.0;
};

struct DeadZonePriority {
    int rank = 0;                 ///< 1 = serve first
    std::string hamlet_id;
    std::string name;
    int households = 0;
    PriorityFactors factors;
    PriorityPoints points;
    double score = 0.0;           ///< 0..100, the sum of points
    std::string reason;           ///< the rank explained in words (English)
    std::string reason_vi;        ///< the same in Vietnamese (both come from the message catalogues)
};

/**
 * Rank the dead-zone hamlets of `reports` (those with dead_zone set) by the weighted score; ties go to more
 * unserved households, then to the name. Hamlets that are not dead zones are not ranked.
 * @param towers the existing sectors (grouped by site_id for the tower distance).
 * @throws InvalidArgument for bad weights, no towers, or a fibre weight with an empty network.
 */
[[nodiscard]] std::vector<DeadZonePriority> rank_dead_zones(const Dem& dem, const std::vector<HamletReport>& reports,
                                                            const DeadZoneRule& rule, const FibreNetwork& fibre,
                                                            const std::vector<Sector>& towers, const PriorityWeights& weights = {});

/**
 * Points, score and rank of dead zones whose factors are filled in, as rank_dead_zones() gives them (reasons left as
 * they are): each factor relative to the others in `zones`, sorted best first, ties to more unserved households, then
 * to the name. `use_fibre` false: no fibre points.
 */
void score_dead_zones(std::vector<DeadZonePriority>& zones, const PriorityWeights& weights, bool use_fibre);

/** How a dead zone ranks across the trials. */
struct RankStability {
    std::string hamlet_id;
    std::string name;
    int rank = 0;                  ///< the deterministic rank (1..), 0 for a hamlet that is not a dead zone there
    double dead_zone_share = 0.0;  ///< of the trials in which it is a dead zone
    double median_rank = 0.0;      ///< over the trials in which it is a dead zone (0 when never)
    double top3_share = 0.0;       ///< of all trials: ranked first, second or third
    double first_share = 0.0;      ///< of all trials: ranked first
    std::vector<int> rank_counts;  ///< [r] trials where it ranked r + 1; the last entry: trials where it was no dead zone
};

/** Mean slope, degrees, of the DEM cells whose centres lie within `radius_m` of `centre` (at least the cell holding it). */
[[nodiscard]] double mean_slope_deg(const Dem& dem, GridPoint centre, double radius_m);

/**
 * priorities.csv: one row per ranked dead zone, units in the column names, the reason last; written atomically. With
 * `stability` (the Monte Carlo's, by hamlet_id), the columns dead_zone_pct, median_rank, top3_pct and first_pct are
 * filled in (left empty without).
 */
void write_priorities_csv(const std::string& path, const std::vector<DeadZonePriority>& priorities,
                          const std::vector<RankStability>* stability = nullptr);

} // namespace coverage

#endif // COVERAGE_PRIORITIES_HPP
