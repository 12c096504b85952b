#include <coverage/core/error.hpp>
#include <coverage/terrain/terrain_profile.hpp>

#include "core/vectorise.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace coverage {

void TerrainProfile::validate() const {
    if (elevation_m.size() < 2) {
        throw InvalidArgument("terrain profile needs at least 2 points (got " + std::to_string(elevation_m.size()) + ")");
    }
    if (!(step_m > 0.0) || !std::isfinite(step_m)) {
        throw InvalidArgument("terrain profile step_m must be a finite value > 0 (got " + std::to_string(step_m) + ")");
    }
    if (all_finite(elevation_m.data(), elevation_m.size())) {
        return;
    }
    for (std::size_t i = 0; i < elevation_m.size(); ++i) {
        if (!std::isfinite(elevation_m[i])) {
            throw InvalidArgument("terrain profile point " + std::to_string(i) + " at " +
                                  std::to_string(distance_m(i)) + " m has no elevation (void)");
        }
    }
}

TerrainProfile TerrainProfile::reversed() const {
    TerrainProfile r{elevation_m, step_m};
    std::reverse(r.elevation_m.begin(), r.elevation_m.end());
    return r;
}

} // namespace coverage
