#ifndef COVERAGE_IO_IMAGE_IO_HPP
#define COVERAGE_IO_IMAGE_IO_HPP

// Writing drawn images: PNG files and georeferenced KMZ super-overlays for Google Earth. The drawing itself is
// the report layer's; this is only the encoding.

#include <coverage/core/geo.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace coverage {

/** An 8-bit RGBA image, row-major from the top-left pixel, 4 bytes per pixel. */
struct RgbaImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba;  ///< width * height * 4 bytes
};

/** Write a PNG, atomically. @throws IoError naming the file; InvalidArgument when the byte count is not w·h·4. */
void write_png(const std::string& path, const RgbaImage& image);

/** The bytes of a PNG of the image (for a page that embeds it). @throws InvalidArgument when the byte count is not w·h·4. */
[[nodiscard]] std::string encode_png(const RgbaImage& image);

/**
 * Write an image whose pixels are the cells of a grid (transform and CRS) as a KMZ super-overlay (reprojected to
 * WGS84 by nearest neighbour, PNG tiles, transparency kept), atomically. @throws IoError naming the file.
 */
void write_kmz_overlay(const std::string& path, const RgbaImage& image, const GeoTransform& transform, const Crs& crs,
                       const std::string& name);

} // namespace coverage

#endif // COVERAGE_IO_IMAGE_IO_HPP
