// read_layer: features of any vector format as text fields and WGS84 geometry, with errors that name the file.
#include <coverage/core/error.hpp>
#include <coverage/io/vector_layer.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

using namespace coverage;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

std::string write(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / "coverage_test_vector_layer";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
}

} // namespace

TEST_CASE("read_layer: fields as trimmed text, blanks absent, geometry kinds and parts in order", "[io][vector]") {
    const std::string path = write("mixed.geojson", R"({"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"name":"  A  ","n":3,"blank":"  "},"geometry":{"type":"Point","coordinates":[106.0,21.9]}},
 {"type":"Feature","properties":{"name":"B"},"geometry":{"type":"MultiLineString","coordinates":[[[106,21.9],[106.1,21.9]],[[106.2,22],[106.3,22],[106.4,22.1]]]}},
 {"type":"Feature","properties":{"name":"C"},"geometry":{"type":"Polygon","coordinates":[[[106,21],[107,21],[107,22],[106,22],[106,21]],[[106.4,21.4],[106.6,21.4],[106.6,21.6],[106.4,21.4]]]}},
 {"type":"Feature","properties":{"name":"D"},"geometry":null}
]})");
    const VectorLayer layer = read_layer(path, "test file");
    REQUIRE(layer.features.size() == 4);
    CHECK(layer.field_names == std::vector<std::string>{"name", "n", "blank"});
    const VectorFeature& a = layer.features[0];
    CHECK(a.number == 1);
    CHECK(a.values.at("name") == "A");
    CHECK(a.values.at("n") == "3");
    CHECK(a.values.count("blank") == 0);
    CHECK(a.geometry.kind == FeatureGeometry::Kind::point);
    CHECK(a.geometry.parts.at(0).points.at(0).lon_deg == 106.0);
    CHECK(a.geometry.parts.at(0).points.at(0).lat_deg == 21.9);
    const FeatureGeometry& b = layer.features[1].geometry;
    CHECK(b.kind == FeatureGeometry::Kind::multi_line);
    REQUIRE(b.parts.size() == 2);
    CHECK(b.parts[0].kind == GeometryPart::Kind::line);
    CHECK(b.parts[1].points.size() == 3);
    const FeatureGeometry& c = layer.features[2].geometry;
    CHECK(c.kind == FeatureGeometry::Kind::polygon);
    REQUIRE(c.parts.size() == 2); // exterior, then the hole
    CHECK(c.parts[0].kind == GeometryPart::Kind::ring);
    CHECK(c.parts[0].points.size() == 5);
    REQUIRE(c.inside.has_value());
    CHECK(c.inside->lon_deg > 106.0);
    CHECK(c.inside->lon_deg < 107.0);
    CHECK(layer.features[3].geometry.kind == FeatureGeometry::Kind::none);

    const FeatureFields f("test file 'mixed.geojson', feature 1", "field", a);
    CHECK(f.number("n") == 3.0);
    CHECK_THROWS_WITH(f.number("name"), Contains("feature 1, field name: not a number: 'A'"));
    CHECK_THROWS_WITH(f.text("blank"), Contains("field blank: value missing"));
    CHECK(f.position().lat_deg == 21.9);
}

TEST_CASE("read_layer: a projected layer comes out in WGS84, and x_m/y_m with a CRS field are transformed", "[io][vector]") {
    // UTM 48N (EPSG:32648): the central meridian, 105 E, at easting 500 000 m; the equator at northing 0.
    const std::string path = write("utm.geojson", R"({"type":"FeatureCollection",
 "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32648"}},"features":[
 {"type":"Feature","properties":{"name":"on the meridian"},"geometry":{"type":"Point","coordinates":[500000.0,2433000.0]}}]})");
    const VectorLayer layer = read_layer(path, "test file");
    const GeoPoint p = layer.features.at(0).geometry.parts.at(0).points.at(0);
    CHECK_THAT(p.lon_deg, WithinAbs(105.0, 1e-9));
    CHECK_THAT(p.lat_deg, WithinAbs(22.0, 0.01)); // 2 433 km north of the equator

    const std::string csv = write("xy.csv", "name,x_m,y_m,crs\nP,500000,0,EPSG:32648\nQ,1,2,EPSG:999999\n");
    const VectorLayer table = read_layer(csv, "test file", "row");
    const FeatureFields ok("row 1", "column", table.features.at(0));
    CHECK_THAT(ok.position().lon_deg, WithinAbs(105.0, 1e-9));
    CHECK_THAT(ok.position().lat_deg, WithinAbs(0.0, 1e-9));
    const FeatureFields bad("test file 'xy.csv', row 2", "column", table.features.at(1));
    CHECK_THROWS_WITH(bad.position(), Contains("row 2, column crs: unknown CRS 'EPSG:999999'"));
}

TEST_CASE("read_layer: a missing or unreadable file is an IoError naming it", "[io][vector]") {
    CHECK_THROWS_AS(read_layer("/nonexistent/layer.geojson", "roads file"), IoError);
    CHECK_THROWS_WITH(read_layer("/nonexistent/layer.geojson", "roads file"), Contains("roads file '/nonexistent/layer.geojson'"));
    const std::string junk = write("junk.geojson", "{ this is not json");
    CHECK_THROWS_AS(read_layer(junk, "roads file"), IoError);
}
