// Private: small text helpers shared by the writers (CSV, GeoJSON, HTML, reports).
#ifndef COVERAGE_SRC_TEXT_HPP
#define COVERAGE_SRC_TEXT_HPP

#include <optional>
#include <string>
#include <string_view>

namespace coverage::detail {

/** printf into a std::string (any length). */
[[nodiscard]] std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/** A number with a printf format; empty when there is none. */
[[nodiscard]] std::string number(const std::optional<double>& v, const char* fmt = "%.1f");

/** A distance for people: "350 m" below a kilometre, "4.3 km" above. */
[[nodiscard]] std::string distance_words(double m);

/** A JSON string literal, quotes included. */
[[nodiscard]] std::string json_string(std::string_view s);

/** A CSV field, quoted when it holds a comma, quote or newline (RFC 4180). */
[[nodiscard]] std::string csv_field(std::string_view s);

/** The text with every byte sequence that is not UTF-8 replaced by U+FFFD. */
[[nodiscard]] std::string valid_utf8(std::string_view s);

/** Text from inputs as a page or terminal may show it: invalid UTF-8 and control characters (escape codes) as U+FFFD. */
[[nodiscard]] std::string printable_text(std::string_view s);

/** printable_text with &, <, >, " escaped for HTML. */
[[nodiscard]] std::string html_escape(std::string_view s);

/** Base64 (RFC 4648) of bytes, for data: URIs. */
[[nodiscard]] std::string base64(std::string_view bytes);

/** strerror(err), except for 0 (a failure the system gave no reason for, e.g. a short write): never "Success". */
[[nodiscard]] std::string system_error_text(int err);

} // namespace coverage::detail

#endif
