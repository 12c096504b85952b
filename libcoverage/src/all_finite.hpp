// Private: a branch-free test that an array holds no NaN or infinity (the compiler vectorises it).
#ifndef COVERAGE_SRC_ALL_FINITE_HPP
#define COVERAGE_SRC_ALL_FINITE_HPP

#include <bit>
#include <cstddef>
#include <cstdint>

namespace coverage {

/** Whether none of v[0..n) is NaN or infinite: no exponent of all ones, tested on the high 32 bits. */
[[nodiscard]] inline bool all_finite(const double* v, std::size_t n) noexcept {
    std::uint32_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto high = static_cast<std::uint32_t>(std::bit_cast<std::uint64_t>(v[i]) >> 32);
        bad |= static_cast<std::uint32_t>((high & 0x7ff00000U) == 0x7ff00000U);
    }
    return bad == 0;
}

} // namespace coverage

#endif
