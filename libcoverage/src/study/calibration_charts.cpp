// covtool calibrate's pictures: error against distance, the errors' histogram, measured against predicted, and where
// the model was wrong on the map.
#include "study/calibration_charts.hpp"

#include <coverage/core/atomic_file.hpp>
#include <coverage/report/map_render.hpp>
#include <coverage/report/xy_chart.hpp>

#include "core/messages.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>

namespace coverage::detail {

namespace fs = std::filesystem;

namespace {

// Residual classes of the map, dB: below −10, −10…−5, −5…−2, −2…2, 2…5, 5…10, above 10 (ColorBrewer RdBu, reversed:
// red where the measurement is weaker than the prediction).
constexpr std::array<double, 6> residual_edges_db{-10.0, -5.0, -2.0, 2.0, 5.0, 10.0};
constexpr std::array<std::array<std::uint8_t, 3>, 7> residual_colours{{{178, 24, 43}, {239, 138, 98}, {253, 219, 199}, {247, 247, 247},
                                                                        {209, 229, 240}, {103, 169, 207}, {33, 102, 172}}};

std::uint8_t residual_class(double r) {
    std::uint8_t k = 0;
    while (k < residual_edges_db.size() && r >= residual_edges_db[k]) {
        ++k;
    }
    return k;
}

} // namespace

std::vector<std::string> write_calibration_charts(const std::string& folder, const StudyCalibration& c, const std::string& language) {
    const Messages& m = Messages::of(language);
    std::vector<std::string> files;
    std::vector<double> distance, before, after, predicted, measured;
    for (std::size_t i = 0; i < c.binned.bins.size(); ++i) {
        const CalibrationBin& b = c.binned.bins[i];
        if (!std::isfinite(b.predicted_dbm) || !std::isfinite(c.fit.held_out_correction_db[i])) {
            continue;
        }
        distance.push_back(std::max(b.distance_m, 1.0));
        before.push_back(b.residual_db());
        after.push_back(b.residual_db() - c.fit.held_out_correction_db[i]);
        predicted.push_back(b.predicted_dbm);
        measured.push_back(b.measured_dbm);
    }
    auto write = [&](const std::string& name, const XyChart& chart) {
        write_file_atomically((fs::path(folder) / name).string(), xy_chart_picture(PictureFormat::png, chart));
        files.push_back(name);
    };
    {
        XyChart chart;
        chart.title = m.text("chart.calibration.distance.title");
        chart.x_label = m.text("chart.calibration.distance.x");
        chart.y_label = m.text("chart.calibration.error.y");
        chart.language = language;
        chart.log_x = true;
        chart.h_line = 0.0;
        chart.series.push_back(ChartSeries{.label = m.text("chart.calibration.before"), .x = distance, .y = before, .colour = 1});
        chart.series.push_back(ChartSeries{.label = m.text("chart.calibration.after"), .x = distance, .y = after, .colour = 0});
        write("calibration_distance.png", chart);
    }
    {
        // 1 dB bins over the errors' range, both distributions side by side.
        double lo = 0.0, hi = 0.0;
        for (const std::vector<double>* v : {&before, &after}) {
            for (double e : *v) {
                lo = std::min(lo, std::floor(e));
                hi = std::max(hi, std::ceil(e));
            }
        }
        lo = std::max(lo, -40.0);
        hi = std::min(hi, 40.0);
        const auto n = static_cast<std::size_t>(std::max(1.0, hi - lo));
        auto histogram = [&](const std::vector<double>& v) {
            std::vector<double> count(n, 0.0);
            for (double e : v) {
                const auto k = static_cast<std::size_t>(std::clamp(std::floor(e - lo), 0.0, static_cast<double>(n - 1)));
                count[k] += 1.0;
            }
            return count;
        };
        std::vector<double> x_before(n), x_after(n);
        for (std::size_t k = 0; k < n; ++k) {
            x_before[k] = lo + static_cast<double>(k) + 0.3;
            x_after[k] = lo + static_cast<double>(k) + 0.7;
        }
        XyChart chart;
        chart.title = m.text("chart.calibration.histogram.title");
        chart.x_label = m.text("chart.calibration.error.y");
        chart.y_label = m.text("chart.calibration.histogram.y");
        chart.language = language;
        chart.series.push_back(ChartSeries{.label = m.text("chart.calibration.before"), .style = ChartSeries::Style::bars, .x = x_before,
                                           .y = histogram(before), .colour = 1, .bar_width = 0.4});
        chart.series.push_back(ChartSeries{.label = m.text("chart.calibration.after"), .style = ChartSeries::Style::bars, .x = x_after,
                                           .y = histogram(after), .colour = 0, .bar_width = 0.4});
        write("calibration_histogram.png", chart);
    }
    {
        std::vector<double> corrected(predicted.size());
        for (std::size_t i = 0; i < predicted.size(); ++i) {
            corrected[i] = predicted[i] + (before[i] - after[i]);
        }
        XyChart chart;
        chart.title = m.text("chart.calibration.scatter.title");
        chart.x_label = m.text("chart.calibration.scatter.x");
        chart.y_label = m.text("chart.calibration.scatter.y");
        chart.language = language;
        chart.diagonal = true;
        chart.series.push_back(ChartSeries{.label = m.text("chart.calibration.before"), .x = predicted, .y = measured, .colour = 1});
        chart.series.push_back(ChartSeries{.label = m.text("chart.calibration.after"), .x = corrected, .y = measured, .colour = 0});
        write("calibration_scatter.png", chart);
    }
    if (c.dem) {
        // Each bin's residual before calibration as a small square of cells over the hillshade, the sites marked.
        const Dem& dem = *c.dem;
        Raster<std::uint8_t> classes(dem.raster().width(), dem.raster().height(), dem.raster().transform(), dem.raster().crs(), 255);
        const int half = std::max(1, std::max(classes.width(), classes.height()) / 250);
        for (const CalibrationBin& b : c.binned.bins) {
            if (!std::isfinite(b.predicted_dbm)) {
                continue;
            }
            const auto cell = dem.cell_at(b.grid);
            if (!cell) {
                continue;
            }
            for (int dr = -half; dr <= half; ++dr) {
                for (int dc = -half; dc <= half; ++dc) {
                    if (classes.contains(cell->col + dc, cell->row + dr)) {
                        classes.at(cell->col + dc, cell->row + dr) = residual_class(b.residual_db());
                    }
                }
            }
        }
        std::vector<ColorEntry> palette;
        for (std::size_t k = 0; k < residual_colours.size(); ++k) {
            std::string label;
            if (k == 0) {
                label = m.format("map.calibration.below", {{"to", m.number(residual_edges_db[0])}});
            } else if (k == residual_colours.size() - 1) {
                label = m.format("map.calibration.above", {{"from", m.number(residual_edges_db.back())}});
            } else {
                label = m.format("map.calibration.range", {{"from", m.number(residual_edges_db[k - 1])}, {"to", m.number(residual_edges_db[k])}});
            }
            palette.push_back(ColorEntry{.value = static_cast<int>(k), .red = residual_colours[k][0], .green = residual_colours[k][1],
                                         .blue = residual_colours[k][2], .label = label});
        }
        std::vector<MapLabel> labels;
        std::vector<std::string> seen;
        for (const Sector& s : c.sectors) {
            if (std::find(seen.begin(), seen.end(), s.site_id) == seen.end()) {
                seen.push_back(s.site_id);
                labels.push_back(MapLabel{.location = s.location, .text = s.name, .marker = MapLabel::Marker::tower});
            }
        }
        MapWords words = map_words(language);
        words.notice = c.terrain_synthetic ? m.text("map.synthetic_notice") : std::string();
        write_map_png((fs::path(folder) / "calibration_map.png").string(), dem, classes, palette, m.text("map.calibration.title"), labels, {},
                      words);
        files.emplace_back("calibration_map.png");
    }
    return files;
}

} // namespace coverage::detail
