#ifndef COVERAGE_PLANNING_BACKHAUL_HPP
#define COVERAGE_PLANNING_BACKHAUL_HPP

// How a new tower reaches the network: new fibre or a microwave hop to a fibred site.

#include <coverage/core/geo.hpp>
#include <coverage/planning/fibre_router.hpp>

#include <string>

namespace coverage {

/** How a new tower is connected to the network. */
struct Backhaul {
    enum class Kind { none, fibre, microwave };
    Kind kind = Kind::none;
    double cost_usd = 0.0;
    Route fibre;                     ///< kind == fibre
    std::string microwave_to;        ///< kind == microwave: the fibred site
    GeoPoint microwave_to_location;
    double microwave_distance_m = 0.0;
    double microwave_fresnel_clear_pct = 0.0;
    std::string why_none;            ///< kind == none: why neither works
};

/** Microwave backhaul rules. */
struct MicrowaveRules {
    double freq_mhz = 15000.0;
    double max_distance_m = 30000.0;
    double min_fresnel_clear_pct = 60.0;   ///< of the first Fresnel zone, at the worst point
    double k_factor = 4.0 / 3.0;
    double fibred_site_max_distance_m = 300.0; ///< an existing site this close to the fibre counts as fibred
};

} // namespace coverage

#endif // COVERAGE_PLANNING_BACKHAUL_HPP
