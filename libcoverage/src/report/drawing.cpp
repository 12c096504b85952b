// The report's drawing surface: cairo image surfaces, pango layouts on a font map that holds only the pinned Noto
// Sans files (no system font lookup, no hinting), so that text looks the same wherever the toolkit runs.

#include <coverage/core/error.hpp>

#include "report/drawing.hpp"
#include "core/messages.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace coverage::detail {

namespace {

// One font map per thread (pango's font maps are not shared between threads), holding only the pinned files.
struct FontMap {
    PangoFontMap* map = nullptr;
    FontMap() {
        FcConfig* config = FcConfigCreate();
        for (const char* file : {font_regular_file, font_bold_file, font_symbols_file}) {
            const std::string path = (std::filesystem::path(font_dir()) / file).string();
            if (!std::filesystem::is_regular_file(path) ||
                FcConfigAppFontAddFile(config, reinterpret_cast<const FcChar8*>(path.c_str())) == FcFalse) {
                FcConfigDestroy(config);
                throw IoError("font '" + path + "' is missing or unreadable: maps and charts are drawn with it "
                              "(install the Debian package " + font_package + ")");
            }
        }
        map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), config);
        FcConfigDestroy(config); // the font map keeps its own reference
    }
    ~FontMap() { g_object_unref(map); }
    FontMap(const FontMap&) = delete;
    FontMap& operator=(const FontMap&) = delete;
};

} // namespace

std::string font_dir() {
    const char* given = std::getenv("LIBCOVERAGE_FONT_DIR");
    return given != nullptr && *given != '\0' ? given : "/usr/share/fonts/truetype/noto";
}

namespace {

PangoFontMap* font_map() {
    thread_local FontMap m;
    return m.map;
}

// cairo's vector surfaces write their document through this callback, into the drawing's buffer.
cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

constexpr double pdf_pt_per_px = 0.75; // 96 px to the inch, 72 pt to the inch

void set_colour(cairo_t* cr, Colour c) {
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, c.a / 255.0);
}

} // namespace

struct Drawing::Impl {
    cairo_surface_t* surface = nullptr;
    cairo_t* cr = nullptr;
    PangoContext* context = nullptr;
    PangoLayout* layout = nullptr;
    std::string document; ///< a PDF's or SVG's bytes as cairo writes them

    void set_text(const std::string& utf8, const TextStyle& style, double wrap_width_px = -1.0) const {
        pango_layout_set_width(layout, wrap_width_px > 0.0 ? static_cast<int>(wrap_width_px * PANGO_SCALE) : -1);
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
        PangoFontDescription* font = pango_font_description_new();
        pango_font_description_set_family(font, "Noto Sans");
        pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_font_description_set_absolute_size(font, style.size_px * PANGO_SCALE);
        pango_layout_set_font_description(layout, font);
        pango_font_description_free(font);
        pango_layout_set_text(layout, utf8.c_str(), static_cast<int>(utf8.size()));
    }
};

Drawing::Drawing(int width_px, int height_px, PictureFormat format)
    : m_width(width_px), m_height(height_px), m_format(format), m_impl(std::make_unique<Impl>()) {
    if (width_px <= 0 || height_px <= 0 || width_px > 20000 || height_px > 20000) {
        throw InvalidArgument("drawing of " + std::to_string(width_px) + " x " + std::to_string(height_px) +
                              " pixels: each side must be 1..20000");
    }
    PangoFontMap* map = font_map(); // throws before anything is allocated when the font is missing
    switch (format) {
    case PictureFormat::png: m_impl->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width_px, height_px); break;
    case PictureFormat::pdf:
        m_impl->surface = cairo_pdf_surface_create_for_stream(append_bytes, &m_impl->document, width_px * pdf_pt_per_px,
                                                              height_px * pdf_pt_per_px);
        cairo_pdf_surface_set_metadata(m_impl->surface, CAIRO_PDF_METADATA_CREATOR, "libcoverage");
        // No creation time (cairo writes the current second otherwise): the same drawing gives the same file.
        cairo_pdf_surface_set_metadata(m_impl->surface, CAIRO_PDF_METADATA_CREATE_DATE, "");
        break;
    case PictureFormat::svg:
        m_impl->surface = cairo_svg_surface_create_for_stream(append_bytes, &m_impl->document, width_px, height_px);
        cairo_svg_surface_set_document_unit(m_impl->surface, CAIRO_SVG_UNIT_PX);
        break;
    }
    m_impl->cr = cairo_create(m_impl->surface);
    if (cairo_status(m_impl->cr) != CAIRO_STATUS_SUCCESS) {
        const std::string why = cairo_status_to_string(cairo_status(m_impl->cr));
        cairo_destroy(m_impl->cr);
        cairo_surface_destroy(m_impl->surface);
        throw IoError("drawing of " + std::to_string(width_px) + " x " + std::to_string(height_px) + " pixels: " + why);
    }
    if (format == PictureFormat::pdf) {
        cairo_scale(m_impl->cr, pdf_pt_per_px, pdf_pt_per_px);
    }
    set_colour(m_impl->cr, white);
    cairo_paint(m_impl->cr);
    m_impl->context = pango_font_map_create_context(map);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(m_impl->context, options);
    cairo_font_options_destroy(options);
    pango_cairo_update_context(m_impl->cr, m_impl->context);
    m_impl->layout = pango_layout_new(m_impl->context);
}

Drawing::~Drawing() {
    g_object_unref(m_impl->layout);
    g_object_unref(m_impl->context);
    cairo_destroy(m_impl->cr);
    cairo_surface_destroy(m_impl->surface);
}

void Drawing::pixels(const RgbaImage& image, int x, int y) {
    // cairo's ARGB32 is premultiplied, native-endian 32-bit words.
    cairo_surface_t* src = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, image.width, image.height);
    cairo_surface_flush(src);
    unsigned char* data = cairo_image_surface_get_data(src);
    const int stride = cairo_image_surface_get_stride(src);
    for (int row = 0; row < image.height; ++row) {
        auto* out = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(row) * stride);
        const std::uint8_t* in = image.rgba.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(image.width) * 4;
        for (int col = 0; col < image.width; ++col, in += 4) {
            const std::uint32_t a = in[3];
            const auto pre = [a](std::uint32_t v) { return (v * a + 127) / 255; };
            out[col] = (a << 24) | (pre(in[0]) << 16) | (pre(in[1]) << 8) | pre(in[2]);
        }
    }
    cairo_surface_mark_dirty(src);
    cairo_save(m_impl->cr);
    cairo_set_source_surface(m_impl->cr, src, x, y);
    cairo_pattern_set_filter(cairo_get_source(m_impl->cr), CAIRO_FILTER_NEAREST);
    cairo_paint(m_impl->cr);
    cairo_restore(m_impl->cr);
    cairo_surface_destroy(src);
}

void Drawing::fill_rect(double x, double y, double w, double h, Colour c) {
    set_colour(m_impl->cr, c);
    cairo_rectangle(m_impl->cr, x, y, w, h);
    cairo_fill(m_impl->cr);
}

void Drawing::stroke_rect(double x, double y, double w, double h, Colour c, double line_px) {
    set_colour(m_impl->cr, c);
    cairo_set_line_width(m_impl->cr, line_px);
    cairo_rectangle(m_impl->cr, x, y, w, h);
    cairo_stroke(m_impl->cr);
}

void Drawing::polyline(const std::vector<std::pair<double, double>>& points, Colour c, double line_px, bool dashed, double halo_px) {
    if (points.size() < 2) {
        return;
    }
    cairo_t* cr = m_impl->cr;
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, dashed ? CAIRO_LINE_CAP_BUTT : CAIRO_LINE_CAP_ROUND);
    const auto path = [&] {
        cairo_new_path(cr);
        cairo_move_to(cr, points.front().first, points.front().second);
        for (std::size_t i = 1; i < points.size(); ++i) {
            cairo_line_to(cr, points[i].first, points[i].second);
        }
    };
    if (halo_px > 0.0) {
        path();
        set_colour(cr, white);
        cairo_set_line_width(cr, line_px + 2.0 * halo_px);
        cairo_stroke(cr);
    }
    path();
    if (dashed) {
        const double dash[] = {3.0 * line_px, 2.0 * line_px};
        cairo_set_dash(cr, dash, 2, 0.0);
    }
    set_colour(cr, c);
    cairo_set_line_width(cr, line_px);
    cairo_stroke(cr);
    cairo_restore(cr);
}

void Drawing::polygon(const std::vector<std::pair<double, double>>& points, Colour fill, Colour outline, double outline_px) {
    if (points.size() < 3) {
        return;
    }
    cairo_t* cr = m_impl->cr;
    cairo_new_path(cr);
    cairo_move_to(cr, points.front().first, points.front().second);
    for (std::size_t i = 1; i < points.size(); ++i) {
        cairo_line_to(cr, points[i].first, points[i].second);
    }
    cairo_close_path(cr);
    set_colour(cr, fill);
    if (outline_px > 0.0) {
        cairo_fill_preserve(cr);
        set_colour(cr, outline);
        cairo_set_line_width(cr, outline_px);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
}

int Drawing::missing_glyphs(const std::string& utf8, const TextStyle& style) const {
    m_impl->set_text(utf8, style);
    return pango_layout_get_unknown_glyphs_count(m_impl->layout);
}

std::pair<double, double> Drawing::measure(const std::string& utf8, const TextStyle& style) const {
    m_impl->set_text(utf8, style);
    PangoRectangle logical{};
    pango_layout_get_extents(m_impl->layout, nullptr, &logical);
    return {static_cast<double>(logical.width) / PANGO_SCALE, static_cast<double>(logical.height) / PANGO_SCALE};
}

void Drawing::text(double x, double y, const std::string& utf8, const TextStyle& style, Anchor anchor) {
    const auto [w, h] = measure(utf8, style); // also lays the text out
    show(x, y, w, h, style, anchor);
}

double Drawing::paragraph(double x, double y, double width_px, const std::string& utf8, const TextStyle& style, bool draw) {
    m_impl->set_text(utf8, style, width_px);
    PangoRectangle logical{};
    pango_layout_get_extents(m_impl->layout, nullptr, &logical);
    const double h = static_cast<double>(logical.height) / PANGO_SCALE;
    if (draw) {
        show(x, y, 0.0, h, style, Anchor::top_left);
    }
    return h;
}

void Drawing::show(double x, double y, double w, double h, const TextStyle& style, Anchor anchor) {
    double left = x;
    double top = y;
    switch (anchor) {
    case Anchor::top_left: break;
    case Anchor::top_centre: left -= w / 2.0; break;
    case Anchor::top_right: left -= w; break;
    case Anchor::centre_left: top -= h / 2.0; break;
    case Anchor::centre: left -= w / 2.0; top -= h / 2.0; break;
    case Anchor::centre_right: left -= w; top -= h / 2.0; break;
    case Anchor::bottom_centre: left -= w / 2.0; top -= h; break;
    }
    cairo_t* cr = m_impl->cr;
    cairo_save(cr);
    cairo_move_to(cr, left, top);
    if (style.halo_px > 0.0) {
        pango_cairo_layout_path(cr, m_impl->layout);
        set_colour(cr, white);
        cairo_set_line_width(cr, 2.0 * style.halo_px);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_move_to(cr, left, top);
    }
    set_colour(cr, style.colour);
    pango_cairo_show_layout(cr, m_impl->layout);
    cairo_restore(cr);
}

std::string Drawing::finish() {
    if (m_format == PictureFormat::png) {
        return encode_png(to_rgba());
    }
    cairo_surface_finish(m_impl->surface);
    if (cairo_surface_status(m_impl->surface) != CAIRO_STATUS_SUCCESS) {
        throw IoError(std::string("drawing a ") + to_string(m_format) + " document: " +
                      cairo_status_to_string(cairo_surface_status(m_impl->surface)));
    }
    return std::move(m_impl->document);
}

RgbaImage Drawing::to_rgba() const {
    if (m_format != PictureFormat::png) {
        throw std::logic_error(std::string("a ") + to_string(m_format) + " drawing has no pixels");
    }
    cairo_surface_flush(m_impl->surface);
    const unsigned char* data = cairo_image_surface_get_data(m_impl->surface);
    const int stride = cairo_image_surface_get_stride(m_impl->surface);
    RgbaImage out{.width = m_width, .height = m_height, .rgba = std::vector<std::uint8_t>(static_cast<std::size_t>(m_width) * m_height * 4)};
    std::uint8_t* o = out.rgba.data();
    for (int row = 0; row < m_height; ++row) {
        const auto* in = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(row) * stride);
        for (int col = 0; col < m_width; ++col, o += 4) {
            const std::uint32_t px = in[col];
            const std::uint32_t a = px >> 24;
            if (a == 255) { // opaque (most of a picture): nothing to un-premultiply
                o[0] = static_cast<std::uint8_t>(px >> 16);
                o[1] = static_cast<std::uint8_t>(px >> 8);
                o[2] = static_cast<std::uint8_t>(px);
                o[3] = 255;
                continue;
            }
            const auto un = [a](std::uint32_t v) { return a == 0 ? 0U : std::min(255U, (v * 255 + a / 2) / a); };
            o[0] = static_cast<std::uint8_t>(un((px >> 16) & 0xFF));
            o[1] = static_cast<std::uint8_t>(un((px >> 8) & 0xFF));
            o[2] = static_cast<std::uint8_t>(un(px & 0xFF));
            o[3] = static_cast<std::uint8_t>(a);
        }
    }
    return out;
}

double nice_tick_step(double span, int target) {
    const double raw = span / std::max(1, target);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * mag >= raw) {
            return m * mag;
        }
    }
    return 10.0 * mag;
}

std::string tick_label(double v, const Messages& m) {
    int decimals = 0;
    while (decimals < 3 && std::fabs(v * std::pow(10.0, decimals) - std::round(v * std::pow(10.0, decimals))) > 1e-9) {
        ++decimals;
    }
    return m.number(std::fabs(v) < 1e-12 ? 0.0 : v, decimals);
}

} // namespace coverage::detail
