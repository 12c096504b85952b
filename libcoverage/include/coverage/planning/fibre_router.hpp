#ifndef COVERAGE_PLANNING_FIBRE_ROUTER_HPP
#define COVERAGE_PLANNING_FIBRE_ROUTER_HPP

// Least-cost fibre routes from the existing network over a cost surface.

#include <coverage/analysis/fibre_network.hpp>
#include <coverage/planning/cost_surface.hpp>
#include <coverage/terrain/dem.hpp>

#include <optional>
#include <string>
#include <vector>

namespace coverage {

/** A least-cost fibre route from the existing network to a target. */
struct Route {
    bool reachable = false;
    double cost_usd = 0.0;          ///< laying cost along the route, river crossings included
    double length_m = 0.0;
    int river_crossings = 0;
    std::vector<GeoPoint> path;     ///< from the network to the target (WGS84)
};

/**
 * Least-cost routes from anywhere on the existing fibre to any cell: one multi-source Dijkstra over the cost
 * surface with 16 neighbours (the 8 adjacent cells and the 8 knight moves), each step costing its length times
 * the mean cost of the cells it crosses, plus the crossing cost when it enters a river. Built once, queried per
 * target. Immutable after construction.
 */
class FibreRouter {
public:
    /** @throws InvalidArgument when no fibre lies on the grid. */
    FibreRouter(const Dem& dem, const CostSurface& cost, const FibreNetwork& network);
    /** The route to the cell holding `target`; unreachable when cut off by cells without terrain or off the grid. */
    [[nodiscard]] Route route_to(GeoPoint target) const;
    [[nodiscard]] double cost_to(GeoPoint target) const; ///< +∞ when unreachable

private:
    const Dem& m_dem;
    std::vector<double> m_cost;        // per cell, USD
    std::vector<std::int32_t> m_from;  // previous cell, -1 at a source
    std::vector<std::int32_t> m_crossings;
    [[nodiscard]] std::optional<std::size_t> index_of(GeoPoint p) const;
};

} // namespace coverage

#endif // COVERAGE_PLANNING_FIBRE_ROUTER_HPP
