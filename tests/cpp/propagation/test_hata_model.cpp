#include <coverage/core/error.hpp>
#include <coverage/propagation/hata_model.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace coverage;
using Catch::Matchers::WithinAbs;

// Expected values evaluated by hand (Python) from Hata (1980) eqs. (4)-(8) and COST 231 §4.4.1,
// for f = 900 MHz / 1800 MHz, h_b = 30 m, h_m = 1.5 m, d = 5 km.
TEST_CASE("Okumura-Hata urban / suburban / open", "[hata]") {
    using E = HataModel::Environment;
    const auto loss = [](E env) {
        return HataModel(HataModel::Variant::okumura_hata, env).loss(5000.0, 900.0, 30.0, 1.5).loss_db;
    };
    CHECK_THAT(loss(E::urban), WithinAbs(151.0244041, 1e-6));
    CHECK_THAT(loss(E::suburban), WithinAbs(141.0817968, 1e-6));
    CHECK_THAT(loss(E::open), WithinAbs(122.5179860, 1e-6));
}

TEST_CASE("COST-231 Hata urban (C_m = 3 dB) / suburban / open", "[hata]") {
    using E = HataModel::Environment;
    const auto loss = [](E env) {
        return HataModel(HataModel::Variant::cost231, env).loss(5000.0, 1800.0, 30.0, 1.5).loss_db;
    };
    CHECK_THAT(loss(E::urban), WithinAbs(163.8180653, 1e-6));
    CHECK_THAT(loss(E::suburban), WithinAbs(160.8180653, 1e-6));
    CHECK_THAT(loss(E::open), WithinAbs(128.8945107, 1e-6));
}

TEST_CASE("Hata: loss grows 10*(44.9-6.55 log h_b) dB per decade of distance", "[hata]") {
    const HataModel m;
    const double l1 = m.loss(2000.0, 900.0, 40.0, 1.5).loss_db;
    const double l2 = m.loss(20000.0, 900.0, 40.0, 1.5).loss_db;
    CHECK_THAT(l2 - l1, WithinAbs(44.9 - 6.55 * std::log10(40.0), 1e-9));
}

TEST_CASE("Hata validity ranges: strict throws naming the input, warn flags it", "[hata]") {
    const HataModel strict;
    const HataModel warn(HataModel::Variant::okumura_hata, HataModel::Environment::urban, HataModel::Validity::warn);
    // Frequency outside the variant's band is always an error.
    CHECK_THROWS_WITH(strict.loss(5000.0, 1800.0, 30.0, 1.5), Catch::Contains("freq_mhz = 1800"));
    CHECK_THROWS_AS(warn.loss(5000.0, 100.0, 30.0, 1.5), OutOfDomain);
    CHECK_THROWS_AS(HataModel(HataModel::Variant::cost231).loss(5000.0, 900.0, 30.0, 1.5), OutOfDomain);
    // Distance, base height and mobile height.
    CHECK_THROWS_WITH(strict.loss(500.0, 900.0, 30.0, 1.5), Catch::Contains("distance_km = 0.5"));
    CHECK_THROWS_WITH(strict.loss(5000.0, 900.0, 20.0, 1.5), Catch::Contains("tx_height_agl_m = 20"));
    CHECK_THROWS_WITH(strict.loss(5000.0, 900.0, 30.0, 12.0), Catch::Contains("rx_height_agl_m = 12"));
    const PathLoss r = warn.loss(500.0, 900.0, 20.0, 1.5);
    CHECK((r.warnings & warning::hata_distance) != 0U);
    CHECK((r.warnings & warning::hata_tx_height) != 0U);
    CHECK((r.warnings & warning::hata_rx_height) == 0U);
    CHECK_THROWS_AS(strict.loss(5000.0, 900.0, -30.0, 1.5), OutOfDomain);
}

TEST_CASE("Hata over a profile uses its length and the antenna heights above ground", "[hata]") {
    const HataModel m;
    const TerrainProfile p{std::vector<double>(51, 250.0), 100.0}; // 5 km
    const LinkParams link{.freq_mhz = 900.0, .tx_height_agl_m = 30.0, .rx_height_agl_m = 1.5};
    CHECK_THAT(m.path_loss(p, link).loss_db, WithinAbs(151.0244041, 1e-6));
    CHECK(m.name() == "hata (urban)");
}
