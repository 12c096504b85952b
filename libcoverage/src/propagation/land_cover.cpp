#include <coverage/propagation/land_cover.hpp>
#include <coverage/core/error.hpp>

#include "core/text.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace coverage {

const LandCoverClass* LandCoverTable::find(int code) const noexcept {
    for (const LandCoverClass& c : classes) {
        if (c.code == code) {
            return &c;
        }
    }
    return nullptr;
}

std::string LandCoverTable::describe_codes() const {
    std::string out;
    for (const LandCoverClass& c : classes) {
        out += (out.empty() ? "" : ", ") + std::to_string(c.code) + " " + c.name;
    }
    return out;
}

void LandCoverTable::validate() const {
    if (classes.empty()) {
        throw InvalidArgument("land-cover class table '" + name + "' has no class");
    }
    std::set<int> seen;
    for (const LandCoverClass& c : classes) {
        if (!seen.insert(c.code).second) {
            throw InvalidArgument(detail::format("land-cover class table '%s': code %d appears twice", name.c_str(), c.code));
        }
        if (c.name.empty()) {
            throw InvalidArgument(detail::format("land-cover class table '%s': code %d has no name", name.c_str(), c.code));
        }
        if (!(c.clutter_height_m >= 0.0 && c.clutter_height_m <= 100.0)) {
            throw InvalidArgument(detail::format("land-cover class table '%s': code %d (%s): clutter_height_m %g is outside 0-100 m",
                                                 name.c_str(), c.code, c.name.c_str(), c.clutter_height_m));
        }
    }
}

LandCoverTable worldcover_land_cover_table() {
    const std::string open = "open/rural: P.1812-6 Table 2, R = 0 m";
    const std::string water = "water/sea: P.1812-6 Table 2, R = 0 m";
    const std::string trees = "urban/trees/forest: P.1812-6 Table 2 and P.2108-1 Table 3, R = 15 m";
    const std::string suburban = "suburban: P.1812-6 Table 2 and P.2108-1 Table 3, R = 10 m (villages and small towns)";
    return LandCoverTable{
        .name = "ESA WorldCover 10 m",
        .classes = {
            {10, "tree cover", P2108Clutter::trees_forest, 15.0, trees},
            {20, "shrubland", P2108Clutter::open_rural, 0.0, open + " (shrubs below about 5 m)"},
            {30, "grassland", P2108Clutter::open_rural, 0.0, open},
            {40, "cropland", P2108Clutter::open_rural, 0.0, open + " (paddy and fields)"},
            {50, "built-up", P2108Clutter::suburban, 10.0, suburban},
            {60, "bare / sparse vegetation", P2108Clutter::open_rural, 0.0, open},
            {70, "snow and ice", P2108Clutter::open_rural, 0.0, open},
            {80, "permanent water bodies", P2108Clutter::water_sea, 0.0, water},
            {90, "herbaceous wetland", P2108Clutter::open_rural, 0.0, open},
            {95, "mangroves", P2108Clutter::trees_forest, 15.0, trees},
            {100, "moss and lichen", P2108Clutter::open_rural, 0.0, open},
        }};
}

P1812Clutter p1812_category(P2108Clutter clutter) noexcept {
    switch (clutter) {
    case P2108Clutter::water_sea:
        return P1812Clutter::water_sea;
    case P2108Clutter::open_rural:
        return P1812Clutter::open_rural;
    case P2108Clutter::suburban:
        return P1812Clutter::suburban;
    case P2108Clutter::urban:
    case P2108Clutter::trees_forest:
        return P1812Clutter::urban_trees_forest;
    case P2108Clutter::dense_urban:
        return P1812Clutter::dense_urban;
    }
    return P1812Clutter::open_rural;
}

double receiver_clutter_loss_db(const LandCoverClass& cls, double freq_mhz, double rx_height_agl_m, double distance_km) {
    if (!(freq_mhz >= 30.0 && freq_mhz <= 67000.0)) {
        throw OutOfDomain(detail::format("ITU-R P.2108 clutter loss covers 30 MHz to 67 GHz (got %g MHz)", freq_mhz));
    }
    if (cls.clutter_height_m <= 0.0 || rx_height_agl_m >= cls.clutter_height_m) {
        return 0.0;
    }
    if (freq_mhz <= 3000.0) {
        return p2108_terminal_correction_db(freq_mhz, rx_height_agl_m, cls.clutter_height_m, cls.clutter);
    }
    return p2108_terrestrial_clutter_loss_db(freq_mhz, std::max(distance_km, 0.25), 50.0);
}

} // namespace coverage
