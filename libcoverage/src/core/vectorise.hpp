// Private: help for the loops that run over every terrain sample (DEM lines, horizon scans, Δh): a
// branch-free finiteness test, and COVERAGE_VECTOR_CLONES, which has GCC or Clang build a function twice on
// x86-64, for the baseline (SSE2) and for AVX2, the copy being picked at run time by the CPU. AVX2 without
// FMA: every operation rounds as in the baseline copy, so both give the same values, on every machine.
// Reductions in such loops are marked `#pragma omp simd reduction(...)` (compiled with -fopenmp-simd, no
// OpenMP run time): their additions may then be regrouped, which changes the last bits only.
#ifndef COVERAGE_SRC_VECTORISE_HPP
#define COVERAGE_SRC_VECTORISE_HPP

#include <bit>
#include <cstddef>
#include <cstdint>

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define COVERAGE_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define COVERAGE_VECTOR_CLONES
#endif

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
