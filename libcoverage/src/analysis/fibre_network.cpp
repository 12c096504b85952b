#include <coverage/core/error.hpp>
#include <coverage/analysis/fibre_network.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace coverage {

FibreNetwork::FibreNetwork(const Dem& dem, std::vector<FibreRoute> routes) : m_routes(std::move(routes)) {
    for (const FibreRoute& r : m_routes) {
        std::vector<GridPoint> line;
        line.reserve(r.points.size());
        for (const GeoPoint& p : r.points) {
            line.push_back(dem.to_grid(p));
        }
        for (std::size_t i = 1; i < line.size(); ++i) {
            m_length_m += std::hypot(line[i].x_m - line[i - 1].x_m, line[i].y_m - line[i - 1].y_m);
        }
        m_grid.push_back(std::move(line));
    }
}

FibreAccess FibreNetwork::nearest(GridPoint p) const {
    if (m_grid.empty()) {
        throw InvalidArgument("fibre network: no routes to measure a distance to");
    }
    FibreAccess best{.distance_m = std::numeric_limits<double>::infinity(), .route_id = {}, .point = {}};
    for (std::size_t r = 0; r < m_grid.size(); ++r) {
        const auto& line = m_grid[r];
        for (std::size_t i = 0; i + 1 < line.size(); ++i) {
            // Projection of p onto segment [a, b], clamped to its ends.
            const GridPoint a = line[i];
            const GridPoint b = line[i + 1];
            const double dx = b.x_m - a.x_m;
            const double dy = b.y_m - a.y_m;
            const double len2 = dx * dx + dy * dy;
            const double t = len2 > 0.0 ? std::clamp(((p.x_m - a.x_m) * dx + (p.y_m - a.y_m) * dy) / len2, 0.0, 1.0) : 0.0;
            const GridPoint q{a.x_m + t * dx, a.y_m + t * dy};
            const double d = std::hypot(p.x_m - q.x_m, p.y_m - q.y_m);
            if (d < best.distance_m) {
                best = FibreAccess{.distance_m = d, .route_id = m_routes[r].route_id, .point = q};
            }
        }
    }
    return best;
}

} // namespace coverage
