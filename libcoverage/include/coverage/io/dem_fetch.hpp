#ifndef COVERAGE_DEM_FETCH_HPP
#define COVERAGE_DEM_FETCH_HPP

#include <coverage/core/geo.hpp>
#include <coverage/core/progress.hpp>

#include <cstdint>
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

/** Where tiles come from, where they are kept, and how long a download may take. */
struct DemFetchOptions {
    DemSource source = DemSource::copernicus_glo30;
    std::string base_url;  ///< default: the source's public address (see dem_tiles)
    std::string cache_dir; ///< default: $XDG_CACHE_HOME/libcoverage/dem, else ~/.cache/libcoverage/dem
    bool allow_redirects = false;           ///< false: redirects are followed only to the same scheme, host and port
    double connect_timeout_s = 30;          ///< to open a connection
    double stall_timeout_s = 30;            ///< a server that sends nothing for this long is abandoned
    std::uint64_t max_tile_bytes = 256ULL << 20; ///< a larger download is refused (a real tile is 5–60 MB)
};

/** One tile: its name, the 1° cell it covers, the URL it is fetched from, and its file in the cache. */
struct DemTile {
    std::string name;
    int south_deg = 0; ///< the tile covers south_deg..south_deg+1
    int west_deg = 0;  ///< and west_deg..west_deg+1
    std::string url;
    std::string cache_path;  ///< the tile; its checksum is kept beside it in cache_path + ".sha256"
    std::string cache_event; ///< after fetch_dem: "downloaded", "cached", or "downloaded again: <why the cached copy was bad>"
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
 * writing a GeoTIFF (geographic WGS84, as the source) to `output` atomically.
 *
 * The cache holds only tiles known to be whole: a download enters it only when the server declared its length and
 * all of it arrived (status 200, within max_tile_bytes), an SRTM .hgt.gz decompressed with a good CRC to exactly
 * 1201² or 3601² samples, and GDAL opened the tile with the source's grid (SRTM: 1201² or 3601² posts on whole
 * degrees; Copernicus GLO-30: 3600 rows and 3600, 2400, 1800, 1200, 720 or 360 columns by latitude, its documented
 * grid) and read every block. Its SHA-256 and size are then written beside it; a cached tile whose file no longer
 * matches is named in `cache_event`, and downloaded again. Downloads are staged in `.tmp-*` folders of the cache,
 * which a later run removes when the process that made them is gone.
 * @return the tiles used, each with its cache_event.
 * @throws IoError naming the tile, its URL and the reason; Cancelled (Ctrl-C reaches a stalled download too).
 */
std::vector<DemTile> fetch_dem(const GeoBox& box, const DemFetchOptions& options, const std::string& output,
                               const ProgressFn& progress = {});

} // namespace coverage

#endif // COVERAGE_DEM_FETCH_HPP
