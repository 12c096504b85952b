// ITU-R P.1812-6, "A path-specific propagation prediction method for point-to-area terrestrial services in the
// frequency range 30 MHz to 6 000 MHz" (08/2021), Annex 1 §§3-4 and Attachment 1 §5. Equation numbers are the
// recommendation's. Validated against ITU-R's own validation cases (tests/data/p1812).
#include <coverage/propagation/p1812_model.hpp>
#include <coverage/core/error.hpp>
#include <coverage/propagation/delta_bullington_model.hpp>

#include "core/text.hpp"
#include "propagation/diffraction_parts.hpp"
#include "propagation/p1812_view.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

namespace coverage {

using detail::P1812View;

namespace {

constexpr double deg = std::numbers::pi / 180.0;

// Ground constants of §4.3.3: land (εr 22, σ 0.003 S/m) and sea (εr 80, σ 5 S/m).
constexpr GroundConstants land{.epsilon = 22.0, .sigma_s_per_m = 0.003};
constexpr GroundConstants sea{.epsilon = 80.0, .sigma_s_per_m = 5.0};

double zone_length_km(const P1812View& path, std::size_t first, std::size_t last) {
    // A run of points [first, last] of one kind stands for the path from half an interval before its first point to
    // half an interval after its last (Attachment 1 §3, as ITU's reference software measures it).
    const double* d = path.d_km;
    double length = d[last] - d[first];
    if (last + 1 < path.n) {
        length += (d[last + 1] - d[last]) / 2.0;
    }
    if (first > 0) {
        length += (d[first] - d[first - 1]) / 2.0;
    }
    return length;
}

RadioClimaticZone zone_at(const P1812View& path, std::size_t i) {
    return path.zone == nullptr ? RadioClimaticZone::inland : path.zone[i];
}

// The longest continuous run of points for which `in_kind` holds (dtm: land; dlm: inland), km.
template <class Pred>
double longest_run_km(const P1812View& path, Pred in_kind) {
    const std::size_t n = path.n;
    double longest = 0.0;
    std::size_t i = 0;
    while (i < n) {
        if (!in_kind(zone_at(path, i))) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j + 1 < n && in_kind(zone_at(path, j + 1))) {
            ++j;
        }
        longest = std::max(longest, zone_length_km(path, i, j));
        i = j + 1;
    }
    return longest;
}

// Fraction of the path over sea, ω (Table 3).
double sea_fraction(const P1812View& path) {
    const std::size_t n = path.n;
    double over_sea = 0.0;
    std::size_t i = 0;
    while (i < n) {
        if (zone_at(path, i) != RadioClimaticZone::sea) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j + 1 < n && zone_at(path, j + 1) == RadioClimaticZone::sea) {
            ++j;
        }
        over_sea += zone_length_km(path, i, j);
        i = j + 1;
    }
    return over_sea / (path.d_km[n - 1] - path.d_km[0]);
}

// β0, the time percentage for which refractivity lapse rates exceed 100 N-units/km in the first 100 m, eqs. (2)-(5).
double beta0_pct(double lat_deg, double dtm_km, double dlm_km) {
    const double tau = 1.0 - std::exp(-4.12e-4 * std::pow(dlm_km, 2.41));                                   // (3)
    const double mu1 = std::min(1.0, std::pow(std::pow(10.0, -dtm_km / (16.0 - 6.6 * tau)) +
                                                  std::pow(10.0, -5.0 * (0.496 + 0.354 * tau)), 0.2)); // (2)
    const double phi = std::fabs(lat_deg);
    if (phi <= 70.0) {
        const double mu4 = std::pow(mu1, -0.935 + 0.0176 * phi);                                             // (4)
        return std::pow(10.0, -0.015 * phi + 1.67) * mu1 * mu4;                                              // (5)
    }
    return 4.17 * mu1 * std::pow(mu1, 0.3);
}

// Attachment 1 §5: smooth-earth heights, horizons and roughness, from the ground heights h (no clutter).
struct PathGeometry {
    double hst_n = 0.0, hsr_n = 0.0, hst = 0.0, hsr = 0.0, hstd = 0.0, hsrd = 0.0, hte = 0.0, hre = 0.0, hm = 0.0;
    double dlt = 0.0, dlr = 0.0, theta_t = 0.0, theta_r = 0.0, theta = 0.0;
    bool trans_horizon = false;
};

// §5.6.1 eqs. (85)-(88) from the least-squares sums v1, v2.
void smooth_surface(PathGeometry& g, double v1, double v2, double dtot) {
    g.hst_n = (2.0 * v1 * dtot - v2) / (dtot * dtot);
    g.hsr_n = (v2 - v1 * dtot) / (dtot * dtot);
}

// §5.6.2 eqs. (89)-(91) from the highest obstruction above the terminals' line and its slopes seen from each end.
void diffraction_heights(PathGeometry& g, double hobs, double alpha_obt, double alpha_obr, double h_tx, double h_rx) {
    double hstp = g.hst_n;
    double hsrp = g.hsr_n;
    if (hobs > 0.0) {
        hstp -= hobs * alpha_obt / (alpha_obt + alpha_obr);
        hsrp -= hobs * alpha_obr / (alpha_obt + alpha_obr);
    }
    g.hstd = std::min(hstp, h_tx);
    g.hsrd = std::min(hsrp, h_rx);
}

// §5.6.3 eqs. (92)-(95), the ducting/layer-reflection model's heights and the roughness between the horizon points
// lt..lr; and θ, eq. (84).
void ducting_heights(PathGeometry& g, const double* d, const double* h, std::size_t n, std::size_t lt, std::size_t lr, double htg,
                     double hrg, double ae) {
    const double dtot = d[n - 1] - d[0];
    g.theta = 1000.0 * dtot / ae + g.theta_t + g.theta_r; // (84)
    g.hst = std::min(g.hst_n, h[0]);
    g.hsr = std::min(g.hsr_n, h[n - 1]);
    const double m = (g.hsr - g.hst) / dtot;
    g.hte = htg + h[0] - g.hst;
    g.hre = hrg + h[n - 1] - g.hsr;
    g.hm = -std::numeric_limits<double>::infinity();
    for (std::size_t i = lt; i <= lr; ++i) {
        g.hm = std::max(g.hm, h[i] - (g.hst + m * d[i]));
    }
}

// Line of sight: the point of the highest diffraction parameter (λ = 0.2998/f, as P.2001), the last of equals.
std::size_t highest_nu_point(const double* d, const double* h, std::size_t n, double hts, double hrs, double ae, double f_ghz) {
    const double dtot = d[n - 1] - d[0];
    const double lambda = 0.2998 / f_ghz;
    double nu_max = -std::numeric_limits<double>::infinity();
    std::size_t at = 1;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double dr = dtot - d[i];
        const double nu = (h[i] + 500.0 / ae * d[i] * dr - (hts * dr + hrs * d[i]) / dtot) * std::sqrt(0.002 * dtot / (lambda * d[i] * dr));
        if (nu >= nu_max) {
            nu_max = nu;
            at = i;
        }
    }
    return at;
}

PathGeometry path_geometry(const P1812View& path, double htg, double hrg, double ae, double f_ghz) {
    const double* d = path.d_km;
    const double* h = path.h_m;
    const std::size_t n = path.n;
    const double dtot = d[n - 1] - d[0];
    const double hts = h[0] + htg;
    const double hrs = h[n - 1] + hrg;
    PathGeometry g;

    // §5.6.1 the least-squares smooth surface, eqs. (85)-(88).
    double v1 = 0.0;
    double v2 = 0.0;
    for (std::size_t i = 1; i < n; ++i) {
        const double dd = d[i] - d[i - 1];
        v1 += dd * (h[i] + h[i - 1]);
        v2 += dd * (h[i] * (2.0 * d[i] + d[i - 1]) + h[i - 1] * (d[i] + 2.0 * d[i - 1]));
    }
    smooth_surface(g, v1, v2, dtot);

    // §5.6.2 smooth-surface heights for the diffraction model, eqs. (89)-(91).
    double hobs = -std::numeric_limits<double>::infinity();
    double alpha_obt = -std::numeric_limits<double>::infinity();
    double alpha_obr = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double hi = h[i] - (hts * (dtot - d[i]) + hrs * d[i]) / dtot;
        hobs = std::max(hobs, hi);
        alpha_obt = std::max(alpha_obt, hi / d[i]);
        alpha_obr = std::max(alpha_obr, hi / (dtot - d[i]));
    }
    diffraction_heights(g, hobs, alpha_obt, alpha_obr, h[0], h[n - 1]);

    // §5.3-5.5 horizon elevation angles and distances, eqs. (76)-(84).
    // atan is increasing: the highest angle is the atan of the highest argument, taken once (a map evaluates this
    // for every cell; atan at every point was half of P.1812's time).
    std::size_t lt = 1;
    double arg_max = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double a = (h[i] - hts) / (1000.0 * d[i]) - d[i] / (2.0 * ae);
        if (a > arg_max) { // the first point of the highest angle
            arg_max = a;
            lt = i;
        }
    }
    const double theta_max = n > 2 ? 1000.0 * std::atan(arg_max) : -std::numeric_limits<double>::infinity();
    const double theta_td = 1000.0 * std::atan((hrs - hts) / (1000.0 * dtot) - dtot / (2.0 * ae));
    const double theta_rd = 1000.0 * std::atan((hts - hrs) / (1000.0 * dtot) - dtot / (2.0 * ae));
    g.trans_horizon = theta_max > theta_td;
    std::size_t lr = lt;
    if (g.trans_horizon) {
        g.theta_t = theta_max;
        g.dlt = d[lt];
        double rarg_max = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const double dr = dtot - d[i];
            const double a = (h[i] - hrs) / (1000.0 * dr) - dr / (2.0 * ae);
            if (a >= rarg_max) { // the last point of the highest angle
                rarg_max = a;
                lr = i;
            }
        }
        g.theta_r = 1000.0 * std::atan(rarg_max);
        g.dlr = dtot - d[lr];
    } else {
        // Line of sight: both horizons at the point of the highest diffraction parameter.
        g.theta_t = theta_td;
        g.theta_r = theta_rd;
        lt = highest_nu_point(d, h, n, hts, hrs, ae, f_ghz);
        lr = lt;
        g.dlt = d[lt];
        g.dlr = dtot - g.dlt;
    }
    ducting_heights(g, d, h, n, lt, lr, htg, hrg, ae);
    return g;
}

// Spherical-earth first-term loss with land and sea weighted by ω, eq. (28).
double first_term_mixed(double d_km, double hte, double hre, double f_mhz, double a_dft, double omega, Polarization pol) {
    const double l_land = spherical_first_term(d_km, hte, hre, f_mhz, a_dft, land, pol).loss_db();
    const double l_sea = spherical_first_term(d_km, hte, hre, f_mhz, a_dft, sea, pol).loss_db();
    return omega * l_sea + (1.0 - omega) * l_land;
}

struct DeltaBullington {
    double ld = 0.0, lbulla = 0.0, lbulls = 0.0, ldsph = 0.0;
};

// §4.3.4 eqs. (37)-(39) on the profile g (ground plus clutter between the terminals) for effective earth radius ap.
DeltaBullington delta_bullington_p1812(const P1812View& path, double hts, double hrs, double hstd, double hsrd, double ap,
                                       double f_mhz, double omega, Polarization pol) {
    // The ground and the clutter on it between the terminals (§3.2); the terminals' own points are not read.
    const detail::PathView real{.n = path.n, .d_km = path.d_km, .step_km = 0.0, .h_m = path.g_m != nullptr ? path.g_m : path.h_m};
    detail::PathView smooth = real;
    smooth.h_m = nullptr;
    DeltaBullington r;
    const double lambda = 0.2998 / (f_mhz / 1000.0); // c as in ITU-R P.2001
    r.lbulla = detail::bullington_db(real, hts, hrs, lambda, ap);
    const double hte = hts - hstd; // (37a), (38a)
    const double hre = hrs - hsrd; // (37b), (38b)
    r.lbulls = detail::bullington_db(smooth, hte, hre, lambda, ap);
    const double dtot = real.length();
    r.ldsph = detail::spherical_earth_db(dtot, hte, hre, lambda, ap, [&](double a_dft) {
        return first_term_mixed(dtot, hte, hre, f_mhz, a_dft, omega, pol);
    });
    r.ld = r.lbulla + std::max(r.ldsph - r.lbulls, 0.0); // (39)
    return r;
}

// §4.5 the basic transmission loss during anomalous propagation (ducting, layer reflection), eqs. (46)-(56).
double anomalous_loss_db(double dtot, const PathGeometry& pg, double dct, double dcr, double dlm, double hts, double hrs,
                         double f, double p, double omega, double ae, double b0) {
    const double alf = f < 0.5 ? 45.375 - 137.0 * f + 92.5 * f * f : 0.0;                                     // (47a)
    auto site_shielding = [&](double theta, double dl) {                                                        // (48)
        const double t2 = theta - 0.1 * dl;
        return t2 > 0.0 ? 20.0 * std::log10(1.0 + 0.361 * t2 * std::sqrt(f * dl)) + 0.264 * t2 * std::cbrt(f) : 0.0;
    };
    auto coupling = [&](double dc, double dl, double hs) {                                                      // (49)
        return dc <= 5.0 && dc <= dl && omega >= 0.75 ? -3.0 * std::exp(-0.25 * dc * dc) * (1.0 + std::tanh(0.07 * (50.0 - hs))) : 0.0;
    };
    const double ast = site_shielding(pg.theta_t, pg.dlt);
    const double asr = site_shielding(pg.theta_r, pg.dlr);
    const double act = coupling(dct, pg.dlt, hts);
    const double acr = coupling(dcr, pg.dlr, hrs);
    const double gamma_d = 5e-5 * ae * std::cbrt(f);                                                            // (51)
    const double theta_t1 = std::min(pg.theta_t, 0.1 * pg.dlt);                                                 // (52a)
    const double theta_r1 = std::min(pg.theta_r, 0.1 * pg.dlr);
    const double theta1 = 1e3 * dtot / ae + theta_t1 + theta_r1;                                                // (52)
    const double d_i = std::min(dtot - pg.dlt - pg.dlr, 40.0);                                                  // (56a)
    const double mu3 = pg.hm > 10.0 ? std::exp(-4.6e-5 * (pg.hm - 10.0) * (43.0 + 6.0 * d_i)) : 1.0;            // (56)
    const double tau = 1.0 - std::exp(-4.12e-4 * std::pow(dlm, 2.41));                                         // (3)
    const double alpha = std::max(-0.6 - 3.5e-9 * std::pow(dtot, 3.1) * tau, -3.4);                             // (55a)
    const double mu2 = std::min(1.0, std::pow(500.0 / ae * dtot * dtot / std::pow(std::sqrt(pg.hte) + std::sqrt(pg.hre), 2.0), alpha)); // (55)
    const double beta = b0 * mu2 * mu3;                                                                         // (54)
    const double lb = std::log10(beta);
    const double gamma = 1.076 / std::pow(2.0058 - lb, 1.012) *
                         std::exp(-(9.51 - 4.8 * lb + 0.198 * lb * lb) * 1e-6 * std::pow(dtot, 1.13));          // (53a)
    const double ap = -12.0 + (1.2 + 3.7e-3 * dtot) * std::log10(p / beta) + 12.0 * std::pow(p / beta, gamma);  // (53)
    const double adp = gamma_d * theta1 + ap;                                                                   // (50)
    const double af = 102.45 + 20.0 * std::log10(f) + 20.0 * std::log10(pg.dlt + pg.dlr) + alf + ast + asr + act + acr; // (47)
    return af + adp;                                                                                            // (46)
}

void check_range(double value, double lo, double hi, const char* what) {
    if (!(value >= lo && value <= hi)) {
        throw OutOfDomain(detail::format("ITU-R P.1812: %s must be %g to %g (got %g)", what, lo, hi, value));
    }
}

void check_link_range(const LinkParams& link) {
    check_range(link.freq_mhz, 30.0, 6000.0, "freq_mhz");
    check_range(link.tx_height_agl_m, 1.0, 3000.0, "tx_height_agl_m");
    check_range(link.rx_height_agl_m, 1.0, 3000.0, "rx_height_agl_m");
    if (!(std::fabs(link.path_centre_lat_deg) <= 90.0)) {
        throw InvalidArgument("ITU-R P.1812 needs the latitude of the path centre (its climate, β0, depends on it): "
                              "give the two ends' positions (got no latitude)");
    }
}

} // namespace

void P1812Path::validate() const {
    const std::size_t n = distance_km.size();
    if (elevation_m.size() != n) {
        throw InvalidArgument(detail::format("P.1812 path: %zu distances but %zu elevations", n, elevation_m.size()));
    }
    if (!clutter_height_m.empty() && clutter_height_m.size() != n) {
        throw InvalidArgument(detail::format("P.1812 path: %zu points but %zu clutter heights", n, clutter_height_m.size()));
    }
    if (!clutter.empty() && clutter.size() != n) {
        throw InvalidArgument(detail::format("P.1812 path: %zu points but %zu clutter categories", n, clutter.size()));
    }
    if (!zone.empty() && zone.size() != n) {
        throw InvalidArgument(detail::format("P.1812 path: %zu points but %zu zones", n, zone.size()));
    }
    if (n < 3) {
        throw InvalidArgument(detail::format("P.1812 path needs at least 3 points (got %zu)", n));
    }
    if (distance_km.front() != 0.0) {
        throw InvalidArgument("P.1812 path must start at distance 0 (the transmitter)");
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(distance_km[i]) || !std::isfinite(elevation_m[i]) ||
            (!clutter_height_m.empty() && !(clutter_height_m[i] >= 0.0 && std::isfinite(clutter_height_m[i])))) {
            throw InvalidArgument(detail::format("P.1812 path point %zu: a distance, elevation or clutter height is not finite "
                                                 "(or a clutter height is negative)", i));
        }
        if (i > 0 && !(distance_km[i] > distance_km[i - 1])) {
            throw InvalidArgument(detail::format("P.1812 path point %zu: distances must increase strictly (%g km after %g km)", i,
                                                 distance_km[i], distance_km[i - 1]));
        }
    }
}

P1812Path p1812_path_from(const ProfileTable& table) {
    P1812Path p;
    p.elevation_m = table.elevation_m;
    p.clutter_height_m = table.clutter_height_m;
    p.distance_km.reserve(table.distance_m.size());
    for (const double d : table.distance_m) {
        p.distance_km.push_back(d / 1000.0);
    }
    auto where = [&](std::size_t i, const char* field) {
        return "profile CSV '" + table.source + "', row " + std::to_string(table.row[i]) + ", field " + field;
    };
    for (std::size_t i = 0; i < table.clutter_code.size(); ++i) {
        const int c = table.clutter_code[i];
        if (c < 1 || c > 5) {
            throw InvalidArgument(where(i, "clutter_code") + detail::format(": %d is not a P.1812 clutter category (1 water/sea, "
                                                                             "2 open/rural, 3 suburban, 4 urban/trees/forest, 5 dense urban)", c));
        }
        p.clutter.push_back(static_cast<P1812Clutter>(c));
    }
    for (std::size_t i = 0; i < table.zone.size(); ++i) {
        const int z = table.zone[i];
        if (z != 1 && z != 3 && z != 4) {
            throw InvalidArgument(where(i, "zone") + detail::format(": %d is not a radio-climatic zone (1 sea, 3 coastal land, 4 inland)", z));
        }
        p.zone.push_back(static_cast<RadioClimaticZone>(z));
    }
    if (p.distance_km.size() < 3) {
        throw InvalidArgument("profile CSV '" + table.source + "': ITU-R P.1812 needs at least 3 points (got " +
                              std::to_string(p.distance_km.size()) + ")");
    }
    return p;
}

P1812Path P1812Path::from(const TerrainProfile& profile) {
    P1812Path p;
    p.elevation_m = profile.elevation_m;
    p.distance_km.resize(profile.point_count());
    for (std::size_t i = 0; i < p.distance_km.size(); ++i) {
        p.distance_km[i] = profile.distance_m(i) / 1000.0;
    }
    return p;
}

P1812Path P1812Path::from_map_profile(const TerrainProfile& profile) {
    P1812Path path = from(profile);
    if (path.distance_km.size() == 2) { // a cell next to its mast: straight ground between the two ends
        path.distance_km.insert(path.distance_km.begin() + 1, path.distance_km[1] / 2.0);
        path.elevation_m.insert(path.elevation_m.begin() + 1, 0.5 * (path.elevation_m[0] + path.elevation_m[1]));
    }
    return path;
}

void P1812Settings::validate() const {
    if (!(time_pct >= 1.0 && time_pct <= 50.0)) {
        throw InvalidArgument(detail::format("ITU-R P.1812: time_pct must be 1 to 50 %% (got %g)", time_pct));
    }
    if (!(location_pct >= 1.0 && location_pct <= 99.0)) {
        throw InvalidArgument(detail::format("ITU-R P.1812: location_pct must be 1 to 99 %% (got %g)", location_pct));
    }
    if (location_sigma_db && !(*location_sigma_db >= 0.0 && *location_sigma_db <= 30.0)) {
        throw InvalidArgument(detail::format("ITU-R P.1812: location_sigma_db must be 0 to 30 dB (got %g)", *location_sigma_db));
    }
    if (!(location_area_m > 0.0 && location_area_m <= 100000.0)) {
        throw InvalidArgument(detail::format("ITU-R P.1812: location_area_m must be > 0 and at most 100 km (got %g)", location_area_m));
    }
    if (std::isnan(delta_n_per_km) || std::isnan(n0_n_units)) {
        throw InvalidArgument("ITU-R P.1812 needs the area's delta_n_per_km (ΔN, the refractivity lapse rate over the lowest "
                              "1 km, N-units/km) and n0_n_units (N0, sea-level surface refractivity): read both at the path "
                              "centre from the maps of ITU-R P.1812 (DN50.txt, N050.txt); there is no default");
    }
    if (!(delta_n_per_km > 0.0 && delta_n_per_km < 157.0)) {
        throw InvalidArgument(detail::format("ITU-R P.1812: delta_n_per_km must be > 0 and < 157 N-units/km (got %g; "
                                             "ΔN ≥ 157 has no effective earth radius, eq. (6))", delta_n_per_km));
    }
    if (!(n0_n_units >= 200.0 && n0_n_units <= 500.0)) {
        throw InvalidArgument(detail::format("ITU-R P.1812: n0_n_units must be 200 to 500 N-units (got %g; the world's range "
                                             "is about 250 to 400)", n0_n_units));
    }
    if (!(tx_coast_distance_km >= 0.0) || !(rx_coast_distance_km >= 0.0) || !std::isfinite(tx_coast_distance_km) ||
        !std::isfinite(rx_coast_distance_km)) {
        throw InvalidArgument("ITU-R P.1812: the distances to the coast must be finite and >= 0 km");
    }
}

double path_centre_latitude_deg(GeoPoint tx, GeoPoint rx, double path_length_km) {
    const double re_km = 6371.0;
    const double dlon = (rx.lon_deg - tx.lon_deg) * deg;
    const double st = std::sin(tx.lat_deg * deg);
    const double ct = std::cos(tx.lat_deg * deg);
    const double sr = std::sin(rx.lat_deg * deg);
    const double cr = std::cos(rx.lat_deg * deg);
    const double r = std::clamp(st * sr + ct * cr * std::cos(dlon), -1.0, 1.0); // (H.2.2)
    const double length_km = std::acos(r) * re_km;                              // (H.2.3), (H.2.4)
    const double x1 = sr - r * st;                                              // (H.2.5)
    const double y1 = ct * cr * std::sin(dlon);
    const double bearing = std::fabs(x1) < 1e-9 && std::fabs(y1) < 1e-9 ? 0.0 : std::atan2(y1, x1); // (H.2.6)
    const double half = (std::isnan(path_length_km) ? length_km : path_length_km) / 2.0 / re_km; // (H.3.1)
    const double s = st * std::cos(half) + ct * std::sin(half) * std::cos(bearing); // (H.3.2)
    return std::asin(std::clamp(s, -1.0, 1.0)) / deg;                            // (H.3.3)
}

double p1812_inverse_normal(double x) {
    x = std::clamp(x, 1e-6, 1.0 - 1e-6);
    auto t = [](double y) { return std::sqrt(-2.0 * std::log(y)); }; // (97a)
    auto c = [&](double z) {                                          // (97b)
        const double tz = t(z);
        return ((0.010328 * tz + 0.802853) * tz + 2.515516698) / (((0.001308 * tz + 0.189269) * tz + 1.432788) * tz + 1.0);
    };
    return x <= 0.5 ? t(x) - c(x) : -(t(1.0 - x) - c(1.0 - x)); // (96)
}

double p1812_location_sigma_db(double freq_mhz, double rx_height_agl_m, double rx_clutter_height_m, double area_m) {
    // Eq. (65) as corrected by ITU (0.024, not 0.0024, multiplies f in GHz), with u(h) of eq. (66).
    const double sigma = (0.024 * freq_mhz / 1000.0 + 0.52) * std::pow(area_m, 0.28);
    const double above = rx_height_agl_m - rx_clutter_height_m;
    const double u = above < 0.0 ? 1.0 : (above >= 10.0 ? 0.0 : 1.0 - above / 10.0);
    return sigma * u;
}

namespace {

// P.1812's prediction; `every_intermediate` false skips what Lb does not need (at 50 % of time the diffraction loss for
// β0's time percentage, Ldb, enters nothing: Ldp = Ld50), leaving it NaN.
// What the radial evaluator gives p1812_compute instead of its own passes over the path.
struct PathTerms {
    PathGeometry geometry;
    DeltaBullington d50;
};

P1812Intermediate p1812_compute(const P1812View& path, const LinkParams& link, double path_centre_lat_deg,
                                const P1812Settings& settings, bool every_intermediate, const PathTerms* given = nullptr) {
    const double f = link.freq_mhz / 1000.0;
    const double p = settings.time_pct;
    const double* d = path.d_km;
    const double* h = path.h_m;
    const std::size_t n = path.n;
    const double dtot = d[n - 1] - d[0];
    if (dtot > 3000.0) {
        throw OutOfDomain(detail::format("ITU-R P.1812: the path is %.1f km long; the method covers up to about 3000 km", dtot));
    }
    P1812Intermediate r;
    r.d_km = dtot;
    r.path_centre_lat_deg = path_centre_lat_deg;

    const bool tx_at_sea = zone_at(path, 0) == RadioClimaticZone::sea;
    const bool rx_at_sea = zone_at(path, n - 1) == RadioClimaticZone::sea;
    const double dct = tx_at_sea ? 0.0 : settings.tx_coast_distance_km;
    const double dcr = rx_at_sea ? 0.0 : settings.rx_coast_distance_km;

    // Inland all along (a map's paths): one run as long as the path, no sea.
    r.dtm_km = path.zone == nullptr ? dtot : longest_run_km(path, [](RadioClimaticZone z) { return z != RadioClimaticZone::sea; });
    r.dlm_km = path.zone == nullptr ? dtot : longest_run_km(path, [](RadioClimaticZone z) { return z == RadioClimaticZone::inland; });
    r.beta0_pct = beta0_pct(path_centre_lat_deg, r.dtm_km, r.dlm_km);
    r.ae_km = 6371.0 * 157.0 / (157.0 - settings.delta_n_per_km); // (6), (7a)
    const double ab_km = 6371.0 * 3.0;                               // (7b)
    r.omega = path.zone == nullptr ? 0.0 : sea_fraction(path);

    const PathGeometry pg = given != nullptr ? given->geometry : path_geometry(path, link.tx_height_agl_m, link.rx_height_agl_m, r.ae_km, f);
    r.dlt_km = pg.dlt;
    r.dlr_km = pg.dlr;
    r.theta_t_mrad = pg.theta_t;
    r.theta_r_mrad = pg.theta_r;
    r.theta_mrad = pg.theta;
    r.hst_uncorrected_m = pg.hst_n;
    r.hsr_uncorrected_m = pg.hsr_n;
    r.hst_m = pg.hst;
    r.hsr_m = pg.hsr;
    r.hstd_m = pg.hstd;
    r.hsrd_m = pg.hsrd;
    r.hte_m = pg.hte;
    r.hre_m = pg.hre;
    r.hm_m = pg.hm;
    r.trans_horizon = pg.trans_horizon;
    r.hts_m = h[0] + link.tx_height_agl_m;
    r.hrs_m = h[n - 1] + link.rx_height_agl_m;

    r.fj = 1.0 - 0.5 * (1.0 + std::tanh(3.0 * 0.8 * (pg.theta - 0.3) / 0.3)); // (57)
    r.fk = 1.0 - 0.5 * (1.0 + std::tanh(3.0 * 0.5 * (dtot - 20.0) / 20.0));   // (58)

    // §4.2 line of sight, eqs. (8)-(11).
    const double dfs = std::sqrt(dtot * dtot + std::pow((r.hts_m - r.hrs_m) / 1000.0, 2.0));
    r.lbfs_db = 92.4 + 20.0 * std::log10(f) + 20.0 * std::log10(dfs);
    const double focus = 2.6 * (1.0 - std::exp(-0.1 * (pg.dlt + pg.dlr)));
    r.lb0p_db = r.lbfs_db + focus * std::log10(p / 50.0);
    r.lb0b_db = r.lbfs_db + focus * std::log10(r.beta0_pct / 50.0);

    // §4.3.5 diffraction not exceeded for p % time, eqs. (40)-(41).
    const DeltaBullington d50 = given != nullptr ? given->d50
                                                 : delta_bullington_p1812(path, r.hts_m, r.hrs_m, pg.hstd, pg.hsrd, r.ae_km, link.freq_mhz,
                                                                          r.omega, link.polarization);
    const bool need_db = every_intermediate || p != 50.0;
    constexpr double nan_db = std::numeric_limits<double>::quiet_NaN();
    const DeltaBullington db = need_db ? delta_bullington_p1812(path, r.hts_m, r.hrs_m, pg.hstd, pg.hsrd, ab_km, link.freq_mhz,
                                                                r.omega, link.polarization)
                                       : DeltaBullington{.ld = nan_db, .lbulla = nan_db, .lbulls = nan_db, .ldsph = nan_db};
    r.lbulla_db = d50.lbulla;
    r.lbulls_db = d50.lbulls;
    r.ldsph_db = d50.ldsph;
    r.ld50_db = d50.ld;
    r.ldb_db = db.ld;
    const double i_b0 = p1812_inverse_normal(r.beta0_pct / 100.0);
    const double fi_diffraction = p == 50.0 ? 0.0 : (p > r.beta0_pct ? p1812_inverse_normal(p / 100.0) / i_b0 : 1.0);
    r.ldp_db = p == 50.0 ? d50.ld : d50.ld + fi_diffraction * (db.ld - d50.ld);

    r.lbd50_db = r.lbfs_db + r.ld50_db; // (42)
    r.lbd_db = r.lb0p_db + r.ldp_db;    // (43)

    // §4.6 combining the mechanisms, eqs. (59)-(63).
    r.fi = 1.0;
    r.lminb0p_db = r.lb0p_db + (1.0 - r.omega) * r.ldp_db;
    if (p >= r.beta0_pct) {
        r.fi = p1812_inverse_normal(p / 100.0) / i_b0;
        r.lminb0p_db = r.lbd50_db + (r.lb0b_db + (1.0 - r.omega) * r.ldp_db - r.lbd50_db) * r.fi;
    }
    r.lba_db = anomalous_loss_db(dtot, pg, dct, dcr, r.dlm_km, r.hts_m, r.hrs_m, f, p, r.omega, r.ae_km, r.beta0_pct);
    const double eta = 2.5;
    r.lminbap_db = eta * std::log(std::exp(r.lba_db / eta) + std::exp(r.lb0p_db / eta)); // (60)
    r.lbda_db = r.lminbap_db <= r.lbd_db ? r.lminbap_db + (r.lbd_db - r.lminbap_db) * r.fk : r.lbd_db; // (61)
    r.lbam_db = r.lbda_db + (r.lminb0p_db - r.lbda_db) * r.fj; // (62)

    // §4.4 troposcatter, eqs. (44)-(45).
    const double lf = 25.0 * std::log10(f) - 2.5 * std::pow(std::log10(f / 2.0), 2.0);
    r.lbs_db = 190.1 + lf + 20.0 * std::log10(dtot) + 0.573 * pg.theta - 0.15 * settings.n0_n_units -
               10.125 * std::pow(std::log10(50.0 / p), 0.7);
    r.lbc_db = -5.0 * std::log10(std::pow(10.0, -0.2 * r.lbs_db) + std::pow(10.0, -0.2 * r.lbam_db)); // (63)

    // §4.8 location variability (none for a receiver at sea), eqs. (64)-(69).
    const double rx_clutter_m = path.rx_clutter_m;
    r.sigma_l_db = settings.location_sigma_db.value_or(
        p1812_location_sigma_db(link.freq_mhz, link.rx_height_agl_m, rx_clutter_m, settings.location_area_m));
    r.lloc_db = rx_at_sea ? 0.0 : -p1812_inverse_normal(settings.location_pct / 100.0) * r.sigma_l_db;
    r.lb_db = std::max(r.lb0p_db, r.lbc_db + r.lloc_db);      // (69)
    r.ep_dbuv_per_m = 199.36 + 20.0 * std::log10(f) - r.lb_db; // (70), 1 kW e.r.p.
    return r;
}

// A checked path's view, with the ground plus clutter between the terminals (§3.2) in `g`.
P1812Intermediate p1812_of_path(const P1812Path& path, const LinkParams& link, double path_centre_lat_deg, const P1812Settings& settings,
                                bool every_intermediate) {
    path.validate();
    settings.validate();
    LinkParams checked = link;
    checked.path_centre_lat_deg = path_centre_lat_deg;
    check_link_range(checked);
    const std::size_t n = path.distance_km.size();
    thread_local std::vector<double> g;
    g = path.elevation_m;
    if (!path.clutter_height_m.empty()) {
        for (std::size_t i = 1; i + 1 < n; ++i) {
            g[i] += path.clutter_height_m[i];
        }
    }
    const P1812View view{.n = n, .d_km = path.distance_km.data(), .h_m = path.elevation_m.data(), .g_m = g.data(),
                         .rx_clutter_m = path.clutter_height_m.empty() ? 0.0 : path.clutter_height_m.back(),
                         .zone = path.zone.empty() ? nullptr : path.zone.data()};
    return p1812_compute(view, link, path_centre_lat_deg, settings, every_intermediate);
}

} // namespace

P1812Intermediate p1812_loss(const P1812Path& path, const LinkParams& link, double path_centre_lat_deg, const P1812Settings& settings) {
    return p1812_of_path(path, link, path_centre_lat_deg, settings, true);
}

double p1812_basic_loss_db(const P1812Path& path, const LinkParams& link, double path_centre_lat_deg, const P1812Settings& settings) {
    return p1812_of_path(path, link, path_centre_lat_deg, settings, false).lb_db;
}

namespace detail {

// ---------------------------------------------------------------------------------------------------------------------
// The radial evaluator. Along a radial the receiver moves out one sample at a time; each quantity P.1812 takes as a
// maximum over the path's interior points is either independent of the receiver (the transmitter's horizon, the
// Bullington slope from the transmitter, the least-squares sums: running values) or the best of a family of lines or of
// slopes seen from the receiver, which lies on the upper convex hull of the points (x, y) the family is linear in:
// a binary search on the hull instead of a pass over the path. What remains a pass is the line-of-sight search for the
// highest diffraction parameter (its square root is not linear) and the roughness between the two horizon points.

void RadialP1812::Hull::clear() {
    x.clear();
    y.clear();
    index.clear();
}

void RadialP1812::Hull::add(double px, double py, std::size_t i) {
    // Upper hull, points in increasing x: drop the last vertex while it lies on or below the line to the new point.
    while (x.size() >= 2) {
        const std::size_t b = x.size() - 1;
        const std::size_t a = b - 1;
        if ((x[b] - x[a]) * (py - y[a]) - (y[b] - y[a]) * (px - x[a]) >= 0.0) {
            x.pop_back();
            y.pop_back();
            index.pop_back();
        } else {
            break;
        }
    }
    x.push_back(px);
    y.push_back(py);
    index.push_back(i);
}

std::size_t RadialP1812::Hull::highest_along(double m) const {
    // max y + m·x: along the upper hull the edges' slopes fall, so y + m·x rises while an edge's slope exceeds −m.
    std::size_t lo = 0;
    std::size_t hi = x.size() - 1;
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (y[mid + 1] - y[mid] + m * (x[mid + 1] - x[mid]) > 0.0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

std::size_t RadialP1812::Hull::steepest_from(double px, double py) const {
    // max (y − py)/(px − x) for a point (px, py) beyond every x: unimodal along the upper hull.
    const auto value = [&](std::size_t j) { return (y[j] - py) / (px - x[j]); };
    std::size_t lo = 0;
    std::size_t hi = x.size() - 1;
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (value(mid + 1) >= value(mid)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

RadialP1812::RadialP1812(const LinkParams& link, double path_centre_lat_deg, const P1812Settings& settings)
    : m_link(link), m_lat_deg(path_centre_lat_deg), m_settings(settings) {
    m_ae_km = 6371.0 * 157.0 / (157.0 - settings.delta_n_per_km); // (6), (7a)
}

void RadialP1812::start(std::size_t n, double step_km, const double* d_km, const double* h_m, const double* g_m, const double* rx_clutter_m) {
    m_n = n;
    m_step_km = step_km;
    m_d = d_km;
    m_h = h_m;
    m_g = g_m != nullptr ? g_m : h_m;
    m_rx_clutter = rx_clutter_m;
    m_hts = h_m[0] + m_link.tx_height_agl_m;
    m_added = 0; // interior points 1..m_added are in
    m_v1 = 0.0;
    m_v2 = 0.0;
    m_summed = 0;
    m_tx_arg = -std::numeric_limits<double>::infinity();
    m_tx_at = 1;
    m_obt = -std::numeric_limits<double>::infinity();
    m_tim = -std::numeric_limits<double>::infinity();
    m_ground.clear();
    m_curved.clear();
    m_clutter_curved.clear();
}

// Bullington over the smooth surface (zero heights) with the terminals hte, hre above it, as bullington_db computes it:
// the slopes from either terminal, −hte/x − 500·c·x and −hre/y − 500·c·y (+ 500·c·D), are concave in the distance x
// from the transmitter or y from the receiver, so their highest value over the points lies next to √(h/(500·c)).
double RadialP1812::smooth_bullington_db(std::size_t n, double hte, double hre, double lambda) const {
    const double* d = m_d;
    const double dtot = d[n - 1];
    const double c_e = 1.0 / m_ae_km;
    const auto best = [&](double h, bool from_rx) {
        const double x = std::sqrt(h / (500.0 * c_e));
        const auto centre = static_cast<std::ptrdiff_t>(std::floor(x / m_step_km));
        double best_slope = -std::numeric_limits<double>::infinity();
        for (std::ptrdiff_t j = centre - 1; j <= centre + 2; ++j) {
            const std::ptrdiff_t i = from_rx ? static_cast<std::ptrdiff_t>(n - 1) - j : j;
            if (i < 1 || i > static_cast<std::ptrdiff_t>(n) - 2) {
                continue;
            }
            const double di = d[static_cast<std::size_t>(i)];
            best_slope = std::max(best_slope, from_rx ? (500.0 * c_e * di * (dtot - di) - hre) / (dtot - di)
                                                      : (500.0 * c_e * di * (dtot - di) - hte) / di);
        }
        if (best_slope == -std::numeric_limits<double>::infinity()) { // the optimum beyond the path: its nearest end
            const std::size_t i = (x / m_step_km < 1.0) != from_rx ? 1 : n - 2;
            const double di = d[i];
            best_slope = from_rx ? (500.0 * c_e * di * (dtot - di) - hre) / (dtot - di) : (500.0 * c_e * di * (dtot - di) - hte) / di;
        }
        return best_slope;
    };
    const double s_tim = best(hte, false);
    const double s_tr = (hre - hte) / dtot;
    double l_uc = 0.0;
    if (s_tim < s_tr) {
        // Line of sight over the smooth surface: ν(x) is a smooth function of the distance (no terrain in it), with one
        // or two extrema; its highest value is found on every stride-th point, then on the points around the best.
        const auto nu = [&](std::size_t i) {
            const double di = d[i];
            return (500.0 * c_e * di * (dtot - di) - (hte * (dtot - di) + hre * di) / dtot) * std::sqrt(0.002 * dtot / (lambda * di * (dtot - di)));
        };
        const std::size_t stride = std::max<std::size_t>(1, (n - 2) / 24);
        std::size_t at = 1;
        double nu_max = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 1; i + 1 < n; i += stride) {
            if (const double v = nu(i); v > nu_max) {
                nu_max = v;
                at = i;
            }
        }
        const std::size_t lo = at > stride ? at - stride + 1 : 1;
        const std::size_t hi = std::min(n - 2, at + stride - 1);
        for (std::size_t i = lo; i <= hi; ++i) {
            nu_max = std::max(nu_max, nu(i));
        }
        l_uc = knife_edge_j_db(nu_max);
    } else {
        l_uc = knife_edge_j_db(bullington_point_nu(s_tim, best(hre, true), dtot, hte, hre, lambda));
    }
    return bullington_total_db(l_uc, dtot);
}

P1812ViewResult RadialP1812::evaluate(std::size_t k) {
    const double* d = m_d;
    const double* h = m_h;
    const double* g = m_g;
    const double ae = m_ae_km;
    const double c_e = 1.0 / ae;
    const double htg = m_link.tx_height_agl_m;
    const double hrg = m_link.rx_height_agl_m;
    const double hts = m_hts;
    const std::size_t n = k + 1;
    const double dtot = d[k];
    const double hrs = h[k] + hrg;
    // The interior points 1..k-1 and the least-squares segments up to k, added once each.
    for (std::size_t i = m_added + 1; i < k; ++i) {
        m_ground.add(d[i], h[i], i);
        m_curved.add(d[i], h[i] - 500.0 / ae * d[i] * d[i], i);
        m_clutter_curved.add(d[i], g[i] - 500.0 * c_e * d[i] * d[i], i);
        const double a = (h[i] - hts) / (1000.0 * d[i]) - d[i] / (2.0 * ae);
        if (a > m_tx_arg) { // the first point of the highest angle
            m_tx_arg = a;
            m_tx_at = i;
        }
        m_obt = std::max(m_obt, (h[i] - hts) / d[i]);
        m_tim = std::max(m_tim, (g[i] - hts) / d[i] - 500.0 * c_e * d[i]);
        m_added = i;
    }
    for (std::size_t i = m_summed + 1; i <= k; ++i) {
        const double dd = d[i] - d[i - 1];
        m_v1 += dd * (h[i] + h[i - 1]);
        m_v2 += dd * (h[i] * (2.0 * d[i] + d[i - 1]) + h[i - 1] * (d[i] + 2.0 * d[i - 1]));
        m_summed = i;
    }

    PathTerms t;
    PathGeometry& pg = t.geometry;
    smooth_surface(pg, m_v1, m_v2, dtot);
    // hi = (h_i − hts) + (hts − hrs)·d_i/D: its highest value, and its highest slopes seen from either end.
    const double tilt = (hts - hrs) / dtot;
    const std::size_t obs = m_ground.highest_along(tilt);
    const double hobs = m_ground.y[obs] - hts + tilt * m_ground.x[obs];
    const double alpha_obt = m_obt + tilt;
    const std::size_t obr = m_ground.steepest_from(dtot, hrs);
    const double alpha_obr = (m_ground.y[obr] - hrs) / (dtot - m_ground.x[obr]) - tilt;
    diffraction_heights(pg, hobs, alpha_obt, alpha_obr, h[0], h[k]);

    const double theta_max = 1000.0 * std::atan(m_tx_arg);
    const double theta_td = 1000.0 * std::atan((hrs - hts) / (1000.0 * dtot) - dtot / (2.0 * ae));
    const double theta_rd = 1000.0 * std::atan((hts - hrs) / (1000.0 * dtot) - dtot / (2.0 * ae));
    pg.trans_horizon = theta_max > theta_td;
    std::size_t lt = m_tx_at;
    std::size_t lr = lt;
    if (pg.trans_horizon) {
        pg.theta_t = theta_max;
        pg.dlt = d[lt];
        // The receiver's horizon: (h_i − hrs)/(1000·dr) − dr/(2ae), dr = D − d_i, is, times 1000, the slope from
        // (D, hrs − 500·D²/ae) to (d_i, h_i − 500·d_i²/ae) less 1000·D/ae.
        const std::size_t j = m_curved.steepest_from(dtot, hrs - 500.0 / ae * dtot * dtot);
        lr = m_curved.index[j];
        const double rarg = ((m_curved.y[j] - (hrs - 500.0 / ae * dtot * dtot)) / (dtot - m_curved.x[j]) - 1000.0 * dtot / ae) / 1000.0;
        pg.theta_r = 1000.0 * std::atan(rarg);
        pg.dlr = dtot - d[lr];
    } else {
        pg.theta_t = theta_td;
        pg.theta_r = theta_rd;
        lt = highest_nu_point(d, h, n, hts, hrs, ae, m_link.freq_mhz / 1000.0);
        lr = lt;
        pg.dlt = d[lt];
        pg.dlr = dtot - pg.dlt;
    }
    ducting_heights(pg, d, h, n, lt, lr, htg, hrg, ae);

    // §4.3.4 delta-Bullington, eqs. (37)-(39), at the median effective earth radius: Bullington over the ground and its
    // clutter, then over the smooth surface with the terminals at hte, hre above it.
    const double lambda = 0.2998 / (m_link.freq_mhz / 1000.0);
    const double s_tim = m_tim + 500.0 * c_e * dtot;
    double l_uc = 0.0;
    if (s_tim < (hrs - hts) / dtot) {
        l_uc = knife_edge_j_db(line_of_sight_nu_max(PathView{.n = n, .d_km = d, .step_km = 0.0, .h_m = g}, hts, hrs, lambda, ae));
    } else {
        // (g_i + 500·c·d_i·(D − d_i) − hrs)/(D − d_i): the slope from (D, hrs − 500·c·D²) to (d_i, g_i − 500·c·d_i²) less 500·c·D.
        const double y_rx = hrs - 500.0 * c_e * dtot * dtot;
        const std::size_t j = m_clutter_curved.steepest_from(dtot, y_rx);
        const double s_rim = (m_clutter_curved.y[j] - y_rx) / (dtot - m_clutter_curved.x[j]) - 500.0 * c_e * dtot;
        l_uc = knife_edge_j_db(bullington_point_nu(s_tim, s_rim, dtot, hts, hrs, lambda));
    }
    t.d50.lbulla = bullington_total_db(l_uc, dtot);
    const double hte = hts - pg.hstd; // (37a), (38a)
    const double hre = hrs - pg.hsrd; // (37b), (38b)
    t.d50.lbulls = smooth_bullington_db(n, hte, hre, lambda);
    t.d50.ldsph = spherical_earth_db(dtot, hte, hre, lambda, ae, [&](double a_dft) {
        return first_term_mixed(dtot, hte, hre, m_link.freq_mhz, a_dft, 0.0, m_link.polarization);
    });
    t.d50.ld = t.d50.lbulla + std::max(t.d50.ldsph - t.d50.lbulls, 0.0); // (39)

    const P1812View view{.n = n, .d_km = d, .h_m = h, .g_m = g, .rx_clutter_m = m_rx_clutter != nullptr ? m_rx_clutter[k] : 0.0,
                         .zone = nullptr};
    const P1812Intermediate r = p1812_compute(view, m_link, m_lat_deg, m_settings, false, &t);
    return P1812ViewResult{.lb_db = r.lb_db, .trans_horizon = r.trans_horizon, .dlt_km = r.dlt_km, .dlr_km = r.dlr_km};
}

} // namespace detail

P1812Model::P1812Model(P1812Settings settings) : m_settings(settings) { m_settings.validate(); }

void P1812Model::validate_link(const LinkParams& link) const { check_link_range(link); }

PathLoss P1812Model::path_loss(const TerrainProfile& profile, const LinkParams& link) const {
    profile.validate();
    const P1812Path path = P1812Path::from_map_profile(profile);
    const P1812Intermediate r = p1812_of_path(path, link, link.path_centre_lat_deg, m_settings, false);
    PathLoss out;
    out.loss_db = r.lb_db;
    out.free_space_loss_db = r.lbfs_db;
    out.mode = r.trans_horizon ? (r.lbs_db < r.lbam_db ? PropagationMode::troposcatter : PropagationMode::diffraction)
                               : PropagationMode::line_of_sight;
    return out;
}

} // namespace coverage
