#ifndef COVERAGE_ITM_MODEL_HPP
#define COVERAGE_ITM_MODEL_HPP

#include <coverage/core/error.hpp>
#include <coverage/propagation/propagation_model.hpp>

#include <cstdint>
#include <string>

namespace coverage {

/** ITM radio climates (Longley-Rice / TN101). */
enum class RadioClimate {
    equatorial = 1,
    continental_subtropical = 2,
    maritime_subtropical = 3,
    desert = 4,
    continental_temperate = 5,
    maritime_temperate_over_land = 6,
    maritime_temperate_over_sea = 7,
};

/** ITM area-mode siting criteria. */
enum class SitingCriteria { random = 0, careful = 1, very_careful = 2 };

/**
 * Parameters of the Irregular Terrain Model. Defaults: N_0 = 301 N-units, ε = 15, σ = 0.005 S/m
 * (average ground), continental temperate, mdvar 12 (mobile, location variability removed) at 50 %
 * time/location/situation — the usual median coverage-map setting (NTIA/itm examples; SPLAT!).
 */
struct ItmParams {
    RadioClimate climate = RadioClimate::continental_temperate;
    double n0_n_units = 301.0;   ///< minimum monthly mean surface refractivity at sea level, 250..400
    double epsilon = 15.0;       ///< relative permittivity of the ground, >= 1
    double sigma_s_per_m = 0.005;///< ground conductivity, S/m, > 0
    int mdvar = 12;              ///< 0..3 single message/accidental/mobile/broadcast; +10 no location var.; +20 no situation var.
    double time_pct = 50.0;      ///< 0 < time < 100
    double location_pct = 50.0;  ///< 0 < location < 100
    double situation_pct = 50.0; ///< 0 < situation < 100
};

/** An input ITM rejects. `code()` is NTIA's error code (1000..1022) for cross-checking. */
class ItmError : public OutOfDomain {
public:
    ItmError(int code, std::uint32_t warnings, const std::string& what)
        : OutOfDomain(what), m_code(code), m_warnings(warnings) {}
    [[nodiscard]] int code() const noexcept { return m_code; }
    [[nodiscard]] std::uint32_t warnings() const noexcept { return m_warnings; }

private:
    int m_code;
    std::uint32_t m_warnings;
};

/**
 * Irregular Terrain Model (Longley-Rice) v1.4, point-to-point mode: an independent implementation of
 * the algorithm published by NTIA/ITS (Hufford 1982 "The ITS Irregular Terrain Model, version 1.2.2:
 * the algorithm"; NTIA/itm v1.4 reference code), validated against NTIA's test cases to 1e-6 dB.
 *
 * `path_loss` returns the basic transmission loss (free space + variability-adjusted excess loss),
 * the propagation mode (ITM's mode: not geometric line of sight), warning bits and all intermediate
 * values. Frequency 20-20000 MHz, heights 0.5-3000 m; outside these an ItmError is thrown.
 */
class ItmModel final : public PropagationModel {
public:
    explicit ItmModel(ItmParams params = {});

    [[nodiscard]] PathLoss path_loss(const TerrainProfile& profile, const LinkParams& link) const override;
    [[nodiscard]] std::string name() const override { return "itm"; }

    /** Check the link's inputs (frequency, heights, polarization) as path_loss would, before any terrain.
     *  @throws ItmError naming the input. */
    void validate_link(const LinkParams& link) const override;
    [[nodiscard]] const ItmParams& params() const noexcept { return m_params; }

private:
    ItmParams m_params;
};

/** Inputs of ITM area mode. */
struct ItmAreaInputs {
    double distance_km = 0.0;    ///< path length, km (> 0)
    double delta_h_m = 0.0;      ///< terrain irregularity Δh, metres (>= 0)
    SitingCriteria tx_siting = SitingCriteria::random;
    SitingCriteria rx_siting = SitingCriteria::random;
};

/** ITM area mode (no profile: Δh and siting criteria describe the terrain). @throws ItmError. */
[[nodiscard]] PathLoss itm_area_loss(const ItmAreaInputs& area, const LinkParams& link, const ItmParams& params);

/** The ITM confidence/reliability form maps onto TLS as time = reliability, location = 50, situation = confidence. */
[[nodiscard]] ItmParams with_confidence_reliability(ItmParams params, double confidence_pct, double reliability_pct);

} // namespace coverage

#endif // COVERAGE_ITM_MODEL_HPP
