#ifndef COVERAGE_LINK_BUDGET_HPP
#define COVERAGE_LINK_BUDGET_HPP

namespace coverage {

/** Radio access technology of a sector. */
enum class Technology {
    lte,  ///< 4G: signal reported as RSRP
    umts, ///< 3G: signal reported as RSCP
};

/** "4G" (LTE) or "3G" (UMTS), as people say it. */
[[nodiscard]] constexpr const char* generation_name(Technology t) noexcept { return t == Technology::lte ? "4G" : "3G"; }
/** "RSRP" (LTE) or "RSCP" (UMTS): what the signal of this technology is reported as. */
[[nodiscard]] constexpr const char* signal_measure_name(Technology t) noexcept { return t == Technology::lte ? "RSRP" : "RSCP"; }

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

} // namespace coverage

#endif // COVERAGE_LINK_BUDGET_HPP
