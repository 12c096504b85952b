// Private: how much memory this process may use, for estimates checked before large allocations.
#ifndef COVERAGE_SRC_CORE_SYSTEM_MEMORY_HPP
#define COVERAGE_SRC_CORE_SYSTEM_MEMORY_HPP

#include <cstdint>
#include <string>

namespace coverage::detail {

/** Physical memory in bytes (sysconf), or 0 when unknown. */
[[nodiscard]] std::uint64_t physical_memory_bytes() noexcept;

/** The memory this process may use and what sets it. */
struct MemoryLimit {
    std::uint64_t bytes = 0; ///< 0 when unknown
    std::string source;      ///< "this machine's memory", "the cgroup limit (memory.max)", "ulimit -v (RLIMIT_AS)", ...
};

/**
 * The least of: physical memory, the address-space and data rlimits (`ulimit -v`, `ulimit -d`) and the memory limit
 * of the process's cgroup (v2 `memory.max`, v1 `memory.limit_in_bytes`), so that a container's limit is honoured.
 */
[[nodiscard]] MemoryLimit memory_limit() noexcept;

} // namespace coverage::detail

#endif
