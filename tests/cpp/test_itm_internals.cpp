// Each private ITM routine against the 83 component vectors of data/reference/itm/internal_function_vectors.json
// (literals of NTIA's unit tests, reproduced bit-exact by NTIA/itm master; see the README there).

#include "itm/itm.hpp"

#include "support/test_paths.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <string>

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
