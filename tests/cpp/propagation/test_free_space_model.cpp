#include <coverage/core/error.hpp>
#include <coverage/propagation/free_space_model.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace coverage;
using Catch::Matchers::WithinAbs;

TEST_CASE("Free-space loss, ITU-R P.525: 92.45 dB at 1 km and 1 GHz, +6.02 dB per doubling", "[free-space]") {
    CHECK_THAT(free_space_loss_db(1000.0, 1000.0), WithinAbs(92.45, 1e-9));
    CHECK_THAT(free_space_loss_db(2000.0, 1000.0) - free_space_loss_db(1000.0, 1000.0), WithinAbs(20.0 * std::log10(2.0), 1e-12));
    CHECK_THROWS_AS(free_space_loss_db(0.0, 1000.0), OutOfDomain);
    CHECK_THROWS_AS(free_space_loss_db(1000.0, -5.0), OutOfDomain);
}

TEST_CASE("Free-space model uses the slant range between the antennas", "[free-space]") {
    const FreeSpaceModel m;
    // 3 km horizontal, antennas at 100+30 m and 4100+30 m: slant range 5 km.
    TerrainProfile p{std::vector<double>(31, 500.0), 100.0};
    p.elevation_m.front() = 100.0;
    p.elevation_m.back() = 4100.0;
    const LinkParams link{.freq_mhz = 1800.0, .tx_height_agl_m = 30.0, .rx_height_agl_m = 30.0};
    const PathLoss r = m.path_loss(p, link);
    CHECK_THAT(r.loss_db, WithinAbs(32.45 + 20.0 * std::log10(1800.0) + 20.0 * std::log10(5.0), 1e-9));
    CHECK(r.mode == PropagationMode::not_applicable);
    CHECK_THROWS_AS(m.path_loss(p, LinkParams{.freq_mhz = 1800.0, .tx_height_agl_m = -1.0, .rx_height_agl_m = 1.5}), OutOfDomain);
}
