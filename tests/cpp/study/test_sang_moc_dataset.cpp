// The shipped Sảng Mộc dataset (data/sang_moc, see data/README.md): what it claims holds.

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/terrain/dem.hpp>
#include <coverage/propagation/itm_model.hpp>
#include <coverage/radio/sector.hpp>

#include "support/test_paths.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

using namespace coverage;
using Catch::Matchers::WithinAbs;

namespace {

const std::string dir = test::data_dir + "/sang_moc";

nlohmann::json load(const std::string& name) {
    std::ifstream in(dir + "/" + name);
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
}

Dem terrain() {
    DemOptions o;
    o.target_crs = Crs{"EPSG:32648"};
    o.cell_size_m = 30.0;
    return read_dem({dir + "/terrain_synthetic_30m.tif"}, o);
}

} // namespace

TEST_CASE("Sang Moc terrain: synthetic, labelled so, karst cones over valley floors", "[sang_moc]") {
    GDALAllRegister();
    GDALDataset* ds = GDALDataset::Open((dir + "/terrain_synthetic_30m.tif").c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
    REQUIRE(ds != nullptr);
    CHECK(std::string(ds->GetMetadataItem("SYNTHETIC")) == "YES");
    CHECK(std::string(ds->GetRasterBand(1)->GetDescription()).find("SYNTHETIC") != std::string::npos);
    GDALClose(GDALDataset::ToHandle(ds));

    const Dem dem = terrain();
    // Covers the commune's footprint, 21.86-21.97 N, 105.95-106.10 E.
    for (const GeoPoint p : {GeoPoint{.lat_deg = 21.86, .lon_deg = 105.95}, GeoPoint{.lat_deg = 21.97, .lon_deg = 106.10},
                             GeoPoint{.lat_deg = 21.86, .lon_deg = 106.10}, GeoPoint{.lat_deg = 21.97, .lon_deg = 105.95}}) {
        CHECK(dem.covers(dem.to_grid(p)));
    }
    const auto [lo, hi] = std::minmax_element(dem.raster().values().begin(), dem.raster().values().end());
    CHECK(*lo >= 150.0F);
    CHECK(*lo <= 250.0F);
    CHECK(*hi >= 800.0F);
    CHECK(*hi <= 1000.0F);
    // Hamlets sit on valley floors (200-400 m).
    const nlohmann::json hamlets = load("hamlets.geojson");
    for (const auto& f : hamlets["features"]) {
        const auto& c = f["geometry"]["coordinates"];
        const double z = dem.elevation_m(GeoPoint{.lat_deg = c[1].get<double>(), .lon_deg = c[0].get<double>()});
        INFO(f["properties"]["name"].get<std::string>());
        CHECK(z >= 200.0);
        CHECK(z <= 400.0);
    }
}

TEST_CASE("Sang Moc hamlets: the ten hamlets and the centre, ~700 households and ~2,800 people", "[sang_moc]") {
    const nlohmann::json hamlets = load("hamlets.geojson");
    const auto& features = hamlets["features"];
    std::set<std::string> names;
    int households = 0;
    int population = 0;
    for (const auto& f : features) {
        names.insert(f["properties"]["name"].get<std::string>());
        households += f["properties"]["households"].get<int>();
        population += f["properties"]["population"].get<int>();
        CHECK(f["properties"]["position_status"] == "illustrative");
    }
    for (const char* n : {"Bản Chương", "Nà Ca", "Phú Cốc", "Khuổi Mèo", "Bản Chấu", "Nà Lay", "Khuổi Chạo", "Tân Lập",
                          "Khuổi Uốn", "Nghinh Tác"}) {
        CHECK(names.count(n) == 1);
    }
    CHECK(names.size() == 11);
    CHECK(std::abs(households - 700) <= 35);
    CHECK(std::abs(population - 2800) <= 140);
}

TEST_CASE("Sang Moc fibre: ~8 km from the commune centre to Tien Son past Phu Coc, Na Ca, Khuoi Meo", "[sang_moc]") {
    const nlohmann::json fibres = load("fibre.geojson");
    const auto& fibre = fibres["features"].at(0);
    const Dem dem = terrain();
    const auto& coords = fibre["geometry"]["coordinates"];
    double length = 0.0;
    std::vector<GridPoint> line;
    for (const auto& c : coords) {
        line.push_back(dem.to_grid(GeoPoint{.lat_deg = c[1].get<double>(), .lon_deg = c[0].get<double>()}));
    }
    for (std::size_t i = 1; i < line.size(); ++i) {
        length += std::hypot(line[i].x_m - line[i - 1].x_m, line[i].y_m - line[i - 1].y_m);
    }
    CHECK_THAT(length, WithinAbs(8000.0, 500.0));
    // Each of the three hamlets lies within 50 m of the route.
    const nlohmann::json hamlets = load("hamlets.geojson");
    for (const auto& f : hamlets["features"]) {
        const std::string name = f["properties"]["name"];
        if (name != "Phú Cốc" && name != "Nà Ca" && name != "Khuổi Mèo") {
            continue;
        }
        const auto& c = f["geometry"]["coordinates"];
        const GridPoint h = dem.to_grid(GeoPoint{.lat_deg = c[1].get<double>(), .lon_deg = c[0].get<double>()});
        double best = 1e12;
        for (std::size_t i = 1; i < line.size(); ++i) {
            const double dx = line[i].x_m - line[i - 1].x_m;
            const double dy = line[i].y_m - line[i - 1].y_m;
            const double t = std::clamp(((h.x_m - line[i - 1].x_m) * dx + (h.y_m - line[i - 1].y_m) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
            best = std::min(best, std::hypot(h.x_m - (line[i - 1].x_m + t * dx), h.y_m - (line[i - 1].y_m + t * dy)));
        }
        INFO(name);
        CHECK(best < 50.0);
    }
}

TEST_CASE("Sang Moc scenario: with the existing towers, the centre and Ban Chuong have 4G, six hamlets have none", "[sang_moc]") {
    const Dem dem = terrain();
    std::vector<Sector> lte;
    for (const Sector& s : read_sites(dir + "/sites.csv")) {
        if (s.technology == Technology::lte) {
            lte.push_back(s);
        }
    }
    REQUIRE(lte.size() == 6);
    CoverageOptions o;
    o.model = std::make_shared<const ItmModel>();
    o.radius_m = 15000.0;
    const CoverageMap m = CoverageEngine(dem, lte, o).compute();
    std::map<std::string, double> rsrp;
    const nlohmann::json hamlets = load("hamlets.geojson");
    for (const auto& f : hamlets["features"]) {
        const auto& c = f["geometry"]["coordinates"];
        const PixelPoint px = dem.raster().transform().geo_to_pixel(dem.to_grid(GeoPoint{.lat_deg = c[1].get<double>(), .lon_deg = c[0].get<double>()}));
        const float v = m.signal_dbm.at(static_cast<int>(px.col), static_cast<int>(px.row));
        rsrp[f["properties"]["name"].get<std::string>()] = std::isnan(v) ? -999.0 : v;
        std::printf("[sang_moc] %-32s RSRP %7.1f dBm\n", f["properties"]["name"].get<std::string>().c_str(), static_cast<double>(v));
    }
    const double fair = SignalThresholds::lte_default().lower_bound_dbm[2];
    CHECK(rsrp.at("Trung tâm xã (commune centre)") >= fair);
    CHECK(rsrp.at("Bản Chương") >= fair);
    for (const char* n : {"Khuổi Mèo", "Nà Lay", "Khuổi Chạo", "Tân Lập", "Nà Ca", "Phú Cốc"}) {
        INFO(n);
        CHECK(rsrp.at(n) < SignalThresholds::lte_default().lower_bound_dbm[4]); // below the edge class: no service
    }
}
