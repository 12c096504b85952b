#include <coverage/error.hpp>
#include <coverage/link_budget.hpp>

#include <cmath>
#include <string>

namespace coverage {

int lte_resource_blocks(double bandwidth_mhz) {
    struct Entry {
        double bandwidth_mhz;
        int n_rb;
    };
    static constexpr Entry table[] = {{1.4, 6}, {3.0, 15}, {5.0, 25}, {10.0, 50}, {15.0, 75}, {20.0, 100}};
    for (const auto& e : table) {
        if (std::fabs(bandwidth_mhz - e.bandwidth_mhz) < 1e-6) {
            return e.n_rb;
        }
    }
    throw InvalidArgument("bandwidth_mhz = " + std::to_string(bandwidth_mhz) +
                          " is not an LTE channel bandwidth (1.4, 3, 5, 10, 15 or 20 MHz)");
}

double rsrp_dbm(double total_power_dbm, double bandwidth_mhz) {
    return total_power_dbm - 10.0 * std::log10(12.0 * lte_resource_blocks(bandwidth_mhz));
}

double rscp_dbm(double total_power_dbm, double cpich_fraction) {
    if (!(cpich_fraction > 0.0 && cpich_fraction <= 1.0)) {
        throw InvalidArgument("cpich_fraction must be in (0, 1] (got " + std::to_string(cpich_fraction) + ")");
    }
    return total_power_dbm + 10.0 * std::log10(cpich_fraction);
}

} // namespace coverage
