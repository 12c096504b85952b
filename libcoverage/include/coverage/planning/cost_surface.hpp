#ifndef COVERAGE_PLANNING_COST_SURFACE_HPP
#define COVERAGE_PLANNING_COST_SURFACE_HPP

// The price of laying fibre: cost classes by slope, roads, rivers and land cover, on the DEM's grid.

#include <coverage/core/raster.hpp>
#include <coverage/terrain/dem.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace coverage {

/**
 * What building costs, US dollars. Defaults and their sources (order-of-magnitude figures: replace them with
 * local quotes before a budget is defended):
 * - fibre: USD 15,850 per km of rural fibre in emerging markets (Analysys Mason, reported by Capacity Media,
 *   "Rural fibre costs 26% of urban fibre", 1 April 2011) for gentle ground; the multipliers for steeper slope
 *   classes (1.5, 2.5, 4) are this project's assumption;
 * - microwave: USD 40,000 per point-to-point link (same source);
 * - tower: USD 200,000 for a new rural base-station site (radiocomponents.com, "USD 100 000 (city) – 200 000
 *   (rural)"), split here as USD 125,000 fixed (equipment, power, civil works) + USD 2,500 per metre of mast
 *   (30 m: USD 200,000) — the split is an assumption;
 * - road factor 0.6, river crossing USD 5,000, small cell USD 15,000 (radio, pole, power, installation), FTTH node
 *   USD 8,000 (splitter cabinet and its share of an OLT) and FTTH drop USD 300 per household are assumptions.
 */
struct CostModel {
    std::vector<double> slope_class_upper_deg{10.0, 20.0, 30.0};                 ///< class i: slope < bound i
    std::vector<double> fibre_usd_per_km{15850.0, 23775.0, 39625.0, 63400.0};    ///< one more entry than bounds
    double road_factor = 0.6;           ///< fibre cost multiplier on cells with a road or track
    std::map<int, double> landcover_factor; ///< land-cover class → multiplier (classes not listed: 1)
    double river_crossing_usd = 5000.0;
    double tower_fixed_usd = 125000.0;
    double tower_usd_per_m = 2500.0;    ///< per metre of mast
    double microwave_link_usd = 40000.0;
    double small_cell_usd = 15000.0;            ///< a small cell at a hamlet, without its backhaul
    double ftth_node_usd = 8000.0;              ///< the fibre-to-the-home node at a hamlet
    double ftth_drop_usd_per_household = 300.0; ///< one drop from the node into a house

    /** @throws InvalidArgument naming the field (sizes, order, negative costs). */
    void validate() const;
    /** Fibre cost per metre on ground of this slope, before road and land-cover factors. */
    [[nodiscard]] double fibre_usd_per_m(double slope_deg) const;
    [[nodiscard]] double tower_usd(double mast_height_m) const { return tower_fixed_usd + tower_usd_per_m * mast_height_m; }
};

/** Optional layers on the DEM's grid (empty rasters = not given). */
struct CostLayers {
    Raster<std::uint8_t> roads;     ///< 1 where a road or track runs
    Raster<std::uint8_t> rivers;    ///< 1 on a river
    Raster<float> landcover;        ///< land-cover class per cell (NaN = unknown)
};

/**
 * Rasterize a vector layer (lines or polygons; any OGR format and CRS) onto the DEM's grid: 1 in every cell a
 * feature touches. @throws IoError / InvalidArgument naming the file.
 */
[[nodiscard]] Raster<std::uint8_t> rasterize_vector(const std::string& path, const Dem& dem);

/** A raster (e.g. land cover) resampled to the DEM's grid by nearest neighbour. @throws IoError naming the file. */
[[nodiscard]] Raster<float> read_raster_on_grid(const std::string& path, const Dem& dem);

/** Cost of laying fibre per metre through each cell, USD; +∞ where there is no terrain. */
class CostSurface {
public:
    CostSurface(const Dem& dem, const CostModel& model, const CostLayers& layers = {});
    [[nodiscard]] const Raster<float>& usd_per_m() const noexcept { return m_cost; }
    [[nodiscard]] bool river(int col, int row) const noexcept;
    [[nodiscard]] const CostModel& model() const noexcept { return m_model; }

private:
    Raster<float> m_cost;
    Raster<std::uint8_t> m_rivers;
    CostModel m_model;
};

} // namespace coverage

#endif // COVERAGE_PLANNING_COST_SURFACE_HPP
