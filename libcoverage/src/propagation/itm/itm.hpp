// Private interface of the ITM implementation (coverage::itm). Each routine follows one step of
// the published algorithm: Hufford (1982) "The ITS Irregular Terrain Model, version 1.2.2: the
// algorithm" [Algorithm], NBS TN101 [TN101], ERL 79-ITS 67 [ERL], and NTIA/itm v1.4, whose
// arithmetic is kept term for term, except where a coverage map's millions of calls made a faster
// arrangement worth it (the terrain scans, log10 as ln·log10(e), fdim inline): those change the last
// bits only, and results agree with NTIA's reproduced values to 5e-10 dB.
#ifndef COVERAGE_SRC_ITM_ITM_HPP
#define COVERAGE_SRC_ITM_ITM_HPP

#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>
#include <cstdint>
#include <span>
#include <utility>

namespace coverage::itm {

inline constexpr double pi = 3.1415926535897932384;
inline constexpr double third = 1.0 / 3.0;
inline constexpr double a_0_m = 6370e3;     ///< actual earth radius used by Vogler's method
inline constexpr double a_9000_m = 9000e3;  ///< 9000 km reference radius for the effective distance

/** x², exactly as pow(x, 2) rounds (both are correctly rounded), without the library call. */
[[nodiscard]] constexpr double square(double x) noexcept { return x * x; }
[[nodiscard]] constexpr double cube(double x) noexcept { return x * x * x; }

/** fdim for finite inputs (x − y when x > y, else 0), inline: the library's is a call, made for every path. */
[[nodiscard]] constexpr double positive_difference(double x, double y) noexcept { return x > y ? x - y : 0.0; }

/** log10(x) as ln(x)·log10(e): glibc's log10 costs about twice its log; the two differ in the last bit or so. */
[[nodiscard]] inline double log10_of(double x) noexcept { return std::log(x) * 0.43429448190325182765; }

/**
 * Cube root of a positive normal x to within one unit in the last place (glibc's cbrt, up to ~3 ulp off, splits and
 * rebuilds x with frexp/ldexp calls that cost as much as the root itself; the ITM core takes four per path).
 * A first guess from the exponent bits (one third of the biased exponent, Kahan's constant), a polynomial
 * step to about 23 bits, rounding to 21 bits so its square and cube are exact, and one Newton step. The
 * constants are those of FreeBSD msun's s_cbrt.c (Bruce Evans). Anything else (zero, negative, subnormal,
 * infinite, NaN) goes to std::cbrt.
 */
[[nodiscard]] inline double cube_root(double x) noexcept {
    const auto bits = std::bit_cast<std::uint64_t>(x);
    const auto high = static_cast<std::uint32_t>(bits >> 32);
    if (high < 0x00100000U || high >= 0x7ff00000U) { // sign set, subnormal, zero, infinite or NaN
        return std::cbrt(x);
    }
    constexpr std::uint32_t b1 = 715094163U; // (1023 − 1023/3 − 0.03306235651)·2^20
    double t = std::bit_cast<double>(static_cast<std::uint64_t>(high / 3 + b1) << 32);
    constexpr double p0 = 1.87595182427177009643;
    constexpr double p1 = -1.88497979543377169875;
    constexpr double p2 = 1.621429720105354466140;
    constexpr double p3 = -0.758397934778766047437;
    constexpr double p4 = 0.145996192886612446982;
    double r = (t * t) * (t / x);
    t = t * ((p0 + r * (p1 + r * p2)) + ((r * r) * r) * (p3 + r * p4));
    t = std::bit_cast<double>((std::bit_cast<std::uint64_t>(t) + 0x80000000ULL) & 0xffffffffc0000000ULL);
    const double s = t * t;
    r = x / s;
    const double w = t + t;
    r = (r - t) / (w + r);
    return t + t * r;
}

enum class Mode { p2p = 0, area = 1 };

/** NTIA error codes, kept so tests compare with validate_inputs_cases.csv. */
namespace code {
inline constexpr int success = 0;
inline constexpr int success_with_warnings = 1;
inline constexpr int tx_height = 1000;
inline constexpr int rx_height = 1001;
inline constexpr int climate = 1002;
inline constexpr int time = 1003;
inline constexpr int location = 1004;
inline constexpr int situation = 1005;
inline constexpr int confidence = 1006;
inline constexpr int reliability = 1007;
inline constexpr int refractivity = 1008;
inline constexpr int frequency = 1009;
inline constexpr int polarization = 1010;
inline constexpr int epsilon = 1011;
inline constexpr int sigma = 1012;
inline constexpr int ground_impedance = 1013;
inline constexpr int mdvar = 1014;
inline constexpr int effective_earth = 1016;
inline constexpr int path_distance = 1017;
inline constexpr int delta_h = 1018;
inline constexpr int tx_siting = 1019;
inline constexpr int rx_siting = 1020;
inline constexpr int refractivity_small = 1021;
inline constexpr int refractivity_large = 1022;
} // namespace code

/**
 * A profile in ITM's layout: `z` holds n+1 elevations (TX first) at spacing `step_m`;
 * n = intervals. (NTIA packs n and the spacing into pfl[0], pfl[1]; we keep them apart.)
 */
struct Pfl {
    std::span<const double> z;
    double step_m = 0.0;
    [[nodiscard]] int intervals() const noexcept { return static_cast<int>(z.size()) - 1; }
};

struct Pair {
    double tx = 0.0;
    double rx = 0.0;
    [[nodiscard]] double operator[](int i) const noexcept { return i == 0 ? tx : rx; }
    [[nodiscard]] double& operator[](int i) noexcept { return i == 0 ? tx : rx; }
};

// --- inputs and set-up -------------------------------------------------------------------------
int validate_inputs(double h_tx_m, double h_rx_m, int climate, double time, double location, double situation,
                    double n_0, double f_mhz, int pol, double epsilon, double sigma, int mdvar,
                    std::uint32_t& warnings);

struct Setup {
    std::complex<double> z_g;   ///< ground transfer impedance
    double gamma_e = 0.0;       ///< effective earth curvature, 1/m
    double n_s = 0.0;           ///< surface refractivity, N-units
};
Setup initialize_point_to_point(double f_mhz, double h_sys_m, double n_0, int pol, double epsilon, double sigma);
/** N_s from the mean path height [TN101 eq. 4.3]. */
double surface_refractivity(double h_sys_m, double n_0);
/** Effective earth curvature γ_e from N_s [TN101 eq. 4.4]. */
double effective_curvature(double n_s);

struct Horizons {
    Pair theta_rad;
    Pair d_m;
};
void initialize_area(const int siting[2], double gamma_e, double delta_h_m, const Pair& h_m, Pair& h_e_m,
                     Pair& d_hzn_m, Pair& theta_hzn);

// --- terrain ------------------------------------------------------------------------------------
Horizons find_horizons(const Pfl& pfl, double a_e_m, const Pair& h_m);
void linear_least_squares_fit(const Pfl& pfl, double d_start, double d_end, double& fit_tx, double& fit_rx);
double compute_delta_h(const Pfl& pfl, double d_start_m, double d_end_m);

struct QuickPflResult {
    Pair theta_hzn;
    Pair d_hzn_m;
    Pair h_e_m;
    double delta_h_m = 0.0;
    double d_m = 0.0;
};
QuickPflResult quick_pfl(const Pfl& pfl, double gamma_e, const Pair& h_m, const double* delta_h_m = nullptr);

/**
 * QuickPfl from horizons and a least-squares fit supplied by the caller, so that a radial sweep can
 * provide them incrementally. `fit(d_start_m, d_end_m, fit_tx, fit_rx)` must behave as
 * linear_least_squares_fit on `pfl`.
 */
template <typename Fit>
QuickPflResult quick_pfl_with(const Pfl& pfl, double gamma_e, const Pair& h_m, const Horizons& hz, Fit&& fit,
                              const double* delta_h_m = nullptr);

/** The Δh window QuickPfl uses: from min(15·h_tx, 0.1·d_hzn_tx) to d − min(15·h_rx, 0.1·d_hzn_rx). */
inline std::pair<double, double> delta_h_window(double d_m, const Pair& h_m, const Pair& d_hzn_m) {
    return {std::min(15.0 * h_m.tx, 0.1 * d_hzn_m.tx), d_m - std::min(15.0 * h_m.rx, 0.1 * d_hzn_m.rx)};
}

// --- reference attenuation ---------------------------------------------------------------------
double terrain_roughness(double d_m, double delta_h_m);
double sigma_h(double delta_h_m);
double free_space_loss(double d_m, double f_mhz);
double fresnel_integral(double v2);
double knife_edge_diffraction(double d_m, double f_mhz, double a_e_m, double theta_los, const Pair& d_hzn_m);
double height_function(double x_km, double k);
double smooth_earth_diffraction(double d_m, double f_mhz, double a_e_m, double theta_los, const Pair& d_hzn_m,
                                const Pair& h_e_m, std::complex<double> z_g);
double diffraction_loss(double d_m, const Pair& d_hzn_m, const Pair& h_e_m, std::complex<double> z_g, double a_e_m,
                        double delta_h_m, const Pair& h_m, Mode mode, double theta_los, double d_sml_m, double f_mhz);
double line_of_sight_loss(double d_m, const Pair& h_e_m, std::complex<double> z_g, double delta_h_m, double m_d,
                          double a_d0, double d_sml_m, double f_mhz);
double f_function(double td);
double h0_curve(int j, double r);
double h0_function(double r, double eta_s);
double troposcatter_loss(double d_m, const Pair& theta_hzn, const Pair& d_hzn_m, const Pair& h_e_m, double a_e_m,
                         double n_s, double f_mhz, double theta_los, double& h0);

struct ReferenceAttenuation {
    int rc = code::success;
    double a_ref_db = 0.0;
    int mode = 0; ///< 1 LOS, 2 diffraction, 3 troposcatter
};
ReferenceAttenuation longley_rice(const Pair& theta_hzn, double f_mhz, std::complex<double> z_g, const Pair& d_hzn_m,
                                  const Pair& h_e_m, double gamma_e, double n_s, double delta_h_m, const Pair& h_m,
                                  double d_m, Mode mode, std::uint32_t& warnings);

// --- variability -------------------------------------------------------------------------------
double inverse_ccdf(double q);
double variability(double time, double location, double situation, const Pair& h_e_m, double delta_h_m, double f_mhz,
                   double d_m, double a_ref_db, int climate, int mdvar, std::uint32_t& warnings);

enum VariabilityMode { single_message = 0, accidental = 1, mobile = 2, broadcast = 3 };

/** What variability() computes from its path-independent inputs; reused along a radial. */
struct VariabilityContext {
    double z_t = 0.0;          ///< standard normal deviates, after the mdvar coupling
    double z_l = 0.0;
    double z_s = 0.0;
    bool extreme = false;      ///< some |z| > 3.1 (warning 0x2000)
    bool plus10 = false;       ///< location variability removed
    bool plus20 = false;       ///< direct situation variability removed
    int mode = broadcast;
    std::size_t c = 0;         ///< climate index 0..6
    double wn = 0.0;           ///< f / 47.7
    double d_ex_freq_m = 0.0;  ///< (575.7e12 / wn)^(1/3), the frequency part of the effective distance
    double g_minus = 0.0;      ///< frequency factors of the time variability
    double g_plus = 0.0;
};
VariabilityContext variability_context(double time, double location, double situation, double f_mhz, int climate,
                                        int mdvar);
double variability(const VariabilityContext& v, const Pair& h_e_m, double delta_h_m, double d_m, double a_ref_db,
                   std::uint32_t& warnings);

// --- whole model -------------------------------------------------------------------------------
struct Result {
    int rc = code::success;
    std::uint32_t warnings = 0;
    double a_db = 0.0;
    double a_fs_db = 0.0;
    double a_ref_db = 0.0;
    double d_km = 0.0;
    Pair theta_hzn;
    Pair d_hzn_m;
    Pair h_e_m;
    double n_s = 0.0;
    double delta_h_m = 0.0;
    int mode = 0;
};

/** @param delta_h_m when given, used instead of computing Δh from the profile (fast coverage mode, which knows it from the
 *  radials around the path). */
Result p2p_tls(double h_tx_m, double h_rx_m, const Pfl& pfl, int climate, double n_0, double f_mhz, int pol,
               double epsilon, double sigma, int mdvar, double time, double location, double situation,
               const double* delta_h_m = nullptr);

/** Mean elevation of the profile without its first and last 10 % (h_sys of [Algorithm §3]). */
double mean_system_height(const Pfl& pfl);

/** The part of p2p_tls after the terrain analysis: reference attenuation, free space, variability. */
Result p2p_from_terrain(Result r, const QuickPflResult& q, const Setup& setup, const Pair& h_m, double f_mhz,
                        const VariabilityContext& v);

Result area_tls(double h_tx_m, double h_rx_m, int tx_siting, int rx_siting, double d_km, double delta_h_m,
                int climate, double n_0, double f_mhz, int pol, double epsilon, double sigma, int mdvar, double time,
                double location, double situation);

/** Human-readable text for an error code. */
const char* error_text(int rc) noexcept;

template <typename Fit>
QuickPflResult quick_pfl_with(const Pfl& pfl, double gamma_e, const Pair& h_m, const Horizons& hz, Fit&& fit,
                              const double* delta_h_m) {
    QuickPflResult r;
    const int np = pfl.intervals();
    r.d_m = np * pfl.step_m;
    const double a_e_m = 1 / gamma_e;
    r.theta_hzn = hz.theta_rad;
    r.d_hzn_m = hz.d_m;

    // Terrain is considered from about 15 tower heights out [Hufford 1982, p. 25], or 10 % of the horizon.
    const auto [d_start_m, d_end_m] = delta_h_window(r.d_m, h_m, r.d_hzn_m);
    r.delta_h_m = delta_h_m != nullptr ? *delta_h_m : compute_delta_h(pfl, d_start_m, d_end_m);

    const double z_first = pfl.z[0];
    const double z_last = pfl.z[static_cast<std::size_t>(np)];
    double fit_tx = 0.0;
    double fit_rx = 0.0;
    auto smooth_horizon = [&](int i) {
        return std::sqrt(2.0 * r.h_e_m[i] * a_e_m) * std::exp(-0.07 * std::sqrt(r.delta_h_m / std::max(r.h_e_m[i], 5.0)));
    };

    if (r.d_hzn_m.tx + r.d_hzn_m.rx > 1.5 * r.d_m) {
        // Well within line of sight: one fit over the whole Δh window.
        fit(d_start_m, d_end_m, fit_tx, fit_rx);
        r.h_e_m.tx = h_m.tx + positive_difference(z_first, fit_tx);
        r.h_e_m.rx = h_m.rx + positive_difference(z_last, fit_rx);
        for (int i = 0; i < 2; ++i) {
            r.d_hzn_m[i] = smooth_horizon(i);
        }
        const double combined = r.d_hzn_m.tx + r.d_hzn_m.rx;
        if (combined <= r.d_m) {
            const double q = square(r.d_m / combined);
            for (int i = 0; i < 2; ++i) {
                r.h_e_m[i] = r.h_e_m[i] * q;
                r.d_hzn_m[i] = smooth_horizon(i);
            }
        }
        for (int i = 0; i < 2; ++i) {
            const double q = std::sqrt(2.0 * r.h_e_m[i] * a_e_m);
            r.theta_hzn[i] = (0.65 * r.delta_h_m * (q / r.d_hzn_m[i] - 1.0) - 2.0 * r.h_e_m[i]) / q;
        }
    } else {
        // Trans-horizon: separate fits from each terminal to 90 % of its horizon.
        double unused = 0.0;
        fit(d_start_m, 0.9 * r.d_hzn_m.tx, fit_tx, unused);
        r.h_e_m.tx = h_m.tx + positive_difference(z_first, fit_tx);
        fit(r.d_m - 0.9 * r.d_hzn_m.rx, d_end_m, unused, fit_rx);
        r.h_e_m.rx = h_m.rx + positive_difference(z_last, fit_rx);
    }
    return r;
}

} // namespace coverage::itm

#endif // COVERAGE_SRC_ITM_ITM_HPP
