// The study file (every key checked, errors naming file, key and value) and the study run end to end on
// the shipped Sảng Mộc data.

#include <coverage/core/error.hpp>
#include <coverage/io/raster_io.hpp>
#include <coverage/study/study.hpp>
#include <coverage/study/calibration.hpp>
#include <coverage/study/stages.hpp>
#include <coverage/coverage/coverage_engine.hpp>

#include "support/csv.hpp"
#include "support/test_paths.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace coverage;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
namespace fs = std::filesystem;

namespace {

const std::string sang_moc = test::data_dir + "/sang_moc";
const std::string shipped_study = sang_moc + "/study.toml";

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / "coverage_test_study" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The shipped study with `from` replaced by `to`, written next to the data so relative paths still work.
std::string variant(const std::string& name, const std::vector<std::pair<std::string, std::string>>& replacements) {
    std::string text = slurp(shipped_study);
    for (const auto& [from, to] : replacements) {
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
    }
    // Not scratch(): tests run in parallel and each writes its own variants here, so the folder is never wiped.
    const fs::path dir = fs::temp_directory_path() / "coverage_test_study" / "variants";
    fs::create_directories(dir);
    const fs::path path = dir / (name + ".toml");
    // Absolute paths for the inputs, so the variant may live anywhere.
    for (const char* f : {"terrain_synthetic_30m.tif", "land_cover_synthetic_10m.tif", "sites.csv", "hamlets.geojson", "fibre.geojson", "candidates.csv", "roads.geojson", "streams.geojson"}) {
        const std::string quoted = std::string("\"") + f + "\"";
        const auto p = text.find(quoted);
        if (p != std::string::npos) {
            text.replace(p, quoted.size(), "\"" + sang_moc + "/" + f + "\"");
        }
    }
    std::ofstream(path) << text;
    return path.string();
}

std::string variant(const std::string& name, const std::string& from, const std::string& to) { return variant(name, {{from, to}}); }

std::string error_of(const std::string& study_path) {
    try {
        (void)read_study(study_path);
    } catch (const Error& e) {
        return e.what();
    }
    FAIL("no error for " << study_path);
    return {};
}

} // namespace

// The shipped study in the plain setting (ITM, no clutter, the median, no setting table): for the tests of the study's
// mechanics (keys, folders, variants), which the defended setting would only make slower.
Study plain(Study s) {
    s.model.model = "itm";
    s.model.location_pct.reset();
    s.model.location_sigma_db.reset();
    s.clutter = "none";
    s.setting_steps = false;
    return s;
}

TEST_CASE("The shipped study file is read with every value resolved", "[study]") {
    const Study s = read_study(shipped_study);
    CHECK_THAT(s.name, Contains("Sảng Mộc"));
    REQUIRE(s.dem_files.size() == 1);
    CHECK(fs::path(s.dem_files[0]).filename() == "terrain_synthetic_30m.tif");
    CHECK(fs::exists(s.dem_files[0]));
    CHECK(fs::path(s.sites_file).filename() == "sites.csv");
    CHECK(fs::path(s.fibre_file).filename() == "fibre.geojson");
    CHECK(s.terrain_synthetic);
    // The defended setting (issue 16, item 6): P.1812 with receiver clutter from the land cover, at 90 % of locations.
    CHECK(s.model.model == "p1812");
    CHECK(s.model.p1812.delta_n_per_km == 45.0);
    CHECK(s.model.p1812.n0_n_units == 330.0);
    CHECK(s.clutter == "path");
    CHECK(fs::path(s.land_cover_file).filename() == "land_cover_synthetic_10m.tif");
    REQUIRE(s.model.location_pct);
    CHECK(*s.model.location_pct == 90.0);
    CHECK(s.setting_steps);
    CHECK(s.model.itm.mdvar == 3);
    CHECK(s.model.climate == 2);
    CHECK(s.model.itm.n0_n_units == 320.0);
    CHECK(s.mode == CoverageMode::fast);
    REQUIRE(s.radius_km);
    CHECK(*s.radius_km == 15.0);
    CHECK(s.dead_zone.technology == Technology::lte);
    CHECK(s.dead_zone.min_class == SignalClass::fair);
    CHECK(s.dead_zone.min_households_share == 0.5);
    CHECK(s.weights.households_unserved == 0.4);
    CHECK(s.weights.terrain_radius_m == 1000.0);
    CHECK(s.thresholds[Technology::umts].class_count == 4);
}

TEST_CASE("Study keys in one place: the README's key tables are the key table's, and every key reaches run.json", "[study][keys]") {
    const std::string readme = slurp(fs::path(test::source_dir) / "README.md");
    for (const std::string prefix : {"", "planning."}) {
        const std::string begin = "<!-- study keys" + (prefix.empty() ? std::string() : " " + prefix) + ": generated";
        const std::string end = "<!-- end of study keys" + (prefix.empty() ? std::string() : " " + prefix) + " -->";
        const auto b = readme.find(begin);
        const auto e = readme.find(end);
        REQUIRE(b != std::string::npos);
        REQUIRE(e != std::string::npos);
        const auto table = readme.find('\n', b) + 1;
        INFO("README.md's table of " << (prefix.empty() ? "study keys" : prefix) << " differs from study_keys_markdown(\"" << prefix
                                     << "\"): regenerate it");
        CHECK(readme.substr(table, e - table) == study_keys_markdown(prefix));
    }
    // Every documented key is accepted in a study file and recorded in run.json under the same dotted path.
    const Study s = plain(read_study(shipped_study));
    const fs::path dir = scratch("keys");
    const StudyResult r = run_study(s, (dir / "out").string());
    const auto run_json = nlohmann::json::parse(slurp(dir / "out" / "run.json"));
    std::size_t keys = 0;
    for (const StudyKey& k : study_keys()) {
        nlohmann::json::json_pointer at("/study/" + std::regex_replace(k.key, std::regex("\\."), "/"));
        INFO(k.key);
        CHECK(run_json.contains(at));
        ++keys;
    }
    CHECK(keys > 60);
    CHECK(r.plan);
    // and a key the table does not hold is refused
    CHECK_THAT(error_of(variant("not_a_key", "rx_height_m = 1.5", "rx_height_m = 1.5\nrx_elevation_m = 2")),
               Contains("key 'coverage.rx_elevation_m': unknown key"));
}

TEST_CASE("Bad study files name the file, the key and the value", "[study]") {
    SECTION("unknown key") {
        const std::string p = variant("unknown_key", "rx_height_m = 1.5", "rx_heigth_m = 1.5");
        const std::string e = error_of(p);
        CHECK_THAT(e, Contains("unknown_key.toml"));
        CHECK_THAT(e, Contains("key 'coverage.rx_heigth_m': unknown key"));
        CHECK_THAT(e, Contains("rx_height_m"));  // the expected keys are listed
        CHECK_THAT(e, Contains("line "));
    }
    SECTION("unknown table") {
        const std::string e = error_of(variant("unknown_table", "[dead_zone]", "[deadzone]"));
        CHECK_THAT(e, Contains("key 'deadzone': unknown key (table)"));
    }
    SECTION("wrong type") {
        const std::string e = error_of(variant("wrong_type", "radius_km = 15", "radius_km = \"fifteen\""));
        CHECK_THAT(e, Contains("wrong_type.toml"));
        CHECK_THAT(e, Contains("key 'coverage.radius_km': expected a number, got a string \"fifteen\""));
    }
    SECTION("out of range") {
        const std::string e = error_of(variant("out_of_range", "min_households_share = 0.5", "min_households_share = 1.5"));
        CHECK_THAT(e, Contains("key 'dead_zone.min_households_share': value 1.5 is outside 0.01..1"));
    }
    SECTION("a value not in the list") {
        const std::string e = error_of(variant("bad_choice", "model = \"p1812\"", "model = \"splat\""));
        CHECK_THAT(e, Contains("key 'coverage.model': value \"splat\" is not one of itm, hata"));
    }
    SECTION("missing input file") {
        const std::string e = error_of(variant("missing_file", "hamlets = \"hamlets.geojson\"", "hamlets = \"hamlets_2019.geojson\""));
        CHECK_THAT(e, Contains("missing_file.toml"));
        CHECK_THAT(e, Contains("key 'inputs.hamlets': file \"hamlets_2019.geojson\" not found"));
    }
    SECTION("missing required key") {
        const std::string e = error_of(variant("no_name", "name = \"Sảng Mộc commune: mobile coverage and dead-zone priorities\"", ""));
        CHECK_THAT(e, Contains("key 'study.name': missing (required)"));
    }
    SECTION("TOML syntax error with its line") {
        const std::string e = error_of(variant("syntax", "mode = \"fast\"", "mode = fast\""));
        CHECK_THAT(e, Contains("syntax.toml', line "));
        CHECK_THAT(e, Contains("not valid TOML"));
    }
    SECTION("thresholds not decreasing") {
        const std::string e = error_of(variant("thresholds", "lte_class_thresholds_dbm = [-80, -90, -100, -110, -120]",
                                               "lte_class_thresholds_dbm = [-80, -70, -100]"));
        CHECK_THAT(e, Contains("key 'coverage.lte_class_thresholds_dbm'"));
    }
    SECTION("a fibre weight without fibre") {
        const std::string e = error_of(variant("no_fibre", "fibre = \"fibre.geojson\"", ""));
        CHECK_THAT(e, Contains("key 'inputs.fibre': missing, but priorities.weight_fibre_distance is 0.25"));
        const std::string p = error_of(variant("no_fibre_plan", {{"fibre = \"fibre.geojson\"", ""}, {"weight_fibre_distance = 0.25", "weight_fibre_distance = 0"}}));
        CHECK_THAT(p, Contains("key 'inputs.fibre': missing, but [planning] routes new fibre from the existing network"));
    }
    SECTION("planning: fibre costs that do not match the slope classes") {
        const std::string e = error_of(variant("plan_costs", "fibre_usd_per_km = [15850, 23775, 39625, 63400]", "fibre_usd_per_km = [15850, 23775]"));
        CHECK_THAT(e, Contains("key 'planning.costs'"));
        CHECK_THAT(e, Contains("one entry more than slope_class_upper_deg"));
    }
    SECTION("planning: a budget of the wrong type") {
        const std::string e = error_of(variant("plan_budget", "budget_usd = 600000", "budget_usd = \"600k\""));
        CHECK_THAT(e, Contains("key 'planning.budget_usd': expected a number, got a string \"600k\""));
    }
    SECTION("planning: land-cover factors without the land-cover raster") {
        const std::string e = error_of(variant("plan_landcover", "small_cell_usd = 15000", "small_cell_usd = 15000\nlandcover_factors = { \"10\" = 1.5 }"));
        CHECK_THAT(e, Contains("key 'planning.costs.landcover_factors': given, but planning.landcover"));
    }
    SECTION("uncertainty: a range the wrong way round, a range of three, trials out of range") {
        CHECK_THAT(error_of(variant("mc_range", "tower_cost_factor = [0.8, 1.3]", "tower_cost_factor = [1.3, 0.8]")),
                   Contains("key 'uncertainty.tower_cost_factor': expected [low, high] with low <= high"));
        CHECK_THAT(error_of(variant("mc_three", "weight_fibre_distance = [0.19, 0.31]", "weight_fibre_distance = [0.1, 0.2, 0.3]")),
                   Contains("key 'uncertainty.weight_fibre_distance': expected [low, high]"));
        CHECK_THAT(error_of(variant("mc_trials", "trials = 200", "trials = 0")), Contains("uncertainty.trials"));
        CHECK_THAT(error_of(variant("mc_sigma", "model_error_correlation_m = 120", "model_error_correlation_m = 120\nmodel_error_db = 45")),
                   Contains("uncertainty.model_error_db"));
    }
    SECTION("the study file itself missing") {
        CHECK_THROWS_AS(read_study(sang_moc + "/nope.toml"), IoError);
    }
}

TEST_CASE("A hamlet outside the terrain is named with the study file and key", "[study]") {
    // One hamlet moved 1° north, off the synthetic terrain.
    const fs::path dir = scratch("outside");
    std::string hamlets = slurp(sang_moc + "/hamlets.geojson");
    const auto at = hamlets.find("21.918002");
    REQUIRE(at != std::string::npos);
    hamlets.replace(at, 9, "22.918002");
    std::ofstream(dir / "hamlets.geojson") << hamlets;
    Study s = plain(read_study(shipped_study));
    s.hamlets_file = (dir / "hamlets.geojson").string();
    try {
        (void)run_study(s, (dir / "out").string());
        FAIL("no error");
    } catch (const OutOfDomain& e) {
        CHECK_THAT(e.what(), Contains("study file '" + shipped_study + "', key 'inputs.hamlets'"));
        CHECK_THAT(e.what(), Contains("commune centre"));
        CHECK_THAT(e.what(), Contains("22.91800 N"));
        CHECK_THAT(e.what(), Contains("outside the terrain"));
    }
    CHECK_FALSE(fs::exists(dir / "out"));
    // Nothing staged is left behind.
    for (const auto& entry : fs::directory_iterator(dir)) {
        CHECK(entry.path().filename().string().find(".partial-") == std::string::npos);
    }
}

TEST_CASE("The Sảng Mộc study end to end: outputs exist, parse and tell the published story", "[study][sang_moc]") {
    const fs::path dir = scratch("end_to_end");
    const fs::path out = dir / "out";
    const Study s = read_study(shipped_study);
    double last = -1.0;
    bool monotonic = true;
    StudyRunOptions run;
    run.progress = [&](double f, std::string_view) {
        monotonic = monotonic && f >= last - 1e-12;
        last = f;
        return true;
    };
    const StudyResult r = run_study(s, out.string(), run);
    CHECK(monotonic);
    CHECK_THAT(last, WithinAbs(1.0, 1e-12));
    CHECK(r.terrain_synthetic);

    for (const char* f : {"plan.csv", "plan.geojson", "plan_curve.png", "plan_map.png", "path_loss_db.tif", "signal_4g_rsrp_dbm.tif", "signal_3g_rscp_dbm.tif", "signal_class_4g.tif",
                          "signal_class_3g.tif", "best_server_4g.tif", "best_server_3g.tif", "coverage_4g.png", "coverage_3g.png",
                          "coverage_4g.kmz", "coverage_3g.kmz", "hamlets.csv", "hamlets.geojson", "priorities.csv",
                          "report.html", "run.json", "plan_curve.pdf", "plan_map.pdf", "coverage_4g.pdf", "coverage_3g.pdf"}) {
        INFO(f);
        CHECK(fs::is_regular_file(out / f));
        CHECK(std::find(r.files.begin(), r.files.end(), f) != r.files.end());
    }

    // Rasters: UTM 48N, 30 m, the 4G signal at the commune centre strong.
    const Raster<float> lte = read_raster_band((out / "signal_4g_rsrp_dbm.tif").string());
    CHECK(lte.crs().definition == "EPSG:32648");
    CHECK_THAT(lte.transform().xscale, WithinAbs(30.0, 1e-9));
    const Raster<float> loss = read_raster_band((out / "path_loss_db.tif").string(), 9);
    CHECK(loss.width() == lte.width());

    // The scenario: the centre and Bản Chương served; six named hamlets (nearly) without signal.
    const auto hamlets = test::read_csv((out / "hamlets.csv").string());
    REQUIRE(hamlets.size() == 11);
    std::map<std::string, const test::CsvRow*> by_name;
    for (const auto& h : hamlets) {
        by_name[h.str("name")] = &h;
    }
    CHECK(by_name.at("Trung tâm xã (commune centre)")->str("dead_zone") == "no");
    CHECK(by_name.at("Bản Chương")->str("dead_zone") == "no");
    for (const char* name : {"Khuổi Mèo", "Nà Lay", "Khuổi Chạo", "Tân Lập", "Nà Ca", "Phú Cốc"}) {
        INFO(name);
        CHECK(by_name.at(name)->str("dead_zone") == "yes");
    }

    // Priorities: only dead zones, ranked 1..n by falling score, each with a reason.
    const auto priorities = test::read_csv((out / "priorities.csv").string());
    REQUIRE(priorities.size() == r.priorities.size());
    REQUIRE(priorities.size() >= 6);
    for (std::size_t i = 0; i < priorities.size(); ++i) {
        CHECK(priorities[i].integer("rank") == static_cast<int>(i) + 1);
        CHECK(by_name.at(priorities[i].str("name"))->str("dead_zone") == "yes");
        CHECK_THAT(priorities[i].str("reason"), Contains("Score"));
        if (i > 0) {
            CHECK(priorities[i].num("score") <= priorities[i - 1].num("score"));
        }
    }

    // The plan: within the budget, cumulative figures consistent, every dead zone has a fibre-extension option
    // somewhere (chosen, not chosen or impossible): none is dropped.
    REQUIRE(r.plan);
    CHECK(r.plan->cost_usd <= s.planning.settings.budget_usd);
    CHECK(r.plan->households_new > 0.0);
    CHECK(r.plan->households_new <= r.plan->upper_bound_households + 1e-9);
    CHECK(r.plan->upper_bound_households <= r.plan->households_unserved_before + 1e-9);
    const auto plan_rows = test::read_csv((out / "plan.csv").string());
    double cost = 0.0;
    std::set<std::string> extension_targets;
    for (const auto& row : plan_rows) {
        if (row.str("status") == "chosen") {
            cost += row.num("cost_usd");
            CHECK_THAT(row.num("cost_cumulative_usd"), WithinAbs(cost, 1.0));
        }
        if (row.str("action") == "small_cell" || row.str("action") == "ftth") {
            extension_targets.insert(row.str("action") + ":" + row.str("name"));
        }
    }
    for (const auto& h : hamlets) {
        if (h.str("dead_zone") == "yes") {
            CHECK(extension_targets.count("small_cell:" + h.str("name")) == 1);
            CHECK(extension_targets.count("ftth:" + h.str("name")) == 1);
        }
    }
    CHECK(fs::file_size(out / "plan_curve.png") > 1000);
    // report.print_maps (default pdf): each map and the chart again for print, the PNG's layout at 0.75 pt a pixel.
    for (const char* stem : {"plan_curve", "plan_map", "coverage_4g"}) {
        INFO(stem);
        const std::string pdf = slurp(out / (std::string(stem) + ".pdf"));
        REQUIRE(pdf.rfind("%PDF-", 0) == 0);
        std::smatch box;
        REQUIRE(std::regex_search(pdf, box, std::regex(R"(/MediaBox \[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\])")));
        GDALAllRegister();
        GDALDataset* png = GDALDataset::Open((out / (std::string(stem) + ".png")).string().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
        REQUIRE(png != nullptr);
        CHECK_THAT(std::stod(box[1].str()), WithinAbs(0.75 * png->GetRasterXSize(), 0.01));
        CHECK_THAT(std::stod(box[2].str()), WithinAbs(0.75 * png->GetRasterYSize(), 0.01));
        GDALClose(GDALDataset::ToHandle(png));
    }
    {
        // The plan map draws the study's roads (brown) and streams (light blue) under the plan, as does the 4G map.
        for (const char* png : {"plan_map.png", "coverage_4g.png"}) {
            INFO(png);
            GDALAllRegister();
            GDALDataset* ds = GDALDataset::Open((out / png).string().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
            REQUIRE(ds != nullptr);
            const int w = ds->GetRasterXSize();
            const int h = ds->GetRasterYSize();
            std::vector<std::uint8_t> rgb(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3);
            REQUIRE(ds->RasterIO(GF_Read, 0, 0, w, h, rgb.data(), w, h, GDT_Byte, 3, nullptr, 3, 3 * w, 1) == CE_None);
            GDALClose(GDALDataset::ToHandle(ds));
            int road = 0;
            int stream = 0;
            for (std::size_t i = 0; i < rgb.size(); i += 3) {
                road += rgb[i] == 140 && rgb[i + 1] == 81 && rgb[i + 2] == 10 ? 1 : 0;
                stream += rgb[i] == 66 && rgb[i + 1] == 160 && rgb[i + 2] == 210 ? 1 : 0;
            }
            CHECK(road > 100); // the road runs mostly under the new fibre laid along it
            CHECK(stream > 300);
        }
    }
    CHECK(nlohmann::json::parse(slurp(out / "plan.geojson"))["features"].size() >= plan_rows.size());

    // run.json: the resolved study, inputs with checksums, timings.
    const auto run_json = nlohmann::json::parse(slurp(out / "run.json"));
    CHECK(run_json["study"]["coverage"]["model"] == "p1812");
    CHECK(run_json["study"]["terrain"]["synthetic"] == true);
    // How the answer moves from plain ITM to the defended setting: one row per setting, the study's last. Clutter and
    // the 90 % share only add loss, so the served households cannot grow along the ITM rows.
    const auto& steps = run_json["setting_steps"];
    REQUIRE(steps.size() == 4);
    REQUIRE(r.setting_steps.size() == 4);
    CHECK(steps[0]["label"] == "ITM, no clutter, median, outdoors");
    CHECK_THAT(steps[1]["label"].get<std::string>(), Contains("ITU-R P.2108"));
    CHECK_THAT(steps[2]["label"].get<std::string>(), Contains("90 % of locations"));
    CHECK_THAT(steps[3]["model"].get<std::string>(), Contains("P.1812"));
    CHECK(steps[1]["households_served"].get<double>() < steps[0]["households_served"].get<double>());
    CHECK(steps[2]["households_served"].get<double>() < steps[1]["households_served"].get<double>());
    double served_lte = 0.0;
    for (const HamletReport& h : r.hamlets) {
        for (const HamletTechnology& t : h.technologies) {
            served_lte += t.technology == Technology::lte ? t.households_served : 0.0;
        }
    }
    CHECK_THAT(steps[3]["households_served"].get<double>(), WithinAbs(served_lte, 1e-9));
    CHECK(steps[3]["dead_zones"] == r.priorities.size());
    CHECK(steps[3]["ranking"][0] == r.priorities.front().name);
    CHECK(run_json["grid"]["crs"].get<std::string>().find("EPSG:32648") != std::string::npos);
    CHECK(run_json["inputs"].size() >= 5);
    for (const auto& in : run_json["inputs"]) {
        CHECK(std::regex_match(in["sha256"].get<std::string>(), std::regex("[0-9a-f]{64}")));
    }
    CHECK(run_json["timings_s"]["total"].get<double>() > 0.0);
    CHECK(run_json["results"]["dead_zones"] == r.priorities.size());
    CHECK(run_json["plan"]["steps"].size() == r.plan->steps.size());
    CHECK(run_json["study"]["planning"]["budget_usd"] == s.planning.settings.budget_usd);

    // report.html: in the study's language (Vietnamese), with every diacritic, numbers as Vietnamese writes them; the
    // English copy beside it. Each works offline (no external resource) and says the terrain is synthetic.
    const std::string vi = slurp(out / "report.html");
    CHECK_THAT(vi, Contains("<html lang=\"vi\">"));
    CHECK_THAT(vi, Contains("Địa hình trong nghiên cứu này là địa hình mô phỏng"));
    CHECK_THAT(vi, Contains("Vùng lõm sóng nào cần phủ sóng trước"));
    CHECK_THAT(vi, Contains("Nên xây dựng gì trước, trong ngân sách 600.000 USD"));
    CHECK_THAT(vi, Contains("<a href=\"report.en.html\""));
    CHECK_THAT(vi, Contains("Bản Chấu"));
    CHECK(vi.find("What to build first") == std::string::npos);
    CHECK_THAT(vi, Contains("L.map('imap'"));
    const std::string html = slurp(out / "report.en.html");
    CHECK_THAT(html, Contains("<html lang=\"en\">"));
    CHECK_THAT(html, Contains("<a href=\"report.html\""));
    CHECK_THAT(html, Contains("The terrain in this study is synthetic"));
    CHECK_THAT(html, Contains("data:image/png;base64,"));
    CHECK_THAT(html, Contains("Which dead zones to serve first"));
    CHECK_THAT(html, Contains("How the answer depends on the model"));
    CHECK_THAT(html, Contains("the level reached at 90 % of locations"));
    CHECK_THAT(html, Contains("ITU-R P.1812 raises every point of every path by the height of its land cover"));
    CHECK_THAT(html, Contains("What to build first, within USD 600,000"));
    // Both pages' markup refers to nothing outside (the inlined scripts' bodies aside: Leaflet's source holds its home
    // page's address as a string; the browser test checks that no request leaves the page).
    for (std::string page : {vi, html}) {
        for (std::size_t at = page.find("<script>"); at != std::string::npos; at = page.find("<script>", at + 8)) {
            const std::size_t end = page.find("</script>", at);
            REQUIRE(end != std::string::npos);
            page.erase(at + 8, end - at - 8);
        }
        CHECK_FALSE(std::regex_search(page, std::regex(R"((src|href)\s*=\s*"(https?:)?//)")));
        CHECK(page.find("<link") == std::string::npos);
        CHECK(page.find("<script src") == std::string::npos);
    }
}

TEST_CASE("A study's output folder is replaced whole, never half", "[study]") {
    // The shipped study made cheap (free space, 3 km): what is tested here is the folder, not the radio.
    const fs::path dir = scratch("rerun");
    const fs::path out = dir / "out";
    Study s = plain(read_study(shipped_study));
    s.model.model = "free-space";
    s.radius_km = 3.0;
    const StudyResult r = run_study(s, out.string());
    REQUIRE(fs::exists(out / "run.json"));

    SECTION("a re-run replaces the folder as a whole") {
        // A file an earlier run wrote (its run.json lists it) that this run does not write goes with the folder.
        auto run_json = nlohmann::json::parse(slurp(out / "run.json"));
        CHECK(run_json["producer"] == "libcoverage");
        CHECK(run_json["run_kind"] == "study");
        run_json["outputs"].push_back("signal_3g_old_rscp_dbm.tif");
        std::ofstream(out / "run.json") << run_json.dump();
        std::ofstream(out / "signal_3g_old_rscp_dbm.tif") << "from an older run";
        const std::string priorities_before = slurp(out / "priorities.csv");
        const StudyResult again = run_study(s, out.string() + "/"); // a trailing slash names the same folder
        CHECK_FALSE(fs::exists(out / "signal_3g_old_rscp_dbm.tif"));
        CHECK(fs::exists(out / "run.json"));
        CHECK(again.priorities.size() == r.priorities.size());
        CHECK(slurp(out / "priorities.csv") == priorities_before); // same inputs, same ranking and reasons
    }
    SECTION("a cancelled re-run leaves the previous result untouched") {
        const std::string before = slurp(out / "run.json");
        StudyRunOptions cancel;
        cancel.progress = [](double f, std::string_view) { return f < 0.5; };
        CHECK_THROWS_AS(run_study(s, out.string(), cancel), Cancelled);
        CHECK(slurp(out / "run.json") == before);
        for (const auto& entry : fs::directory_iterator(dir)) {
            CHECK(entry.path().filename() == "out");
        }
    }
    SECTION("'.' is not an output folder") {
        CHECK_THROWS_WITH(run_study(s, "."), Contains("cannot be an output folder"));
    }
    SECTION("a folder that is not a study's output is not replaced") {
        const fs::path other = dir / "precious";
        fs::create_directories(other);
        std::ofstream(other / "thesis.docx") << "x";
        CHECK_THROWS_WITH(run_study(s, other.string()), Contains("refusing to replace it"));
        CHECK(fs::exists(other / "thesis.docx"));
        // another tool's run folder: a run.json of its own and the user's documents
        std::ofstream(other / "run.json") << R"({"tool": "something else", "outputs": []})";
        CHECK_THROWS_WITH(run_study(s, other.string()), Contains("holds a run.json that libcoverage did not write"));
        CHECK(fs::exists(other / "thesis.docx"));
    }
    SECTION("our own study folder with a user's file added is not replaced, the file named") {
        std::ofstream(out / "notes.txt") << "the commune chairman's remarks";
        CHECK_THROWS_WITH(run_study(s, out.string()), Contains("holds 'notes.txt', which no libcoverage run wrote"));
        CHECK(fs::exists(out / "notes.txt"));
        CHECK(fs::exists(out / "report.html"));
    }
    SECTION("covtool plan's run does not replace a study's folder (its maps and report)") {
        StudyRunOptions plan_only;
        plan_only.plan_only = true;
        CHECK_THROWS_WITH(run_study(s, out.string(), plan_only), Contains("holds the outputs of a study run; a plan run would replace them"));
        CHECK(fs::exists(out / "coverage_4g.png"));
        CHECK(fs::exists(out / "report.html"));
        // and a plan's folder is replaced by the next plan
        const fs::path plan_dir = dir / "plan";
        (void)run_study(s, plan_dir.string(), plan_only);
        CHECK(nlohmann::json::parse(slurp(plan_dir / "run.json"))["run_kind"] == "plan");
        CHECK_NOTHROW(run_study(s, plan_dir.string(), plan_only));
        CHECK_THROWS_WITH(run_study(s, plan_dir.string()), Contains("holds the outputs of a plan run; a study run would replace them"));
    }
    SECTION("two runs for one folder at once: the second fails cleanly, the first completes, nothing mixed") {
        bool tried = false;
        std::string second_error;
        StudyRunOptions first;
        first.progress = [&](double, std::string_view) {
            if (!tried) { // while the first run holds the folder
                tried = true;
                try {
                    (void)run_study(s, out.string());
                } catch (const IoError& e) {
                    second_error = e.what();
                }
            }
            return true;
        };
        (void)run_study(s, out.string(), first);
        CHECK(tried);
        CHECK_THAT(second_error, Contains("another run is writing the output folder"));
        CHECK(fs::exists(out / "run.json"));
        for (const auto& entry : fs::directory_iterator(dir)) { // no lock file, no staging folder left
            CHECK(entry.path().filename() == "out");
        }
    }
    SECTION("leftovers of killed runs are cleaned by the next run") {
        fs::create_directories(dir / "out.partial-999999-1" / "x");
        fs::create_directories(dir / "out.old-999998");
        (void)run_study(s, out.string());
        CHECK_FALSE(fs::exists(dir / "out.partial-999999-1"));
        CHECK_FALSE(fs::exists(dir / "out.old-999998"));
    }
}

TEST_CASE("A measured DEM in the study file: the same study runs with no synthetic warning", "[study]") {
    // The shipped terrain copied without its SYNTHETIC tag stands in for a measured DEM (none of Vietnam can be
    // had here): nothing in the study depends on the terrain being the synthetic one.
    const fs::path dir = scratch("measured");
    GDALAllRegister();
    {
        GDALDataset* src = GDALDataset::FromHandle(GDALOpen((sang_moc + "/terrain_synthetic_30m.tif").c_str(), GA_ReadOnly));
        REQUIRE(src != nullptr);
        GDALDataset* copy = GetGDALDriverManager()->GetDriverByName("GTiff")->CreateCopy((dir / "measured.tif").c_str(), src, FALSE,
                                                                                        nullptr, nullptr, nullptr);
        REQUIRE(copy != nullptr);
        copy->SetMetadataItem("SYNTHETIC", nullptr);
        copy->SetMetadata(nullptr);
        GDALClose(copy);
        GDALClose(src);
    }
    REQUIRE(raster_metadata_item((dir / "measured.tif").string(), "SYNTHETIC").empty());
    Study s = plain(read_study(shipped_study));
    s.dem_files = {(dir / "measured.tif").string()};
    s.terrain_synthetic = false;
    s.terrain_provenance = "a measured DEM";
    s.model.model = "free-space";
    s.radius_km = 3.0;
    const StudyResult r = run_study(s, (dir / "out").string());
    CHECK_FALSE(r.terrain_synthetic);
    const std::string html = slurp(dir / "out" / "report.en.html");
    CHECK(html.find("The terrain in this study is synthetic") == std::string::npos);
    CHECK_THAT(html, Contains("a measured DEM"));
    const auto run_json = nlohmann::json::parse(slurp(dir / "out" / "run.json"));
    CHECK(run_json["study"]["terrain"]["synthetic"] == false);
    // Without a [planning] table there is no plan and no plan file.
    CHECK(r.plan);
    s.planning.enabled = false;
    const StudyResult no_plan = run_study(s, (dir / "out").string());
    CHECK_FALSE(no_plan.plan);
    CHECK_FALSE(fs::exists(dir / "out" / "plan.csv"));
    CHECK(fs::exists(dir / "out" / "report.html"));
    CHECK(slurp(dir / "out" / "report.en.html").find("What to build first") == std::string::npos);
}

TEST_CASE("A study with 5G NR sectors and a 5G dead-zone rule: three technologies from one table", "[study][nr]") {
    // The pilot's towers plus a hypothetical 5G n78 carrier (3.7 GHz, 100 MHz at 30 kHz) on the commune centre's mast.
    const fs::path dir = scratch("nr");
    std::string sites = slurp(sang_moc + "/sites.csv");
    for (const char* az : {"0", "120", "240"}) {
        sites += std::string("SM-CENTRE,SM-CENTRE/NR3700/") + az + ",Trung tâm xã Sảng Mộc,21.918002,106.01855,35,nr,3700,100,49,14,0," + az +
                 ",3,antenna_3gpp_tr36814.msi,hypothetical\n";
    }
    std::ofstream(dir / "sites.csv") << sites;
    fs::copy_file(sang_moc + "/antenna_3gpp_tr36814.msi", dir / "antenna_3gpp_tr36814.msi", fs::copy_options::overwrite_existing);
    Study s = plain(read_study(variant("nr", {{"technology = \"lte\"", "technology = \"nr\""},
                                        {"umts_class_thresholds_dbm = [-80, -90, -100, -110]",
                                         "umts_class_thresholds_dbm = [-80, -90, -100, -110]\nnr_class_thresholds_dbm = [-75, -85, -95, -105]"}})));
    CHECK(s.dead_zone.technology == Technology::nr);
    CHECK(s.thresholds[Technology::nr].lower_bound_dbm[0] == -75.0);
    CHECK(s.thresholds[Technology::nr].class_count == 4);
    s.sites_file = (dir / "sites.csv").string();
    s.model.model = "free-space";
    s.radius_km = 4.0;
    s.planning.enabled = false;
    const StudyResult r = run_study(s, (dir / "out").string());
    for (const char* f : {"signal_5g_ss_rsrp_dbm.tif", "signal_class_5g.tif", "best_server_5g.tif", "coverage_5g.png", "coverage_5g.kmz",
                          "signal_4g_rsrp_dbm.tif", "signal_3g_rscp_dbm.tif"}) {
        CHECK(fs::exists(dir / "out" / f));
    }
    // The 5G composite: SS-RSRP, classed by the study's NR thresholds.
    const Raster<float> ss_rsrp = read_raster_band((dir / "out" / "signal_5g_ss_rsrp_dbm.tif").string());
    const Raster<float> classes = read_raster_band((dir / "out" / "signal_class_5g.tif").string());
    std::size_t checked = 0;
    for (std::size_t i = 0; i < ss_rsrp.values().size(); i += 97) {
        const float v = ss_rsrp.values()[i];
        if (!std::isnan(v)) {
            CHECK(classes.values()[i] == static_cast<float>(s.thresholds[Technology::nr].classify(v)));
            ++checked;
        }
    }
    CHECK(checked > 100);
    // hamlets.csv has the 5G columns, and the dead-zone rule is the 5G one: the centre, under the 5G mast, is served.
    const std::string hamlets = slurp(dir / "out" / "hamlets.csv");
    CHECK_THAT(hamlets, Contains("nr_median_ss_rsrp_dbm"));
    const auto centre = std::find_if(r.hamlets.begin(), r.hamlets.end(),
                                     [](const HamletReport& h) { return h.hamlet.name.find("Trung tâm") == 0; });
    REQUIRE(centre != r.hamlets.end());
    CHECK_FALSE(centre->dead_zone);
    REQUIRE(centre->technologies.size() == 3);
    CHECK(centre->technologies[2].technology == Technology::nr);
    // The report and run.json name 5G with its own measure and thresholds.
    const std::string html = slurp(dir / "out" / "report.en.html");
    CHECK_THAT(html, Contains("5G (SS-RSRP) at least"));
    CHECK_THAT(slurp(dir / "out" / "report.html"), Contains("5G (SS-RSRP) tối thiểu"));
    const auto run_json = nlohmann::json::parse(slurp(dir / "out" / "run.json"));
    CHECK(run_json["study"]["dead_zone"]["technology"] == "nr");
    CHECK(run_json["study"]["coverage"]["nr_class_thresholds_dbm"][0] == -75.0);
}

TEST_CASE("covtool plan's path: plan only, with roads and rivers layers from the study file", "[study][planning]") {
    const fs::path dir = scratch("plan_layers");
    // A road and a river across the commune (WGS84 lines).
    std::ofstream(dir / "roads.geojson") << R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
 "geometry": {"type": "LineString", "coordinates": [[105.96, 21.90], [106.09, 21.95]]}}]})";
    std::ofstream(dir / "rivers.geojson") << R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
 "geometry": {"type": "LineString", "coordinates": [[106.03, 21.87], [106.03, 21.97]]}}]})";
    const std::string path = variant("plan_layers", {{"roads = \"roads.geojson\"", "roads = \"" + (dir / "roads.geojson").string() + "\""},
                                                     {"rivers = \"streams.geojson\"", "rivers = \"" + (dir / "rivers.geojson").string() + "\""}});
    Study s = plain(read_study(path));
    CHECK(s.planning.roads_file == (dir / "roads.geojson").string());
    s.model.model = "free-space";
    s.radius_km = 3.0;
    StudyRunOptions run;
    run.plan_only = true;
    const StudyResult r = run_study(s, (dir / "out").string(), run);
    REQUIRE(r.plan);
    CHECK(fs::exists(dir / "out" / "plan.csv"));
    CHECK_FALSE(fs::exists(dir / "out" / "report.html"));
    CHECK_FALSE(fs::exists(dir / "out" / "signal_4g_rsrp_dbm.tif"));
    const auto run_json = nlohmann::json::parse(slurp(dir / "out" / "run.json"));
    std::set<std::string> roles;
    for (const auto& in : run_json["inputs"]) {
        roles.insert(in["role"].get<std::string>());
    }
    CHECK(roles.count("roads") == 1);
    CHECK(roles.count("rivers") == 1);
    CHECK(roles.count("candidates") == 1);
    // Routes to hamlets east of the river cross it.
    int crossings = 0;
    for (const auto& st : r.plan->steps) {
        crossings += st.backhaul.fibre.river_crossings;
    }
    for (const auto& st : r.plan->not_chosen) {
        crossings += st.backhaul.fibre.river_crossings;
    }
    CHECK(crossings > 0);
}

TEST_CASE("Calibration round trip: covtool calibrate's file, applied by the study, moves each path loss by exactly the fitted correction",
          "[study][calibration]") {
    const fs::path dir = scratch("calibration");
    const Study study = read_study(shipped_study);
    StudyCalibrationOptions options;
    options.threads = 2;
    const StudyCalibration cal = calibrate_study(study, sang_moc + "/drive_test_synthetic.csv", options);
    REQUIRE(cal.fit.terms.size() == 1); // the drive test logged LTE 1800 only
    const FittedTerm& fitted = cal.fit.terms[0];
    CHECK(fitted.term.technology == Technology::lte);
    CHECK(fitted.term.freq_mhz == 1800.0);
    CHECK(cal.measurements.refused.at("no position fix") == 12);
    const std::vector<std::string> files = write_calibration_outputs(dir.string(), cal, study);
    for (const char* f : {"calibration.toml", "bins.csv", "calibration_distance.png", "calibration_histogram.png", "calibration_scatter.png",
                          "calibration_map.png"}) {
        INFO(f);
        CHECK(std::find(files.begin(), files.end(), f) != files.end());
        CHECK(fs::file_size(dir / f) > 1000);
    }
    // The file reads back to the same terms, exactly.
    const ModelCorrection back = read_calibration_file((dir / "calibration.toml").string());
    REQUIRE(back.terms.size() == 1);
    CHECK(back.terms[0].offset_db == fitted.term.offset_db);
    CHECK(back.terms[0].class_offset_db == fitted.term.class_offset_db);
    // The recovered corrections against the truth the drive test was made with (drive_test_truth.json): each class
    // within 2.5 standard errors.
    const nlohmann::json truth = nlohmann::json::parse(slurp(sang_moc + "/drive_test_truth.json"));
    for (const auto& [code, value] : fitted.class_correction_db) {
        const double true_db = truth["true_correction_db_by_class"][std::to_string(code)].get<double>();
        INFO("class " << code << ": fitted " << value << " ± " << fitted.class_correction_se_db.at(code) << ", true " << true_db);
        CHECK(std::abs(value - true_db) <= 2.5 * fitted.class_correction_se_db.at(code));
    }
    // Held-out RMS falls (the drive test's truth is 6 dB above the model).
    CHECK(fitted.held_out_after.rms_db < fitted.held_out_before.rms_db - 0.5);

    // The study with [calibration] file: every LTE 1800 path loss moves by the term at its distance and class.
    Study calibrated = study;
    calibrated.calibration_file = (dir / "calibration.toml").string();
    const StudyInputs inputs = read_study_inputs(study);
    const Dem dem = read_study_terrain(study, inputs);
    const CoverageOptions plain_options = study_coverage_options(study, dem, 2);
    const CoverageOptions options_calibrated = study_coverage_options(calibrated, dem, 2);
    REQUIRE(options_calibrated.correction != nullptr);
    REQUIRE(options_calibrated.correction->classes != nullptr);
    const CoverageMap a = CoverageEngine(dem, inputs.sectors, plain_options).compute();
    const CoverageMap b = CoverageEngine(dem, inputs.sectors, options_calibrated).compute();
    const ClutterMap& classes = *options_calibrated.correction->classes;
    std::size_t lte_cells = 0;
    for (std::size_t i = 0; i < inputs.sectors.size(); ++i) {
        const Sector& s = inputs.sectors[i];
        const GridPoint site = dem.to_grid(s.location);
        const GridOffset at = require_on_grid(a.path_loss_db[i], "window", dem.raster(), "DEM");
        for (int row = 0; row < a.path_loss_db[i].height(); row += 7) {
            for (int col = 0; col < a.path_loss_db[i].width(); col += 7) {
                const float before = a.path_loss_db[i].at(col, row), after = b.path_loss_db[i].at(col, row);
                if (std::isnan(before)) {
                    CHECK(std::isnan(after));
                    continue;
                }
                const GridPoint c = dem.cell_centre(col + at.col, row + at.row);
                const double d = std::hypot(c.x_m - site.x_m, c.y_m - site.y_m);
                if (s.technology != Technology::lte) {
                    CHECK(after == before);
                } else if (d > 45.0) {
                    // No slope was fitted: the global offset plus the class's offset (none for a class without bins).
                    REQUIRE(fitted.term.slope_db_per_decade == 0.0);
                    const auto cls = fitted.term.class_offset_db.find(classes.at(col + at.col, row + at.row).code);
                    const double expected = fitted.term.offset_db + (cls != fitted.term.class_offset_db.end() ? cls->second : 0.0);
                    CHECK_THAT(before - after, WithinAbs(expected, 2e-3));
                    ++lte_cells;
                }
            }
        }
    }
    CHECK(lte_cells > 10000);

    // Bad calibration files: errors naming the study's key, the file and the line.
    std::ofstream(dir / "broken.toml") << "[[term]]\ntechnology = \"lte\"\nfreq_mhz = 1800\noffset_db = \"high\"\n";
    calibrated.calibration_file = (dir / "broken.toml").string();
    CHECK_THROWS_WITH(study_coverage_options(calibrated, dem), Contains("calibration.file") && Contains("broken.toml") &&
                                                                    Contains("line 4") && Contains("offset_db"));
    std::ofstream(dir / "classes.toml") << "[[term]]\ntechnology = \"lte\"\nfreq_mhz = 1800\noffset_db = 2\nclass_offset_db = { \"10\" = -3 }\n";
    Study without_land_cover = calibrated;
    without_land_cover.calibration_file = (dir / "classes.toml").string();
    without_land_cover.land_cover_file.clear();
    without_land_cover.clutter = "none";
    CHECK_THROWS_WITH(study_coverage_options(without_land_cover, dem), Contains("calibration.file") && Contains("terrain.land_cover"));
    std::ofstream(dir / "unknown.toml") << "[[term]]\ntechnology = \"lte\"\nfreq_mhz = 1800\noffset_db = 2\noffest_db = 3\n";
    calibrated.calibration_file = (dir / "unknown.toml").string();
    CHECK_THROWS_WITH(study_coverage_options(calibrated, dem), Contains("offest_db") && Contains("unknown key"));
}

TEST_CASE("Calibration: a logged phone height is the receiver's height of its bins' predictions", "[study][calibration]") {
    const fs::path dir = scratch("calibration_height");
    // The first 1500 served rows of the shipped drive test, as logged and again 10 m up (a phone on a mast).
    std::ifstream in(sang_moc + "/drive_test_synthetic.csv");
    std::string line;
    std::getline(in, line);
    std::ofstream low(dir / "low.csv"), high(dir / "high.csv");
    low << line << "\n";
    high << line << ",rx_height_agl_m\n";
    int kept = 0;
    while (kept < 1500 && std::getline(in, line)) {
        if (line.find(",,") != std::string::npos) {
            continue;
        }
        low << line << "\n";
        high << line << ",11.5\n";
        ++kept;
    }
    low.close();
    high.close();
    const Study study = read_study(shipped_study);
    const StudyCalibration a = calibrate_study(study, (dir / "low.csv").string());
    const StudyCalibration b = calibrate_study(study, (dir / "high.csv").string());
    REQUIRE(a.binned.bins.size() > 20);
    // Each bin of the second is predicted as the engine predicts for a receiver 11.5 m up (the study's setting at the
    // median location, as calibration compares); the first's at the study's 1.5 m.
    Study median = study;
    median.model.location_pct.reset();
    median.model.p1812.location_pct = 50.0;
    const StudyInputs inputs = read_study_inputs(study);
    const Dem dem = read_study_terrain(study, inputs);
    CoverageOptions options = study_coverage_options(median, dem, 2);
    const CoverageEngine at_1_5(dem, inputs.sectors, options);
    options.rx_height_agl_m = 11.5;
    const CoverageEngine at_11_5(dem, inputs.sectors, options);
    std::size_t compared = 0, moved = 0;
    for (const auto& [cal, engine, height] : {std::tuple{&a, &at_1_5, 0.0}, std::tuple{&b, &at_11_5, 11.5}}) {
        for (const CalibrationBin& x : cal->binned.bins) {
            if (!std::isfinite(x.predicted_dbm)) {
                continue;
            }
            CHECK(x.rx_height_agl_m.value_or(0.0) == height);
            CHECK_THAT(x.predicted_dbm, WithinAbs(engine->sector_signal_at(x.sector, {x.grid})[0], 1e-9));
            const double other = (engine == &at_1_5 ? at_11_5 : at_1_5).sector_signal_at(x.sector, {x.grid})[0];
            moved += std::abs(other - x.predicted_dbm) > 0.1 ? 1 : 0;
            ++compared;
        }
    }
    INFO(moved << " of " << compared << " bins' predictions move by more than 0.1 dB between 1.5 and 11.5 m");
    CHECK(compared > 200);
    CHECK(moved > compared / 2);
}
