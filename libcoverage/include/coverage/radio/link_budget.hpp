#ifndef COVERAGE_LINK_BUDGET_HPP
#define COVERAGE_LINK_BUDGET_HPP

#include <coverage/radio/technology.hpp>

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace coverage {

/**
 * A downlink link budget. All terms in dB/dBm/dBi.
 * EIRP = tx_power_dbm + tx_gain_dbi − cable_loss_db;
 * received power = EIRP − path_loss_db + rx_gain_dbi − other_losses_db.
 */
struct LinkBudget {
    double tx_power_dbm = 0.0;   ///< total transmitter power at the connector, dBm
    double tx_gain_dbi = 0.0;    ///< antenna gain toward the receiver, dBi
    double cable_loss_db = 0.0;  ///< feeder, connector and jumper losses, dB (>= 0)
    double path_loss_db = 0.0;   ///< basic transmission loss, dB
    double rx_gain_dbi = 0.0;    ///< receiver antenna gain, dBi (handsets ≈ 0)
    double other_losses_db = 0.0;///< body, building or clutter losses, dB

    [[nodiscard]] double eirp_dbm() const noexcept { return tx_power_dbm + tx_gain_dbi - cable_loss_db; }
    [[nodiscard]] double rx_power_dbm() const noexcept {
        return eirp_dbm() - path_loss_db + rx_gain_dbi - other_losses_db;
    }
    [[nodiscard]] double margin_db(double sensitivity_dbm) const noexcept { return rx_power_dbm() - sensitivity_dbm; }
};

/**
 * LTE resource blocks for a channel bandwidth (3GPP TS 36.101 table 5.6-1):
 * 1.4→6, 3→15, 5→25, 10→50, 15→75, 20→100.
 * @throws InvalidArgument for any other bandwidth (named).
 */
[[nodiscard]] int lte_resource_blocks(double bandwidth_mhz);

/**
 * LTE RSRP: the power of one resource element (15 kHz subcarrier), assuming the total power is spread evenly
 * over the 12·N_RB subcarriers: RSRP = P_total − 10·log10(12·N_RB).
 * @param total_power_dbm received power over the whole channel, dBm.
 */
[[nodiscard]] double rsrp_dbm(double total_power_dbm, double bandwidth_mhz);

/**
 * UMTS RSCP: the received power of the CPICH, which carries a fixed share of the cell's power
 * (typically 10 %, 3GPP TS 25.101/operator practice): RSCP = P_total + 10·log10(cpich_fraction).
 * @param cpich_fraction 0 < fraction <= 1.
 */
[[nodiscard]] double rscp_dbm(double total_power_dbm, double cpich_fraction = 0.1);

/**
 * NR resource blocks for a channel bandwidth and subcarrier spacing (3GPP TS 38.101-1 table 5.3.2-1, maximum
 * transmission bandwidth configuration N_RB). 15 kHz: 5→25, 10→52, 15→79, 20→106, 25→133, 30→160, 35→188,
 * 40→216, 45→242, 50→270; 30 kHz: 5→11, 10→24, 15→38, 20→51, 25→65, 30→78, 35→92, 40→106, 45→119, 50→133,
 * 60→162, 70→189, 80→217, 90→245, 100→273.
 * @throws InvalidArgument for another spacing or a bandwidth the spacing does not have (both named).
 */
[[nodiscard]] int nr_resource_blocks(double bandwidth_mhz, double subcarrier_spacing_khz);

/**
 * NR SS-RSRP: the power of one resource element, assuming the total power is spread evenly over the 12·N_RB
 * subcarriers of the carrier and the SS/PBCH block is sent at that same energy per resource element (no boost):
 * SS-RSRP = P_total − 10·log10(12·N_RB).
 */
[[nodiscard]] double ss_rsrp_dbm(double total_power_dbm, double bandwidth_mhz, double subcarrier_spacing_khz);

/** An NR operating band this library knows (3GPP TS 38.101-1 table 5.2-1, downlink range). */
struct NrBand {
    const char* name;            ///< "n78"
    double dl_low_mhz;
    double dl_high_mhz;
    const char* duplex;          ///< "FDD" or "TDD"
    double default_scs_khz;      ///< the spacing usually deployed: 15 kHz on the FDD bands, 30 kHz on the TDD bands
};

/** n1, n3, n28, n41, n78: the bands of NR in Vietnam (700 MHz, 1800/2100 MHz refarming, 2.6 and 3.7 GHz). */
[[nodiscard]] const std::array<NrBand, 5>& nr_bands() noexcept;

/** The band whose downlink holds `freq_mhz`; nullptr for none. */
[[nodiscard]] const NrBand* nr_band_of(double freq_mhz) noexcept;

/** The channel a sector transmits on, as its signal measure needs it. */
struct ChannelSetting {
    double bandwidth_mhz = 10.0;          ///< LTE and NR channel bandwidth
    double subcarrier_spacing_khz = 15.0; ///< NR only
    double cpich_fraction = 0.1;          ///< UMTS only: the CPICH's share of the cell's power
};

/**
 * A technology's signal measure from the total received power over its channel: LTE RSRP (rsrp_dbm), UMTS RSCP
 * (rscp_dbm), NR SS-RSRP (ss_rsrp_dbm): the power-per-resource formula of each technology's row.
 */
[[nodiscard]] double signal_measure_dbm(Technology t, double total_power_dbm, const ChannelSetting& channel);

/**
 * What is wrong with a technology's channel on a carrier, or "" when nothing is: an LTE bandwidth not in TS 36.101;
 * an NR carrier outside the bands this library knows, a spacing other than 15 or 30 kHz, or a bandwidth the spacing
 * lacks. `field` is set to the column at fault (freq_mhz, bandwidth_mhz or subcarrier_spacing_khz).
 */
[[nodiscard]] std::string channel_problem(Technology t, double freq_mhz, const ChannelSetting& channel, std::string& field);

/** The figures that define a technology's channel, named with units, e.g. {bandwidth_mhz 10, resource_blocks 50}
 *  (LTE), {cpich_fraction 0.1} (UMTS), {bandwidth_mhz 20, subcarrier_spacing_khz 30, resource_blocks 51} (NR).
 *  @throws InvalidArgument as the technology's resource-block table does. */
[[nodiscard]] std::vector<std::pair<std::string, double>> channel_figures(Technology t, const ChannelSetting& channel);

} // namespace coverage

#endif // COVERAGE_LINK_BUDGET_HPP
