#include <coverage/core/error.hpp>
#include <coverage/radio/link_budget.hpp>

#include "core/text.hpp"

#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace coverage {

namespace {

struct Channel {
    double bandwidth_mhz;
    int n_rb;
};
constexpr std::array<Channel, 6> lte_channels{{{1.4, 6}, {3.0, 15}, {5.0, 25}, {10.0, 50}, {15.0, 75}, {20.0, 100}}};

std::size_t channel_index(double bandwidth_mhz) {
    for (std::size_t i = 0; i < lte_channels.size(); ++i) {
        if (std::fabs(bandwidth_mhz - lte_channels[i].bandwidth_mhz) < 1e-6) {
            return i;
        }
    }
    throw InvalidArgument("bandwidth_mhz = " + std::to_string(bandwidth_mhz) +
                          " is not an LTE channel bandwidth (1.4, 3, 5, 10, 15 or 20 MHz)");
}

} // namespace

int lte_resource_blocks(double bandwidth_mhz) { return lte_channels[channel_index(bandwidth_mhz)].n_rb; }

double rsrp_dbm(double total_power_dbm, double bandwidth_mhz) {
    // 10·log10(12·N_RB) for each channel, computed once: a coverage map asks for it at every cell.
    static const std::array<double, lte_channels.size()> per_subcarrier_db = [] {
        std::array<double, lte_channels.size()> db{};
        for (std::size_t i = 0; i < lte_channels.size(); ++i) {
            db[i] = 10.0 * std::log10(12.0 * lte_channels[i].n_rb);
        }
        return db;
    }();
    return total_power_dbm - per_subcarrier_db[channel_index(bandwidth_mhz)];
}

double rscp_dbm(double total_power_dbm, double cpich_fraction) {
    if (!(cpich_fraction > 0.0 && cpich_fraction <= 1.0)) {
        throw InvalidArgument("cpich_fraction must be in (0, 1] (got " + std::to_string(cpich_fraction) + ")");
    }
    // 10·log10 of the fraction, kept per thread for the last fraction seen (the same for every cell of a map).
    thread_local double last_fraction = 0.0;
    thread_local double last_db = 0.0;
    if (cpich_fraction != last_fraction) {
        last_db = 10.0 * std::log10(cpich_fraction);
        last_fraction = cpich_fraction;
    }
    return total_power_dbm + last_db;
}

namespace {

// 3GPP TS 38.101-1 table 5.3.2-1: maximum transmission bandwidth configuration N_RB per channel bandwidth.
struct NrChannel {
    double bandwidth_mhz;
    int n_rb;
};
constexpr std::array<NrChannel, 10> nr_channels_15khz{{{5, 25}, {10, 52}, {15, 79}, {20, 106}, {25, 133}, {30, 160}, {35, 188},
                                                       {40, 216}, {45, 242}, {50, 270}}};
constexpr std::array<NrChannel, 15> nr_channels_30khz{{{5, 11}, {10, 24}, {15, 38}, {20, 51}, {25, 65}, {30, 78}, {35, 92}, {40, 106},
                                                       {45, 119}, {50, 133}, {60, 162}, {70, 189}, {80, 217}, {90, 245}, {100, 273}}};

// 3GPP TS 38.101-1 table 5.2-1, downlink ranges.
constexpr std::array<NrBand, 5> nr_band_table{{{"n1", 2110.0, 2170.0, "FDD", 15.0},
                                               {"n3", 1805.0, 1880.0, "FDD", 15.0},
                                               {"n28", 758.0, 803.0, "FDD", 15.0},
                                               {"n41", 2496.0, 2690.0, "TDD", 30.0},
                                               {"n78", 3300.0, 3800.0, "TDD", 30.0}}};

template <std::size_t N>
int find_n_rb(const std::array<NrChannel, N>& table, double bandwidth_mhz) {
    for (const NrChannel& c : table) {
        if (std::fabs(bandwidth_mhz - c.bandwidth_mhz) < 1e-6) {
            return c.n_rb;
        }
    }
    return 0;
}


} // namespace

int nr_resource_blocks(double bandwidth_mhz, double subcarrier_spacing_khz) {
    int n = 0;
    std::string widths;
    if (std::fabs(subcarrier_spacing_khz - 15.0) < 1e-9) {
        n = find_n_rb(nr_channels_15khz, bandwidth_mhz);
        widths = "5, 10, 15, 20, 25, 30, 35, 40, 45 or 50 MHz";
    } else if (std::fabs(subcarrier_spacing_khz - 30.0) < 1e-9) {
        n = find_n_rb(nr_channels_30khz, bandwidth_mhz);
        widths = "5 to 50 MHz in steps of 5, 60, 70, 80, 90 or 100 MHz";
    } else {
        throw InvalidArgument("subcarrier_spacing_khz = " + detail::format("%g", subcarrier_spacing_khz) +
                              " is not supported for NR (15 or 30 kHz, the spacings of FR1 data channels)");
    }
    if (n == 0) {
        throw InvalidArgument("bandwidth_mhz = " + detail::format("%g", bandwidth_mhz) + " is not an NR channel bandwidth at " +
                              detail::format("%g", subcarrier_spacing_khz) + " kHz spacing (" + widths + ", 3GPP TS 38.101-1 table 5.3.2-1)");
    }
    return n;
}

double ss_rsrp_dbm(double total_power_dbm, double bandwidth_mhz, double subcarrier_spacing_khz) {
    // 10·log10(12·N_RB) kept per thread for the last channel seen (the same for every cell of a sector's map).
    thread_local double last_bandwidth = -1.0;
    thread_local double last_scs = -1.0;
    thread_local double last_db = 0.0;
    if (bandwidth_mhz != last_bandwidth || subcarrier_spacing_khz != last_scs) {
        last_db = 10.0 * std::log10(12.0 * nr_resource_blocks(bandwidth_mhz, subcarrier_spacing_khz));
        last_bandwidth = bandwidth_mhz;
        last_scs = subcarrier_spacing_khz;
    }
    return total_power_dbm - last_db;
}

const std::array<NrBand, 5>& nr_bands() noexcept { return nr_band_table; }

const NrBand* nr_band_of(double freq_mhz) noexcept {
    for (const NrBand& b : nr_band_table) {
        if (freq_mhz >= b.dl_low_mhz && freq_mhz <= b.dl_high_mhz) {
            return &b;
        }
    }
    return nullptr;
}

double signal_measure_dbm(Technology t, double total_power_dbm, const ChannelSetting& channel) {
    switch (t) {
    case Technology::lte: return rsrp_dbm(total_power_dbm, channel.bandwidth_mhz);
    case Technology::umts: return rscp_dbm(total_power_dbm, channel.cpich_fraction);
    case Technology::nr: return ss_rsrp_dbm(total_power_dbm, channel.bandwidth_mhz, channel.subcarrier_spacing_khz);
    }
    return total_power_dbm; // not reached: every technology has its case
}

std::string channel_problem(Technology t, double freq_mhz, const ChannelSetting& channel, std::string& field) {
    try {
        switch (t) {
        case Technology::lte:
            field = "bandwidth_mhz";
            (void)lte_resource_blocks(channel.bandwidth_mhz);
            break;
        case Technology::umts:
            // A UMTS (W-CDMA) carrier is 5 MHz wide (3GPP TS 25.104 5.4.1: 5 MHz nominal channel spacing; operators
            // may place carriers 4.2-5.4 MHz apart, but the carrier itself is 3.84 Mcps in 5 MHz).
            field = "bandwidth_mhz";
            if (std::fabs(channel.bandwidth_mhz - 5.0) > 1e-9) {
                return "bandwidth_mhz = " + detail::format("%g", channel.bandwidth_mhz) + " is not a UMTS carrier (5 MHz)";
            }
            break;
        case Technology::nr: {
            if (nr_band_of(freq_mhz) == nullptr) {
                field = "freq_mhz";
                std::string bands;
                for (const NrBand& b : nr_band_table) {
                    bands += std::string(bands.empty() ? "" : ", ") + b.name + " " + detail::format("%g", b.dl_low_mhz) + "-" + detail::format("%g", b.dl_high_mhz);
                }
                return detail::format("%g", freq_mhz) + " MHz is not in the downlink of an NR band this library knows (" + bands + " MHz)";
            }
            field = std::fabs(channel.subcarrier_spacing_khz - 15.0) < 1e-9 || std::fabs(channel.subcarrier_spacing_khz - 30.0) < 1e-9
                        ? "bandwidth_mhz"
                        : "subcarrier_spacing_khz";
            (void)nr_resource_blocks(channel.bandwidth_mhz, channel.subcarrier_spacing_khz);
            break;
        }
        }
    } catch (const InvalidArgument& e) {
        return e.what();
    }
    return {};
}

std::vector<std::pair<std::string, double>> channel_figures(Technology t, const ChannelSetting& channel) {
    switch (t) {
    case Technology::lte:
        return {{"bandwidth_mhz", channel.bandwidth_mhz}, {"resource_blocks", lte_resource_blocks(channel.bandwidth_mhz)}};
    case Technology::umts:
        return {{"cpich_fraction", channel.cpich_fraction}};
    case Technology::nr:
        return {{"bandwidth_mhz", channel.bandwidth_mhz},
                {"subcarrier_spacing_khz", channel.subcarrier_spacing_khz},
                {"resource_blocks", nr_resource_blocks(channel.bandwidth_mhz, channel.subcarrier_spacing_khz)}};
    }
    return {};
}

} // namespace coverage
