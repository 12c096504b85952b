#include <coverage/atomic_file.hpp>
#include <coverage/error.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

namespace coverage {

void write_file_atomically(const std::string& path, std::string_view content) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        throw IoError("cannot write '" + path + "': folder '" + folder.string() + "' does not exist");
    }
    std::random_device rd;
    const fs::path tmp = folder / ("." + target.filename().string() + ".tmp-" + std::to_string(rd()));
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) {
        throw IoError("cannot write '" + path + "': " + std::strerror(errno));
    }
    const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
    const bool flushed = std::fflush(f) == 0;
    const int saved_errno = errno;
    const bool closed = std::fclose(f) == 0;
    if (!written || !flushed || !closed) {
        fs::remove(tmp, ec);
        throw IoError("cannot write '" + path + "': " + std::strerror(saved_errno != 0 ? saved_errno : EIO));
    }
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw IoError("cannot write '" + path + "': " + ec.message());
    }
}

} // namespace coverage
