// Private: the raster canvas the report's maps and charts are drawn on (pixels, rectangles, lines, the bitmap
// font's text), and its hand-over to io's PNG / KMZ writers.
#ifndef COVERAGE_SRC_REPORT_CANVAS_HPP
#define COVERAGE_SRC_REPORT_CANVAS_HPP

#include <coverage/io/image_io.hpp>
#include <coverage/io/raster_io.hpp>

#include "report/font5x7.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace coverage::detail {

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

inline std::optional<Rgba> colour_of(const std::vector<ColorEntry>& palette, int value) {
    for (const auto& e : palette) {
        if (e.value == value) {
            return Rgba{e.red, e.green, e.blue, e.alpha};
        }
    }
    return std::nullopt;
}

inline RgbaImage to_rgba(const Image& img) {
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

inline void line(Image& img, int x0, int y0, int x1, int y1, Rgba c, int thick = 1, bool dashed = false) {
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

} // namespace coverage::detail

#endif // COVERAGE_SRC_REPORT_CANVAS_HPP
