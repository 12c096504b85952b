#include <coverage/core/error.hpp>
#include <coverage/radio/link_budget.hpp>

#include <array>
#include <cmath>
#include <string>

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

} // namespace coverage
