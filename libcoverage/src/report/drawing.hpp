// Private: the 2D drawing surface of the report's maps and charts: cairo for shapes and pixels, pango (HarfBuzz
// shaping) for text in the pinned Noto Sans files, so that every Vietnamese diacritic is drawn as written and the
// same input gives the same PNG on any machine with Debian's fonts-noto-core.
#ifndef COVERAGE_SRC_REPORT_DRAWING_HPP
#define COVERAGE_SRC_REPORT_DRAWING_HPP

#include <coverage/io/image_io.hpp>
#include <coverage/report/map_render.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using cairo_t = struct _cairo;

namespace coverage::detail {

/** An sRGB colour with opacity, components 0..255 (alpha 255 = opaque). */
struct Colour {
    std::uint8_t r = 0;
    std::uint8_t g = 0;
    std::uint8_t b = 0;
    std::uint8_t a = 255;
};

inline constexpr Colour ink{20, 20, 20, 255};
inline constexpr Colour white{255, 255, 255, 255};

/** Where a text's anchor point lies on its box. */
enum class Anchor { top_left, top_centre, top_right, centre_left, centre, centre_right, bottom_centre };

/** Text style: size in pixels (the font's em), weight, colour, and an optional halo drawn under the glyphs. */
struct TextStyle {
    double size_px = 13.0;
    bool bold = false;
    Colour colour = ink;
    double halo_px = 0.0; ///< width of a white outline around the glyphs (0: none)
};

/** The files of the pinned font, in font_dir(), and the Debian package that provides them (named in errors). */
inline constexpr const char* font_regular_file = "NotoSans-Regular.ttf";
inline constexpr const char* font_bold_file = "NotoSans-Bold.ttf";
/** Glyphs Noto Sans lacks (≥, −, →) come from Noto Sans Math, in the same package. */
inline constexpr const char* font_symbols_file = "NotoSansMath-Regular.ttf";
inline constexpr const char* font_package = "fonts-noto-core";
/** Where the pinned font files are: $LIBCOVERAGE_FONT_DIR when set (a system without Debian's layout), else
 *  /usr/share/fonts/truetype/noto. */
[[nodiscard]] std::string font_dir();

/**
 * A drawing of width × height pixels on a white background. Coordinates are in pixels, y down. As a PNG it is those
 * pixels; as a PDF or SVG the same shapes and text are kept as vectors (text stays text, in the embedded font subset)
 * and pictures painted with pixels() are embedded as images; a PDF page measures 0.75 pt per pixel (96 pixels to
 * the inch, as CSS).
 * One Drawing per thread; drawings on different threads are independent.
 * @throws IoError naming the font file and its package when the pinned font is missing.
 */
class Drawing {
public:
    Drawing(int width_px, int height_px, PictureFormat format = PictureFormat::png);
    ~Drawing();
    Drawing(const Drawing&) = delete;
    Drawing& operator=(const Drawing&) = delete;

    [[nodiscard]] int width() const { return m_width; }
    [[nodiscard]] int height() const { return m_height; }

    /** Pixels (row-major RGBA, straight alpha) painted 1:1 with their top-left corner at (x, y). */
    void pixels(const RgbaImage& image, int x, int y);
    void fill_rect(double x, double y, double w, double h, Colour c);
    void stroke_rect(double x, double y, double w, double h, Colour c, double line_px);
    /** A polyline; `halo_px` > 0 draws a white casing that much wider first. */
    void polyline(const std::vector<std::pair<double, double>>& points, Colour c, double line_px, bool dashed = false,
                  double halo_px = 0.0);
    /** A closed, filled polygon with an outline (outline_px 0: none). */
    void polygon(const std::vector<std::pair<double, double>>& points, Colour fill, Colour outline, double outline_px);

    /** How many characters of the text the pinned fonts have no glyph for (drawn as boxes). */
    [[nodiscard]] int missing_glyphs(const std::string& utf8, const TextStyle& style) const;
    /** The size (width, height) of one line of text in pixels. */
    [[nodiscard]] std::pair<double, double> measure(const std::string& utf8, const TextStyle& style) const;
    /** One line of text whose box has `anchor` at (x, y). */
    void text(double x, double y, const std::string& utf8, const TextStyle& style, Anchor anchor = Anchor::top_left);
    /** Text wrapped at word boundaries to `width_px`, top-left at (x, y); returns its height. draw = false only measures. */
    double paragraph(double x, double y, double width_px, const std::string& utf8, const TextStyle& style, bool draw = true);

    /** The drawing's pixels, RGBA with straight alpha, for io's PNG writer. std::logic_error for a PDF or SVG drawing. */
    [[nodiscard]] RgbaImage to_rgba() const;
    /**
     * The finished file in the drawing's format (PNG, PDF or SVG bytes). Nothing may be drawn afterwards.
     * @throws IoError with cairo's reason when the document cannot be completed.
     */
    [[nodiscard]] std::string finish();

private:
    void show(double x, double y, double w, double h, const TextStyle& style, Anchor anchor); // the text last laid out
    struct Impl;
    int m_width;
    int m_height;
    PictureFormat m_format;
    std::unique_ptr<Impl> m_impl;
};

class Messages;

/** A "nice" axis tick step (1, 2 or 5 × 10^k) giving about `target` ticks over `span`. */
[[nodiscard]] double nice_tick_step(double span, int target);

/** An axis tick's number as the chart's language writes it: whole numbers grouped by thousands, fractions with the
 *  digits they need (at most 3); −0 as 0. */
[[nodiscard]] std::string tick_label(double v, const Messages& m);

} // namespace coverage::detail

#endif // COVERAGE_SRC_REPORT_DRAWING_HPP
