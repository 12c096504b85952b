#ifndef COVERAGE_PLANNING_CANDIDATES_HPP
#define COVERAGE_PLANNING_CANDIDATES_HPP

// Places where a new tower could stand: read from a file or found on high ground near dead zones.

#include <coverage/analysis/hamlet_analysis.hpp>
#include <coverage/core/geo.hpp>
#include <coverage/terrain/dem.hpp>

#include <string>
#include <vector>

namespace coverage {

/** A place where a tower could be built. */
struct Candidate {
    std::string candidate_id;
    std::string name;
    GeoPoint location;
    double mast_height_m = 30.0;
    std::string origin = "file"; ///< "file" or "found" (automatic search)
    bool small_cell = false;     ///< a small cell (PlanSettings::small_cell's radio) instead of a tower
};

/**
 * Read candidates from CSV / GeoJSON / GPKG: `candidate_id`, `name`, a position, optional `kind` (`tower`, the default,
 * or `small_cell`: a planner's spot for a small cell) and `mast_height_m` (default `default_mast_m` for towers,
 * `default_small_cell_mast_m` for small cells). @throws naming the file, row and field.
 */
[[nodiscard]] std::vector<Candidate> read_candidates(const std::string& path, double default_mast_m = 30.0,
                                                     double default_small_cell_mast_m = 12.0);

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

} // namespace coverage

#endif // COVERAGE_PLANNING_CANDIDATES_HPP
