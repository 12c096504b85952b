#ifndef COVERAGE_P2108_HPP
#define COVERAGE_P2108_HPP

#include <string>

namespace coverage {

/** Clutter types of ITU-R P.2108-1 Table 3 (its §3.1), with their default representative heights. */
enum class P2108Clutter : int { water_sea = 1, open_rural = 2, suburban = 3, urban = 4, trees_forest = 5, dense_urban = 6 };

[[nodiscard]] const char* to_string(P2108Clutter c) noexcept;
/** "water_sea", "open_rural", "suburban", "urban", "trees_forest", "dense_urban". @throws InvalidArgument otherwise. */
[[nodiscard]] P2108Clutter p2108_clutter_from(const std::string& name);
/** Default representative clutter height R of Table 3, metres: 10, 10, 10, 15, 15, 20. */
[[nodiscard]] double p2108_default_height_m(P2108Clutter c) noexcept;

/**
 * ITU-R P.2108-1 §3.1, height-gain terminal correction: the median extra loss of a terminal of height h below the
 * representative clutter height R (0 at or above it), dB. 30 MHz to 3 GHz.
 * @param street_width_m w_s, 27 m unless local information says otherwise.
 * @throws OutOfDomain for a frequency outside 30-3000 MHz or a height, width or R that is not positive.
 */
[[nodiscard]] double p2108_terminal_correction_db(double freq_mhz, double height_m, double clutter_height_m,
                                                   P2108Clutter clutter, double street_width_m = 27.0);

/**
 * ITU-R P.2108-1 §3.2, statistical clutter loss for a terrestrial path with one terminal in urban or suburban clutter,
 * not exceeded for `location_pct` % of locations, dB; capped by its value at 2 km (eq. (6)). 0.5 to 67 GHz, d >= 0.25 km.
 * @throws OutOfDomain outside those ranges or for a percentage outside (0, 100).
 */
[[nodiscard]] double p2108_terrestrial_clutter_loss_db(double freq_mhz, double distance_km, double location_pct);

} // namespace coverage

#endif // COVERAGE_P2108_HPP
