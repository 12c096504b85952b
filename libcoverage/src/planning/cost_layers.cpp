// The planning cost layers read onto the DEM's grid: vector layers (roads, rivers) burnt into cells and a land-cover
// raster resampled, both through io's generic grid functions.

#include <coverage/io/raster_io.hpp>
#include <coverage/planning/cost_surface.hpp>

#include <string>

namespace coverage {

Raster<std::uint8_t> rasterize_vector(const std::string& path, const Dem& dem) { return rasterize_layer(path, dem.raster()); }

Raster<float> read_raster_on_grid(const std::string& path, const Dem& dem) { return resample_onto_grid(path, dem.raster()); }

} // namespace coverage
