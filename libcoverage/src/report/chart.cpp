// Charts: a line chart with axes, ticks, point labels and reference lines (PNG).

#include <coverage/core/error.hpp>
#include <coverage/io/image_io.hpp>
#include <coverage/report/map_render.hpp>

#include "report/canvas.hpp"

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

namespace {

// A "nice" tick step (1, 2 or 5 × 10^k) giving about `target` ticks over `span`.
double nice_step(double span, int target) {
    const double raw = span / std::max(1, target);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * mag >= raw) {
            return m * mag;
        }
    }
    return 10.0 * mag;
}

std::string tick_label(double v) {
    char buf[32];
    const double a = std::fabs(v);
    if (a >= 1e6) {
        std::snprintf(buf, sizeof buf, "%gM", v / 1e6);
    } else if (a >= 1e3) {
        std::snprintf(buf, sizeof buf, "%gK", v / 1e3);
    } else {
        std::snprintf(buf, sizeof buf, "%g", v);
    }
    return buf;
}


} // namespace

void write_chart_png(const std::string& path, const Chart& chart) {
    if (chart.x.size() != chart.y.size()) {
        throw InvalidArgument("chart '" + path + "': x and y differ in length");
    }
    constexpr int width = 960;
    constexpr int height = 600;
    constexpr int left = 90;
    constexpr int right = 30;
    constexpr int top = 50;
    constexpr int bottom = 70;
    Image img(width, height, Rgba{255, 255, 255, 255});
    const Rgba ink{20, 20, 20, 255};
    const Rgba grid{225, 225, 225, 255};
    const Rgba blue{33, 102, 172, 255};
    const Rgba red{215, 48, 39, 255};
    const Rgba grey{120, 120, 120, 255};

    double xmax = 0.0;
    double ymax = 0.0;
    for (std::size_t i = 0; i < chart.x.size(); ++i) {
        xmax = std::max(xmax, chart.x[i]);
        ymax = std::max(ymax, chart.y[i]);
    }
    if (chart.v_line) {
        xmax = std::max(xmax, *chart.v_line);
    }
    if (chart.h_line) {
        ymax = std::max(ymax, *chart.h_line);
    }
    xmax = xmax > 0.0 ? xmax * 1.05 : 1.0;
    ymax = ymax > 0.0 ? ymax * 1.1 : 1.0;
    const int pw = width - left - right;
    const int ph = height - top - bottom;
    auto px = [&](double x) { return left + static_cast<int>(std::lround(x / xmax * pw)); };
    auto py = [&](double y) { return top + ph - static_cast<int>(std::lround(y / ymax * ph)); };

    const double xs = nice_step(xmax, 8);
    for (double v = 0.0; v <= xmax + 1e-9; v += xs) {
        line(img, px(v), top, px(v), top + ph, grid);
        const std::string t = tick_label(v);
        img.text(px(v) - Image::text_width(t, 1) / 2, top + ph + 8, t, 1, ink);
    }
    const double ys = nice_step(ymax, 6);
    for (double v = 0.0; v <= ymax + 1e-9; v += ys) {
        line(img, left, py(v), left + pw, py(v), grid);
        const std::string t = tick_label(v);
        img.text(left - 8 - Image::text_width(t, 1), py(v) - 3, t, 1, ink);
    }
    line(img, left, top, left, top + ph, ink, 2);
    line(img, left, top + ph, left + pw, top + ph, ink, 2);
    img.text(left, 14, chart.title, 2, ink);
    img.text(left + pw / 2 - Image::text_width(chart.x_label, 1) / 2, height - 30, chart.x_label, 1, ink);
    img.text(8, top - 18, chart.y_label, 1, ink);

    if (chart.h_line) {
        line(img, left, py(*chart.h_line), left + pw, py(*chart.h_line), red, 1, true);
        img.text(left + pw - Image::text_width(chart.h_line_label, 1) - 4, py(*chart.h_line) - 12, chart.h_line_label, 1, red);
    }
    if (chart.v_line) {
        line(img, px(*chart.v_line), top, px(*chart.v_line), top + ph, grey, 1, true);
        img.text(std::max(left + 2, px(*chart.v_line) - Image::text_width(chart.v_line_label, 1) - 4), top + 4, chart.v_line_label, 1, grey);
    }
    for (std::size_t i = 0; i < chart.x.size(); ++i) {
        if (i > 0) {
            line(img, px(chart.x[i - 1]), py(chart.y[i - 1]), px(chart.x[i]), py(chart.y[i]), blue, 3);
        }
    }
    for (std::size_t i = 0; i < chart.x.size(); ++i) {
        img.rect(px(chart.x[i]) - 4, py(chart.y[i]) - 4, 9, 9, blue);
        if (i < chart.point_labels.size() && !chart.point_labels[i].empty()) {
            img.text(px(chart.x[i]) + 7, py(chart.y[i]) + 6, chart.point_labels[i], 1, ink);
        }
    }
    write_png(path, to_rgba(img));
}

} // namespace coverage
