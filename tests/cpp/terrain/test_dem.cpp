// Terrain: real tiles from data/dem (see data/README.md), synthetic rasters with known answers, bad input.

#include <coverage/terrain/dem.hpp>
#include <coverage/core/error.hpp>
#include <coverage/io/raster_io.hpp>

#include "support/test_paths.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <iomanip>
#include <optional>
#include <limits>

using namespace coverage;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

// A synthetic DEM in UTM 48N (Sảng Mộc's zone): `width` x `height` cells of `cell_m`, origin at
// (500000, 2430000) top-left, elevation from f(x_m, y_m) at each cell centre.
template <typename F>
Dem synthetic(int width, int height, double cell_m, F f) {
    const GeoTransform gt{.xorig = 500000.0, .xscale = cell_m, .xrot = 0.0, .yorig = 2430000.0, .yrot = 0.0, .yscale = -cell_m};
    Raster<float> r(width, height, gt, Crs{"EPSG:32648"}, std::numeric_limits<float>::quiet_NaN());
    for (int row = 0; row < height; ++row) {
        for (int col = 0; col < width; ++col) {
            const GridPoint c = gt.pixel_to_geo(PixelPoint{.col = col + 0.5, .row = row + 0.5});
            r.at(col, row) = static_cast<float>(f(c.x_m, c.y_m));
        }
    }
    return Dem(std::move(r));
}

GridPoint at(double dx_m, double dy_m) { return GridPoint{.x_m = 500000.0 + dx_m, .y_m = 2430000.0 - dy_m}; }

std::string tmp_dir() {
    const auto dir = std::filesystem::temp_directory_path() / "coverage_test_dem";
    std::filesystem::create_directories(dir);
    return dir.string();
}

} // namespace

TEST_CASE("Synthetic flat DEM: every profile point is the plateau height", "[dem]") {
    const Dem dem = synthetic(100, 100, 30.0, [](double, double) { return 250.0; });
    const TerrainProfile p = dem.profile(at(100, 100), at(2800, 2000), 30.0);
    CHECK(p.point_count() >= 2);
    for (double z : p.elevation_m) {
        CHECK_THAT(z, WithinAbs(250.0, 1e-6));
    }
    CHECK_THAT(p.length_m(), WithinAbs(std::hypot(2700.0, 1900.0), 1e-6));
    CHECK(p.step_m <= 30.0);
}

TEST_CASE("Synthetic ramp: bilinear sampling is exact for a plane", "[dem]") {
    // z = 100 + 0.02·(x − 500000) − 0.01·(y − 2430000): a plane, which bilinear interpolation reproduces.
    auto plane = [](double x, double y) { return 100.0 + 0.02 * (x - 500000.0) - 0.01 * (y - 2430000.0); };
    const Dem dem = synthetic(200, 150, 25.0, plane);
    for (const GridPoint g : {at(37.3, 41.9), at(2500.0, 1234.5), at(4960.0, 3700.0)}) {
        CHECK_THAT(dem.elevation_m(g), WithinAbs(plane(g.x_m, g.y_m), 1e-3));
    }
    const GridPoint a = at(100.0, 100.0);
    const GridPoint b = at(4100.0, 3100.0);
    const TerrainProfile p = dem.profile(a, b, 50.0);
    REQUIRE(p.interval_count() == 100); // 5000 m / 50 m
    CHECK_THAT(p.step_m, WithinAbs(50.0, 1e-9));
    for (std::size_t i = 0; i < p.point_count(); ++i) {
        const double t = static_cast<double>(i) / 100.0;
        const double x = a.x_m + t * (b.x_m - a.x_m);
        const double y = a.y_m + t * (b.y_m - a.y_m);
        CHECK_THAT(p.elevation_m[i], WithinAbs(plane(x, y), 1e-3));
    }
    // A step that does not divide the length is reduced to the next whole number of intervals.
    const TerrainProfile q = dem.profile(a, at(1100.0, 100.0), 30.0);
    CHECK(q.interval_count() == 34);
    CHECK_THAT(q.step_m, WithinAbs(1000.0 / 34.0, 1e-9));
}

TEST_CASE("Synthetic ridge: the profile peaks where it crosses the ridge", "[dem]") {
    // A 400 m knife-edge ridge along the column at x = 500000 + 1515 (cell 50), on a 200 m plain.
    const Dem dem = synthetic(100, 60, 30.0, [](double x, double) { return std::fabs(x - 501515.0) < 1.0 ? 600.0 : 200.0; });
    const TerrainProfile p = dem.profile(at(15.0, 900.0), at(2985.0, 900.0), 10.0);
    const auto peak = std::max_element(p.elevation_m.begin(), p.elevation_m.end());
    CHECK_THAT(*peak, WithinAbs(600.0, 1e-6));
    CHECK_THAT(p.distance_m(static_cast<std::size_t>(peak - p.elevation_m.begin())), WithinAbs(1500.0, 1e-6));
    CHECK_THAT(p.elevation_m.front(), WithinAbs(200.0, 1e-6));
    // Halfway between the ridge's cell centre and the next one, bilinear gives the mean.
    CHECK_THAT(dem.elevation_m(at(1530.0, 900.0)), WithinAbs(400.0, 1e-4));
}

TEST_CASE("Points and profiles that leave the DEM are errors naming the point", "[dem]") {
    const Dem dem = synthetic(50, 50, 30.0, [](double, double) { return 10.0; });
    CHECK_THROWS_AS(dem.elevation_m(at(-100.0, 10.0)), OutOfDomain);
    CHECK_THROWS_WITH(dem.elevation_m(at(-100.0, 10.0)), Contains("off the DEM") && Contains("x_m = 499900.0"));
    CHECK_THROWS_WITH(dem.profile(at(100.0, 100.0), at(3000.0, 100.0), 30.0),
                      Contains("off the DEM") && Contains("m along the path"));
    CHECK_THROWS_WITH(dem.profile(at(-300.0, 100.0), at(1000.0, 100.0), 30.0), Contains("start point"));
    CHECK_FALSE(dem.try_elevation_m(at(5000.0, 5000.0)).has_value());
    CHECK_THROWS_AS(dem.profile(at(100.0, 100.0), at(100.0, 100.0), 30.0), InvalidArgument);
    CHECK_THROWS_AS(dem.profile(at(100.0, 100.0), at(900.0, 100.0), 0.0), InvalidArgument);
    // A geographic point far away is reported with its latitude and longitude.
    CHECK_THROWS_WITH(dem.elevation_m(GeoPoint{.lat_deg = 10.0, .lon_deg = 106.0}), Contains("10.00000 N, 106.00000 E"));
}

TEST_CASE("A void under a profile point is an error naming it", "[dem]") {
    const Dem dem = synthetic(50, 50, 30.0, [](double x, double y) {
        return (std::fabs(x - 500765.0) < 1.0 && std::fabs(y - 2429235.0) < 1.0) ? std::nan("") : 10.0;
    });
    // This Dem came from a raster, not read_dem: NaN counts as outside the data unless a void was reported.
    CHECK_THROWS_AS(dem.elevation_m(at(765.0, 765.0)), OutOfDomain);
}

TEST_CASE("sample_line: a line that leaves the DEM or meets a void has values up to there, as point by point", "[dem]") {
    // Terrain that no interpolation reproduces exactly, so that every sampled value says where it was taken; one void.
    const Dem dem = synthetic(80, 60, 30.0, [](double x, double y) {
        if (std::fabs(x - 501215.0) < 1.0 && std::fabs(y - 2428515.0) < 1.0) {
            return std::nan("");
        }
        return 300.0 + 80.0 * std::sin((x - 500000.0) / 170.0) * std::cos((y - 2430000.0) / 230.0);
    });
    // The reference, computed here from the posts: each point of the line interpolated bilinearly between the four
    // cell centres around it, up to the first point outside the outermost centres or next to the void.
    auto one_by_one = [&](GridPoint a, GridPoint b, std::size_t intervals, std::vector<double>& z) {
        const Raster<float>& posts = dem.raster();
        z.clear();
        for (std::size_t i = 0; i <= intervals; ++i) {
            const double t = static_cast<double>(i) / static_cast<double>(intervals);
            const double c = (a.x_m + t * (b.x_m - a.x_m) - 500000.0) / 30.0 - 0.5; // cell-centre coordinates
            const double r = (2430000.0 - (a.y_m + t * (b.y_m - a.y_m))) / 30.0 - 0.5;
            if (!(c >= 0.0 && r >= 0.0 && c <= 79.0 && r <= 59.0)) {
                break;
            }
            const int c0 = std::min(static_cast<int>(c), 78);
            const int r0 = std::min(static_cast<int>(r), 58);
            const double fx = c - c0;
            const double fy = r - r0;
            const double v = (posts.at(c0, r0) * (1.0 - fx) + posts.at(c0 + 1, r0) * fx) * (1.0 - fy) +
                             (posts.at(c0, r0 + 1) * (1.0 - fx) + posts.at(c0 + 1, r0 + 1) * fx) * fy;
            if (std::isnan(v)) {
                break;
            }
            z.push_back(v);
        }
        return z.size();
    };
    struct Line {
        GridPoint from;
        GridPoint to;
        std::size_t intervals;
        std::size_t with_values; // from the geometry: cell centres span 15..2385 m east and 15..1785 m south of the corner
    };
    const std::vector<Line> lines = {
        {at(100.0, 100.0), at(2000.0, 1500.0), 90, 91},   // inside all the way
        {at(100.0, 900.0), at(3100.0, 900.0), 100, 77},   // out through the east edge: 100 + 30 i <= 2385 up to i = 76
        {at(1200.0, 900.0), at(1200.0, -600.0), 50, 30},  // out through the north edge: 900 - 30 i >= 15 up to i = 29
        {at(2000.0, 1500.0), at(-400.0, -310.0), 120, 99}, // diagonal, out through the north edge first (i = 98)
        {at(400.0, 1500.0), at(1600.0, 1500.0), 60, 40},  // meets the void's cell (centre 1215 m east) from x = 1200 m (i = 40)
    };
    for (const Line& l : lines) {
        INFO("line to " << l.to.x_m - 500000.0 << " m east, " << 2430000.0 - l.to.y_m << " m south");
        std::vector<double> expected;
        REQUIRE(one_by_one(l.from, l.to, l.intervals, expected) == l.with_values);
        std::vector<double> z(l.intervals + 1, -1.0);
        REQUIRE(dem.sample_line(l.from, l.to, l.intervals, z.data(), ProfileSampling::bilinear) == l.with_values);
        for (std::size_t i = 0; i < l.with_values; ++i) {
            CHECK_THAT(z[i], WithinAbs(expected[i], 1e-9));
        }
    }
}

TEST_CASE("WGS84 <-> UTM 48N round trip", "[dem]") {
    const Dem dem = synthetic(10, 10, 30.0, [](double, double) { return 0.0; });
    const GeoPoint p{.lat_deg = 21.9, .lon_deg = 106.02};
    const GridPoint g = dem.to_grid(p);
    const GeoPoint back = dem.to_geo(g);
    CHECK_THAT(back.lat_deg, WithinAbs(p.lat_deg, 1e-9));
    CHECK_THAT(back.lon_deg, WithinAbs(p.lon_deg, 1e-9));
    CHECK(g.x_m > 500000.0); // east of the zone's central meridian (105 E)
}

TEST_CASE("read_dem: SRTM3 .hgt tile N44W072 reprojected to its UTM zone", "[dem][io]") {
    const Dem dem = read_dem({test::dem_dir + "/N44W072.hgt"});
    CHECK(dem.crs().definition == "EPSG:32619");
    CHECK(dem.voids().source_void_cells == 0);
    // 3 arc-seconds is ~92.6 m north-south; GDAL's suggested square cell is of that order.
    CHECK(dem.cell_size_m() > 60.0);
    CHECK(dem.cell_size_m() < 100.0);
    float lo = std::numeric_limits<float>::max();
    float hi = std::numeric_limits<float>::lowest();
    for (float v : dem.raster().values()) {
        if (!std::isnan(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    // Source range 115-1908 m (data/dem/SOURCE.md); bilinear resampling stays inside it.
    CHECK(lo >= 115.0F);
    CHECK(hi <= 1908.0F);
    CHECK(hi > 1800.0F);
    // Mt Washington summit (44.2706 N, 71.3033 W, 1917 m): the 90 m DEM is within ~60 m of it.
    CHECK_THAT(dem.elevation_m(GeoPoint{.lat_deg = 44.2706, .lon_deg = -71.3033}), WithinAbs(1880.0, 60.0));
}

TEST_CASE("read_dem: a crop at a chosen cell size and CRS", "[dem][io]") {
    DemOptions o;
    o.area = GeoBox{.south_deg = 44.2, .west_deg = -71.4, .north_deg = 44.35, .east_deg = -71.2};
    o.cell_size_m = 30.0;
    const Dem dem = read_dem({test::dem_dir + "/N44W072.hgt"}, o);
    CHECK_THAT(dem.cell_size_m(), WithinAbs(30.0, 1e-9));
    // ~16 km x ~16.7 km at 30 m
    CHECK(dem.raster().width() > 500);
    CHECK(dem.raster().width() < 600);
    CHECK(dem.raster().height() > 540);
    CHECK(dem.raster().height() < 600);
    CHECK(dem.voids().grid_nodata_cells == 0);

    o.target_crs = Crs{"EPSG:32618"}; // the neighbouring zone, named explicitly
    const Dem other = read_dem({test::dem_dir + "/N44W072.hgt"}, o);
    CHECK(other.crs().definition == "EPSG:32618");
    const GeoPoint p{.lat_deg = 44.27, .lon_deg = -71.3};
    CHECK_THAT(other.elevation_m(p), WithinAbs(dem.elevation_m(p), 25.0));
}

TEST_CASE("read_dem: a resampled grid has its edges on whole cells, holds the area and shares cells with other reads",
          "[dem][io]") {
    DemOptions o;
    o.area = GeoBox{.south_deg = 44.2, .west_deg = -71.4, .north_deg = 44.3, .east_deg = -71.3};
    o.cell_size_m = 30.0;
    const Dem aligned = read_dem({test::dem_dir + "/N44W072.hgt"}, o);
    const GeoTransform& a = aligned.raster().transform();
    CHECK(std::fmod(a.xorig, 30.0) == 0.0);
    CHECK(std::fmod(a.yorig, 30.0) == 0.0);
    // The area's corners lie inside the grid (snapped outwards), and the grid is at most a cell wider on each side.
    for (const GeoPoint corner : {GeoPoint{.lat_deg = 44.2, .lon_deg = -71.4}, GeoPoint{.lat_deg = 44.3, .lon_deg = -71.3},
                                  GeoPoint{.lat_deg = 44.2, .lon_deg = -71.3}, GeoPoint{.lat_deg = 44.3, .lon_deg = -71.4}}) {
        CHECK(aligned.cell_at(aligned.to_grid(corner)).has_value());
    }
    // Two reads of overlapping areas share their cells: a window of one is the other, value for value.
    DemOptions inner = o;
    inner.area = GeoBox{.south_deg = 44.22, .west_deg = -71.38, .north_deg = 44.27, .east_deg = -71.33};
    const Dem part = read_dem({test::dem_dir + "/N44W072.hgt"}, inner);
    const GeoTransform& b = part.raster().transform();
    const double col0 = (b.xorig - a.xorig) / 30.0;
    const double row0 = (a.yorig - b.yorig) / 30.0;
    REQUIRE(col0 == std::floor(col0));
    REQUIRE(row0 == std::floor(row0));
    const GridPoint centre = part.cell_centre(10, 10);
    const GridPoint same = aligned.cell_centre(10 + static_cast<int>(col0), 10 + static_cast<int>(row0));
    CHECK(centre.x_m == same.x_m);
    CHECK(centre.y_m == same.y_m);
    // Resampled values agree closely but not to the bit: GDAL's warper interpolates the CRS transform along each
    // row (its default error threshold, 1/8 cell), so a cell's source position depends a little on the extent.
    // (The province never relies on this: it reads a commune once and cuts windows from that grid.)
    double worst_m = 0.0;
    for (int r = 0; r < part.raster().height(); ++r) {
        for (int c = 0; c < part.raster().width(); ++c) {
            worst_m = std::max(worst_m, std::fabs(static_cast<double>(part.raster().at(c, r)) -
                                                  aligned.raster().at(c + static_cast<int>(col0), r + static_cast<int>(row0))));
        }
    }
    CHECK(worst_m < 1.0);
}

TEST_CASE("read_dem: a DEM already in the working CRS at the working cell size keeps its own cells, values as measured",
          "[dem][io]") {
    // The Sang Moc terrain: UTM 48N, 30 m cells, origin (598000, 2430200) -- not on whole multiples of 30 m, so a
    // grid aligned to multiples would be shifted by 1/3 and 2/3 of a cell and every value interpolated.
    const std::string path = test::data_dir + "/sang_moc/terrain_synthetic_30m.tif";
    const Raster<float> source = read_raster_band(path);
    const GeoTransform& s = source.transform();
    REQUIRE(std::fmod(s.xorig, 30.0) != 0.0);
    DemOptions o;
    o.area = GeoBox{.south_deg = 21.88, .west_deg = 105.98, .north_deg = 21.94, .east_deg = 106.05};
    for (const std::optional<double> cell : {std::optional<double>{}, std::optional<double>{30.0}}) {
        o.cell_size_m = cell;
        const Dem dem = read_dem({path}, o);
        const GeoTransform& g = dem.raster().transform();
        CHECK(g.xscale == 30.0);
        const double col0 = (g.xorig - s.xorig) / 30.0;
        const double row0 = (s.yorig - g.yorig) / 30.0;
        REQUIRE(col0 == std::floor(col0));
        REQUIRE(row0 == std::floor(row0));
        REQUIRE(col0 >= 0.0);
        REQUIRE(row0 >= 0.0);
        std::size_t differ = 0;
        for (int r = 0; r < dem.raster().height(); ++r) {
            for (int c = 0; c < dem.raster().width(); ++c) {
                differ += dem.raster().at(c, r) != source.at(c + static_cast<int>(col0), r + static_cast<int>(row0)) ? 1U : 0U;
            }
        }
        CHECK(differ == 0);
        CHECK(dem.cell_at(dem.to_grid(GeoPoint{.lat_deg = 21.88, .lon_deg = 105.98})).has_value());
        CHECK(dem.cell_at(dem.to_grid(GeoPoint{.lat_deg = 21.94, .lon_deg = 106.05})).has_value());
    }
    // At another cell size the source is resampled, onto edges at whole multiples of that size.
    o.cell_size_m = 60.0;
    const Dem coarse = read_dem({path}, o);
    CHECK(std::fmod(coarse.raster().transform().xorig, 60.0) == 0.0);
    CHECK(std::fmod(coarse.raster().transform().yorig, 60.0) == 0.0);
}

TEST_CASE("read_dem: the user picks how a DEM off the grid is resampled, and one on the grid keeps its cells whatever is picked",
          "[dem][io]") {
    // N44W072 is geographic (3″): every read resamples it onto UTM 19N. Mt Washington's cell, 1908 m, is the tile's
    // highest; nearest keeps source values, bilinear and average smooth the summit, cubic keeps it sharper than
    // bilinear (its kernel's negative lobes).
    DemOptions o;
    o.area = GeoBox{.south_deg = 44.24, .west_deg = -71.33, .north_deg = 44.30, .east_deg = -71.27};
    o.cell_size_m = 90.0;
    std::map<Resampling, double> top_m;
    std::map<Resampling, Raster<float>> grids;
    for (const Resampling r : {Resampling::bilinear, Resampling::cubic, Resampling::nearest, Resampling::average}) {
        o.resampling = r;
        const Dem dem = read_dem({test::dem_dir + "/N44W072.hgt"}, o);
        INFO(to_string(r));
        CHECK(dem.resampling() == to_string(r));
        const auto& v = dem.raster().values();
        top_m[r] = *std::max_element(v.begin(), v.end());
        grids.emplace(r, dem.raster());
    }
    CHECK(top_m[Resampling::nearest] == 1908.0);
    CHECK(top_m[Resampling::bilinear] < 1908.0);
    CHECK(top_m[Resampling::cubic] > top_m[Resampling::bilinear]);
    CHECK(top_m[Resampling::average] < 1908.0);
    // One grid whatever the method (edges on whole multiples of the cell), the values differ.
    CHECK(grids.at(Resampling::cubic).transform() == grids.at(Resampling::bilinear).transform());
    CHECK(grids.at(Resampling::nearest).values() != grids.at(Resampling::bilinear).values());
    // Every value of the nearest grid is a source value: whole metres.
    for (const float z : grids.at(Resampling::nearest).values()) {
        REQUIRE(z == std::round(z));
    }

    // A DEM on the working grid keeps its own cells whatever method is asked for, and says so.
    const std::string native = test::data_dir + "/sang_moc/terrain_synthetic_30m.tif";
    DemOptions n;
    n.resampling = Resampling::cubic;
    const Dem own = read_dem({native}, n);
    CHECK(own.resampling() == "none (the DEM's own cells)");
    CHECK(own.raster().values() == read_raster_band(native).values());

    CHECK_THROWS_WITH(resampling_from("lanczos"), Contains("unknown resampling method 'lanczos' (bilinear, cubic, nearest, average)"));
    CHECK(resampling_from("average") == Resampling::average);
}

TEST_CASE("Profiles read the nearest post or interpolate bilinearly, within the same bounds", "[dem]") {
    DemOptions o;
    o.area = GeoBox{.south_deg = 44.24, .west_deg = -71.33, .north_deg = 44.30, .east_deg = -71.27};
    o.cell_size_m = 30.0;
    const Dem dem = read_dem({test::dem_dir + "/N44W072.hgt"}, o);
    const double cell = dem.cell_size_m();
    // At a cell centre both readings are the post; 0.4 of a cell away nearest keeps it, bilinear moves.
    const GridPoint centre = dem.cell_centre(40, 50);
    const double post = dem.raster().at(40, 50);
    CHECK(*dem.try_elevation_m(centre, ProfileSampling::nearest) == post);
    CHECK_THAT(*dem.try_elevation_m(centre, ProfileSampling::bilinear), Catch::Matchers::WithinAbs(post, 1e-9));
    const GridPoint off{.x_m = centre.x_m + 0.4 * cell, .y_m = centre.y_m - 0.4 * cell};
    CHECK(*dem.try_elevation_m(off, ProfileSampling::nearest) == post);
    CHECK(*dem.try_elevation_m(off, ProfileSampling::bilinear) != post);
    // A profile of nearest posts: every point is the post of the cell it falls in.
    const GridPoint a = dem.cell_centre(5, 7);
    const GridPoint b = dem.cell_centre(120, 140);
    const TerrainProfile near = dem.profile(a, b, 7.0, ProfileSampling::nearest);
    const TerrainProfile bil = dem.profile(a, b, 7.0);
    REQUIRE(near.point_count() == bil.point_count());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < near.point_count(); ++i) {
        const double t = static_cast<double>(i) / static_cast<double>(near.interval_count());
        const GridPoint p{.x_m = a.x_m + t * (b.x_m - a.x_m), .y_m = a.y_m + t * (b.y_m - a.y_m)};
        const auto c = dem.cell_at(p);
        REQUIRE(c.has_value());
        REQUIRE(near.elevation_m[i] == dem.raster().at(c->col, c->row));
        differ += near.elevation_m[i] != bil.elevation_m[i] ? 1U : 0U;
    }
    CHECK(differ > near.point_count() / 2);
    // Off the DEM both fail at the same point: the bounds are those of bilinear sampling.
    const GridPoint outside{.x_m = dem.raster().transform().xorig + 0.2 * cell, .y_m = centre.y_m};
    CHECK_FALSE(dem.try_elevation_m(outside, ProfileSampling::nearest).has_value());
    CHECK_FALSE(dem.try_elevation_m(outside, ProfileSampling::bilinear).has_value());
    CHECK_THROWS_WITH(dem.profile(centre, outside, 30.0, ProfileSampling::nearest), Contains("end point") && Contains("off the DEM"));
    CHECK_THROWS_WITH(profile_sampling_from("cubic"), Contains("unknown profile sampling 'cubic' (bilinear, nearest)"));
}

TEST_CASE("read_dem: several tiles as one mosaic (VRT halves of one tile)", "[dem][io]") {
    const std::string hgt = test::dem_dir + "/N44W072.hgt";
    auto write_vrt = [&](const std::string& name, int x_off, int width) {
        const std::string path = tmp_dir() + "/" + name;
        std::ofstream f(path);
        const double west = -72.0 - 0.5 / 1200.0 + x_off / 1200.0;
        f << "<VRTDataset rasterXSize=\"" << width << "\" rasterYSize=\"1201\">\n"
          << "  <SRS>EPSG:4326</SRS>\n"
          << "  <GeoTransform>" << std::setprecision(15) << west << ", " << 1.0 / 1200.0 << ", 0, "
          << 45.0 + 0.5 / 1200.0 << ", 0, " << -1.0 / 1200.0 << "</GeoTransform>\n"
          << "  <VRTRasterBand dataType=\"Int16\" band=\"1\"><NoDataValue>-32768</NoDataValue>\n"
          << "    <SimpleSource><SourceFilename relativeToVRT=\"0\">" << hgt << "</SourceFilename><SourceBand>1</SourceBand>\n"
          << "      <SrcRect xOff=\"" << x_off << "\" yOff=\"0\" xSize=\"" << width << "\" ySize=\"1201\"/>\n"
          << "      <DstRect xOff=\"0\" yOff=\"0\" xSize=\"" << width << "\" ySize=\"1201\"/></SimpleSource>\n"
          << "  </VRTRasterBand>\n</VRTDataset>\n";
        return path;
    };
    const std::string west = write_vrt("west.vrt", 0, 601);
    const std::string east = write_vrt("east.vrt", 600, 601);
    DemOptions o;
    o.area = GeoBox{.south_deg = 44.4, .west_deg = -71.6, .north_deg = 44.6, .east_deg = -71.4}; // straddles the seam
    o.cell_size_m = 90.0;
    const Dem whole = read_dem({hgt}, o);
    const Dem mosaic = read_dem({west, east}, o);
    REQUIRE(whole.raster().width() == mosaic.raster().width());
    REQUIRE(whole.raster().height() == mosaic.raster().height());
    double max_diff = 0.0;
    for (std::size_t i = 0; i < whole.raster().values().size(); ++i) {
        max_diff = std::max(max_diff, std::fabs(static_cast<double>(whole.raster().values()[i] - mosaic.raster().values()[i])));
    }
    CHECK(max_diff < 1e-3);
    CHECK(mosaic.source() == "west.vrt, east.vrt");
}

TEST_CASE("read_dem: SRTM3 v2.1 tile N50E010 with 28 voids", "[dem][io][voids]") {
    const std::string tile = test::dem_dir + "/N50E010.hgt";
    SECTION("default policy: error naming the file, the count and where") {
        try {
            (void)read_dem({tile});
            FAIL("expected an error for voids");
        } catch (const OutOfDomain& e) {
            const std::string msg = e.what();
            CHECK_THAT(msg, Contains("N50E010.hgt") && Contains("28 void cells") && Contains(" N, ") && Contains("fill"));
        }
    }
    SECTION("fill: every void interpolated and counted") {
        DemOptions o;
        o.void_policy = VoidPolicy::fill;
        const Dem dem = read_dem({tile}, o);
        CHECK(dem.voids().source_void_cells == 28);
        CHECK(dem.voids().filled_cells == 28);
        REQUIRE(dem.voids().examples.size() == 10);
        for (const GeoPoint& p : dem.voids().examples) {
            const double z = dem.elevation_m(p);
            CHECK(z > 150.0); // the tile's range is 185-983 m; a sea-level fill would be 0
            CHECK(z < 1000.0);
        }
    }
    SECTION("keep: sampling at a void is an error naming the point") {
        DemOptions o;
        o.void_policy = VoidPolicy::keep;
        const Dem dem = read_dem({tile}, o);
        CHECK(dem.voids().source_void_cells == 28);
        CHECK(dem.voids().filled_cells == 0);
        const GeoPoint v = dem.voids().examples.front();
        CHECK_THROWS_WITH(dem.elevation_m(v), Contains("void"));
        // A profile starting on the void names its start point; one crossing it names where.
        const GeoPoint other{.lat_deg = v.lat_deg + 0.02, .lon_deg = v.lon_deg + 0.02};
        CHECK_THROWS_WITH(dem.profile(v, other, 30.0), Contains("start point") && Contains("void"));
        CHECK_THROWS_WITH(dem.profile(other, v, 30.0), Contains("void") && Contains("m along the path"));
    }
}

TEST_CASE("read_dem: projected GeoTIFF kept on its own grid reproduces the source values", "[dem][io]") {
    DemOptions o;
    o.target_crs = Crs{"EPSG:32611"};
    o.cell_size_m = 30.0;
    const Dem dem = read_dem({test::dem_dir + "/bigtujunga_srtm30_utm11.tif"}, o);
    CHECK(dem.raster().width() == 1197);
    CHECK(dem.raster().height() == 643);
    const auto [lo, hi] = std::minmax_element(dem.raster().values().begin(), dem.raster().values().end());
    CHECK_THAT(*lo, WithinAbs(315.0, 1e-3)); // data/dem/SOURCE.md: 315-2295 m
    CHECK_THAT(*hi, WithinAbs(2295.0, 1e-3));
}

TEST_CASE("read_dem: bad input gives clear errors", "[dem][io]") {
    CHECK_THROWS_AS(read_dem({}), InvalidArgument);
    CHECK_THROWS_WITH(read_dem({test::dem_dir + "/no_such_tile.hgt"}), Contains("no_such_tile.hgt") && Contains("does not exist"));
    CHECK_THROWS_AS(read_dem({test::dem_dir + "/no_such_tile.hgt"}), IoError);
    CHECK_THROWS_WITH(read_dem({test::data_dir + "/README.md"}), Contains("README.md"));
    DemOptions bad_crs;
    bad_crs.target_crs = Crs{"EPSG:999999"};
    CHECK_THROWS_WITH(read_dem({test::dem_dir + "/N44W072.hgt"}, bad_crs), Contains("EPSG:999999"));
    DemOptions geographic;
    geographic.target_crs = Crs{"EPSG:4326"};
    CHECK_THROWS_WITH(read_dem({test::dem_dir + "/N44W072.hgt"}, geographic), Contains("not a projected"));
    // PROJ looks words up by name: "foo" finds Amersfoort. The message says what PROJ made of it.
    DemOptions word;
    word.target_crs = Crs{"foo"};
    CHECK_THROWS_WITH(read_dem({test::dem_dir + "/N44W072.hgt"}, word),
                      Contains("CRS 'foo' (PROJ reads it as \"Amersfoort\", a geographic CRS in degrees) is not a projected"));
    // A PROJ string is a CRS even without +type=crs.
    DemOptions proj_string;
    proj_string.target_crs = Crs{"+proj=utm +zone=19 +datum=WGS84 +units=m"};
    proj_string.cell_size_m = 90.0;
    proj_string.area = GeoBox{.south_deg = 44.2, .west_deg = -71.4, .north_deg = 44.3, .east_deg = -71.3};
    const Dem by_string = read_dem({test::dem_dir + "/N44W072.hgt"}, proj_string);
    proj_string.target_crs = Crs{"EPSG:32619"};
    const Dem by_code = read_dem({test::dem_dir + "/N44W072.hgt"}, proj_string);
    CHECK(by_string.raster().transform() == by_code.raster().transform());
    CHECK(by_string.raster().values() == by_code.raster().values());
    DemOptions cell;
    cell.cell_size_m = -5.0;
    CHECK_THROWS_WITH(read_dem({test::dem_dir + "/N44W072.hgt"}, cell), Contains("cell_size_m"));
    DemOptions far;
    far.area = GeoBox{.south_deg = 21.86, .west_deg = 105.95, .north_deg = 21.97, .east_deg = 106.10};
    CHECK_THROWS_WITH(read_dem({test::dem_dir + "/N44W072.hgt"}, far), Contains("does not overlap"));
}

TEST_CASE("read_dem: cancelling through the progress callback", "[dem][io]") {
    int calls = 0;
    const ProgressFn stop_soon = [&](double, std::string_view) { return ++calls < 2; };
    CHECK_THROWS_AS(read_dem({test::dem_dir + "/N44W072.hgt"}, {}, stop_soon), Cancelled);
}

TEST_CASE("read_dem: 1 arc-second GeoTIFF in the southern hemisphere goes to a UTM south zone", "[dem][io]") {
    const Dem dem = read_dem({test::dem_dir + "/serra_do_cipo_srtm1.tif"});
    CHECK(dem.crs().definition == "EPSG:32723");
    CHECK(dem.cell_size_m() > 20.0); // 1″ ≈ 30.9 m north-south, ≈ 29.2 m east-west at 19.4 S
    CHECK(dem.cell_size_m() < 32.0);
    const double z = dem.elevation_m(GeoPoint{.lat_deg = -19.4, .lon_deg = -43.55});
    CHECK(z >= 576.0); // the tile's range, data/dem/SOURCE.md
    CHECK(z <= 1697.0);
}

TEST_CASE("read_dem: voids too wide to interpolate are an error, not a silent fill", "[dem][io][voids]") {
    // 400 x 400 cells of 30 m with a 300 x 300 hole: most of it lies more than 100 cells from any data.
    const GeoTransform gt{.xorig = 500000.0, .xscale = 30.0, .xrot = 0.0, .yorig = 2430000.0, .yrot = 0.0, .yscale = -30.0};
    Raster<float> r(400, 400, gt, Crs{"EPSG:32648"}, std::numeric_limits<float>::quiet_NaN());
    for (int row = 0; row < 400; ++row) {
        for (int col = 0; col < 400; ++col) {
            const bool hole = row >= 50 && row < 350 && col >= 50 && col < 350;
            r.at(col, row) = hole ? std::numeric_limits<float>::quiet_NaN() : 300.0F;
        }
    }
    const std::string path = tmp_dir() + "/big_hole.tif";
    write_raster(path, {&r}, {BandInfo{"elevation", "m"}});
    DemOptions o;
    o.void_policy = VoidPolicy::fill;
    CHECK_THROWS_WITH(read_dem({path}, o), Contains("big_hole.tif") && Contains("cannot be filled"));
    o.void_policy = VoidPolicy::error;
    CHECK_THROWS_WITH(read_dem({path}, o), Contains("90000 void cells"));
}

TEST_CASE("Sizes derived from user input are bounded before anything is allocated", "[dem][hostile]") {
    const Dem dem = synthetic(100, 100, 30.0, [](double, double) { return 250.0; });
    // A 1e-6 m step (covtool link --step-m 1e-6, Python dem.profile(a, b, 1e-6)) threw std::bad_alloc, or killed
    // the kernel.
    CHECK_THROWS_WITH(dem.profile(at(100, 100), at(2800, 2000), 1e-6),
                      Contains("a profile of 3.3e+09 points (3302 m at a step of 1e-06 m) is more than the limit of 10000000 points"));
    TerrainProfile out;
    CHECK_FALSE(dem.try_profile(at(100, 100), at(2800, 2000), 1e-6, out));
    CHECK(out.elevation_m.empty());
    // cells_within with a radius of 1e9 m visits the grid once (it looped 6.7e7² times); nan and -1 are errors.
    CHECK(dem.cells_within(at(1500, 1500), 1e9).size() == 100U * 100U);
    CHECK_THROWS_WITH(dem.cells_within(at(1500, 1500), std::nan("")), Contains("radius_m must be a finite number >= 0"));
    CHECK_THROWS_WITH(dem.cells_within(at(1500, 1500), -1.0), Contains("radius_m must be a finite number >= 0"));
}

TEST_CASE("Profile CSVs that are not files are refused before reading", "[dem][hostile]") {
    CHECK_THROWS_WITH(read_profile_csv("/dev/zero"), Contains("profile CSV '/dev/zero' is not a regular file (a character device)"));
    CHECK_THROWS_WITH(read_profile_csv(tmp_dir()), Contains("' is a folder, not a file"));
    CHECK_THROWS_WITH(read_profile_csv(tmp_dir() + "/none.csv"), Contains("none.csv' does not exist"));
}
