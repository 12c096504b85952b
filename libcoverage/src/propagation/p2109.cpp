// ITU-R P.2109-1 (08/2019), "Prediction of building entry loss", Annex 1 §3: a mixture of two log-normal
// distributions and a constant, with the coefficients of its Table 1.

#include <coverage/core/error.hpp>
#include <coverage/core/numbers.hpp>
#include <coverage/propagation/p2109.hpp>

#include "core/text.hpp"

#include <cmath>

namespace coverage {

namespace {

struct Coefficients {
    double r, s, t, u, v, w, x, y, z;
};

// Table 1 of ITU-R P.2109-1.
constexpr Coefficients traditional_coefficients{12.64, 3.72, 0.96, 9.6, 2.0, 9.1, -3.0, 4.5, -2.0};
constexpr Coefficients thermally_efficient_coefficients{28.19, -3.0, 8.48, 13.5, 3.8, 27.8, -2.9, 9.4, -2.1};

} // namespace

const char* to_string(BuildingType t) noexcept {
    return t == BuildingType::thermally_efficient ? "thermally_efficient" : "traditional";
}

BuildingType building_type_from(const std::string& name) {
    if (name == "traditional") {
        return BuildingType::traditional;
    }
    if (name == "thermally_efficient") {
        return BuildingType::thermally_efficient;
    }
    throw InvalidArgument("building type '" + name + "' is not one of ITU-R P.2109's: traditional, thermally_efficient");
}

double p2109_building_entry_loss_db(double freq_mhz, double prob_pct, BuildingType type, double elevation_deg) {
    if (!(freq_mhz >= 80.0 && freq_mhz <= 100000.0)) {
        throw OutOfDomain(detail::format("ITU-R P.2109: frequency %g MHz is outside 80 MHz to 100 GHz", freq_mhz));
    }
    if (!(prob_pct > 0.0 && prob_pct < 100.0)) {
        throw OutOfDomain(detail::format("ITU-R P.2109: the probability must be between 0 and 100 %% (got %g)", prob_pct));
    }
    if (!(std::abs(elevation_deg) < 90.0)) {
        throw OutOfDomain(detail::format("ITU-R P.2109: the elevation angle at the façade must be within ±90° (got %g)", elevation_deg));
    }
    const Coefficients& k = type == BuildingType::thermally_efficient ? thermally_efficient_coefficients : traditional_coefficients;
    const double lf = std::log10(freq_mhz / 1000.0);
    const double l_h = k.r + k.s * lf + k.t * lf * lf;   // (2a) median loss of a horizontal path
    const double l_e = 0.212 * std::abs(elevation_deg);  // (2b) elevation correction
    const double mu1 = l_h + l_e;                         // (2c)
    const double mu2 = k.w + k.x * lf;                    // (2d)
    const double sigma1 = k.u + k.v * lf;                 // (2e)
    const double sigma2 = k.y + k.z * lf;                 // (2f)
    const double f_inv = standard_normal_quantile(prob_pct / 100.0);
    const double a = f_inv * sigma1 + mu1;                // (1a)
    const double b = f_inv * sigma2 + mu2;                // (1b)
    constexpr double c = -3.0;                            // (1c)
    return 10.0 * std::log10(std::pow(10.0, 0.1 * a) + std::pow(10.0, 0.1 * b) + std::pow(10.0, 0.1 * c)); // (1)
}

} // namespace coverage
