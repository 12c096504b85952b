#ifndef COVERAGE_FIBRE_HPP
#define COVERAGE_FIBRE_HPP

#include <coverage/terrain/dem.hpp>
#include <coverage/core/geo.hpp>

#include <string>
#include <vector>

namespace coverage {

/** One fibre cable route: a polyline in WGS84. */
struct FibreRoute {
    std::string route_id;
    std::string name;
    std::vector<GeoPoint> points; ///< at least two
};

/**
 * Read fibre routes from GeoJSON / GeoPackage / KML / Shapefile through OGR: LineString or MultiLineString
 * features (each part of a multi-line becomes its own route), optional `route_id` (default F<feature>)
 * and `name`. Any CRS the file declares is transformed to WGS84.
 * @throws IoError when unreadable; InvalidArgument naming the file and feature (not a line, fewer than two points, no features).
 */
[[nodiscard]] std::vector<FibreRoute> read_fibre_routes(const std::string& path);

/** The point of the network nearest to a place. */
struct FibreAccess {
    double distance_m = 0.0;  ///< straight-line distance in the DEM's grid CRS
    std::string route_id;
    GridPoint point;          ///< nearest point on that route, grid CRS
};

/**
 * Existing fibre projected onto a DEM's metric grid, for distances. Immutable.
 */
class FibreNetwork {
public:
    FibreNetwork() = default;
    FibreNetwork(const Dem& dem, std::vector<FibreRoute> routes);

    [[nodiscard]] const std::vector<FibreRoute>& routes() const noexcept { return m_routes; }
    [[nodiscard]] bool empty() const noexcept { return m_routes.empty(); }
    /** Total length of all routes, m (grid CRS). */
    [[nodiscard]] double length_m() const noexcept { return m_length_m; }
    /** Nearest point of the network. @throws InvalidArgument when the network is empty. */
    [[nodiscard]] FibreAccess nearest(GridPoint p) const;

private:
    std::vector<FibreRoute> m_routes;
    std::vector<std::vector<GridPoint>> m_grid;
    double m_length_m = 0.0;
};

} // namespace coverage

#endif // COVERAGE_FIBRE_HPP
