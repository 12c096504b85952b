// ITM variability: time, location and situation quantiles from the TN101 climate curves
// ([TN101 §10], [Algorithm §5]), and the inverse normal CCDF (Abramowitz & Stegun 26.2.23).

#include "propagation/itm/itm.hpp"

#include <cmath>

namespace coverage::itm {

namespace {

// [TN101v2 eq. III.69/III.70]
double curve(double c1, double c2, double x1, double x2, double x3, double d_e_m) {
    return (c1 + c2 / (1.0 + square((d_e_m - x2) / x3))) * (square(d_e_m / x1)) / (1.0 + (square(d_e_m / x1)));
}

// Climate curve coefficients, [TN101 fig. 10.13] as fitted in [Algorithm §5]; columns = climates 1..7.
constexpr double all_year[5][7] = {
    {-9.67, -0.62, 1.26, -9.21, -0.62, -0.39, 3.15},
    {12.7, 9.19, 15.5, 9.05, 9.19, 2.86, 857.9},
    {144.9e3, 228.9e3, 262.6e3, 84.1e3, 228.9e3, 141.7e3, 2222.e3},
    {190.3e3, 205.2e3, 185.2e3, 101.1e3, 205.2e3, 315.9e3, 164.8e3},
    {133.8e3, 143.6e3, 99.8e3, 98.6e3, 143.6e3, 167.4e3, 116.3e3},
};
constexpr double bsm1[] = {2.13, 2.66, 6.11, 1.98, 2.68, 6.86, 8.51};
constexpr double bsm2[] = {159.5, 7.67, 6.65, 13.11, 7.16, 10.38, 169.8};
constexpr double xsm1[] = {762.2e3, 100.4e3, 138.2e3, 139.1e3, 93.7e3, 187.8e3, 609.8e3};
constexpr double xsm2[] = {123.6e3, 172.5e3, 242.2e3, 132.7e3, 186.8e3, 169.6e3, 119.9e3};
constexpr double xsm3[] = {94.5e3, 136.4e3, 178.6e3, 193.5e3, 133.5e3, 108.9e3, 106.6e3};
constexpr double bsp1[] = {2.11, 6.87, 10.08, 3.68, 4.75, 8.58, 8.43};
constexpr double bsp2[] = {102.3, 15.53, 9.60, 159.3, 8.12, 13.97, 8.19};
constexpr double xsp1[] = {636.9e3, 138.7e3, 165.3e3, 464.4e3, 93.2e3, 216.0e3, 136.2e3};
constexpr double xsp2[] = {134.8e3, 143.7e3, 225.7e3, 93.1e3, 135.9e3, 152.0e3, 188.5e3};
constexpr double xsp3[] = {95.6e3, 98.6e3, 129.7e3, 94.2e3, 113.4e3, 122.7e3, 122.9e3};
constexpr double c_d[] = {1.224, 0.801, 1.380, 1.000, 1.224, 1.518, 1.518}; // [Algorithm table 5.1]
constexpr double z_d[] = {1.282, 2.161, 1.282, 20.0, 1.282, 1.282, 1.282};
constexpr double bfm1[] = {1.0, 1.0, 1.0, 1.0, 0.92, 1.0, 1.0};
constexpr double bfm2[] = {0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0};
constexpr double bfm3[] = {0.0, 0.0, 0.0, 0.0, 1.77, 0.0, 0.0};
constexpr double bfp1[] = {1.0, 0.93, 1.0, 0.93, 0.93, 1.0, 1.0};
constexpr double bfp2[] = {0.0, 0.31, 0.0, 0.19, 0.31, 0.0, 0.0};
constexpr double bfp3[] = {0.0, 2.00, 0.0, 1.79, 2.00, 0.0, 0.0};

} // namespace

double inverse_ccdf(double q) {
    constexpr double c_0 = 2.515516;
    constexpr double c_1 = 0.802853;
    constexpr double c_2 = 0.010328;
    constexpr double d_1 = 1.432788;
    constexpr double d_2 = 0.189269;
    constexpr double d_3 = 0.001308;
    double x = q;
    if (q > 0.5) {
        x = 1.0 - x;
    }
    const double t_x = std::sqrt(-2.0 * std::log(x));
    const double zeta_x = ((c_2 * t_x + c_1) * t_x + c_0) / (((d_3 * t_x + d_2) * t_x + d_1) * t_x + 1.0);
    double q_q = t_x - zeta_x;
    if (q > 0.5) {
        q_q = -q_q;
    }
    return q_q;
}

VariabilityContext variability_context(double time, double location, double situation, double f_mhz, int climate,
                                        int mdvar) {
    VariabilityContext v;
    v.z_t = inverse_ccdf(time / 100);
    v.z_l = inverse_ccdf(location / 100);
    v.z_s = inverse_ccdf(situation / 100);
    v.c = static_cast<std::size_t>(climate - 1);
    v.wn = f_mhz / 47.7;
    v.d_ex_freq_m = std::pow((575.7e12 / v.wn), third);

    int mode = mdvar;
    v.plus20 = mode >= 20; // direct situation variability removed (interference studies)
    if (v.plus20) {
        mode -= 20;
    }
    v.plus10 = mode >= 10; // location variability removed
    if (v.plus10) {
        mode -= 10;
    }
    v.mode = mode;
    if (mode == single_message) {
        v.z_t = v.z_s;
        v.z_l = v.z_s;
    } else if (mode == accidental) {
        v.z_l = v.z_s;
    } else if (mode == mobile) {
        v.z_l = v.z_t;
    }
    v.extreme = std::fabs(v.z_t) > 3.10 || std::fabs(v.z_l) > 3.10 || std::fabs(v.z_s) > 3.10;
    const double q = std::log(0.133 * v.wn);
    const std::size_t c = v.c;
    v.g_minus = bfm1[c] + bfm2[c] / (square(bfm3[c] * q) + 1.0);
    v.g_plus = bfp1[c] + bfp2[c] / (square(bfp3[c] * q) + 1.0);
    return v;
}

double variability(const VariabilityContext& v, const Pair& h_e_m, double delta_h_m, double d_m, double a_ref_db,
                   std::uint32_t& warnings) {
    const std::size_t c = v.c;
    // Effective distance [Algorithm eq. 5.3]
    const double d_ex_m = std::sqrt(2 * a_9000_m * h_e_m.tx) + std::sqrt(2 * a_9000_m * h_e_m.rx) + v.d_ex_freq_m;
    const double d_e_m = d_m < d_ex_m ? 130e3 * d_m / d_ex_m : 130e3 + d_m - d_ex_m;

    const double sigma_s = v.plus20 ? 0.0 : 5.0 + 3.0 * std::exp(-d_e_m / 100e3); // [Algorithm eq. 5.10]
    const double v_med_db = curve(all_year[0][c], all_year[1][c], all_year[2][c], all_year[3][c], all_year[4][c], d_e_m);
    if (v.extreme) {
        warnings |= 0x2000;
    }
    const double z_t = v.z_t;
    const double z_l = v.z_l;
    const double z_s = v.z_s;
    const double wn = v.wn;

    double sigma_l = 0.0;
    if (!v.plus10) {
        const double delta_h_d_m = terrain_roughness(d_m, delta_h_m);
        sigma_l = 10.0 * wn * delta_h_d_m / (wn * delta_h_d_m + 13.0); // [Algorithm eq. 5.9]
    }
    const double y_l = sigma_l * z_l;

    const double sigma_t_minus = curve(bsm1[c], bsm2[c], xsm1[c], xsm2[c], xsm3[c], d_e_m) * v.g_minus;
    const double sigma_t_plus = curve(bsp1[c], bsp2[c], xsp1[c], xsp2[c], xsp3[c], d_e_m) * v.g_plus;
    const double sigma_td = c_d[c] * sigma_t_plus;
    const double tgtd = (sigma_t_plus - sigma_td) * z_d[c];
    double sigma_t = 0.0;
    if (z_t < 0.0) {
        sigma_t = sigma_t_minus;
    } else if (z_t <= z_d[c]) {
        sigma_t = sigma_t_plus;
    } else {
        sigma_t = sigma_td + tgtd / z_t;
    }
    const double y_t = sigma_t * z_t;

    const double y_s_temp = square(sigma_s) + square(y_t) / (7.8 + square(z_s)) + square(y_l) / (24.0 + square(z_s));

    double y_r = 0.0;
    double y_s = 0.0;
    if (v.mode == single_message) {
        y_r = 0.0;
        y_s = std::sqrt(square(sigma_t) + square(sigma_l) + y_s_temp) * z_s;
    } else if (v.mode == accidental) {
        y_r = y_t;
        y_s = std::sqrt(square(sigma_l) + y_s_temp) * z_s;
    } else if (v.mode == mobile) {
        y_r = std::sqrt(square(sigma_t) + square(sigma_l)) * z_t;
        y_s = std::sqrt(y_s_temp) * z_s;
    } else {
        y_r = y_t + y_l;
        y_s = std::sqrt(y_s_temp) * z_s;
    }

    double result = a_ref_db - v_med_db - y_r - y_s;
    if (result < 0.0) {
        result = result * (29.0 - result) / (29.0 - 10.0 * result); // [Algorithm eq. 52]
    }
    return result;
}

double variability(double time, double location, double situation, const Pair& h_e_m, double delta_h_m, double f_mhz,
                   double d_m, double a_ref_db, int climate, int mdvar, std::uint32_t& warnings) {
    return variability(variability_context(time, location, situation, f_mhz, climate, mdvar), h_e_m, delta_h_m, d_m,
                       a_ref_db, warnings);
}

} // namespace coverage::itm
