// Private: the temporary-name-then-rename steps behind every atomic output.
#ifndef COVERAGE_SRC_ATOMIC_FILE_DETAIL_HPP
#define COVERAGE_SRC_ATOMIC_FILE_DETAIL_HPP

#include <string>

namespace coverage::detail {

/** A hidden temporary name beside `path` (same folder and extension). @throws IoError when the folder is missing. */
[[nodiscard]] std::string temporary_sibling(const std::string& path);
/** Rename `tmp` over `path`; removes `tmp` on failure. @throws IoError naming `path`. */
void commit_file(const std::string& tmp, const std::string& path);

} // namespace coverage::detail

#endif
