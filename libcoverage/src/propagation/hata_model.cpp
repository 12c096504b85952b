#include <coverage/core/error.hpp>
#include <coverage/propagation/hata_model.hpp>

#include <cmath>
#include <string>

namespace coverage {

namespace {

std::string fmt(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') {
        s.pop_back();
    }
    return s;
}

} // namespace

HataModel::HataModel(Variant variant, Environment environment, Validity validity)
    : m_variant(variant), m_environment(environment), m_validity(validity) {}

std::string HataModel::name() const {
    std::string n = m_variant == Variant::cost231 ? "cost231" : "hata";
    switch (m_environment) {
    case Environment::urban: return n + " (urban)";
    case Environment::suburban: return n + " (suburban)";
    case Environment::open: return n + " (open)";
    }
    return n;
}

namespace {

struct HataRange {
    double value;
    double lo;
    double hi;
    std::uint32_t bit;
    const char* name;
    const char* unit;
};

// The checks of loss() and validate_link(): the band always, then each range (strict: thrown, warn: flagged).
std::uint32_t check_hata(bool cost, HataModel::Validity validity, double freq_mhz, double base_height_m,
                         double mobile_height_m, const double* distance_m) {
    const char* model = cost ? "COST-231 Hata" : "Okumura-Hata";
    const double f_lo = cost ? 1500.0 : 150.0;
    const double f_hi = cost ? 2000.0 : 1500.0;
    // Frequency is always enforced: outside its band the other variant (or another model) applies.
    if (!(freq_mhz >= f_lo && freq_mhz <= f_hi)) {
        throw OutOfDomain(std::string(model) + ": freq_mhz = " + fmt(freq_mhz) + " is outside " + fmt(f_lo) + "-" +
                          fmt(f_hi) + " MHz");
    }
    const double d_m = distance_m != nullptr ? *distance_m : 1000.0;
    if (!(base_height_m > 0.0) || !(mobile_height_m > 0.0) || !(d_m > 0.0) || !std::isfinite(base_height_m) ||
        !std::isfinite(mobile_height_m) || !std::isfinite(d_m)) {
        throw OutOfDomain(std::string(model) + ": heights and distance must be > 0 (tx_height_agl_m = " +
                          fmt(base_height_m) + ", rx_height_agl_m = " + fmt(mobile_height_m) +
                          (distance_m != nullptr ? ", distance_m = " + fmt(d_m) : std::string()) + ")");
    }
    std::uint32_t warnings = 0;
    const HataRange ranges[] = {
        {base_height_m, 30.0, 200.0, warning::hata_tx_height, "tx_height_agl_m", "m"},
        {mobile_height_m, 1.0, 10.0, warning::hata_rx_height, "rx_height_agl_m", "m"},
        {d_m / 1000.0, 1.0, 20.0, warning::hata_distance, "distance_km", "km"},
    };
    for (const auto& r : ranges) {
        if (distance_m == nullptr && r.bit == warning::hata_distance) {
            continue;
        }
        if (r.value < r.lo || r.value > r.hi) {
            if (validity == HataModel::Validity::strict) {
                throw OutOfDomain(std::string(model) + ": " + r.name + " = " + fmt(r.value) + " is outside " +
                                  fmt(r.lo) + "-" + fmt(r.hi) + " " + r.unit +
                                  " (use the extrapolating setting to accept it with a warning)");
            }
            warnings |= r.bit;
        }
    }
    return warnings;
}

} // namespace

void HataModel::validate_link(const LinkParams& link) const {
    (void)check_hata(m_variant == Variant::cost231, m_validity, link.freq_mhz, link.tx_height_agl_m, link.rx_height_agl_m,
                     nullptr);
}

PathLoss HataModel::loss(double distance_m, double freq_mhz, double base_height_m, double mobile_height_m) const {
    const bool cost = m_variant == Variant::cost231;
    PathLoss out;
    out.warnings = check_hata(cost, m_validity, freq_mhz, base_height_m, mobile_height_m, &distance_m);
    const double d_km = distance_m / 1000.0;

    const double lf = std::log10(freq_mhz);
    const double lhb = std::log10(base_height_m);
    // Mobile antenna correction for a medium/small city [Hata 1980 eq. (8)].
    const double a_hm = (1.1 * lf - 0.7) * mobile_height_m - (1.56 * lf - 0.8);
    const double slope = (44.9 - 6.55 * lhb) * std::log10(d_km);
    const double open_correction = 4.78 * lf * lf - 18.33 * lf + 40.94; // [Hata 1980 eq. (6)]

    double l_db = 0.0;
    if (!cost) {
        const double urban = 69.55 + 26.16 * lf - 13.82 * lhb - a_hm + slope; // [Hata 1980 eq. (4)]
        switch (m_environment) {
        case Environment::urban: l_db = urban; break;
        case Environment::suburban: l_db = urban - 2.0 * std::pow(std::log10(freq_mhz / 28.0), 2) - 5.4; break; // eq. (5)
        case Environment::open: l_db = urban - open_correction; break;
        }
    } else {
        // COST 231 final report §4.4.1: C_m = 0 dB medium city / suburban, 3 dB metropolitan centres.
        const double c_m = m_environment == Environment::urban ? 3.0 : 0.0;
        l_db = 46.3 + 33.9 * lf - 13.82 * lhb - a_hm + slope + c_m;
        if (m_environment == Environment::open) {
            l_db -= open_correction;
        }
    }
    out.loss_db = l_db;
    out.free_space_loss_db = free_space_loss_db(distance_m, freq_mhz);
    return out;
}

PathLoss HataModel::path_loss(const TerrainProfile& profile, const LinkParams& link) const {
    profile.validate();
    return loss(profile.length_m(), link.freq_mhz, link.tx_height_agl_m, link.rx_height_agl_m);
}

} // namespace coverage
