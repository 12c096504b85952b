#include <coverage/core/error.hpp>
#include <coverage/radio/link_budget.hpp>
#include <coverage/radio/signal_class.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace coverage;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

TEST_CASE("Link budget: EIRP and received power", "[radio]") {
    const LinkBudget b{.tx_power_dbm = 43.0, .tx_gain_dbi = 17.0, .cable_loss_db = 3.0, .path_loss_db = 130.0,
                       .rx_gain_dbi = 0.0, .other_losses_db = 0.0};
    CHECK_THAT(b.eirp_dbm(), WithinAbs(57.0, 1e-12));
    CHECK_THAT(b.rx_power_dbm(), WithinAbs(-73.0, 1e-12));
    CHECK_THAT(b.margin_db(-100.0), WithinAbs(27.0, 1e-12));
}

TEST_CASE("LTE RSRP subtracts 10 log10(12 N_RB) (TS 36.101 table 5.6-1)", "[radio]") {
    CHECK(lte_resource_blocks(1.4) == 6);
    CHECK(lte_resource_blocks(3) == 15);
    CHECK(lte_resource_blocks(5) == 25);
    CHECK(lte_resource_blocks(10) == 50);
    CHECK(lte_resource_blocks(15) == 75);
    CHECK(lte_resource_blocks(20) == 100);
    CHECK_THROWS_WITH(lte_resource_blocks(7), Catch::Contains("bandwidth_mhz"));
    // 20 MHz: 1200 subcarriers, 30.79 dB below the total.
    CHECK_THAT(rsrp_dbm(-50.0, 20.0), WithinAbs(-50.0 - 10.0 * std::log10(1200.0), 1e-12));
    CHECK_THAT(rsrp_dbm(-50.0, 10.0), WithinAbs(-77.7815125, 1e-6));
}

TEST_CASE("UMTS RSCP is the CPICH share of the received power", "[radio]") {
    CHECK_THAT(rscp_dbm(-60.0), WithinAbs(-70.0, 1e-12));
    CHECK_THAT(rscp_dbm(-60.0, 0.2), WithinAbs(-60.0 + 10.0 * std::log10(0.2), 1e-12));
    CHECK_THROWS_AS(rscp_dbm(-60.0, 0.0), InvalidArgument);
    CHECK_THROWS_AS(rscp_dbm(-60.0, 1.5), InvalidArgument);
}

TEST_CASE("NR: resource blocks per 3GPP TS 38.101-1 table 5.3.2-1, SS-RSRP per resource element, bands", "[linkbudget][nr]") {
    // Spot values of the table (maximum transmission bandwidth configuration N_RB).
    CHECK(nr_resource_blocks(5.0, 15.0) == 25);
    CHECK(nr_resource_blocks(20.0, 15.0) == 106);
    CHECK(nr_resource_blocks(50.0, 15.0) == 270);
    CHECK(nr_resource_blocks(20.0, 30.0) == 51);
    CHECK(nr_resource_blocks(40.0, 30.0) == 106);
    CHECK(nr_resource_blocks(100.0, 30.0) == 273);
    CHECK_THROWS_WITH(nr_resource_blocks(100.0, 15.0), Contains("bandwidth_mhz = 100 is not an NR channel bandwidth at 15 kHz"));
    CHECK_THROWS_WITH(nr_resource_blocks(20.0, 60.0), Contains("subcarrier_spacing_khz = 60 is not supported"));
    // SS-RSRP = total − 10·log10(12·N_RB): 20 MHz at 30 kHz spreads the power over 612 subcarriers.
    CHECK_THAT(ss_rsrp_dbm(-60.0, 20.0, 30.0), WithinAbs(-60.0 - 10.0 * std::log10(612.0), 1e-12));
    CHECK_THAT(ss_rsrp_dbm(-60.0, 20.0, 15.0), WithinAbs(-60.0 - 10.0 * std::log10(1272.0), 1e-12));
    // The technology's formula, from its row: the same numbers through signal_measure_dbm.
    CHECK(signal_measure_dbm(Technology::nr, -60.0, ChannelSetting{.bandwidth_mhz = 20.0, .subcarrier_spacing_khz = 30.0}) ==
          ss_rsrp_dbm(-60.0, 20.0, 30.0));
    CHECK(signal_measure_dbm(Technology::lte, -60.0, ChannelSetting{.bandwidth_mhz = 10.0}) == rsrp_dbm(-60.0, 10.0));
    CHECK(signal_measure_dbm(Technology::umts, -60.0, ChannelSetting{.cpich_fraction = 0.1}) == rscp_dbm(-60.0, 0.1));
    // Bands by their downlink (TS 38.101-1 table 5.2-1), with the usual spacing.
    REQUIRE(nr_band_of(3500.0) != nullptr);
    CHECK(std::string(nr_band_of(3500.0)->name) == "n78");
    CHECK(nr_band_of(3500.0)->default_scs_khz == 30.0);
    CHECK(std::string(nr_band_of(2600.0)->name) == "n41");
    CHECK(std::string(nr_band_of(780.0)->name) == "n28");
    CHECK(std::string(nr_band_of(1842.5)->name) == "n3");
    CHECK(std::string(nr_band_of(2140.0)->name) == "n1");
    CHECK(nr_band_of(2140.0)->default_scs_khz == 15.0);
    CHECK(nr_band_of(900.0) == nullptr);
}

TEST_CASE("The technology table: keys, names and defaults, one row each", "[linkbudget][technology]") {
    for (const TechnologyTraits& t : technology_table) {
        CHECK(&traits(t.technology) == &t);
        CHECK(technology_from(t.key) == t.technology);
        CHECK(SignalThresholds::default_for(t.technology).class_count == t.default_class_count);
    }
    CHECK(std::string(generation_name(Technology::nr)) == "5G");
    CHECK(std::string(signal_measure_name(Technology::nr)) == "SS-RSRP");
    CHECK(std::string(traits(Technology::umts).file_tag) == "3g");
    CHECK_THROWS_WITH(technology_from("gsm"), Contains("unknown technology 'gsm' (lte, umts, nr)"));
}
