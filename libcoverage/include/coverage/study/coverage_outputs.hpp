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
 * The print copies of coverage.png write_coverage_outputs writes only when asked for by name: coverage_pdf and
 * coverage_svg (the same map, lines and text as vectors).
 */
[[nodiscard]] std::vector<std::string> print_output_names();

/**
 * Check a list of output names before anything is computed.
 * @throws InvalidArgument naming the first unknown one and the names there are.
 */
void check_coverage_outputs(bool line_of_sight, const std::vector<std::string>& only);

/**
 * Write a coverage map's files into `folder` (which must exist), each atomically:
 * path_loss_db.tif (float32, one band per sector), signal_dbm.tif, best_server.tif and signal_class.tif
 * (with colour tables), server_count.tif, coverage.png (class map with legend) and coverage.kmz — or, in
 * line-of-sight mode, visible.tif (UInt8, one band per sector), coverage.png and coverage.kmz; coverage.pdf and
 * coverage.svg when asked for.
 * @param only the outputs to write, by coverage_output_names() and print_output_names(); empty: all of the former.
 * @param language the words of coverage.png/.pdf/.svg (title, legend, north arrow, ticks): "vi" or "en"; the GeoTIFFs'
 *        band descriptions and colour-table names stay in English, as GIS software shows them.
 * @return the paths written.
 * @throws IoError naming the file that could not be written; InvalidArgument for a name not among the mode's outputs
 *         or a language without a catalogue.
 */
std::vector<std::string> write_coverage_outputs(const CoverageMap& map, const Dem& dem, const CoverageOptions& options,
                                                const std::string& folder, const std::vector<std::string>& only = {},
                                                const std::string& language = "en");

} // namespace coverage

#endif // COVERAGE_STUDY_COVERAGE_OUTPUTS_HPP
