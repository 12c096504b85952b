#ifndef COVERAGE_RASTER_IO_HPP
#define COVERAGE_RASTER_IO_HPP

#include <coverage/core/raster.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace coverage {

/** What a band holds, written into the file (GDAL band description and unit type). */
struct BandInfo {
    std::string description; ///< e.g. "path loss, sector BC-1"
    std::string unit;        ///< e.g. "dB", "dBm"
};

/** One colour-table entry of a categorical raster, with the category's name. */
struct ColorEntry {
    int value = 0;
    std::uint8_t red = 0;
    std::uint8_t green = 0;
    std::uint8_t blue = 0;
    std::uint8_t alpha = 255;
    std::string label;
};

/**
 * Write float32 bands as a Cloud-Optimized GeoTIFF (DEFLATE, nodata NaN, band descriptions and units,
 * full georeferencing), atomically: to a temporary name, then renamed.
 * @pre all bands share size, transform and CRS.
 * @throws IoError naming the file (folder missing, not writable); InvalidArgument for mismatched bands.
 */
void write_raster(const std::string& path, const std::vector<const Raster<float>*>& bands, const std::vector<BandInfo>& info);

/** Above this many bands write_raster_windows writes a band-interleaved tiled GeoTIFF instead of a COG. */
inline constexpr std::size_t max_cog_bands = 64;

/**
 * Write windows of one grid as the full-grid float32 bands of one GeoTIFF (NaN outside each window), atomically: a
 * Cloud-Optimized GeoTIFF up to max_cog_bands bands, beyond that a tiled GeoTIFF interleaved by band whose tiles
 * outside every window are left unwritten (a COG would hold a tile of every band at once). No full-grid copy of a
 * band is made: GDAL reads the windows where they lie, block by block, so a map of many sectors, each stored only
 * within its radius, is written in the memory of its windows.
 * @param grid    the grid of the file (its size, transform and CRS; its values are not read).
 * @param windows one per band, each a window of `grid` (see offset_on_grid).
 * @throws IoError naming the file; InvalidArgument for a window off the grid or a missing BandInfo.
 */
void write_raster_windows(const std::string& path, const Raster<float>& grid, const std::vector<const Raster<float>*>& windows,
                          const std::vector<BandInfo>& info);

/** UInt8 bands (one or more) with nodata and, for a single band, an optional colour table with category names. */
void write_raster(const std::string& path, const std::vector<const Raster<std::uint8_t>*>& bands,
                  const std::vector<BandInfo>& info, const std::vector<ColorEntry>& palette = {});

/** A UInt16 band with nodata and an optional colour table with category names. */
void write_raster(const std::string& path, const Raster<std::uint16_t>& band, const BandInfo& info,
                  const std::vector<ColorEntry>& palette = {});

/**
 * Read one band of a raster file as float (for tests and re-use of outputs).
 * @throws IoError naming the file.
 */
[[nodiscard]] Raster<float> read_raster_band(const std::string& path, int band = 1);

/**
 * A dataset-level metadata item of a raster ("" when absent), e.g. SYNTHETIC. A VRT's sources are checked as
 * read_elevation() checks them; remote ones only with `allow_remote`. @throws IoError naming the file.
 */
[[nodiscard]] std::string raster_metadata_item(const std::string& path, const std::string& key, bool allow_remote = false);

/** A CRS by name and authority code, e.g. "WGS 84 / UTM zone 48N (EPSG:32648)"; the definition when PROJ cannot name it. */
[[nodiscard]] std::string crs_name(const Crs& crs);

/**
 * Burn the features of a vector file (any geometry, all-touched) onto the cells of `grid` (its size, transform and
 * CRS; its values are not used): 1 where a feature touches a cell, else 0.
 * @throws IoError naming the file when it cannot be read or rasterized.
 */
[[nodiscard]] Raster<std::uint8_t> rasterize_layer(const std::string& path, const Raster<float>& grid);

/** How class values (land cover, cost classes) are carried onto a grid. */
enum class ClassResampling {
    nearest,  ///< the source cell under each grid cell's centre
    majority, ///< the most frequent source value within each grid cell (GDAL's mode), for sources finer than the grid
};

/**
 * Resample the first band of a raster file onto the cells of `grid` (the values are classes, never interpolated);
 * cells it does not cover, and its nodata, are NaN. The file is opened as every input raster is (local formats, a VRT's
 * sources checked; remote only with `allow_remote`). @throws IoError naming the file.
 */
[[nodiscard]] Raster<float> resample_onto_grid(const std::string& path, const Raster<float>& grid,
                                               ClassResampling how = ClassResampling::nearest, bool allow_remote = false);

} // namespace coverage

#endif // COVERAGE_RASTER_IO_HPP
