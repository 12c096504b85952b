#ifndef COVERAGE_COVERAGE_TECHNOLOGY_COVERAGE_HPP
#define COVERAGE_COVERAGE_TECHNOLOGY_COVERAGE_HPP

// A coverage map split by technology: each technology's own composite (4G RSRP, 3G RSCP, 5G SS-RSRP are separate
// services, classed by their own thresholds).

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/radio/signal_class.hpp>
#include <coverage/radio/technology.hpp>
#include <coverage/terrain/dem.hpp>

#include <vector>

namespace coverage {

/** One technology's own composite (its sectors only), with the thresholds that classify it. */
struct TechnologyCoverage {
    Technology technology = Technology::lte;
    Composite composite;          ///< best_server indexes the map's sectors
    SignalThresholds thresholds;
};

/**
 * Split a map into one composite per technology present among its sectors, in the technology table's order
 * (4G LTE, 3G UMTS, 5G NR).
 * @throws as combine_sectors().
 */
[[nodiscard]] std::vector<TechnologyCoverage> coverage_by_technology(const CoverageMap& map, const Dem& dem,
                                                                     const CoverageOptions& options);

} // namespace coverage

#endif // COVERAGE_COVERAGE_TECHNOLOGY_COVERAGE_HPP
