// Private: the study's report.html and run.json.
#ifndef COVERAGE_SRC_STUDY_REPORT_HPP
#define COVERAGE_SRC_STUDY_REPORT_HPP

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/terrain/dem.hpp>
#include <coverage/analysis/fibre_network.hpp>
#include <coverage/report/map_render.hpp>
#include <coverage/study/study.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace coverage::detail {

class Messages;

/** A plan step's label on the maps (static and interactive): its number and what it builds where. */
[[nodiscard]] std::string plan_label(const Messages& m, const PlanStep& step);

/** An input file as run.json and the report list it. */
struct InputFile {
    std::string role;    ///< "terrain", "sites", ...
    std::string path;
    std::uintmax_t bytes = 0;
    std::string sha256;  ///< hex
};

/** A map image for the report. */
struct ReportMap {
    std::string title;
    std::string caption;
    std::string png_bytes;
};

/** One language's copy of report.html (the study's language is report.html, the others report.<lang>.html). */
struct ReportCopy {
    std::string language;
    std::string file;
};

/** One technology's signal classes on the report's interactive map. */
struct MapLayer {
    Technology technology = Technology::lte;
    SignalThresholds thresholds;
    GridPicture picture;
};

/** Everything the report and run.json say, gathered once by run_study. */
struct StudyRecord {
    const Study* study = nullptr;
    const Dem* dem = nullptr;
    const std::vector<Sector>* sectors = nullptr;
    const FibreNetwork* fibre = nullptr;
    const StudyResult* result = nullptr;
    std::vector<InputFile> inputs;
    std::vector<ReportMap> maps;
    std::string plan_curve_png;     ///< bytes, when there is a plan
    std::string plan_map_png;
    std::string crs_name;
    std::string model_description;
    std::string started_utc;
    CoverageStats coverage_stats;
    int threads = 0;
    const char* run_kind = "study"; ///< "study" or "plan" (covtool plan), recorded in run.json
    std::vector<ReportCopy> copies; ///< every language's report file, the study's language first
    GridPicture hillshade;                ///< the interactive map's terrain
    std::vector<MapLayer> signal_layers;  ///< the interactive map's signal classes, one per technology
};

/** The resolved study's settings, every key of the key table by its dotted path ([planning] only when enabled). */
[[nodiscard]] nlohmann::ordered_json study_settings_json(const Study& s);

/** The report's context: every value the template shows, already in `language`'s words and number formats. */
[[nodiscard]] nlohmann::ordered_json study_report_context(const StudyRecord& record, const std::string& language);

/**
 * report.html in `language`: the template resource_dir()/templates/report.html.mustache fed with the context; one
 * self-contained page (inline CSS, maps as data: URIs), readable without RF training.
 * @throws InvalidArgument naming the catalogue and the word when the template uses a word the catalogue lacks.
 */
[[nodiscard]] std::string study_report_html(const StudyRecord& record, const std::string& language);

/** run.json: the resolved study, library version, inputs with checksums, grid, model, timings, outputs. */
[[nodiscard]] std::string study_run_json(const StudyRecord& record);

} // namespace coverage::detail

#endif
