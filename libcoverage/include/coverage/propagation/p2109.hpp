#ifndef COVERAGE_P2109_HPP
#define COVERAGE_P2109_HPP

#include <string>

namespace coverage {

/** The two building classes of ITU-R P.2109-1 Table 1. */
enum class BuildingType : int {
    traditional = 1,         ///< no metallised glass or foil-backed insulation (brick, wood, timber and tile village houses)
    thermally_efficient = 2, ///< metallised glass, foil-backed panels (modern insulated buildings)
};

[[nodiscard]] const char* to_string(BuildingType t) noexcept;
/** "traditional" or "thermally_efficient". @throws InvalidArgument otherwise, naming the two. */
[[nodiscard]] BuildingType building_type_from(const std::string& name);

/**
 * ITU-R P.2109-1 §3, building entry loss not exceeded with probability `prob_pct`, dB: the difference between the
 * signal outside a building (at the same height) and inside it, eqs. (1)–(3) with Table 1.
 * @param freq_mhz frequency, 80 MHz to 100 GHz.
 * @param prob_pct per cent of the buildings (or locations inside them) for which the loss is not exceeded, 0 < p < 100.
 * @param elevation_deg elevation angle of the path at the building façade, degrees; |θ| < 90 (0 for a horizontal path).
 * @throws OutOfDomain outside those ranges.
 */
[[nodiscard]] double p2109_building_entry_loss_db(double freq_mhz, double prob_pct, BuildingType type, double elevation_deg = 0.0);

} // namespace coverage

#endif // COVERAGE_P2109_HPP
