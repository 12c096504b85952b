// The incremental radial ITM (fast coverage mode) against fresh point-to-point calls on each prefix.

#include "propagation/itm/radial.hpp"

#include "support/csv.hpp"
#include "support/test_paths.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace coverage;

namespace {

struct Stats {
    std::vector<double> diffs;
    [[nodiscard]] double quantile(double q) {
        std::sort(diffs.begin(), diffs.end());
        return diffs[static_cast<std::size_t>(q * static_cast<double>(diffs.size() - 1))];
    }
};

void compare_on(const std::vector<double>& z, double step_m, double f_mhz, Stats& stats) {
    itm::RadialParams p;
    p.h_tx_m = 30.0;
    p.h_rx_m = 1.5;
    p.f_mhz = f_mhz;
    itm::RadialItm radial(z, step_m, p);
    for (int k = 1; k < static_cast<int>(z.size()); ++k) {
        const itm::Result fast = radial.evaluate(k);
        const itm::Pfl prefix{std::span<const double>(z.data(), static_cast<std::size_t>(k) + 1), step_m};
        const itm::Result exact = itm::p2p_tls(p.h_tx_m, p.h_rx_m, prefix, p.climate, p.n_0, p.f_mhz, p.pol, p.epsilon,
                                               p.sigma, p.mdvar, p.time, p.location, p.situation);
        REQUIRE(exact.rc < 1000);
        REQUIRE(fast.rc < 1000);
        stats.diffs.push_back(std::fabs(fast.a_db - exact.a_db));
    }
}

} // namespace

TEST_CASE("Radial ITM matches fresh p2p calls on every prefix of real profiles", "[itm][radial]") {
    const auto profiles = test::read_number_lines(test::itm_dir + "/p2p_profiles_pfl.csv");
    Stats stats;
    for (const auto& pfl : profiles) {
        const std::vector<double> z(pfl.begin() + 2, pfl.end());
        // The first 1000 points of the long profile are enough (100 km).
        const std::vector<double> head(z.begin(), z.begin() + static_cast<long>(std::min<std::size_t>(z.size(), 1000)));
        compare_on(head, pfl[1], 1800.0, stats);
        compare_on(head, pfl[1], 700.0, stats);
        // Spacings a real coverage map uses (30 m, 12.5 m) as well as the NTIA profiles' own.
        compare_on(head, 30.0, 1800.0, stats);
        compare_on(head, 12.5, 900.0, stats);
    }
    const double median = stats.quantile(0.5);
    const double p99 = stats.quantile(0.99);
    const double max = stats.quantile(1.0);
    std::printf("[itm radial] %zu paths: median |diff| %.2e dB, p99 %.2e dB, max %.2e dB\n", stats.diffs.size(), median, p99, max);
    // Prefix sums change only the rounding; horizons and fit windows are found exactly as NTIA finds them.
    CHECK(median < 1e-9);
    CHECK(p99 < 1e-6);
    CHECK(max < 1e-6);
}

TEST_CASE("p2p with a given delta h: its own delta h gives the same loss, another one the loss of that delta h", "[itm][radial]") {
    // Fast mode's cells with profiles of their own take delta h from the radials around them.
    const auto profiles = test::read_number_lines(test::itm_dir + "/p2p_profiles_pfl.csv");
    itm::RadialParams p;
    p.h_tx_m = 30.0;
    p.h_rx_m = 1.5;
    p.f_mhz = 1800.0;
    int checked = 0;
    for (const auto& pfl : profiles) {
        const std::vector<double> z(pfl.begin() + 2, pfl.begin() + static_cast<long>(std::min<std::size_t>(pfl.size(), 402)));
        const itm::Pfl profile{std::span<const double>(z), pfl[1]};
        const itm::Result own = itm::p2p_tls(p.h_tx_m, p.h_rx_m, profile, p.climate, p.n_0, p.f_mhz, p.pol, p.epsilon, p.sigma,
                                             p.mdvar, p.time, p.location, p.situation);
        REQUIRE(own.rc < 1000);
        const double same_dh = own.delta_h_m;
        const itm::Result given = itm::p2p_tls(p.h_tx_m, p.h_rx_m, profile, p.climate, p.n_0, p.f_mhz, p.pol, p.epsilon, p.sigma,
                                               p.mdvar, p.time, p.location, p.situation, &same_dh);
        CHECK(given.a_db == own.a_db);
        CHECK(given.delta_h_m == own.delta_h_m);
        // Twice the roughness: the result reports it and the loss moves (diffraction and the effective heights read it).
        const double rougher = 2.0 * own.delta_h_m + 10.0;
        const itm::Result other = itm::p2p_tls(p.h_tx_m, p.h_rx_m, profile, p.climate, p.n_0, p.f_mhz, p.pol, p.epsilon, p.sigma,
                                               p.mdvar, p.time, p.location, p.situation, &rougher);
        CHECK(other.delta_h_m == rougher);
        CHECK(std::fabs(other.a_db - own.a_db) > 0.1);
        ++checked;
    }
    CHECK(checked >= 2);
}
