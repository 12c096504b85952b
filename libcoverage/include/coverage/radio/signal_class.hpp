#ifndef COVERAGE_SIGNAL_CLASS_HPP
#define COVERAGE_SIGNAL_CLASS_HPP

#include <coverage/radio/link_budget.hpp>

#include <array>
#include <cstdint>
#include <string>

namespace coverage {

/** Signal classes, best first. Stored as UInt8 in class rasters. */
enum class SignalClass : std::uint8_t { excellent = 0, good = 1, fair = 2, poor = 3, edge = 4, no_service = 5 };

[[nodiscard]] const char* to_string(SignalClass c) noexcept;
/** The class named by to_string() (excellent, good, fair, poor, edge, no service). @throws InvalidArgument naming the value. */
[[nodiscard]] SignalClass signal_class_from(const std::string& name);

/**
 * Lower bounds of each class, dBm, best first (strictly decreasing). A value >= thresholds[i] belongs to
 * class i; below the last threshold there is no service. Defaults per technology, with their source, are in the
 * technology table (radio/technology.hpp):
 * - LTE RSRP: −80 excellent, −90 good, −100 fair, −110 poor, −120 edge (common operator practice);
 * - UMTS RSCP and NR SS-RSRP: −80 excellent, −90 good, −100 fair, −110 poor; no edge class (−110 is the last).
 */
struct SignalThresholds {
    std::array<double, 5> lower_bound_dbm{-80.0, -90.0, -100.0, -110.0, -120.0};
    int class_count = 5; ///< how many of lower_bound_dbm are used (4 for the UMTS default)

    /** @throws InvalidArgument unless strictly decreasing and finite. */
    void validate() const;
    [[nodiscard]] SignalClass classify(double signal_dbm) const noexcept;

    bool operator==(const SignalThresholds&) const = default;
    /** The technology's defaults, from its row of the technology table. */
    [[nodiscard]] static SignalThresholds default_for(Technology t) noexcept {
        return SignalThresholds{traits(t).default_thresholds_dbm, traits(t).default_class_count};
    }
    [[nodiscard]] static SignalThresholds lte_default() noexcept { return default_for(Technology::lte); }
    [[nodiscard]] static SignalThresholds umts_default() noexcept { return default_for(Technology::umts); }
    [[nodiscard]] static SignalThresholds nr_default() noexcept { return default_for(Technology::nr); }
};

/** Class thresholds for every technology, indexed by it. */
using TechnologyThresholds = PerTechnology<SignalThresholds>;

/** Every technology's default thresholds. */
[[nodiscard]] inline TechnologyThresholds default_technology_thresholds() noexcept {
    TechnologyThresholds out;
    for (const TechnologyTraits& t : technology_table) {
        out[t.technology] = SignalThresholds::default_for(t.technology);
    }
    return out;
}

} // namespace coverage

#endif // COVERAGE_SIGNAL_CLASS_HPP
