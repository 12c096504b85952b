#include <coverage/core/error.hpp>
#include <coverage/propagation/free_space_model.hpp>

#include <cmath>
#include <string>

namespace coverage {

PathLoss FreeSpaceModel::path_loss(const TerrainProfile& profile, const LinkParams& link) const {
    profile.validate();
    if (!(link.tx_height_agl_m >= 0.0) || !(link.rx_height_agl_m >= 0.0)) {
        throw OutOfDomain("free space: antenna heights must be >= 0 m (tx_height_agl_m = " +
                          std::to_string(link.tx_height_agl_m) + ", rx_height_agl_m = " +
                          std::to_string(link.rx_height_agl_m) + ")");
    }
    const double dz = (profile.elevation_m.back() + link.rx_height_agl_m) - (profile.elevation_m.front() + link.tx_height_agl_m);
    const double slant_m = std::hypot(profile.length_m(), dz);
    PathLoss out;
    out.loss_db = free_space_loss_db(slant_m, link.freq_mhz);
    out.free_space_loss_db = out.loss_db;
    return out;
}

} // namespace coverage
