#ifndef COVERAGE_LOCATION_VARIABILITY_HPP
#define COVERAGE_LOCATION_VARIABILITY_HPP

#include <coverage/propagation/propagation_model.hpp>

#include <memory>
#include <optional>

namespace coverage {

/**
 * The default location variability for a model that has none of its own, dB: σL of ITU-R P.1812-6 eq. (65) for a
 * receiver within its clutter, (0.024 f_GHz + 0.52) · w_a^0.28, where w_a is the side of the square area a
 * prediction stands for (P.1812 uses 100 m).
 */
[[nodiscard]] double default_location_sigma_db(double freq_mhz, double area_m);

/**
 * A median model turned into the loss not exceeded at `location_pct` % of locations by a log-normal location
 * variability: L(p) = L_median + σ · Φ⁻¹(p / 100). For the models without a location variability of their own
 * (free space, Hata, COST-231, delta-Bullington); ITM and P.1812 use theirs (see make_model()).
 */
class LocationQuantileModel final : public PropagationModel {
public:
    /**
     * @param sigma_db σ, dB (0–30); nullopt: default_location_sigma_db(f, area_m) at each link's frequency.
     * @throws InvalidArgument for a missing model, a share outside 1–99 % or σ outside 0–30 dB.
     */
    LocationQuantileModel(std::shared_ptr<const PropagationModel> median, double location_pct, std::optional<double> sigma_db,
                          double area_m = 100.0);

    [[nodiscard]] PathLoss path_loss(const TerrainProfile& profile, const LinkParams& link) const override;
    void validate_link(const LinkParams& link) const override;
    [[nodiscard]] std::string name() const override;

    [[nodiscard]] const PropagationModel& median_model() const noexcept { return *m_median; }
    [[nodiscard]] double location_pct() const noexcept { return m_location_pct; }
    /** σ used at this frequency, dB. */
    [[nodiscard]] double sigma_db(double freq_mhz) const;
    /** What is added to the median at this frequency, dB (positive above 50 %). */
    [[nodiscard]] double margin_db(double freq_mhz) const;

private:
    std::shared_ptr<const PropagationModel> m_median;
    double m_location_pct;
    std::optional<double> m_sigma_db;
    double m_area_m;
    double m_z; // Φ⁻¹(location_pct / 100)
};

} // namespace coverage

#endif // COVERAGE_LOCATION_VARIABILITY_HPP
