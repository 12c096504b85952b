#ifndef COVERAGE_SITE_HPP
#define COVERAGE_SITE_HPP

#include <coverage/radio/antenna.hpp>
#include <coverage/core/geo.hpp>
#include <coverage/radio/link_budget.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/**
 * One transmitting sector of a tower: where it is, how high, what it radiates and where it points.
 * A tower with three sectors is three Sectors sharing `site_id` and location.
 */
struct Sector {
    std::string site_id;                   ///< tower identifier (shared by its sectors)
    std::string sector_id;                 ///< unique within the file; default "<site_id>/<row>"
    std::string name;
    GeoPoint location;
    std::optional<double> ground_elev_m;   ///< ground elevation, m above MSL; default: from the DEM
    double height_agl_m = 30.0;            ///< antenna height above ground, m
    Technology technology = Technology::lte;
    double freq_mhz = 1800.0;
    double bandwidth_mhz = 10.0;           ///< LTE and NR channel bandwidth (RSRP, SS-RSRP); UMTS: 5 MHz, not used
    double subcarrier_spacing_khz = 15.0;  ///< NR only (15 or 30 kHz); default: the band's usual spacing
    double tx_power_dbm = 46.0;            ///< total power at the antenna connector
    double antenna_gain_dbi = 14.0;        ///< peak gain
    double cable_loss_db = 0.0;
    double azimuth_deg = 0.0;              ///< boresight, degrees clockwise from true north (not the grid's north)
    double tilt_deg = 0.0;                 ///< mechanical + electrical downtilt, degrees (positive = down)
    std::shared_ptr<const AntennaPattern> pattern = std::make_shared<const AntennaPattern>(); ///< omni by default
    std::string pattern_source = "omni";   ///< the file it came from, or "omni"
    std::string operator_name;
    std::string cell_id;                   ///< the network's cell identity (as a phone logs it, e.g. LTE ECI); "" unknown
    std::optional<int> pci;                ///< physical cell id (LTE, NR) or primary scrambling code (UMTS)

    /** The channel as the technology's signal measure needs it. */
    [[nodiscard]] ChannelSetting channel(double cpich_fraction) const noexcept {
        return ChannelSetting{.bandwidth_mhz = bandwidth_mhz, .subcarrier_spacing_khz = subcarrier_spacing_khz, .cpich_fraction = cpich_fraction};
    }

    /** EIRP at the peak of the pattern, dBm. */
    [[nodiscard]] double peak_eirp_dbm() const noexcept { return tx_power_dbm + antenna_gain_dbi - cable_loss_db; }
};

/**
 * Read sectors from a CSV, GeoJSON or GeoPackage file through OGR, one feature per sector.
 * Columns (units in the names): site_id, name, lat_deg / lon_deg (or a point geometry; or x_m / y_m with
 * a `crs` column), ground_elev_m (optional), height_agl_m, technology (lte | umts | nr), freq_mhz,
 * bandwidth_mhz (default per technology: LTE 10, UMTS 5, NR 20), subcarrier_spacing_khz (NR only; default the band's
 * usual spacing: 15 kHz on n1, n3, n28, 30 kHz on n41, n78), tx_power_dbm, antenna_gain_dbi, cable_loss_db, azimuth_deg, tilt_deg, pattern (an .msi path relative to
 * the sites file, or "omni"/empty), operator, cell_id and pci (how drive-test logs name the serving cell). Required: site_id, a position, height_agl_m, technology,
 * freq_mhz, tx_power_dbm. Others take the defaults documented on Sector.
 * @throws IoError when the file cannot be opened; InvalidArgument naming the file, row (1-based feature
 *         number) and column for a missing, malformed or out-of-range value.
 */
[[nodiscard]] std::vector<Sector> read_sites(const std::string& path);

/** Validate one sector's values (heights, frequency, power, angles). @throws InvalidArgument naming `where` and the field. */
void validate_sector(const Sector& s, const std::string& where);

} // namespace coverage

#endif // COVERAGE_SITE_HPP
