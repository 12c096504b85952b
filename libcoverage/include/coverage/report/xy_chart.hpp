#ifndef COVERAGE_REPORT_XY_CHART_HPP
#define COVERAGE_REPORT_XY_CHART_HPP
// A chart of several series over any range of x and y: points, lines or bars, a legend, reference lines. The
// calibration's charts (error against distance, histogram, measured against predicted) are drawn with it.
#include <coverage/report/map_render.hpp>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/** One series of an XyChart. */
struct ChartSeries {
    enum class Style { points, line, bars };
    std::string label;                   ///< in the legend ("" = not listed)
    Style style = Style::points;
    std::vector<double> x;
    std::vector<double> y;
    int colour = 0;                      ///< index into the chart palette (0 blue, 1 red, 2 green, 3 grey, 4 orange)
    double bar_width = 1.0;              ///< bars: width in x units, centred on x
};

struct XyChart {
    std::string title;
    std::string x_label;
    std::string y_label;
    std::vector<ChartSeries> series;
    std::optional<double> x_min, x_max, y_min, y_max;  ///< default: the data's range with a margin
    bool log_x = false;                  ///< x on a log10 axis (all x > 0)
    bool diagonal = false;               ///< draw y = x (measured against predicted)
    std::optional<double> h_line;        ///< e.g. zero error
    std::string language = "en";         ///< the numbers on the axes as this language writes them
};

/**
 * The chart as the bytes of a file in `format` (960 × 600 px, Noto Sans).
 * @throws InvalidArgument for a series whose x and y differ in length, x ≤ 0 on a log axis, or an empty range.
 */
[[nodiscard]] std::string xy_chart_picture(PictureFormat format, const XyChart& chart);

} // namespace coverage

#endif // COVERAGE_REPORT_XY_CHART_HPP
