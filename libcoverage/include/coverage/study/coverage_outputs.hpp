#ifndef COVERAGE_STUDY_COVERAGE_OUTPUTS_HPP
#define COVERAGE_STUDY_COVERAGE_OUTPUTS_HPP

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/terrain/dem.hpp>

#include <string>
#include <vector>

namespace coverage {

/**
 * The outputs write_coverage_outputs can be asked for, by name: path_loss_db, signal_dbm, best_server,
 * signal_class, server_count, coverage_png, coverage_kmz; in line-of-sight mode visible, coverage_png, coverage_kmz.
 * Where the sectors mix technologies, signal_dbm, best_server, signal_class and server_count each bring their
 * per-technology files too.
 */
[[nodiscard]] std::vector<std::string> coverage_output_names(bool line_of_sight);

/**
 * Write a coverage map's files into `folder` (which must exist), each atomically:
 * path_loss_db.tif (float32, one band per sector), signal_dbm.tif, best_server.tif and signal_class.tif
 * (with colour tables), server_count.tif, coverage.png (class map with legend) and coverage.kmz — or, in
 * line-of-sight mode, visible.tif (UInt8, one band per sector), coverage.png and coverage.kmz.
 * @param only the outputs to write, by coverage_output_names(); empty: all of them.
 * @return the paths written.
 * @throws IoError naming the file that could not be written; InvalidArgument for a name not among the mode's outputs.
 */
std::vector<std::string> write_coverage_outputs(const CoverageMap& map, const Dem& dem, const CoverageOptions& options,
                                                const std::string& folder, const std::vector<std::string>& only = {});

} // namespace coverage

#endif // COVERAGE_STUDY_COVERAGE_OUTPUTS_HPP
