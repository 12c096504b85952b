#ifndef COVERAGE_HAMLET_HPP
#define COVERAGE_HAMLET_HPP

#include <coverage/core/geo.hpp>
#include <coverage/terrain/dem.hpp>

#include <string>
#include <vector>

namespace coverage {

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
};

/**
 * The grid cells a hamlet's households live in: cells whose centres lie inside its outline, or within its
 * settlement radius of its point; at least the cell holding its point. Empty when the point is off the grid.
 */
[[nodiscard]] std::vector<Dem::Cell> hamlet_cells(const Dem& dem, const Hamlet& hamlet);

/**
 * Grow `box` to hold the hamlet and `margin_m` around it: its point with its settlement radius, and every vertex of
 * its outline (which may reach further than the radius).
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

} // namespace coverage

#endif // COVERAGE_HAMLET_HPP
