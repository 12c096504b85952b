#ifndef COVERAGE_ANALYSIS_HAMLET_ANALYSIS_HPP
#define COVERAGE_ANALYSIS_HAMLET_ANALYSIS_HPP

// Per-hamlet signal statistics and the dead-zone rule, and their tables (hamlets.csv, hamlets.geojson).

#include <coverage/analysis/hamlet.hpp>
#include <coverage/core/raster.hpp>
#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/coverage/technology_coverage.hpp>
#include <coverage/radio/signal_class.hpp>
#include <coverage/radio/technology.hpp>
#include <coverage/terrain/dem.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/** Signal of one technology over the grid, as the analysis needs it. */
struct TechnologyLayer {
    Technology technology = Technology::lte;
    const Raster<float>* signal_dbm = nullptr;           ///< RSRP (LTE) / RSCP (UMTS), NaN = no signal
    const Raster<std::uint16_t>* best_server = nullptr;  ///< index into sector_ids; 65535 = none
    std::vector<std::string> sector_ids;
    SignalThresholds thresholds;
};

/** Layers for analyse_hamlets() that point into `coverages` (which must outlive them). */
[[nodiscard]] std::vector<TechnologyLayer> technology_layers(const std::vector<TechnologyCoverage>& coverages,
                                                             const CoverageMap& map);

/** When a hamlet counts as a dead zone: fewer than `min_households_share` of its households with at least `min_class` on `technology`. */
struct DeadZoneRule {
    Technology technology = Technology::lte;
    SignalClass min_class = SignalClass::fair;
    double min_households_share = 0.5;
    /** Households judged indoors: the building entry loss subtracted from the outdoor signal of `technology`, dB
     *  (ITU-R P.2109, see indoor_loss_db()); 0: judged by the outdoor signal. */
    double indoor_loss_db = 0.0;

    /** The outdoor signal a household needs on `technology`: min_class's lower bound in `t`, plus indoor_loss_db. */
    [[nodiscard]] double required_dbm(const SignalThresholds& t) const;
    /** Whether a hamlet of `households` with `households_served` of them served is a dead zone: fewer than
     *  min_households_share served; a hamlet where nobody lives never is (nobody is unserved). */
    [[nodiscard]] bool dead_zone(double households, double households_served) const noexcept {
        return households > 0.0 && households_served < min_households_share * households - 1e-9;
    }
    /** Suffix of the served columns of `technology` in hamlets.csv: "_indoor" when judged indoors, else "". */
    [[nodiscard]] const char* served_suffix() const noexcept { return indoor_loss_db > 0.0 ? "_indoor" : ""; }
};

/** One hamlet's signal on one technology. */
struct HamletTechnology {
    Technology technology = Technology::lte;
    std::optional<double> median_dbm;  ///< over the households (cells weighted by households); empty when that quantile has no signal
    std::optional<double> p10_dbm;     ///< 10th percentile (the weakest tenth of the households)
    std::string best_server;           ///< at the hamlet's point; empty when none
    SignalClass median_class = SignalClass::no_service;
    double area_served_share = 0.0;    ///< share of the hamlet's cells (with household points: the cells holding them) at or above the rule's class
    double households_served = 0.0;    ///< households in those cells (spread evenly, or at their household points)
};

struct HamletReport {
    Hamlet hamlet;
    std::size_t cells = 0;
    std::vector<HamletTechnology> technologies; ///< in the order of the layers given
    bool dead_zone = false;
};

/**
 * Per-hamlet statistics over the cells whose centres lie within the settlement radius (at least the cell
 * holding the point).
 * @throws OutOfDomain naming a hamlet that is off the grid; InvalidArgument when the rule's technology has no layer.
 */
[[nodiscard]] std::vector<HamletReport> analyse_hamlets(const Dem& dem, const std::vector<Hamlet>& hamlets,
                                                        const std::vector<TechnologyLayer>& layers, const DeadZoneRule& rule = {});

/** hamlets.csv (one row per hamlet, units in the column names), written atomically. */
void write_hamlets_csv(const std::string& path, const std::vector<HamletReport>& reports, const DeadZoneRule& rule = {});
/** hamlets.geojson (points with the same properties), written atomically. */
void write_hamlets_geojson(const std::string& path, const std::vector<HamletReport>& reports, const DeadZoneRule& rule = {});

} // namespace coverage

#endif // COVERAGE_ANALYSIS_HAMLET_ANALYSIS_HPP
