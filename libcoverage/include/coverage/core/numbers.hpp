#ifndef COVERAGE_CORE_NUMBERS_HPP
#define COVERAGE_CORE_NUMBERS_HPP

#include <optional>
#include <string_view>

namespace coverage {

/**
 * A finite number written in decimal: an optional sign, digits with an optional decimal point, an optional
 * exponent ("-12", "3.5", ".5", "1e3"). Everything else -- hexadecimal ("0x64", which strtod accepts), "nan",
 * "inf", spaces, a trailing unit, a value beyond double's range -- gives nothing. The one number syntax of the
 * library's text inputs (CSV, GeoJSON and GeoPackage text fields, command-line numbers).
 */
[[nodiscard]] std::optional<double> parse_decimal(std::string_view text) noexcept;

/**
 * Φ⁻¹(p), the quantile of the standard normal distribution, to within a few ulp for 1e-300 < p < 1: the value the
 * recommendations write as "the inverse cumulative normal distribution" (ITU-R P.2109 eq. (2), the location quantiles).
 * @throws OutOfDomain unless 0 < p < 1.
 */
[[nodiscard]] double standard_normal_quantile(double p);

} // namespace coverage

#endif
