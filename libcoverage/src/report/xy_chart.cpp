// Charts of several series over any range (points, lines, bars), with a legend.

#include <coverage/core/error.hpp>
#include <coverage/report/xy_chart.hpp>

#include "core/messages.hpp"
#include "report/drawing.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

namespace coverage {

using namespace detail;

namespace {

constexpr std::array<Colour, 5> palette{Colour{33, 102, 172, 255}, Colour{215, 48, 39, 255}, Colour{26, 152, 80, 255},
                                        Colour{110, 110, 110, 255}, Colour{241, 140, 30, 255}};

} // namespace

std::string xy_chart_picture(PictureFormat format, const XyChart& chart) {
    double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
    for (const ChartSeries& s : chart.series) {
        if (s.x.size() != s.y.size()) {
            throw InvalidArgument("chart '" + chart.title + "': series '" + s.label + "' has x and y of different lengths");
        }
        for (std::size_t i = 0; i < s.x.size(); ++i) {
            if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
                continue;
            }
            if (chart.log_x && !(s.x[i] > 0.0)) {
                throw InvalidArgument("chart '" + chart.title + "': x must be > 0 on a log axis");
            }
            const double half = s.style == ChartSeries::Style::bars ? s.bar_width / 2.0 : 0.0;
            x0 = std::min(x0, s.x[i] - half);
            x1 = std::max(x1, s.x[i] + half);
            y0 = std::min(y0, s.y[i]);
            y1 = std::max(y1, s.y[i]);
            if (s.style == ChartSeries::Style::bars) {
                y0 = std::min(y0, 0.0);
            }
        }
    }
    if (!std::isfinite(x0)) { // no data: an empty frame
        x0 = chart.log_x ? 1.0 : 0.0;
        x1 = chart.log_x ? 10.0 : 1.0;
        y0 = 0.0;
        y1 = 1.0;
    }
    if (chart.h_line) {
        y0 = std::min(y0, *chart.h_line);
        y1 = std::max(y1, *chart.h_line);
    }
    auto tx = [&](double x) { return chart.log_x ? std::log10(x) : x; };
    double ax0 = chart.x_min ? tx(*chart.x_min) : tx(x0), ax1 = chart.x_max ? tx(*chart.x_max) : tx(x1);
    double ay0 = chart.y_min.value_or(y0), ay1 = chart.y_max.value_or(y1);
    if (!chart.x_min && !chart.x_max) {
        const double m = chart.log_x ? 0.03 : 0.04 * std::max(ax1 - ax0, 1e-9);
        ax0 -= m;
        ax1 += m;
    }
    if (!chart.y_min && !chart.y_max) {
        const double m = 0.06 * std::max(ay1 - ay0, 1e-9);
        ay0 -= y0 == 0.0 ? 0.0 : m;
        ay1 += m;
    }
    if (chart.diagonal) {
        ax0 = ay0 = std::min(ax0, ay0);
        ax1 = ay1 = std::max(ax1, ay1);
    }
    if (!(ax1 > ax0) || !(ay1 > ay0)) {
        ax1 = ax0 + 1.0;
        ay1 = std::max(ay1, ay0 + 1.0);
    }
    constexpr int width = 960;
    constexpr int height = 600;
    constexpr double left = 90.0, right = 30.0, top = 60.0, bottom = 70.0;
    const double pw = width - left - right, ph = height - top - bottom;
    auto px = [&](double x) { return left + (tx(x) - ax0) / (ax1 - ax0) * pw; };
    auto py = [&](double y) { return top + ph - (y - ay0) / (ay1 - ay0) * ph; };
    const Messages& words = Messages::of(chart.language);
    Drawing d(width, height, format);
    const Colour grid{225, 225, 225, 255};
    const TextStyle small{.size_px = 13.0};
    const TextStyle axis{.size_px = 14.0, .bold = true};

    if (chart.log_x) {
        for (int k = static_cast<int>(std::floor(ax0)); k <= static_cast<int>(std::ceil(ax1)); ++k) {
            for (const double m : {1.0, 2.0, 5.0}) {
                const double v = m * std::pow(10.0, k);
                if (tx(v) < ax0 - 1e-9 || tx(v) > ax1 + 1e-9) {
                    continue;
                }
                d.polyline({{px(v), top}, {px(v), top + ph}}, grid, 1.0);
                d.text(px(v), top + ph + 8.0, tick_label(v, words), small, Anchor::top_centre);
            }
        }
    } else {
        const double xs = nice_tick_step(ax1 - ax0, 8);
        for (double v = std::ceil(ax0 / xs) * xs; v <= ax1 + 1e-9; v += xs) {
            d.polyline({{px(v), top}, {px(v), top + ph}}, grid, 1.0);
            d.text(px(v), top + ph + 8.0, tick_label(v, words), small, Anchor::top_centre);
        }
    }
    const double ys = nice_tick_step(ay1 - ay0, 6);
    for (double v = std::ceil(ay0 / ys) * ys; v <= ay1 + 1e-9; v += ys) {
        d.polyline({{left, py(v)}, {left + pw, py(v)}}, grid, 1.0);
        d.text(left - 8.0, py(v), tick_label(v, words), small, Anchor::centre_right);
    }
    d.polyline({{left, top}, {left, top + ph}, {left + pw, top + ph}}, ink, 2.0);
    d.text(left, 12.0, chart.title, TextStyle{.size_px = 20.0, .bold = true});
    d.text(left + pw / 2.0, height - 30.0, chart.x_label, axis, Anchor::top_centre);
    d.text(left - 60.0, top - 26.0, chart.y_label, axis);
    if (chart.h_line && *chart.h_line >= ay0 && *chart.h_line <= ay1) {
        d.polyline({{left, py(*chart.h_line)}, {left + pw, py(*chart.h_line)}}, ink, 1.2, true);
    }
    if (chart.diagonal) {
        d.polyline({{px(chart.log_x ? std::pow(10.0, ax0) : ax0), py(ax0)}, {px(chart.log_x ? std::pow(10.0, ax1) : ax1), py(ax1)}}, ink, 1.2,
                   true);
    }
    auto inside = [&](double x, double y) { return tx(x) >= ax0 && tx(x) <= ax1 && y >= ay0 && y <= ay1; };
    for (const ChartSeries& s : chart.series) {
        const Colour c = palette[static_cast<std::size_t>(std::clamp(s.colour, 0, static_cast<int>(palette.size()) - 1))];
        if (s.style == ChartSeries::Style::line) {
            std::vector<std::pair<double, double>> pts;
            for (std::size_t i = 0; i < s.x.size(); ++i) {
                if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]) && inside(s.x[i], s.y[i])) {
                    pts.emplace_back(px(s.x[i]), py(s.y[i]));
                }
            }
            if (pts.size() >= 2) {
                d.polyline(pts, c, 3.0);
            }
        } else if (s.style == ChartSeries::Style::bars) {
            for (std::size_t i = 0; i < s.x.size(); ++i) {
                const double xa = px(s.x[i] - s.bar_width / 2.0), xb = px(s.x[i] + s.bar_width / 2.0);
                const double ya = py(std::clamp(s.y[i], ay0, ay1)), yb = py(std::clamp(0.0, ay0, ay1));
                Colour fill = c;
                fill.a = 150;
                d.fill_rect(std::max(left, xa), std::min(ya, yb), std::min(left + pw, xb) - std::max(left, xa), std::abs(yb - ya), fill);
            }
        } else {
            Colour fill = c;
            fill.a = 140;
            for (std::size_t i = 0; i < s.x.size(); ++i) {
                if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]) && inside(s.x[i], s.y[i])) {
                    d.fill_rect(px(s.x[i]) - 2.5, py(s.y[i]) - 2.5, 5.0, 5.0, fill);
                }
            }
        }
    }
    // Legend, top right inside the frame.
    double ly = top + 10.0;
    for (const ChartSeries& s : chart.series) {
        if (s.label.empty()) {
            continue;
        }
        const Colour c = palette[static_cast<std::size_t>(std::clamp(s.colour, 0, static_cast<int>(palette.size()) - 1))];
        const TextStyle style{.size_px = 13.0, .halo_px = 2.0};
        const double w = d.measure(s.label, style).first;
        d.fill_rect(left + pw - w - 34.0, ly + 3.0, 14.0, 10.0, c);
        d.text(left + pw - w - 14.0, ly, s.label, style);
        ly += 20.0;
    }
    return d.finish();
}

} // namespace coverage
