// Dead-zone ranking on constructed cases whose scores are worked out by hand; fibre routes; slope.

#include <coverage/core/error.hpp>
#include <coverage/analysis/fibre_network.hpp>
#include <coverage/report/map_render.hpp>
#include <coverage/analysis/priorities.hpp>

#include "support/csv.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

using namespace coverage;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

const GeoTransform grid{.xorig = 500000.0, .xscale = 30.0, .xrot = 0.0, .yorig = 2430000.0, .yrot = 0.0, .yscale = -30.0};

// 400 × 300 cells of 30 m (12 × 9 km); z = z0 + slope_east · x + slope_north · y.
Dem plane(double slope_east = 0.0, double slope_north = 0.0) {
    Raster<float> r(400, 300, grid, Crs{"EPSG:32648"}, 0.0F);
    for (int row = 0; row < 300; ++row) {
        for (int col = 0; col < 400; ++col) {
            r.at(col, row) = static_cast<float>(300.0 + slope_east * 30.0 * col + slope_north * 30.0 * (300 - row));
        }
    }
    return Dem(std::move(r));
}

// A point `east_m`, `north_m` from the grid's top-left corner.
GeoPoint at(const Dem& dem, double east_m, double north_m) {
    return dem.to_geo(GridPoint{grid.xorig + east_m, grid.yorig - 9000.0 + north_m});
}

HamletReport report(const Dem& dem, const std::string& name, double east_m, double north_m, int households, double served_share) {
    HamletReport r;
    r.hamlet = Hamlet{.hamlet_id = name, .name = name, .location = at(dem, east_m, north_m), .settlement_radius_m = 200.0,
                      .households = households, .population = 4 * households, .outline = {}, .homes = {}};
    HamletTechnology t;
    t.technology = Technology::lte;
    t.area_served_share = served_share;
    t.households_served = served_share * households;
    r.technologies.push_back(t);
    r.dead_zone = served_share < 0.5;
    return r;
}

Sector tower(const Dem& dem, const std::string& id, double east_m, double north_m) {
    Sector s;
    s.site_id = id;
    s.sector_id = id + "/1";
    s.location = at(dem, east_m, north_m);
    return s;
}

// Fibre along the line north = 1000 m, from east 0 to 12 km.
FibreNetwork fibre_line(const Dem& dem) {
    return FibreNetwork(dem, {FibreRoute{"F1", "trunk", {at(dem, 0.0, 1000.0), at(dem, 12000.0, 1000.0)}}});
}

std::string temp(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / "coverage_test_priorities";
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

} // namespace

TEST_CASE("Dead zones ranked by the weighted score, worked out by hand", "[priorities]") {
    const Dem dem = plane();
    // Tower T at (6000, 1000). Fibre along north = 1000.
    //   A: 100 unserved, 4 km from the fibre, 4 km from the tower (6000, 5000)
    //   B:  50 unserved, on the fibre,        1 km from the tower (5000, 1000)
    //   C:  80 unserved, 2 km from the fibre, 2 km from the tower (6000, 3000)
    //   S: served (not ranked)
    const std::vector<HamletReport> reports = {report(dem, "A", 6000, 5000, 100, 0.0), report(dem, "B", 5000, 1000, 50, 0.0),
                                               report(dem, "C", 6000, 3000, 80, 0.0), report(dem, "S", 6500, 1000, 70, 0.9)};
    const std::vector<Sector> towers = {tower(dem, "T", 6000, 1000)};
    const FibreNetwork fibre = fibre_line(dem);

    // Flat terrain: every dead zone gets the full terrain part (20 points).
    // A: 40·1 + 25·0 + 15·0 + 20 = 60;  B: 40·0.5 + 25·1 + 15·0.75 + 20 = 76.25;  C: 40·0.8 + 25·0.5 + 15·0.5 + 20 = 72.
    const auto ranked = rank_dead_zones(dem, reports, DeadZoneRule{}, fibre, towers, PriorityWeights{});
    REQUIRE(ranked.size() == 3);
    CHECK(ranked[0].name == "B");
    CHECK(ranked[1].name == "C");
    CHECK(ranked[2].name == "A");
    CHECK_THAT(ranked[0].score, WithinAbs(76.25, 1e-6));
    CHECK_THAT(ranked[1].score, WithinAbs(72.0, 1e-6));
    CHECK_THAT(ranked[2].score, WithinAbs(60.0, 1e-6));
    CHECK_THAT(ranked[0].points.tower, WithinAbs(11.25, 1e-6));
    CHECK_THAT(ranked[1].points.fibre, WithinAbs(12.5, 1e-6));
    CHECK_THAT(ranked[2].points.households, WithinAbs(40.0, 1e-6));
    CHECK_THAT(ranked[2].factors.fibre_distance_m, WithinAbs(4000.0, 1e-6));
    CHECK_THAT(ranked[2].factors.tower_distance_m, WithinAbs(4000.0, 1e-6));
    CHECK(ranked[0].factors.nearest_fibre_route == "F1");
    CHECK(ranked[0].factors.nearest_tower == "T");
    CHECK_THAT(ranked[0].factors.mean_slope_deg, WithinAbs(0.0, 1e-9));
    for (int i = 0; i < 3; ++i) {
        CHECK(ranked[static_cast<std::size_t>(i)].rank == i + 1);
    }
    // The reasons say what the numbers are and why each is ahead of the next.
    CHECK_THAT(ranked[0].reason, Contains("50 of its 50 households lack 4G fair or better"));
    CHECK_THAT(ranked[0].reason, Contains("passes through it"));
    CHECK_THAT(ranked[0].reason, Contains("ahead of C (rank 2) chiefly on distance to fibre"));
    CHECK_THAT(ranked[2].reason, Contains("(the most of the 3 dead zones)"));
    CHECK_THAT(ranked[2].reason, Contains("last of the dead zones"));

    SECTION("households alone put the largest dead zone first") {
        const PriorityWeights w{.households_unserved = 1.0, .fibre_distance = 0.0, .tower_distance = 0.0, .terrain_difficulty = 0.0};
        const auto by_households = rank_dead_zones(dem, reports, DeadZoneRule{}, fibre, towers, w);
        CHECK(by_households[0].name == "A");
        CHECK(by_households[1].name == "C");
        CHECK(by_households[2].name == "B");
        CHECK_THAT(by_households[1].score, WithinAbs(80.0, 1e-9));
    }
    SECTION("the weights' scale does not matter") {
        const PriorityWeights w{.households_unserved = 40, .fibre_distance = 25, .tower_distance = 15, .terrain_difficulty = 20};
        const auto scaled_weights = rank_dead_zones(dem, reports, DeadZoneRule{}, fibre, towers, w);
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(scaled_weights[i].name == ranked[i].name);
            CHECK_THAT(scaled_weights[i].score, WithinAbs(ranked[i].score, 1e-9));
        }
    }
    SECTION("equal scores: more unserved households first, then the name") {
        const std::vector<HamletReport> twins = {report(dem, "Zeta", 3000, 3000, 60, 0.0), report(dem, "Alpha", 9000, 3000, 60, 0.0)};
        const std::vector<Sector> middle = {tower(dem, "M", 6000, 3000)};
        const auto tied = rank_dead_zones(dem, twins, DeadZoneRule{}, fibre, middle, PriorityWeights{});
        REQUIRE(tied.size() == 2);
        CHECK_THAT(tied[0].score, WithinAbs(tied[1].score, 1e-9));
        CHECK(tied[0].name == "Alpha");
        CHECK_THAT(tied[0].reason, Contains("level with Zeta"));
    }
    SECTION("the CSV holds one row per dead zone with the reason") {
        const std::string path = temp("priorities.csv");
        write_priorities_csv(path, ranked);
        const auto rows = test::read_csv(path);
        REQUIRE(rows.size() == 3);
        CHECK(rows[0].str("rank") == "1");
        CHECK(rows[0].str("name") == "B");
        CHECK(std::stod(rows[1].str("score")) == Approx(72.0).margin(0.05));
        CHECK(std::stod(rows[2].str("fibre_distance_m")) == Approx(4000.0).margin(0.5));
        CHECK_THAT(rows[2].str("reason"), Contains("last of the dead zones"));
    }
}

TEST_CASE("Terrain difficulty: the mean slope of a plane is its slope", "[priorities]") {
    // Gradient 0.3 east and 0.4 north: |∇z| = 0.5, slope atan(0.5) = 26.565°.
    const Dem dem = plane(0.3, 0.4);
    const double expected = std::atan(0.5) * 180.0 / std::numbers::pi;
    CHECK_THAT(dem.slope_deg(200, 150), WithinAbs(expected, 1e-9));
    CHECK_THAT(mean_slope_deg(dem, dem.cell_centre(200, 150), 1000.0), WithinAbs(expected, 1e-9));
    const Dem::Gradient g = dem.gradient(200, 150);
    CHECK_THAT(g.dz_east, WithinAbs(0.3, 1e-9));
    CHECK_THAT(g.dz_south, WithinAbs(-0.4, 1e-9));
    // Steeper terrain around a hamlet lowers its terrain points.
    const Dem steep = plane(0.5, 0.0);
    std::vector<HamletReport> reports = {report(steep, "A", 3000, 3000, 50, 0.0)};
    const auto r = rank_dead_zones(steep, reports, DeadZoneRule{}, fibre_line(steep), {tower(steep, "T", 6000, 3000)});
    CHECK_THAT(r[0].factors.mean_slope_deg, WithinAbs(std::atan(0.5) * 180.0 / std::numbers::pi, 1e-9));
    CHECK_THAT(r[0].points.terrain, WithinAbs(0.0, 1e-9)); // the steepest (and only) dead zone
}

TEST_CASE("Bad priority settings are refused with the setting named", "[priorities]") {
    const Dem dem = plane();
    const std::vector<HamletReport> reports = {report(dem, "A", 6000, 5000, 100, 0.0)};
    const std::vector<Sector> towers = {tower(dem, "T", 6000, 1000)};
    PriorityWeights w;
    w.tower_distance = -1.0;
    CHECK_THROWS_WITH(rank_dead_zones(dem, reports, DeadZoneRule{}, fibre_line(dem), towers, w), Contains("tower_distance"));
    const PriorityWeights zero{.households_unserved = 0, .fibre_distance = 0, .tower_distance = 0, .terrain_difficulty = 0};
    CHECK_THROWS_WITH(rank_dead_zones(dem, reports, DeadZoneRule{}, fibre_line(dem), towers, zero), Contains("at least one weight"));
    CHECK_THROWS_WITH(rank_dead_zones(dem, reports, DeadZoneRule{}, FibreNetwork{}, towers, PriorityWeights{}),
                      Contains("no fibre routes"));
    CHECK_THROWS_WITH(rank_dead_zones(dem, reports, DeadZoneRule{}, fibre_line(dem), {}, PriorityWeights{}), Contains("no existing towers"));
    // Without fibre and with its weight at zero, the ranking still works.
    const PriorityWeights no_fibre{.households_unserved = 1, .fibre_distance = 0, .tower_distance = 1, .terrain_difficulty = 0};
    CHECK(rank_dead_zones(dem, reports, DeadZoneRule{}, FibreNetwork{}, towers, no_fibre).size() == 1);
}

TEST_CASE("Map lines: line strings, polygon rings and multi-parts in WGS84", "[priorities][io]") {
    const std::string path = temp("map_lines.geojson");
    // In UTM 48N: a line, a polygon with a hole, a two-part multi-line; no geometry on the last feature.
    std::ofstream(path) << R"({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}},
 "features": [
  {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[500000, 2422000], [512000, 2422000]]}},
  {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
     [[500000, 2420000], [501000, 2420000], [501000, 2421000], [500000, 2420000]],
     [[500200, 2420100], [500800, 2420100], [500800, 2420700], [500200, 2420100]]]}},
  {"type": "Feature", "properties": {}, "geometry": {"type": "MultiLineString", "coordinates": [
     [[506000, 2422000], [506000, 2430000]], [[507000, 2422000], [507000, 2423000], [508000, 2423000]]]}},
  {"type": "Feature", "properties": {}, "geometry": null}]})";
    const auto lines = read_map_lines(path, "roads file");
    REQUIRE(lines.size() == 5);
    CHECK(lines[0].size() == 2);
    CHECK(lines[1].size() == 4); // the polygon's outer ring, closed
    CHECK(lines[2].size() == 4); // its hole
    CHECK(lines[4].size() == 3);
    // x = 500000 is UTM 48N's central meridian, 105 E; 2422000 m north is about 21.9 N.
    CHECK_THAT(lines[0][0].lon_deg, WithinAbs(105.0, 1e-9));
    CHECK_THAT(lines[0][0].lat_deg, WithinAbs(21.9020, 1e-3));
    CHECK(lines[0][1].lon_deg > 105.11);
    const std::string points = temp("map_points.geojson");
    std::ofstream(points) << R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [106.0, 21.9]}}]})";
    CHECK_THROWS_WITH(read_map_lines(points, "rivers file"), Contains("rivers file '" + points + "', feature 1: geometry is a Point"));
    CHECK_THROWS_AS(read_map_lines(temp("nope.geojson"), "roads file"), IoError);
}

TEST_CASE("Fibre routes are read through OGR and measured in the grid", "[priorities][fibre]") {
    const Dem dem = plane();
    SECTION("a projected MultiLineString: parts become routes, distances are exact") {
        const std::string path = temp("fibre_utm.geojson");
        // Two parts in UTM 48N: along y = 2422000 and along x = 506000.
        std::ofstream(path) << R"({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}},
 "features": [{"type": "Feature", "properties": {"route_id": "R", "name": "ring"},
   "geometry": {"type": "MultiLineString", "coordinates": [[[500000, 2422000], [512000, 2422000]], [[506000, 2422000], [506000, 2430000]]]}}]})";
        const auto routes = read_fibre_routes(path);
        REQUIRE(routes.size() == 2);
        CHECK(routes[0].route_id == "R.1");
        CHECK(routes[1].route_id == "R.2");
        const FibreNetwork net(dem, routes);
        CHECK_THAT(net.length_m(), WithinAbs(20000.0, 0.01));
        const FibreAccess a = net.nearest(GridPoint{503000.0, 2425000.0}); // 3 km from each part
        CHECK_THAT(a.distance_m, WithinAbs(3000.0, 0.01));
        const FibreAccess b = net.nearest(GridPoint{507000.0, 2428000.0}); // 1 km east of part 2
        CHECK_THAT(b.distance_m, WithinAbs(1000.0, 0.01));
        CHECK(b.route_id == "R.2");
        const FibreAccess end = net.nearest(GridPoint{515000.0, 2418000.0}); // beyond the end of part 1: to the end point
        CHECK_THAT(end.distance_m, WithinAbs(5000.0, 0.01));
    }
    SECTION("a point where a line is expected names the file and feature") {
        const std::string path = temp("fibre_point.geojson");
        std::ofstream(path) << R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[106.0, 21.9], [106.1, 21.9]]}},
 {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [106.0, 21.9]}}]})";
        CHECK_THROWS_WITH(read_fibre_routes(path), Contains("fibre_point.geojson', feature 2: geometry is a Point"));
    }
    SECTION("a one-point line and a missing file") {
        const std::string path = temp("fibre_short.geojson");
        std::ofstream(path) << R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[106.0, 21.9]]}}]})";
        CHECK_THROWS_WITH(read_fibre_routes(path), Contains("feature 1: a fibre route needs at least two points"));
        CHECK_THROWS_AS(read_fibre_routes(temp("nope.geojson")), IoError);
    }
}
