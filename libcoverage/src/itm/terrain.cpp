// ITM terrain analysis: horizons, least-squares fits, terrain irregularity Δh, effective heights.
// [Algorithm] §3 ("Preparatory calculations for the point-to-point mode"), NTIA/itm v1.4.

#include "itm.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

namespace coverage::itm {

// Horizon angles and distances seen from each terminal, [TN101 eq. 6.15] as starting point
// (line of sight), then a scan of every interior point with the earth-curvature term −x/(2a_e).
Horizons find_horizons(const Pfl& pfl, double a_e_m, const Pair& h_m) {
    const int np = pfl.intervals();
    const double xi = pfl.step_m;
    const double d_m = np * xi;

    const double z_tx = pfl.z[0] + h_m.tx;
    const double z_rx = pfl.z[static_cast<std::size_t>(np)] + h_m.rx;

    Horizons hz;
    hz.theta_rad.tx = (z_rx - z_tx) / d_m - d_m / (2 * a_e_m);
    hz.theta_rad.rx = -(z_rx - z_tx) / d_m - d_m / (2 * a_e_m);
    hz.d_m.tx = d_m;
    hz.d_m.rx = d_m;

    // Distances are accumulated step by step, as the reference does, so that ties resolve identically.
    double d_tx = 0.0;
    double d_rx = d_m;
    for (int i = 1; i < np; ++i) {
        d_tx = d_tx + xi;
        d_rx = d_rx - xi;
        const double zi = pfl.z[static_cast<std::size_t>(i)];
        const double theta_tx = (zi - z_tx) / d_tx - d_tx / (2 * a_e_m);
        const double theta_rx = -(z_rx - zi) / d_rx - d_rx / (2 * a_e_m);
        if (theta_tx > hz.theta_rad.tx) {
            hz.theta_rad.tx = theta_tx;
            hz.d_m.tx = d_tx;
        }
        if (theta_rx > hz.theta_rad.rx) {
            hz.theta_rad.rx = theta_rx;
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
    int i_start = static_cast<int>(std::fdim(d_start / pfl.step_m, 0.0));
    int i_end = np - static_cast<int>(std::fdim(np, d_end / pfl.step_m));
    if (i_end <= i_start) {
        i_start = static_cast<int>(std::fdim(i_start, 1.0));
        i_end = np - static_cast<int>(std::fdim(np, i_end + 1.0));
    }

    const double x_length = i_end - i_start;
    double mid = -0.5 * x_length;
    const double mid_end = i_end + mid;

    auto z = [&](int i) { return pfl.z[static_cast<std::size_t>(i)]; };
    double sum_y = 0.5 * (z(i_start) + z(i_end));
    double scaled_sum_y = 0.5 * (z(i_start) - z(i_end)) * mid;
    for (int i = 2; i <= x_length; ++i) {
        ++i_start;
        mid += 1.0;
        sum_y += z(i_start);
        scaled_sum_y += z(i_start) * mid;
    }
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
    const int p90 = n - p10;
    const double np_s = n - 1;

    std::array<double, 245> s{};
    x_end = (x_end - x_start) / np_s;
    int i = static_cast<int>(x_start);
    // The reference subtracts a float-converted (i + 1); the value is an exact small integer.
    x_start -= static_cast<double>(static_cast<float>(i + 1.0));
    for (int j = 0; j < n; ++j) {
        while (x_start > 0.0 && (i + 1) < np) {
            x_start -= 1.0;
            ++i;
        }
        const double z1 = pfl.z[static_cast<std::size_t>(i + 1)];
        const double z0 = pfl.z[static_cast<std::size_t>(i)];
        s[static_cast<std::size_t>(j)] = z1 + (z1 - z0) * x_start;
        x_start += x_end;
    }

    const Pfl resampled{std::span<const double>(s.data(), static_cast<std::size_t>(n)), 1.0};
    double fit_y1 = 0.0;
    double fit_y2 = 0.0;
    linear_least_squares_fit(resampled, 0.0, np_s, fit_y1, fit_y2);
    fit_y2 = (fit_y2 - fit_y1) / np_s;

    std::array<double, 245> diffs{};
    for (int j = 0; j < n; ++j) {
        diffs[static_cast<std::size_t>(j)] = s[static_cast<std::size_t>(j)] - fit_y1;
        fit_y1 += fit_y2;
    }
    auto* first = diffs.data();
    auto* last = diffs.data() + n;
    std::nth_element(first, first + p10 - 1, last, std::greater<>());
    const double q10 = diffs[static_cast<std::size_t>(p10 - 1)];
    // The first selection left everything at or below q10 after p10 − 1, so the p90-th value is found there.
    std::nth_element(first + p10, first + p90, last, std::greater<>());
    const double q90 = diffs[static_cast<std::size_t>(p90)];

    const double delta_h_d = q10 - q90;
    return delta_h_d / (1.0 - 0.8 * std::exp(-(d_end_m - d_start_m) / 50e3));
}

// Effective heights and horizons for the point-to-point mode [Algorithm §3], NTIA QuickPfl.
QuickPflResult quick_pfl(const Pfl& pfl, double gamma_e, const Pair& h_m) {
    const Horizons hz = find_horizons(pfl, 1 / gamma_e, h_m);
    return quick_pfl_with(pfl, gamma_e, h_m, hz, [&](double d_start, double d_end, double& fit_tx, double& fit_rx) {
        linear_least_squares_fit(pfl, d_start, d_end, fit_tx, fit_rx);
    });
}

} // namespace coverage::itm
