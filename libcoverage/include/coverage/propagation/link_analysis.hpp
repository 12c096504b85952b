#ifndef COVERAGE_LINK_ANALYSIS_HPP
#define COVERAGE_LINK_ANALYSIS_HPP

#include <coverage/terrain/terrain_profile.hpp>

#include <cstddef>
#include <vector>

namespace coverage {

/** Geometry of a path independent of any propagation model. */
struct LinkGeometryParams {
    double freq_mhz = 0.0;
    double tx_height_agl_m = 0.0;
    double rx_height_agl_m = 0.0;
    double k_factor = 4.0 / 3.0; ///< effective earth radius factor (refraction), > 0
};

/**
 * Geometric line of sight and first-Fresnel-zone clearance over a profile, with earth curvature
 * (bulge d1·d2 / (2·k·R), R = 6371 km). Clearance is measured from the direct ray down to the
 * curved terrain at every interior point; the worst point is the one with the smallest clearance
 * relative to the local first-Fresnel radius r1 = sqrt(λ·d1·d2 / d).
 */
struct LinkGeometry {
    double distance_m = 0.0;
    bool line_of_sight = true;              ///< no interior point reaches the direct ray
    double worst_clearance_m = 0.0;         ///< clearance at the worst point (negative: terrain above the ray)
    double worst_fresnel_radius_m = 0.0;    ///< r1 at the worst point
    double worst_fresnel_clear_pct = 100.0; ///< 100·clearance/r1 at the worst point (capped at 100, may be negative)
    double worst_distance_m = 0.0;          ///< where the worst point is, from the transmitter
    std::size_t worst_index = 0;            ///< its profile index (0 when the profile has no interior point)
};

/** @throws InvalidArgument for a malformed profile or non-positive frequency/k; OutOfDomain for negative heights. */
[[nodiscard]] LinkGeometry analyse_link_geometry(const TerrainProfile& profile, const LinkGeometryParams& params);

/** Per-point quantities for plotting: the direct ray, the curved terrain and r1, all in metres. */
struct ProfilePoint {
    double distance_m = 0.0;
    double ground_m = 0.0;           ///< terrain elevation above MSL
    double ground_with_bulge_m = 0.0;///< terrain raised by the earth bulge (flat-earth equivalent)
    double los_m = 0.0;              ///< height of the direct ray above MSL
    double fresnel_radius_m = 0.0;   ///< first Fresnel zone radius
};

[[nodiscard]] std::vector<ProfilePoint> profile_points(const TerrainProfile& profile, const LinkGeometryParams& params);

} // namespace coverage

#endif // COVERAGE_LINK_ANALYSIS_HPP
