// Maps: a categorical raster over a hillshade with title, legend, lines and labels (PNG), and as a KMZ overlay.

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

} // namespace

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

} // namespace coverage
