// Charts: a line chart with axes, ticks, point labels and reference lines (PNG).

#include <coverage/core/atomic_file.hpp>
#include <coverage/core/error.hpp>
#include <coverage/io/image_io.hpp>
#include <coverage/report/map_render.hpp>

#include "core/messages.hpp"
#include "report/drawing.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <optional>
#include <string>
#include <utility>

namespace coverage {

using namespace detail;

void write_chart_png(const std::string& path, const Chart& chart) {
    if (chart.x.size() != chart.y.size()) {
        throw InvalidArgument("chart '" + path + "': x and y differ in length");
    }
    write_file_atomically(path, chart_picture(picture_format_of(path), chart));
}

std::string chart_png(const Chart& chart) { return chart_picture(PictureFormat::png, chart); }

std::string chart_picture(PictureFormat format, const Chart& chart) {
    if (chart.x.size() != chart.y.size()) {
        throw InvalidArgument("chart: x and y differ in length");
    }
    constexpr int width = 960;
    constexpr int height = 600;
    constexpr double left = 90.0;
    constexpr double right = 30.0;
    constexpr double top = 60.0;
    constexpr double bottom = 70.0;
    const Messages& words = Messages::of(chart.language);
    Drawing d(width, height, format);
    const Colour grid{225, 225, 225, 255};
    const Colour blue{33, 102, 172, 255};
    const Colour red{215, 48, 39, 255};
    const Colour grey{110, 110, 110, 255};
    const TextStyle small{.size_px = 13.0};
    const TextStyle axis{.size_px = 14.0, .bold = true};

    double xmax = 0.0;
    double ymax = 0.0;
    for (std::size_t i = 0; i < chart.x.size(); ++i) {
        xmax = std::max(xmax, chart.x[i]);
        ymax = std::max(ymax, chart.y[i]);
    }
    if (chart.v_line) {
        xmax = std::max(xmax, *chart.v_line);
    }
    for (const auto& [x, label] : chart.more_v_lines) {
        xmax = std::max(xmax, x);
    }
    if (chart.h_line) {
        ymax = std::max(ymax, *chart.h_line);
    }
    xmax = xmax > 0.0 ? xmax * 1.05 : 1.0;
    ymax = ymax > 0.0 ? ymax * 1.1 : 1.0;
    const double pw = width - left - right;
    const double ph = height - top - bottom;
    auto px = [&](double x) { return left + x / xmax * pw; };
    auto py = [&](double y) { return top + ph - y / ymax * ph; };

    const double xs = nice_tick_step(xmax, 8);
    for (double v = 0.0; v <= xmax + 1e-9; v += xs) {
        d.polyline({{px(v), top}, {px(v), top + ph}}, grid, 1.0);
        d.text(px(v), top + ph + 8.0, tick_label(v, words), small, Anchor::top_centre);
    }
    const double ys = nice_tick_step(ymax, 6);
    for (double v = 0.0; v <= ymax + 1e-9; v += ys) {
        d.polyline({{left, py(v)}, {left + pw, py(v)}}, grid, 1.0);
        d.text(left - 8.0, py(v), tick_label(v, words), small, Anchor::centre_right);
    }
    d.polyline({{left, top}, {left, top + ph}, {left + pw, top + ph}}, ink, 2.0);
    d.text(left, 12.0, chart.title, TextStyle{.size_px = 20.0, .bold = true});
    d.text(left + pw / 2.0, height - 30.0, chart.x_label, axis, Anchor::top_centre);
    d.text(left - 60.0, top - 26.0, chart.y_label, axis);

    if (chart.h_line) {
        d.polyline({{left, py(*chart.h_line)}, {left + pw, py(*chart.h_line)}}, red, 1.5, true);
        // Right-aligned just above the line, so that a long label stays inside the frame.
        d.text(left + pw - 4.0, py(*chart.h_line) - 20.0, chart.h_line_label, TextStyle{.size_px = 13.0, .colour = red, .halo_px = 2.0},
               Anchor::top_right);
    }
    if (chart.v_line) {
        d.polyline({{px(*chart.v_line), top}, {px(*chart.v_line), top + ph}}, grey, 1.5, true);
        // At the foot of the line, clear of the bound's label at the top.
        d.text(px(*chart.v_line) - 4.0, top + ph - 22.0, chart.v_line_label, TextStyle{.size_px = 13.0, .colour = grey, .halo_px = 2.0},
               Anchor::top_right);
    }
    for (const auto& [x, label] : chart.more_v_lines) {
        d.polyline({{px(x), top + 22.0}, {px(x), top + ph}}, grey, 1.0, true);
        d.text(px(x) - 4.0, top + 24.0, label, TextStyle{.size_px = 12.0, .colour = grey, .halo_px = 2.0}, Anchor::top_right);
    }
    std::vector<std::pair<double, double>> pts;
    for (std::size_t i = 0; i < chart.x.size(); ++i) {
        pts.emplace_back(px(chart.x[i]), py(chart.y[i]));
    }
    d.polyline(pts, blue, 3.0);
    for (std::size_t i = 0; i < pts.size(); ++i) {
        d.fill_rect(pts[i].first - 4.5, pts[i].second - 4.5, 9.0, 9.0, blue);
        if (i < chart.point_labels.size() && !chart.point_labels[i].empty()) {
            d.text(pts[i].first + 8.0, pts[i].second + 4.0, chart.point_labels[i], TextStyle{.size_px = 13.0, .halo_px = 2.0});
        }
    }
    return d.finish();
}

} // namespace coverage
