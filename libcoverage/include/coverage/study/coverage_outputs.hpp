#ifndef COVERAGE_STUDY_COVERAGE_OUTPUTS_HPP
#define COVERAGE_STUDY_COVERAGE_OUTPUTS_HPP

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/terrain/dem.hpp>

#include <string>
#include <vector>

namespace coverage {

/**
 * Write a coverage map's files into `folder` (which must exist), each atomically:
 * path_loss_db.tif (float32, one band per sector), signal_dbm.tif, best_server.tif and signal_class.tif
 * (with colour tables), server_count.tif, coverage.png (class map with legend) and coverage.kmz — or, in
 * line-of-sight mode, visible.tif (UInt8, one band per sector), coverage.png and coverage.kmz.
 * @return the paths written.
 * @throws IoError naming the file that could not be written.
 */
std::vector<std::string> write_coverage_outputs(const CoverageMap& map, const Dem& dem, const CoverageOptions& options,
                                                const std::string& folder);

} // namespace coverage

#endif // COVERAGE_STUDY_COVERAGE_OUTPUTS_HPP
