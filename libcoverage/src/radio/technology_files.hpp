// Private: the file names of the per-technology composites, shared by the study and covtool map's outputs
// (libcoverage.distributed forms the same names from generation_name and signal_measure_name).
#ifndef COVERAGE_SRC_TECHNOLOGY_FILES_HPP
#define COVERAGE_SRC_TECHNOLOGY_FILES_HPP

#include <coverage/radio/technology.hpp>

#include <string>

namespace coverage::detail {

/** "4g", "3g" or "5g": the suffix of a technology's files. */
[[nodiscard]] inline std::string technology_tag(Technology t) { return traits(t).file_tag; }

/** `stem`_4g.tif etc.: best_server, signal_class, server_count (or another extension). */
[[nodiscard]] inline std::string technology_file(const std::string& stem, Technology t, const std::string& extension = ".tif") {
    return stem + "_" + technology_tag(t) + extension;
}

/** signal_4g_rsrp_dbm.tif, signal_3g_rscp_dbm.tif or signal_5g_ss_rsrp_dbm.tif. */
[[nodiscard]] inline std::string signal_file(Technology t) {
    return "signal_" + technology_tag(t) + "_" + traits(t).measure_key + "_dbm.tif";
}

} // namespace coverage::detail

#endif // COVERAGE_SRC_TECHNOLOGY_FILES_HPP
