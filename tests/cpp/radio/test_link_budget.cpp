#include <coverage/core/error.hpp>
#include <coverage/radio/link_budget.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace coverage;
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
