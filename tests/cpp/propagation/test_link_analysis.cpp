#include <coverage/core/error.hpp>
#include <coverage/core/geo.hpp>
#include <coverage/propagation/link_analysis.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace coverage;
using Catch::Matchers::WithinAbs;

namespace {
// 10 km at 100 m spacing, flat at 0 m.
TerrainProfile flat_10km() { return TerrainProfile{std::vector<double>(101, 0.0), 100.0}; }
} // namespace

TEST_CASE("Flat earth with k = 4/3: clearance at mid-path is h - bulge", "[link]") {
    const LinkGeometryParams p{.freq_mhz = 1000.0, .tx_height_agl_m = 30.0, .rx_height_agl_m = 30.0};
    const LinkGeometry g = analyse_link_geometry(flat_10km(), p);
    const double a_e = 4.0 / 3.0 * earth_radius_m;
    const double bulge = 5000.0 * 5000.0 / (2.0 * a_e);                  // 1.47 m at mid-path
    const double r1 = std::sqrt(299.792458 / 1000.0 * 5000.0 * 5000.0 / 10000.0); // 27.4 m
    CHECK(g.line_of_sight);
    CHECK_THAT(g.distance_m, WithinAbs(10000.0, 1e-9));
    CHECK_THAT(g.worst_distance_m, WithinAbs(5000.0, 1e-9));
    CHECK_THAT(g.worst_clearance_m, WithinAbs(30.0 - bulge, 1e-9));
    CHECK_THAT(g.worst_fresnel_radius_m, WithinAbs(r1, 1e-9));
    CHECK_THAT(g.worst_fresnel_clear_pct, WithinAbs(100.0, 1e-9)); // capped: clearance > r1
}

TEST_CASE("A ridge above the ray blocks geometric LOS (ITM's mode is not consulted)", "[link]") {
    TerrainProfile p = flat_10km();
    p.elevation_m[30] = 45.0; // 3 km from the TX, above the 30 m ray
    const LinkGeometry g = analyse_link_geometry(p, LinkGeometryParams{.freq_mhz = 900.0, .tx_height_agl_m = 30.0, .rx_height_agl_m = 30.0});
    CHECK_FALSE(g.line_of_sight);
    CHECK(g.worst_index == 30);
    const double bulge = 3000.0 * 7000.0 / (2.0 * 4.0 / 3.0 * earth_radius_m);
    CHECK_THAT(g.worst_clearance_m, WithinAbs(30.0 - 45.0 - bulge, 1e-9));
    CHECK(g.worst_fresnel_clear_pct < 0.0);
}

TEST_CASE("A ridge just below the ray: LOS, but the Fresnel zone is partly blocked", "[link]") {
    TerrainProfile p = flat_10km();
    p.elevation_m[50] = 20.0;
    const LinkGeometryParams params{.freq_mhz = 1000.0, .tx_height_agl_m = 30.0, .rx_height_agl_m = 30.0, .k_factor = 1e9};
    const LinkGeometry g = analyse_link_geometry(p, params); // k huge: no bulge
    const double r1 = std::sqrt(299.792458 / 1000.0 * 2500.0);
    CHECK(g.line_of_sight);
    CHECK_THAT(g.worst_clearance_m, WithinAbs(10.0, 1e-6));
    CHECK_THAT(g.worst_fresnel_clear_pct, WithinAbs(100.0 * 10.0 / r1, 1e-6));
}

TEST_CASE("Profile points for plotting", "[link]") {
    const auto pts = profile_points(flat_10km(), LinkGeometryParams{.freq_mhz = 1000.0, .tx_height_agl_m = 10.0, .rx_height_agl_m = 20.0});
    REQUIRE(pts.size() == 101);
    CHECK_THAT(pts.front().los_m, WithinAbs(10.0, 1e-12));
    CHECK_THAT(pts.back().los_m, WithinAbs(20.0, 1e-12));
    CHECK_THAT(pts[50].los_m, WithinAbs(15.0, 1e-12));
    CHECK_THAT(pts.front().fresnel_radius_m, WithinAbs(0.0, 1e-12));
    CHECK_THROWS_AS(profile_points(flat_10km(), LinkGeometryParams{.freq_mhz = 0.0}), InvalidArgument);
    CHECK_THROWS_AS(profile_points(flat_10km(), LinkGeometryParams{.freq_mhz = 900.0, .tx_height_agl_m = -2.0}), OutOfDomain);
}
