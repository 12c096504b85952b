// The parts of the delta-Bullington diffraction method (ITU-R P.526-15 §4.5, P.452-17 §4.2, P.1812-6 §4.3) that the
// plain delta-Bullington model and ITU-R P.1812 share: a view of a path, the knife-edge loss, the Bullington loss and
// the spherical-earth loss around its first term.
#ifndef COVERAGE_SRC_PROPAGATION_DIFFRACTION_PARTS_HPP
#define COVERAGE_SRC_PROPAGATION_DIFFRACTION_PARTS_HPP

#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>

namespace coverage::detail {

// A read-only view of a path: explicit distances or uniform spacing, real or all-zero heights.
// Lets the models run on a TerrainProfile without copying it (no allocation per call).
struct PathView {
    std::size_t n = 0;
    const double* d_km = nullptr; ///< nullptr: uniform spacing step_km
    double step_km = 0.0;
    const double* h_m = nullptr;  ///< nullptr: a zero-height (smooth) profile
    [[nodiscard]] double dist(std::size_t i) const noexcept { return d_km != nullptr ? d_km[i] : static_cast<double>(i) * step_km; }
    [[nodiscard]] double elev(std::size_t i) const noexcept { return h_m != nullptr ? h_m[i] : 0.0; }
    [[nodiscard]] double length() const noexcept { return dist(n - 1) - dist(0); }
};

// Knife-edge loss approximation J(ν), P.526-15 eq. (31); 0 for ν <= -0.78.
inline double knife_edge_j_db(double nu) {
    if (nu <= -0.78) {
        return 0.0;
    }
    return 6.9 + 20.0 * std::log10(std::sqrt((nu - 0.1) * (nu - 0.1) + 1.0) + nu - 0.1);
}

// The diffraction parameter at the Bullington point, where the horizon rays of slopes s_tim and s_rim meet
// (P.1812-6 eqs. (18)-(19)); both slopes zero: the obstacle just grazes the direct ray (ν = 0).
inline double bullington_point_nu(double s_tim, double s_rim, double d, double hts_amsl_m, double hrs_amsl_m, double lambda) {
    const double d_bp = (hrs_amsl_m - hts_amsl_m + s_rim * d) / (s_tim + s_rim);
    return s_tim + s_rim == 0.0 ? 0.0 : (hts_amsl_m + s_tim * d_bp - (hts_amsl_m * (d - d_bp) + hrs_amsl_m * d_bp) / d) *
                                            std::sqrt(0.002 * d / (lambda * d_bp * (d - d_bp)));
}

// The Bullington loss from the knife-edge loss of its point, P.1812-6 eq. (21).
inline double bullington_total_db(double l_uc, double d) { return l_uc + (1.0 - std::exp(-l_uc / 6.0)) * (10.0 + 0.02 * d); }

// Line of sight: the highest diffraction parameter over the path's interior points (P.1812-6 eq. (15)).
inline double line_of_sight_nu_max(const PathView& path, double hts_amsl_m, double hrs_amsl_m, double lambda, double a_e_km) {
    const double d = path.length();
    const double c_e = 1.0 / a_e_km;
    double nu_max = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i + 1 < path.n; ++i) {
        const double di = path.dist(i);
        const double nu = (path.elev(i) + 500.0 * c_e * di * (d - di) - (hts_amsl_m * (d - di) + hrs_amsl_m * di) / d) *
                          std::sqrt(0.002 * d / (lambda * di * (d - di)));
        nu_max = std::max(nu_max, nu);
    }
    return nu_max;
}

// Bullington loss over the interior points of a path (P.1812-6 eqs. (13)-(21)), dB, for a wavelength in metres (the
// SG3 delta-Bullington examples take 0.3/f_GHz; P.1812-6 and P.2001 take 0.2998/f_GHz).
inline double bullington_db(const PathView& path, double hts_amsl_m, double hrs_amsl_m, double lambda, double a_e_km) {
    const std::size_t n = path.n;
    const double d = path.length();
    const double c_e = 1.0 / a_e_km;

    double s_tim = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double di = path.dist(i);
        s_tim = std::max(s_tim, (path.elev(i) + 500.0 * c_e * di * (d - di) - hts_amsl_m) / di);
    }
    const double s_tr = (hrs_amsl_m - hts_amsl_m) / d;

    double l_uc = 0.0;
    if (s_tim < s_tr) {
        l_uc = n > 2 ? knife_edge_j_db(line_of_sight_nu_max(path, hts_amsl_m, hrs_amsl_m, lambda, a_e_km)) : 0.0;
    } else {
        // Trans-horizon: the Bullington point where the two horizon rays meet.
        double s_rim = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const double di = path.dist(i);
            s_rim = std::max(s_rim, (path.elev(i) + 500.0 * c_e * di * (d - di) - hrs_amsl_m) / (d - di));
        }
        l_uc = knife_edge_j_db(bullington_point_nu(s_tim, s_rim, d, hts_amsl_m, hrs_amsl_m, lambda));
    }
    return bullington_total_db(l_uc, d);
}

// Spherical-earth diffraction loss (P.452-17 §4.2.2, P.1812-6 §4.3.2, eqs. (22)-(27)), dB, for heights above the
// smooth surface. `first_term(a_dft_km)` gives the first-term loss for an earth radius; the two recommendations differ
// only in it (one ground, or land and sea weighted by the sea fraction) and in the wavelength.
template <class FirstTerm>
double spherical_earth_db(double d_km, double hte_m, double hre_m, double lambda_m, double a_e_km, const FirstTerm& first_term) {
    const double d_los = std::sqrt(2.0 * a_e_km) * (std::sqrt(0.001 * hte_m) + std::sqrt(0.001 * hre_m)); // eq. (22)
    if (d_km >= d_los) {
        return first_term(a_e_km);
    }
    // Within LOS of the smooth earth: interpolate on the clearance of the smooth surface, eqs. (23)-(27).
    const double c = (hte_m - hre_m) / (hte_m + hre_m);
    const double m = 250.0 * d_km * d_km / (a_e_km * (hte_m + hre_m));
    const double b = 2.0 * std::sqrt((m + 1.0) / (3.0 * m)) *
                     std::cos(std::numbers::pi / 3.0 +
                              1.0 / 3.0 * std::acos(3.0 * c / 2.0 * std::sqrt(3.0 * m / std::pow(m + 1.0, 3.0))));
    const double d_se1 = d_km / 2.0 * (1.0 + b);
    const double d_se2 = d_km - d_se1;
    const double h_se = ((hte_m - 500.0 * d_se1 * d_se1 / a_e_km) * d_se2 + (hre_m - 500.0 * d_se2 * d_se2 / a_e_km) * d_se1) / d_km;
    const double h_req = 17.456 * std::sqrt(d_se1 * d_se2 * lambda_m / d_km);
    if (h_se > h_req) {
        return 0.0;
    }
    const double a_em = 500.0 * std::pow(d_km / (std::sqrt(hte_m) + std::sqrt(hre_m)), 2.0);
    const double l_dft = first_term(a_em);
    if (l_dft < 0.0) {
        return 0.0;
    }
    return (1.0 - h_se / h_req) * l_dft;
}

} // namespace coverage::detail

#endif // COVERAGE_SRC_PROPAGATION_DIFFRACTION_PARTS_HPP
