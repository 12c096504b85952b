// PNG encoding (libpng) and KMZ super-overlays (reprojected by GDAL, tiled and archived here).

#include <coverage/io/image_io.hpp>

#include <coverage/core/atomic_file.hpp>
#include <coverage/core/error.hpp>

#include "core/atomic_file_detail.hpp"
#include "core/text.hpp"
#include "io/gdal_common.hpp"
#include "io/raster_writer.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <png.h>

#include <csetjmp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace coverage {

namespace {

// The image's pixel count; InvalidArgument unless it holds width · height · 4 bytes.
std::size_t checked_pixels(const RgbaImage& img) {
    const std::size_t n = static_cast<std::size_t>(std::max(img.width, 0)) * static_cast<std::size_t>(std::max(img.height, 0));
    if (img.width <= 0 || img.height <= 0 || img.rgba.size() != n * 4) {
        throw InvalidArgument("image: " + std::to_string(img.rgba.size()) + " bytes for " + std::to_string(img.width) + " x " +
                              std::to_string(img.height) + " RGBA pixels");
    }
    return n;
}

detail::DatasetPtr rgba_dataset(const RgbaImage& img, const GeoTransform& gt, const Crs& crs) {
    const std::size_t n = checked_pixels(img);
    detail::DatasetPtr ds = detail::mem_dataset(img.width, img.height, 4, GDT_Byte, gt, crs);
    std::vector<std::uint8_t> band(n);
    for (int b = 0; b < 4; ++b) {
        for (std::size_t i = 0; i < n; ++i) {
            band[i] = img.rgba[i * 4 + static_cast<std::size_t>(b)];
        }
        GDALRasterBand* rb = ds->GetRasterBand(b + 1);
        if (rb->RasterIO(GF_Write, 0, 0, img.width, img.height, band.data(), img.width, img.height, GDT_Byte, 0, 0) != CE_None) {
            throw IoError("rendering failed: " + detail::last_gdal_error());
        }
        rb->SetColorInterpretation(b == 0 ? GCI_RedBand : b == 1 ? GCI_GreenBand : b == 2 ? GCI_BlueBand : GCI_AlphaBand);
    }
    return ds;
}

} // namespace

namespace {

// libpng reports errors by longjmp: no object with a destructor may live in the frame that calls setjmp, so the
// encoder keeps only plain values there and writes into the caller's string through the callback.
void append_bytes(png_structp png, png_bytep data, png_size_t length) {
    static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), length);
}

void flush_nothing(png_structp /*png*/) {}

void record_error(png_structp png, png_const_charp message) {
    auto* why = static_cast<char*>(png_get_error_ptr(png));
    std::snprintf(why, 256, "%s", message);
    png_longjmp(png, 1);
}

void ignore_warning(png_structp /*png*/, png_const_charp /*message*/) {}

// Whether every pixel of the picture is opaque (alpha 255).
bool opaque(const RgbaImage& image) {
    unsigned all = 255;
    for (std::size_t i = 3; i < image.rgba.size(); i += 4) {
        all &= image.rgba[i];
    }
    return all == 255;
}

// Returns false, with the reason in `why` (256 bytes), when libpng fails. An opaque picture is written as RGB (libpng
// drops the alpha byte of each pixel): a quarter less to compress, a smaller file, the same pixels. The 20 km Serra do
// Cipó coverage.png (1740 x 1252, opaque over its hillshade): covtool map's whole PNG job 0.132 -> 0.124 s, 1.99 -> 1.79 MB.
bool encode_rgba(const RgbaImage& image, bool rgb, std::string& out, char* why) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, why, record_error, ignore_warning);
    if (png == nullptr) {
        std::snprintf(why, 256, "libpng could not start");
        return false;
    }
    png_infop info = png_create_info_struct(png);
    if (info == nullptr || setjmp(png_jmpbuf(png)) != 0) {
        png_destroy_write_struct(&png, info != nullptr ? &info : nullptr);
        if (why[0] == '\0') {
            std::snprintf(why, 256, "libpng could not start");
        }
        return false;
    }
    png_set_write_fn(png, &out, append_bytes, flush_nothing);
    png_set_IHDR(png, info, static_cast<png_uint_32>(image.width), static_cast<png_uint_32>(image.height), 8,
                 rgb ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    // zlib level 1 with the "sub" filter on every row: on a 1067 x 747 coverage map 0.028 s instead of 0.051 s for
    // libpng's default adaptive filters at the same level (0.059 s through GDAL's PNG driver), and a file of the same
    // size (629 kB against 614 kB). Measured on the Serra do Cipó 10 km map of covtool map; level 6 took 0.20 s.
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_compression_level(png, 1);
    png_write_info(png, info);
    if (rgb) {
        png_set_filler(png, 0, PNG_FILLER_AFTER); // the rows given hold RGBA: the fourth byte of each pixel is dropped
    }
    const std::size_t row_bytes = static_cast<std::size_t>(image.width) * 4;
    for (int y = 0; y < image.height; ++y) {
        png_write_row(png, image.rgba.data() + static_cast<std::size_t>(y) * row_bytes);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return true;
}

} // namespace

void write_png(const std::string& path, const RgbaImage& image) {
    std::string bytes;
    try {
        bytes = encode_png(image);
    } catch (const IoError& e) {
        throw IoError("cannot write '" + path + "': " + e.what());
    }
    write_file_atomically(path, bytes);
}

std::string encode_png(const RgbaImage& image) {
    const std::size_t n = checked_pixels(image);
    std::string out;
    out.reserve(n); // about a quarter of the raw size is typical of maps over a hillshade
    char why[256] = {};
    if (!encode_rgba(image, opaque(image), out, why)) {
        throw IoError(std::string("PNG encoding failed: ") + why);
    }
    return out;
}

namespace {

// The KMZ super-overlay: the picture in WGS84 as a pyramid of tiles, the coarsest level one tile, each level twice
// the resolution of the one above, down to the picture's own pixels; Google Earth loads a tile when its region
// is on screen at a size that deserves it (Region and Lod in KML 2.2, §§ 9.15-9.16). Tiles of at most
// kmz_tile_px pixels a side, each shown from 128 screen pixels a side until its children are (at twice that):
// a parent hides when its children show, so the half-transparent colours are never laid over themselves.
constexpr int kmz_tile_px = 256;
constexpr double kmz_min_lod_px = 128.0;

// One tile of the pyramid: level (0 the coarsest), column and row (from the north-west), and the picture's pixels it
// covers, [x0, x1) × [y0, y1), shown at one pixel in `step` of each side.
struct KmzTile {
    int level = 0;
    int col = 0;
    int row = 0;
    int x0 = 0;
    int y0 = 0;
    int x1 = 0;
    int y1 = 0;
    int step = 1;
    [[nodiscard]] int width() const { return (x1 - x0 + step - 1) / step; }
    [[nodiscard]] int height() const { return (y1 - y0 + step - 1) / step; }
    [[nodiscard]] std::string name() const { return std::to_string(level) + "/" + std::to_string(col) + "/" + std::to_string(row); }
};

struct KmzPyramid {
    int width = 0;  // the picture's pixels, padded (pyramid_for)
    int height = 0;
    int levels = 1;
    [[nodiscard]] int span(int level) const { return kmz_tile_px << (levels - 1 - level); } // picture pixels a tile covers
    [[nodiscard]] int cols(int level) const { return (width + span(level) - 1) / span(level); }
    [[nodiscard]] int rows(int level) const { return (height + span(level) - 1) / span(level); }
    [[nodiscard]] KmzTile tile(int level, int col, int row) const {
        const int s = span(level);
        return KmzTile{.level = level, .col = col, .row = row, .x0 = col * s, .y0 = row * s, .x1 = std::min(width, (col + 1) * s),
                       .y1 = std::min(height, (row + 1) * s), .step = 1 << (levels - 1 - level)};
    }
    // A tile's size on screen relative to a whole one, as KML measures Lod (the square root of its area): partial
    // tiles at the picture's edge scale their Lod by it, so that children show exactly when their parent hides.
    [[nodiscard]] double lod_scale(const KmzTile& t) const {
        const double s = span(t.level);
        return std::sqrt(static_cast<double>(t.x1 - t.x0) * static_cast<double>(t.y1 - t.y0) / (s * s));
    }
};

// The pyramid for a picture of width × height pixels, padded east and south with transparent pixels up to a whole
// number of the coarsest level's pixels, so that every level covers the same box and the levels nest exactly (a reader
// that sizes the picture from the coarsest tile, as GDAL's does, then finds the finest tiles' pixels where they are).
KmzPyramid pyramid_for(int width, int height) {
    KmzPyramid p{.width = width, .height = height, .levels = 1};
    while (std::max(width, height) > (kmz_tile_px << (p.levels - 1))) {
        ++p.levels;
    }
    const int step = 1 << (p.levels - 1);
    p.width = (width + step - 1) / step * step;
    p.height = (height + step - 1) / step * step;
    return p;
}

// The geographic box of picture pixels [x0, x1) × [y0, y1) as KML writes it.
std::string lat_lon_box(const char* element, const double* g, const KmzTile& t) {
    char buf[320];
    std::snprintf(buf, sizeof buf, "<%s><north>%.9f</north><south>%.9f</south><east>%.9f</east><west>%.9f</west></%s>", element,
                  g[3] + t.y0 * g[5], g[3] + t.y1 * g[5], g[0] + t.x1 * g[1], g[0] + t.x0 * g[1], element);
    return buf;
}

std::string lod(double min_px, double max_px) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "<Lod><minLodPixels>%.0f</minLodPixels><maxLodPixels>%.0f</maxLodPixels></Lod>", min_px, max_px);
    return buf;
}

// A tile's KML: its region, its picture, and a link to each child tile that exists.
std::string tile_kml(const KmzPyramid& p, const KmzTile& t, const double* g) {
    const bool finest = t.level == p.levels - 1;
    const double scale = p.lod_scale(t);
    std::string k = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>";
    k += "<name>" + t.name() + "</name><Region>" + lat_lon_box("LatLonAltBox", g, t) +
         lod(t.level == 0 ? 1.0 : kmz_min_lod_px * scale, finest ? -1.0 : 2.0 * kmz_min_lod_px * scale) + "</Region>";
    k += "<GroundOverlay><drawOrder>" + std::to_string(t.level) + "</drawOrder><Icon><href>" + std::to_string(t.row) +
         ".png</href></Icon>" + lat_lon_box("LatLonBox", g, t) + "</GroundOverlay>";
    if (!finest) {
        for (int dr = 0; dr < 2; ++dr) {
            for (int dc = 0; dc < 2; ++dc) {
                const int col = 2 * t.col + dc;
                const int row = 2 * t.row + dr;
                if (col >= p.cols(t.level + 1) || row >= p.rows(t.level + 1)) {
                    continue;
                }
                const KmzTile c = p.tile(t.level + 1, col, row);
                k += "<NetworkLink><name>" + c.name() + "</name><Region>" + lat_lon_box("LatLonAltBox", g, c) +
                     lod(kmz_min_lod_px * p.lod_scale(c), -1.0) + "</Region><Link><href>../../" + c.name() +
                     ".kml</href><viewRefreshMode>onRegion</viewRefreshMode></Link></NetworkLink>";
            }
        }
    }
    return k + "</Document></kml>\n";
}

// A tile's picture, nearest: the picture pixel at the middle of each step × step block (for a class map the only
// honest way down: a mean of classes is no class).
RgbaImage tile_picture(const std::vector<std::uint8_t>& picture, int width, const KmzTile& t) {
    RgbaImage out{.width = t.width(), .height = t.height(), .rgba = {}};
    out.rgba.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 4);
    for (int j = 0; j < out.height; ++j) {
        const int y = t.y0 + std::min(j * t.step + t.step / 2, t.y1 - t.y0 - 1);
        for (int i = 0; i < out.width; ++i) {
            const int x = t.x0 + std::min(i * t.step + t.step / 2, t.x1 - t.x0 - 1);
            std::copy_n(picture.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 4, 4,
                        out.rgba.data() + (static_cast<std::size_t>(j) * static_cast<std::size_t>(out.width) + static_cast<std::size_t>(i)) * 4);
        }
    }
    return out;
}

// Writes a ZIP archive entry by entry through GDAL's writer; each call fails with GDAL's reason.
class ZipWriter {
public:
    explicit ZipWriter(const std::string& path) : m_zip(CPLCreateZip(path.c_str(), nullptr)) {}
    ~ZipWriter() { close(); }
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;
    [[nodiscard]] bool open() const { return m_zip != nullptr; }
    // PNG tiles are compressed already: stored as they are.
    bool add(const std::string& name, const std::string& bytes, bool compress) {
        CPLStringList options;
        options.SetNameValue("COMPRESSED", compress ? "YES" : "NO");
        if (CPLCreateFileInZip(m_zip, name.c_str(), options.List()) != CE_None) {
            return false;
        }
        const bool written = CPLWriteFileInZip(m_zip, bytes.data(), static_cast<int>(bytes.size())) == CE_None;
        return CPLCloseFileInZip(m_zip) == CE_None && written;
    }
    bool close() {
        if (m_zip == nullptr) {
            return true;
        }
        void* zip = m_zip;
        m_zip = nullptr;
        return CPLCloseZip(zip) == CE_None;
    }

private:
    void* m_zip;
};

} // namespace

// Google Earth wants WGS84: the picture is reprojected by GDAL (nearest: the pixels are classes), then tiled here, each
// tile encoded like write_png's (zlib level 1) and stored in the archive as it is. Against GDAL's KMLSUPEROVERLAY
// driver (tiles at zlib level 6, compressed again in the archive, parents left under their children), on the 20 km
// Serra do Cipo class map (1388 x 1151 pixels in WGS84): the KMZ job of covtool map 0.15 -> 0.095 s, 67 -> 134 kB.
void write_kmz_overlay(const std::string& path, const RgbaImage& image, const GeoTransform& transform, const Crs& crs,
                       const std::string& name) {
    detail::DatasetPtr rgba = rgba_dataset(image, transform, crs);
    std::vector<std::string> args = {"-of", "MEM", "-t_srs", "EPSG:4326", "-r", "near"};
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    detail::DatasetPtr geographic;
    {
        detail::QuietGdal quiet;
        GDALWarpAppOptions* opts = GDALWarpAppOptionsNew(argv.data(), nullptr);
        GDALDatasetH src = GDALDataset::ToHandle(rgba.get());
        int usage_error = 0;
        geographic.reset(GDALDataset::FromHandle(GDALWarp("", nullptr, 1, &src, opts, &usage_error)));
        GDALWarpAppOptionsFree(opts);
        if (!geographic) {
            throw IoError("cannot write '" + path + "': reprojection to WGS84 failed: " + detail::last_gdal_error());
        }
    }
    rgba.reset();
    const int w = geographic->GetRasterXSize();
    const int h = geographic->GetRasterYSize();
    const KmzPyramid pyramid = pyramid_for(w, h); // the picture read into its padded size, the padding transparent
    double g[6] = {};
    std::vector<std::uint8_t> picture(static_cast<std::size_t>(pyramid.width) * static_cast<std::size_t>(pyramid.height) * 4, 0);
    std::array<int, 4> bands = {1, 2, 3, 4};
    if (geographic->GetGeoTransform(g) != CE_None ||
        geographic->RasterIO(GF_Read, 0, 0, w, h, picture.data(), w, h, GDT_Byte, 4, bands.data(), 4,
                             static_cast<GSpacing>(pyramid.width) * 4, 1, nullptr) != CE_None) {
        throw IoError("cannot write '" + path + "': reprojection to WGS84 failed: " + detail::last_gdal_error());
    }
    geographic.reset();

    const std::string tmp = detail::temporary_sibling(path);
    bool ok = true;
    {
        detail::QuietGdal quiet;
        ZipWriter zip(tmp);
        ok = zip.open();
        const KmzTile whole{.level = 0, .x1 = pyramid.width, .y1 = pyramid.height};
        ok = ok && zip.add("doc.kml",
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>" +
                               detail::html_escape(name) + "</name><NetworkLink><name>" + detail::html_escape(name) + "</name><open>1</open><Region>" +
                               lat_lon_box("LatLonAltBox", g, whole) + lod(1.0, -1.0) +
                               "</Region><Link><href>0/0/0.kml</href><viewRefreshMode>onRegion</viewRefreshMode></Link></NetworkLink>"
                               "</Document></kml>\n",
                           true);
        for (int level = 0; ok && level < pyramid.levels; ++level) {
            for (int row = 0; ok && row < pyramid.rows(level); ++row) {
                for (int col = 0; ok && col < pyramid.cols(level); ++col) {
                    const KmzTile t = pyramid.tile(level, col, row);
                    ok = zip.add(t.name() + ".kml", tile_kml(pyramid, t, g), true) &&
                         zip.add(t.name() + ".png", encode_png(tile_picture(picture, pyramid.width, t)), false);
                }
            }
        }
        ok = zip.close() && ok;
    }
    if (!ok) {
        const std::string why = detail::last_gdal_error();
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw IoError("cannot write '" + path + "': " + why);
    }
    detail::commit_file(tmp, path);
}

} // namespace coverage
