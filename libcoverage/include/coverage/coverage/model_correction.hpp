#ifndef COVERAGE_COVERAGE_MODEL_CORRECTION_HPP
#define COVERAGE_COVERAGE_MODEL_CORRECTION_HPP
// A correction fitted to measurements (analysis/calibration.hpp fits it, study/ reads and writes calibration.toml),
// added to every predicted signal of the sectors it applies to. It lives here, below the fit, because the engine
// applies it to every path loss it computes: maps, hamlet points and candidate sites alike.
#include <coverage/coverage/clutter_map.hpp>
#include <coverage/radio/technology.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace coverage {

/** The correction of one technology on one band: signal_dbm += offset + slope·log10(d / 1 km) + class offset. */
struct CorrectionTerm {
    Technology technology = Technology::lte;
    double freq_mhz = 0.0;                    ///< the band's carrier; sectors within 0.5 MHz of it take this term
    double offset_db = 0.0;                   ///< global offset, dB (positive: the model predicted too little signal)
    double slope_db_per_decade = 0.0;         ///< change per tenfold distance from the antenna, dB, around 1 km
    std::map<int, double> class_offset_db;    ///< land-cover code -> offset, dB, added to offset_db in that class

    /** The correction at a horizontal distance (clamped to ≥ 10 m) in the land-cover class `code` (-1: none). */
    [[nodiscard]] double correction_db(double distance_m, int code) const;
};

/** The terms of a calibration, and the land-cover classes of the grid when any term has class offsets. */
struct ModelCorrection {
    std::vector<CorrectionTerm> terms;
    std::string source;                              ///< the calibration file, for errors and run.json
    std::shared_ptr<const ClutterMap> classes;       ///< each cell's land-cover class; needed by class offsets

    /** The term for a sector's technology and carrier, or nullptr when the calibration has none (left as predicted). */
    [[nodiscard]] const CorrectionTerm* term_for(Technology technology, double freq_mhz) const noexcept;
    /** True when some term has class offsets (then `classes` must be set). */
    [[nodiscard]] bool uses_classes() const noexcept;
    /** The land-cover code of grid cell (col, row); -1 without classes. */
    [[nodiscard]] int code_at(int col, int row) const noexcept;
    /** @throws InvalidArgument naming `source` when class offsets have no classes or name a code the table lacks. */
    void validate() const;
};

} // namespace coverage

#endif // COVERAGE_COVERAGE_MODEL_CORRECTION_HPP
