#ifndef COVERAGE_TERRAIN_PROFILE_HPP
#define COVERAGE_TERRAIN_PROFILE_HPP

#include <cstddef>
#include <string>
#include <vector>

namespace coverage {

/**
 * Ground elevations at equal spacing along a path, transmitter first.
 * `elevation_m[i]` lies `i * step_m` metres from the transmitter; the path length is
 * `(elevation_m.size() - 1) * step_m`.
 */
struct TerrainProfile {
    std::vector<double> elevation_m; ///< metres above mean sea level, TX first
    double step_m = 0.0;             ///< spacing between samples, metres (> 0)

    [[nodiscard]] std::size_t point_count() const noexcept { return elevation_m.size(); }
    [[nodiscard]] std::size_t interval_count() const noexcept {
        return elevation_m.empty() ? 0 : elevation_m.size() - 1;
    }
    [[nodiscard]] double length_m() const noexcept { return static_cast<double>(interval_count()) * step_m; }
    [[nodiscard]] double distance_m(std::size_t i) const noexcept { return static_cast<double>(i) * step_m; }

    /** @throws InvalidArgument unless there are >= 2 finite points and step_m > 0. */
    void validate() const;

    /** A copy with the order reversed (receiver first). */
    [[nodiscard]] TerrainProfile reversed() const;
};

/**
 * Read a profile from CSV with the header `distance_m,elevation_m`: one point per row, transmitter first,
 * starting at distance 0 and equally spaced (within 1 mm).
 * @throws IoError when the file cannot be read; InvalidArgument naming the file, row and field for a
 *         malformed header, a non-numeric value, a missing field, uneven spacing or fewer than 2 points.
 */
[[nodiscard]] TerrainProfile read_profile_csv(const std::string& path);

/**
 * A path profile as a CSV gives it: points at any spacing, transmitter first, with optional columns for the models that
 * read clutter and climate along the path (ITU-R P.1812). `row[i]` is the file's row of point i, for messages.
 */
struct ProfileTable {
    std::string source;                    ///< the file, for messages
    std::vector<double> distance_m;
    std::vector<double> elevation_m;
    std::vector<int> clutter_code;         ///< empty when the file has no clutter_code column
    std::vector<double> clutter_height_m;  ///< empty when the file has no clutter_height_m column
    std::vector<int> zone;                 ///< empty when the file has no zone column
    std::vector<int> row;

    [[nodiscard]] bool has_clutter_or_zone() const noexcept {
        return !clutter_code.empty() || !clutter_height_m.empty() || !zone.empty();
    }
    /** The name of the first optional column present ("" when none). */
    [[nodiscard]] std::string first_extra_column() const;
};

/**
 * Read a profile CSV whose header starts `distance_m,elevation_m` and may go on with `clutter_code`,
 * `clutter_height_m` and `zone` in any order. Distances start at 0 and increase strictly; spacing may vary.
 * @throws IoError when the file cannot be read; InvalidArgument naming the file, row and field otherwise.
 */
[[nodiscard]] ProfileTable read_profile_table_csv(const std::string& path);

} // namespace coverage

#endif // COVERAGE_TERRAIN_PROFILE_HPP
