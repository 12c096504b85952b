// PNG encoding (libpng): the pixels come back exactly through another decoder (GDAL's PNG driver), and bad
// input or an unwritable file is an error naming it. KMZ super-overlays: GDAL's KMZ reader finds the picture's pixels
// where they are on the ground.
#include <coverage/core/error.hpp>
#include <coverage/io/image_io.hpp>

#include <catch2/catch.hpp>

#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace coverage;
using Catch::Matchers::Contains;

namespace {

// Decodes PNG bytes with GDAL, band by band, back into interleaved RGBA.
RgbaImage decode_with_gdal(const std::string& bytes) {
    GDALAllRegister();
    const std::string name = "/vsimem/test_image_io.png";
    VSILFILE* f = VSIFileFromMemBuffer(name.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(bytes.data())),
                                       static_cast<vsi_l_offset>(bytes.size()), FALSE);
    REQUIRE(f != nullptr);
    VSIFCloseL(f);
    GDALDataset* ds = GDALDataset::Open(name.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
    REQUIRE(ds != nullptr);
    RgbaImage out{.width = ds->GetRasterXSize(), .height = ds->GetRasterYSize(), .rgba = {}};
    const std::size_t n = static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height);
    out.rgba.resize(n * 4);
    std::vector<std::uint8_t> band(n);
    const int bands = ds->GetRasterCount(); // 4, or 3 for an opaque picture (alpha 255)
    REQUIRE((bands == 3 || bands == 4));
    std::fill(out.rgba.begin(), out.rgba.end(), std::uint8_t{255});
    for (int b = 0; b < bands; ++b) {
        REQUIRE(ds->GetRasterBand(b + 1)->RasterIO(GF_Read, 0, 0, out.width, out.height, band.data(), out.width, out.height, GDT_Byte, 0,
                                                    0) == CE_None);
        for (std::size_t i = 0; i < n; ++i) {
            out.rgba[i * 4 + static_cast<std::size_t>(b)] = band[i];
        }
    }
    GDALClose(GDALDataset::ToHandle(ds));
    VSIUnlink(name.c_str());
    return out;
}

RgbaImage random_image(int w, int h, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    RgbaImage img{.width = w, .height = h, .rgba = std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h * 4)};
    for (std::size_t i = 0; i < img.rgba.size(); ++i) {
        // Half the rows noise, half smooth ramps (what the filter and zlib see in a map), alpha anywhere in 0..255.
        const std::size_t row = i / (static_cast<std::size_t>(w) * 4);
        img.rgba[i] = row % 2 == 0 ? static_cast<std::uint8_t>(byte(rng)) : static_cast<std::uint8_t>((i / 4 + row) % 256);
    }
    return img;
}

} // namespace

TEST_CASE("encode_png: every pixel and alpha value comes back exactly through GDAL's decoder", "[io][png]") {
    for (const auto& [w, h] : {std::pair{1, 1}, {7, 3}, {301, 117}}) {
        const RgbaImage img = random_image(w, h, static_cast<unsigned>(w * 1000 + h));
        const std::string bytes = encode_png(img);
        REQUIRE(bytes.size() > 8);
        CHECK(bytes.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
        const RgbaImage back = decode_with_gdal(bytes);
        CHECK(back.width == w);
        CHECK(back.height == h);
        CHECK(back.rgba == img.rgba);
    }
}

TEST_CASE("encode_png: an opaque picture is written as RGB, the same pixels in a smaller file", "[io][png]") {
    RgbaImage img = random_image(301, 117, 11);
    for (std::size_t i = 3; i < img.rgba.size(); i += 4) {
        img.rgba[i] = 255;
    }
    const std::string rgb = encode_png(img);
    // IHDR's colour type, byte 25 of the file (8-byte signature, chunk length and type, width, height, bit depth): 2 = RGB.
    REQUIRE(rgb.size() > 26);
    CHECK(static_cast<int>(static_cast<unsigned char>(rgb[25])) == 2);
    CHECK(decode_with_gdal(rgb).rgba == img.rgba);
    img.rgba[img.rgba.size() - 1] = 254; // one pixel not quite opaque: RGBA, every alpha kept
    const std::string rgba = encode_png(img);
    CHECK(static_cast<int>(static_cast<unsigned char>(rgba[25])) == 6);
    CHECK(decode_with_gdal(rgba).rgba == img.rgba);
    CHECK(rgb.size() < rgba.size());
}

TEST_CASE("write_png: the file holds encode_png bytes, bad sizes and unwritable paths are errors naming them", "[io][png]") {
    const RgbaImage img = random_image(40, 30, 7);
    const auto dir = std::filesystem::temp_directory_path() / "coverage_test_image_io";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "picture.png").string();
    write_png(path, img);
    std::ifstream f(path, std::ios::binary);
    const std::string written((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    CHECK(written == encode_png(img));
    CHECK(decode_with_gdal(written).rgba == img.rgba); // and they are the image, read by another decoder

    RgbaImage short_of_bytes = img;
    short_of_bytes.rgba.pop_back();
    CHECK_THROWS_AS(encode_png(short_of_bytes), InvalidArgument);
    CHECK_THROWS_WITH(encode_png(RgbaImage{.width = 0, .height = 5, .rgba = {}}), Contains("0 x 5 RGBA pixels"));
    const std::string unwritable = (dir / "no_such_folder" / "picture.png").string();
    CHECK_THROWS_WITH(write_png(unwritable, img), Contains(unwritable));
    CHECK_FALSE(std::filesystem::exists(unwritable));
}

namespace {

// A class picture on a 30 m UTM 48N grid (Sang Moc's zone): rings of four colours (alpha 190, as the coverage maps
// draw them) around the middle, transparent beyond.
struct ClassPicture {
    RgbaImage image;
    GeoTransform transform{.xorig = 560000.0, .xscale = 30.0, .xrot = 0.0, .yorig = 2420000.0, .yrot = 0.0, .yscale = -30.0};
};

ClassPicture ring_picture(int w, int h) {
    ClassPicture p;
    p.image = RgbaImage{.width = w, .height = h, .rgba = std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h * 4, 0)};
    const std::uint8_t colours[4][3] = {{26, 152, 80}, {145, 207, 96}, {254, 224, 139}, {215, 48, 39}};
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const double r = std::hypot(x - w / 2.0, y - h / 2.0);
            const int ring = static_cast<int>(r / 60.0);
            if (ring < 4) {
                std::uint8_t* px = p.image.rgba.data() + (static_cast<std::size_t>(y) * w + x) * 4;
                px[0] = colours[ring][0];
                px[1] = colours[ring][1];
                px[2] = colours[ring][2];
                px[3] = 190;
            }
        }
    }
    return p;
}

std::string zip_entry(const std::string& kmz, const std::string& name) {
    VSILFILE* f = VSIFOpenL(("/vsizip/" + kmz + "/" + name).c_str(), "rb");
    if (f == nullptr) {
        return {};
    }
    std::string bytes;
    char buf[4096];
    for (std::size_t n = 0; (n = VSIFReadL(buf, 1, sizeof buf, f)) > 0;) {
        bytes.append(buf, n);
    }
    VSIFCloseL(f);
    return bytes;
}

double lod_value(const std::string& kml, const std::string& tag, std::size_t from) {
    const std::size_t at = kml.find("<" + tag + ">", from);
    REQUIRE(at != std::string::npos);
    return std::stod(kml.substr(at + tag.size() + 2));
}

} // namespace

TEST_CASE("write_kmz_overlay: tiles that nest, read back by GDAL pixel for pixel where the picture is, errors naming the file",
          "[io][kmz]") {
    GDALAllRegister();
    const ClassPicture pic = ring_picture(700, 520);
    const auto dir = std::filesystem::temp_directory_path() / "coverage_test_image_io";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "classes.kmz").string();
    std::filesystem::remove(path);
    write_kmz_overlay(path, pic.image, pic.transform, Crs{"EPSG:32648"}, "signal class & <rings>");

    // The pyramid: 700 x 520 pixels (about as many in WGS84) at most 256 a tile side: levels 0, 1 and 2, the coarsest one tile.
    CHECK_THAT(zip_entry(path, "doc.kml"), Contains("signal class &amp; &lt;rings&gt;") && Contains("0/0/0.kml"));
    CHECK_FALSE(zip_entry(path, "0/0/0.png").empty());
    CHECK(zip_entry(path, "0/1/0.png").empty());
    CHECK_FALSE(zip_entry(path, "2/2/1.png").empty());
    CHECK(zip_entry(path, "3/0/0.png").empty());
    for (const char* tile : {"0/0/0.png", "1/1/0.png", "2/2/1.png"}) {
        INFO(tile);
        const RgbaImage t = decode_with_gdal(zip_entry(path, tile));
        CHECK(t.width <= 256);
        CHECK(t.height <= 256);
        CHECK(t.width >= 64);
    }
    // A parent hides when its children show: it is shown from 128 to 256 screen pixels (scaled by the square root of
    // its area where it is cut by the picture's edge), a whole child (2/0/0) from 128 on.
    const std::string parent = zip_entry(path, "1/0/0.kml");
    const double min_px = lod_value(parent, "minLodPixels", 0);
    CHECK(min_px > 100.0);
    CHECK(min_px <= 128.0);
    CHECK_THAT(lod_value(parent, "maxLodPixels", 0), Catch::Matchers::WithinAbs(2.0 * min_px, 1.0));
    CHECK(lod_value(parent, "minLodPixels", parent.find("<name>2/0/0</name>")) == 128.0);
    CHECK(lod_value(zip_entry(path, "2/0/0.kml"), "maxLodPixels", 0) == -1.0); // the finest level stays

    // GDAL reads the KMZ as one raster in WGS84; at the centre of every source pixel well inside a ring (its 5 x 5
    // neighbours the same colour) it holds that pixel's colour, and nothing outside the rings is drawn.
    GDALDataset* ds = GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
    REQUIRE(ds != nullptr);
    REQUIRE(ds->GetRasterCount() == 4);
    double g[6];
    REQUIRE(ds->GetGeoTransform(g) == CE_None);
    const int kw = ds->GetRasterXSize();
    const int kh = ds->GetRasterYSize();
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(kw) * kh * 4);
    int bands[4] = {1, 2, 3, 4};
    REQUIRE(ds->RasterIO(GF_Read, 0, 0, kw, kh, rgba.data(), kw, kh, GDT_Byte, 4, bands, 4, static_cast<GSpacing>(kw) * 4, 1, nullptr) ==
            CE_None);
    GDALClose(GDALDataset::ToHandle(ds));
    OGRSpatialReference utm;
    OGRSpatialReference wgs84;
    utm.SetFromUserInput("EPSG:32648");
    wgs84.SetFromUserInput("EPSG:4326");
    utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> to_geo(OGRCreateCoordinateTransformation(&utm, &wgs84));
    REQUIRE(to_geo != nullptr);
    const auto& src = pic.image.rgba;
    auto source = [&](int x, int y) { return src.data() + (static_cast<std::size_t>(y) * pic.image.width + x) * 4; };
    std::size_t checked = 0;
    std::size_t other_colour = 0;
    std::size_t drawn_outside = 0;
    std::size_t off_the_kmz = 0;
    for (int y = 2; y < pic.image.height - 2; y += 3) {
        for (int x = 2; x < pic.image.width - 2; x += 3) {
            bool uniform = true;
            for (int dy = -2; dy <= 2 && uniform; ++dy) {
                for (int dx = -2; dx <= 2 && uniform; ++dx) {
                    uniform = std::equal(source(x, y), source(x, y) + 4, source(x + dx, y + dy));
                }
            }
            if (!uniform) {
                continue;
            }
            double lon = pic.transform.xorig + (x + 0.5) * pic.transform.xscale;
            double lat = pic.transform.yorig + (y + 0.5) * pic.transform.yscale;
            const int col = to_geo->Transform(1, &lon, &lat) ? static_cast<int>(std::floor((lon - g[0]) / g[1])) : -1;
            const int row = static_cast<int>(std::floor((lat - g[3]) / g[5]));
            if (col < 0 || col >= kw || row < 0 || row >= kh) {
                ++off_the_kmz;
                continue;
            }
            const std::uint8_t* k = rgba.data() + (static_cast<std::size_t>(row) * kw + col) * 4;
            if (source(x, y)[3] == 0) {
                drawn_outside += k[3] != 0 ? 1 : 0;
            } else {
                ++checked;
                other_colour += std::equal(k, k + 4, source(x, y)) ? 0 : 1;
            }
        }
    }
    CHECK(checked > 15000);
    CHECK(other_colour == 0);
    CHECK(drawn_outside == 0);
    CHECK(off_the_kmz == 0);

    // An unwritable path is an error naming it, and leaves nothing behind.
    const std::string unwritable = (dir / "no_such_folder" / "classes.kmz").string();
    CHECK_THROWS_WITH(write_kmz_overlay(unwritable, pic.image, pic.transform, Crs{"EPSG:32648"}, "x"), Contains(unwritable));
    CHECK_FALSE(std::filesystem::exists(unwritable));
}
