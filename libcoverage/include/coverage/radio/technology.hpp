#ifndef COVERAGE_RADIO_TECHNOLOGY_HPP
#define COVERAGE_RADIO_TECHNOLOGY_HPP

// Radio access technologies as one table: everything that differs between 3G, 4G and 5G -- names, the signal
// measure and its unit, default class thresholds with their source, default channel, output file names, map
// colours -- is a row here. Code elsewhere asks the table (traits(t)) instead of branching on the technology, so a
// further technology is one more row (and, in technology.cpp, its power-per-resource formula).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace coverage {

/** Radio access technology of a sector. */
enum class Technology : std::uint8_t {
    lte = 0,  ///< 4G LTE: signal reported as RSRP
    umts = 1, ///< 3G UMTS: signal reported as RSCP
    nr = 2,   ///< 5G NR: signal reported as SS-RSRP
};

inline constexpr std::size_t technology_count = 3;

/** One technology's row of the table. */
struct TechnologyTraits {
    Technology technology;
    const char* key;                 ///< "lte", "umts", "nr": in sites files, study files, table columns, Python
    const char* name;                ///< "LTE", "UMTS", "NR"
    const char* generation;          ///< "4G", "3G", "5G", as people say it
    const char* file_tag;            ///< "4g", "3g", "5g": the suffix of the technology's output files
    const char* measure;             ///< "RSRP", "RSCP", "SS-RSRP": what the signal is reported as (always in dBm)
    const char* measure_key;         ///< "rsrp", "rscp", "ss_rsrp": in file and column names
    const char* measure_definition;  ///< one sentence, with the 3GPP reference
    double default_bandwidth_mhz;    ///< channel bandwidth when a sites file gives none
    bool has_subcarrier_spacing;     ///< sectors name a subcarrier spacing (NR numerology)
    std::array<double, 5> default_thresholds_dbm; ///< lower bounds of excellent, good, fair, poor, edge
    int default_class_count;         ///< how many of them are used
    const char* thresholds_source;   ///< where the default thresholds come from
    std::array<std::uint8_t, 3> colour; ///< the technology's colour in charts and legends (RGB)
};

/** The table, in the order outputs list technologies (4G, 3G, 5G: the order of the files before 5G was added). */
inline constexpr std::array<TechnologyTraits, technology_count> technology_table{{
    {Technology::lte, "lte", "LTE", "4G", "4g", "RSRP", "rsrp",
     "RSRP: the power of one 15 kHz resource element of the cell-specific reference signal (3GPP TS 36.214 5.1.1)",
     10.0, false, {-80.0, -90.0, -100.0, -110.0, -120.0}, 5,
     "common operator practice for LTE RSRP: -80 excellent, -90 good, -100 fair, -110 poor, -120 cell edge",
     {{33, 102, 172}}},
    {Technology::umts, "umts", "UMTS", "3G", "3g", "RSCP", "rscp",
     "RSCP: the received power of the common pilot channel, CPICH (3GPP TS 25.215 5.1.1)",
     5.0, false, {-80.0, -90.0, -100.0, -110.0, -120.0}, 4,
     "common operator practice for UMTS RSCP: -80 excellent, -90 good, -100 fair, -110 poor",
     {{118, 42, 131}}},
    {Technology::nr, "nr", "NR", "5G", "5g", "SS-RSRP", "ss_rsrp",
     "SS-RSRP: the power of one resource element of the secondary synchronisation signal in the SS/PBCH block "
     "(3GPP TS 38.215 5.1.1)",
     20.0, true, {-80.0, -90.0, -100.0, -110.0, -120.0}, 4,
     "drive-test practice for 5G NR SS-RSRP (HiCellTek, '5G NR thresholds', aligned with 3GPP TS 38.133 10.1.6, whose "
     "reporting range is -156 to -31 dBm; 3GPP itself names no quality classes): -80 excellent, -90 good, -100 fair, "
     "-110 poor",
     {{27, 158, 119}}},
}};

/** The row of a technology. */
[[nodiscard]] constexpr const TechnologyTraits& traits(Technology t) noexcept {
    return technology_table[static_cast<std::size_t>(t)];
}

/** The technology a key names ("lte", "umts", "nr"). @throws InvalidArgument naming the value and the keys. */
[[nodiscard]] Technology technology_from(const std::string& key);

/** "lte, umts, nr": the keys, for messages. */
[[nodiscard]] std::string technology_keys();

/** "4G" (LTE), "3G" (UMTS) or "5G" (NR), as people say it. */
[[nodiscard]] constexpr const char* generation_name(Technology t) noexcept { return traits(t).generation; }

/** "RSRP", "RSCP" or "SS-RSRP": what the signal of this technology is reported as. */
[[nodiscard]] constexpr const char* signal_measure_name(Technology t) noexcept { return traits(t).measure; }

/** A value per technology (thresholds, layers, ...), indexed by the technology. */
template <typename T>
class PerTechnology {
public:
    constexpr PerTechnology() = default;
    constexpr explicit PerTechnology(const std::array<T, technology_count>& values) : m_values(values) {}
    [[nodiscard]] constexpr T& operator[](Technology t) noexcept { return m_values[static_cast<std::size_t>(t)]; }
    [[nodiscard]] constexpr const T& operator[](Technology t) const noexcept { return m_values[static_cast<std::size_t>(t)]; }
    bool operator==(const PerTechnology&) const = default;

private:
    std::array<T, technology_count> m_values{};
};

} // namespace coverage

#endif // COVERAGE_RADIO_TECHNOLOGY_HPP
