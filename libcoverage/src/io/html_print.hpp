// Private: a page printed to PDF by headless Chromium, as a reader's browser would print it (the page's own print
// stylesheet: A4, page breaks, static maps). The toolkit draws its maps itself; only the report's HTML layout needs a
// browser engine to become a PDF.
#ifndef COVERAGE_SRC_IO_HTML_PRINT_HPP
#define COVERAGE_SRC_IO_HTML_PRINT_HPP

#include <string>

namespace coverage::detail {

/** The Debian package that provides Chromium, named in errors. */
inline constexpr const char* chromium_package = "chromium";

/**
 * The Chromium program to print with: $LIBCOVERAGE_CHROMIUM when set (a path), else the first of chromium,
 * chromium-browser, google-chrome found on $PATH.
 * @throws IoError naming what was looked for and the Debian package when there is none that can run.
 */
[[nodiscard]] std::string find_chromium();

/**
 * Print `html_path` (a local file; the page must need nothing from the network) to `pdf_path` with headless Chromium,
 * in a throw-away profile folder that is removed afterwards, waiting at most `timeout_s`. Chromium runs without its
 * sandbox (it cannot start with it as root or in most containers), which is why only the toolkit's own pages are
 * printed this way.
 * @throws IoError naming the page, with Chromium's exit status and last output line, when it fails, times out or
 *         writes no PDF; a partial file is removed.
 */
void print_html_to_pdf(const std::string& chromium, const std::string& html_path, const std::string& pdf_path, double timeout_s = 180.0);

} // namespace coverage::detail

#endif // COVERAGE_SRC_IO_HTML_PRINT_HPP
