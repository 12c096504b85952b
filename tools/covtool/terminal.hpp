// Terminal output for covtool: the progress bar and aligned tables. Only tools/ print.
#ifndef COVTOOL_TERMINAL_HPP
#define COVTOOL_TERMINAL_HPP

#include <coverage/core/progress.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace covtool {

/** A progress bar with percentage and ETA on stderr; silent when stderr is not a terminal. */
class ProgressBar {
public:
    explicit ProgressBar(std::string label);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    /** A ProgressFn drawing this bar; it returns false once Ctrl-C was pressed. */
    [[nodiscard]] coverage::ProgressFn callback();
    void finish();

private:
    void draw(double fraction, std::string_view message);

    std::string m_label;
    bool m_enabled;
    bool m_finished = false;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last_draw;
};

/** Install a SIGINT handler that sets a flag (checked by ProgressBar callbacks) instead of killing the process. */
void install_interrupt_handler();

/** `count` comma-separated decimal numbers (coverage::parse_decimal: no hex, nan or inf).
 *  @throws coverage::InvalidArgument "<option>: expected <expected> (got '<text>')". */
[[nodiscard]] std::vector<double> parse_decimals(const std::string& text, std::size_t count, const std::string& option,
                                                 const std::string& expected);

/** Every floating-point option of `app` and its subcommands accepts only decimal numbers (CLI11 alone takes
 *  "nan", "inf" and "0x1p3"). */
void require_decimal_options(CLI::App& app);
[[nodiscard]] bool interrupted() noexcept;

/** Two-column table: label, value; labels left-aligned to the widest. */
/** Text from inputs (names) made safe to print: control characters (ESC, C1) become '?'. */
[[nodiscard]] std::string for_terminal(std::string_view s);

[[nodiscard]] std::string format_table(const std::vector<std::pair<std::string, std::string>>& rows);

/** printf-style formatting into a std::string. */
[[nodiscard]] std::string fmt(const char* format, ...) __attribute__((format(printf, 1, 2)));

} // namespace covtool

#endif
