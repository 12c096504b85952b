#ifndef COVERAGE_ANALYSIS_MEASUREMENTS_HPP
#define COVERAGE_ANALYSIS_MEASUREMENTS_HPP
// Drive-test measurements: what a phone logged along the roads, each sample tied to the sector that served it.
#include <coverage/core/geo.hpp>
#include <coverage/radio/sector.hpp>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/** What a sample's level measures. */
enum class MeasuredQuantity {
    rsrp,  ///< LTE RSRP or NR SS-RSRP, dBm per resource element
    rscp,  ///< UMTS CPICH RSCP, dBm
    rssi   ///< total received power over a stated bandwidth, dBm
};
[[nodiscard]] std::string to_string(MeasuredQuantity q);

/** One accepted sample. */
struct Measurement {
    int row = 0;                           ///< 1-based row (feature) of the file
    GeoPoint position;
    double level_dbm = 0.0;                ///< as logged
    MeasuredQuantity quantity = MeasuredQuantity::rsrp;
    std::size_t sector = 0;                ///< index into the sectors the file was read against
    std::optional<double> time_s;          ///< seconds since 1970-01-01 00:00 of the log's clock
    std::optional<double> rx_height_agl_m; ///< the phone's height above ground, when logged
};

/** How measurements are read. */
struct MeasurementOptions {
    /** The bandwidth an `rssi_dbm` column was measured over, MHz; required when the file gives RSSI. */
    std::optional<double> rssi_bandwidth_mhz;
    double min_level_dbm = -150.0;  ///< levels below are refused as implausible (counted)
    double max_level_dbm = -20.0;   ///< levels above are refused as implausible (counted)
};

/** The samples of a file and what was refused, per reason. */
struct MeasurementSet {
    std::string path;
    std::string format;                        ///< "table" (CSV, GeoJSON, GeoPackage) or "G-NetTrack Pro"
    std::size_t rows = 0;                      ///< rows (features) read
    std::vector<Measurement> samples;
    std::optional<double> rssi_bandwidth_mhz;  ///< as MeasurementOptions gave it
    /** Refused rows per reason ("no position fix", "no level", "level outside -150..-20 dBm", "duplicate timestamp",
     *  "serving sector not in the sites file"), and the first such row, for the report. */
    std::map<std::string, std::size_t> refused;
    std::map<std::string, int> first_refused_row;
};

/**
 * Read drive-test samples and tie each to its serving sector.
 *
 * Two layouts. (1) A table (CSV, GeoJSON, GeoPackage; one feature per sample): a position (lat_deg/lon_deg, x_m/y_m
 * with `crs`, or a point geometry); the level as `rsrp_dbm` (LTE, NR), `rscp_dbm` (UMTS) or `rssi_dbm` (with
 * MeasurementOptions::rssi_bandwidth_mhz); the serving sector as `sector_id`, or `cell_id` / `pci` matched against
 * those columns of the sites file (a PCI used by several sectors of the technology goes to the nearest); optional
 * `time` (ISO 8601, e.g. 2026-11-20T08:15:03Z, or seconds) and `rx_height_agl_m`. (2) The tab-separated log of
 * G-NetTrack Pro as the app writes it (columns Timestamp, Longitude, Latitude, NetworkTech, Level, CellID, Node,
 * PSC, ...): Level is RSRP on LTE and NR rows, RSCP on UMTS rows; CellID (or the LTE ECI = Node·256 + CellID) is
 * matched against the sites' cell_id, else PSC against their pci; 2G rows have no sector here.
 *
 * Rows without a fix (no position, or 0,0), without a level, with a level outside the plausible range, repeating an
 * earlier timestamp of the same sector, or served by a sector the sites file lacks are refused and counted per
 * reason, never used. A malformed value (a level that is not a number, a bad time) is an error.
 * @throws IoError when the file cannot be read; InvalidArgument naming file, row and field for a malformed value or a
 *         file with no level column; InvalidArgument when no row is usable.
 */
[[nodiscard]] MeasurementSet read_measurements(const std::string& path, const std::vector<Sector>& sectors,
                                               const MeasurementOptions& options = {});

} // namespace coverage

#endif // COVERAGE_ANALYSIS_MEASUREMENTS_HPP
