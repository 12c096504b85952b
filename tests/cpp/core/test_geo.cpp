#include <coverage/core/error.hpp>
#include <coverage/core/geo.hpp>

#include <catch2/catch.hpp>

using namespace coverage;
using Catch::Matchers::WithinAbs;

TEST_CASE("GeoTransform pixel <-> geo round trip", "[geo]") {
    const GeoTransform gt{.xorig = 500000.0, .xscale = 30.0, .xrot = 0.0, .yorig = 2430000.0, .yrot = 0.0, .yscale = -30.0};
    const GridPoint g = gt.pixel_to_geo(PixelPoint{.col = 10.5, .row = 20.5});
    CHECK_THAT(g.x_m, WithinAbs(500315.0, 1e-9));
    CHECK_THAT(g.y_m, WithinAbs(2429385.0, 1e-9));
    const PixelPoint p = gt.geo_to_pixel(g);
    CHECK_THAT(p.col, WithinAbs(10.5, 1e-9));
    CHECK_THAT(p.row, WithinAbs(20.5, 1e-9));
    CHECK(GeoTransform::from_gdal(gt.to_gdal()) == gt);
    const GeoTransform singular{.xorig = 0, .xscale = 0, .xrot = 0, .yorig = 0, .yrot = 0, .yscale = 0};
    CHECK_THROWS_AS(singular.geo_to_pixel(g), InvalidArgument);
}

TEST_CASE("UTM zone selection", "[geo]") {
    CHECK(utm_epsg_for(GeoPoint{.lat_deg = 21.9, .lon_deg = 106.0}) == 32648); // Sảng Mộc
    CHECK(utm_epsg_for(GeoPoint{.lat_deg = 44.5, .lon_deg = -71.5}) == 32619);
    CHECK(utm_epsg_for(GeoPoint{.lat_deg = -19.4, .lon_deg = -43.5}) == 32723);
}

TEST_CASE("Great-circle distance: one degree of latitude", "[geo]") {
    const double d = great_circle_distance_m(GeoPoint{.lat_deg = 21.0, .lon_deg = 106.0}, GeoPoint{.lat_deg = 22.0, .lon_deg = 106.0});
    CHECK_THAT(d, WithinAbs(earth_radius_m * 3.14159265358979323846 / 180.0, 1e-6));
}
