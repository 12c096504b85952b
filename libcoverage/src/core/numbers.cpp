// parse_decimal: checks the decimal syntax by hand, then converts with std::from_chars (locale-independent).

#include <coverage/core/numbers.hpp>

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

} // namespace coverage
