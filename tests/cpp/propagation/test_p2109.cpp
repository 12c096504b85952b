// ITU-R P.2109-1 building entry loss against the SG3 workbook's values (data/reference/p2109), and the normal
// quantile it rests on.

#include <coverage/core/error.hpp>
#include <coverage/core/numbers.hpp>
#include <coverage/propagation/p2109.hpp>

#include "support/csv.hpp"
#include "support/test_paths.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace coverage;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("The standard normal quantile inverts erfc to within a few ulp", "[p2109][numbers]") {
    // Values from tables of the normal distribution (Abramowitz and Stegun 26.2, and R's qnorm to 16 digits).
    CHECK_THAT(standard_normal_quantile(0.975), WithinRel(1.959963984540054, 1e-14));
    CHECK_THAT(standard_normal_quantile(0.9), WithinRel(1.2815515655446004, 1e-14));
    CHECK_THAT(standard_normal_quantile(0.05), WithinRel(-1.6448536269514729, 1e-14));
    CHECK_THAT(standard_normal_quantile(1e-7), WithinRel(-5.199337582192817, 1e-13));
    CHECK(standard_normal_quantile(0.5) == 0.0);
    // Round trip through the exact distribution over the whole range, both tails, each on the side where it is exact.
    double worst = 0.0;
    for (double lp = -300.0; lp < -0.01; lp += 0.37) {
        const double p = std::pow(10.0, lp);
        const double lower = 0.5 * std::erfc(-standard_normal_quantile(p) / std::sqrt(2.0));
        worst = std::max(worst, std::fabs(lower - p) / p);
        if (p > 1e-15) {
            const double q = 1.0 - p; // upper tail: compare 1 - q with Q(x)
            const double upper = 0.5 * std::erfc(standard_normal_quantile(q) / std::sqrt(2.0));
            worst = std::max(worst, std::fabs(upper - (1.0 - q)) / (1.0 - q));
        }
    }
    CHECK(worst < 1e-12);
    CHECK_THROWS_AS(standard_normal_quantile(0.0), OutOfDomain);
    CHECK_THROWS_AS(standard_normal_quantile(1.0), OutOfDomain);
    CHECK_THROWS_AS(standard_normal_quantile(std::nan("")), OutOfDomain);
}

TEST_CASE("ITU-R P.2109 building entry loss reproduces the SG3 workbook", "[p2109]") {
    const auto rows = test::read_csv(test::data_dir + "/reference/p2109/bel_cases.csv");
    REQUIRE(rows.size() == 44);
    double worst = 0.0;
    for (const auto& r : rows) {
        INFO("line " << r.line << ": f " << r.num("freq_ghz") << " GHz, θ " << r.num("elevation_deg") << "°, "
                     << r.str("building_type") << ", p " << r.num("prob_pct") << " %");
        const double l = p2109_building_entry_loss_db(r.num("freq_ghz") * 1000.0, r.num("prob_pct"),
                                                      building_type_from(r.str("building_type")), r.num("elevation_deg"));
        worst = std::max(worst, std::fabs(l - r.num("loss_db")));
        CHECK_THAT(l, WithinAbs(r.num("loss_db"), 0.002));
    }
    std::printf("[p2109] building entry loss: max |diff| = %.4f dB over %zu cases (reference printed to 0.001 dB)\n", worst, rows.size());
}

TEST_CASE("ITU-R P.2109 refuses inputs outside its ranges", "[p2109]") {
    CHECK_THROWS_AS(p2109_building_entry_loss_db(50.0, 50.0, BuildingType::traditional), OutOfDomain);
    CHECK_THROWS_AS(p2109_building_entry_loss_db(200000.0, 50.0, BuildingType::traditional), OutOfDomain);
    CHECK_THROWS_AS(p2109_building_entry_loss_db(1800.0, 0.0, BuildingType::traditional), OutOfDomain);
    CHECK_THROWS_AS(p2109_building_entry_loss_db(1800.0, 100.0, BuildingType::traditional), OutOfDomain);
    CHECK_THROWS_AS(p2109_building_entry_loss_db(1800.0, 50.0, BuildingType::traditional, 90.0), OutOfDomain);
    CHECK_THROWS_WITH(building_type_from("concrete"), Catch::Contains("traditional, thermally_efficient"));
    // The median loss grows with the probability and is larger for thermally efficient buildings at 1.8 GHz.
    CHECK(p2109_building_entry_loss_db(1800.0, 90.0, BuildingType::traditional) > p2109_building_entry_loss_db(1800.0, 50.0, BuildingType::traditional));
    CHECK(p2109_building_entry_loss_db(1800.0, 50.0, BuildingType::thermally_efficient) >
          p2109_building_entry_loss_db(1800.0, 50.0, BuildingType::traditional) + 10.0);
}
