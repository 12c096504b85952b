// PNG encoding (libpng): the pixels come back exactly through another decoder (GDAL's PNG driver), and bad
// input or an unwritable file is an error naming it.
#include <coverage/core/error.hpp>
#include <coverage/io/image_io.hpp>

#include <catch2/catch.hpp>

#include <cpl_vsi.h>
#include <gdal_priv.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
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
    REQUIRE(ds->GetRasterCount() == 4);
    RgbaImage out{.width = ds->GetRasterXSize(), .height = ds->GetRasterYSize(), .rgba = {}};
    const std::size_t n = static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height);
    out.rgba.resize(n * 4);
    std::vector<std::uint8_t> band(n);
    for (int b = 0; b < 4; ++b) {
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
