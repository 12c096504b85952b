#ifndef COVERAGE_DELTA_BULLINGTON_MODEL_HPP
#define COVERAGE_DELTA_BULLINGTON_MODEL_HPP

#include <coverage/propagation/propagation_model.hpp>

#include <vector>

namespace coverage {

/** Ground electrical constants (ITU-R P.527). Default: land as in ITU-R P.452-17 §4.2.2 (εr = 22, σ = 0.003 S/m). */
struct GroundConstants {
    double epsilon = 22.0;        ///< relative permittivity
    double sigma_s_per_m = 0.003; ///< conductivity, S/m
};

/** Parts of the spherical-earth first-term diffraction loss (ITU-R P.452-17 §4.2.2.1), dB. */
struct SphericalFirstTerm {
    double f_x_db = 0.0;   ///< distance term F(X)
    double g_y_tx_db = 0.0;///< height gain G(Y_t)
    double g_y_rx_db = 0.0;///< height gain G(Y_r)
    [[nodiscard]] double loss_db() const noexcept { return -f_x_db - g_y_tx_db - g_y_rx_db; }
};

/**
 * Delta-Bullington diffraction (ITU-R P.526-15 §4.5; identical in P.452-17 §4.2 and P.1812-6 §4.3):
 * Bullington over the actual profile, corrected by the difference between spherical-earth diffraction
 * and Bullington over the equivalent smooth profile:
 * L_d = L_bulla + max(L_dsph − L_bulls, 0). The result is the diffraction loss added to free space
 * (loss_db = free space + L_d; free space over the horizontal path length). Wavelength λ = 0.3/f_GHz m
 * (c = 3e8 m/s) as in the ITU-R SG3 validation examples; effective earth radius 8500 km by default.
 */
class DeltaBullingtonModel final : public PropagationModel {
public:
    explicit DeltaBullingtonModel(double effective_earth_radius_km = 8500.0, GroundConstants ground = {});

    /** A profile of two points (a cell within one step of its mast) is taken as straight ground between them. */
    [[nodiscard]] PathLoss path_loss(const TerrainProfile& profile, const LinkParams& link) const override;
    /** Frequency and both heights finite and > 0. */
    void validate_link(const LinkParams& link) const override;
    [[nodiscard]] std::string name() const override { return "bullington"; }
    [[nodiscard]] double effective_earth_radius_km() const noexcept { return m_a_e_km; }

private:
    double m_a_e_km;
    GroundConstants m_ground;
};

/**
 * A profile with explicit distances, for paths whose points are not equally spaced
 * (the ITU-R examples end with a shorter last interval). TX first; distances strictly increasing from 0.
 */
struct DistanceProfile {
    std::vector<double> distance_km;
    std::vector<double> elevation_m;

    /** The equally spaced profile as a DistanceProfile. */
    [[nodiscard]] static DistanceProfile from(const TerrainProfile& profile);
    /** @throws InvalidArgument unless sizes match, >= 3 points, distances strictly increase from 0 and all finite. */
    void validate() const;
};

/**
 * Bullington loss (ITU-R P.526-15 §4.5.1), dB. Interior profile points only (end points excluded).
 * @param hts_amsl_m, hrs_amsl_m antenna heights above mean sea level, metres.
 */
[[nodiscard]] double bullington_loss_db(const DistanceProfile& profile, double hts_amsl_m, double hrs_amsl_m,
                                        double freq_mhz, double a_e_km);

/** Antenna heights above the smooth-earth surface fitted to the profile (P.452-17 §4.2.3 / §5.1.6.3), metres. */
struct SmoothEarthHeights {
    double hts_prime_m = 0.0;
    double hrs_prime_m = 0.0;
};
[[nodiscard]] SmoothEarthHeights smooth_earth_heights(const DistanceProfile& profile, double hts_amsl_m, double hrs_amsl_m);

/**
 * The whole delta-Bullington method on an arbitrary-spaced profile: L_d = L_bulla + max(L_dsph − L_bulls, 0), dB.
 * @param tx_height_agl_m, rx_height_agl_m antenna heights above ground, metres (> 0).
 */
[[nodiscard]] BullingtonIntermediate delta_bullington(const DistanceProfile& profile, double tx_height_agl_m,
                                                      double rx_height_agl_m, double freq_mhz, double a_e_km,
                                                      GroundConstants ground, Polarization pol);

/** Spherical-earth first-term loss for a given earth radius (P.452-17 §4.2.2.1). */
[[nodiscard]] SphericalFirstTerm spherical_first_term(double d_km, double hte_m, double hre_m, double freq_mhz,
                                                      double a_dft_km, GroundConstants ground, Polarization pol);

/** Spherical-earth diffraction loss L_dsph (P.452-17 §4.2.2), dB; heights above the smooth surface, metres. */
[[nodiscard]] double spherical_earth_diffraction_db(double d_km, double hte_m, double hre_m, double freq_mhz,
                                                    double a_e_km, GroundConstants ground, Polarization pol);

} // namespace coverage

#endif // COVERAGE_DELTA_BULLINGTON_MODEL_HPP
