// Hamlet analysis on synthetic signal rasters with known answers; reading and writing hamlet files.

#include <coverage/core/error.hpp>
#include <coverage/analysis/hamlet_analysis.hpp>

#include "support/test_paths.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

using namespace coverage;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();
const GeoTransform grid{.xorig = 500000.0, .xscale = 30.0, .xrot = 0.0, .yorig = 2430000.0, .yrot = 0.0, .yscale = -30.0};

Dem flat() {
    Raster<float> r(120, 100, grid, Crs{"EPSG:32648"}, nan_f);
    std::fill(r.values().begin(), r.values().end(), 300.0F);
    return Dem(std::move(r));
}

// LTE: −60 dBm west of column 50, −115 dBm from column 50 to 89, no signal from column 90 on.
// UMTS: −85 dBm everywhere west of column 90.
struct Layers {
    Raster<float> lte{120, 100, grid, Crs{"EPSG:32648"}, nan_f};
    Raster<float> umts{120, 100, grid, Crs{"EPSG:32648"}, nan_f};
    Raster<std::uint16_t> lte_server{120, 100, grid, Crs{"EPSG:32648"}, std::uint16_t{65535}};
    Raster<std::uint16_t> umts_server{120, 100, grid, Crs{"EPSG:32648"}, std::uint16_t{65535}};
    Layers() {
        for (int r = 0; r < 100; ++r) {
            for (int c = 0; c < 90; ++c) {
                lte.at(c, r) = c < 50 ? -60.0F : -115.0F;
                lte_server.at(c, r) = c < 50 ? 0 : 1;
                umts.at(c, r) = -85.0F;
                umts_server.at(c, r) = 2;
            }
        }
    }
    [[nodiscard]] std::vector<TechnologyLayer> layers() const {
        const std::vector<std::string> ids = {"A/L1800", "B/L1800", "A/U2100"};
        return {TechnologyLayer{Technology::lte, &lte, &lte_server, ids, SignalThresholds::lte_default()},
                TechnologyLayer{Technology::umts, &umts, &umts_server, ids, SignalThresholds::umts_default()}};
    }
};

Hamlet at_cell_centre(const Dem& dem, int col, int row, const std::string& name, int households) {
    return Hamlet{.hamlet_id = name, .name = name, .location = dem.to_geo(dem.cell_centre(col, row)),
                  .settlement_radius_m = 200.0, .households = households, .population = 4 * households, .outline = {}, .homes = {}};
}

std::string temp(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / "coverage_test_hamlet";
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

} // namespace

TEST_CASE("Hamlet statistics over the settlement radius", "[hamlet]") {
    const Dem dem = flat();
    const Layers l;
    // West: every cell −60 dBm. The radius 200 m around a cell centre holds the 137 lattice points with
    // i² + j² <= (200/30)².
    const Hamlet west = at_cell_centre(dem, 25, 50, "West", 80);
    // Straddling columns 49|50: a point on the cell corner sees 140 cells, 70 on each side.
    Hamlet split = west;
    split.name = split.hamlet_id = "Split";
    split.location = dem.to_geo(GridPoint{.x_m = 500000.0 + 50 * 30.0, .y_m = 2430000.0 - 50 * 30.0});
    const Hamlet dark = at_cell_centre(dem, 105, 50, "Dark", 40);
    const auto reports = analyse_hamlets(dem, {west, split, dark}, l.layers());
    REQUIRE(reports.size() == 3);

    const HamletReport& w = reports[0];
    CHECK(w.cells == 137);
    REQUIRE(w.technologies.size() == 2);
    const HamletTechnology& w_lte = w.technologies[0];
    CHECK_THAT(*w_lte.median_dbm, WithinAbs(-60.0, 1e-9));
    CHECK_THAT(*w_lte.p10_dbm, WithinAbs(-60.0, 1e-9));
    CHECK(w_lte.median_class == SignalClass::excellent);
    CHECK(w_lte.best_server == "A/L1800");
    CHECK_THAT(w_lte.area_served_share, WithinAbs(1.0, 1e-12));
    CHECK_THAT(w_lte.households_served, WithinAbs(80.0, 1e-9));
    CHECK(w.technologies[1].best_server == "A/U2100");
    CHECK(w.technologies[1].median_class == SignalClass::good); // −85 dBm RSCP
    CHECK_FALSE(w.dead_zone);

    const HamletReport& s = reports[1];
    CHECK(s.cells == 140);
    const HamletTechnology& s_lte = s.technologies[0];
    CHECK_THAT(s_lte.area_served_share, WithinAbs(0.5, 1e-12)); // 70 of 140 cells at −60 (fair or better)
    CHECK_THAT(*s_lte.p10_dbm, WithinAbs(-115.0, 1e-9));
    CHECK_FALSE(s.dead_zone); // exactly half: the rule is "fewer than half"

    const HamletReport& d = reports[2];
    CHECK_FALSE(d.technologies[0].median_dbm.has_value());
    CHECK(d.technologies[0].median_class == SignalClass::no_service);
    CHECK(d.technologies[0].best_server.empty());
    CHECK(d.dead_zone);

    // A stricter rule: at least "good" for 60 % of households.
    const auto strict = analyse_hamlets(dem, {split}, l.layers(), DeadZoneRule{Technology::lte, SignalClass::good, 0.6});
    CHECK(strict[0].dead_zone);
}

TEST_CASE("Hamlet outputs: CSV and GeoJSON with units in the names", "[hamlet]") {
    const Dem dem = flat();
    const Layers l;
    const auto reports = analyse_hamlets(dem, {at_cell_centre(dem, 25, 50, "Nà Ca, \"west\"", 60), at_cell_centre(dem, 105, 50, "Dark", 40)},
                                         l.layers());
    write_hamlets_csv(temp("hamlets.csv"), reports);
    write_hamlets_geojson(temp("hamlets.geojson"), reports);
    std::ifstream csv(temp("hamlets.csv"));
    std::string header;
    std::getline(csv, header);
    CHECK_THAT(header, Contains("lte_median_rsrp_dbm") && Contains("umts_p10_rscp_dbm") && Contains("lte_households_at_least_fair") &&
                           Contains("dead_zone"));
    std::string first;
    std::getline(csv, first);
    CHECK_THAT(first, Contains("\"Nà Ca, \"\"west\"\"\"") && Contains(",-60.0,") && Contains(",no"));
    std::ifstream gj(temp("hamlets.geojson"));
    const auto j = nlohmann::json::parse(gj);
    REQUIRE(j["features"].size() == 2);
    CHECK(j["features"][0]["properties"]["name"] == "Nà Ca, \"west\"");
    CHECK(j["features"][1]["properties"]["dead_zone"] == true);
    CHECK(j["features"][1]["properties"]["lte_median_rsrp_dbm"].is_null());
    CHECK(j["features"][0]["properties"]["households"] == 60);
}

TEST_CASE("Reading hamlets: the shipped file, and bad features named", "[hamlet]") {
    const auto hamlets = read_hamlets(test::data_dir + "/sang_moc/hamlets.geojson");
    REQUIRE(hamlets.size() == 11);
    int households = 0;
    for (const auto& h : hamlets) {
        households += h.households;
        CHECK(h.settlement_radius_m > 0.0);
    }
    CHECK(households == 700);
    auto write = [](const std::string& name, const std::string& content) {
        std::ofstream(temp(name)) << content;
        return temp(name);
    };
    CHECK_THROWS_WITH(read_hamlets(write("no_hh.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature",
        "geometry":{"type":"Point","coordinates":[106,21.9]},"properties":{"name":"X","population":10}}]})")),
                      Contains("feature 1 ('X'), field households: value missing"));
    CHECK_THROWS_WITH(read_hamlets(write("neg.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature",
        "geometry":{"type":"Point","coordinates":[106,21.9]},"properties":{"name":"Y","households":-3,"population":10}}]})")),
                      Contains("field households: must be a whole number from 0 to 10000000 (got -3)"));
    // Counts that would overflow (2^31 read as -2147483648 households, 1e20 accepted) are refused, named.
    for (const char* v : {"2147483648", "1e20", "12.5"}) {
        CHECK_THROWS_WITH(read_hamlets(write("big.geojson", std::string(R"({"type":"FeatureCollection","features":[{"type":"Feature",
            "geometry":{"type":"Point","coordinates":[106,21.9]},"properties":{"name":"B","households":)") + v + R"(,"population":10}}]})")),
                          Contains("feature 1 ('B'), field households: must be a whole number from 0 to 10000000 (got "));
    }
    // Two hamlets with one id: the second is named with the first.
    CHECK_THROWS_WITH(read_hamlets(write("dup.geojson", R"({"type":"FeatureCollection","features":[
        {"type":"Feature","geometry":{"type":"Point","coordinates":[106,21.9]},"properties":{"hamlet_id":"H1","name":"A","households":3,"population":10}},
        {"type":"Feature","geometry":{"type":"Point","coordinates":[106.01,21.9]},"properties":{"hamlet_id":"H1","name":"B","households":3,"population":10}}]})")),
                      Contains("feature 2 ('B'), field hamlet_id: 'H1' is also the id of 'A'"));
    // A misspelt field never falls back to the default; a GIS layer's own attributes are left alone.
    CHECK_THROWS_WITH(read_hamlets(write("typo.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature",
        "geometry":{"type":"Point","coordinates":[106,21.9]},"properties":{"name":"T","households":3,"population":10,"settlement_radius":900}}]})")),
                      Contains("field 'settlement_radius' is not one this reader knows; did you mean 'settlement_radius_m'?"));
    CHECK_THROWS_WITH(read_hamlets(write("typo2.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature",
        "geometry":{"type":"Point","coordinates":[106,21.9]},"properties":{"name":"T","househods":3,"households":3,"population":10}}]})")),
                      Contains("field 'househods' is not one this reader knows; did you mean 'households'?"));
    const auto extra = read_hamlets(write("extra.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature",
        "geometry":{"type":"Point","coordinates":[106,21.9]},"properties":{"name":"E","name_en":"E","hamlet_name":"E","commune":"SM",
        "households":3,"population":10,"population_2019":9,"area_km2":1.5}}]})"));
    CHECK(extra.size() == 1);
    CHECK_THROWS_WITH(read_hamlets(write("line.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature",
        "geometry":{"type":"LineString","coordinates":[[106,21.9],[106.1,21.9]]},"properties":{"name":"Z","households":3,"population":10}}]})")),
                      Contains("geometry must be a point"));
    CHECK_THROWS_AS(read_hamlets("/nonexistent/hamlets.geojson"), IoError);
    // A hamlet off the grid is named.
    const Dem dem = flat();
    const Layers l;
    Hamlet far{.hamlet_id = "F", .name = "Far", .location = GeoPoint{.lat_deg = 10.0, .lon_deg = 106.0}, .households = 1, .population = 1, .outline = {}, .homes = {}};
    CHECK_THROWS_WITH(analyse_hamlets(dem, {far}, l.layers()), Contains("hamlet 'Far'"));
    // A hamlet half off the grid is refused (its share would count only the part inside), not truncated silently.
    Hamlet edge = at_cell_centre(dem, 2, 50, "Edge", 10); // 200 m radius from 75 m inside the west edge
    CHECK_THROWS_WITH(analyse_hamlets(dem, {edge}, l.layers()),
                      Contains("hamlet 'Edge' reaches 110 m beyond the edge of the coverage grid"));
}

TEST_CASE("A hamlet where nobody lives is never a dead zone", "[hamlet]") {
    const Dem dem = flat();
    const Layers l;
    const auto reports = analyse_hamlets(dem, {at_cell_centre(dem, 105, 50, "Empty dark", 0), at_cell_centre(dem, 104, 50, "Dark", 5)},
                                         l.layers());
    CHECK_FALSE(reports[0].dead_zone);
    CHECK(reports[0].technologies[0].median_class == SignalClass::no_service); // still reported as it is
    CHECK(reports[1].dead_zone);
}

TEST_CASE("A hamlet outline (polygon with a hole) counts the cells inside it", "[hamlet]") {
    const Dem dem = flat();
    const Layers l;
    // Outer square: cells 40-59 × rows 40-59 (400 cells: LTE −60 dBm west of column 50, −115 dBm east of it).
    // Hole: cells 40-49 × rows 40-49 (100 served cells). Left: 300 cells of which 100 served.
    const std::string path = temp("outline.geojson");
    std::ofstream(path) << R"({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}},
 "features": [{"type": "Feature", "properties": {"name": "Ring", "households": 90, "population": 300},
   "geometry": {"type": "Polygon", "coordinates": [
     [[501200, 2428800], [501800, 2428800], [501800, 2428200], [501200, 2428200], [501200, 2428800]],
     [[501200, 2428800], [501500, 2428800], [501500, 2428500], [501200, 2428500], [501200, 2428800]]]}},
  {"type": "Feature", "properties": {"name": "Two squares", "households": 10, "population": 30},
   "geometry": {"type": "MultiPolygon", "coordinates": [
     [[[500300, 2428800], [500600, 2428800], [500600, 2428500], [500300, 2428500], [500300, 2428800]]],
     [[[502700, 2428800], [503000, 2428800], [503000, 2428500], [502700, 2428500], [502700, 2428800]]]]}}]})";
    const auto hamlets = read_hamlets(path);
    REQUIRE(hamlets.size() == 2);
    CHECK(hamlets[0].outline.size() == 2);
    CHECK(hamlets[1].outline.size() == 2);
    CHECK(hamlet_cells(dem, hamlets[0]).size() == 300);
    CHECK(hamlet_cells(dem, hamlets[1]).size() == 200); // 10 × 10 cells each
    // The point inside is inside the outer ring and not in the hole.
    const GridPoint p = dem.to_grid(hamlets[0].location);
    CHECK(p.x_m > 501200.0);
    CHECK(p.x_m < 501800.0);
    CHECK_FALSE((p.x_m < 501500.0 && p.y_m > 2428500.0));
    const auto reports = analyse_hamlets(dem, hamlets, l.layers());
    CHECK_THAT(reports[0].technologies[0].area_served_share, WithinAbs(100.0 / 300.0, 1e-12));
    CHECK_THAT(reports[0].technologies[0].households_served, WithinAbs(30.0, 1e-9));
    CHECK(reports[0].cells == 300);
    CHECK(reports[0].dead_zone);
    // West square (columns 10-19) served, east square (columns 90-99) without signal: half.
    CHECK_THAT(reports[1].technologies[0].area_served_share, WithinAbs(0.5, 1e-12));
}

TEST_CASE("Household points: households counted where they live", "[hamlet][households]") {
    const Dem dem = flat();
    const Layers l;
    // A hamlet across the LTE edge at column 50 (fair or better west of it, -115 dBm east): radius 300 m around
    // column 50, so spread evenly about half its households are served. Its ten households live at four points: seven
    // at one point west of the edge (column 45), one each at three points east of it (columns 52-56).
    Hamlet h = at_cell_centre(dem, 50, 50, "EDGE", 10);
    h.settlement_radius_m = 300.0;
    const Hamlet spread = h;
    h.homes = {HouseholdPoint{dem.to_geo(dem.cell_centre(45, 50)), 7.0}, HouseholdPoint{dem.to_geo(dem.cell_centre(52, 50)), 1.0},
               HouseholdPoint{dem.to_geo(dem.cell_centre(54, 50)), 1.0}, HouseholdPoint{dem.to_geo(dem.cell_centre(56, 50)), 1.0}};

    SECTION("cells and their households sum to the hamlet's count") {
        const auto cells = household_cells(dem, h);
        REQUIRE(cells.size() == 4);
        CHECK(cells[0].cell.col == 45);
        CHECK_THAT(cells[0].households, WithinAbs(7.0, 1e-12));
        double sum = 0.0;
        for (const HouseholdCell& c : cells) {
            sum += c.households;
        }
        CHECK_THAT(sum, WithinAbs(10.0, 1e-12));
        // The points' own counts are shares: a hamlet of 20 households with the same points counts 14 at the first.
        Hamlet twice = h;
        twice.households = 20;
        CHECK_THAT(household_cells(dem, twice)[0].households, WithinAbs(14.0, 1e-12));
        // Two points in one cell add up.
        Hamlet same = h;
        same.homes.push_back(HouseholdPoint{dem.to_geo(dem.cell_centre(45, 50)), 1.0});
        const auto merged = household_cells(dem, same);
        REQUIRE(merged.size() == 4);
        CHECK_THAT(merged[0].households, WithinAbs(10.0 * 8.0 / 11.0, 1e-12));
    }
    SECTION("the analysis: served households, the median over households, the dead-zone rule") {
        const auto even = analyse_hamlets(dem, {spread}, l.layers());
        const auto at_points = analyse_hamlets(dem, {h}, l.layers());
        const HamletTechnology& e = even[0].technologies[0];
        const HamletTechnology& p = at_points[0].technologies[0];
        CHECK_THAT(p.households_served, WithinAbs(7.0, 1e-9));     // exactly the seven west of the edge
        CHECK_THAT(p.area_served_share, WithinAbs(0.25, 1e-12));   // one of the four cells with households
        CHECK_THAT(*p.median_dbm, WithinAbs(-60.0, 1e-9));         // the median household is west of the edge
        CHECK(!at_points[0].dead_zone);
        CHECK(e.households_served < 6.0);                           // spread evenly: fewer than six
        CHECK(at_points[0].cells == 4);
        // Seven of ten is not enough when the rule asks for 80 %.
        DeadZoneRule strict;
        strict.min_households_share = 0.8;
        CHECK(analyse_hamlets(dem, {h}, l.layers(), strict)[0].dead_zone);
        // hamlets.csv says how many points each hamlet has.
        const std::string csv = (std::filesystem::temp_directory_path() / "coverage_test_households.csv").string();
        write_hamlets_csv(csv, at_points);
        std::ifstream in(csv);
        std::string header, row;
        std::getline(in, header);
        std::getline(in, row);
        CHECK_THAT(header, Contains("household_points"));
        CHECK_THAT(row, Contains(",4,"));
    }
    SECTION("a household point off the grid is refused, naming the hamlet") {
        Hamlet off = h;
        off.homes.push_back(HouseholdPoint{GeoPoint{.lat_deg = 10.0, .lon_deg = 106.0}, 1.0});
        CHECK_THROWS_WITH(analyse_hamlets(dem, {off}, l.layers()), Contains("'EDGE' has a household point"));
    }
}

TEST_CASE("Reading household points: linked by name, id, outline or radius, strays counted, bad rows named", "[hamlet][households]") {
    const Dem dem = flat();
    Hamlet a = at_cell_centre(dem, 20, 20, "A", 10);
    Hamlet b = at_cell_centre(dem, 80, 80, "B", 10);
    b.hamlet_id = "HB";
    // B has an outline: a square of 10 cells around its point.
    const GridPoint c = dem.cell_centre(80, 80);
    b.outline = {{dem.to_geo({c.x_m - 150, c.y_m - 150}), dem.to_geo({c.x_m + 150, c.y_m - 150}), dem.to_geo({c.x_m + 150, c.y_m + 150}),
                  dem.to_geo({c.x_m - 150, c.y_m + 150}), dem.to_geo({c.x_m - 150, c.y_m - 150})}};
    const auto dir = std::filesystem::temp_directory_path() / "coverage_test_households";
    std::filesystem::create_directories(dir);
    auto write = [&](const std::string& name, const std::string& rows, const std::string& header = "lat_deg,lon_deg,households,hamlet\n") {
        const auto path = (dir / name).string();
        std::ofstream(path) << header << rows;
        return path;
    };
    const GeoPoint in_a = dem.to_geo(dem.cell_centre(22, 20));   // within A's 200 m radius
    const GeoPoint in_b = dem.to_geo(dem.cell_centre(82, 81));   // inside B's outline
    const GeoPoint named = dem.to_geo(dem.cell_centre(60, 60));  // far from both, but names A
    const GeoPoint stray = dem.to_geo(dem.cell_centre(50, 5));   // in no hamlet
    auto line = [](const GeoPoint& g, const std::string& hh, const std::string& hamlet) {
        std::ostringstream s;
        s.precision(10);
        s << g.lat_deg << "," << g.lon_deg << "," << hh << "," << hamlet << "\n";
        return s.str();
    };
    std::vector<Hamlet> hamlets = {a, b};
    const std::string good = write("good.csv", line(in_a, "2", "") + line(in_b, "", "") + line(named, "3", "A") + line(stray, "1", ""));
    const HouseholdPointsSummary s = read_household_points(good, hamlets);
    CHECK(s.points == 4);
    CHECK(s.linked == 3);
    CHECK(s.outside == 1);
    CHECK(s.hamlets_with_points == 2);
    REQUIRE(hamlets[0].homes.size() == 2);
    CHECK(hamlets[0].homes[0].households == 2.0);
    CHECK(hamlets[0].homes[1].households == 3.0);
    REQUIRE(hamlets[1].homes.size() == 1);
    CHECK(hamlets[1].homes[0].households == 1.0); // default: one household per point

    std::vector<Hamlet> again = {a, b};
    CHECK_THROWS_WITH(read_household_points(write("unknown.csv", line(in_a, "1", "Nowhere")), again),
                      Contains("feature 1, field hamlet: 'Nowhere' is not a hamlet"));
    CHECK_THROWS_WITH(read_household_points(write("zero.csv", line(in_a, "1", "") + line(in_a, "0", "")), again),
                      Contains("feature 2, field households: must be > 0"));
    CHECK_THROWS_WITH(read_household_points(write("none.csv", line(stray, "1", "")), again), Contains("none of its 1 points"));
    CHECK_THROWS_WITH(read_household_points(write("typo.csv", "1,2,3\n", "lat_deg,lon_deg,houshold\n"), again), Contains("did you mean"));
}
