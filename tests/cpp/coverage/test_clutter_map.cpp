// Receiver clutter (ITU-R P.2108) from a land-cover raster: the classes on the grid, their loss added to every cell,
// and land cover that does not fit the study refused with the file, the value and the place.

#include <coverage/coverage/clutter_map.hpp>
#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/core/error.hpp>
#include <coverage/io/raster_io.hpp>
#include <coverage/propagation/free_space_model.hpp>

#include "support/test_paths.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <limits>

using namespace coverage;
using Catch::Matchers::Contains;

namespace {

const std::string land_cover = test::data_dir + "/sang_moc/land_cover_synthetic_10m.tif";

Dem sang_moc() { return read_dem({test::data_dir + "/sang_moc/terrain_synthetic_30m.tif"}); }

// A UInt8 land-cover raster over part of the grid: `code` everywhere.
std::string write_land_cover(const std::string& name, const Dem& dem, int width, int height, std::uint8_t code) {
    const auto dir = std::filesystem::temp_directory_path() / "coverage_test_clutter";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / name).string();
    Raster<std::uint8_t> r(width, height, dem.raster().transform(), dem.crs(), std::uint8_t{0});
    std::fill(r.values().begin(), r.values().end(), code);
    write_raster(path, {&r}, {BandInfo{"land cover", ""}});
    return path;
}

} // namespace

TEST_CASE("A WorldCover raster at 10 m gives every 30 m cell its most frequent class", "[clutter]") {
    const Dem dem = sang_moc();
    const ClutterMap m = read_clutter_map(land_cover, dem);
    REQUIRE(m.class_index.width() == dem.raster().width());
    REQUIRE(m.class_index.height() == dem.raster().height());
    const std::vector<std::size_t> n = m.cell_counts();
    std::size_t total = 0;
    std::size_t trees = 0;
    std::size_t crops = 0;
    for (std::size_t k = 0; k < n.size(); ++k) {
        total += n[k];
        trees += m.table.classes[k].code == 10 ? n[k] : 0;
        crops += m.table.classes[k].code == 40 ? n[k] : 0;
    }
    CHECK(total == dem.raster().values().size());
    // The generator wrote 73.7 % tree cover and 7.8 % cropland at 10 m; the majority of 3 x 3 keeps those shares
    // within a few per cent (small patches lose to their surroundings).
    CHECK(static_cast<double>(trees) / static_cast<double>(total) == Approx(0.737).margin(0.04));
    CHECK(static_cast<double>(crops) / static_cast<double>(total) == Approx(0.078).margin(0.02));
}

TEST_CASE("Receiver clutter adds each cell's P.2108 loss to its path loss, and nothing on open ground", "[clutter]") {
    const Dem dem = sang_moc();
    auto clutter = std::make_shared<const ClutterMap>(read_clutter_map(land_cover, dem));
    Sector s;
    s.site_id = s.sector_id = "S";
    s.location = dem.to_geo(dem.cell_centre(260, 210));
    s.height_agl_m = 30.0;
    s.freq_mhz = 1800.0;
    CoverageOptions o;
    o.model = std::make_shared<const FreeSpaceModel>();
    o.radius_m = 3000.0;
    const CoverageMap bare = CoverageEngine(dem, {s}, o).compute();
    o.rx_clutter = clutter;
    const CoverageMap with = CoverageEngine(dem, {s}, o).compute();
    const Raster<float> a = bare.path_loss_on_grid(0);
    const Raster<float> b = with.path_loss_on_grid(0);
    std::size_t in_trees = 0;
    std::size_t open = 0;
    for (int row = 0; row < a.height(); ++row) {
        for (int col = 0; col < a.width(); ++col) {
            if (std::isnan(a.at(col, row))) {
                CHECK(std::isnan(b.at(col, row)));
                continue;
            }
            const LandCoverClass& c = clutter->at(col, row);
            const double expected = receiver_clutter_loss_db(c, 1800.0, 1.5, 1.0);
            REQUIRE(b.at(col, row) - a.at(col, row) == Approx(expected).margin(1e-3));
            in_trees += c.code == 10 ? 1 : 0;
            open += c.clutter_height_m == 0.0 ? 1 : 0;
        }
    }
    CHECK(in_trees > 1000);
    CHECK(open > 1000);
    // Under 15 m trees at 1800 MHz a 1.5 m receiver loses J(ν) − 6.03 dB with ν = 0.342·√1.8·√(13.5·atan(13.5/27)°).
    const double nu = 0.342 * std::sqrt(1.8) * std::sqrt(13.5 * std::atan(13.5 / 27.0) * 180.0 / 3.141592653589793);
    const double j = 6.9 + 20.0 * std::log10(std::sqrt((nu - 0.1) * (nu - 0.1) + 1.0) + nu - 0.1);
    CHECK(receiver_clutter_loss_db(*clutter->table.find(10), 1800.0, 1.5, 1.0) == Approx(j - 6.03).margin(1e-9));
    CHECK(receiver_clutter_loss_db(*clutter->table.find(40), 1800.0, 1.5, 1.0) == 0.0);
}

TEST_CASE("Land cover that does not fit the study is refused naming the file, value and place", "[clutter]") {
    const Dem dem = sang_moc();
    SECTION("a raster over a part of the grid") {
        const std::string part = write_land_cover("part.tif", dem, 100, 100, 10);
        CHECK_THROWS_WITH(read_clutter_map(part, dem), Contains("part.tif' does not cover the study area") &&
                                                           Contains("cells have no value") && Contains("the first at"));
    }
    SECTION("a code the table lacks") {
        const std::string odd = write_land_cover("odd.tif", dem, dem.raster().width(), dem.raster().height(), 42);
        CHECK_THROWS_WITH(read_clutter_map(odd, dem), Contains("odd.tif': value 42") && Contains("is not in the class table") &&
                                                          Contains("10 tree cover"));
    }
    SECTION("a table with a repeated code") {
        LandCoverTable t = worldcover_land_cover_table();
        t.classes.push_back(t.classes.front());
        CHECK_THROWS_WITH(read_clutter_map(land_cover, dem, t), Contains("code 10 appears twice"));
    }
}
