#include <coverage/core/atomic_file.hpp>
#include "core/text.hpp"
#include <coverage/core/error.hpp>

#include "core/atomic_file_detail.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

namespace coverage {

namespace detail {

std::string temporary_sibling(const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        throw IoError("cannot write '" + path + "': folder '" + folder.string() + "' does not exist");
    }
    std::random_device rd;
    // Hidden, beside the target (so the rename stays on one file system), same extension (some GDAL
    // drivers choose by it).
    return (folder / ("." + target.stem().string() + ".tmp-" + std::to_string(rd()) + target.extension().string())).string();
}

void commit_file(const std::string& tmp, const std::string& path) {
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw IoError("cannot write '" + path + "': " + ec.message());
    }
}

} // namespace detail

void write_file_atomically(const std::string& path, std::string_view content) {
    namespace fs = std::filesystem;
    const std::string tmp = detail::temporary_sibling(path);
    std::error_code ec;
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) {
        throw IoError("cannot write '" + path + "': " + detail::system_error_text(errno));
    }
    const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
    const bool flushed = std::fflush(f) == 0;
    const int saved_errno = errno;
    const bool closed = std::fclose(f) == 0;
    if (!written || !flushed || !closed) {
        fs::remove(tmp, ec);
        throw IoError("cannot write '" + path + "': " + detail::system_error_text(saved_errno != 0 ? saved_errno : EIO));
    }
    detail::commit_file(tmp, path);
}

} // namespace coverage
