// Private: opening a user's input file for reading, refusing what would hang or exhaust memory.
#ifndef COVERAGE_SRC_CORE_INPUT_FILE_HPP
#define COVERAGE_SRC_CORE_INPUT_FILE_HPP

#include <cstdint>
#include <fstream>
#include <string>

namespace coverage::detail {

/**
 * Open `path` for reading when it is a regular file (after symlinks) of at most `max_bytes`: a folder, a FIFO, a
 * device such as /dev/zero or /dev/urandom, or a file larger than the limit is refused before a byte is read.
 * `what` names the input in errors ("profile CSV", "antenna pattern").
 * @throws IoError "<what> '<path>' does not exist" / "is a folder, not a file" / "is not a regular file (...)" /
 *         "is N MiB, more than the M MiB such a file can be" / "cannot be opened".
 */
[[nodiscard]] std::ifstream open_input_file(const std::string& path, const std::string& what, std::uint64_t max_bytes);

} // namespace coverage::detail

#endif
