// Studies: one TOML file in, one output folder out.

#include "common.hpp"

#include <coverage/core/catalogue.hpp>
#include <coverage/study/output_folder.hpp>
#include <coverage/study/stages.hpp>
#include <coverage/study/study.hpp>
#include <coverage/study/calibration.hpp>

namespace libcoverage_py {

using namespace pybind11::literals;

void bind_study(py::module_& m) {
    using namespace coverage;

    py::class_<Study> study(m, "Study", "A coverage study as a TOML study file describes it, every value resolved.");
    py::class_<Study::Indoor>(study, "Indoor", "Households judged indoors (ITU-R P.2109).")
        .def(py::init<>())
        .def_readwrite("enabled", &Study::Indoor::enabled)
        .def_readwrite("building_type", &Study::Indoor::building_type)
        .def_readwrite("building_entry_pct", &Study::Indoor::building_entry_pct);
    py::class_<Study::Planning>(study, "Planning", "The [planning] table.")
        .def(py::init<>())
        .def_readwrite("enabled", &Study::Planning::enabled)
        .def_readwrite("settings", &Study::Planning::settings)
        .def_readwrite("candidates_file", &Study::Planning::candidates_file)
        .def_readwrite("roads_file", &Study::Planning::roads_file)
        .def_readwrite("rivers_file", &Study::Planning::rivers_file)
        .def_readwrite("landcover_file", &Study::Planning::landcover_file);
    py::class_<Study::Uncertainty>(study, "Uncertainty", "The [uncertainty] table (the Monte Carlo of the ranking and the plan).")
        .def(py::init<>())
        .def_readwrite("enabled", &Study::Uncertainty::enabled)
        .def_readwrite("settings", &Study::Uncertainty::settings)
        .def_readwrite("model_error_given", &Study::Uncertainty::model_error_given,
                       "uncertainty.model_error_db given; else the calibration's held-out error, else the default.");
    study.def(py::init<>())
        .def_readwrite("study_file", &Study::study_file)
        .def_readwrite("name", &Study::name)
        .def_readwrite("area", &Study::area)
        .def_readwrite("prepared_by", &Study::prepared_by)
        .def_readwrite("language", &Study::language, "report.language: vi or en (report.html, its maps and charts)")
        .def_readwrite("dem_files", &Study::dem_files)
        .def_readwrite("voids", &Study::voids)
        .def_readwrite("cell_m", &Study::cell_m, "Grid cell size, metres; None: the DEM's own.")
        .def_readwrite("terrain_provenance", &Study::terrain_provenance)
        .def_readwrite("terrain_synthetic", &Study::terrain_synthetic)
        .def_readwrite("sites_file", &Study::sites_file)
        .def_readwrite("hamlets_file", &Study::hamlets_file)
        .def_readwrite("household_points_file", &Study::household_points_file, "inputs.household_points ('' none: households spread evenly).")
        .def_readwrite("fibre_file", &Study::fibre_file)
        .def_readwrite("model", &Study::model)
        .def_readwrite("mode", &Study::mode)
        .def_readwrite("radius_km", &Study::radius_km)
        .def_readwrite("rx_height_m", &Study::rx_height_m, "Receiver height above ground, metres.")
        .def_readwrite("rx_gain_dbi", &Study::rx_gain_dbi)
        .def_readwrite("cpich_fraction", &Study::cpich_fraction)
        .def_readwrite("land_cover_file", &Study::land_cover_file, "terrain.land_cover ('' none).")
        .def_readwrite("calibration_file", &Study::calibration_file, "calibration.file: a calibration.toml from covtool calibrate ('' none).")
        .def_readwrite("land_cover_classes", &Study::land_cover_classes, "The class table (WorldCover with the study's classes).")
        .def_readwrite("clutter", &Study::clutter, "coverage.clutter: 'none' or 'p2108'.")
        .def_readwrite("dead_zone", &Study::dead_zone)
        .def_readwrite("indoor", &Study::indoor, "dead_zone.indoor, building_type and building_entry_pct.")
        .def_readwrite("weights", &Study::weights)
        .def_readwrite("planning", &Study::planning)
        .def_readwrite("uncertainty", &Study::uncertainty)
        .def("__repr__", [](const Study& s) { return "<Study " + s.name + ">"; });
    bind_per_technology_thresholds(study);
    py::class_<StudyKey>(m, "StudyKey", "One key a study file may hold, as documented.")
        .def_readonly("key", &StudyKey::key)
        .def_readonly("values", &StudyKey::values)
        .def_readonly("default_value", &StudyKey::default_value)
        .def_readonly("meaning", &StudyKey::meaning);
    m.def("message_languages", &message_languages, "The languages the report, its maps and charts can be written in.");
    m.def("message_catalogue", &message_catalogue, "language"_a,
          "Every word of a language's message catalogue by key ({name} marks a value put in); the report, maps, charts and "
          "CSV reasons take their words from it.");
    m.def("study_keys", &study_keys, "Every key of a study file (the table that reads, checks, records and documents them).");
    m.def("study_keys_markdown", &study_keys_markdown, "prefix"_a = "",
          "The keys as the README's Markdown table: those outside [planning] for '', else those starting with prefix.");
    m.def("read_study", &read_study, "path"_a,
          "Read and check a TOML study file; errors name the file, the key (table.key), the value and what was expected.");

    py::class_<StudyTimings>(m, "StudyTimings", "Wall time of each stage, seconds.")
        .def_readonly("terrain_s", &StudyTimings::terrain_s)
        .def_readonly("coverage_s", &StudyTimings::coverage_s)
        .def_readonly("analysis_s", &StudyTimings::analysis_s)
        .def_readonly("planning_s", &StudyTimings::planning_s)
        .def_readonly("outputs_s", &StudyTimings::outputs_s)
        .def_readonly("total_s", &StudyTimings::total_s);
    py::class_<SettingStep>(m, "SettingStep", "One row of how the answer moves from the plain setting to the study's.")
        .def_readonly("label", &SettingStep::label)
        .def_readonly("model_description", &SettingStep::model_description)
        .def_readonly("households_served", &SettingStep::households_served, "On the dead-zone rule's technology.")
        .def_readonly("households", &SettingStep::households)
        .def_readonly("dead_zones", &SettingStep::dead_zones)
        .def_readonly("ranking", &SettingStep::ranking, "Dead-zone names, first to serve first.");
    py::class_<StudyResult>(m, "StudyResult", "What a study run produced.")
        .def_readonly("out_dir", &StudyResult::out_dir)
        .def_readonly("files", &StudyResult::files, "Output file names, relative to out_dir.")
        .def_readonly("setting_steps", &StudyResult::setting_steps, "With report.setting_steps: SettingSteps, the study's last.")
        .def_readonly("rule", &StudyResult::rule, "The dead-zone rule as applied (indoors: with its building entry loss).")
        .def_readonly("hamlets", &StudyResult::hamlets, "HamletReports.")
        .def_readonly("priorities", &StudyResult::priorities, "DeadZonePriorities, rank order.")
        .def_readonly("plan", &StudyResult::plan, "The Plan when the study has [planning], else None.")
        .def_readonly("uncertainty", &StudyResult::uncertainty, "The UncertaintyResult when the study has [uncertainty], else None.")
        .def_readonly("grid_cells", &StudyResult::grid_cells)
        .def_readonly("sectors", &StudyResult::sectors)
        .def_readonly("terrain_synthetic", &StudyResult::terrain_synthetic)
        .def_readonly("timings", &StudyResult::timings)
        .def_readonly("peak_rss_mib", &StudyResult::peak_rss_mib, "Peak resident memory of the process, MiB.");
    m.def(
        "run_study",
        [](const Study& s, const std::string& out_dir, int threads, bool plan_only, const py::object& progress) {
            return run_interruptible(progress, "study", [&](const ProgressFn& fn) {
                StudyRunOptions o;
                o.threads = threads;
                o.plan_only = plan_only;
                o.progress = fn;
                return run_study(s, out_dir, o);
            });
        },
        "study"_a, "out_dir"_a, py::kw_only(), "threads"_a = 0, "plan_only"_a = false, "progress"_a = py::none(),
        "Run a study and write its output folder (GeoTIFFs, maps, KMZ, tables, report.html, run.json), swapped in whole when complete. "
        "Ctrl-C or a progress callback returning False leaves a previous result untouched.");

    // The stages, as run_study chains them (libcoverage.distributed calls them with coverage computed tower by tower).
    py::class_<StudyInputs>(m, "StudyInputs", "The sites, hamlets and fibre routes a study file names, read and checked.")
        .def(py::init<>())
        .def_readwrite("sectors", &StudyInputs::sectors)
        .def_readwrite("hamlets", &StudyInputs::hamlets)
        .def_readwrite("fibre_routes", &StudyInputs::fibre_routes);
    m.def("read_study_inputs", &read_study_inputs, "study"_a, "Stage 1a: read the study's sites, hamlets and fibre files.");
    m.def("study_area", &study_area, "study"_a, "inputs"_a,
          "The GeoBox the study's terrain is read for (every sector's radius, every hamlet with its surroundings); None "
          "without coverage.radius_km.");
    m.def("study_terrain_options", &study_terrain_options, "study"_a, "inputs"_a,
          "DemOptions by the one grid rule every entry point shares (area, cell size, void policy).");
    m.def(
        "read_study_terrain",
        [](const Study& s, const StudyInputs& in) {
            py::gil_scoped_release nogil;
            return read_study_terrain(s, in);
        },
        "study"_a, "inputs"_a, "Stage 1b: the study's Dem by the one grid rule, checked to hold every hamlet.");
    m.def(
        "read_study_clutter",
        [](const Study& s, const Dem& dem) { return std::const_pointer_cast<ClutterMap>(read_study_clutter(s, dem)); },
        "study"_a, "dem"_a, "Stage 1c: with coverage.clutter = 'p2108', the land cover on the DEM's grid (else None).");
    m.def(
        "study_setting_steps",
        [](const Study& s, const StudyInputs& in, const Dem& dem, const StudyAnalysis& a, int threads) {
            py::gil_scoped_release nogil;
            return study_setting_steps(s, in, dem, a, threads);
        },
        "study"_a, "inputs"_a, "dem"_a, "analysis"_a, "threads"_a = 0,
        "How the answer moves from ITM, no clutter, median, outdoors to the study's setting (the last row, from `analysis`).");
    m.def("study_dead_zone_rule", &study_dead_zone_rule, "study"_a, "sectors"_a,
          "The study's DeadZoneRule as applied: with dead_zone.indoor, the ITU-R P.2109 loss at the rule technology's highest band.");
    m.def("study_coverage_options", py::overload_cast<const Study&, int>(&study_coverage_options), "study"_a, "threads"_a = 0,
          "CoverageOptions of a study (model, mode, radius, receiver, thresholds), without what needs the terrain.");
    m.def("study_coverage_options", py::overload_cast<const Study&, const Dem&, int>(&study_coverage_options), "study"_a, "dem"_a,
          "threads"_a = 0,
          "CoverageOptions of a study on the terrain read: with its clutter (read_study_clutter) and its calibration "
          "(read_study_correction). Every entry point computes coverage with these.");
    py::class_<StudyAnalysis>(m, "StudyAnalysis", "What the analysis and planning stages found.")
        .def_readonly("rule", &StudyAnalysis::rule, "The dead-zone rule as applied (indoors: with its building entry loss).")
        .def_readonly("fibre", &StudyAnalysis::fibre)
        .def_readonly("hamlets", &StudyAnalysis::hamlets, "HamletReports.")
        .def_readonly("priorities", &StudyAnalysis::priorities, "DeadZonePriorities, rank order.")
        .def_readonly("plan", &StudyAnalysis::plan, "The Plan when the study has [planning], else None.")
        .def_readonly("uncertainty", &StudyAnalysis::uncertainty, "The UncertaintyResult when the study has [uncertainty], else None.")
        .def_readonly("analysis_s", &StudyAnalysis::analysis_s)
        .def_readonly("planning_s", &StudyAnalysis::planning_s);
    m.def(
        "analyse_study",
        [](const Study& s, const StudyInputs& in, const Dem& dem, const std::vector<TechnologyCoverage>& by_technology,
           const std::vector<std::string>& sector_ids, const CoverageOptions& coverage) {
            py::gil_scoped_release nogil;
            return analyse_study(s, in, dem, by_technology, sector_ids, coverage);
        },
        "study"_a, "inputs"_a, "dem"_a, "by_technology"_a, "sector_ids"_a, "coverage"_a,
        "Stages 3 and 4: hamlets, priorities and (with [planning]) the plan from one composite per technology.");
    m.def("write_study_rasters", &write_study_rasters, "folder"_a, "study"_a, "by_technology"_a, "sector_ids"_a,
          "Per technology: signal, signal class and best-server GeoTIFFs (with colour tables), atomically; returns the names.");
    m.def("write_study_tables", &write_study_tables, "folder"_a, "study"_a, "analysis"_a, "plan_only"_a = false,
          "plan.csv/.geojson and hamlets.csv/.geojson, priorities.csv, atomically; returns the names.");
    m.def(
        "write_study_report",
        [](const std::string& folder, const Study& s, const StudyInputs& in, const Dem& dem, const std::vector<TechnologyCoverage>& by_technology,
           const StudyAnalysis& analysis, const std::vector<std::string>& other_files, const std::string& started_utc, int threads,
           double terrain_s, double coverage_s, double total_s, bool print_pdf) {
            StudyReportOptions o;
            o.other_files = other_files;
            o.started_utc = started_utc;
            o.threads = threads;
            o.timings.terrain_s = terrain_s;
            o.timings.coverage_s = coverage_s;
            o.timings.total_s = total_s;
            o.print_pdf = print_pdf;
            py::gil_scoped_release nogil;
            return write_study_report(folder, s, in, dem, by_technology, analysis, o);
        },
        "folder"_a, "study"_a, "inputs"_a, "dem"_a, "by_technology"_a, "analysis"_a, py::kw_only(),
        "other_files"_a = std::vector<std::string>{}, "started_utc"_a = "", "threads"_a = 0, "terrain_s"_a = 0.0, "coverage_s"_a = 0.0,
        "total_s"_a = 0.0, "print_pdf"_a = false,
        "Stage 4c: coverage_<t>.png/.kmz, plan_map.png, plan_curve.png (and their print copies), report.html in the study's "
        "language and its copies (report.<lang>.html), the pages covtool study writes; report.pdf with print_pdf. "
        "`other_files`: the run's other outputs, listed in the report. Returns the names written.");

    // Output folders: what may be replaced, and the run.json that says a folder is ours.
    py::enum_<RunKind>(m, "RunKind", "What wrote (or will write) an output folder; recorded in run.json as run_kind.")
        .value("study", RunKind::study)
        .value("plan", RunKind::plan)
        .value("map", RunKind::map)
        .value("province_commune", RunKind::province_commune)
        .value("calibration", RunKind::calibration);
    m.def("check_replaceable", &check_replaceable, "folder"_a, "kind"_a,
          "Raise IoError unless a run of `kind` may replace `folder`: absent, empty, or written by a libcoverage run of the same "
          "kind and holding only the files its run.json lists.");
    m.def("remove_previous_outputs", &remove_previous_outputs, "folder"_a, "kind"_a,
          "Remove the files a previous run of `kind` listed in the folder's run.json (and nothing else); returns their names.");
    m.def("write_run_manifest", &write_run_manifest, "folder"_a, "kind"_a, "outputs"_a, "extra"_a = "",
          "Write folder/run.json with libcoverage's marker, the run kind, the version, the outputs and `extra` (a JSON object's text).");

    py::class_<StudyCalibrationOptions>(m, "StudyCalibrationOptions", "How covtool calibrate reads, bins and fits.")
        .def(py::init<>())
        .def_readwrite("measurements", &StudyCalibrationOptions::measurements)
        .def_readwrite("bins", &StudyCalibrationOptions::bins)
        .def_readwrite("fit", &StudyCalibrationOptions::fit)
        .def_readwrite("threads", &StudyCalibrationOptions::threads);
    py::class_<StudyCalibration>(m, "StudyCalibration", "A calibration and everything it was made from.")
        .def_readonly("measurements_path", &StudyCalibration::measurements_path)
        .def_readonly("measurements", &StudyCalibration::measurements)
        .def_readonly("binned", &StudyCalibration::binned)
        .def_readonly("bins_without_prediction", &StudyCalibration::bins_without_prediction)
        .def_readonly("fit", &StudyCalibration::fit)
        .def_readonly("sectors", &StudyCalibration::sectors)
        .def_readonly("land_cover", &StudyCalibration::land_cover)
        .def_readonly("has_land_cover", &StudyCalibration::has_land_cover)
        .def_readonly("model_description", &StudyCalibration::model_description)
        .def_readonly("cell_m", &StudyCalibration::cell_m);
    m.def(
        "calibrate_study",
        [](const Study& s, const std::string& path, const StudyCalibrationOptions& o) {
            py::gil_scoped_release nogil;
            return calibrate_study(s, path, o);
        },
        "study"_a, "measurements"_a, "options"_a = StudyCalibrationOptions{},
        "Predict every bin of a drive test with the study's setting (without its own calibration) and fit the correction.");
    m.def("write_calibration_outputs", &write_calibration_outputs, "folder"_a, "calibration"_a, "study"_a,
          "calibration.toml, bins.csv and the charts into `folder`; returns the file names.");
    m.def("write_calibration_file", &write_calibration_file, "calibration"_a, "study"_a, "path"_a, "Write calibration.toml.");
    m.def("read_calibration_file", [](const std::string& p) { return std::make_shared<ModelCorrection>(read_calibration_file(p)); }, "path"_a,
          "The correction of a calibration.toml.");
    m.def(
        "read_study_correction",
        [](const Study& s, const Dem& dem) { return std::const_pointer_cast<ModelCorrection>(read_study_correction(s, dem)); }, "study"_a,
        "dem"_a, "With calibration.file, its correction on the DEM's grid (else None).");
}

} // namespace libcoverage_py
