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

} // namespace coverage

#endif
