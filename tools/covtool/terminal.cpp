#include "terminal.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <unistd.h>

namespace covtool {

namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int /*signal*/) { g_interrupted = true; }
} // namespace

void install_interrupt_handler() { std::signal(SIGINT, on_sigint); }
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

std::string format_table(const std::vector<std::pair<std::string, std::string>>& rows) {
    std::size_t width = 0;
    for (const auto& [label, value] : rows) {
        width = std::max(width, display_width(label));
    }
    std::string out;
    for (const auto& [label, value] : rows) {
        out += "  " + label + std::string(width - display_width(label) + 2, ' ') + value + "\n";
    }
    return out;
}

} // namespace covtool
