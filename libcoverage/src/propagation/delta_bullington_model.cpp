#include <coverage/propagation/delta_bullington_model.hpp>
#include <coverage/core/error.hpp>

#include "propagation/diffraction_parts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

namespace coverage {

namespace {

using detail::PathView;

double wavelength_m(double freq_mhz) { return 0.3 / (freq_mhz / 1000.0); }

PathView view_of(const DistanceProfile& p) {
    return PathView{.n = p.elevation_m.size(), .d_km = p.distance_km.data(), .step_km = 0.0, .h_m = p.elevation_m.data()};
}

void check_link_inputs(const LinkParams& link) {
    if (!(link.freq_mhz > 0.0) || !std::isfinite(link.freq_mhz)) {
        throw OutOfDomain("delta-Bullington: freq_mhz must be > 0 (got " + std::to_string(link.freq_mhz) + ")");
    }
    if (!(link.tx_height_agl_m > 0.0) || !std::isfinite(link.tx_height_agl_m)) {
        throw OutOfDomain("delta-Bullington: tx_height_agl_m must be > 0 (got " + std::to_string(link.tx_height_agl_m) + ")");
    }
    if (!(link.rx_height_agl_m > 0.0) || !std::isfinite(link.rx_height_agl_m)) {
        throw OutOfDomain("delta-Bullington: rx_height_agl_m must be > 0 (got " + std::to_string(link.rx_height_agl_m) + ")");
    }
}

void check_link(const TerrainProfile& profile, const LinkParams& link) {
    profile.validate();
    check_link_inputs(link);
}

} // namespace

void DeltaBullingtonModel::validate_link(const LinkParams& link) const { check_link_inputs(link); }

DistanceProfile DistanceProfile::from(const TerrainProfile& profile) {
    DistanceProfile out;
    out.elevation_m = profile.elevation_m;
    out.distance_km.resize(profile.point_count());
    for (std::size_t i = 0; i < out.distance_km.size(); ++i) {
        out.distance_km[i] = profile.distance_m(i) / 1000.0;
    }
    return out;
}

void DistanceProfile::validate() const {
    if (distance_km.size() != elevation_m.size()) {
        throw InvalidArgument("profile: " + std::to_string(distance_km.size()) + " distances but " +
                              std::to_string(elevation_m.size()) + " elevations");
    }
    if (distance_km.size() < 3) {
        throw InvalidArgument("delta-Bullington needs a profile of at least 3 points (got " +
                              std::to_string(distance_km.size()) + ")");
    }
    if (distance_km.front() != 0.0) {
        throw InvalidArgument("profile must start at distance 0 (the transmitter)");
    }
    for (std::size_t i = 0; i < distance_km.size(); ++i) {
        if (!std::isfinite(elevation_m[i]) || !std::isfinite(distance_km[i])) {
            throw InvalidArgument("profile point " + std::to_string(i) + " is not finite (void?)");
        }
        if (i > 0 && !(distance_km[i] > distance_km[i - 1])) {
            throw InvalidArgument("profile distances must increase strictly (point " + std::to_string(i) + ")");
        }
    }
}

namespace {

SmoothEarthHeights smooth_heights(const PathView& path, double hts_amsl_m, double hrs_amsl_m) {
    const std::size_t n = path.n;
    const double d = path.length();

    // Least-squares smooth surface through the profile, P.452-17 eqs. (161)-(164).
    double v1 = 0.0;
    double v2 = 0.0;
    for (std::size_t i = 1; i < n; ++i) {
        const double di = path.dist(i);
        const double dp = path.dist(i - 1);
        const double hi = path.elev(i);
        const double hp = path.elev(i - 1);
        v1 += (di - dp) * (hi + hp);
        v2 += (di - dp) * (hi * (2.0 * di + dp) + hp * (di + 2.0 * dp));
    }
    const double hst_ip = (2.0 * v1 * d - v2) / (d * d);
    const double hsr_ip = (v2 - v1 * d) / (d * d);

    // Highest obstruction above the direct ray and its slopes from each end, eqs. (165)-(168).
    double h_obs = -std::numeric_limits<double>::infinity();
    double alpha_obt = -std::numeric_limits<double>::infinity();
    double alpha_obr = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double di = path.dist(i);
        const double hi = path.elev(i) - (hts_amsl_m * (d - di) + hrs_amsl_m * di) / d;
        h_obs = std::max(h_obs, hi);
        alpha_obt = std::max(alpha_obt, hi / di);
        alpha_obr = std::max(alpha_obr, hi / (d - di));
    }
    double hst_p = hst_ip;
    double hsr_p = hsr_ip;
    if (n > 2 && h_obs > 0.0) {
        const double g_t = alpha_obt / (alpha_obt + alpha_obr);
        const double g_r = alpha_obr / (alpha_obt + alpha_obr);
        hst_p = hst_ip - h_obs * g_t;
        hsr_p = hsr_ip - h_obs * g_r;
    }
    const double hst = std::min(hst_p, path.elev(0));
    const double hsr = std::min(hsr_p, path.elev(n - 1));
    return SmoothEarthHeights{.hts_prime_m = hts_amsl_m - hst, .hrs_prime_m = hrs_amsl_m - hsr};
}

} // namespace

double bullington_loss_db(const DistanceProfile& profile, double hts_amsl_m, double hrs_amsl_m, double freq_mhz,
                          double a_e_km) {
    profile.validate();
    return detail::bullington_db(view_of(profile), hts_amsl_m, hrs_amsl_m, wavelength_m(freq_mhz), a_e_km);
}

SmoothEarthHeights smooth_earth_heights(const DistanceProfile& profile, double hts_amsl_m, double hrs_amsl_m) {
    profile.validate();
    return smooth_heights(view_of(profile), hts_amsl_m, hrs_amsl_m);
}

SphericalFirstTerm spherical_first_term(double d_km, double hte_m, double hre_m, double freq_mhz, double a_dft_km,
                                        GroundConstants ground, Polarization pol) {
    const double f_ghz = freq_mhz / 1000.0;
    const double eps = ground.epsilon;
    const double s18 = 18.0 * ground.sigma_s_per_m / f_ghz;
    // P.452-17 eqs. (30a), (30b)
    const double k_h = 0.036 * std::pow(a_dft_km * f_ghz, -1.0 / 3.0) * std::pow((eps - 1.0) * (eps - 1.0) + s18 * s18, -0.25);
    const double k = pol == Polarization::horizontal ? k_h : k_h * std::sqrt(eps * eps + s18 * s18);
    const double k2 = k * k;
    const double beta = (1.0 + 1.6 * k2 + 0.67 * k2 * k2) / (1.0 + 4.5 * k2 + 1.53 * k2 * k2); // eq. (31)
    const double x = 21.88 * beta * std::pow(f_ghz / (a_dft_km * a_dft_km), 1.0 / 3.0) * d_km;  // eq. (32)
    const double y_t = 0.9575 * beta * std::pow(f_ghz * f_ghz / a_dft_km, 1.0 / 3.0) * hte_m;    // eq. (33)
    const double y_r = 0.9575 * beta * std::pow(f_ghz * f_ghz / a_dft_km, 1.0 / 3.0) * hre_m;

    const double f_x = x >= 1.6 ? 11.0 + 10.0 * std::log10(x) - 17.6 * x            // eq. (34)
                                : -20.0 * std::log10(x) - 5.6488 * std::pow(x, 1.425);
    auto g = [&](double y) {                                                            // eq. (35)
        const double b = beta * y;
        const double value = b > 2.0 ? 17.6 * std::sqrt(b - 1.1) - 5.0 * std::log10(b - 1.1) - 8.0
                                     : 20.0 * std::log10(b + 0.1 * b * b * b);
        return std::max(value, 2.0 + 20.0 * std::log10(k));
    };
    return SphericalFirstTerm{.f_x_db = f_x, .g_y_tx_db = g(y_t), .g_y_rx_db = g(y_r)};
}

double spherical_earth_diffraction_db(double d_km, double hte_m, double hre_m, double freq_mhz, double a_e_km,
                                      GroundConstants ground, Polarization pol) {
    return detail::spherical_earth_db(d_km, hte_m, hre_m, wavelength_m(freq_mhz), a_e_km, [&](double a_dft_km) {
        return spherical_first_term(d_km, hte_m, hre_m, freq_mhz, a_dft_km, ground, pol).loss_db();
    });
}

DeltaBullingtonModel::DeltaBullingtonModel(double effective_earth_radius_km, GroundConstants ground)
    : m_a_e_km(effective_earth_radius_km), m_ground(ground) {
    if (!(effective_earth_radius_km > 0.0)) {
        throw InvalidArgument("delta-Bullington: effective earth radius must be > 0 km (got " +
                              std::to_string(effective_earth_radius_km) + ")");
    }
    if (!(ground.epsilon >= 1.0) || !(ground.sigma_s_per_m > 0.0)) {
        throw InvalidArgument("delta-Bullington: ground epsilon must be >= 1 and sigma_s_per_m > 0");
    }
}

namespace {

BullingtonIntermediate delta_bullington_on(const PathView& path, double tx_height_agl_m, double rx_height_agl_m,
                                           double freq_mhz, double a_e_km, GroundConstants ground, Polarization pol) {
    const double hts = path.elev(0) + tx_height_agl_m;
    const double hrs = path.elev(path.n - 1) + rx_height_agl_m;
    BullingtonIntermediate bi;
    bi.l_bulla_db = detail::bullington_db(path, hts, hrs, wavelength_m(freq_mhz), a_e_km);
    const SmoothEarthHeights se = smooth_heights(path, hts, hrs);
    bi.hts_prime_m = se.hts_prime_m;
    bi.hrs_prime_m = se.hrs_prime_m;
    PathView smooth = path;
    smooth.h_m = nullptr; // the same distances over a zero-height profile
    bi.l_bulls_db = detail::bullington_db(smooth, se.hts_prime_m, se.hrs_prime_m, wavelength_m(freq_mhz), a_e_km);
    bi.l_dsph_db = spherical_earth_diffraction_db(path.length(), se.hts_prime_m, se.hrs_prime_m, freq_mhz, a_e_km, ground, pol);
    bi.l_d_db = bi.l_bulla_db + std::max(bi.l_dsph_db - bi.l_bulls_db, 0.0);
    return bi;
}

} // namespace

BullingtonIntermediate delta_bullington(const DistanceProfile& profile, double tx_height_agl_m, double rx_height_agl_m,
                                        double freq_mhz, double a_e_km, GroundConstants ground, Polarization pol) {
    profile.validate();
    return delta_bullington_on(view_of(profile), tx_height_agl_m, rx_height_agl_m, freq_mhz, a_e_km, ground, pol);
}

PathLoss DeltaBullingtonModel::path_loss(const TerrainProfile& profile, const LinkParams& link) const {
    check_link(profile, link);
    PathLoss out;
    // A terminal within one step of the other (a cell next to its mast) gives a profile of its two ends only:
    // nothing can stand between them, so the ground is taken as straight between the two, with a midpoint on that
    // line. The method then runs as for any path (its spherical-earth part included) instead of failing the run.
    std::array<double, 3> straight{};
    const std::size_t n = profile.point_count() == 2 ? 3 : profile.point_count();
    double step_m = profile.step_m;
    const double* h = profile.elevation_m.data();
    if (profile.point_count() == 2) {
        straight = {profile.elevation_m[0], 0.5 * (profile.elevation_m[0] + profile.elevation_m[1]), profile.elevation_m[1]};
        step_m = profile.step_m / 2.0;
        h = straight.data();
    }
    const PathView path{.n = n, .d_km = nullptr, .step_km = step_m / 1000.0, .h_m = h};
    out.bullington = delta_bullington_on(path, link.tx_height_agl_m, link.rx_height_agl_m, link.freq_mhz, m_a_e_km,
                                         m_ground, link.polarization);
    out.free_space_loss_db = free_space_loss_db(profile.length_m(), link.freq_mhz);
    out.loss_db = out.free_space_loss_db + out.bullington->l_d_db;
    out.mode = out.bullington->l_d_db > 0.0 ? PropagationMode::diffraction : PropagationMode::line_of_sight;
    return out;
}

} // namespace coverage
