#ifndef COVERAGE_STUDY_HPP
#define COVERAGE_STUDY_HPP

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/analysis/hamlet_analysis.hpp>
#include <coverage/propagation/land_cover.hpp>
#include <coverage/propagation/model_spec.hpp>
#include <coverage/propagation/p2109.hpp>
#include <coverage/planning/plan.hpp>
#include <coverage/planning/uncertainty.hpp>
#include <coverage/analysis/priorities.hpp>
#include <coverage/core/progress.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/**
 * A coverage study as a TOML study file describes it, every value resolved (defaults filled in, paths made
 * relative to the working directory). See data/sang_moc/study.toml for a commented example and the README
 * for every key.
 */
struct Study {
    std::string study_file;                 ///< where it was read from ("" when built in code)
    // [study]
    std::string name;                       ///< shown as the report's title
    std::string area;                       ///< what the area is, in words (commune, district, province)
    std::string prepared_by;
    std::map<std::string, std::string> name_by_language;  ///< study.name_vi, study.name_en: the title in that language's report
    std::map<std::string, std::string> area_by_language;  ///< study.area_vi, study.area_en
    /** The title in `reader_language`: study.name_<language> when given, else study.name. */
    [[nodiscard]] const std::string& name_in(const std::string& reader_language) const;
    /** The area in `reader_language`: study.area_<language> when given, else study.area. */
    [[nodiscard]] const std::string& area_in(const std::string& reader_language) const;

    // [terrain]
    std::vector<std::string> dem_files;
    VoidPolicy voids = VoidPolicy::error;
    std::optional<double> cell_m;           ///< default: the DEM's own resolution
    Resampling resampling = Resampling::bilinear; ///< a DEM off the working grid; one on it keeps its cells
    std::string terrain_provenance;         ///< where the DEM comes from, for the report
    bool terrain_synthetic = false;         ///< true, or any DEM file tagged SYNTHETIC=YES, puts a warning on every page
    bool terrain_allow_remote = false;      ///< a DEM's VRT may name sources on the network (DemOptions::allow_remote)
    std::string land_cover_file;            ///< terrain.land_cover: a land-cover raster ("" none)
    LandCoverTable land_cover_classes = worldcover_land_cover_table(); ///< the default table with the study's classes over it

    // inputs
    std::string sites_file;
    std::string hamlets_file;
    std::string household_points_file;      ///< optional: where the households live (read_household_points)
    std::string fibre_file;                 ///< optional ("" = none; then the fibre weight must be 0)

    // [coverage]
    ModelSpec model;
    CoverageMode mode = CoverageMode::fast;
    ProfileSampling profile_sampling = ProfileSampling::bilinear; ///< terrain between the DEM's posts
    std::optional<double> radius_km;
    double rx_height_m = 1.5;
    double rx_gain_dbi = 0.0;
    double cpich_fraction = 0.1;
    std::string clutter = "none";           ///< coverage.clutter: none or p2108 (receiver clutter from the land cover)
    std::string calibration_file;           ///< calibration.file: a calibration.toml from covtool calibrate ("" none)
    TechnologyThresholds thresholds = default_technology_thresholds(); ///< coverage.<technology>_class_thresholds_dbm
    std::string language = "en";            ///< report.language: "vi" or "en" (report, its maps and charts)
    bool setting_steps = false;             ///< report.setting_steps: the report shows how the answer moves, setting by setting
    std::string print_maps = "pdf";         ///< report.print_maps: "pdf", "svg" or "none": the maps and the chart again for print

    // [dead_zone]
    DeadZoneRule dead_zone;                 ///< as written; study_dead_zone_rule() adds the indoor loss
    struct Indoor {
        bool enabled = false;               ///< dead_zone.indoor: households judged by the signal inside their houses
        BuildingType building_type = BuildingType::traditional; ///< dead_zone.building_type (ITU-R P.2109)
        double building_entry_pct = 50.0;   ///< dead_zone.building_entry_pct: loss not exceeded in this share of houses
    } indoor;

    // [priorities]
    PriorityWeights weights;

    // [planning] (optional: without it no plan is made)
    struct Planning {
        bool enabled = false;
        PlanSettings settings;
        std::string candidates_file;  ///< optional
        std::string roads_file;       ///< optional vector layer: fibre along roads costs road_factor ×
        std::string rivers_file;      ///< optional vector layer: each crossing costs river_crossing_usd
        std::string landcover_file;   ///< optional raster of classes, with costs.landcover_factors
    } planning;

    // [uncertainty] (optional: without it no Monte Carlo is run)
    struct Uncertainty {
        bool enabled = false;
        UncertaintySettings settings;
        bool model_error_given = false;  ///< uncertainty.model_error_db given; else the calibration's held-out σ, else the default
    } uncertainty;
};

/**
 * Read and check a study file. Unknown keys and tables are errors (a misspelt key never falls back to a
 * default silently); every error names the file, the key (as `table.key`), the value and what was expected.
 * Paths inside the file are relative to the file's folder. Input files must exist.
 * @throws IoError when the file cannot be read; InvalidArgument for TOML syntax (with line and column) or a bad value.
 */
[[nodiscard]] Study read_study(const std::string& path);

/** One key a study file may hold, as documented: the README's key table is study_keys_markdown(). */
struct StudyKey {
    std::string key;            ///< dotted, e.g. "coverage.rx_height_m"
    std::string values;         ///< what it takes, with units
    std::string default_value;  ///< in words ("required", "none", "1.5")
    std::string meaning;
};

/**
 * Every key of a study file, in the order of the README. The same table reads and checks the file (read_study),
 * records the resolved study in run.json, and documents it: a key exists in all four places or in none.
 */
[[nodiscard]] std::vector<StudyKey> study_keys();

/**
 * The keys as a Markdown table (| key | values | default | what |): those outside [planning] for an empty prefix,
 * else those starting with `prefix` (e.g. "planning."). The README's tables are this text (a test compares).
 */
[[nodiscard]] std::string study_keys_markdown(const std::string& prefix = "");

/** How a run is carried out; none of it changes the results. */
struct StudyRunOptions {
    int threads = 0;          ///< 0: all cores
    ProgressFn progress;
    bool plan_only = false;   ///< write only the plan (plan.csv, plan.geojson, plan_curve.png) and run.json
    /** Also report.pdf: report.html printed by headless Chromium (its print stylesheet: A4, a page per section, the
     *  static maps), before the folder is swapped in. Chromium is looked for before anything is computed. */
    bool print_pdf = false;
};

/**
 * One row of the report's table of how the answer moves, one setting at a time, from ITM without clutter at the
 * median outdoors to the study's own setting (report.setting_steps).
 */
struct SettingStep {
    std::string label;                 ///< what this row adds ("ITM, no clutter, median, outdoors", "+ 90 % of locations", ...)
    /** The row's setting, for its label in any language. */
    enum class Kind { plain, receiver_clutter, location, indoors, study };
    Kind kind = Kind::plain;
    double location_pct = 50.0;        ///< kind == location: the percentage of locations
    std::string model_description;     ///< describe_model() of the row's model settings
    double households_served = 0.0;    ///< on the dead-zone rule's technology, at its class or better
    double households = 0.0;           ///< of all hamlets
    std::size_t dead_zones = 0;
    std::vector<std::string> ranking;  ///< the dead zones' names, first to serve first
};

/** Wall time of each stage, seconds. */
struct StudyTimings {
    double terrain_s = 0.0;   ///< reading the DEM and the vector inputs
    double coverage_s = 0.0;  ///< path loss for every sector, composites
    double analysis_s = 0.0;  ///< hamlet statistics and priorities
    double planning_s = 0.0;  ///< cost surface, routes, candidates' coverage, selection
    double outputs_s = 0.0;   ///< rasters, maps, KMZ, tables, report
    double total_s = 0.0;
};

/** What a study run produced. */
struct StudyResult {
    std::string out_dir;
    std::vector<std::string> files;           ///< output file names, relative to out_dir
    DeadZoneRule rule;                        ///< the dead-zone rule as applied (indoors: with its building entry loss)
    std::vector<HamletReport> hamlets;
    std::vector<SettingStep> setting_steps;   ///< with report.setting_steps: the plain setting first, the study's last
    std::vector<DeadZonePriority> priorities;
    std::optional<Plan> plan;                 ///< when the study has a [planning] table
    std::optional<UncertaintyResult> uncertainty; ///< when the study has an [uncertainty] table
    std::size_t grid_cells = 0;
    std::size_t sectors = 0;
    bool terrain_synthetic = false;
    StudyTimings timings;
    double peak_rss_mib = 0.0;                ///< of the whole process, at the end of the run
};

/**
 * Run a study and write its output folder: per-technology GeoTIFFs (signal, class, best server), path loss
 * per sector, PNG maps with legend and hamlet labels, KMZ, hamlets.csv/.geojson, priorities.csv, report.html
 * (self-contained) and run.json (resolved study, version, input checksums, timings).
 *
 * The folder is built beside `out_dir` and swapped in when complete, so a failed or cancelled run leaves a
 * previous result untouched and never a half-written folder. An existing `out_dir` is only replaced when it
 * is empty or holds a previous study's run.json.
 * @throws the errors of the stages (naming file, row and field), IoError for the folder, Cancelled.
 */
StudyResult run_study(const Study& study, const std::string& out_dir, const StudyRunOptions& options = {});

/**
 * What a finished run says to the person who started it (covtool study and covtool plan print it), in one language,
 * every word from the message catalogue and numbers written as that language writes them: headed blocks of
 * two-column rows, for a terminal to align.
 */
struct RunSummary {
    struct Block {
        std::string heading;                                    ///< empty: none
        std::vector<std::pair<std::string, std::string>> rows;  ///< label, value
    };
    std::vector<Block> blocks;
};

/**
 * The summary of a study run in `language` ("vi", "en"; normally the study's report.language): its name, the
 * synthetic-terrain note, each hamlet's signal and dead-zone status, the dead zones in order, the plan, the time spent
 * and where the files are. With `plan_only` (covtool plan): the name, the plan and the time spent.
 * @throws InvalidArgument for a language without a catalogue.
 */
[[nodiscard]] RunSummary run_summary(const Study& study, const StudyResult& result, const std::string& language, bool plan_only = false);

/** The hamlets' lines of a summary (name and households; each technology's class and share served; the dead-zone mark),
 *  in `language`'s words, as run_summary and covtool hamlets show them. */
[[nodiscard]] RunSummary::Block hamlet_summary(const std::vector<HamletReport>& hamlets, const std::string& language);

} // namespace coverage

#endif // COVERAGE_STUDY_HPP
