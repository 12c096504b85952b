#include <coverage/core/error.hpp>
#include <coverage/propagation/propagation_model.hpp>

#include <cmath>
#include <utility>

namespace coverage {

void PropagationModel::validate_link(const LinkParams& link) const {
    if (!std::isfinite(link.freq_mhz) || !(link.freq_mhz > 0.0)) {
        throw OutOfDomain(name() + ": freq_mhz must be a positive number of MHz (got " + std::to_string(link.freq_mhz) + ")");
    }
    if (!std::isfinite(link.tx_height_agl_m) || link.tx_height_agl_m < 0.0 || !std::isfinite(link.rx_height_agl_m) ||
        link.rx_height_agl_m < 0.0) {
        throw OutOfDomain(name() + ": antenna heights must be finite and >= 0 m (tx_height_agl_m = " +
                          std::to_string(link.tx_height_agl_m) + ", rx_height_agl_m = " + std::to_string(link.rx_height_agl_m) + ")");
    }
}

const char* to_string(PropagationMode mode) noexcept {
    switch (mode) {
    case PropagationMode::line_of_sight: return "line_of_sight";
    case PropagationMode::diffraction: return "diffraction";
    case PropagationMode::troposcatter: return "troposcatter";
    case PropagationMode::not_applicable: break;
    }
    return "not_applicable";
}

std::string describe_warnings(std::uint32_t warnings) {
    static const std::pair<std::uint32_t, const char*> texts[] = {
        {warning::tx_height, "tx height outside 1-1000 m"},
        {warning::rx_height, "rx height outside 1-1000 m"},
        {warning::frequency, "frequency outside 40-10000 MHz"},
        {warning::distance_over_1000_km, "path longer than 1000 km"},
        {warning::distance_over_2000_km, "path longer than 2000 km"},
        {warning::distance_under_height_difference, "path shorter than |h_e1 - h_e2| / 0.2"},
        {warning::distance_under_1_km, "path shorter than 1 km"},
        {warning::tx_horizon_angle, "tx horizon angle above 0.2 rad"},
        {warning::rx_horizon_angle, "rx horizon angle above 0.2 rad"},
        {warning::tx_horizon_distance_short, "tx horizon closer than 0.1 x smooth-earth horizon"},
        {warning::rx_horizon_distance_short, "rx horizon closer than 0.1 x smooth-earth horizon"},
        {warning::tx_horizon_distance_long, "tx horizon beyond 3 x smooth-earth horizon"},
        {warning::rx_horizon_distance_long, "rx horizon beyond 3 x smooth-earth horizon"},
        {warning::extreme_variability, "extreme variability (|z| > 3.1)"},
        {warning::surface_refractivity, "surface refractivity below 250 N-units"},
        {warning::hata_frequency, "frequency outside the Hata range"},
        {warning::hata_tx_height, "base height outside 30-200 m (Hata)"},
        {warning::hata_rx_height, "mobile height outside 1-10 m (Hata)"},
        {warning::hata_distance, "distance outside 1-20 km (Hata)"},
    };
    std::string out;
    for (const auto& [bit, text] : texts) {
        if ((warnings & bit) != 0U) {
            if (!out.empty()) {
                out += ", ";
            }
            out += text;
        }
    }
    return out;
}

double free_space_loss_db(double distance_m, double freq_mhz) {
    if (!(distance_m > 0.0)) {
        throw OutOfDomain("free-space loss: distance must be > 0 m (got " + std::to_string(distance_m) + ")");
    }
    if (!(freq_mhz > 0.0)) {
        throw OutOfDomain("free-space loss: freq_mhz must be > 0 (got " + std::to_string(freq_mhz) + ")");
    }
    return 32.45 + 20.0 * std::log10(freq_mhz) + 20.0 * std::log10(distance_m / 1000.0);
}

} // namespace coverage
