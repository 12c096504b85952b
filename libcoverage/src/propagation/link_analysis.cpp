#include <coverage/core/error.hpp>
#include <coverage/core/geo.hpp>
#include <coverage/propagation/link_analysis.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace coverage {

namespace {

void check(const TerrainProfile& profile, const LinkGeometryParams& p) {
    profile.validate();
    if (!(p.freq_mhz > 0.0)) {
        throw InvalidArgument("link geometry: freq_mhz must be > 0 (got " + std::to_string(p.freq_mhz) + ")");
    }
    if (!(p.k_factor > 0.0)) {
        throw InvalidArgument("link geometry: k_factor must be > 0 (got " + std::to_string(p.k_factor) + ")");
    }
    if (!(p.tx_height_agl_m >= 0.0) || !(p.rx_height_agl_m >= 0.0)) {
        throw OutOfDomain("link geometry: antenna heights must be >= 0 m (tx_height_agl_m = " +
                          std::to_string(p.tx_height_agl_m) + ", rx_height_agl_m = " + std::to_string(p.rx_height_agl_m) + ")");
    }
}

} // namespace

std::vector<ProfilePoint> profile_points(const TerrainProfile& profile, const LinkGeometryParams& params) {
    check(profile, params);
    const double d = profile.length_m();
    const double a_e = params.k_factor * earth_radius_m;
    const double lambda_m = 299.792458 / params.freq_mhz;
    const double z_tx = profile.elevation_m.front() + params.tx_height_agl_m;
    const double z_rx = profile.elevation_m.back() + params.rx_height_agl_m;
    std::vector<ProfilePoint> out(profile.point_count());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const double d1 = profile.distance_m(i);
        const double d2 = d - d1;
        ProfilePoint& p = out[i];
        p.distance_m = d1;
        p.ground_m = profile.elevation_m[i];
        p.ground_with_bulge_m = p.ground_m + d1 * d2 / (2.0 * a_e);
        p.los_m = z_tx + (z_rx - z_tx) * d1 / d;
        p.fresnel_radius_m = std::sqrt(std::max(0.0, lambda_m * d1 * d2 / d));
    }
    return out;
}

LinkGeometry analyse_link_geometry(const TerrainProfile& profile, const LinkGeometryParams& params) {
    const std::vector<ProfilePoint> pts = profile_points(profile, params);
    LinkGeometry g;
    g.distance_m = profile.length_m();
    bool first = true;
    double worst_ratio = 0.0;
    for (std::size_t i = 1; i + 1 < pts.size(); ++i) {
        const ProfilePoint& p = pts[i];
        const double clearance = p.los_m - p.ground_with_bulge_m;
        if (clearance <= 0.0) {
            g.line_of_sight = false;
        }
        const double ratio = clearance / p.fresnel_radius_m;
        if (first || ratio < worst_ratio) {
            first = false;
            worst_ratio = ratio;
            g.worst_clearance_m = clearance;
            g.worst_fresnel_radius_m = p.fresnel_radius_m;
            g.worst_distance_m = p.distance_m;
            g.worst_index = i;
        }
    }
    g.worst_fresnel_clear_pct = first ? 100.0 : std::min(100.0, 100.0 * worst_ratio);
    return g;
}

} // namespace coverage
