// Private: the study's last stage, what people read (maps, KMZ, report.html in every language, report.pdf), shared by
// run_study and write_study_report (the province runner's communes).
#ifndef COVERAGE_SRC_STUDY_REPORT_STAGE_HPP
#define COVERAGE_SRC_STUDY_REPORT_STAGE_HPP

#include <coverage/study/stages.hpp>
#include <coverage/study/study.hpp>

#include "study/study_report.hpp"

#include <functional>
#include <string>
#include <vector>

namespace coverage::detail {

/** The current time, "YYYY-MM-DDTHH:MM:SSZ". */
[[nodiscard]] std::string utc_now();

/** terrain.synthetic, or a DEM file tagged SYNTHETIC=YES. */
[[nodiscard]] bool study_terrain_is_synthetic(const Study& study);

/** The study's input files with their sizes and SHA-256 (remote VRT sources named, not hashed), for run.json and the report. */
[[nodiscard]] std::vector<InputFile> study_input_files(const Study& study, const Dem& dem, const std::vector<Sector>& sectors);

/** What the report stage draws from and where it writes. */
struct ReportStage {
    std::string folder;                                ///< existing; the files go straight into it
    const Study& study;
    const std::vector<Sector>& sectors;
    const Dem& dem;
    const std::vector<TechnologyCoverage>& by_technology;
    const FibreNetwork& fibre;
    std::string chromium;                              ///< non-empty: print report.pdf with it
    bool plan_only = false;                            ///< the plan's map and chart only, no report
    std::vector<std::string> files_after;              ///< names written after the report (run.json), listed in it
    std::function<void()> before_report;               ///< called just before report.html is written (final timings)
    ProgressFn progress;
};

/**
 * Draw and write the maps and charts (PNG, the print copies of report.print_maps), the KMZ per technology and the
 * report in every language (and report.pdf), appending each file's name to result.files. `record` arrives with the
 * run's facts (start time, threads, inputs, coverage counts); the stage adds the pictures and the pointers.
 */
void write_report_stage(const ReportStage& stage, StudyResult& result, StudyRecord& record);

} // namespace coverage::detail

#endif // COVERAGE_SRC_STUDY_REPORT_STAGE_HPP
