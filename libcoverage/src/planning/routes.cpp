// Cost surface and least-cost fibre routes (multi-source Dijkstra, 16 neighbours).

#include <coverage/core/error.hpp>
#include <coverage/planning/cost_surface.hpp>
#include <coverage/planning/fibre_router.hpp>

#include "core/text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

namespace coverage {

using detail::format;

void CostModel::validate() const {
    if (fibre_usd_per_km.size() != slope_class_upper_deg.size() + 1) {
        throw InvalidArgument(format("costs: fibre_usd_per_km needs one entry more than slope_class_upper_deg (%zu bounds, %zu costs)",
                                     slope_class_upper_deg.size(), fibre_usd_per_km.size()));
    }
    for (std::size_t i = 0; i < slope_class_upper_deg.size(); ++i) {
        const double b = slope_class_upper_deg[i];
        if (!(b > 0.0 && b < 90.0) || (i > 0 && !(b > slope_class_upper_deg[i - 1]))) {
            throw InvalidArgument(format("costs: slope_class_upper_deg must increase within (0, 90) degrees (entry %zu = %g)", i + 1, b));
        }
    }
    for (std::size_t i = 0; i < fibre_usd_per_km.size(); ++i) {
        if (!(fibre_usd_per_km[i] >= 0.0 && std::isfinite(fibre_usd_per_km[i]))) {
            throw InvalidArgument(format("costs: fibre_usd_per_km entry %zu must be >= 0 (got %g)", i + 1, fibre_usd_per_km[i]));
        }
    }
    const std::pair<const char*, double> single[] = {{"road_factor", road_factor},
                                                     {"river_crossing_usd", river_crossing_usd},
                                                     {"tower_fixed_usd", tower_fixed_usd},
                                                     {"tower_usd_per_m", tower_usd_per_m},
                                                     {"microwave_link_usd", microwave_link_usd},
                                                     {"small_cell_usd", small_cell_usd},
                                                     {"ftth_node_usd", ftth_node_usd},
                                                     {"ftth_drop_usd_per_household", ftth_drop_usd_per_household}};
    for (const auto& [name, v] : single) {
        if (!(v >= 0.0 && std::isfinite(v))) {
            throw InvalidArgument(format("costs: %s must be a finite number >= 0 (got %g)", name, v));
        }
    }
    for (const auto& [cls, f] : landcover_factor) {
        if (!(f > 0.0 && std::isfinite(f))) {
            throw InvalidArgument(format("costs: land-cover factor of class %d must be > 0 (got %g)", cls, f));
        }
    }
}

double CostModel::fibre_usd_per_m(double slope_deg) const {
    std::size_t i = 0;
    while (i < slope_class_upper_deg.size() && slope_deg >= slope_class_upper_deg[i]) {
        ++i;
    }
    return fibre_usd_per_km[i] / 1000.0;
}

CostSurface::CostSurface(const Dem& dem, const CostModel& model, const CostLayers& layers)
    : m_cost(dem.raster().width(), dem.raster().height(), dem.raster().transform(), dem.crs(), std::numeric_limits<float>::infinity()),
      m_rivers(layers.rivers), m_model(model) {
    model.validate();
    const Raster<float>& z = dem.raster();
    auto same_grid = [&](int w, int h, const char* what) {
        if (w != 0 && (w != z.width() || h != z.height())) {
            throw InvalidArgument(std::string("cost surface: the ") + what + " layer is not on the DEM's grid");
        }
    };
    same_grid(layers.roads.width(), layers.roads.height(), "roads");
    same_grid(layers.rivers.width(), layers.rivers.height(), "rivers");
    same_grid(layers.landcover.width(), layers.landcover.height(), "land-cover");
    for (int row = 0; row < z.height(); ++row) {
        for (int col = 0; col < z.width(); ++col) {
            if (std::isnan(z.at(col, row))) {
                continue; // impassable: no terrain
            }
            double c = model.fibre_usd_per_m(dem.slope_deg(col, row));
            if (layers.roads.width() != 0 && layers.roads.at(col, row) != 0) {
                c *= model.road_factor;
            }
            if (layers.landcover.width() != 0) {
                const float cls = layers.landcover.at(col, row);
                if (!std::isnan(cls)) {
                    const auto it = model.landcover_factor.find(static_cast<int>(std::lround(cls)));
                    if (it != model.landcover_factor.end()) {
                        c *= it->second;
                    }
                }
            }
            m_cost.at(col, row) = static_cast<float>(c);
        }
    }
}

bool CostSurface::river(int col, int row) const noexcept {
    return m_rivers.width() != 0 && m_rivers.contains(col, row) && m_rivers.at(col, row) != 0;
}

namespace {

// The 16 moves and, for knight moves, the two cells the segment passes between.
struct Move {
    int dx, dy;
    int mx1, my1, mx2, my2; // intermediate cells (relative), knight moves only
    bool knight;
};

constexpr Move moves[16] = {
    {1, 0, 0, 0, 0, 0, false},   {-1, 0, 0, 0, 0, 0, false},  {0, 1, 0, 0, 0, 0, false},   {0, -1, 0, 0, 0, 0, false},
    {1, 1, 0, 0, 0, 0, false},   {1, -1, 0, 0, 0, 0, false},  {-1, 1, 0, 0, 0, 0, false},  {-1, -1, 0, 0, 0, 0, false},
    {1, 2, 0, 1, 1, 1, true},    {-1, 2, 0, 1, -1, 1, true},  {1, -2, 0, -1, 1, -1, true}, {-1, -2, 0, -1, -1, -1, true},
    {2, 1, 1, 0, 1, 1, true},    {2, -1, 1, 0, 1, -1, true},  {-2, 1, -1, 0, -1, 1, true}, {-2, -1, -1, 0, -1, -1, true},
};

} // namespace

FibreRouter::FibreRouter(const Dem& dem, const CostSurface& cost, const FibreNetwork& network) : m_dem(dem) {
    const Raster<float>& c = cost.usd_per_m();
    const int w = c.width();
    const int h = c.height();
    const auto n = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
    m_cost.assign(n, std::numeric_limits<double>::infinity());
    m_from.assign(n, -1);
    m_crossings.assign(n, 0);
    using Entry = std::pair<double, std::int32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    // Sources: every cell a fibre route passes through (sampled every half cell).
    const double cell = dem.cell_size_m();
    for (const FibreRoute& r : network.routes()) {
        for (std::size_t i = 0; i + 1 < r.points.size(); ++i) {
            const GridPoint a = dem.to_grid(r.points[i]);
            const GridPoint b = dem.to_grid(r.points[i + 1]);
            const double len = std::hypot(b.x_m - a.x_m, b.y_m - a.y_m);
            const int steps = std::max(1, static_cast<int>(std::ceil(len / (0.5 * cell))));
            for (int k = 0; k <= steps; ++k) {
                const double t = static_cast<double>(k) / steps;
                const auto on = dem.cell_at(GridPoint{a.x_m + t * (b.x_m - a.x_m), a.y_m + t * (b.y_m - a.y_m)});
                if (!on || std::isinf(c.at(on->col, on->row))) {
                    continue;
                }
                const auto idx = static_cast<std::size_t>(on->row) * static_cast<std::size_t>(w) + static_cast<std::size_t>(on->col);
                if (m_cost[idx] != 0.0) {
                    m_cost[idx] = 0.0;
                    queue.emplace(0.0, static_cast<std::int32_t>(idx));
                }
            }
        }
    }
    if (queue.empty()) {
        throw InvalidArgument("fibre router: no existing fibre lies on the terrain grid");
    }
    const double crossing = cost.model().river_crossing_usd;
    while (!queue.empty()) {
        const auto [d, idx] = queue.top();
        queue.pop();
        if (d > m_cost[static_cast<std::size_t>(idx)]) {
            continue;
        }
        const int x = idx % w;
        const int y = idx / w;
        const double cx = c.at(x, y);
        const bool from_river = cost.river(x, y);
        for (const Move& m : moves) {
            const int nx = x + m.dx;
            const int ny = y + m.dy;
            if (!c.contains(nx, ny)) {
                continue;
            }
            const double cn = c.at(nx, ny);
            if (std::isinf(cn)) {
                continue;
            }
            const double len = cell * std::hypot(static_cast<double>(m.dx), static_cast<double>(m.dy));
            double step = 0.0;
            bool enters_river = !from_river && cost.river(nx, ny);
            if (m.knight) {
                const int ax = x + m.mx1, ay = y + m.my1, bx = x + m.mx2, by = y + m.my2;
                if (!c.contains(ax, ay) || !c.contains(bx, by) || std::isinf(c.at(ax, ay)) || std::isinf(c.at(bx, by))) {
                    continue;
                }
                step = len * 0.25 * (cx + cn + c.at(ax, ay) + c.at(bx, by));
                enters_river = enters_river || (!from_river && (cost.river(ax, ay) || cost.river(bx, by)));
            } else {
                step = len * 0.5 * (cx + cn);
            }
            if (enters_river) {
                step += crossing;
            }
            const auto nidx = static_cast<std::size_t>(ny) * static_cast<std::size_t>(w) + static_cast<std::size_t>(nx);
            if (d + step < m_cost[nidx]) {
                m_cost[nidx] = d + step;
                m_from[nidx] = idx;
                m_crossings[nidx] = m_crossings[static_cast<std::size_t>(idx)] + (enters_river ? 1 : 0);
                queue.emplace(d + step, static_cast<std::int32_t>(nidx));
            }
        }
    }
}

std::optional<std::size_t> FibreRouter::index_of(GeoPoint p) const {
    const auto cell = m_dem.cell_at(m_dem.to_grid(p));
    if (!cell) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(cell->row) * static_cast<std::size_t>(m_dem.raster().width()) + static_cast<std::size_t>(cell->col);
}

double FibreRouter::cost_to(GeoPoint target) const {
    const auto idx = index_of(target);
    return idx ? m_cost[*idx] : std::numeric_limits<double>::infinity();
}

Route FibreRouter::route_to(GeoPoint target) const {
    Route r;
    const auto idx = index_of(target);
    if (!idx || std::isinf(m_cost[*idx])) {
        return r;
    }
    r.reachable = true;
    r.cost_usd = m_cost[*idx];
    r.river_crossings = m_crossings[*idx];
    const int w = m_dem.raster().width();
    std::vector<GridPoint> cells;
    for (std::int32_t i = static_cast<std::int32_t>(*idx); i >= 0; i = m_from[static_cast<std::size_t>(i)]) {
        cells.push_back(m_dem.cell_centre(i % w, i / w));
    }
    std::reverse(cells.begin(), cells.end());
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) {
            r.length_m += std::hypot(cells[i].x_m - cells[i - 1].x_m, cells[i].y_m - cells[i - 1].y_m);
        }
        r.path.push_back(m_dem.to_geo(cells[i]));
    }
    return r;
}

} // namespace coverage
