#ifndef COVERAGE_ATOMIC_FILE_HPP
#define COVERAGE_ATOMIC_FILE_HPP

#include <string>
#include <string_view>

namespace coverage {

/**
 * Write `content` to `path` atomically: to a temporary file in the same folder, flushed, then renamed
 * over `path`. An interrupted or failed write never leaves a half-written file under `path`.
 * @throws IoError naming the file (folder missing, not writable, disk full).
 */
void write_file_atomically(const std::string& path, std::string_view content);

} // namespace coverage

#endif // COVERAGE_ATOMIC_FILE_HPP
