#ifndef COVERAGE_HAMLET_HPP
#define COVERAGE_HAMLET_HPP

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/terrain/dem.hpp>
#include <coverage/radio/link_budget.hpp>
#include <coverage/core/raster.hpp>
#include <coverage/radio/signal_class.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/** A settlement: a point and the radius its houses spread over, or its outline, with its people. */
struct Hamlet {
    std::string hamlet_id;
    std::string name;
    GeoPoint location;                  ///< the point, or a point inside the outline
    double settlement_radius_m = 300.0; ///< houses lie within this distance of the point (when there is no outline)
    int households = 0;
    int population = 0;
    /** Outline rings in WGS84 (outer rings and holes of one or more polygons, even-odd rule); empty: use the radius. */
    std::vector<std::vector<GeoPoint>> outline;
};

/**
 * The grid cells a hamlet's households live in: cells whose centres lie inside its outline, or within its
 * settlement radius of its point; at least the cell holding its point. Empty when the point is off the grid.
 */
[[nodiscard]] std::vector<Dem::Cell> hamlet_cells(const Dem& dem, const Hamlet& hamlet);

/**
 * Read hamlets from GeoJSON / GeoPackage / CSV through OGR: a point geometry (or lat_deg/lon_deg columns) with an
 * optional `settlement_radius_m` (default 300 m), or a Polygon / MultiPolygon outline (its point: GDAL's point
 * on surface); `name`, `households`, `population`, optional `hamlet_id` (default H<row>).
 * @throws IoError when unreadable; InvalidArgument naming the file, feature and field (missing name, negative
 *         households, a geometry that is not a point, ...).
 */
[[nodiscard]] std::vector<Hamlet> read_hamlets(const std::string& path);

/** Signal of one technology over the grid, as the analysis needs it. */
struct TechnologyLayer {
    Technology technology = Technology::lte;
    const Raster<float>* signal_dbm = nullptr;           ///< RSRP (LTE) / RSCP (UMTS), NaN = no signal
    const Raster<std::uint16_t>* best_server = nullptr;  ///< index into sector_ids; 65535 = none
    std::vector<std::string> sector_ids;
    SignalThresholds thresholds;
};

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

/** Layers for analyse_hamlets() that point into `coverages` (which must outlive them). */
[[nodiscard]] std::vector<TechnologyLayer> technology_layers(const std::vector<TechnologyCoverage>& coverages,
                                                             const CoverageMap& map);

/** When a hamlet counts as a dead zone: fewer than `min_households_share` of its households with at least `min_class` on `technology`. */
struct DeadZoneRule {
    Technology technology = Technology::lte;
    SignalClass min_class = SignalClass::fair;
    double min_households_share = 0.5;
};

/** One hamlet's signal on one technology. */
struct HamletTechnology {
    Technology technology = Technology::lte;
    std::optional<double> median_dbm;  ///< over the settlement's cells; empty when that quantile has no signal
    std::optional<double> p10_dbm;     ///< 10th percentile (the weakest tenth of the area)
    std::string best_server;           ///< at the hamlet's point; empty when none
    SignalClass median_class = SignalClass::no_service;
    double area_served_share = 0.0;    ///< share of the cells at or above the rule's class
    double households_served = 0.0;    ///< households × area share (houses assumed spread evenly)
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

#endif // COVERAGE_HAMLET_HPP
