#ifndef COVERAGE_HAMLET_HPP
#define COVERAGE_HAMLET_HPP

#include <coverage/core/geo.hpp>
#include <coverage/terrain/dem.hpp>

#include <string>
#include <vector>

namespace coverage {

/** Where households live: a surveyed house, a building footprint's point, or a point with several households. */
struct HouseholdPoint {
    GeoPoint location;
    double households = 1.0;            ///< how many households the point stands for (> 0)
};

/** A settlement: a point and the radius its houses spread over, or its outline, with its people. */
struct Hamlet {
    std::string hamlet_id;
    std::string name;
    GeoPoint location;                  ///< the point, or a point inside the outline
    double settlement_radius_m = 300.0; ///< houses lie within this distance of the point (when there is no outline)
    int households = 0;
    int population = 0;
    /** Outline rings in WGS84 (outer rings and holes of one or more polygons, even-odd rule); empty: use the radius. */
    std::vector<std::vector<GeoPoint>> outline;
    /** Where its households live (read_household_points); empty: spread evenly over its cells. The hamlet's own
     *  `households` stays the count: it is shared among the points in proportion to each point's households. */
    std::vector<HouseholdPoint> homes;
};

/** One grid cell of a hamlet and the households that live in it. */
struct HouseholdCell {
    Dem::Cell cell;
    double households = 0.0;
};

/**
 * Where a hamlet's households live on the grid: with household points, the cells that hold them, each with its share
 * of the hamlet's households (points' households in proportion, summing to `households`); without, hamlet_cells()
 * with the households spread evenly. Empty when the hamlet is off the grid. Points off the grid are left out (the
 * analysis refuses a hamlet that reaches beyond its grid).
 */
[[nodiscard]] std::vector<HouseholdCell> household_cells(const Dem& dem, const Hamlet& hamlet);

/**
 * The grid cells a hamlet's households live in: cells whose centres lie inside its outline, or within its
 * settlement radius of its point; at least the cell holding its point. Empty when the point is off the grid.
 */
[[nodiscard]] std::vector<Dem::Cell> hamlet_cells(const Dem& dem, const Hamlet& hamlet);

/**
 * Grow `box` to hold the hamlet and `margin_m` around it: its point with its settlement radius, every vertex of
 * its outline (which may reach further than the radius) and its household points.
 */
void include_hamlet(GeoBox& box, const Hamlet& hamlet, double margin_m);

/**
 * Read hamlets from GeoJSON / GeoPackage / CSV through OGR: a point geometry (or lat_deg/lon_deg columns) with an
 * optional `settlement_radius_m` (default 300 m), or a Polygon / MultiPolygon outline (its point: GDAL's point
 * on surface); `name`, `households`, `population`, optional `hamlet_id` (default H<row>).
 * @throws IoError when unreadable; InvalidArgument naming the file, feature and field (missing name, negative
 *         households, a geometry that is not a point, ...).
 */
[[nodiscard]] std::vector<Hamlet> read_hamlets(const std::string& path);

/** What read_household_points() did with a file's points. */
struct HouseholdPointsSummary {
    std::string path;
    std::size_t points = 0;               ///< features read
    std::size_t linked = 0;               ///< given to a hamlet
    std::size_t outside = 0;              ///< in no hamlet (no name or id, outside every outline and settlement radius)
    std::size_t hamlets_with_points = 0;  ///< hamlets that now have homes
};

/**
 * Give hamlets their household points from a point layer (or building footprints: their point on surface) in any
 * OGR format and CRS, with an optional `households` per point (default 1; a footprint is one household). A point is
 * linked to the hamlet its `hamlet_id` or `hamlet` (name) field names; without them, to the hamlet whose outline holds
 * it, else whose settlement radius holds it (the nearest such). Points in no hamlet are counted and left out.
 * Replaces the hamlets' homes.
 * @throws IoError when unreadable; InvalidArgument naming the file, feature and field (a name or id that is no hamlet,
 *         households not > 0, no position, no point linked at all).
 */
HouseholdPointsSummary read_household_points(const std::string& path, std::vector<Hamlet>& hamlets);

} // namespace coverage

#endif // COVERAGE_HAMLET_HPP
