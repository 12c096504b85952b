// Drive-test measurements and the calibration fit: every refused row kind counted, G-NetTrack Pro logs, binning by
// hand-worked numbers, known offsets recovered within their standard errors, spatial blocks against random folds.

#include <coverage/analysis/calibration.hpp>
#include <coverage/analysis/measurements.hpp>
#include <coverage/core/error.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

using namespace coverage;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

const GeoTransform grid{.xorig = 500000.0, .xscale = 30.0, .xrot = 0.0, .yorig = 2430000.0, .yrot = 0.0, .yscale = -30.0};

// 400 × 300 cells of 30 m (12 × 9 km), flat.
Dem plane() { return Dem(Raster<float>(400, 300, grid, Crs{"EPSG:32648"}, 300.0F)); }

GridPoint centre_of_grid() { return GridPoint{grid.xorig + 6000.0, grid.yorig - 4500.0}; }

Sector sector(const Dem& dem, const std::string& id, Technology t = Technology::lte, double freq_mhz = 1800.0) {
    Sector s;
    s.site_id = id;
    s.sector_id = id;
    s.location = dem.to_geo(centre_of_grid());
    s.technology = t;
    s.freq_mhz = freq_mhz;
    return s;
}

std::string write(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / "coverage_test_calibration";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
}

// A bin `east_m` east and `north_m` north of the grid's centre, predicted at -90 dBm.
CalibrationBin bin_at(double east_m, double north_m, double measured_dbm, int code, int samples = 5) {
    CalibrationBin b;
    b.grid = GridPoint{centre_of_grid().x_m + east_m, centre_of_grid().y_m + north_m};
    b.distance_m = std::hypot(east_m, north_m);
    b.samples = samples;
    b.predicted_dbm = -90.0;
    b.measured_dbm = measured_dbm;
    b.class_code = code;
    return b;
}

} // namespace

TEST_CASE("Measurements: every refused row kind is counted by its reason, and only good rows are kept", "[calibration][measurements]") {
    const Dem dem = plane();
    const std::vector<Sector> sites{sector(dem, "A"), sector(dem, "B")};
    const std::string csv = write("refused.csv",
                                  "time,lat_deg,lon_deg,rsrp_dbm,sector_id\n"
                                  "2026-11-20T08:00:01Z,21.95,105.10,-80,A\n"   // 1 good
                                  "2026-11-20T08:00:02Z,,,-81,A\n"              // 2 no fix
                                  "2026-11-20T08:00:03Z,0,0,-81,A\n"            // 3 no fix (0, 0)
                                  "2026-11-20T08:00:04Z,21.95,105.10,,A\n"      // 4 no level
                                  "2026-11-20T08:00:05Z,21.95,105.10,-151,A\n"  // 5 out of range
                                  "2026-11-20T08:00:06Z,21.95,105.10,-19,A\n"   // 6 out of range
                                  "2026-11-20T08:00:07Z,21.95,105.10,-85,X\n"   // 7 sector not in the sites file
                                  "2026-11-20T08:00:01Z,21.95,105.10,-82,A\n"   // 8 duplicate of row 1's time
                                  "2026-11-20T08:00:01Z,21.95,105.10,-82,B\n"   // 9 same time, another sector: good
                                  "2026-11-20T09:00:00+07:00,21.95,105.10,-90,B\n"); // 10 good (02:00Z)
    const MeasurementSet m = read_measurements(csv, sites);
    CHECK(m.format == "table");
    CHECK(m.rows == 10);
    REQUIRE(m.samples.size() == 3);
    CHECK(m.samples[0].row == 1);
    CHECK(m.samples[1].row == 9);
    CHECK(m.samples[1].sector == 1);
    CHECK(m.samples[2].row == 10);
    CHECK(*m.samples[2].time_s == *m.samples[0].time_s - 6.0 * 3600.0 - 1.0); // 09:00:00+07:00 = 02:00:00Z
    CHECK(m.refused.at("no position fix") == 2);
    CHECK(m.first_refused_row.at("no position fix") == 2);
    CHECK(m.refused.at("no level") == 1);
    CHECK(m.refused.at("level outside -150..-20 dBm") == 2);
    CHECK(m.first_refused_row.at("level outside -150..-20 dBm") == 5);
    CHECK(m.refused.at("serving sector not in the sites file") == 1);
    CHECK(m.refused.at("duplicate timestamp") == 1);
    CHECK(m.first_refused_row.at("duplicate timestamp") == 8);
    // 2026-11-20T08:00:01Z is 1 795 161 601 s after the epoch.
    CHECK(*m.samples[0].time_s == 1795161601.0);
}

TEST_CASE("Measurements: malformed values and missing columns are errors naming file, row and column", "[calibration][measurements]") {
    const Dem dem = plane();
    const std::vector<Sector> sites{sector(dem, "A")};
    CHECK_THROWS_WITH(read_measurements(write("bad_level.csv", "lat_deg,lon_deg,rsrp_dbm,sector_id\n21.95,105.1,-80,A\n21.95,105.1,abc,A\n"), sites),
                      Contains("row 2") && Contains("rsrp_dbm") && Contains("bad_level.csv"));
    CHECK_THROWS_WITH(read_measurements(write("bad_time.csv", "time,lat_deg,lon_deg,rsrp_dbm,sector_id\nyesterday,21.95,105.1,-80,A\n"), sites),
                      Contains("row 1") && Contains("time") && Contains("yesterday"));
    CHECK_THROWS_WITH(read_measurements(write("no_level.csv", "lat_deg,lon_deg,sector_id\n21.95,105.1,A\n"), sites),
                      Contains("no level column"));
    CHECK_THROWS_WITH(read_measurements(write("no_sector.csv", "lat_deg,lon_deg,rsrp_dbm\n21.95,105.1,-80\n"), sites),
                      Contains("serving sector"));
    CHECK_THROWS_WITH(read_measurements(write("rssi.csv", "lat_deg,lon_deg,rssi_dbm,sector_id\n21.95,105.1,-60,A\n"), sites),
                      Contains("row 1") && Contains("bandwidth"));
    CHECK_THROWS_WITH(read_measurements(write("typo.csv", "lat_deg,lon_deg,rsrp_dbn,sector_id\n21.95,105.1,-60,A\n"), sites),
                      Contains("rsrp_dbn") && Contains("rsrp_dbm"));
    CHECK_THROWS_WITH(read_measurements(write("umts_as_rsrp.csv", "lat_deg,lon_deg,rscp_dbm,sector_id\n21.95,105.1,-60,A\n"), sites),
                      Contains("row 1") && Contains("rscp_dbm") && Contains("lte"));
    CHECK_THROWS_WITH(read_measurements(write("all_bad.csv", "lat_deg,lon_deg,rsrp_dbm,sector_id\n,,-60,A\n21.95,105.1,-60,Z\n"), sites),
                      Contains("no usable sample") && Contains("1 no position fix") && Contains("1 serving sector not in the sites file"));
    CHECK_THROWS_AS(read_measurements("/nonexistent/drive.csv", sites), IoError);
}

TEST_CASE("Measurements: a G-NetTrack Pro log, cells by CellID, LTE ECI or PCI, 2G rows refused", "[calibration][measurements]") {
    const Dem dem = plane();
    std::vector<Sector> sites{sector(dem, "L1"), sector(dem, "L2"), sector(dem, "U1", Technology::umts, 2100.0)};
    sites[0].cell_id = "11";                    // matched by CellID as logged
    sites[1].cell_id = std::to_string(5000 * 256 + 12); // the LTE ECI of eNodeB 5000, cell 12
    sites[2].pci = 300;                         // UMTS primary scrambling code
    const std::string header = "Timestamp\tLongitude\tLatitude\tSpeed\tOperatorname\tOperator\tCGI\tCellname\tNode\tCellID\tLAC\t"
                               "NetworkTech\tNetworkMode\tLevel\tQual\tSNR\tCQI\tLTERSSI\tARFCN\tDL_bitrate\tUL_bitrate\tPSC\tAltitude\t"
                               "Height\tAccuracy\n";
    const std::string log = header +
                            "2021.03.15_10.20.33\t105.10\t21.95\t30\tVNPT\t45202\t\t\t4000\t11\t1\tLTE\tLTE\t-95\t-10\t5\t9\t-65\t1650\t0\t0\t101\t80\t\t4\n"
                            "2021.03.15_10.20.34\t105.10\t21.95\t30\tVNPT\t45202\t\t\t5000\t12\t1\tLTE\tLTE\t-97\t-10\t5\t9\t-65\t1650\t0\t0\t102\t80\t\t4\n"
                            "2021.03.15_10.20.35\t105.10\t21.95\t30\tVNPT\t45202\t\t\t\t777\t1\tHSPA+\tHSPA+\t-88\t-6\t\t\t\t10700\t0\t0\t300\t80\t\t4\n"
                            "2021.03.15_10.20.36\t105.10\t21.95\t30\tVNPT\t45202\t\t\t\t555\t1\tEDGE\tEDGE\t-70\t\t\t\t\t60\t0\t0\t\t80\t\t4\n"
                            "2021.03.15_10.20.37\t0\t0\t30\tVNPT\t45202\t\t\t4000\t11\t1\tLTE\tLTE\t-95\t-10\t5\t9\t-65\t1650\t0\t0\t101\t80\t\t4\n";
    const MeasurementSet m = read_measurements(write("gnettrack.txt", log), sites);
    CHECK(m.format == "G-NetTrack Pro");
    CHECK(m.rows == 5);
    REQUIRE(m.samples.size() == 3);
    CHECK(m.samples[0].sector == 0);
    CHECK(m.samples[0].quantity == MeasuredQuantity::rsrp);
    CHECK(m.samples[0].level_dbm == -95.0);
    CHECK(*m.samples[0].time_s == 1615803633.0); // 2021-03-15 10:20:33 on the log's clock
    CHECK(m.samples[1].sector == 1);
    CHECK(m.samples[2].sector == 2);
    CHECK(m.samples[2].quantity == MeasuredQuantity::rscp);
    CHECK(m.refused.at("network technology not modelled (2G)") == 1);
    CHECK(m.refused.at("no position fix") == 1);
    CHECK_THROWS_WITH(read_measurements(write("gnettrack_bad.txt", header + "2021.03.15_10.20.33\t105.10\t21.95\t30\tVNPT\t45202\t\t\t4000\t11\t1\tLTE\tLTE\t"
                                                                            "-9x5\t-10\t5\t9\t-65\t1650\t0\t0\t101\t80\t\t4\n"),
                                        sites),
                      Contains("row 1") && Contains("Level") && Contains("-9x5"));
}

TEST_CASE("Measurements: a PCI several sectors use goes to the nearest of them", "[calibration][measurements]") {
    const Dem dem = plane();
    std::vector<Sector> sites{sector(dem, "near"), sector(dem, "far")};
    sites[0].pci = 7;
    sites[1].pci = 7;
    sites[1].location = dem.to_geo(GridPoint{centre_of_grid().x_m + 5000.0, centre_of_grid().y_m});
    const GeoPoint p = dem.to_geo(GridPoint{centre_of_grid().x_m + 4000.0, centre_of_grid().y_m});
    const MeasurementSet m = read_measurements(
        write("pci.csv", "lat_deg,lon_deg,rsrp_dbm,pci\n" + std::to_string(p.lat_deg) + "," + std::to_string(p.lon_deg) + ",-80,7\n"), sites);
    REQUIRE(m.samples.size() == 1);
    CHECK(m.samples[0].sector == 1);
}

TEST_CASE("Binning: route-length bins, power means, and each dropping rule by its count", "[calibration][bins]") {
    const Dem dem = plane();
    const std::vector<Sector> sites{sector(dem, "A")};
    // 61 samples every 10 m due east from 300 m to 900 m, alternately -77 and -83 dBm; then 12 samples at -130 dBm
    // from 1000 m to 1110 m.
    MeasurementSet set;
    set.rows = 73;
    for (int i = 0; i < 73; ++i) {
        const double east = i < 61 ? 300.0 + 10.0 * i : 1000.0 + 10.0 * (i - 61);
        Measurement s;
        s.row = i + 1;
        s.position = dem.to_geo(GridPoint{centre_of_grid().x_m + east, centre_of_grid().y_m});
        s.level_dbm = i < 61 ? (i % 2 == 0 ? -77.0 : -83.0) : -130.0;
        s.time_s = 1000.0 + i;
        set.samples.push_back(s);
    }
    BinOptions o;
    o.bin_length_m = 29.5; // 10 m steps survive the round trip through WGS84 only to a few µm
    const BinnedMeasurements b = bin_measurements(set, sites, dem, o);
    // A bin closes when its route reaches 29.5 m: 4 samples (0, 10, 20, 30 m). 61 samples: 15 bins of 4 and one of 1
    // (dropped); the 100 m jump to 1000 m starts a new bin; 12 samples at -130: 3 bins at the noise floor (-125.2 dBm).
    REQUIRE(b.bins.size() == 15);
    CHECK(b.dropped.at("fewer than 3 samples") == 1);
    CHECK(b.dropped.at("at the noise floor (<= -125.2 dBm)") == 3);
    const double power_mean = 10.0 * std::log10((std::pow(10.0, -7.7) + std::pow(10.0, -8.3)) / 2.0); // -79.03 dBm
    CHECK_THAT(b.bins[0].measured_dbm, WithinAbs(power_mean, 1e-9));
    CHECK_THAT(b.bins[0].spread_db, WithinAbs(std::sqrt(4.0 * 9.0 / 3.0), 1e-9)); // ±3 dB, n - 1 = 3
    CHECK(b.bins[0].samples == 4);
    CHECK_THAT(b.bins[0].distance_m, WithinAbs(315.0, 0.01));
    CHECK_THAT(b.bins[14].distance_m, WithinAbs(875.0, 0.01));
    CHECK(b.bins[0].first_row == 1);
    // 40 wavelengths at 1800 MHz: 6.66 m, so without a bin length every bin holds one sample of 10 m steps.
    BinOptions lee_options;
    lee_options.min_samples = 1;
    const BinnedMeasurements lee = bin_measurements(set, sites, dem, lee_options);
    CHECK_THAT(lee.bin_length_m, WithinAbs(40.0 * 299.792458 / 1800.0, 1e-9));
    CHECK(lee.bins.size() == 61);
    o.min_distance_m = 500.0;
    o.max_distance_m = 800.0;
    const BinnedMeasurements near_far = bin_measurements(set, sites, dem, o);
    CHECK(near_far.dropped.at("closer than 500 m to the antenna") == 5);    // bins centred at 315 .. 475 m
    CHECK(near_far.dropped.at("farther than 800 m from the antenna") == 5); // 835, 875 m and the three at 1015-1095 m
    CHECK(near_far.bins.size() == 8);
    // Censoring: a bin predicted within 16 dB of the floor goes, whatever it measured.
    BinnedMeasurements c = b;
    c.bins[0].predicted_dbm = -110.0; // -125.2 + 16 = -109.2: censored
    c.bins[1].predicted_dbm = -109.0;
    drop_censored_bins(c, sites, o, std::nullopt);
    CHECK(c.bins.size() == 14);
    CHECK(c.dropped.at("predicted within 16 dB of the noise floor (the phone's floor censors them)") == 1);
}

TEST_CASE("Calibration fit: known offsets and slope recovered within their standard errors", "[calibration][fit]") {
    const Dem dem = plane();
    const std::vector<Sector> sites{sector(dem, "A")};
    // 1500 bins spread over 8 × 8 km, three land-cover classes at random; truth = prediction + 5 dB + class offset +
    // independent noise of 4 dB.
    const std::map<int, double> truth{{10, -4.0}, {40, 3.0}, {50, -6.0}};
    std::mt19937_64 rng(7);
    std::normal_distribution<double> noise(0.0, 4.0);
    std::uniform_real_distribution<double> where(-4000.0, 4000.0);
    std::vector<CalibrationBin> bins;
    for (int i = 0; i < 1500; ++i) {
        const int code = i % 3 == 0 ? 10 : i % 3 == 1 ? 40 : 50;
        const double e = where(rng), n = where(rng);
        bins.push_back(bin_at(e, n, -90.0 + 5.0 + truth.at(code) + noise(rng), code));
    }
    const CalibrationFit fit = fit_calibration(bins, sites);
    REQUIRE(fit.terms.size() == 1);
    const FittedTerm& t = fit.terms[0];
    CHECK(t.bins == 1500);
    CHECK(t.samples == 7500);
    for (const auto& [code, offset] : truth) {
        const double fitted = t.term.offset_db + t.term.class_offset_db.at(code);
        const double se = t.class_correction_se_db.at(code); // of offset + class offset, their covariance included
        INFO("class " << code << ": fitted " << fitted << " ± " << se << ", true " << 5.0 + offset);
        CHECK(std::abs(fitted - (5.0 + offset)) <= 2.5 * se);
        CHECK(se < 1.0);
    }
    // Held out, the correction removes the offsets: RMS from sqrt(((5-4)² + (5+3)² + (5-6)²) / 3 + 4²) = 6.16 dB to 4 dB.
    CHECK_THAT(t.held_out_before.rms_db, WithinAbs(6.16, 0.3));
    CHECK_THAT(t.held_out_after.rms_db, WithinAbs(4.0, 0.3));
    CHECK_THAT(t.held_out_after.mean_db, WithinAbs(0.0, 0.4));
    CHECK(fit.warnings.empty());

    // A slope: truth = prediction + 2 dB + 6 dB per decade of distance, no classes.
    std::vector<CalibrationBin> sloped;
    std::uniform_real_distribution<double> radius(250.0, 4000.0), angle(0.0, 6.283185307179586);
    for (int i = 0; i < 1000; ++i) {
        const double r = radius(rng), a = angle(rng);
        sloped.push_back(bin_at(r * std::cos(a), r * std::sin(a), -90.0 + 2.0 + 6.0 * std::log10(r / 1000.0) + noise(rng), -1));
    }
    const CalibrationFit s = fit_calibration(sloped, sites, FitOptions{.fit_slope = true});
    REQUIRE(s.terms.size() == 1);
    INFO("offset " << s.terms[0].term.offset_db << " ± " << s.terms[0].offset_se_db << ", slope " << s.terms[0].term.slope_db_per_decade
                   << " ± " << s.terms[0].slope_se_db);
    CHECK(std::abs(s.terms[0].term.offset_db - 2.0) <= 2.5 * s.terms[0].offset_se_db);
    CHECK(std::abs(s.terms[0].term.slope_db_per_decade - 6.0) <= 2.5 * s.terms[0].slope_se_db);
    CHECK(s.terms[0].term.class_offset_db.empty());
}

TEST_CASE("Calibration fit: spatial-block folds report a smaller gain than random folds on correlated data", "[calibration][fit]") {
    const Dem dem = plane();
    const std::vector<Sector> sites{sector(dem, "A")};
    // A 16 km drive (a loop around the site), one bin every 20 m; each 400 m stretch is its own land-cover patch (20
    // codes, each used twice, half the loop apart); shadowing correlated along the route (Gudmundson, sigma 8 dB, 300 m). The
    // class offsets can learn a patch's shadowing from its neighbours, which random folds keep and blocks hold out.
    for (const std::uint64_t seed : {1U, 2U, 3U}) {
        std::mt19937_64 rng(seed);
        std::normal_distribution<double> unit(0.0, 1.0);
        std::vector<CalibrationBin> bins;
        double shadow = 8.0 * unit(rng);
        for (int i = 0; i < 800; ++i) {
            const double along = 20.0 * i;
            const double rho = std::exp(-20.0 / 300.0);
            shadow = rho * shadow + std::sqrt(1.0 - rho * rho) * 8.0 * unit(rng);
            const double a = along / 16000.0 * 6.283185307179586;
            const int patch = static_cast<int>(along / 400.0);
            bins.push_back(bin_at(2500.0 * std::cos(a), 2500.0 * std::sin(a), -90.0 + 3.0 + shadow + unit(rng), patch % 20 + 1));
        }
        FitOptions blocks;
        blocks.seed = seed;
        FitOptions random = blocks;
        random.folds_kind = FitOptions::Folds::random;
        const FittedTerm b = fit_calibration(bins, sites, blocks).terms.at(0);
        const FittedTerm r = fit_calibration(bins, sites, random).terms.at(0);
        const double gain_blocks = b.held_out_before.rms_db - b.held_out_after.rms_db;
        const double gain_random = r.held_out_before.rms_db - r.held_out_after.rms_db;
        INFO("seed " << seed << ": gain with blocks " << gain_blocks << " dB, random folds " << gain_random << " dB");
        CHECK(gain_random > gain_blocks + 0.3);
        // The standard errors see the correlation: the block jackknife exceeds the independent-noise formula's
        // sigma / sqrt(n) ≈ 8 / sqrt(800) = 0.28 dB by far.
        CHECK(b.offset_se_db > 0.6);
    }
}

TEST_CASE("Calibration fit: a class with 3 bins gets the warning, and bins without a prediction are left out", "[calibration][fit]") {
    const Dem dem = plane();
    const std::vector<Sector> sites{sector(dem, "A")};
    std::vector<CalibrationBin> bins;
    std::mt19937_64 rng(3);
    std::normal_distribution<double> noise(0.0, 3.0);
    for (int i = 0; i < 300; ++i) {
        bins.push_back(bin_at(-3000.0 + 20.0 * i, 500.0, -88.0 + noise(rng), 10));
    }
    for (int i = 0; i < 3; ++i) {
        bins.push_back(bin_at(-3000.0 + 20.0 * i, 900.0, -70.0, 90));
    }
    CalibrationBin unpredicted = bin_at(100.0, 100.0, -60.0, 10);
    unpredicted.predicted_dbm = std::numeric_limits<double>::quiet_NaN();
    bins.push_back(unpredicted);
    const CalibrationFit fit = fit_calibration(bins, sites);
    REQUIRE(fit.terms.size() == 1);
    CHECK(fit.terms[0].bins == 303);
    CHECK(fit.terms[0].class_bins.at(90) == 3);
    REQUIRE(fit.warnings.size() == 1);
    CHECK_THAT(fit.warnings[0], Contains("class 90 has 3 bins") && Contains("not to be trusted"));
    // The ridge pulls the 3-bin class towards the global offset: its correction (+20 dB measured) is not all taken.
    CHECK(fit.terms[0].term.class_offset_db.at(90) > 5.0);
    CHECK(fit.terms[0].term.offset_db + fit.terms[0].term.class_offset_db.at(90) < 20.0);
    CHECK(std::isnan(fit.held_out_correction_db.back()));
    CHECK_THROWS_WITH(fit_calibration({unpredicted}, sites), Contains("no bin has a prediction"));
    CHECK_THROWS_AS(fit_calibration(bins, sites, FitOptions{.folds = 1}), InvalidArgument);
}

TEST_CASE("Sites files may name each sector's cell_id and pci, checked by technology", "[calibration][sites]") {
    const std::string header = "site_id,sector_id,lat_deg,lon_deg,height_agl_m,technology,freq_mhz,tx_power_dbm,cell_id,pci\n";
    const std::vector<Sector> s = read_sites(write("sites_ids.csv", header + "A,A/1,21.9,106.0,30,lte,1800,46,1280012,503\n"
                                                                               "A,A/2,21.9,106.0,30,umts,2100,43,,511\n"
                                                                               "A,A/3,21.9,106.0,30,lte,1800,46,1280013,\n"));
    REQUIRE(s.size() == 3);
    CHECK(s[0].cell_id == "1280012");
    CHECK(s[0].pci == 503);
    CHECK(s[1].cell_id.empty());
    CHECK(s[1].pci == 511);
    CHECK_FALSE(s[2].pci.has_value());
    CHECK_THROWS_WITH(read_sites(write("sites_bad_pci.csv", header + "A,A/1,21.9,106.0,30,lte,1800,46,,504\n")),
                      Contains("row 1") && Contains("pci") && Contains("0..503"));
    CHECK_THROWS_WITH(read_sites(write("sites_bad_pci2.csv", header + "A,A/1,21.9,106.0,30,umts,2100,43,,7.5\n")),
                      Contains("pci") && Contains("whole number"));
}
