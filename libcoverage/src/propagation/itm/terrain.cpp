// ITM terrain analysis: horizons, least-squares fits, terrain irregularity Δh, effective heights.
// [Algorithm] §3 ("Preparatory calculations for the point-to-point mode"), NTIA/itm v1.4.

#include "propagation/itm/itm.hpp"

#include "core/vectorise.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace coverage::itm {

namespace {

// Reciprocals 1/k, one table per thread, grown on demand: the horizon scan multiplies by them instead
// of dividing (a division costs several multiplications; the scan runs over every profile point).
// `up[k]` = 1/k and `down[m]` = 1/(size − m), so that 1/(n − i) is also read at increasing addresses,
// which the compiler can vectorise (it does not vectorise a loop that reads backwards).
struct Reciprocals {
    std::vector<double> up{0.0};
    std::vector<double> down{0.0};
    [[nodiscard]] int size() const noexcept { return static_cast<int>(up.size()) - 1; }
};

const Reciprocals& reciprocals(int n) {
    thread_local Reciprocals table;
    if (table.size() < n) {
        const int size = std::max(n, 2 * table.size());
        table.up.resize(static_cast<std::size_t>(size) + 1);
        table.down.resize(static_cast<std::size_t>(size) + 1);
        for (int k = 1; k <= size; ++k) {
            table.up[static_cast<std::size_t>(k)] = 1.0 / k;
            table.down[static_cast<std::size_t>(size - k)] = 1.0 / k;
        }
    }
    return table;
}

// Σ z[k] and Σ z[k]·(w0 + k) over k < count (the additions regrouped for vector registers).
COVERAGE_VECTOR_CLONES
void window_sums(const double* z, int count, double w0, double& sum, double& weighted) {
    double s0 = 0.0;
    double s1 = 0.0;
#pragma omp simd reduction(+ : s0, s1)
    for (int k = 0; k < count; ++k) {
        s0 += z[k];
        s1 += z[k] * (w0 + k);
    }
    sum = s0;
    weighted = s1;
}

// A point's horizon angle from one terminal, without a division: (z − z_terminal) / x − x / (2 a_e) with 1/x given and
// x / (2 a_e) = k · xc (k: the point's distance in samples). One expression for both scans below: find_horizons finds the
// horizon point by comparing the angles horizon_angles stores with the largest one horizon_maxima returned, for equality.
inline double horizon_angle(double z, double z_terminal, double inv_x, double k, double xc) {
    return (z - z_terminal) * inv_x - k * xc;
}

// The horizon angles of points first .. first+n−1 seen from each terminal, without a division (see
// find_horizons): 1/i and 1/(n − i) come from the reciprocal tables. Also the largest of each side.
COVERAGE_VECTOR_CLONES
void horizon_angles(const double* z, const double* inv_tx, const double* inv_rx, int n, double z_tx, double z_rx,
                    double inv_xi, double k_tx, double k_rx, double xc, double* __restrict theta_tx,
                    double* __restrict theta_rx, double& max_tx, double& max_rx) {
    double m_tx = -std::numeric_limits<double>::infinity();
    double m_rx = -std::numeric_limits<double>::infinity();
#pragma omp simd reduction(max : m_tx, m_rx)
    for (int b = 0; b < n; ++b) {
        const double t_tx = horizon_angle(z[b], z_tx, inv_xi * inv_tx[b], k_tx + b, xc);
        const double t_rx = horizon_angle(z[b], z_rx, inv_xi * inv_rx[b], k_rx - b, xc);
        theta_tx[b] = t_tx;
        theta_rx[b] = t_rx;
        m_tx = std::max(m_tx, t_tx);
        m_rx = std::max(m_rx, t_rx);
    }
    max_tx = m_tx;
    max_rx = m_rx;
}

// The largest of the angles horizon_angles computes, without keeping the angles (the scan over every block needs only
// these; the block that holds a horizon is computed again with horizon_angles).
COVERAGE_VECTOR_CLONES
void horizon_maxima(const double* z, const double* inv_tx, const double* inv_rx, int n, double z_tx, double z_rx, double inv_xi,
                    double k_tx, double k_rx, double xc, double& max_tx, double& max_rx) {
    double m_tx = -std::numeric_limits<double>::infinity();
    double m_rx = -std::numeric_limits<double>::infinity();
#pragma omp simd reduction(max : m_tx, m_rx)
    for (int b = 0; b < n; ++b) {
        m_tx = std::max(m_tx, horizon_angle(z[b], z_tx, inv_xi * inv_tx[b], k_tx + b, xc));
        m_rx = std::max(m_rx, horizon_angle(z[b], z_rx, inv_xi * inv_rx[b], k_rx - b, xc));
    }
    max_tx = m_tx;
    max_rx = m_rx;
}

// Δh's resampling: s[j] = z at x_start + j·step (profile index units), interpolated between the profile
// points on either side, never before the one after int(x_start) and never beyond point np. (The published
// loop walks the profile one point at a time for every j; the same positions are found directly.) In blocks: the
// positions vectorised, then the two neighbours of each read side by side (as gathers in one vectorised loop the reads
// cost more than the arithmetic: 357 -> 286 ns for 245 points, the same values).
COVERAGE_VECTOR_CLONES
void resample(const double* __restrict z, int np, double x_start, double step, int n, double* __restrict s) {
    const int i_first = static_cast<int>(x_start) + 1;
    constexpr int block = 64;
    std::array<int, block> at;       // NOLINT(cppcoreguidelines-pro-type-member-init): written before read
    std::array<double, block> frac;  // NOLINT(cppcoreguidelines-pro-type-member-init)
    for (int first = 0; first < n; first += block) {
        const int m = std::min(block, n - first);
#pragma omp simd
        for (int k = 0; k < m; ++k) {
            const double x = x_start + (first + k) * step;
            const int t = static_cast<int>(x);
            const int i = std::min(np, std::max(i_first, t + (x > t ? 1 : 0)));
            at[static_cast<std::size_t>(k)] = i;
            frac[static_cast<std::size_t>(k)] = x - i;
        }
        for (int k = 0; k < m; ++k) {
            const double* p = z + at[static_cast<std::size_t>(k)];
            s[first + k] = p[0] + (p[0] - p[-1]) * frac[static_cast<std::size_t>(k)];
        }
    }
}

// bin[i] = min(last, int((v[i] − lo)·scale)) (v[i] >= lo).
COVERAGE_VECTOR_CLONES
void bin_indices(const double* __restrict v, int n, double lo, double scale, int last, std::uint8_t* __restrict bin) {
    for (int i = 0; i < n; ++i) {
        bin[i] = static_cast<std::uint8_t>(std::min(last, static_cast<int>((v[i] - lo) * scale)));
    }
}

// Appends v[i] to `hi` for every i < n whose bin[i] is b_hi, and to `lo` for every one whose bin[i] is b_lo, in the order
// of i; returns how many each got. bin must be readable up to n rounded up to 16, and hold no bin beyond n. The few
// values sought are found sixteen bins at a time (a value-by-value scan spent most of its time on its comparisons).
void values_in_bins(const double* v, const std::uint8_t* bin, int n, int b_hi, int b_lo, double* hi, double* lo, int& n_hi,
                    int& n_lo) {
    n_hi = 0;
    n_lo = 0;
#if defined(__SSE2__)
    const __m128i want_hi = _mm_set1_epi8(static_cast<char>(b_hi));
    const __m128i want_lo = _mm_set1_epi8(static_cast<char>(b_lo));
    for (int first = 0; first < n; first += 16) {
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bin + first));
        auto m_hi = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, want_hi)));
        auto m_lo = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, want_lo)));
        for (; m_hi != 0; m_hi &= m_hi - 1) {
            hi[n_hi++] = v[first + std::countr_zero(m_hi)];
        }
        for (; m_lo != 0; m_lo &= m_lo - 1) {
            lo[n_lo++] = v[first + std::countr_zero(m_lo)];
        }
    }
#else
    for (int i = 0; i < n; ++i) {
        if (bin[i] == b_hi) {
            hi[n_hi++] = v[i];
        }
        if (bin[i] == b_lo) {
            lo[n_lo++] = v[i];
        }
    }
#endif
}

// r[j] = s[j] − (a + j·b), the residuals from a straight line, with their smallest and largest values.
COVERAGE_VECTOR_CLONES
void residuals(const double* __restrict s, int n, double a, double b, double* __restrict r, double& lo, double& hi) {
    double r_lo = std::numeric_limits<double>::infinity();
    double r_hi = -std::numeric_limits<double>::infinity();
#pragma omp simd reduction(min : r_lo) reduction(max : r_hi)
    for (int j = 0; j < n; ++j) {
        const double x = s[j] - (a + j * b);
        r[j] = x;
        r_lo = std::min(r_lo, x);
        r_hi = std::max(r_hi, x);
    }
    lo = r_lo;
    hi = r_hi;
}

// The k-th largest and the k-th smallest of v[0..n) (n <= 256, 1 <= k <= n), exact, given lo and hi, the
// smallest and largest values.
// A histogram of 128 equal bins over [min, max] tells which bin holds each statistic and its rank
// there; only the few values of that bin are then ordered. No pass branches on the values but where one falls in either
// of the two bins sought, a few times a profile (nth_element on the whole array does: its partition branches mispredict
// half the time, which made it the largest cost of an exact coverage map). Counts as bytes and the two bins' values
// found sixteen bins at a time: 800 -> 575 ns for Δh of a 220-point profile, the same values.
void extreme_order_statistics(const double* v, int n, int k, double lo, double hi, double& kth_largest, double& kth_smallest) {
    if (!(hi > lo)) {
        kth_largest = hi;
        kth_smallest = lo;
        return;
    }
    constexpr int bins = 128;
    const double scale = bins / (hi - lo);
    if (!std::isfinite(scale)) { // a spread too small to divide by: order the values directly
        std::vector<double> w(v, v + n);
        std::nth_element(w.begin(), w.begin() + (k - 1), w.end(), std::greater<>());
        kth_largest = w[static_cast<std::size_t>(k - 1)];
        std::nth_element(w.begin(), w.begin() + (n - k), w.end(), std::greater<>());
        kth_smallest = w[static_cast<std::size_t>(n - k)];
        return;
    }
    // The bins, then a bin no value has up to the next multiple of 16 (values_in_bins reads sixteen at a time).
    std::array<std::uint8_t, 256> bin; // NOLINT(cppcoreguidelines-pro-type-member-init): written before read
    bin_indices(v, n, lo, scale, bins - 1, bin.data());
    std::fill(bin.begin() + n, bin.begin() + std::min(256, (n + 15) / 16 * 16), std::uint8_t{bins});
    // Four interleaved histograms, so that runs of values in one bin do not wait on each other's counts; each counts at
    // most 64 values, so a byte holds its count (a quarter of the memory to clear).
    std::array<std::uint8_t, 4 * bins> count{};
    int counted = 0;
    for (; counted + 4 <= n; counted += 4) {
        const int i = counted;
        ++count[static_cast<std::size_t>(bin[static_cast<std::size_t>(i)])];
        ++count[static_cast<std::size_t>(bins + bin[static_cast<std::size_t>(i + 1)])];
        ++count[static_cast<std::size_t>(2 * bins + bin[static_cast<std::size_t>(i + 2)])];
        ++count[static_cast<std::size_t>(3 * bins + bin[static_cast<std::size_t>(i + 3)])];
    }
    for (; counted < n; ++counted) {
        ++count[static_cast<std::size_t>(bin[static_cast<std::size_t>(counted)])];
    }
    auto in_bin = [&](int b) {
        const auto u = static_cast<std::size_t>(b);
        return int{count[u]} + int{count[bins + u]} + int{count[2 * bins + u]} + int{count[3 * bins + u]};
    };
    int b_hi = bins - 1; // the bin of the k-th largest, and its rank there
    int rank_hi = k;
    for (int c = in_bin(b_hi); c < rank_hi; c = in_bin(--b_hi)) {
        rank_hi -= c;
    }
    int b_lo = 0;
    int rank_lo = k;
    for (int c = in_bin(b_lo); c < rank_lo; c = in_bin(++b_lo)) {
        rank_lo -= c;
    }
    std::array<double, 256> of_hi; // NOLINT(cppcoreguidelines-pro-type-member-init)
    std::array<double, 256> of_lo; // NOLINT(cppcoreguidelines-pro-type-member-init)
    int n_hi = 0;
    int n_lo = 0;
    values_in_bins(v, bin.data(), n, b_hi, b_lo, of_hi.data(), of_lo.data(), n_hi, n_lo);
    std::nth_element(of_hi.data(), of_hi.data() + rank_hi - 1, of_hi.data() + n_hi, std::greater<>());
    kth_largest = of_hi[static_cast<std::size_t>(rank_hi - 1)];
    std::nth_element(of_lo.data(), of_lo.data() + rank_lo - 1, of_lo.data() + n_lo);
    kth_smallest = of_lo[static_cast<std::size_t>(rank_lo - 1)];
}

} // namespace

// Horizon angles and distances seen from each terminal, [TN101 eq. 6.15] as starting point
// (line of sight), then a scan of every interior point with the earth-curvature term −x/(2a_e).
// Point i lies i·Δx from the transmitter and (n − i)·Δx from the receiver. The scan takes the angles in
// blocks, computed with reciprocals (no division, no dependency between points, so the compiler
// vectorises them), then keeps the first maximum; the winners' angles are recomputed as the published
// formula writes them. Only angles equal to the last bit or two could rank differently from a
// division-based scan, and then either point is the horizon to that precision.
Horizons find_horizons(const Pfl& pfl, double a_e_m, const Pair& h_m) {
    const int np = pfl.intervals();
    const double xi = pfl.step_m;
    const double d_m = np * xi;
    const double* z = pfl.z.data();

    const double z_tx = z[0] + h_m.tx;
    const double z_rx = z[np] + h_m.rx;

    Horizons hz;
    hz.theta_rad.tx = (z_rx - z_tx) / d_m - d_m / (2 * a_e_m);
    hz.theta_rad.rx = -(z_rx - z_tx) / d_m - d_m / (2 * a_e_m);
    hz.d_m.tx = d_m;
    hz.d_m.rx = d_m;
    if (np < 2) {
        return hz;
    }

    const Reciprocals& inv = reciprocals(np);
    const double inv_xi = 1.0 / xi;
    const double xc = xi / (2 * a_e_m);
    double best_tx = hz.theta_rad.tx;
    double best_rx = hz.theta_rad.rx;
    constexpr int block = 64;
    std::array<double, block> theta_tx; // NOLINT(cppcoreguidelines-pro-type-member-init): written before read
    std::array<double, block> theta_rx; // NOLINT(cppcoreguidelines-pro-type-member-init)
    auto angles = [&](int first, int n, double& max_tx, double& max_rx) {
        horizon_angles(z + first, inv.up.data() + first, inv.down.data() + (inv.size() - np + first), n, z_tx, z_rx, inv_xi, first,
                       np - first, xc, theta_tx.data(), theta_rx.data(), max_tx, max_rx);
    };
    auto maxima = [&](int first, int n, double& max_tx, double& max_rx) {
        horizon_maxima(z + first, inv.up.data() + first, inv.down.data() + (inv.size() - np + first), n, z_tx, z_rx, inv_xi, first,
                       np - first, xc, max_tx, max_rx);
    };
    // A block changes a horizon only when its largest angle beats the best so far: the horizon lies in the last block
    // that did, at that block's first point at that angle (the first maximum overall, as a point-by-point scan keeps it).
    // That block's angles are computed again at the end, so that only one search per side is made.
    int block_tx = -1;
    int block_rx = -1;
    for (int first = 1; first < np; first += block) {
        double max_tx = 0.0;
        double max_rx = 0.0;
        maxima(first, std::min(block, np - first), max_tx, max_rx);
        if (max_tx > best_tx) {
            best_tx = max_tx;
            block_tx = first;
        }
        if (max_rx > best_rx) {
            best_rx = max_rx;
            block_rx = first;
        }
    }
    auto first_at = [&](int first, const std::array<double, block>& theta, double best) {
        const int n = std::min(block, np - first);
        return first + static_cast<int>(std::find(theta.begin(), theta.begin() + n, best) - theta.begin());
    };
    int i_tx = -1;
    int i_rx = -1;
    double unused = 0.0;
    if (block_tx > 0) {
        angles(block_tx, std::min(block, np - block_tx), unused, unused);
        i_tx = first_at(block_tx, theta_tx, best_tx);
    }
    if (block_rx > 0) {
        if (block_rx != block_tx) {
            angles(block_rx, std::min(block, np - block_rx), unused, unused);
        }
        i_rx = first_at(block_rx, theta_rx, best_rx);
    }
    if (i_tx > 0) {
        const double d_tx = i_tx * xi;
        const double theta = (z[i_tx] - z_tx) / d_tx - d_tx / (2 * a_e_m);
        if (theta > hz.theta_rad.tx) {
            hz.theta_rad.tx = theta;
            hz.d_m.tx = d_tx;
        }
    }
    if (i_rx > 0) {
        const double d_rx = (np - i_rx) * xi;
        const double theta = -(z_rx - z[i_rx]) / d_rx - d_rx / (2 * a_e_m);
        if (theta > hz.theta_rad.rx) {
            hz.theta_rad.rx = theta;
            hz.d_m.rx = d_rx;
        }
    }
    return hz;
}

// Least-squares straight line through the profile points between d_start and d_end (distances
// in units of the spacing after division), evaluated at both ends of the whole profile.
// [Algorithm] subroutine ZLSQ1; the trapezoid-style half weights at the ends are part of it.
void linear_least_squares_fit(const Pfl& pfl, double d_start, double d_end, double& fit_tx, double& fit_rx) {
    const int np = pfl.intervals();
    int i_start = static_cast<int>(positive_difference(d_start / pfl.step_m, 0.0));
    int i_end = np - static_cast<int>(positive_difference(np, d_end / pfl.step_m));
    if (i_end <= i_start) {
        i_start = static_cast<int>(positive_difference(i_start, 1.0));
        i_end = np - static_cast<int>(positive_difference(np, i_end + 1.0));
    }

    const double x_length = i_end - i_start;
    const double mid = -0.5 * x_length;
    const double mid_end = i_end + mid;

    const double* z = pfl.z.data();
    // Interior points weigh 1, the two ends 1/2; the weights of the slope are the (half-integer, exact)
    // offsets from the window's middle.
    double s0 = 0.0;
    double s1 = 0.0;
    window_sums(z + i_start + 1, i_end - i_start - 1, mid + 1.0, s0, s1);
    double sum_y = 0.5 * (z[i_start] + z[i_end]) + s0;
    double scaled_sum_y = 0.5 * (z[i_start] - z[i_end]) * mid + s1;
    sum_y = sum_y / x_length;
    scaled_sum_y = scaled_sum_y * 12.0 / ((x_length * x_length + 2.0) * x_length);

    fit_tx = sum_y - scaled_sum_y * mid_end;
    fit_rx = sum_y + scaled_sum_y * (np - mid_end);
}

// Terrain irregularity Δh: interdecile range of the residuals from a straight-line fit over the
// window, resampled onto 10·p − 5 points (35..245), converted to the asymptotic value [ERL eq. 3].
double compute_delta_h(const Pfl& pfl, double d_start_m, double d_end_m) {
    const int np = pfl.intervals();
    double x_start = d_start_m / pfl.step_m;
    double x_end = d_end_m / pfl.step_m;
    if (x_end - x_start < 2.0) {
        return 0.0;
    }

    int p10 = static_cast<int>(0.1 * (x_end - x_start + 8.0));
    p10 = std::min(std::max(4, p10), 25);
    const int n = 10 * p10 - 5;
    const double np_s = n - 1;

    std::array<double, 245> s; // NOLINT(cppcoreguidelines-pro-type-member-init): n values written
    resample(pfl.z.data(), np, x_start, (x_end - x_start) / np_s, n, s.data());

    const Pfl resampled{std::span<const double>(s.data(), static_cast<std::size_t>(n)), 1.0};
    double fit_y1 = 0.0;
    double fit_y2 = 0.0;
    linear_least_squares_fit(resampled, 0.0, np_s, fit_y1, fit_y2);
    fit_y2 = (fit_y2 - fit_y1) / np_s;

    std::array<double, 245> diffs; // NOLINT(cppcoreguidelines-pro-type-member-init): n values written
    double lo = 0.0;
    double hi = 0.0;
    residuals(s.data(), n, fit_y1, fit_y2, diffs.data(), lo, hi);
    double q10 = 0.0;
    double q90 = 0.0;
    extreme_order_statistics(diffs.data(), n, p10, lo, hi, q10, q90);
    const double delta_h_d = q10 - q90;
    return delta_h_d / (1.0 - 0.8 * std::exp(-(d_end_m - d_start_m) / 50e3));
}

// Effective heights and horizons for the point-to-point mode [Algorithm §3], NTIA QuickPfl.
QuickPflResult quick_pfl(const Pfl& pfl, double gamma_e, const Pair& h_m, const double* delta_h_m) {
    const Horizons hz = find_horizons(pfl, 1 / gamma_e, h_m);
    return quick_pfl_with(
        pfl, gamma_e, h_m, hz,
        [&](double d_start, double d_end, double& fit_tx, double& fit_rx) { linear_least_squares_fit(pfl, d_start, d_end, fit_tx, fit_rx); },
        delta_h_m);
}

} // namespace coverage::itm
