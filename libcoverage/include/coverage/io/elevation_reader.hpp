#ifndef COVERAGE_IO_ELEVATION_READER_HPP
#define COVERAGE_IO_ELEVATION_READER_HPP

// Reading elevation rasters (GeoTIFF, SRTM .hgt, VRT, anything GDAL opens) onto a metric grid. The terrain layer
// wraps the result in a Dem (read_dem); this header names no GDAL type.

#include <coverage/core/geo.hpp>
#include <coverage/core/progress.hpp>
#include <coverage/core/raster.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/** What read_dem does with void (NoData) cells of the source tiles. */
enum class VoidPolicy {
    error, ///< default: any void is an error naming the file, the count and where the voids are
    fill,  ///< interpolate voids from their neighbours (GDAL FillNodata); the count is reported
    keep,  ///< keep voids as NaN; sampling at or next to one is an error naming the point
};

/** The policy named error, fill or keep. @throws InvalidArgument naming the value. */
[[nodiscard]] VoidPolicy void_policy_from(const std::string& name);

/**
 * How a DEM that is not already on the working grid (another CRS or cell size) is resampled onto it. A DEM in the
 * working CRS at the working cell size is never resampled: its own cells are used (terrain as measured).
 */
enum class Resampling {
    bilinear, ///< default: the four nearest source cells, weighted by distance
    cubic,    ///< cubic convolution over 4 × 4 source cells: keeps crests sharper, may overshoot slightly
    nearest,  ///< the nearest source cell's value, unchanged
    average,  ///< the mean of the source cells under each working cell: for working cells larger than the source's
};

/** "bilinear", "cubic", "nearest" or "average". */
[[nodiscard]] const char* to_string(Resampling r) noexcept;
/** The method named bilinear, cubic, nearest or average. @throws InvalidArgument naming the value and the choices. */
[[nodiscard]] Resampling resampling_from(const std::string& name);

/** How read_dem builds the metric grid. */
struct DemOptions {
    std::optional<Crs> target_crs;       ///< projected CRS to use; default: WGS84 UTM zone of the area's centre
    std::optional<double> cell_size_m;   ///< output cell size, metres (> 0); default: the source's resolution
    /// The most cells the working grid may have, checked before it is allocated (100 M cells: 400 MB of elevations,
    /// and a band of as much per sector in a coverage map; 1 m cells over 10 × 10 km). A source may have ten times as
    /// many (each of its cells is read to count voids).
    std::uint64_t max_cells = 100'000'000;
    std::optional<GeoBox> area;          ///< crop to this box; default: the union of all tiles
    VoidPolicy void_policy = VoidPolicy::error;
    /// How a DEM off the working grid is resampled onto it (a DEM on it keeps its cells whatever this says).
    Resampling resampling = Resampling::bilinear;
    /// Read DEMs (or a VRT's sources) over the network: URLs, /vsicurl/, /vsis3/, ... Off by default: a remote source
    /// is then an error naming it, and GDAL on the reading thread cannot reach the network at all.
    bool allow_remote = false;
};

/** Where the voids were, and what was done about them. */
struct VoidReport {
    std::size_t source_void_cells = 0;   ///< NoData cells counted in the source tiles
    std::size_t filled_cells = 0;        ///< cells interpolated (VoidPolicy::fill)
    std::size_t grid_nodata_cells = 0;   ///< NaN cells in the metric grid: voids kept, or outside every tile
    std::vector<GeoPoint> examples;      ///< up to 10 void locations (source cell centres)
};

/** An elevation mosaic on a metric grid, with what was found and done about voids. */
struct ElevationGrid {
    Raster<float> elevation;  ///< metres above mean sea level, NaN = void
    VoidReport voids;
    std::string source;       ///< the file names, for reports
    /// Every file read: each path given and, for a VRT, each source it names (nested VRTs included), each once.
    std::vector<std::string> files;
    /// How the grid was made: "none (the DEM's own cells)" when the source was already on the working grid, else
    /// the resampling method ("bilinear", "cubic", "nearest" or "average"). Recorded in run.json.
    std::string resampling;
};

/**
 * Read one or more elevation rasters as one mosaic on a metric grid, by the one grid rule every entry point shares:
 * - sources already in the target CRS at the target cell size (square, north-up cells) keep their own cells: the grid
 *   is cropped from them outwards to whole cells, values copied without resampling (terrain as measured);
 * - otherwise the sources are resampled (options.resampling, default bilinear) onto cells whose edges lie on whole
 *   multiples of the cell size.
 * Either way two reads of overlapping areas share their cells exactly: a window of one is, value for value, the other.
 * @param paths    one or more files; all are mosaicked (later files win where tiles overlap).
 * @param options  target CRS, cell size, crop area and void policy.
 * @param progress GDAL-style progress; returning false throws Cancelled.
 * Only local files in local raster formats are read unless options.allow_remote; a VRT's sources are checked by the
 * same rules before it is opened, and a VRT that reaches itself, runs Python or embeds a dataset as XML is refused.
 * A signed-byte raster (GDAL's PIXELTYPE=SIGNEDBYTE) is read as −128..127.
 * @throws IoError for a missing/unreadable file (named); OutOfDomain for voids under VoidPolicy::error
 *         (file, count and locations named); InvalidArgument for a bad option (unknown CRS, cell size <= 0,
 *         an area that misses every tile).
 */
[[nodiscard]] ElevationGrid read_elevation(const std::vector<std::string>& paths, const DemOptions& options = {},
                                           const ProgressFn& progress = {});

} // namespace coverage

#endif // COVERAGE_IO_ELEVATION_READER_HPP
