// A sector as the engine sees it on the grid: its site, antenna altitude, radius, sampling and true north.

#include "coverage/engine_parts.hpp"

namespace coverage::detail {

// The grid bearing of true north at a point: the direction in the grid of a point 1e-4 degree (11 m) north of it.
// Sector azimuths are given from true north, as planners and compasses give them; a grid's north differs from
// it by the meridian convergence (in UTM up to about 3°·sin(latitude) at a zone's edge).
double true_north_grid_deg(const Dem& dem, GeoPoint p) {
    const double step_deg = p.lat_deg < 89.0 ? 1e-4 : -1e-4; // near the pole, a point south, its direction turned round
    const GridPoint here = dem.to_grid(p);
    const GridPoint other = dem.to_grid(GeoPoint{.lat_deg = p.lat_deg + step_deg, .lon_deg = p.lon_deg});
    return std::atan2((other.x_m - here.x_m) * step_deg, (other.y_m - here.y_m) * step_deg) * deg_per_rad;
}

SectorGeometry geometry_of(const Dem& dem, GridPoint site, double ground_m, const Sector& s, double radius_m,
                           std::optional<double> sample_m, ProfileSampling sampling) {
    return SectorGeometry{.site = site, .ground_m = ground_m, .antenna_m = ground_m + s.height_agl_m, .radius_m = radius_m,
                          .step_m = dem.cell_size_m(), .sample_m = sample_m ? *sample_m : dem.cell_size_m(),
                          .true_north_grid_deg = s.pattern->is_omni() ? 0.0 : true_north_grid_deg(dem, s.location),
                          .sampling = sampling};
}

} // namespace coverage::detail
