#ifndef COVERAGE_HATA_MODEL_HPP
#define COVERAGE_HATA_MODEL_HPP

#include <coverage/propagation/propagation_model.hpp>

namespace coverage {

/**
 * Okumura-Hata (Hata 1980, IEEE Trans. VT-29(3)) and its COST-231 extension to 1500-2000 MHz
 * (COST Action 231 final report, 1999, §4.4.1). Empirical median loss; terrain is used only for
 * the path length.
 *
 * Environments:
 * - urban:    Hata's medium/small-city formula with its a(h_m); COST-231 adds C_m = 3 dB (metropolitan centres);
 * - suburban: Hata urban − 2·[log10(f/28)]² − 5.4 dB; COST-231 with C_m = 0 dB;
 * - open:     Hata urban − 4.78·[log10 f]² + 18.33·log10 f − 40.94 dB; COST-231: C_m = 0 minus the same
 *             open-area correction (an extrapolation of Hata's correction, commonly used; not in COST-231).
 *
 * Validity (both variants): base height 30-200 m, mobile height 1-10 m, distance 1-20 km; frequency
 * 150-1500 MHz (Hata) or 1500-2000 MHz (COST-231). With Validity::strict (the default) an input outside
 * these ranges throws OutOfDomain naming the input; with Validity::warn the loss is extrapolated and a
 * warning bit (warning::hata_*) is set in the result. Frequency is always strict.
 */
class HataModel final : public PropagationModel {
public:
    enum class Variant { okumura_hata, cost231 };
    enum class Environment { urban, suburban, open };
    enum class Validity { strict, warn };

    explicit HataModel(Variant variant = Variant::okumura_hata, Environment environment = Environment::urban,
                       Validity validity = Validity::strict);

    /** Median basic transmission loss, dB, for a horizontal distance. */
    [[nodiscard]] PathLoss loss(double distance_m, double freq_mhz, double base_height_m, double mobile_height_m) const;

    /** The base-station height used is the transmitter's height above ground. */
    [[nodiscard]] PathLoss path_loss(const TerrainProfile& profile, const LinkParams& link) const override;
    [[nodiscard]] std::string name() const override;
    /** The variant's frequency band always; heights > 0, and within 30-200 m / 1-10 m under Validity::strict. */
    void validate_link(const LinkParams& link) const override;

    [[nodiscard]] Variant variant() const noexcept { return m_variant; }
    [[nodiscard]] Environment environment() const noexcept { return m_environment; }

private:
    Variant m_variant;
    Environment m_environment;
    Validity m_validity;
};

} // namespace coverage

#endif // COVERAGE_HATA_MODEL_HPP
