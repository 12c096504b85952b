#ifndef COVERAGE_CLUTTER_MAP_HPP
#define COVERAGE_CLUTTER_MAP_HPP

#include <coverage/core/raster.hpp>
#include <coverage/propagation/land_cover.hpp>
#include <coverage/terrain/dem.hpp>

#include <cstdint>
#include <string>

namespace coverage {

/** The land-cover class of every cell of a DEM's grid: an index into `table.classes`. */
struct ClutterMap {
    Raster<std::uint8_t> class_index;
    LandCoverTable table;
    std::string source;      ///< the land-cover file

    [[nodiscard]] const LandCoverClass& at(int col, int row) const noexcept { return table.classes[class_index.at(col, row)]; }
    /** Cells per class, in table order (for reports). */
    [[nodiscard]] std::vector<std::size_t> cell_counts() const;
};

/**
 * Read a land-cover raster (any GDAL raster of class codes) onto the DEM's grid, each cell taking the most frequent
 * code within it, and look every code up in `table`.
 * @throws InvalidArgument naming the file when the raster does not cover every cell of the grid (how many cells, and
 *         the first one's position), or when a code is missing from the table (the code, how many cells, where the
 *         first lies, and the table's codes); IoError when the file cannot be read.
 */
[[nodiscard]] ClutterMap read_clutter_map(const std::string& path, const Dem& dem, LandCoverTable table = worldcover_land_cover_table(),
                                          bool allow_remote = false);

/**
 * A profile between two grid points as a P.1812 path whose points carry the clutter of the cell under them: the class's
 * representative height R and P.1812 category (ITU-R P.1812-6 §3.2; R is not added at the two terminals). Zones inland.
 * @param profile the DEM's profile from `from` to `to` (Dem::profile), evenly spaced.
 */
[[nodiscard]] P1812Path p1812_path_with_clutter(const ClutterMap& clutter, const Dem& dem, GridPoint from, GridPoint to,
                                                const TerrainProfile& profile);

} // namespace coverage

#endif // COVERAGE_CLUTTER_MAP_HPP
