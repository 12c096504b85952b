#include "terminal.hpp"

#include <coverage/core/error.hpp>
#include <coverage/core/numbers.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <optional>
#include <string_view>
#include <unistd.h>

namespace covtool {

namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int /*signal*/) { g_interrupted = true; }
} // namespace

void install_interrupt_handler() { std::signal(SIGINT, on_sigint); }

std::vector<double> parse_decimals(const std::string& text, std::size_t count, const std::string& option,
                                   const std::string& expected) {
    std::vector<double> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::optional<double> v =
            coverage::parse_decimal(std::string_view(text).substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!v) {
            break;
        }
        out.push_back(*v);
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    if (out.size() != count || std::count(text.begin(), text.end(), ',') != static_cast<std::ptrdiff_t>(count - 1)) {
        throw coverage::InvalidArgument(option + ": expected " + expected + " (got '" + text + "')");
    }
    return out;
}

void require_decimal_options(CLI::App& app) {
    const CLI::Validator decimal(
        [](std::string& value) -> std::string {
            return coverage::parse_decimal(value) ? std::string() : "'" + value + "' is not a decimal number (such as 12.5)";
        },
        ""); // no text in --help: the type is already FLOAT
    for (CLI::Option* opt : app.get_options()) {
        if (opt->get_type_name() == "FLOAT") {
            opt->check(decimal);
        }
    }
    for (CLI::App* sub : app.get_subcommands({})) {
        require_decimal_options(*sub);
    }
}
bool interrupted() noexcept { return g_interrupted; }

std::string fmt(const char* format, ...) {
    va_list args;
    va_start(args, format);
    char buf[512];
    std::vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    return buf;
}

ProgressBar::ProgressBar(std::string label)
    : m_label(std::move(label)), m_enabled(isatty(STDERR_FILENO) != 0), m_start(std::chrono::steady_clock::now()),
      m_last_draw(m_start - std::chrono::seconds(1)) {}

ProgressBar::~ProgressBar() { finish(); }

coverage::ProgressFn ProgressBar::callback() {
    return [this](double fraction, std::string_view message) {
        draw(fraction, message);
        return !interrupted();
    };
}

void ProgressBar::draw(double fraction, std::string_view message) {
    if (!m_enabled || m_finished) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (fraction < 1.0 && now - m_last_draw < std::chrono::milliseconds(100)) {
        return;
    }
    m_last_draw = now;
    fraction = std::clamp(fraction, 0.0, 1.0);
    const double elapsed_s = std::chrono::duration<double>(now - m_start).count();
    std::string eta = "--:--";
    if (fraction > 0.01) {
        const int remaining = static_cast<int>(elapsed_s * (1.0 - fraction) / fraction + 0.5);
        eta = fmt("%02d:%02d", remaining / 60, remaining % 60);
    }
    constexpr int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r%s [%s] %3d%%  ETA %s  %-28.28s", m_label.c_str(), bar.c_str(),
                 static_cast<int>(fraction * 100.0), eta.c_str(), std::string(message).c_str());
    std::fflush(stderr);
}

void ProgressBar::finish() {
    if (m_enabled && !m_finished) {
        std::fprintf(stderr, "\r%*s\r", 80, "");
        std::fflush(stderr);
    }
    m_finished = true;
}

namespace {
// Characters on screen: UTF-8 bytes that do not continue a sequence (Vietnamese names are NFC).
std::size_t display_width(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}
} // namespace

std::string for_terminal(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) {
            out += '?'; // ESC, CR, BEL, ...: a name must not move the cursor or recolour the terminal
        } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            out += '?'; // C1 controls (U+0080-U+009F), CSI among them
            ++i;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string format_table(const std::vector<std::pair<std::string, std::string>>& rows) {
    std::size_t width = 0;
    for (const auto& [label, value] : rows) {
        width = std::max(width, display_width(for_terminal(label)));
    }
    std::string out;
    for (const auto& [raw_label, raw_value] : rows) {
        const std::string label = for_terminal(raw_label);
        out += "  " + label + std::string(width - display_width(label) + 2, ' ') + for_terminal(raw_value) + "\n";
    }
    return out;
}

} // namespace covtool
