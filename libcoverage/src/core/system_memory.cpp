#include "core/system_memory.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <string>

namespace coverage::detail {

std::uint64_t physical_memory_bytes() noexcept {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long page = ::sysconf(_SC_PAGE_SIZE);
    return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
}

namespace {

// The first line of a small /sys or /proc file, or "" when it cannot be read.
std::string first_line(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (in) {
        std::getline(in, line);
    }
    return line;
}

// A byte count as the kernel writes it; 0 for "max", an unlimited v1 value (~2^63 rounded to pages) or no number.
std::uint64_t kernel_bytes(const std::string& text) {
    if (text.empty() || text == "max") {
        return 0;
    }
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (errno != 0 || end == text.c_str() || v >= (1ULL << 60)) {
        return 0;
    }
    return v;
}

// The cgroup of this process (/proc/self/cgroup) and its memory limit: v2 "0::/path" → /sys/fs/cgroup/path/memory.max
// (and the limits of its ancestors, the least of which applies); v1 "N:memory:/path" → memory.limit_in_bytes.
void cgroup_limit(MemoryLimit& best) {
    std::ifstream in("/proc/self/cgroup");
    std::string line;
    const auto offer = [&](std::uint64_t bytes, const char* source) {
        if (bytes != 0 && (best.bytes == 0 || bytes < best.bytes)) {
            best = MemoryLimit{bytes, source};
        }
    };
    while (std::getline(in, line)) {
        const auto first = line.find(':');
        const auto second = first == std::string::npos ? std::string::npos : line.find(':', first + 1);
        if (second == std::string::npos) {
            continue;
        }
        const std::string controllers = line.substr(first + 1, second - first - 1);
        std::string path = line.substr(second + 1);
        if (controllers.empty()) { // v2: this cgroup and each ancestor up to the root
            for (;;) {
                offer(kernel_bytes(first_line("/sys/fs/cgroup" + path + (path == "/" ? "" : "/") + "memory.max")),
                      "the cgroup memory limit (memory.max)");
                if (path.empty() || path == "/") {
                    break;
                }
                const auto slash = path.rfind('/');
                path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
            }
        } else if (("," + controllers + ",").find(",memory,") != std::string::npos) {
            offer(kernel_bytes(first_line("/sys/fs/cgroup/memory" + path + "/memory.limit_in_bytes")),
                  "the cgroup memory limit (memory.limit_in_bytes)");
            offer(kernel_bytes(first_line("/sys/fs/cgroup/memory/memory.limit_in_bytes")), "the cgroup memory limit (memory.limit_in_bytes)");
        }
    }
}

} // namespace

MemoryLimit memory_limit() noexcept {
    try {
        MemoryLimit best{physical_memory_bytes(), "this machine's memory"};
        const auto offer_rlimit = [&](int resource, const char* source) {
            struct rlimit r {};
            if (::getrlimit(resource, &r) == 0 && r.rlim_cur != RLIM_INFINITY &&
                (best.bytes == 0 || static_cast<std::uint64_t>(r.rlim_cur) < best.bytes)) {
                best = MemoryLimit{static_cast<std::uint64_t>(r.rlim_cur), source};
            }
        };
        offer_rlimit(RLIMIT_AS, "the address-space limit (ulimit -v)");
        offer_rlimit(RLIMIT_DATA, "the data-segment limit (ulimit -d)");
        cgroup_limit(best);
        return best;
    } catch (...) { // reading /proc or /sys failed in a way that threw (allocation): fall back to what sysconf says
        return MemoryLimit{physical_memory_bytes(), "this machine's memory"};
    }
}

} // namespace coverage::detail
