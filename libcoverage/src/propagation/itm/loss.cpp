// ITM reference attenuation: diffraction (knife-edge + Vogler smooth earth + clutter), line of
// sight (two-ray with rough-surface reflection) and troposcatter, combined by LongleyRice into the
// median excess loss A_ref. [Algorithm] §4, [TN101], [ERL], NTIA/itm v1.4.

#include "propagation/itm/itm.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

namespace coverage::itm {

namespace {
// Functions of the frequency alone, needed by every evaluation: a coverage map evaluates one frequency
// millions of times, so each thread keeps those of the last frequency it saw.
struct FrequencyTerms {
    double f_mhz = std::numeric_limits<double>::quiet_NaN();
    double cbrt_f = 0.0;
    double log_f = 0.0;
    double log10_f = 0.0;
};

const FrequencyTerms& frequency_terms(double f_mhz) {
    thread_local FrequencyTerms t;
    if (!(t.f_mhz == f_mhz)) {
        t.f_mhz = f_mhz;
        t.cbrt_f = std::cbrt(f_mhz);
        t.log_f = std::log(f_mhz);
        t.log10_f = std::log10(f_mhz); // once per frequency: the library's own
    }
    return t;
}
} // namespace

double terrain_roughness(double d_m, double delta_h_m) {
    return delta_h_m * (1.0 - 0.8 * std::exp(-d_m / 50e3)); // [ERL eq. 3], metres
}

double sigma_h(double delta_h_m) {
    return 0.78 * delta_h_m * std::exp(-0.5 * std::sqrt(std::sqrt(delta_h_m))); // [ERL eq. 3.6a], Δh^(1/4)
}

double free_space_loss(double d_m, double f_mhz) {
    return 32.45 + 20.0 * frequency_terms(f_mhz).log10_f + 20.0 * log10_of(d_m / 1000.0);
}

double fresnel_integral(double v2) {
    // v2 = v²; 5.76 = 2.4²  [TN101v2 eq. III.24b/c], [ERL eq. 3.27]
    if (v2 < 5.76) {
        return 6.02 + 9.11 * std::sqrt(v2) - 1.27 * v2;
    }
    return 12.953 + 10 * log10_of(v2);
}

double knife_edge_diffraction(double d_m, double f_mhz, double a_e_m, double theta_los, const Pair& d_hzn_m) {
    const double d_ml_m = d_hzn_m.tx + d_hzn_m.rx;
    const double theta_nlos = d_m / a_e_m - theta_los; // [Algorithm eq. 4.12]
    const double d_nlos_m = d_m - d_ml_m;
    // 0.0795775 = 1/(4π) [TN101 eq. I.7]
    const double v_1 = 0.0795775 * (f_mhz / 47.7) * (theta_nlos * theta_nlos) * d_hzn_m.tx * d_nlos_m / (d_nlos_m + d_hzn_m.tx);
    const double v_2 = 0.0795775 * (f_mhz / 47.7) * (theta_nlos * theta_nlos) * d_hzn_m.rx * d_nlos_m / (d_nlos_m + d_hzn_m.rx);
    return fresnel_integral(v_1) + fresnel_integral(v_2); // [TN101 eq. I.1]
}

double height_function(double x_km, double k) {
    double result = 0.0;
    if (x_km < 200.0) {
        const double w = -std::log(k);
        if (k < 1e-5 || x_km * (w * w * w) > 5495.0) {
            result = -117.0;
            if (x_km > 1.0) {
                result = 17.372 * std::log(x_km) + result;
            }
        } else {
            result = 2.5e-5 * (x_km * x_km) / k - 8.686 * w - 15.0;
        }
    } else {
        result = 0.05751 * x_km - 4.343 * std::log(x_km);
        if (x_km < 2000) {
            const double w = 0.0134 * x_km * std::exp(-0.005 * x_km);
            result = (1.0 - w) * result + w * (17.372 * std::log(x_km) - 117.0);
        }
    }
    return result;
}

namespace {

// The parts of the smooth-earth and diffraction losses that depend on the path (horizons, effective heights,
// roughness) but not on the distance they are evaluated at: LongleyRice evaluates the diffraction loss of one
// path at two distances, d3 and d4, and computing these once halves the cube roots, logarithms and
// exponentials of the second call. The arithmetic is the published one, term for term.
struct SmoothEarthPath {
    double f_third = 0.0;       // f^(1/3)
    double f_minus_third = 0.0; // f^(−1/3)
    double abs_z_g = 0.0;
    Pair x_km;                  // Vogler's normalised horizon distances
    Pair f_x_db;                // height-gain functions at them
};

SmoothEarthPath smooth_earth_path(double f_mhz, const Pair& d_hzn_m, const Pair& h_e_m, std::complex<double> z_g) {
    SmoothEarthPath p;
    // Cube roots by cube_root, integer powers by products: the same values as pow to the last bit or two, at a
    // fraction of its cost.
    p.f_third = frequency_terms(f_mhz).cbrt_f;
    p.f_minus_third = 1.0 / p.f_third;
    thread_local std::complex<double> last_z_g{std::numeric_limits<double>::quiet_NaN(), 0.0};
    thread_local double last_abs_z_g = 0.0;
    if (!(z_g == last_z_g)) { // the ground impedance, too, is the same for every path of a map
        last_z_g = z_g;
        last_abs_z_g = std::abs(z_g);
    }
    p.abs_z_g = last_abs_z_g;
    auto terminal = [&](int i) {
        const double a_m = 0.5 * (d_hzn_m[i] * d_hzn_m[i]) / h_e_m[i];
        const double d_km = d_hzn_m[i] / 1000.0;
        const double c_0 = cube_root((4.0 / 3.0) * a_0_m / a_m);  // [Vogler 1964 eq. 2]
        const double k = 0.017778 * c_0 * p.f_minus_third / p.abs_z_g; // [Vogler eq. 6a/7a]
        const double b_0 = 1.607 - k;                                  // [Vogler fig. 4]
        p.x_km[i] = b_0 * (c_0 * c_0) * p.f_third * d_km;
        p.f_x_db[i] = height_function(p.x_km[i], k);
    };
    // Beyond its horizon, the transmitter's terms stay the same from one receiver to the next along a radial
    // (same horizon, same effective height): each thread keeps the last ones.
    struct TransmitterTerms {
        std::array<double, 4> key{std::numeric_limits<double>::quiet_NaN()};
        double x_km = 0.0;
        double f_x_db = 0.0;
    };
    thread_local TransmitterTerms last;
    const std::array<double, 4> key{d_hzn_m.tx, h_e_m.tx, f_mhz, p.abs_z_g};
    if (key == last.key) {
        p.x_km.tx = last.x_km;
        p.f_x_db.tx = last.f_x_db;
    } else {
        terminal(0);
        last = TransmitterTerms{key, p.x_km.tx, p.f_x_db.tx};
    }
    terminal(1);
    return p;
}

// Vogler (1964) three-radius smooth-earth diffraction at distance d_m, from the path's own terms.
double smooth_earth_at(const SmoothEarthPath& p, double d_m, double a_e_m, double theta_los, const Pair& d_hzn_m) {
    const double theta_nlos = d_m / a_e_m - theta_los;
    const double d_ml_m = d_hzn_m.tx + d_hzn_m.rx;
    const double a_m = (d_m - d_ml_m) / (d_m / a_e_m - theta_los);
    const double d_km = (a_m * theta_nlos) / 1000.0;
    const double c_0 = cube_root((4.0 / 3.0) * a_0_m / a_m);
    const double k = 0.017778 * c_0 * p.f_minus_third / p.abs_z_g;
    const double b_0 = 1.607 - k;
    const double x_km = b_0 * (c_0 * c_0) * p.f_third * d_km + p.x_km.tx + p.x_km.rx;
    const double g_x = 0.05751 * x_km - 10.0 * log10_of(x_km); // [TN101 eq. 8.4]
    return g_x - p.f_x_db.tx - p.f_x_db.rx - 20;                 // [Algorithm eq. 4.20]
}

struct DiffractionPath {
    SmoothEarthPath smooth_earth;
    double a_fo_db = 0.0; // clutter factor
    double term1 = 0.0;   // [ERL eq. 3.23]
};

DiffractionPath diffraction_path(const Pair& d_hzn_m, const Pair& h_e_m, std::complex<double> z_g, double delta_h_m,
                                 const Pair& h_m, Mode mode, double d_sml_m, double f_mhz) {
    DiffractionPath p;
    p.smooth_earth = smooth_earth_path(f_mhz, d_hzn_m, h_e_m, z_g);
    // Clutter factor [ERL eq. 3.38c], with the roughness at d_sML [ERL p. 3-13].
    const double sigma_h_d = sigma_h(terrain_roughness(d_sml_m, delta_h_m));
    p.a_fo_db = std::min(15.0, 5 * log10_of(1.0 + 1e-5 * h_m.tx * h_m.rx * f_mhz * sigma_h_d));
    double q = h_m.tx * h_m.rx;
    const double qk = h_e_m.tx * h_e_m.rx - q;
    if (mode == Mode::p2p) {
        q += 10.0; // C ≈ 10 for low antennas with known path [ERL p. 3-8]
    }
    p.term1 = std::sqrt(1.0 + qk / q);
    return p;
}

double diffraction_at(const DiffractionPath& p, double d_m, const Pair& d_hzn_m, double a_e_m, double delta_h_m,
                      double theta_los, double f_mhz) {
    const double a_k_db = knife_edge_diffraction(d_m, f_mhz, a_e_m, theta_los, d_hzn_m);
    const double a_se_db = smooth_earth_at(p.smooth_earth, d_m, a_e_m, theta_los, d_hzn_m);
    const double delta_h_d = terrain_roughness(d_m, delta_h_m);
    const double d_ml_m = d_hzn_m.tx + d_hzn_m.rx;
    const double q = (p.term1 + (-theta_los * a_e_m + d_ml_m) / d_m) * std::min(delta_h_d * f_mhz / 47.7, 6283.2);
    const double w = 25.1 / (25.1 + std::sqrt(q));
    return w * a_se_db + (1.0 - w) * a_k_db + p.a_fo_db;
}

} // namespace

double smooth_earth_diffraction(double d_m, double f_mhz, double a_e_m, double theta_los, const Pair& d_hzn_m,
                                const Pair& h_e_m, std::complex<double> z_g) {
    return smooth_earth_at(smooth_earth_path(f_mhz, d_hzn_m, h_e_m, z_g), d_m, a_e_m, theta_los, d_hzn_m);
}

double diffraction_loss(double d_m, const Pair& d_hzn_m, const Pair& h_e_m, std::complex<double> z_g, double a_e_m,
                        double delta_h_m, const Pair& h_m, Mode mode, double theta_los, double d_sml_m, double f_mhz) {
    return diffraction_at(diffraction_path(d_hzn_m, h_e_m, z_g, delta_h_m, h_m, mode, d_sml_m, f_mhz), d_m, d_hzn_m,
                          a_e_m, delta_h_m, theta_los, f_mhz);
}

double line_of_sight_loss(double d_m, const Pair& h_e_m, std::complex<double> z_g, double delta_h_m, double m_d,
                          double a_d0, double d_sml_m, double f_mhz) {
    const double sigma_h_d = sigma_h(terrain_roughness(d_m, delta_h_m));
    const double wn = f_mhz / 47.7;

    // [Algorithm eq. 4.46-4.48]: grazing angle and rough-surface reflection coefficient
    const double sin_psi = (h_e_m.tx + h_e_m.rx) / std::sqrt((d_m * d_m) + square(h_e_m.tx + h_e_m.rx));
    std::complex<double> r_e = (sin_psi - z_g) / (sin_psi + z_g) * std::exp(-std::min(10.0, wn * sigma_h_d * sin_psi));
    const double q = (r_e.real() * r_e.real()) + (r_e.imag() * r_e.imag());
    if (q < 0.25 || q < sin_psi) {
        r_e = r_e * std::sqrt(sin_psi / q);
    }

    // [Algorithm eq. 4.49-4.50]: phase difference, limited beyond π/2
    double delta_phi = wn * 2.0 * h_e_m.tx * h_e_m.rx / d_m;
    if (delta_phi > pi / 2.0) {
        delta_phi = pi - square(pi / 2.0) / delta_phi;
    }
    const std::complex<double> rr = std::complex<double>(std::cos(delta_phi), -std::sin(delta_phi)) + r_e;
    const double a_t_db = -10 * log10_of((rr.real() * rr.real()) + (rr.imag() * rr.imag()));

    const double a_d_db = m_d * d_m + a_d0; // extended diffraction line
    const double w = 1 / (1 + f_mhz * delta_h_m / std::max(10e3, d_sml_m));
    return w * a_t_db + (1 - w) * a_d_db;
}

double f_function(double td) {
    // [Algorithm eq. 6.9]
    static constexpr double a[] = {133.4, 104.6, 71.8};
    static constexpr double b[] = {0.332e-3, 0.212e-3, 0.157e-3};
    static constexpr double c[] = {-10, -2.5, 5};
    const int i = td <= 10e3 ? 0 : (td <= 70e3 ? 1 : 2);
    return a[i] + b[i] * td + c[i] * log10_of(td);
}

double h0_curve(int j, double r) {
    // [Algorithm eq. 6.13]
    static constexpr double a[] = {25.0, 80.0, 177.0, 395.0, 705.0};
    static constexpr double b[] = {24.0, 45.0, 68.0, 80.0, 105.0};
    return 10 * log10_of(1 + a[j] * square(square(1 / r)) + b[j] * square(1.0 / r));
}

double h0_function(double r, double eta_s) {
    eta_s = std::min(std::max(eta_s, 1.0), 5.0);
    const int i = static_cast<int>(eta_s);
    const double q = eta_s - i;
    double result = h0_curve(i - 1, r);
    if (q != 0.0) {
        result = (1.0 - q) * result + q * h0_curve(i, r);
    }
    return result;
}

double troposcatter_loss(double d_m, const Pair& theta_hzn, const Pair& d_hzn_m, const Pair& h_e_m, double a_e_m,
                         double n_s, double f_mhz, double theta_los, double& h0) {
    const double wn = f_mhz / 47.7;
    const double sqrt2 = std::numbers::sqrt2;
    double h_0_db = 0.0;
    if (h0 > 15.0) {
        h_0_db = h0;
    } else {
        double ad = d_hzn_m.tx - d_hzn_m.rx;
        double rr = h_e_m.rx / h_e_m.tx;
        if (ad < 0.0) {
            ad = -ad;
            rr = 1.0 / rr;
        }
        const double theta = theta_hzn.tx + theta_hzn.rx + d_m / a_e_m;
        const double r_1 = 2.0 * wn * theta * h_e_m.tx; // [TN101 eq. 9.4a]
        const double r_2 = 2.0 * wn * theta * h_e_m.rx;
        if (r_1 < 0.2 && r_2 < 0.2) {
            return 1001; // A_scat undefined [Algorithm p. 11]
        }
        double s = (d_m - ad) / (d_m + ad);
        const double q = std::min(std::max(0.1, rr / s), 10.0); // [TN101 eq. 9.5], truncated [Algorithm p. 16]
        s = std::max(0.1, s);
        const double h_0_m = (d_m - ad) * (d_m + ad) * theta * 0.25 / d_m; // crossover height [Algorithm 4.66]

        constexpr double z_0_m = 1.7556e3; // scale heights [Algorithm 4.67]
        constexpr double z_1_m = 8.0e3;
        const double eta_s = (h_0_m / z_0_m) *
                             (1.0 + (0.031 - n_s * 2.32e-3 + (n_s * n_s) * 5.67e-6) *
                                        std::exp(-cube(square(std::min(1.7, h_0_m / z_1_m)))));
        const double h_00 = (h0_function(r_1, eta_s) + h0_function(r_2, eta_s)) / 2;
        const double delta_h_0 = std::min(h_00, 6.0 * (0.6 - log10_of(std::max(eta_s, 1.0))) * log10_of(s) * log10_of(q));
        h_0_db = std::max(h_00 + delta_h_0, 0.0);
        if (eta_s < 1.0) {
            h_0_db = eta_s * h_0_db + (1.0 - eta_s) * 10 *
                                          log10_of(square((1.0 + sqrt2 / r_1) * (1.0 + sqrt2 / r_2)) * (r_1 + r_2) /
                                                     (r_1 + r_2 + 2 * sqrt2));
        }
        // Beyond 15 dB at d5, the value at d6 is used [Algorithm p. 12]
        if (h_0_db > 15.0 && h0 >= 0.0) {
            h_0_db = h0;
        }
    }
    h0 = h_0_db;
    const double th = d_m / a_e_m - theta_los;
    constexpr double d_0_m = 40e3; // [Algorithm 6.8]
    constexpr double h_m = 47.7;   // [Algorithm 4.63]
    return f_function(th * d_m) + 10 * log10_of(wn * h_m * square(square(th))) - 0.1 * (n_s - 301.0) * std::exp(-th * d_m / d_0_m) +
           h_0_db;
}

ReferenceAttenuation longley_rice(const Pair& theta_hzn, double f_mhz, std::complex<double> z_g, const Pair& d_hzn_m,
                                  const Pair& h_e_m, double gamma_e, double n_s, double delta_h_m, const Pair& h_m,
                                  double d_m, Mode mode, std::uint32_t& warnings) {
    ReferenceAttenuation out;
    const double a_e_m = 1 / gamma_e;
    const Pair d_hzn_s_m{std::sqrt(2.0 * h_e_m.tx * a_e_m), std::sqrt(2.0 * h_e_m.rx * a_e_m)};
    const double d_sml_m = d_hzn_s_m.tx + d_hzn_s_m.rx; // smooth-earth maximum LOS distance
    const double d_ml_m = d_hzn_m.tx + d_hzn_m.rx;       // actual maximum LOS distance
    const double theta_los = -std::max(theta_hzn.tx + theta_hzn.rx, -d_ml_m / a_e_m);

    if (std::abs(theta_hzn.tx) > 200e-3) warnings |= 0x0080;
    if (std::abs(theta_hzn.rx) > 200e-3) warnings |= 0x0100;
    if (d_hzn_m.tx < 0.1 * d_hzn_s_m.tx) warnings |= 0x0200;
    if (d_hzn_m.rx < 0.1 * d_hzn_s_m.rx) warnings |= 0x0400;
    if (d_hzn_m.tx > 3.0 * d_hzn_s_m.tx) warnings |= 0x0800;
    if (d_hzn_m.rx > 3.0 * d_hzn_s_m.rx) warnings |= 0x1000;

    if (n_s < 150) { out.rc = code::refractivity_small; return out; }
    if (n_s > 400) { out.rc = code::refractivity_large; return out; }
    if (n_s < 250) warnings |= 0x4000;
    if (a_e_m < 4000000 || a_e_m > 13333333) { out.rc = code::effective_earth; return out; }
    if (z_g.real() <= std::abs(z_g.imag())) { out.rc = code::ground_impedance; return out; }

    // Diffraction line from two distances far in the diffraction region.
    const double scale = cube_root(square(a_e_m) / f_mhz);
    const double d_3_m = std::max(d_sml_m, d_ml_m + 5.0 * scale);
    const double d_4_m = d_3_m + 10.0 * scale;
    const DiffractionPath diffraction = diffraction_path(d_hzn_m, h_e_m, z_g, delta_h_m, h_m, mode, d_sml_m, f_mhz);
    const double a_3_db = diffraction_at(diffraction, d_3_m, d_hzn_m, a_e_m, delta_h_m, theta_los, f_mhz);
    const double a_4_db = diffraction_at(diffraction, d_4_m, d_hzn_m, a_e_m, delta_h_m, theta_los, f_mhz);
    const double m_d = (a_4_db - a_3_db) / (d_4_m - d_3_m);
    const double a_d0_db = a_3_db - m_d * d_3_m;

    const double d_min_m = std::abs(h_e_m.tx - h_e_m.rx) / 200e-3;
    if (d_m < d_min_m) warnings |= 0x0020;
    if (d_m < 1e3) warnings |= 0x0040;
    if (d_m > 1000e3) warnings |= 0x0008;
    if (d_m > 2000e3) warnings |= 0x0010;

    if (d_m < d_sml_m) {
        // Line-of-sight region: fit A = A_o + k1·d + k2·ln d through d0, d1 and d_sML [ERL eq. 3.16-3.21].
        const double a_sml_db = d_sml_m * m_d + a_d0_db;
        double d_0_m = 0.04 * f_mhz * h_e_m.tx * h_e_m.rx;
        double d_1_m = 0.0;
        if (a_d0_db >= 0.0) {
            d_0_m = std::min(d_0_m, 0.5 * d_ml_m);
            d_1_m = d_0_m + 0.25 * (d_ml_m - d_0_m);
        } else {
            d_1_m = std::max(-a_d0_db / m_d, 0.25 * d_ml_m);
        }
        const double a_1_db = line_of_sight_loss(d_1_m, h_e_m, z_g, delta_h_m, m_d, a_d0_db, d_sml_m, f_mhz);

        bool flag = false;
        double k_1 = 0.0;
        double k_2 = 0.0;
        if (d_0_m < d_1_m) {
            const double a_0_db = line_of_sight_loss(d_0_m, h_e_m, z_g, delta_h_m, m_d, a_d0_db, d_sml_m, f_mhz);
            const double q = std::log(d_sml_m / d_0_m);
            k_2 = std::max(0.0, ((d_sml_m - d_0_m) * (a_1_db - a_0_db) - (d_1_m - d_0_m) * (a_sml_db - a_0_db)) /
                                    ((d_sml_m - d_0_m) * std::log(d_1_m / d_0_m) - (d_1_m - d_0_m) * q));
            flag = a_d0_db > 0.0 || k_2 > 0.0;
            if (flag) {
                k_1 = (a_sml_db - a_0_db - k_2 * q) / (d_sml_m - d_0_m);
                if (k_1 < 0.0) {
                    k_1 = 0.0;
                    k_2 = positive_difference(a_sml_db, a_0_db) / q;
                    if (k_2 == 0.0) {
                        k_1 = m_d;
                    }
                }
            }
        }
        if (!flag) {
            k_1 = positive_difference(a_sml_db, a_1_db) / (d_sml_m - d_1_m);
            k_2 = 0.0;
            if (k_1 == 0.0) {
                k_1 = m_d;
            }
        }
        const double a_o_db = a_sml_db - k_1 * d_sml_m - k_2 * std::log(d_sml_m);
        out.a_ref_db = a_o_db + k_1 * d_m + k_2 * std::log(d_m);
        out.mode = 1;
    } else {
        // Trans-horizon: troposcatter line from d5, d6 far in the scatter region. It takes over beyond
        // d_x >= max(d_sML, d_ML + 1.088·scale·ln f); closer than that the diffraction line holds whatever
        // the troposcatter values, so they are not computed (the result is the same).
        const double d_x_min_m = std::max(d_sml_m, d_ml_m + 1.088 * scale * frequency_terms(f_mhz).log_f);
        if (d_m <= d_x_min_m) {
            out.a_ref_db = std::max(m_d * d_m + a_d0_db, 0.0);
            out.mode = 2;
            return out;
        }
        const double d_5_m = d_ml_m + 200e3;
        const double d_6_m = d_ml_m + 400e3;
        double h0 = -1;
        const double a_6_db = troposcatter_loss(d_6_m, theta_hzn, d_hzn_m, h_e_m, a_e_m, n_s, f_mhz, theta_los, h0);
        const double a_5_db = troposcatter_loss(d_5_m, theta_hzn, d_hzn_m, h_e_m, a_e_m, n_s, f_mhz, theta_los, h0);

        double m_s = 0.0;
        double a_s0_db = 0.0;
        double d_x_m = 0.0;
        if (a_5_db < 1000.0) {
            m_s = (a_6_db - a_5_db) / 200e3;
            d_x_m = std::max(d_x_min_m,
                             (a_5_db - a_d0_db - m_s * d_5_m) / (m_d - m_s));
            a_s0_db = (m_d - m_s) * d_x_m + a_d0_db;
        } else {
            m_s = m_d;
            a_s0_db = a_d0_db;
            d_x_m = 10e6;
        }
        if (d_m > d_x_m) {
            out.a_ref_db = m_s * d_m + a_s0_db;
            out.mode = 3;
        } else {
            out.a_ref_db = m_d * d_m + a_d0_db;
            out.mode = 2;
        }
    }
    out.a_ref_db = std::max(out.a_ref_db, 0.0);
    return out;
}

} // namespace coverage::itm
