#ifndef COVERAGE_ANTENNA_HPP
#define COVERAGE_ANTENNA_HPP

#include <array>
#include <memory>
#include <string>

namespace coverage {

/**
 * A sector antenna's radiation pattern as attenuation below the peak, dB (>= 0), sampled every degree.
 * Horizontal: azimuth relative to boresight, clockwise, 0..359. Vertical: angle below the horizon,
 * 0 = horizon, 90 = straight down, 270 = straight up — the Planet/MSI convention.
 * The combined attenuation is the sum of the two cuts (the usual 2-D → 3-D approximation), capped
 * at the larger of the two cuts' maximum attenuation.
 */
class AntennaPattern {
public:
    /** Omnidirectional: 0 dB everywhere. */
    AntennaPattern() = default;

    /**
     * Read a Planet/MSI pattern file: keyword lines (NAME, FREQUENCY, GAIN <value> [dBi|dBd], ...) then
     * "HORIZONTAL 360" and "VERTICAL 360" blocks of "<angle_deg> <attenuation_db>" lines.
     * @throws IoError when unreadable; InvalidArgument naming the file, line and field for malformed content.
     */
    [[nodiscard]] static AntennaPattern read_msi(const std::string& path);

    [[nodiscard]] bool is_omni() const noexcept { return m_omni; }
    /** Peak gain from the file (dBi; dBd converted with +2.15); 0 for omni. */
    [[nodiscard]] double gain_dbi() const noexcept { return m_gain_dbi; }
    [[nodiscard]] const std::string& name() const noexcept { return m_name; }

    /**
     * Attenuation, dB, toward a direction, linearly interpolated between whole degrees.
     * @param azimuth_rel_deg azimuth relative to boresight, degrees clockwise (any value; wrapped)
     * @param below_horizon_deg angle below the antenna's horizon after tilt, degrees (negative = above)
     */
    [[nodiscard]] double attenuation_db(double azimuth_rel_deg, double below_horizon_deg) const noexcept;

private:
    bool m_omni = true;
    double m_gain_dbi = 0.0;
    std::string m_name;
    std::array<float, 360> m_horizontal_db{};
    std::array<float, 360> m_vertical_db{};
    double m_cap_db = 0.0;
};

} // namespace coverage

#endif // COVERAGE_ANTENNA_HPP
