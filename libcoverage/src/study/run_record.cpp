// run.json: what a study run used and produced -- the resolved study (from the key table), the library version,
// the inputs with their SHA-256, the grid, the model, the results, the timings -- so that a run can be checked and
// reproduced.

#include <coverage/core/error.hpp>
#include <coverage/core/version.hpp>
#include <coverage/study/calibration.hpp>
#include <coverage/study/output_folder.hpp>

#include "core/text.hpp"
#include "study/study_report.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace coverage::detail {

std::string study_run_json(const StudyRecord& rec) {
    using nlohmann::ordered_json;
    const Study& s = *rec.study;
    const StudyResult& res = *rec.result;
    ordered_json j;
    j["producer"] = run_json_producer; // the marker by which a later run knows the folder is ours to replace
    j["run_json_schema"] = run_json_schema;
    j["run_kind"] = rec.run_kind;
    j["libcoverage_version"] = version;
    j["started_utc"] = rec.started_utc;
    j["study_file"] = s.study_file;
    j["study"] = study_settings_json(s); // every key of the key table
    j["study"]["terrain"]["synthetic"] = res.terrain_synthetic; // the study's flag or a DEM tagged SYNTHETIC=YES
    j["model"] = rec.model_description;
    if (!s.calibration_file.empty()) {
        // The correction as applied (the file's hash is among the inputs), and how well it fitted on held-out blocks.
        const CalibrationSummary cal = read_calibration_summary(s.calibration_file);
        nlohmann::ordered_json terms = nlohmann::ordered_json::array();
        for (const CalibrationSummary::Term& t : cal.terms) {
            nlohmann::ordered_json classes = nlohmann::ordered_json::object();
            for (const CalibrationSummary::ClassRow& c : t.classes) {
                classes[std::to_string(c.code)] = {{"correction_db", c.correction_db}, {"correction_se_db", c.correction_se_db}, {"bins", c.bins}};
            }
            terms.push_back({{"technology", traits(t.technology).key}, {"freq_mhz", t.freq_mhz}, {"offset_db", t.offset_db},
                             {"offset_se_db", t.offset_se_db}, {"slope_db_per_decade", t.slope_db_per_decade}, {"classes", classes},
                             {"held_out_rms_before_db", t.before.rms_db}, {"held_out_rms_after_db", t.after.rms_db}});
        }
        j["calibration"] = {{"file", s.calibration_file}, {"measurements", cal.measurements}, {"bins", cal.bins}, {"terms", terms}};
    }
    ordered_json inputs = ordered_json::array();
    for (const InputFile& f : rec.inputs) {
        if (f.sha256.empty()) { // read over the network (terrain.allow_remote): neither size nor hash is known
            inputs.push_back({{"role", f.role}, {"path", f.path}, {"bytes", nullptr}, {"sha256", nullptr}});
        } else {
            inputs.push_back({{"role", f.role}, {"path", f.path}, {"bytes", f.bytes}, {"sha256", f.sha256}});
        }
    }
    j["inputs"] = inputs;
    const Raster<float>& z = rec.dem->raster();
    const GeoTransform& gt = z.transform();
    j["grid"] = {{"crs", rec.crs_name},
                 {"cell_m", rec.dem->cell_size_m()},
                 {"width", z.width()},
                 {"height", z.height()},
                 {"origin_x_m", gt.xorig},
                 {"origin_y_m", gt.yorig},
                 {"resampling", rec.dem->resampling()},
                 {"filled_void_cells", rec.dem->voids().filled_cells}};
    j["coverage"] = {{"sectors", res.sectors},
                     {"cells_in_radius", rec.coverage_stats.cells_in_radius},
                     {"model_evaluations", rec.coverage_stats.model_evaluations},
                     {"cells_without_terrain", rec.coverage_stats.cells_without_terrain},
                     {"cells_outside_model", rec.coverage_stats.cells_outside_model}};
    j["results"] = {{"hamlets", res.hamlets.size()},
                    {"dead_zones", res.priorities.size()},
                    {"priority_order", [&] {
                         std::vector<std::string> v;
                         for (const auto& p : res.priorities) {
                             v.push_back(p.hamlet_id);
                         }
                         return v;
                     }()}};
    if (!res.setting_steps.empty()) {
        ordered_json rows = ordered_json::array();
        for (const SettingStep& r : res.setting_steps) {
            rows.push_back({{"label", r.label}, {"model", r.model_description}, {"households_served", r.households_served},
                            {"households", r.households}, {"dead_zones", r.dead_zones}, {"ranking", r.ranking}});
        }
        j["setting_steps"] = rows;
    }
    if (res.plan) {
        const Plan& p = *res.plan;
        ordered_json steps = ordered_json::array();
        for (const PlanStep& x : p.steps) {
            steps.push_back({{"step", x.step}, {"action", to_string(x.action)}, {"target_id", x.target_id}, {"cost_usd", x.cost_usd},
                             {"households_new", x.households_new}});
        }
        j["plan"] = {{"candidates", p.candidates},
                     {"steps", steps},
                     {"households_new", p.households_new},
                     {"households_unserved_before", p.households_unserved_before},
                     {"upper_bound_households", p.upper_bound_households},
                     {"cost_usd", p.cost_usd},
                     {"not_chosen", p.not_chosen.size()},
                     {"impossible", p.impossible.size()}};
    }
    if (res.uncertainty) {
        const UncertaintyResult& u = *res.uncertainty;
        ordered_json ranks = ordered_json::array();
        for (const RankStability& r : u.ranks) {
            ranks.push_back({{"hamlet_id", r.hamlet_id}, {"rank", r.rank}, {"dead_zone_pct", 100.0 * r.dead_zone_share},
                             {"median_rank", r.median_rank}, {"top3_pct", 100.0 * r.top3_share}, {"first_pct", 100.0 * r.first_share}});
        }
        j["uncertainty"] = {{"trials", u.settings.trials},
                            {"seed", u.settings.seed},
                            {"model_error_db", u.settings.model_error_db},
                            {"model_error_source", u.model_error_source},
                            {"ranks", ranks},
                            {"households_p10", u.households_p10},
                            {"households_p50", u.households_p50},
                            {"households_p90", u.households_p90},
                            {"seconds", u.seconds}};
    }
    j["timings_s"] = {{"terrain", res.timings.terrain_s},
                      {"coverage", res.timings.coverage_s},
                      {"analysis", res.timings.analysis_s},
                      {"planning", res.timings.planning_s},
                      {"outputs", res.timings.outputs_s},
                      {"total", res.timings.total_s}};
    j["peak_rss_mib"] = res.peak_rss_mib;
    j["threads"] = rec.threads;
    j["outputs"] = res.files;
    return j.dump(2) + "\n";
}

} // namespace coverage::detail
