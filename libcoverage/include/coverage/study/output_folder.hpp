#ifndef COVERAGE_STUDY_OUTPUT_FOLDER_HPP
#define COVERAGE_STUDY_OUTPUT_FOLDER_HPP

// The output folder of a run, and the rule for replacing one: libcoverage replaces a folder only when a previous
// libcoverage run of the same kind wrote it -- its run.json carries our marker and lists every file in it. Anything
// else (another tool's run.json, the user's own documents, a study folder given to `covtool plan`) is refused with
// the reason, and nothing is touched.

#include <string>
#include <vector>

namespace coverage {

/** What wrote (or will write) an output folder; recorded in run.json as "run_kind". */
enum class RunKind {
    study,            ///< covtool study / run_study: maps, tables, report.html
    plan,             ///< covtool plan: plan.csv, plan.geojson, plan_curve.png, plan_map.png
    map,              ///< covtool map: rasters, coverage.png, coverage.kmz
    province_commune, ///< one commune of a province run (libcoverage.distributed)
    calibration,      ///< covtool calibrate: calibration.toml, bins.csv, the calibration charts
};

/** "study", "plan", "map", "province_commune", "calibration". */
[[nodiscard]] const char* to_string(RunKind kind) noexcept;

/** run.json's marker: the producer's name. */
inline constexpr const char* run_json_producer = "libcoverage";
/** run.json's marker: the layout of run.json this library writes and reads. */
inline constexpr int run_json_schema = 1;

/**
 * Check that a run of `kind` may replace `folder`: it does not exist, or is an empty folder, or holds a run.json
 * that a libcoverage run of the same kind wrote (the producer marker, or a run.json of an earlier version with
 * libcoverage_version and outputs) and nothing but the files that run.json lists (and GDAL's .aux.xml beside them).
 * @throws IoError naming the folder and the reason (not a folder; no run.json; a run.json another tool wrote; a
 *         run of another kind -- e.g. a study's folder given to covtool plan; a file no run wrote, named).
 */
void check_replaceable(const std::string& folder, RunKind kind);

/**
 * For a run that writes into an existing folder rather than replacing it whole (covtool map): remove the files of
 * the previous run of the same kind that its run.json lists (and their .aux.xml), and nothing else -- other files
 * stay. A folder without run.json has nothing to remove.
 * @return the names removed. @throws IoError when the folder's run.json is another tool's or another kind of run's
 *         (its files would be mixed with this run's), or naming a file it cannot remove.
 */
std::vector<std::string> remove_previous_outputs(const std::string& folder, RunKind kind);

/**
 * Write `folder`/run.json for a run that records no more than its outputs (covtool map, a province commune): the
 * producer marker and schema, the run kind, the library version and the output file names (relative to
 * `folder`), plus `extra` members (a JSON object's text, or "" for none). Atomic.
 * @throws IoError naming the file; InvalidArgument when `extra` is not a JSON object.
 */
void write_run_manifest(const std::string& folder, RunKind kind, const std::vector<std::string>& outputs, const std::string& extra = "");

} // namespace coverage

#endif // COVERAGE_STUDY_OUTPUT_FOLDER_HPP
