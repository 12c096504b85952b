#ifndef COVERAGE_STUDY_STAGES_HPP
#define COVERAGE_STUDY_STAGES_HPP

// The stages of a study, each a plain function with plain inputs and outputs. run_study chains them; covtool, the
// Python package and the province runner (libcoverage.distributed, which computes the coverage tower by tower on a
// cluster) call the same functions, so the same study file gives the same grid, tables and rasters everywhere.

#include <coverage/analysis/fibre_network.hpp>
#include <coverage/analysis/hamlet_analysis.hpp>
#include <coverage/analysis/priorities.hpp>
#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/core/progress.hpp>
#include <coverage/planning/plan.hpp>
#include <coverage/study/study.hpp>
#include <coverage/terrain/dem.hpp>

#include <optional>
#include <string>
#include <vector>

namespace coverage {

/** The vector inputs a study file names, read and checked. */
struct StudyInputs {
    std::vector<Sector> sectors;
    std::vector<Hamlet> hamlets;
    std::vector<FibreRoute> fibre_routes;  ///< empty without inputs.fibre
    /** With inputs.household_points: what was read (the hamlets hold their points); without, households are spread
     *  evenly over each hamlet's cells. */
    std::optional<HouseholdPointsSummary> household_points;
};

/** Stage 1a: read the sites, hamlets and fibre files of a study. @throws the readers' errors (file, row, field). */
[[nodiscard]] StudyInputs read_study_inputs(const Study& study);

/**
 * The area a study's terrain is read for: every sector's radius and every hamlet with its settlement radius, the
 * terrain-difficulty radius and 100 m around it. Empty without coverage.radius_km (then the whole DEM is read).
 */
[[nodiscard]] std::optional<GeoBox> study_area(const Study& study, const StudyInputs& inputs);

/**
 * The one grid rule, for every entry point: the study's area, cell size and void policy, on a grid aligned as
 * read_elevation() describes (the DEM's own cells when it is already in the working CRS at the working cell size,
 * else whole multiples of the cell size).
 */
[[nodiscard]] DemOptions study_terrain_options(const Study& study, const StudyInputs& inputs);

/**
 * Stage 1b: the study's terrain by the one grid rule, checked to hold every hamlet.
 * @throws read_dem()'s errors; OutOfDomain naming the study file, key, hamlet and DEM for a hamlet off the terrain.
 */
[[nodiscard]] Dem read_study_terrain(const Study& study, const StudyInputs& inputs, const ProgressFn& progress = {});

/** Stage 2's settings: the study's model, mode, radius, receiver and thresholds; `threads` 0 = all cores. */
[[nodiscard]] CoverageOptions study_coverage_options(const Study& study, int threads = 0);

/**
 * Stage 1c: with `coverage.clutter = "p2108"`, the land cover read onto the terrain's grid and looked up in the study's
 * class table (CoverageOptions::rx_clutter); nullptr without clutter.
 * @throws read_clutter_map()'s errors, naming the study file's key.
 */
[[nodiscard]] std::shared_ptr<const ClutterMap> read_study_clutter(const Study& study, const Dem& dem);

/**
 * The land cover on the terrain's grid whatever coverage.clutter says (the calibration's classes); nullptr without
 * terrain.land_cover. @throws read_clutter_map()'s errors, naming the study file's key.
 */
[[nodiscard]] std::shared_ptr<const ClutterMap> read_study_land_cover(const Study& study, const Dem& dem);

/**
 * With `calibration.file`, its correction (read_calibration_file), with the land cover on the terrain's grid when
 * it has offsets per class; nullptr without. @throws InvalidArgument naming the key for a bad file, or class offsets
 * without terrain.land_cover.
 */
[[nodiscard]] std::shared_ptr<const ModelCorrection> read_study_correction(const Study& study, const Dem& dem);

/** Stage 2's settings on the terrain read: study_coverage_options() with the clutter (read_study_clutter) and the
 *  calibration (read_study_correction) on `dem`'s grid. Every entry point computes coverage with these. */
[[nodiscard]] CoverageOptions study_coverage_options(const Study& study, const Dem& dem, int threads = 0);

/** What the analysis and planning stages found. */
struct StudyAnalysis {
    DeadZoneRule rule;                        ///< the study's dead-zone rule, indoors with its building entry loss
    FibreNetwork fibre;                       ///< the existing fibre on the study's grid
    std::vector<HamletReport> hamlets;
    std::vector<DeadZonePriority> priorities;
    std::optional<Plan> plan;                 ///< when the study has a [planning] table
    std::optional<UncertaintyResult> uncertainty; ///< when the study has an [uncertainty] table
    double analysis_s = 0.0;                  ///< wall time of the hamlet statistics and priorities
    double planning_s = 0.0;                  ///< wall time of the plan (cost surface, routes, candidates, selection)
};

/**
 * How the answer moves from the plain setting to the study's own, one setting at a time: ITM (the study's [coverage.itm],
 * broadcast mode when a share of locations is asked for) without clutter, at the median, outdoors; then the receiver's
 * clutter, the share of locations and the households indoors as the study sets them; last the study's own setting, from
 * `analysis` (not computed again). The other rows run the coverage and the hamlet analysis (no plan).
 */
[[nodiscard]] std::vector<SettingStep> study_setting_steps(const Study& study, const StudyInputs& inputs, const Dem& dem,
                                                           const StudyAnalysis& analysis, int threads = 0,
                                                           const ProgressFn& progress = {});

/**
 * The study's dead-zone rule as the analysis applies it: with dead_zone.indoor, the building entry loss of ITU-R P.2109
 * (dead_zone.building_type, not exceeded at dead_zone.building_entry_pct % of buildings, horizontal path) at the highest
 * frequency among the sectors of the rule's technology (the largest loss: a household is not counted served on the
 * strength of its best-penetrating band).
 * @throws InvalidArgument when no sector has the rule's technology.
 */
[[nodiscard]] DeadZoneRule study_dead_zone_rule(const Study& study, const std::vector<Sector>& sectors);

/**
 * Stages 3 and 4: hamlet statistics, dead-zone priorities and (with [planning]) the plan, from the composites of
 * each technology on the study's grid.
 * @param by_technology one composite per technology present (as coverage_by_technology gives them); best_server
 *        indexes `sector_ids`, the ids of inputs.sectors in order.
 * @throws InvalidArgument when the dead-zone rule's technology has no composite; the stages' errors.
 */
[[nodiscard]] StudyAnalysis analyse_study(const Study& study, const StudyInputs& inputs, const Dem& dem,
                                          const std::vector<TechnologyCoverage>& by_technology,
                                          const std::vector<std::string>& sector_ids, const CoverageOptions& coverage,
                                          const ProgressFn& progress = {});

/**
 * Per technology, the study's rasters into `folder` (which must exist), each atomically:
 * signal_<g>_<measure>_dbm.tif, signal_class_<g>.tif and best_server_<g>.tif (with colour tables naming classes
 * and sectors). @return the file names written, relative to `folder`.
 */
std::vector<std::string> write_study_rasters(const std::string& folder, const Study& study,
                                             const std::vector<TechnologyCoverage>& by_technology,
                                             const std::vector<std::string>& sector_ids);

/**
 * The study's tables into `folder`: plan.csv and plan.geojson (with a plan), and unless `plan_only` hamlets.csv,
 * hamlets.geojson and priorities.csv. @return the file names written, relative to `folder`.
 */
std::vector<std::string> write_study_tables(const std::string& folder, const Study& study, const StudyAnalysis& analysis,
                                            bool plan_only = false);

/** How a run assembled outside run_study (the province runner's communes) went, for its report. */
struct StudyReportOptions {
    std::string started_utc;               ///< "YYYY-MM-DDTHH:MM:SSZ"; empty: now
    int threads = 0;                       ///< worker threads the run used (0: all cores)
    StudyTimings timings;                  ///< terrain, coverage, outputs and total; analysis and planning come from the analysis
    std::vector<std::string> other_files;  ///< the run's other outputs (rasters, tables), listed in the report
    bool print_pdf = false;                ///< also report.pdf, printed by headless Chromium (looked for first)
};

/**
 * Stage 4c, what people read, into `folder` (which must exist): per technology coverage_<t>.png and .kmz, with a plan
 * plan_map.png and plan_curve.png, each map and chart again for print by report.print_maps (PDF or SVG), and
 * report.html in report.language with a copy in every other language (report.<lang>.html), the same pages
 * covtool study writes; report.pdf on request.
 * @return the file names written, relative to `folder`.
 * @throws IoError naming a file that cannot be written, or Chromium missing with print_pdf.
 */
std::vector<std::string> write_study_report(const std::string& folder, const Study& study, const StudyInputs& inputs, const Dem& dem,
                                            const std::vector<TechnologyCoverage>& by_technology, const StudyAnalysis& analysis,
                                            const StudyReportOptions& options = {});

} // namespace coverage

#endif // COVERAGE_STUDY_STAGES_HPP
