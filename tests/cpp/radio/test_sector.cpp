// Sites files (CSV, GeoJSON, GeoPackage through OGR) and MSI antenna patterns.

#include <coverage/radio/antenna.hpp>
#include <coverage/core/error.hpp>
#include <coverage/radio/sector.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace coverage;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

std::string write_file(const std::string& name, const std::string& content) {
    const auto dir = std::filesystem::temp_directory_path() / "coverage_test_site";
    std::filesystem::create_directories(dir);
    const auto path = (dir / name).string();
    std::ofstream(path) << content;
    return path;
}

const std::string header =
    "site_id,name,lat_deg,lon_deg,height_agl_m,technology,freq_mhz,bandwidth_mhz,tx_power_dbm,antenna_gain_dbi,"
    "cable_loss_db,azimuth_deg,tilt_deg,pattern,operator\n";

// A 65° panel: horizontal attenuation 12·(φ/65)² capped at 25 dB (3GPP TR 36.814 style), vertical 12·(θ/10)² capped at 20 dB.
std::string panel_msi() {
    std::string s = "NAME test panel\nFREQUENCY 1800\nGAIN 15.85 dBd\nHORIZONTAL 360\n";
    for (int a = 0; a < 360; ++a) {
        const double phi = a <= 180 ? a : 360 - a;
        s += std::to_string(a) + " " + std::to_string(std::min(25.0, 12.0 * (phi / 65.0) * (phi / 65.0))) + "\n";
    }
    s += "VERTICAL 360\n";
    for (int a = 0; a < 360; ++a) {
        const double th = a <= 180 ? a : 360 - a;
        s += std::to_string(a) + " " + std::to_string(std::min(20.0, 12.0 * (th / 10.0) * (th / 10.0))) + "\n";
    }
    return s;
}

} // namespace

TEST_CASE("Sites CSV: every column read, defaults applied, pattern relative to the file", "[sites]") {
    write_file("panel.msi", panel_msi());
    const std::string path = write_file("sites.csv", header +
        "SM1,Sang Moc centre,21.93,106.02,30,umts,2100,5,43,17,2,120,4,panel.msi,VNPT\n"
        "SM1,Sang Moc centre,21.93,106.02,30,lte,1800,10,46,17,2,240,4,omni,VNPT\n"
        "BC1,Ban Chuong,21.95,106.05,25,lte,1800,20,43,,,,,,Viettel\n");
    const auto sites = read_sites(path);
    REQUIRE(sites.size() == 3);
    CHECK(sites[0].site_id == "SM1");
    CHECK(sites[0].sector_id == "SM1/1");
    CHECK(sites[0].technology == Technology::umts);
    CHECK_THAT(sites[0].location.lat_deg, WithinAbs(21.93, 1e-12));
    CHECK_THAT(sites[0].azimuth_deg, WithinAbs(120.0, 1e-12));
    CHECK_THAT(sites[0].tilt_deg, WithinAbs(4.0, 1e-12));
    CHECK_FALSE(sites[0].pattern->is_omni());
    CHECK_THAT(sites[0].pattern->gain_dbi(), WithinAbs(18.0, 1e-9)); // 15.85 dBd + 2.15
    CHECK(sites[1].pattern->is_omni());
    CHECK(sites[2].operator_name == "Viettel");
    CHECK_THAT(sites[2].antenna_gain_dbi, WithinAbs(14.0, 1e-12)); // default
    CHECK_THAT(sites[2].bandwidth_mhz, WithinAbs(20.0, 1e-12));
    CHECK_FALSE(sites[2].ground_elev_m.has_value());
}

TEST_CASE("Sites GeoJSON: position from the point geometry", "[sites]") {
    const std::string path = write_file("sites.geojson", R"({"type":"FeatureCollection","features":[
        {"type":"Feature","geometry":{"type":"Point","coordinates":[106.02,21.93]},
         "properties":{"site_id":"SM1","height_agl_m":30,"technology":"lte","freq_mhz":1800,"tx_power_dbm":46,"ground_elev_m":412.5}}]})");
    const auto sites = read_sites(path);
    REQUIRE(sites.size() == 1);
    CHECK_THAT(sites[0].location.lon_deg, WithinAbs(106.02, 1e-12));
    CHECK_THAT(sites[0].location.lat_deg, WithinAbs(21.93, 1e-12));
    REQUIRE(sites[0].ground_elev_m.has_value());
    CHECK_THAT(*sites[0].ground_elev_m, WithinAbs(412.5, 1e-12));
}

TEST_CASE("Sites GeoPackage (made with ogr2ogr from GeoJSON)", "[sites]") {
    const std::string geojson = write_file("for_gpkg.geojson", R"({"type":"FeatureCollection","features":[
        {"type":"Feature","geometry":{"type":"Point","coordinates":[106.05,21.95]},
         "properties":{"site_id":"BC","height_agl_m":25,"technology":"umts","freq_mhz":2100,"tx_power_dbm":43,"azimuth_deg":45}}]})");
    const std::string gpkg = geojson.substr(0, geojson.size() - 8) + ".gpkg";
    std::filesystem::remove(gpkg);
    REQUIRE(std::system(("ogr2ogr -f GPKG " + gpkg + " " + geojson).c_str()) == 0);
    const auto sites = read_sites(gpkg);
    REQUIRE(sites.size() == 1);
    CHECK(sites[0].site_id == "BC");
    CHECK(sites[0].technology == Technology::umts);
    CHECK_THAT(sites[0].location.lat_deg, WithinAbs(21.95, 1e-9));
    CHECK_THAT(sites[0].azimuth_deg, WithinAbs(45.0, 1e-12));
}

TEST_CASE("Sites CSV in projected coordinates with a CRS column", "[sites]") {
    const std::string path = write_file("sites_utm.csv",
        "site_id,x_m,y_m,crs,height_agl_m,technology,freq_mhz,tx_power_dbm\nP1,500000,2425000,EPSG:32648,30,lte,1800,46\n");
    const auto sites = read_sites(path);
    REQUIRE(sites.size() == 1);
    CHECK_THAT(sites[0].location.lon_deg, WithinAbs(105.0, 1e-6)); // zone 48's central meridian
    CHECK(sites[0].location.lat_deg > 21.9);
    CHECK(sites[0].location.lat_deg < 22.0);
}

TEST_CASE("Bad sites files name the file, row and column", "[sites]") {
    CHECK_THROWS_WITH(read_sites("/nonexistent/sites.csv"), Contains("does not exist"));
    CHECK_THROWS_WITH(read_sites(write_file("bad1.csv", header + "A,a,21.9,106,30,lte,abc,10,46,14,0,0,0,omni,x\n")),
                      Contains("bad1.csv', row 1, column freq_mhz: not a number: 'abc'"));
    CHECK_THROWS_WITH(read_sites(write_file("bad2.csv", header + "A,a,21.9,106,30,gsm,900,10,46,14,0,0,0,omni,x\n")),
                      Contains("row 1, column technology: must be one of lte, umts, nr (got 'gsm')"));
    CHECK_THROWS_WITH(read_sites(write_file("bad3.csv", header + "A,a,21.9,106,-5,lte,1800,10,46,14,0,0,0,omni,x\n")),
                      Contains("row 1, column height_agl_m"));
    CHECK_THROWS_WITH(read_sites(write_file("bad4.csv", header + "A,a,21.9,106,30,lte,1800,7,46,14,0,0,0,omni,x\n")),
                      Contains("column bandwidth_mhz"));
    CHECK_THROWS_WITH(read_sites(write_file("bad5.csv", "site_id,lat_deg,lon_deg,hieght_agl_m\nA,21.9,106,30\n")),
                      Contains("unknown column 'hieght_agl_m'"));
    CHECK_THROWS_WITH(read_sites(write_file("bad6.csv", header + "A,a,21.9,106,30,lte,1800,10,,14,0,0,0,omni,x\n")),
                      Contains("row 1, column tx_power_dbm: value missing"));
    CHECK_THROWS_WITH(read_sites(write_file("bad7.csv", header + "A,a,21.9,106,30,lte,1800,10,46,14,0,400,0,omni,x\n")),
                      Contains("column azimuth_deg"));
    CHECK_THROWS_WITH(read_sites(write_file("bad8.csv", header + "A,a,21.9,106,30,lte,1800,10,46,14,0,0,0,missing.msi,x\n")),
                      Contains("column pattern") && Contains("missing.msi"));
}

TEST_CASE("Sites CSV with 5G NR sectors: bands, spacing and bandwidth defaults, errors named", "[sites][nr]") {
    const std::string nr_header = "site_id,lat_deg,lon_deg,height_agl_m,technology,freq_mhz,bandwidth_mhz,subcarrier_spacing_khz,tx_power_dbm\n";
    const auto sites = read_sites(write_file("sites_nr.csv", nr_header +
        "A,21.9,106.0,30,nr,3500,100,,49\n"    // n78: 30 kHz by default
        "A,21.9,106.0,30,nr,2140,,,46\n"       // n1: 15 kHz, 20 MHz by default
        "B,21.9,106.1,30,nr,780,10,15,46\n"    // n28 as given
        "C,21.9,106.2,30,lte,1800,10,,46\n")); // an LTE row: the column stays blank
    REQUIRE(sites.size() == 4);
    CHECK(sites[0].technology == Technology::nr);
    CHECK(sites[0].subcarrier_spacing_khz == 30.0);
    CHECK(sites[0].bandwidth_mhz == 100.0);
    CHECK(sites[1].subcarrier_spacing_khz == 15.0);
    CHECK(sites[1].bandwidth_mhz == 20.0);
    CHECK(sites[2].subcarrier_spacing_khz == 15.0);
    CHECK(sites[3].technology == Technology::lte);
    CHECK_THROWS_WITH(read_sites(write_file("nr_bad1.csv", nr_header + "A,21.9,106.0,30,nr,900,20,,46\n")),
                      Contains("nr_bad1.csv', row 1, column freq_mhz: 900 MHz is not in the downlink of an NR band"));
    CHECK_THROWS_WITH(read_sites(write_file("nr_bad2.csv", nr_header + "A,21.9,106.0,30,nr,3500,20,60,46\n")),
                      Contains("row 1, column subcarrier_spacing_khz: subcarrier_spacing_khz = 60 is not supported"));
    CHECK_THROWS_WITH(read_sites(write_file("nr_bad3.csv", nr_header + "A,21.9,106.0,30,nr,3500,100,15,46\n")),
                      Contains("row 1, column bandwidth_mhz: bandwidth_mhz = 100 is not an NR channel bandwidth at 15 kHz"));
    CHECK_THROWS_WITH(read_sites(write_file("nr_bad4.csv", nr_header + "A,21.9,106.0,30,lte,1800,10,30,46\n")),
                      Contains("row 1, column subcarrier_spacing_khz: applies only to technologies with a subcarrier spacing (NR)"));
}

TEST_CASE("MSI pattern: attenuation by azimuth and elevation, interpolated and capped", "[antenna]") {
    const AntennaPattern p = AntennaPattern::read_msi(write_file("panel2.msi", panel_msi()));
    CHECK(p.name() == "test panel");
    CHECK_THAT(p.attenuation_db(0.0, 0.0), WithinAbs(0.0, 1e-6));
    CHECK_THAT(p.attenuation_db(65.0, 0.0), WithinAbs(12.0, 1e-5));         // −12 dB at the 65° edge
    CHECK_THAT(p.attenuation_db(-65.0, 0.0), WithinAbs(12.0, 1e-5));        // symmetric, wrapped
    CHECK_THAT(p.attenuation_db(180.0, 0.0), WithinAbs(25.0, 1e-5));        // back lobe
    CHECK_THAT(p.attenuation_db(0.0, 10.0), WithinAbs(12.0, 1e-5));         // 10° below boresight
    CHECK_THAT(p.attenuation_db(180.0, 90.0), WithinAbs(25.0, 1e-5));       // capped at the larger cut's maximum
    // Between whole degrees: linear.
    const double mid = 0.5 * (12.0 * (10.0 / 65.0) * (10.0 / 65.0) + 12.0 * (11.0 / 65.0) * (11.0 / 65.0));
    CHECK_THAT(p.attenuation_db(10.5, 0.0), WithinAbs(mid, 1e-5));
    CHECK_THAT(AntennaPattern().attenuation_db(123.0, 45.0), WithinAbs(0.0, 1e-12));
}

TEST_CASE("Malformed MSI files are rejected with the line", "[antenna]") {
    CHECK_THROWS_AS(AntennaPattern::read_msi("/nonexistent.msi"), IoError);
    CHECK_THROWS_WITH(AntennaPattern::read_msi(write_file("short.msi", "GAIN 10\nHORIZONTAL 360\n0 0\n1 0\n")),
                      Contains("HORIZONTAL block ends after 2 of 360"));
    CHECK_THROWS_WITH(AntennaPattern::read_msi(write_file("neg.msi", "HORIZONTAL 360\n0 -3\n")), Contains("line 2") && Contains(">= 0 dB"));
    CHECK_THROWS_WITH(AntennaPattern::read_msi(write_file("noV.msi", panel_msi().substr(0, panel_msi().find("VERTICAL")))),
                      Contains("lacks a VERTICAL"));
}
