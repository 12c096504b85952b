// ITM input validation, initialisation and the two entry points (point-to-point and area mode).

#include "propagation/itm/itm.hpp"

#include <array>
#include <cmath>

namespace coverage::itm {

int validate_inputs(double h_tx_m, double h_rx_m, int climate, double time, double location, double situation,
                    double n_0, double f_mhz, int pol, double epsilon, double sigma, int mdvar,
                    std::uint32_t& warnings) {
    if (h_tx_m < 1.0 || h_tx_m > 1000.0) warnings |= 0x0001;
    if (h_tx_m < 0.5 || h_tx_m > 3000.0) return code::tx_height;
    if (h_rx_m < 1.0 || h_rx_m > 1000.0) warnings |= 0x0002;
    if (h_rx_m < 0.5 || h_rx_m > 3000.0) return code::rx_height;
    if (climate < 1 || climate > 7) return code::climate;
    if (n_0 < 250 || n_0 > 400) return code::refractivity;
    if (f_mhz < 40.0 || f_mhz > 10000.0) warnings |= 0x0004;
    if (f_mhz < 20 || f_mhz > 20000) return code::frequency;
    if (pol != 0 && pol != 1) return code::polarization;
    if (epsilon < 1) return code::epsilon;
    if (sigma <= 0) return code::sigma;
    if (mdvar < 0 || (mdvar > 3 && mdvar < 10) || (mdvar > 13 && mdvar < 20) || (mdvar > 23 && mdvar < 30) || mdvar > 33)
        return code::mdvar;
    if (situation <= 0 || situation >= 100) return code::situation;
    if (time <= 0 || time >= 100) return code::time;
    if (location <= 0 || location >= 100) return code::location;
    // NaN fails every comparison above; reject it explicitly.
    if (std::isnan(h_tx_m)) return code::tx_height;
    if (std::isnan(h_rx_m)) return code::rx_height;
    if (std::isnan(n_0)) return code::refractivity;
    if (std::isnan(f_mhz)) return code::frequency;
    if (std::isnan(epsilon)) return code::epsilon;
    if (std::isnan(sigma)) return code::sigma;
    if (std::isnan(situation)) return code::situation;
    if (std::isnan(time)) return code::time;
    if (std::isnan(location)) return code::location;
    return code::success;
}

double surface_refractivity(double h_sys_m, double n_0) {
    return h_sys_m == 0.0 ? n_0 : n_0 * std::exp(-h_sys_m / 9460.0); // [TN101 eq. 4.3]
}

double effective_curvature(double n_s) {
    constexpr double gamma_a = 157e-9;                         // curvature of the actual earth, ~1/6370 km
    return gamma_a * (1.0 - 0.04665 * std::exp(n_s / 179.3)); // [TN101 eq. 4.4]
}

Setup initialize_point_to_point(double f_mhz, double h_sys_m, double n_0, int pol, double epsilon, double sigma) {
    Setup s;
    s.n_s = surface_refractivity(h_sys_m, n_0);
    s.gamma_e = effective_curvature(s.n_s);
    const std::complex<double> ep_r(epsilon, 18000 * sigma / f_mhz);
    s.z_g = std::sqrt(ep_r - 1.0); // horizontal polarization
    if (pol == 1) {
        s.z_g = s.z_g / ep_r;      // vertical
    }
    return s;
}

void initialize_area(const int siting[2], double gamma_e, double delta_h_m, const Pair& h_m, Pair& h_e_m,
                     Pair& d_hzn_m, Pair& theta_hzn) {
    for (int i = 0; i < 2; ++i) {
        if (siting[i] == 0) {
            h_e_m[i] = h_m[i];
        } else {
            double b = siting[i] == 1 ? 4.0 : 9.0;
            if (h_m[i] < 5.0) {
                b = b * std::sin(0.1 * pi * h_m[i]);
            }
            // [Algorithm eq. 3.2]
            h_e_m[i] = h_m[i] + (1.0 + b) * std::exp(-std::min(20.0, 2.0 * h_m[i] / std::max(1e-3, delta_h_m)));
        }
        const double d_ls_m = std::sqrt(2.0 * h_e_m[i] / gamma_e);
        constexpr double h_3_m = 5;
        d_hzn_m[i] = d_ls_m * std::exp(-0.07 * std::sqrt(delta_h_m / std::max(h_e_m[i], h_3_m))); // [Algorithm eq. 3.3]
        theta_hzn[i] = (0.65 * delta_h_m * (d_ls_m / d_hzn_m[i] - 1.0) - 2.0 * h_e_m[i]) / d_ls_m; // [Algorithm eq. 3.4]
    }
}

Result p2p_tls(double h_tx_m, double h_rx_m, const Pfl& pfl, int climate, double n_0, double f_mhz, int pol,
               double epsilon, double sigma, int mdvar, double time, double location, double situation, const double* delta_h_m) {
    Result r;
    r.rc = validate_inputs(h_tx_m, h_rx_m, climate, time, location, situation, n_0, f_mhz, pol, epsilon, sigma, mdvar,
                           r.warnings);
    if (r.rc != code::success) {
        return r;
    }
    // The ground impedance and the variability context depend on the link's settings only; a coverage map
    // calls this for every cell with the same settings, so each thread keeps the last ones it computed.
    struct Cached {
        std::array<double, 9> key{};
        std::complex<double> z_g;
        VariabilityContext variability;
        bool valid = false;
    };
    thread_local Cached cached;
    const std::array<double, 9> key{f_mhz, n_0, static_cast<double>(pol), epsilon, sigma, time, location, situation,
                                     static_cast<double>(climate * 100 + mdvar)};
    if (!cached.valid || cached.key != key) {
        cached.key = key;
        cached.z_g = initialize_point_to_point(f_mhz, 0.0, n_0, pol, epsilon, sigma).z_g;
        cached.variability = variability_context(time, location, situation, f_mhz, climate, mdvar);
        cached.valid = true;
    }
    Setup setup;
    setup.n_s = surface_refractivity(mean_system_height(pfl), n_0);
    setup.gamma_e = effective_curvature(setup.n_s);
    setup.z_g = cached.z_g;
    const Pair h_m{h_tx_m, h_rx_m};
    return p2p_from_terrain(r, quick_pfl(pfl, setup.gamma_e, h_m, delta_h_m), setup, h_m, f_mhz, cached.variability);
}

double mean_system_height(const Pfl& pfl) {
    // Mean height of the path, first and last 10 % left out.
    const int np = pfl.intervals();
    const int p10 = static_cast<int>(0.1 * np);
    const double* z = pfl.z.data();
    // Eight running sums, so that the additions do not wait on each other (one sum waits on the previous addition at
    // every point); regrouped additions change the last bits only, and the grouping is the same on every machine.
    constexpr int lanes = 8;
    std::array<double, lanes> part{};
    const int last = np - p10;
    int i = p10;
    for (; i + lanes - 1 <= last; i += lanes) {
        for (int j = 0; j < lanes; ++j) {
            part[static_cast<std::size_t>(j)] += z[i + j];
        }
    }
    double sum = ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
    for (; i <= last; ++i) {
        sum += z[i];
    }
    return sum / (np - 2 * p10 + 1);
}

Result p2p_from_terrain(Result r, const QuickPflResult& q, const Setup& setup, const Pair& h_m, double f_mhz,
                        const VariabilityContext& v) {
    r.d_km = q.d_m / 1000;
    const ReferenceAttenuation ref = longley_rice(q.theta_hzn, f_mhz, setup.z_g, q.d_hzn_m, q.h_e_m, setup.gamma_e,
                                                  setup.n_s, q.delta_h_m, h_m, q.d_m, Mode::p2p, r.warnings);
    if (ref.rc != code::success) {
        r.rc = ref.rc;
        return r;
    }
    r.a_fs_db = free_space_loss(q.d_m, f_mhz);
    r.a_db = variability(v, q.h_e_m, q.delta_h_m, q.d_m, ref.a_ref_db, r.warnings) + r.a_fs_db;
    r.a_ref_db = ref.a_ref_db;
    r.delta_h_m = q.delta_h_m;
    r.d_hzn_m = q.d_hzn_m;
    r.h_e_m = q.h_e_m;
    r.n_s = setup.n_s;
    r.theta_hzn = q.theta_hzn;
    r.mode = ref.mode;
    r.rc = r.warnings != 0 ? code::success_with_warnings : code::success;
    return r;
}

Result area_tls(double h_tx_m, double h_rx_m, int tx_siting, int rx_siting, double d_km, double delta_h_m,
                int climate, double n_0, double f_mhz, int pol, double epsilon, double sigma, int mdvar, double time,
                double location, double situation) {
    Result r;
    r.rc = validate_inputs(h_tx_m, h_rx_m, climate, time, location, situation, n_0, f_mhz, pol, epsilon, sigma, mdvar,
                           r.warnings);
    if (r.rc != code::success) return r;
    if (!(d_km > 0)) { r.rc = code::path_distance; return r; }
    if (!(delta_h_m >= 0)) { r.rc = code::delta_h; return r; }
    if (tx_siting < 0 || tx_siting > 2) { r.rc = code::tx_siting; return r; }
    if (rx_siting < 0 || rx_siting > 2) { r.rc = code::rx_siting; return r; }

    const int siting[2] = {tx_siting, rx_siting};
    const Pair h_m{h_tx_m, h_rx_m};
    r.d_km = d_km;
    const Setup setup = initialize_point_to_point(f_mhz, 0.0, n_0, pol, epsilon, sigma);
    initialize_area(siting, setup.gamma_e, delta_h_m, h_m, r.h_e_m, r.d_hzn_m, r.theta_hzn);

    const double d_m = d_km * 1000;
    const ReferenceAttenuation ref = longley_rice(r.theta_hzn, f_mhz, setup.z_g, r.d_hzn_m, r.h_e_m, setup.gamma_e,
                                                  setup.n_s, delta_h_m, h_m, d_m, Mode::area, r.warnings);
    if (ref.rc != code::success) {
        r.rc = ref.rc;
        return r;
    }
    r.a_fs_db = free_space_loss(d_m, f_mhz);
    r.a_db = r.a_fs_db + variability(time, location, situation, r.h_e_m, delta_h_m, f_mhz, d_m, ref.a_ref_db, climate,
                                     mdvar, r.warnings);
    r.a_ref_db = ref.a_ref_db;
    r.delta_h_m = delta_h_m;
    r.n_s = setup.n_s;
    r.mode = ref.mode;
    r.rc = r.warnings != 0 ? code::success_with_warnings : code::success;
    return r;
}

const char* error_text(int rc) noexcept {
    switch (rc) {
    case code::tx_height: return "transmitter height must be 0.5..3000 m above ground";
    case code::rx_height: return "receiver height must be 0.5..3000 m above ground";
    case code::climate: return "radio climate must be 1..7";
    case code::time: return "time percentage must be strictly between 0 and 100";
    case code::location: return "location percentage must be strictly between 0 and 100";
    case code::situation: return "situation percentage must be strictly between 0 and 100";
    case code::confidence: return "confidence percentage must be strictly between 0 and 100";
    case code::reliability: return "reliability percentage must be strictly between 0 and 100";
    case code::refractivity: return "surface refractivity N_0 must be 250..400 N-units";
    case code::frequency: return "frequency must be 20..20000 MHz";
    case code::polarization: return "polarization must be horizontal (0) or vertical (1)";
    case code::epsilon: return "relative permittivity epsilon must be >= 1";
    case code::sigma: return "ground conductivity sigma must be > 0 S/m";
    case code::ground_impedance: return "ground impedance out of range (real part <= |imaginary part|)";
    case code::mdvar: return "mdvar must be 0-3, 10-13, 20-23 or 30-33";
    case code::effective_earth: return "effective earth radius outside 4000..13333 km";
    case code::path_distance: return "path distance must be > 0 km";
    case code::delta_h: return "terrain irregularity delta_h must be >= 0 m";
    case code::tx_siting: return "transmitter siting criteria must be 0, 1 or 2";
    case code::rx_siting: return "receiver siting criteria must be 0, 1 or 2";
    case code::refractivity_small: return "surface refractivity N_s below 150 N-units (path too high)";
    case code::refractivity_large: return "surface refractivity N_s above 400 N-units";
    default: return "unknown ITM error";
    }
}

} // namespace coverage::itm
