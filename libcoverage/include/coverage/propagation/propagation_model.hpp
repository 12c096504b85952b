#ifndef COVERAGE_PROPAGATION_MODEL_HPP
#define COVERAGE_PROPAGATION_MODEL_HPP

#include <coverage/terrain/terrain_profile.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace coverage {

enum class Polarization { horizontal = 0, vertical = 1 };

/** Link geometry and radio parameters common to every model. */
struct LinkParams {
    double freq_mhz = 0.0;          ///< carrier frequency, MHz
    double tx_height_agl_m = 0.0;   ///< transmitter antenna height above ground, metres
    double rx_height_agl_m = 0.0;   ///< receiver antenna height above ground, metres
    Polarization polarization = Polarization::vertical;
    /** Latitude of the path centre, degrees, for the models whose climate depends on it (ITU-R P.1812's β0);
     *  NaN when not known (the other models do not read it). */
    double path_centre_lat_deg = std::numeric_limits<double>::quiet_NaN();
};

/** Dominant propagation mechanism reported by a model. */
enum class PropagationMode {
    not_applicable = 0, ///< the model does not distinguish (free space, Hata)
    line_of_sight = 1,  ///< ITM: d < smooth-earth LOS distance (not geometric LOS, see LinkAnalysis)
    diffraction = 2,
    troposcatter = 3,
};

[[nodiscard]] const char* to_string(PropagationMode mode) noexcept;

/** ITM intermediate values (NTIA `IntermediateValues`), index 0 = transmitter, 1 = receiver. */
struct ItmIntermediate {
    double theta_hzn_tx_rad = 0.0;
    double theta_hzn_rx_rad = 0.0;
    double d_hzn_tx_m = 0.0;
    double d_hzn_rx_m = 0.0;
    double h_e_tx_m = 0.0;
    double h_e_rx_m = 0.0;
    double n_s = 0.0;               ///< surface refractivity, N-units
    double delta_h_m = 0.0;         ///< terrain irregularity parameter
    double a_ref_db = 0.0;          ///< reference attenuation (median excess loss before variability)
    double d_km = 0.0;
};

/** Delta-Bullington intermediate values (ITU-R P.526-15 §4.5 / P.452-17 §4.2.3). */
struct BullingtonIntermediate {
    double hts_prime_m = 0.0;       ///< transmitter height over the smooth-earth surface
    double hrs_prime_m = 0.0;       ///< receiver height over the smooth-earth surface
    double l_bulla_db = 0.0;        ///< Bullington loss over the actual profile
    double l_bulls_db = 0.0;        ///< Bullington loss over the smooth profile
    double l_dsph_db = 0.0;         ///< spherical-earth diffraction loss
    double l_d_db = 0.0;            ///< delta-Bullington diffraction loss L_bulla + max(L_dsph − L_bulls, 0)
};

/** Warning bit flags. ITM's keep NTIA's values (Warnings.h) so they compare one to one. */
namespace warning {
inline constexpr std::uint32_t tx_height = 0x0001;
inline constexpr std::uint32_t rx_height = 0x0002;
inline constexpr std::uint32_t frequency = 0x0004;
inline constexpr std::uint32_t distance_over_1000_km = 0x0008;
inline constexpr std::uint32_t distance_over_2000_km = 0x0010;
inline constexpr std::uint32_t distance_under_height_difference = 0x0020;
inline constexpr std::uint32_t distance_under_1_km = 0x0040;
inline constexpr std::uint32_t tx_horizon_angle = 0x0080;
inline constexpr std::uint32_t rx_horizon_angle = 0x0100;
inline constexpr std::uint32_t tx_horizon_distance_short = 0x0200;
inline constexpr std::uint32_t rx_horizon_distance_short = 0x0400;
inline constexpr std::uint32_t tx_horizon_distance_long = 0x0800;
inline constexpr std::uint32_t rx_horizon_distance_long = 0x1000;
inline constexpr std::uint32_t extreme_variability = 0x2000;
inline constexpr std::uint32_t surface_refractivity = 0x4000;
// Hata / COST-231 validity (only set when the model is built with Validity::warn)
inline constexpr std::uint32_t hata_frequency = 0x10000;
inline constexpr std::uint32_t hata_tx_height = 0x20000;
inline constexpr std::uint32_t hata_rx_height = 0x40000;
inline constexpr std::uint32_t hata_distance = 0x80000;
} // namespace warning

/** Text for each set warning bit, comma separated ("" when none). */
[[nodiscard]] std::string describe_warnings(std::uint32_t warnings);

/** Result of one path-loss evaluation. */
struct PathLoss {
    double loss_db = 0.0;            ///< basic transmission loss, dB
    double free_space_loss_db = 0.0; ///< free-space loss over the same distance, dB
    PropagationMode mode = PropagationMode::not_applicable;
    std::uint32_t warnings = 0;      ///< bit flags from coverage::warning
    std::optional<ItmIntermediate> itm;
    std::optional<BullingtonIntermediate> bullington;
};

/**
 * A path-loss model over a terrain profile. Implementations are immutable and stateless, so one
 * instance may be shared by any number of threads.
 */
class PropagationModel {
public:
    virtual ~PropagationModel() = default;

    /**
     * @param profile ground elevations, transmitter first (metres above MSL).
     * @param link    frequency and antenna heights.
     * @throws OutOfDomain when an input is outside the model's valid range; InvalidArgument for a malformed profile.
     */
    [[nodiscard]] virtual PathLoss path_loss(const TerrainProfile& profile, const LinkParams& link) const = 0;

    /**
     * Check what does not depend on the path -- frequency, antenna heights -- as path_loss would, before any
     * terrain is read. The coverage engine calls it for every sector, so a model that cannot serve a sector's band
     * fails before computing instead of leaving every cell without a value. The base checks that the frequency is
     * positive and the heights are not negative, all finite.
     * @throws OutOfDomain naming the input and the model's range.
     */
    virtual void validate_link(const LinkParams& link) const;

    /** Short model name as used on the command line ("itm", "hata", ...). */
    [[nodiscard]] virtual std::string name() const = 0;

protected:
    PropagationModel() = default;
    PropagationModel(const PropagationModel&) = default;
    PropagationModel& operator=(const PropagationModel&) = default;
};

/** Free-space basic transmission loss (ITU-R P.525): 32.45 + 20·log10(f_MHz) + 20·log10(d_km). */
[[nodiscard]] double free_space_loss_db(double distance_m, double freq_mhz);

} // namespace coverage

#endif // COVERAGE_PROPAGATION_MODEL_HPP
