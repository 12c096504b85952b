// Private: how much memory this machine has, for estimates checked before large allocations.
#ifndef COVERAGE_SRC_CORE_SYSTEM_MEMORY_HPP
#define COVERAGE_SRC_CORE_SYSTEM_MEMORY_HPP

#include <cstdint>

namespace coverage::detail {

/** Physical memory in bytes (sysconf), or 0 when unknown. */
[[nodiscard]] std::uint64_t physical_memory_bytes() noexcept;

} // namespace coverage::detail

#endif
