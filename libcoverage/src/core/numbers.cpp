// parse_decimal: checks the decimal syntax by hand, then converts with std::from_chars (locale-independent).

#include <coverage/core/numbers.hpp>
#include <coverage/core/error.hpp>

#include "core/text.hpp"

#include <array>

#include <charconv>
#include <cmath>
#include <system_error>

namespace coverage {

std::optional<double> parse_decimal(std::string_view text) noexcept {
    std::size_t i = 0;
    const std::size_t n = text.size();
    const auto digits = [&] {
        const std::size_t start = i;
        while (i < n && text[i] >= '0' && text[i] <= '9') {
            ++i;
        }
        return i - start;
    };
    if (i < n && (text[i] == '+' || text[i] == '-')) {
        ++i;
    }
    const std::size_t body = i;
    std::size_t count = digits();
    if (i < n && text[i] == '.') {
        ++i;
        count += digits();
    }
    if (count == 0) {
        return std::nullopt;
    }
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < n && (text[i] == '+' || text[i] == '-')) {
            ++i;
        }
        if (digits() == 0) {
            return std::nullopt;
        }
    }
    if (i != n) {
        return std::nullopt;
    }
    // from_chars takes no leading '+'.
    const std::size_t from = text[0] == '+' ? body : 0;
    double v = 0.0;
    const auto [end, ec] = std::from_chars(text.data() + from, text.data() + n, v, std::chars_format::general);
    if (ec != std::errc() || end != text.data() + n || !std::isfinite(v)) {
        return std::nullopt;
    }
    return v;
}

double standard_normal_quantile(double p) {
    if (!(p > 0.0 && p < 1.0)) {
        throw OutOfDomain(detail::format("standard normal quantile: the probability must be between 0 and 1 (got %g)", p));
    }
    // A first guess from P. J. Acklam's rational approximations (relative error below 1.2e-9; coefficients from his
    // note "An algorithm for computing the inverse normal cumulative distribution function", 2003), then one step of
    // Halley's method on the exact distribution (std::erfc), which brings it to the precision of erfc.
    static constexpr std::array<double, 6> a{-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr std::array<double, 5> b{-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                             6.680131188771972e+01,  -1.328068155288572e+01};
    static constexpr std::array<double, 6> c{-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr std::array<double, 4> d{7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                             3.754408661907416e+00};
    constexpr double p_low = 0.02425;
    const auto tail = [&](double q) { // q = sqrt(-2 ln(tail probability)); the quantile of the lower tail
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    };
    double x = 0.0;
    if (p < p_low) {
        x = tail(std::sqrt(-2.0 * std::log(p)));
    } else if (p > 1.0 - p_low) {
        x = -tail(std::sqrt(-2.0 * std::log1p(-p)));
    } else {
        const double q = p - 0.5;
        const double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    }
    // Halley: e = Φ(x) - p, written on the side of the distribution where it keeps its relative precision.
    const double pi = 3.14159265358979323846;
    const double e = p <= 0.5 ? 0.5 * std::erfc(-x / std::sqrt(2.0)) - p : (1.0 - p) - 0.5 * std::erfc(x / std::sqrt(2.0));
    const double u = e * std::sqrt(2.0 * pi) * std::exp(0.5 * x * x);
    return x - u / (1.0 + 0.5 * x * u);
}

} // namespace coverage
