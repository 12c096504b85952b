// Each private ITM routine against the 83 component vectors of data/reference/itm/internal_function_vectors.json
// (literals of NTIA's unit tests, reproduced bit-exact by NTIA/itm master; see the README there).

#include "propagation/itm/itm.hpp"

#include "support/test_paths.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace coverage;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using nlohmann::json;

namespace {

// Expressions the JSON writes as strings, evaluated here.
double number(const json& v) {
    if (v.is_number()) {
        return v.get<double>();
    }
    const std::string s = v.get<std::string>();
    static const std::map<std::string, double> known = {
        {"1/7860e3", 1.0 / 7860e3},
        {"157e-9*(1-0.04665*exp(301/179.3))", 157e-9 * (1 - 0.04665 * std::exp(301 / 179.3))},
        {"3500/18000", 3500.0 / 18000.0},
        {"pi*47.7", itm::pi * 47.7},
    };
    const auto it = known.find(s);
    REQUIRE(it != known.end());
    return it->second;
}

itm::Pair pair(const json& v) { return itm::Pair{number(v.at(0)), number(v.at(1))}; }
std::complex<double> complex_of(const json& v) { return {number(v.at(0)), number(v.at(1))}; }

struct PflHolder {
    std::vector<double> z;
    itm::Pfl pfl;
    explicit PflHolder(const json& v) {
        const auto n = static_cast<std::size_t>(number(v.at(0)));
        for (std::size_t i = 0; i <= n; ++i) {
            z.push_back(number(v.at(i + 2)));
        }
        pfl = itm::Pfl{std::span<const double>(z), number(v.at(1))};
    }
};

itm::Mode mode_of(const json& v) { return v.get<std::string>().rfind("P2P", 0) == 0 ? itm::Mode::p2p : itm::Mode::area; }

// NTIA's tests use EXPECT_DOUBLE_EQ (4 ulps); our port keeps the arithmetic order, so we ask for 1e-12 relative.
void same(double actual, const json& expected) {
    const double e = number(expected);
    CHECK_THAT(actual, WithinRel(e, 1e-12) || WithinAbs(e, 1e-13));
}

} // namespace

TEST_CASE("ITM internal routines match NTIA's component vectors", "[itm][internals]") {
    std::ifstream in(test::itm_dir + "/internal_function_vectors.json");
    REQUIRE(in.good());
    const json vectors = json::parse(in);
    REQUIRE(vectors.size() == 83);
    int checked = 0;
    for (const auto& v : vectors) {
        const std::string fn = v.at("function");
        const json& in_ = v.at("inputs");
        const json& ex = v.at("expected");
        INFO(fn << " " << in_.dump());
        if (fn == "LongleyRice") {
            std::uint32_t warnings = 0;
            const auto r = itm::longley_rice(pair(in_["theta_hzn__rad"]), number(in_["f__mhz"]), complex_of(in_["Z_g"]),
                                             pair(in_["d_hzn__meter"]), pair(in_["h_e__meter"]), number(in_["gamma_e"]),
                                             number(in_["N_s"]), number(in_["delta_h__meter"]), pair(in_["h__meter"]),
                                             number(in_["d__meter"]), mode_of(in_["mode"]), warnings);
            CHECK(r.rc == ex["rc"].get<int>());
            if (r.rc == 0) {
                same(r.a_ref_db, ex["A_ref__db"]);
                CHECK(r.mode == ex["propmode"].get<int>());
            }
            CHECK(warnings == ex["warnings"].get<std::uint32_t>());
        } else if (fn == "ComputeDeltaH") {
            const PflHolder p(in_["pfl"]);
            same(itm::compute_delta_h(p.pfl, number(in_["d_start__meter"]), number(in_["d_end__meter"])), ex["delta_h__meter"]);
        } else if (fn == "DiffractionLoss") {
            same(itm::diffraction_loss(number(in_["d__meter"]), pair(in_["d_hzn__meter"]), pair(in_["h_e__meter"]),
                                       complex_of(in_["Z_g"]), number(in_["a_e__meter"]), number(in_["delta_h__meter"]),
                                       pair(in_["h__meter"]), mode_of(in_["mode"]), number(in_["theta_los"]),
                                       number(in_["d_sML__meter"]), number(in_["f__mhz"])),
                 ex["A_d__db"]);
        } else if (fn == "LineOfSightLoss") {
            same(itm::line_of_sight_loss(number(in_["d__meter"]), pair(in_["h_e__meter"]), complex_of(in_["Z_g"]),
                                         number(in_["delta_h__meter"]), number(in_["M_d"]), number(in_["A_d0"]),
                                         number(in_["d_sML__meter"]), number(in_["f__mhz"])),
                 ex["A_los__db"]);
        } else if (fn == "QuickPfl") {
            const PflHolder p(in_["pfl"]);
            const auto r = itm::quick_pfl(p.pfl, number(in_["gamma_e"]), pair(in_["h__meter"]));
            same(r.theta_hzn.tx, ex["theta_hzn"][0]);
            same(r.theta_hzn.rx, ex["theta_hzn"][1]);
            same(r.d_hzn_m.tx, ex["d_hzn__meter"][0]);
            same(r.d_hzn_m.rx, ex["d_hzn__meter"][1]);
            same(r.h_e_m.tx, ex["h_e__meter"][0]);
            same(r.h_e_m.rx, ex["h_e__meter"][1]);
            same(r.delta_h_m, ex["delta_h__meter"]);
            same(r.d_m, ex["d__meter"]);
        } else if (fn == "SmoothEarthDiffraction") {
            same(itm::smooth_earth_diffraction(number(in_["d__meter"]), number(in_["f__mhz"]), number(in_["a_e__meter"]),
                                               number(in_["theta_los"]), pair(in_["d_hzn__meter"]),
                                               pair(in_["h_e__meter"]), complex_of(in_["Z_g"])),
                 ex["A_se__db"]);
        } else if (fn == "HeightFunction") {
            same(itm::height_function(number(in_["x__km"]), number(in_["K"])), ex["F__db"]);
        } else if (fn == "TroposcatterLoss") {
            double h0 = number(in_["h0_in"]);
            same(itm::troposcatter_loss(number(in_["d__meter"]), pair(in_["theta_hzn"]), pair(in_["d_hzn__meter"]),
                                        pair(in_["h_e__meter"]), number(in_["a_e__meter"]), number(in_["N_s"]),
                                        number(in_["f__mhz"]), number(in_["theta_los"]), h0),
                 ex["A_scat__db"]);
            same(h0, ex["h0_out"]);
        } else if (fn == "FFunction") {
            same(itm::f_function(number(in_["td"])), ex["F__db"]);
        } else if (fn == "Variability") {
            std::uint32_t warnings = 0;
            same(itm::variability(number(in_["time_pct"]), number(in_["location_pct"]), number(in_["situation_pct"]),
                                  pair(in_["h_e__meter"]), number(in_["delta_h__meter"]), number(in_["f__mhz"]),
                                  number(in_["d__meter"]), number(in_["A_ref__db"]), in_["climate"].get<int>(),
                                  in_["mdvar"].get<int>(), warnings),
                 ex["result__db"]);
            CHECK(warnings == ex["warnings"].get<std::uint32_t>());
        } else if (fn == "InverseComplementaryCumulativeDistributionFunction") {
            same(itm::inverse_ccdf(number(in_["q_fraction"])), ex["Q_inv"]);
        } else if (fn == "KnifeEdgeDiffraction") {
            same(itm::knife_edge_diffraction(number(in_["d__meter"]), number(in_["f__mhz"]), number(in_["a_e__meter"]),
                                             number(in_["theta_los"]), pair(in_["d_hzn__meter"])),
                 ex["A_k__db"]);
        } else if (fn == "FindHorizons") {
            const PflHolder p(in_["pfl"]);
            const auto r = itm::find_horizons(p.pfl, number(in_["a_e__meter"]), pair(in_["h__meter"]));
            same(r.theta_rad.tx, ex["theta_hzn"][0]);
            same(r.theta_rad.rx, ex["theta_hzn"][1]);
            same(r.d_m.tx, ex["d_hzn__meter"][0]);
            same(r.d_m.rx, ex["d_hzn__meter"][1]);
        } else if (fn == "InitializePointToPoint") {
            const auto s = itm::initialize_point_to_point(number(in_["f__mhz"]), number(in_["h_sys__meter"]),
                                                          number(in_["N_0"]), in_["pol"].get<int>(),
                                                          number(in_["epsilon"]), number(in_["sigma"]));
            same(s.z_g.real(), ex["Z_g"][0]);
            same(s.z_g.imag(), ex["Z_g"][1]);
            same(s.gamma_e, ex["gamma_e"]);
            same(s.n_s, ex["N_s"]);
        } else if (fn == "InitializeArea") {
            const int siting[2] = {in_["site_criteria"][0].get<int>(), in_["site_criteria"][1].get<int>()};
            itm::Pair h_e;
            itm::Pair d_hzn;
            itm::Pair theta;
            itm::initialize_area(siting, number(in_["gamma_e"]), number(in_["delta_h__meter"]), pair(in_["h__meter"]),
                                 h_e, d_hzn, theta);
            same(h_e.tx, ex["h_e__meter"][0]);
            same(h_e.rx, ex["h_e__meter"][1]);
            same(d_hzn.tx, ex["d_hzn__meter"][0]);
            same(d_hzn.rx, ex["d_hzn__meter"][1]);
            same(theta.tx, ex["theta_hzn"][0]);
            same(theta.rx, ex["theta_hzn"][1]);
        } else if (fn == "LinearLeastSquaresFit") {
            const PflHolder p(in_["pfl"]);
            double y1 = 0;
            double y2 = 0;
            itm::linear_least_squares_fit(p.pfl, number(in_["d_start"]), number(in_["d_end"]), y1, y2);
            same(y1, ex["fit_y1"]);
            same(y2, ex["fit_y2"]);
        } else if (fn == "FresnelIntegral") {
            same(itm::fresnel_integral(number(in_["v2"])), ex["A__db"]);
        } else if (fn == "H0Curve") {
            same(itm::h0_curve(in_["j"].get<int>(), number(in_["r"])), ex["H0__db"]);
        } else if (fn == "H0Function") {
            same(itm::h0_function(number(in_["r"]), number(in_["eta_s"])), ex["H0__db"]);
        } else if (fn == "FreeSpaceLoss") {
            same(itm::free_space_loss(number(in_["d__meter"]), number(in_["f__mhz"])), ex["A_fs__db"]);
        } else if (fn == "SigmaHFunction") {
            same(itm::sigma_h(number(in_["delta_h__meter"])), ex["sigma_h__meter"]);
        } else if (fn == "TerrainRoughness") {
            same(itm::terrain_roughness(number(in_["d__meter"]), number(in_["delta_h__meter"])), ex["delta_h_d__meter"]);
        } else {
            FAIL("no driver for " << fn);
        }
        ++checked;
    }
    CHECK(checked == 83);
}

namespace {

// The published loops, written out plainly, to check the rearranged ones against: the horizon scan with
// distances accumulated step by step and a division per point, and Δh with the point-by-point walk of the
// resampling and two nth_element selections.
itm::Horizons published_horizons(const itm::Pfl& pfl, double a_e_m, const itm::Pair& h_m) {
    const int np = pfl.intervals();
    const double xi = pfl.step_m;
    const double d_m = np * xi;
    const double z_tx = pfl.z[0] + h_m.tx;
    const double z_rx = pfl.z[static_cast<std::size_t>(np)] + h_m.rx;
    itm::Horizons hz;
    hz.theta_rad.tx = (z_rx - z_tx) / d_m - d_m / (2 * a_e_m);
    hz.theta_rad.rx = -(z_rx - z_tx) / d_m - d_m / (2 * a_e_m);
    hz.d_m.tx = d_m;
    hz.d_m.rx = d_m;
    double d_tx = 0.0;
    double d_rx = d_m;
    for (int i = 1; i < np; ++i) {
        d_tx += xi;
        d_rx -= xi;
        const double zi = pfl.z[static_cast<std::size_t>(i)];
        const double theta_tx = (zi - z_tx) / d_tx - d_tx / (2 * a_e_m);
        const double theta_rx = -(z_rx - zi) / d_rx - d_rx / (2 * a_e_m);
        if (theta_tx > hz.theta_rad.tx) {
            hz.theta_rad.tx = theta_tx;
            hz.d_m.tx = d_tx;
        }
        if (theta_rx > hz.theta_rad.rx) {
            hz.theta_rad.rx = theta_rx;
            hz.d_m.rx = d_rx;
        }
    }
    return hz;
}

double published_delta_h(const itm::Pfl& pfl, double d_start_m, double d_end_m) {
    const int np = pfl.intervals();
    double x_start = d_start_m / pfl.step_m;
    double x_end = d_end_m / pfl.step_m;
    if (x_end - x_start < 2.0) {
        return 0.0;
    }
    const int p10 = std::min(std::max(4, static_cast<int>(0.1 * (x_end - x_start + 8.0))), 25);
    const int n = 10 * p10 - 5;
    const int p90 = n - p10;
    const double np_s = n - 1;
    std::vector<double> s(static_cast<std::size_t>(n));
    x_end = (x_end - x_start) / np_s;
    int i = static_cast<int>(x_start);
    x_start -= static_cast<double>(static_cast<float>(i + 1.0));
    for (int j = 0; j < n; ++j) {
        while (x_start > 0.0 && (i + 1) < np) {
            x_start -= 1.0;
            ++i;
        }
        const double z1 = pfl.z[static_cast<std::size_t>(i + 1)];
        const double z0 = pfl.z[static_cast<std::size_t>(i)];
        s[static_cast<std::size_t>(j)] = z1 + (z1 - z0) * x_start;
        x_start += x_end;
    }
    double fit_y1 = 0.0;
    double fit_y2 = 0.0;
    itm::linear_least_squares_fit(itm::Pfl{s, 1.0}, 0.0, np_s, fit_y1, fit_y2);
    fit_y2 = (fit_y2 - fit_y1) / np_s;
    for (double& v : s) {
        v -= fit_y1;
        fit_y1 += fit_y2;
    }
    std::nth_element(s.begin(), s.begin() + (p10 - 1), s.end(), std::greater<>());
    const double q10 = s[static_cast<std::size_t>(p10 - 1)];
    std::nth_element(s.begin() + p10, s.begin() + p90, s.end(), std::greater<>());
    const double q90 = s[static_cast<std::size_t>(p90)];
    return (q10 - q90) / (1.0 - 0.8 * std::exp(-(d_end_m - d_start_m) / 50e3));
}

} // namespace

TEST_CASE("The rearranged horizon scan and delta-h equal the published loops, ties and flat terrain included",
          "[itm][internals]") {
    std::mt19937 rng(20261126);
    std::uniform_int_distribution<int> length(3, 900);
    std::normal_distribution<double> step_noise(0.0, 4.0);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    int horizons_checked = 0;
    int delta_h_checked = 0;
    double worst_delta_h_m = 0.0;
    for (int trial = 0; trial < 1500; ++trial) {
        const int points = length(rng);
        std::vector<double> z(static_cast<std::size_t>(points));
        double h = 300.0;
        const int kind = trial % 3; // real-valued relief, whole metres (many ties), flat with rare steps
        for (double& v : z) {
            if (kind == 0) {
                h += step_noise(rng);
            } else if (kind == 1) {
                h += std::round(step_noise(rng));
            } else if (unit(rng) < 0.02) {
                h += 10.0;
            }
            v = h;
        }
        const double step_m = trial % 2 == 0 ? 30.0 : 27.3 + unit(rng);
        const itm::Pfl pfl{z, step_m};
        const itm::Pair h_m{30.0, 1.5};
        const double a_e_m = 8.5e6;
        const itm::Horizons fast = itm::find_horizons(pfl, a_e_m, h_m);
        const itm::Horizons ref = published_horizons(pfl, a_e_m, h_m);
        for (int side = 0; side < 2; ++side) {
            INFO("trial " << trial << " side " << side);
            // The same point, or on a tie to the last bits an equally high one. The published loop accumulates its
            // distances (up to ~900 additions of a step that is not a binary fraction: errors of a few nm), the
            // rearranged scan multiplies, hence the 1e-9 rad allowed on the angle.
            const bool same_point = std::fabs(fast.d_m[side] - ref.d_m[side]) < 1e-6 * ref.d_m[side];
            CHECK((same_point || std::fabs(fast.theta_rad[side] - ref.theta_rad[side]) < 1e-12));
            CHECK_THAT(fast.theta_rad[side], WithinAbs(ref.theta_rad[side], 1e-9));
            if (step_m == 30.0) { // 30 m is a binary fraction's multiple: both form the same distances, exactly
                CHECK(same_point);
                CHECK_THAT(fast.theta_rad[side], WithinAbs(ref.theta_rad[side], 1e-15));
            }
            ++horizons_checked;
        }
        const double d_m = (points - 1) * step_m;
        const double d_start = unit(rng) * 0.3 * d_m;
        const double d_end = d_m - unit(rng) * 0.3 * d_m;
        const double fast_dh = itm::compute_delta_h(pfl, d_start, d_end);
        const double ref_dh = published_delta_h(pfl, d_start, d_end);
        INFO("trial " << trial << " window " << d_start << " .. " << d_end);
        CHECK_THAT(fast_dh, WithinAbs(ref_dh, 1e-9));
        worst_delta_h_m = std::max(worst_delta_h_m, std::fabs(fast_dh - ref_dh));
        ++delta_h_checked;
    }
    std::printf("[itm] rearranged scans vs published loops: %d horizons, %d delta-h, worst delta-h difference %.1e m\n",
                horizons_checked, delta_h_checked, worst_delta_h_m);
}

TEST_CASE("The ITM core's cube root is within 0.67 units in the last place of the true root", "[itm][internals]") {
    // The truth: the cube root in long double (64 significant bits or more), against which each double result's
    // error is measured in units of the double's last place. The bound 0.667 is the one FreeBSD's analysis gives
    // for this algorithm; glibc's cbrt, which it replaces, is measured alongside (about 3 ulp on x86-64).
    REQUIRE(std::numeric_limits<long double>::digits >= 64);
    std::mt19937_64 rng(20261126);
    // Random bit patterns over the positive normal exponents whose cubes long double holds without rounding
    // trouble, and the range the ITM core takes roots in (a_e²/f, 4/3·a_0/a: about 1e-3 to 1e16).
    std::uniform_int_distribution<std::uint64_t> normal_bits(0x0010000000000000ULL, 0x7fefffffffffffffULL);
    std::uniform_real_distribution<double> itm_range(-3.0, 16.0);
    double worst_ours_ulp = 0.0;
    double worst_library_ulp = 0.0;
    const int samples = 400000;
    for (int i = 0; i < samples; ++i) {
        const double x = i % 2 == 0 ? std::bit_cast<double>(normal_bits(rng)) : std::pow(10.0, itm_range(rng));
        const long double truth = std::cbrt(static_cast<long double>(x));
        const auto nearest = static_cast<double>(truth);
        const double ulp = std::nextafter(nearest, HUGE_VAL) - nearest;
        const auto error_ulp = [&](double y) { return static_cast<double>(std::fabs(y - truth) / ulp); };
        const double ours = error_ulp(itm::cube_root(x));
        INFO("x = " << x);
        CHECK(ours < 0.667);
        worst_ours_ulp = std::max(worst_ours_ulp, ours);
        worst_library_ulp = std::max(worst_library_ulp, error_ulp(std::cbrt(x)));
    }
    std::printf("[itm] cube root over %d values: worst error %.3f ulp (std::cbrt: %.3f ulp)\n", samples, worst_ours_ulp,
                worst_library_ulp);
    // Perfect cubes come out exact.
    for (const double root : {1.0, 2.0, 3.0, 10.0, 123.0, 0.5, 0.25}) {
        CHECK(itm::cube_root(root * root * root) == root);
    }
    // What it leaves to the library: zero, negatives, subnormals, infinities and NaN.
    for (const double x : {0.0, -0.0, -8.0, 1e-310, HUGE_VAL, -HUGE_VAL}) {
        CHECK(std::bit_cast<std::uint64_t>(itm::cube_root(x)) == std::bit_cast<std::uint64_t>(std::cbrt(x)));
    }
    CHECK(std::isnan(itm::cube_root(std::nan(""))));
}
