#ifndef COVERAGE_DEM_FETCH_HPP
#define COVERAGE_DEM_FETCH_HPP

#include <coverage/core/geo.hpp>
#include <coverage/core/progress.hpp>

#include <string>
#include <vector>

namespace coverage {

/** Public global DEMs that come as 1° × 1° tiles. */
enum class DemSource {
    copernicus_glo30, ///< Copernicus DEM GLO-30 (≈30 m), Cloud-Optimized GeoTIFFs on the AWS open-data bucket
    srtmgl1,          ///< SRTM 1 arc-second (void-filled, as in the "skadi" terrain tiles on AWS), .hgt.gz
};

/** "copernicus-glo30" or "srtmgl1". */
[[nodiscard]] const char* to_string(DemSource s) noexcept;
/** @throws InvalidArgument for an unknown name (listing the known ones). */
[[nodiscard]] DemSource dem_source_from(const std::string& name);

/** Where tiles come from and where they are kept. */
struct DemFetchOptions {
    DemSource source = DemSource::copernicus_glo30;
    std::string base_url;  ///< default: the source's public address (see dem_tiles)
    std::string cache_dir; ///< default: $XDG_CACHE_HOME/libcoverage/dem, else ~/.cache/libcoverage/dem
};

/** One tile: its name, the URL it is fetched from, and its file in the cache. */
struct DemTile {
    std::string name;
    std::string url;
    std::string cache_path;
};

/**
 * The tiles covering `box` (every 1° cell it touches), in south-west to north-east order.
 * Copernicus: <base>/Copernicus_DSM_COG_10_N21_00_E106_00_DEM/Copernicus_DSM_COG_10_N21_00_E106_00_DEM.tif
 * (default base https://copernicus-dem-30m.s3.amazonaws.com); SRTMGL1: <base>/N21/N21E106.hgt.gz
 * (default base https://s3.amazonaws.com/elevation-tiles-prod/skadi).
 * @throws InvalidArgument for a box with south >= north, west >= east or outside ±90/±180.
 */
[[nodiscard]] std::vector<DemTile> dem_tiles(const GeoBox& box, const DemFetchOptions& options);

/**
 * Download the tiles covering `box` (or reuse them from the cache), mosaic them and crop to `box`,
 * writing a GeoTIFF (geographic WGS84, as the source) to `output` atomically. Downloads go to a temporary
 * name in the cache and are renamed when complete, so an interrupted download is never mistaken for a tile.
 * @return the tiles used.
 * @throws IoError naming the tile and its URL when a tile is missing or a download fails; Cancelled.
 */
std::vector<DemTile> fetch_dem(const GeoBox& box, const DemFetchOptions& options, const std::string& output,
                               const ProgressFn& progress = {});

} // namespace coverage

#endif // COVERAGE_DEM_FETCH_HPP
