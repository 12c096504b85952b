// open_input_file: a regular file of bounded size, checked before it is read.

#include "core/input_file.hpp"

#include <coverage/core/error.hpp>

#include "core/text.hpp"

#include <filesystem>
#include <string>

namespace coverage::detail {

std::ifstream open_input_file(const std::string& path, const std::string& what, std::uint64_t max_bytes) {
    namespace fs = std::filesystem;
    const std::string name = what + " '" + path + "'";
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || st.type() == fs::file_type::not_found) {
        throw IoError(name + " does not exist");
    }
    if (st.type() == fs::file_type::directory) {
        throw IoError(name + " is a folder, not a file");
    }
    if (st.type() != fs::file_type::regular) {
        const char* kind = st.type() == fs::file_type::fifo        ? "a FIFO"
                           : st.type() == fs::file_type::character ? "a character device"
                           : st.type() == fs::file_type::block     ? "a block device"
                           : st.type() == fs::file_type::socket    ? "a socket"
                                                                   : "not a plain file";
        throw IoError(name + " is not a regular file (" + kind + "); give a file");
    }
    const std::uintmax_t size = fs::file_size(path, ec);
    if (!ec && size > max_bytes) {
        throw IoError(name + " is " + format("%.1f", static_cast<double>(size) / 1048576.0) + " MiB, more than the " +
                      format("%.0f", static_cast<double>(max_bytes) / 1048576.0) + " MiB such a file can be");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw IoError(name + " cannot be opened");
    }
    return in;
}

} // namespace coverage::detail
