// ITU-R P.2108-1 (09/2021), "Prediction of clutter loss", §3.1 and §3.2. Validated against NTIA's test data
// (tests/cpp/propagation/test_p2108.cpp, data/reference/p2108).
#include <coverage/propagation/p2108.hpp>
#include <coverage/core/error.hpp>
#include <coverage/propagation/p1812_model.hpp>

#include "core/text.hpp"
#include "propagation/diffraction_parts.hpp"

#include <cmath>
#include <numbers>

namespace coverage {

namespace {

struct ClutterRow {
    P2108Clutter clutter;
    const char* name;
    double height_m;
};

constexpr ClutterRow clutter_table[] = {
    {P2108Clutter::water_sea, "water_sea", 10.0},   {P2108Clutter::open_rural, "open_rural", 10.0},
    {P2108Clutter::suburban, "suburban", 10.0},     {P2108Clutter::urban, "urban", 15.0},
    {P2108Clutter::trees_forest, "trees_forest", 15.0}, {P2108Clutter::dense_urban, "dense_urban", 20.0},
};

const ClutterRow& row_of(P2108Clutter c) {
    for (const ClutterRow& r : clutter_table) {
        if (r.clutter == c) {
            return r;
        }
    }
    throw InvalidArgument(detail::format("P.2108 clutter type %d is not one of Table 3's (1 to 6)", static_cast<int>(c)));
}

// One terminal's statistical clutter loss at a distance, eqs. (3)-(5).
double terrestrial_at(double f_ghz, double d_km, double p) {
    const double sigma_l = 4.0;
    const double sigma_s = 6.0;
    const double l_l = -2.0 * std::log10(std::pow(10.0, -5.0 * std::log10(f_ghz) - 12.5) + std::pow(10.0, -16.5)); // (4a)
    const double l_s = 32.98 + 23.9 * std::log10(d_km) + 3.0 * std::log10(f_ghz);                                  // (5a)
    const double w_l = std::pow(10.0, -0.2 * l_l);
    const double w_s = std::pow(10.0, -0.2 * l_s);
    const double sigma_cb = std::sqrt((sigma_l * sigma_l * w_l + sigma_s * sigma_s * w_s) / (w_l + w_s));          // (3b)
    return -5.0 * std::log10(w_l + w_s) - sigma_cb * p1812_inverse_normal(p / 100.0);                              // (3a)
}

} // namespace

const char* to_string(P2108Clutter c) noexcept {
    for (const ClutterRow& r : clutter_table) {
        if (r.clutter == c) {
            return r.name;
        }
    }
    return "unknown";
}

P2108Clutter p2108_clutter_from(const std::string& name) {
    std::string list;
    for (const ClutterRow& r : clutter_table) {
        if (name == r.name) {
            return r.clutter;
        }
        list += std::string(list.empty() ? "" : ", ") + r.name;
    }
    throw InvalidArgument("'" + name + "' is not a P.2108 clutter type (" + list + ")");
}

double p2108_default_height_m(P2108Clutter c) noexcept {
    for (const ClutterRow& r : clutter_table) {
        if (r.clutter == c) {
            return r.height_m;
        }
    }
    return 0.0;
}

double p2108_terminal_correction_db(double freq_mhz, double height_m, double clutter_height_m, P2108Clutter clutter,
                                    double street_width_m) {
    const double f = freq_mhz / 1000.0;
    if (!(f >= 0.03 && f <= 3.0)) {
        throw OutOfDomain(detail::format("ITU-R P.2108 §3.1: freq_mhz must be 30 to 3000 (got %g)", freq_mhz));
    }
    if (!(height_m > 0.0) || !(street_width_m > 0.0) || !(clutter_height_m > 0.0)) {
        throw OutOfDomain(detail::format("ITU-R P.2108 §3.1: the terminal height (%g m), street width (%g m) and clutter "
                                         "height (%g m) must be > 0", height_m, street_width_m, clutter_height_m));
    }
    (void)row_of(clutter);
    if (height_m >= clutter_height_m) {
        return 0.0;
    }
    const double h_dif = clutter_height_m - height_m;                                            // (2d)
    if (clutter == P2108Clutter::water_sea || clutter == P2108Clutter::open_rural) {
        return -(21.8 + 6.2 * std::log10(f)) * std::log10(height_m / clutter_height_m);          // (2b), (2f)
    }
    const double theta_clut_deg = std::atan(h_dif / street_width_m) * 180.0 / std::numbers::pi;  // (2e)
    const double nu = 0.342 * std::sqrt(f) * std::sqrt(h_dif * theta_clut_deg);                   // (2c), (2g)
    return detail::knife_edge_j_db(nu) - 6.03;                                                    // (2a)
}

double p2108_terrestrial_clutter_loss_db(double freq_mhz, double distance_km, double location_pct) {
    const double f = freq_mhz / 1000.0;
    if (!(f >= 0.5 && f <= 67.0)) {
        throw OutOfDomain(detail::format("ITU-R P.2108 §3.2: freq_mhz must be 500 to 67000 (got %g)", freq_mhz));
    }
    if (!(distance_km >= 0.25)) {
        throw OutOfDomain(detail::format("ITU-R P.2108 §3.2: the path must be at least 0.25 km long (got %g km)", distance_km));
    }
    if (!(location_pct > 0.0 && location_pct < 100.0)) {
        throw OutOfDomain(detail::format("ITU-R P.2108 §3.2: location_pct must be between 0 and 100 (got %g)", location_pct));
    }
    return std::min(terrestrial_at(f, 2.0, location_pct), terrestrial_at(f, distance_km, location_pct)); // (6)
}

} // namespace coverage
