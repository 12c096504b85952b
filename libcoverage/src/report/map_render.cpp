// Maps: a categorical raster over a hillshade, with title, legend, lines, labels that avoid each other, a scale bar, a
// north arrow and latitude/longitude ticks (PNG through report/drawing), and the raster alone as a KMZ overlay.

#include <coverage/core/error.hpp>
#include <coverage/io/image_io.hpp>
#include <coverage/report/map_render.hpp>

#include <coverage/core/atomic_file.hpp>

#include "core/messages.hpp"
#include "report/drawing.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace coverage {

using namespace detail;

namespace {

// Lambertian hillshade, sun from the north-west at 45°, as in most GIS: cos of the angle between the sun and the
// surface normal (−∂z/∂x, −∂z/∂y, 1)/√(1 + |∇z|²), written without the slope and aspect angles (no arc tangent,
// sine or cosine per pixel: the same value as cos zenith·cos slope + sin zenith·sin slope·cos(azimuth − aspect)).
constexpr double sun_zenith = (90.0 - 45.0) * std::numbers::pi / 180.0;
constexpr double sun_azimuth = (360.0 - 315.0 + 90.0) * std::numbers::pi / 180.0; // in the aspect's convention
const double cos_zenith = std::cos(sun_zenith);
const double sun_east = -std::sin(sun_zenith) * std::cos(sun_azimuth); // weights of ∂z/∂east and ∂z/∂south
const double sun_south = std::sin(sun_zenith) * std::sin(sun_azimuth);
constexpr double darkest_shade = 0.35; // the brightness of a slope facing away from the sun
constexpr double shade_range = 1.0 - darkest_shade;

// The brightness of a row of cells under the hillshade, 0.35 + 0.65·hillshade (1 on a void), for the cells
// (k·step, row), k < n. The gradients cell by cell, then the division, the square root and the clamp of the whole row
// without a branch, two cells at a time where SSE2 is there (cell by cell, with the library's square root and the
// clamp's branches, they were a third of the map picture's time). The same arithmetic, correctly rounded: the same values.
class RowShading {
public:
    const std::vector<double>& operator()(const Dem& dem, int row, int step, int n) {
        const auto size = static_cast<std::size_t>(n);
        m_num.resize(size);
        m_den.resize(size);
        m_out.resize(size);
        const Raster<float>& z = dem.raster();
        for (std::size_t k = 0; k < size; ++k) {
            const Dem::Gradient g = dem.gradient(static_cast<int>(k) * step, row);
            m_num[k] = cos_zenith + sun_east * g.dz_east + sun_south * g.dz_south;
            m_den[k] = 1.0 + g.dz_east * g.dz_east + g.dz_south * g.dz_south;
        }
        std::size_t k = 0;
#if defined(__SSE2__)
        const __m128d zero = _mm_set1_pd(0.0);
        const __m128d one = _mm_set1_pd(1.0);
        const __m128d darkest = _mm_set1_pd(darkest_shade);
        const __m128d range = _mm_set1_pd(shade_range);
        for (; k + 2 <= size; k += 2) {
            // min(max(s, 0), 1) is std::clamp(s, 0, 1) for every s but NaN, which a finite gradient never gives
            const __m128d s = _mm_min_pd(_mm_max_pd(_mm_div_pd(_mm_loadu_pd(&m_num[k]), _mm_sqrt_pd(_mm_loadu_pd(&m_den[k]))), zero), one);
            _mm_storeu_pd(&m_out[k], _mm_add_pd(darkest, _mm_mul_pd(range, s)));
        }
#endif
        for (; k < size; ++k) {
            m_out[k] = darkest_shade + shade_range * std::clamp(m_num[k] / std::sqrt(m_den[k]), 0.0, 1.0);
        }
        for (std::size_t v = 0; v < size; ++v) {
            if (std::isnan(z.at(static_cast<int>(v) * step, row))) {
                m_out[v] = 1.0;
            }
        }
        return m_out;
    }

private:
    std::vector<double> m_num;
    std::vector<double> m_den;
    std::vector<double> m_out;
};

// std::lround of a value in [0, 255] (halves away from zero), without the library call: the integer part is exact, and
// so is the fraction left.
inline std::uint8_t round_byte(double v) {
    const int t = static_cast<int>(v);
    return static_cast<std::uint8_t>(t + (v - t >= 0.5 ? 1 : 0));
}

const ColorEntry* entry_of(const std::vector<ColorEntry>& palette, int value) {
    for (const auto& e : palette) {
        if (e.value == value) {
            return &e;
        }
    }
    return nullptr;
}

// The palette entry of each of the 256 category values (entry_of's answer), looked up once per picture.
std::array<const ColorEntry*, 256> entries_of(const std::vector<ColorEntry>& palette) {
    std::array<const ColorEntry*, 256> table{};
    for (int v = 0; v < 256; ++v) {
        table[static_cast<std::size_t>(v)] = entry_of(palette, v);
    }
    return table;
}

// A "nice" step (1, 2 or 5 × 10^k) no larger than `most`.
double nice_below(double most) {
    const double mag = std::pow(10.0, std::floor(std::log10(most)));
    for (const double m : {5.0, 2.0, 1.0}) {
        if (m * mag <= most) {
            return m * mag;
        }
    }
    return mag;
}

std::string number_text(double v, int decimals, bool decimal_comma) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (decimal_comma) {
        std::replace(s.begin(), s.end(), '.', ',');
    }
    return s;
}

struct Box {
    double x, y, w, h;
    [[nodiscard]] bool overlaps(const Box& o) const { return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h; }
};

} // namespace

const char* to_string(PictureFormat format) {
    switch (format) {
    case PictureFormat::png: return "png";
    case PictureFormat::pdf: return "pdf";
    case PictureFormat::svg: return "svg";
    }
    return "?";
}

PictureFormat picture_format_of(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const PictureFormat f : {PictureFormat::png, PictureFormat::pdf, PictureFormat::svg}) {
        if (ext == std::string(".") + to_string(f)) {
            return f;
        }
    }
    throw InvalidArgument("picture '" + path + "': the file name must end in .png, .pdf or .svg");
}

void write_map_png(const std::string& path, const Dem& dem, const Raster<std::uint8_t>& categories,
                   const std::vector<ColorEntry>& palette, const std::string& title, const std::vector<MapLabel>& labels,
                   const std::vector<MapLine>& lines, const MapWords& words) {
    const PictureFormat format = picture_format_of(path);
    std::string bytes;
    try {
        bytes = map_picture(format, dem, categories, palette, title, labels, lines, words);
    } catch (const InvalidArgument& e) {
        throw InvalidArgument("map '" + path + "': " + e.what());
    }
    write_file_atomically(path, bytes);
}

std::string map_png(const Dem& dem, const Raster<std::uint8_t>& categories, const std::vector<ColorEntry>& palette,
                    const std::string& title, const std::vector<MapLabel>& labels, const std::vector<MapLine>& lines,
                    const MapWords& words) {
    return map_picture(PictureFormat::png, dem, categories, palette, title, labels, lines, words);
}

std::string map_picture(PictureFormat format, const Dem& dem, const Raster<std::uint8_t>& categories,
                        const std::vector<ColorEntry>& palette, const std::string& title, const std::vector<MapLabel>& labels,
                        const std::vector<MapLine>& lines, const MapWords& words) {
    const Raster<float>& z = dem.raster();
    if (categories.width() != z.width() || categories.height() != z.height()) {
        throw InvalidArgument("the category raster is not on the DEM's grid");
    }
    // Shrink large grids by a whole factor so the picture stays under ~1600 px; enlarge small ones to about 1000 px.
    const int longest = std::max(z.width(), z.height());
    const int factor = std::max(1, static_cast<int>(std::ceil(longest / 1600.0)));
    const int zoom = longest < 700 ? std::max(1, static_cast<int>(std::lround(1000.0 / longest))) : 1;
    const int map_w = z.width() / factor * zoom;
    const int map_h = z.height() / factor * zoom;

    const TextStyle title_style{.size_px = 22.0, .bold = true};
    const TextStyle legend_head{.size_px = 16.0, .bold = true};
    const TextStyle legend_text{.size_px = 14.0};
    const TextStyle tick_text{.size_px = 11.0, .colour = Colour{60, 60, 60, 255}};
    const TextStyle label_text{.size_px = 13.0, .halo_px = 2.5};
    const TextStyle notice_text{.size_px = 13.0, .bold = true, .colour = Colour{180, 30, 20, 255}};

    // Legend entries: palette swatches, then one line sample per distinct legend text.
    std::vector<const MapLine*> line_entries;
    for (const MapLine& l : lines) {
        if (!l.legend.empty() &&
            std::none_of(line_entries.begin(), line_entries.end(), [&](const MapLine* e) { return e->legend == l.legend; })) {
            line_entries.push_back(&l);
        }
    }
    constexpr double margin_left = 62.0; // latitude tick labels
    constexpr double margin_bottom = 30.0; // longitude tick labels
    constexpr double title_h = 46.0;
    constexpr double legend_w = 330.0;
    constexpr double swatch_w = 26.0;
    constexpr double row_h = 26.0;
    Drawing probe(1, 1); // measures text before the picture's size is known
    double legend_h = 34.0 + row_h * static_cast<double>(palette.size() + line_entries.size()) + 8.0;
    const double text_w = legend_w - swatch_w - 24.0;
    for (const auto& e : palette) {
        legend_h += std::max(0.0, probe.paragraph(0, 0, text_w, e.label, legend_text, false) - row_h + 6.0);
    }
    if (!words.notice.empty()) {
        legend_h += 12.0 + probe.paragraph(0, 0, legend_w - 12.0, words.notice, notice_text, false);
    }
    const double title_w = probe.measure(title, title_style).first + 24.0;
    const int width = static_cast<int>(std::ceil(std::max(margin_left + map_w + legend_w, title_w)));
    const int height = static_cast<int>(std::ceil(title_h + std::max(map_h + margin_bottom, legend_h)));
    Drawing d(width, height, format);
    const double mx = margin_left;
    const double my = title_h;

    // The raster: hillshade, 70 % category colour over it.
    RgbaImage base{.width = map_w, .height = map_h, .rgba = std::vector<std::uint8_t>(static_cast<std::size_t>(map_w) * map_h * 4)};
    const std::array<const ColorEntry*, 256> entry = entries_of(palette);
    RowShading shading;
    const int cells_across = (map_w + zoom - 1) / zoom; // the cells (x / zoom)·factor of the picture's columns x
    const auto row_bytes = static_cast<std::size_t>(map_w) * 4;
    // Picture rows y0 .. y0 + zoom − 1 show the same cell row: the first is drawn, the others are copies of it.
    for (int y0 = 0; y0 < map_h; y0 += zoom) {
        const int row = y0 / zoom * factor;
        const std::vector<double>& shade = shading(dem, row, factor, cells_across);
        std::uint8_t* line = base.rgba.data() + static_cast<std::size_t>(y0) * row_bytes;
        for (int x = 0; x < map_w; ++x) {
            const int col = x / zoom * factor;
            const double g = 255.0 * shade[static_cast<std::size_t>(x / zoom)];
            double r = g;
            double gr = g;
            double b = g;
            if (const ColorEntry* c = entry[categories.at(col, row)]) {
                r = 0.7 * c->red + 0.3 * g;
                gr = 0.7 * c->green + 0.3 * g;
                b = 0.7 * c->blue + 0.3 * g;
            }
            std::uint8_t* p = line + static_cast<std::size_t>(x) * 4;
            p[0] = round_byte(r);
            p[1] = round_byte(gr);
            p[2] = round_byte(b);
            p[3] = 255;
        }
        for (int y = y0 + 1; y < std::min(map_h, y0 + zoom); ++y) {
            std::copy_n(line, row_bytes, base.rgba.data() + static_cast<std::size_t>(y) * row_bytes);
        }
    }
    d.pixels(base, static_cast<int>(mx), static_cast<int>(my));
    d.text(mx, 10.0, title, title_style);

    // Map position of a geographic point and of a grid point (cell edges, so the frame is the grid's extent).
    const auto grid_to_map = [&](GridPoint g) {
        const PixelPoint p = z.transform().geo_to_pixel(g);
        return std::pair<double, double>{mx + p.col / factor * zoom, my + p.row / factor * zoom};
    };
    const auto to_map = [&](GeoPoint g) { return grid_to_map(dem.to_grid(g)); };
    const auto map_to_geo = [&](double x, double y) {
        return dem.to_geo(z.transform().pixel_to_geo(PixelPoint{.col = (x - mx) * factor / zoom, .row = (y - my) * factor / zoom}));
    };

    for (const MapLine& l : lines) {
        std::vector<std::pair<double, double>> pts;
        pts.reserve(l.points.size());
        for (const GeoPoint& g : l.points) {
            pts.push_back(to_map(g));
        }
        d.polyline(pts, Colour{l.red, l.green, l.blue, 255}, l.width_px, l.dashed, l.halo ? 1.0 : 0.0);
    }

    // Markers first (they must stay visible), then labels at the first free spot of eight around each marker.
    std::vector<Box> placed;
    const Box inside{mx, my, static_cast<double>(map_w), static_cast<double>(map_h)};
    const auto fits = [&](const Box& b) { return b.x >= inside.x && b.y >= inside.y && b.x + b.w <= inside.x + inside.w && b.y + b.h <= inside.y + inside.h; };
    for (const MapLabel::Marker kind : {MapLabel::Marker::place, MapLabel::Marker::tower}) { // towers on top
        for (const MapLabel& l : labels) {
            if (l.marker != kind) {
                continue;
            }
            const auto [x, y] = to_map(l.location);
            if (kind == MapLabel::Marker::tower) {
                d.polygon({{x, y - 9.0}, {x - 7.0, y + 5.0}, {x + 7.0, y + 5.0}}, ink, white, 1.5);
                placed.push_back(Box{x - 8.0, y - 10.0, 16.0, 16.0});
            } else {
                d.fill_rect(x - 4.0, y - 4.0, 8.0, 8.0, white);
                d.stroke_rect(x - 4.0, y - 4.0, 8.0, 8.0, ink, 2.0);
                placed.push_back(Box{x - 5.0, y - 5.0, 10.0, 10.0});
            }
        }
    }
    for (const MapLabel& l : labels) {
        const auto [x, y] = to_map(l.location);
        const auto [tw, th] = d.measure(l.text, label_text);
        const double gap = 8.0;
        const std::array<Box, 8> spots{{
            {x + gap, y - th / 2.0, tw, th},                 // right
            {x - gap - tw, y - th / 2.0, tw, th},            // left
            {x - tw / 2.0, y - gap - th, tw, th},            // above
            {x - tw / 2.0, y + gap, tw, th},                 // below
            {x + gap * 0.7, y - gap * 0.7 - th, tw, th},     // above right
            {x + gap * 0.7, y + gap * 0.7, tw, th},          // below right
            {x - gap * 0.7 - tw, y - gap * 0.7 - th, tw, th},// above left
            {x - gap * 0.7 - tw, y + gap * 0.7, tw, th},     // below left
        }};
        Box chosen = spots.front();
        bool found = false;
        for (const Box& b : spots) {
            if (fits(b) && std::none_of(placed.begin(), placed.end(), [&](const Box& o) { return b.overlaps(o); })) {
                chosen = b;
                found = true;
                break;
            }
        }
        if (!found) { // every spot is taken: the first one that stays on the map, overlapping
            for (const Box& b : spots) {
                if (fits(b)) {
                    chosen = b;
                    break;
                }
            }
        }
        placed.push_back(chosen);
        d.text(chosen.x, chosen.y, l.text, label_text);
    }

    d.stroke_rect(mx, my, map_w, map_h, ink, 1.0);

    // Latitude / longitude ticks on the frame: a whole step of 1, 2 or 5 × 10^k degrees, 3 to 6 ticks a side.
    {
        const GeoPoint sw = map_to_geo(mx, my + map_h);
        const GeoPoint ne = map_to_geo(mx + map_w, my);
        const auto ticks = [&](double lo, double hi, bool along_bottom) {
            const double step = nice_below((hi - lo) / 3.0);
            const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
            for (double v = std::ceil(lo / step) * step; v <= hi; v += step) {
                // Where the meridian (parallel) v crosses the bottom (left) edge: bisection on the edge.
                double a = along_bottom ? mx : my + map_h;
                double b = along_bottom ? mx + map_w : my;
                for (int it = 0; it < 40; ++it) {
                    const double m = 0.5 * (a + b);
                    const GeoPoint g = along_bottom ? map_to_geo(m, my + map_h) : map_to_geo(mx, m);
                    ((along_bottom ? g.lon_deg : g.lat_deg) < v ? a : b) = m;
                }
                const double at = 0.5 * (a + b);
                // West of Greenwich and south of the equator as 71,48°W / 19,4°S, not as negative east and north.
                const std::string& hemisphere = along_bottom ? (v < 0.0 ? words.degrees_west : words.degrees_east)
                                                             : (v < 0.0 ? words.degrees_south : words.degrees_north);
                const std::string t = number_text(std::fabs(v), decimals, words.decimal_comma) + hemisphere;
                if (along_bottom) {
                    d.polyline({{at, my + map_h}, {at, my + map_h + 5.0}}, ink, 1.0);
                    d.text(at, my + map_h + 7.0, t, tick_text, Anchor::top_centre);
                } else {
                    d.polyline({{mx - 5.0, at}, {mx, at}}, ink, 1.0);
                    d.text(mx - 7.0, at, t, tick_text, Anchor::centre_right);
                }
            }
        };
        ticks(std::min(sw.lon_deg, ne.lon_deg), std::max(sw.lon_deg, ne.lon_deg), true);
        ticks(std::min(sw.lat_deg, ne.lat_deg), std::max(sw.lat_deg, ne.lat_deg), false);
    }

    // Scale bar, bottom left inside the frame: a whole 1, 2 or 5 × 10^k metres no longer than a quarter of the map.
    {
        const double m_per_px = dem.cell_size_m() * factor / zoom;
        const double metres = nice_below(0.25 * map_w * m_per_px);
        const double bar = metres / m_per_px;
        const double x0 = mx + 12.0;
        const double y0 = my + map_h - 16.0;
        const std::string unit = metres >= 1000.0 ? number_text(metres / 1000.0, metres >= 1000.0 && std::fmod(metres, 1000.0) != 0.0 ? 1 : 0,
                                                                words.decimal_comma) + " km"
                                                  : number_text(metres, 0, words.decimal_comma) + " m";
        d.fill_rect(x0 - 6.0, y0 - 22.0, bar + 12.0 + d.measure(unit, tick_text).first / 2.0, 32.0, Colour{255, 255, 255, 200});
        d.fill_rect(x0, y0, bar / 2.0, 5.0, ink);
        d.fill_rect(x0 + bar / 2.0, y0, bar / 2.0, 5.0, white);
        d.stroke_rect(x0, y0, bar, 5.0, ink, 1.0);
        d.text(x0, y0 - 2.0, "0", tick_text, Anchor::bottom_centre);
        d.text(x0 + bar, y0 - 2.0, unit, tick_text, Anchor::bottom_centre);
    }

    // North arrow, top right inside the frame, pointing to true north (the grid may be turned from it).
    {
        const double cx = mx + map_w - 28.0;
        const double cy = my + 40.0;
        const GeoPoint c = map_to_geo(cx, cy);
        const auto [nx, ny] = to_map(GeoPoint{.lat_deg = c.lat_deg + 0.01, .lon_deg = c.lon_deg});
        const double len = std::hypot(nx - cx, ny - cy);
        const double ux = len > 0.0 ? (nx - cx) / len : 0.0;
        const double uy = len > 0.0 ? (ny - cy) / len : -1.0;
        const double r = 16.0;
        const auto at = [&](double along, double across) { return std::pair<double, double>{cx + ux * along - uy * across, cy + uy * along + ux * across}; };
        d.fill_rect(cx - 22.0, cy - 36.0, 44.0, 60.0, Colour{255, 255, 255, 200});
        d.polygon({at(r, 0.0), at(-r * 0.6, 8.0), at(-r * 0.2, 0.0)}, ink, ink, 1.0);
        d.polygon({at(r, 0.0), at(-r * 0.2, 0.0), at(-r * 0.6, -8.0)}, white, ink, 1.0);
        const auto [lx, ly] = at(r + 9.0, 0.0);
        d.text(lx, ly, words.north, TextStyle{.size_px = 14.0, .bold = true}, Anchor::centre);
    }

    // Legend: heading, swatch + label per entry (wrapped), line samples, then the notice.
    const double lx = mx + map_w + 18.0;
    double ly = my;
    d.text(lx, ly, words.legend, legend_head);
    ly += 30.0;
    for (const auto& e : palette) {
        d.fill_rect(lx, ly + 2.0, swatch_w - 4.0, 16.0, Colour{e.red, e.green, e.blue, 255});
        d.stroke_rect(lx, ly + 2.0, swatch_w - 4.0, 16.0, ink, 1.0);
        const double h = d.paragraph(lx + swatch_w + 4.0, ly, text_w, e.label, legend_text);
        ly += std::max(row_h, h + 6.0);
    }
    for (const MapLine* l : line_entries) {
        d.polyline({{lx, ly + 10.0}, {lx + swatch_w - 4.0, ly + 10.0}}, Colour{l->red, l->green, l->blue, 255}, l->width_px, l->dashed,
                   l->halo ? 1.0 : 0.0);
        d.paragraph(lx + swatch_w + 4.0, ly, text_w, l->legend, legend_text);
        ly += row_h;
    }
    if (!words.notice.empty()) {
        d.paragraph(lx, ly + 12.0, legend_w - 12.0 - 18.0, words.notice, notice_text);
    }
    return d.finish();
}

namespace {

// Whole factor that keeps a grid's picture at most 1600 pixels a side.
int shrink_factor(int width, int height) { return std::max(1, static_cast<int>(std::ceil(std::max(width, height) / 1600.0))); }

} // namespace

GridPicture hillshade_picture(const Dem& dem) {
    const Raster<float>& z = dem.raster();
    const int factor = shrink_factor(z.width(), z.height());
    const int w = z.width() / factor;
    const int h = z.height() / factor;
    RgbaImage img{.width = w, .height = h, .rgba = std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h * 4)};
    RowShading shading;
    for (int y = 0; y < h; ++y) {
        const std::vector<double>& shade = shading(dem, y * factor, factor, w);
        for (int x = 0; x < w; ++x) {
            const std::uint8_t g = round_byte(255.0 * shade[static_cast<std::size_t>(x)]);
            std::uint8_t* p = img.rgba.data() + (static_cast<std::size_t>(y) * w + x) * 4;
            p[0] = g;
            p[1] = g;
            p[2] = g;
            p[3] = 255;
        }
    }
    return GridPicture{encode_png(img), factor};
}

namespace {

// The picture of every factor-th cell of a category raster: each value's palette colour at `alpha`, transparent where
// the palette has none.
RgbaImage category_rgba(const Raster<std::uint8_t>& categories, const std::vector<ColorEntry>& palette, int factor, std::uint8_t alpha) {
    const int w = categories.width() / factor;
    const int h = categories.height() / factor;
    RgbaImage img{.width = w, .height = h, .rgba = std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h * 4, 0)};
    const std::array<const ColorEntry*, 256> entry = entries_of(palette);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            if (const ColorEntry* c = entry[categories.at(x * factor, y * factor)]) {
                std::uint8_t* p = img.rgba.data() + (static_cast<std::size_t>(y) * w + x) * 4;
                p[0] = c->red;
                p[1] = c->green;
                p[2] = c->blue;
                p[3] = alpha;
            }
        }
    }
    return img;
}

} // namespace

GridPicture category_picture(const Raster<std::uint8_t>& categories, const std::vector<ColorEntry>& palette, std::uint8_t alpha) {
    const int factor = shrink_factor(categories.width(), categories.height());
    return GridPicture{encode_png(category_rgba(categories, palette, factor, alpha)), factor};
}

const LeafletAssets& leaflet_assets() {
    static const LeafletAssets assets = [] {
        // $LIBCOVERAGE_LEAFLET_DIR when set (a system without Debian's layout), else where libjs-leaflet puts it.
        const char* given = std::getenv("LIBCOVERAGE_LEAFLET_DIR");
        const std::filesystem::path dir = given != nullptr && *given != '\0' ? given : "/usr/share/javascript/leaflet";
        const auto read = [&dir](const char* file) {
            const std::string path = (dir / file).string();
            std::ifstream f(path, std::ios::binary);
            if (!f) {
                throw IoError("'" + path + "' is missing: the report's interactive map is drawn with Leaflet "
                              "(install the Debian package libjs-leaflet)");
            }
            std::ostringstream s;
            s << f.rdbuf();
            return s.str();
        };
        LeafletAssets a;
        a.js = read("leaflet.min.js");
        if (const auto map = a.js.rfind("//# sourceMappingURL="); map != std::string::npos) {
            a.js.erase(map);
        }
        if (a.js.find("</script") != std::string::npos) {
            throw IoError("leaflet.min.js holds '</script' and cannot be inlined in a page");
        }
        a.css = std::regex_replace(read("leaflet.css"), std::regex(R"(url\([^)]*\))"), "none");
        std::smatch v;
        a.version = std::regex_search(a.js, v, std::regex(R"re(version\s*=\s*"([0-9.]+)")re")) ? v[1].str() : std::string("unknown");
        return a;
    }();
    return assets;
}

MapWords map_words(const std::string& language) {
    const Messages& m = Messages::of(language);
    return MapWords{.legend = m.text("map.legend"), .north = m.text("map.north"), .degrees_east = m.text("map.degrees_east"),
                    .degrees_north = m.text("map.degrees_north"), .degrees_west = m.text("map.degrees_west"),
                    .degrees_south = m.text("map.degrees_south"), .decimal_comma = m.text("format.decimal_separator") == ",", .notice = {}};
}

void write_kmz(const std::string& path, const Raster<std::uint8_t>& categories, const std::vector<ColorEntry>& palette,
               const std::string& name) {
    write_kmz_overlay(path, category_rgba(categories, palette, 1, 190), categories.transform(), categories.crs(), name);
}

} // namespace coverage
