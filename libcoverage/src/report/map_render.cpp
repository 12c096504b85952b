#include <coverage/core/error.hpp>
#include <coverage/io/image_io.hpp>
#include <coverage/report/map_render.hpp>

#include "report/font5x7.hpp"


#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <optional>
#include <string>
#include <utility>

namespace coverage {

namespace {

struct Rgba {
    std::uint8_t r = 0;
    std::uint8_t g = 0;
    std::uint8_t b = 0;
    std::uint8_t a = 255;
};

class Image {
public:
    Image(int w, int h, Rgba fill) : m_w(w), m_h(h), m_px(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), fill) {}
    [[nodiscard]] int width() const { return m_w; }
    [[nodiscard]] int height() const { return m_h; }
    void set(int x, int y, Rgba c) {
        if (x >= 0 && y >= 0 && x < m_w && y < m_h) {
            m_px[static_cast<std::size_t>(y) * static_cast<std::size_t>(m_w) + static_cast<std::size_t>(x)] = c;
        }
    }
    [[nodiscard]] Rgba get(int x, int y) const { return m_px[static_cast<std::size_t>(y) * static_cast<std::size_t>(m_w) + static_cast<std::size_t>(x)]; }
    void rect(int x0, int y0, int w, int h, Rgba c) {
        for (int y = y0; y < y0 + h; ++y) {
            for (int x = x0; x < x0 + w; ++x) {
                set(x, y, c);
            }
        }
    }
    void text(int x, int y, const std::string& utf8, int scale, Rgba c) {
        const std::string s = detail::ascii_fold(utf8);
        for (std::size_t i = 0; i < s.size(); ++i) {
            for (int gy = 0; gy < detail::glyph_height; ++gy) {
                for (int gx = 0; gx < detail::glyph_width; ++gx) {
                    if (detail::glyph_pixel(s[i], gx, gy)) {
                        rect(x + (static_cast<int>(i) * detail::glyph_advance + gx) * scale, y + gy * scale, scale, scale, c);
                    }
                }
            }
        }
    }
    [[nodiscard]] static int text_width(const std::string& s, int scale) {
        return static_cast<int>(detail::ascii_fold(s).size()) * detail::glyph_advance * scale;
    }
    [[nodiscard]] const std::vector<Rgba>& pixels() const { return m_px; }

private:
    int m_w;
    int m_h;
    std::vector<Rgba> m_px;
};

// Lambertian hillshade, sun from the north-west at 45°, as in most GIS.
double hillshade(const Dem& dem, int col, int row) {
    const Dem::Gradient g = dem.gradient(col, row);
    const double slope = std::atan(std::hypot(g.dz_east, g.dz_south));
    const double aspect = std::atan2(g.dz_south, -g.dz_east);
    const double zenith = (90.0 - 45.0) * std::numbers::pi / 180.0;
    const double azimuth = (360.0 - 315.0 + 90.0) * std::numbers::pi / 180.0;
    const double s = std::cos(zenith) * std::cos(slope) + std::sin(zenith) * std::sin(slope) * std::cos(azimuth - aspect);
    return std::clamp(s, 0.0, 1.0);
}

std::optional<Rgba> colour_of(const std::vector<ColorEntry>& palette, int value) {
    for (const auto& e : palette) {
        if (e.value == value) {
            return Rgba{e.red, e.green, e.blue, e.alpha};
        }
    }
    return std::nullopt;
}

RgbaImage to_rgba(const Image& img) {
    RgbaImage out{.width = img.width(), .height = img.height(), .rgba = std::vector<std::uint8_t>(img.pixels().size() * 4)};
    std::uint8_t* o = out.rgba.data();
    for (const Rgba& p : img.pixels()) {
        o[0] = p.r;
        o[1] = p.g;
        o[2] = p.b;
        o[3] = p.a;
        o += 4;
    }
    return out;
}

void line(Image& img, int x0, int y0, int x1, int y1, Rgba c, int thick = 1, bool dashed = false) {
    const int n = std::max(std::abs(x1 - x0), std::abs(y1 - y0));
    for (int i = 0; i <= n; ++i) {
        if (dashed && (i / 6) % 2 == 1) {
            continue;
        }
        const double t = n > 0 ? static_cast<double>(i) / n : 0.0;
        const int x = static_cast<int>(std::lround(x0 + t * (x1 - x0)));
        const int y = static_cast<int>(std::lround(y0 + t * (y1 - y0)));
        img.rect(x - thick / 2, y - thick / 2, thick, thick, c);
    }
}

} // namespace

namespace {
// ColorBrewer RdYlGn, excellent .. edge, then no service.
constexpr std::array<std::array<std::uint8_t, 3>, 6> class_colours{{
    {{26, 152, 80}}, {{145, 207, 96}}, {{217, 239, 139}}, {{254, 224, 139}}, {{252, 141, 89}}, {{215, 48, 39}}}};

ColorEntry class_entry(int value, const std::string& label) {
    const auto& c = class_colours[static_cast<std::size_t>(std::min(value, 5))];
    return ColorEntry{value, c[0], c[1], c[2], 255, label};
}
} // namespace

std::vector<ColorEntry> signal_class_palette(const SignalThresholds& t, const std::string& measure) {
    std::vector<ColorEntry> out;
    for (int i = 0; i < t.class_count; ++i) {
        char label[96];
        std::snprintf(label, sizeof label, "%s (%s >= %.0f dBm)", to_string(static_cast<SignalClass>(i)), measure.c_str(),
                      t.lower_bound_dbm[static_cast<std::size_t>(i)]);
        out.push_back(class_entry(i, label));
    }
    char label[96];
    std::snprintf(label, sizeof label, "no service (< %.0f dBm)", t.lower_bound_dbm[static_cast<std::size_t>(t.class_count - 1)]);
    out.push_back(class_entry(static_cast<int>(SignalClass::no_service), label));
    return out;
}

std::vector<ColorEntry> mixed_signal_class_palette(const std::vector<std::pair<Technology, SignalThresholds>>& by_technology) {
    if (by_technology.empty()) {
        throw InvalidArgument("mixed_signal_class_palette: no technology");
    }
    std::vector<ColorEntry> out;
    int classes = 0;
    for (const auto& [technology, t] : by_technology) {
        classes = std::max(classes, t.class_count);
    }
    char bound[64];
    for (int i = 0; i < classes; ++i) {
        std::string label = std::string(to_string(static_cast<SignalClass>(i))) + " (";
        bool first = true;
        for (const auto& [technology, t] : by_technology) {
            if (i < t.class_count) {
                std::snprintf(bound, sizeof bound, "%s%s >= %.0f", first ? "" : ", ", signal_measure_name(technology),
                              t.lower_bound_dbm[static_cast<std::size_t>(i)]);
                label += bound;
                first = false;
            }
        }
        out.push_back(class_entry(i, label + " dBm)"));
    }
    std::string label = "no service (";
    for (std::size_t k = 0; k < by_technology.size(); ++k) {
        const SignalThresholds& t = by_technology[k].second;
        std::snprintf(bound, sizeof bound, "%s%s < %.0f", k == 0 ? "" : ", ", signal_measure_name(by_technology[k].first),
                      t.lower_bound_dbm[static_cast<std::size_t>(t.class_count - 1)]);
        label += bound;
    }
    out.push_back(class_entry(static_cast<int>(SignalClass::no_service), label + " dBm)"));
    return out;
}

std::vector<ColorEntry> server_palette(const std::vector<std::string>& ids) {
    // ColorBrewer "Set1"/"Dark2"-like qualitative colours, cycled.
    static constexpr std::array<std::array<std::uint8_t, 3>, 10> colours{{{{228, 26, 28}}, {{55, 126, 184}}, {{77, 175, 74}},
        {{152, 78, 163}}, {{255, 127, 0}}, {{166, 86, 40}}, {{247, 129, 191}}, {{27, 158, 119}}, {{117, 112, 179}}, {{102, 166, 30}}}};
    std::vector<ColorEntry> out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto& c = colours[i % colours.size()];
        out.push_back(ColorEntry{static_cast<int>(i), c[0], c[1], c[2], 255, ids[i]});
    }
    return out;
}

void write_map_png(const std::string& path, const Dem& dem, const Raster<std::uint8_t>& categories,
                   const std::vector<ColorEntry>& palette, const std::string& title, const std::vector<MapLabel>& labels,
                   const std::vector<MapLine>& lines) {
    const Raster<float>& z = dem.raster();
    if (categories.width() != z.width() || categories.height() != z.height()) {
        throw InvalidArgument("write_map_png '" + path + "': the category raster is not on the DEM's grid");
    }
    // Shrink large grids by a whole factor so the picture stays under ~1600 px; enlarge small ones to ~700 px.
    const int longest = std::max(z.width(), z.height());
    const int factor = std::max(1, static_cast<int>(std::ceil(longest / 1600.0)));
    const int zoom = longest < 700 ? std::max(1, 700 / longest) : 1;
    const int map_w = z.width() / factor * zoom;
    const int map_h = z.height() / factor * zoom;
    constexpr int title_h = 34;
    std::size_t longest_label = 6;
    for (const auto& e : palette) {
        longest_label = std::max(longest_label, e.label.size());
    }
    std::vector<const MapLine*> line_entries; // the first line of each legend text, in drawing order
    for (const MapLine& l : lines) {
        if (!l.legend.empty() && std::none_of(line_entries.begin(), line_entries.end(), [&](const MapLine* e) { return e->legend == l.legend; })) {
            line_entries.push_back(&l);
            longest_label = std::max(longest_label, l.legend.size());
        }
    }
    const int legend_w = 28 + 14 + Image::text_width(std::string(longest_label, 'M'), 2) + 16;
    const int legend_h = 40 + static_cast<int>(palette.size() + line_entries.size()) * 26 + 30;
    Image img(std::max(map_w + legend_w, Image::text_width(title, 2) + 16), title_h + std::max(map_h, legend_h), Rgba{255, 255, 255, 255});

    for (int y = 0; y < map_h; ++y) {
        for (int x = 0; x < map_w; ++x) {
            const int col = x / zoom * factor;
            const int row = y / zoom * factor;
            const double shade = std::isnan(z.at(col, row)) ? 1.0 : 0.35 + 0.65 * hillshade(dem, col, row);
            const auto g = static_cast<std::uint8_t>(std::lround(255.0 * shade));
            Rgba px{g, g, g, 255};
            if (const auto c = colour_of(palette, categories.at(col, row))) {
                // 70 % category colour over the terrain shading.
                px = Rgba{static_cast<std::uint8_t>(0.7 * c->r + 0.3 * g), static_cast<std::uint8_t>(0.7 * c->g + 0.3 * g),
                          static_cast<std::uint8_t>(0.7 * c->b + 0.3 * g), 255};
            }
            img.set(x, title_h + y, px);
        }
    }
    const Rgba ink{20, 20, 20, 255};
    img.text(8, 10, title, 2, ink);
    const Rgba white{255, 255, 255, 255};
    for (const MapLine& l : lines) {
        std::vector<std::pair<int, int>> pts;
        for (const GeoPoint& g : l.points) {
            const PixelPoint p = z.transform().geo_to_pixel(dem.to_grid(g));
            pts.emplace_back(static_cast<int>(p.col / factor * zoom), title_h + static_cast<int>(p.row / factor * zoom));
        }
        for (std::size_t i = 1; l.halo && i < pts.size(); ++i) {
            line(img, pts[i - 1].first, pts[i - 1].second, pts[i].first, pts[i].second, white, l.width_px + 2, false);
        }
        for (std::size_t i = 1; i < pts.size(); ++i) {
            line(img, pts[i - 1].first, pts[i - 1].second, pts[i].first, pts[i].second, Rgba{l.red, l.green, l.blue, 255},
                 l.width_px, l.dashed);
        }
    }
    // Label boxes already placed (x, y, w, h): a new label takes the first free spot of right, left, above, below.
    struct Box {
        int x, y, w, h;
    };
    std::vector<Box> placed;
    auto overlaps = [&](const Box& b) {
        return std::any_of(placed.begin(), placed.end(), [&](const Box& o) {
            return b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h;
        });
    };
    auto fits = [&](const Box& b) { return b.x >= 0 && b.x + b.w <= map_w && b.y >= title_h && b.y + b.h <= title_h + map_h; };
    for (const MapLabel& l : labels) {
        const PixelPoint p = z.transform().geo_to_pixel(dem.to_grid(l.location));
        const int x = static_cast<int>(p.col / factor * zoom);
        const int y = title_h + static_cast<int>(p.row / factor * zoom);
        const int tw = Image::text_width(l.text, 1) + 2;
        std::vector<Box> spots;
        if (l.marker == MapLabel::Marker::tower) {
            for (int dy = 0; dy < 9; ++dy) {
                img.rect(x - dy / 2 - 1, y - 6 + dy, dy + 2, 1, white);
                img.rect(x - dy / 2, y - 5 + dy, dy, 1, ink);
            }
            placed.push_back(Box{x - 5, y - 6, 11, 11});
            spots = {{x - tw / 2, y + 5, tw, 10}, {x - tw / 2, y - 17, tw, 10}, {x + 7, y - 5, tw, 10}, {x - 7 - tw, y - 5, tw, 10}};
        } else {
            img.rect(x - 3, y - 3, 7, 7, ink);
            img.rect(x - 2, y - 2, 5, 5, white);
            placed.push_back(Box{x - 3, y - 3, 7, 7});
            spots = {{x + 6, y - 5, tw, 10}, {x - 6 - tw, y - 5, tw, 10}, {x - tw / 2, y - 16, tw, 10}, {x - tw / 2, y + 6, tw, 10}};
        }
        Box chosen = spots.front();
        for (const Box& b : spots) {
            if (fits(b) && !overlaps(b)) {
                chosen = b;
                break;
            }
        }
        chosen.x = std::clamp(chosen.x, 0, std::max(0, map_w - chosen.w));
        placed.push_back(chosen);
        img.rect(chosen.x, chosen.y, chosen.w, chosen.h, white); // halo for legibility
        img.text(chosen.x + 1, chosen.y + 1, l.text, 1, ink);
    }
    // Legend: swatch + label per entry, and the scale.
    const int lx = map_w + 14;
    int ly = title_h + 8;
    img.text(lx, ly, "LEGEND", 2, ink);
    ly += 30;
    for (const auto& e : palette) {
        img.rect(lx, ly, 20, 16, ink);
        img.rect(lx + 1, ly + 1, 18, 14, Rgba{e.red, e.green, e.blue, 255});
        img.text(lx + 28, ly + 1, e.label, 2, ink);
        ly += 26;
    }
    for (const MapLine* l : line_entries) {
        if (l->halo) {
            line(img, lx, ly + 8, lx + 20, ly + 8, white, l->width_px + 2, false);
        }
        line(img, lx, ly + 8, lx + 20, ly + 8, Rgba{l->red, l->green, l->blue, 255}, l->width_px, l->dashed);
        img.text(lx + 28, ly + 1, l->legend, 2, ink);
        ly += 26;
    }
    char scale[64];
    std::snprintf(scale, sizeof scale, "CELL %.0f M, 1 PX = %.0f M", dem.cell_size_m(), dem.cell_size_m() * factor / zoom);
    img.text(lx, ly + 8, scale, 1, ink);

    write_png(path, to_rgba(img));
}

void write_kmz(const std::string& path, const Raster<std::uint8_t>& categories, const std::vector<ColorEntry>& palette,
               const std::string& name) {
    Image img(categories.width(), categories.height(), Rgba{0, 0, 0, 0});
    for (int y = 0; y < categories.height(); ++y) {
        for (int x = 0; x < categories.width(); ++x) {
            if (const auto c = colour_of(palette, categories.at(x, y))) {
                img.set(x, y, Rgba{c->r, c->g, c->b, 190});
            }
        }
    }
    write_kmz_overlay(path, to_rgba(img), categories.transform(), categories.crs(), name);
}

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
