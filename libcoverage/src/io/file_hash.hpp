// Private: SHA-256 of a file (run.json's input checksums, the DEM tile cache's sidecars).
#ifndef COVERAGE_SRC_IO_FILE_HASH_HPP
#define COVERAGE_SRC_IO_FILE_HASH_HPP

#include <string>

namespace coverage::detail {

/** SHA-256 of a file, lower-case hex. @throws IoError naming the file. */
[[nodiscard]] std::string sha256_file(const std::string& path);

} // namespace coverage::detail

#endif
