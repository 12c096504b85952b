#include <coverage/propagation/itm_model.hpp>

#include "propagation/itm/itm.hpp"

#include <string>

namespace coverage {

namespace {

PathLoss to_path_loss(const itm::Result& r) {
    PathLoss out;
    out.loss_db = r.a_db;
    out.free_space_loss_db = r.a_fs_db;
    out.mode = static_cast<PropagationMode>(r.mode);
    out.warnings = r.warnings;
    out.itm = ItmIntermediate{.theta_hzn_tx_rad = r.theta_hzn.tx,
                              .theta_hzn_rx_rad = r.theta_hzn.rx,
                              .d_hzn_tx_m = r.d_hzn_m.tx,
                              .d_hzn_rx_m = r.d_hzn_m.rx,
                              .h_e_tx_m = r.h_e_m.tx,
                              .h_e_rx_m = r.h_e_m.rx,
                              .n_s = r.n_s,
                              .delta_h_m = r.delta_h_m,
                              .a_ref_db = r.a_ref_db,
                              .d_km = r.d_km};
    return out;
}

[[noreturn]] void throw_itm(const itm::Result& r, const LinkParams& link, const ItmParams& p) {
    std::string msg = "ITM: ";
    msg += itm::error_text(r.rc);
    switch (r.rc) {
    case itm::code::tx_height: msg += " (tx_height_agl_m = " + std::to_string(link.tx_height_agl_m) + ")"; break;
    case itm::code::rx_height: msg += " (rx_height_agl_m = " + std::to_string(link.rx_height_agl_m) + ")"; break;
    case itm::code::frequency: msg += " (freq_mhz = " + std::to_string(link.freq_mhz) + ")"; break;
    case itm::code::refractivity: msg += " (n0_n_units = " + std::to_string(p.n0_n_units) + ")"; break;
    case itm::code::epsilon: msg += " (epsilon = " + std::to_string(p.epsilon) + ")"; break;
    case itm::code::sigma: msg += " (sigma_s_per_m = " + std::to_string(p.sigma_s_per_m) + ")"; break;
    case itm::code::mdvar: msg += " (mdvar = " + std::to_string(p.mdvar) + ")"; break;
    case itm::code::climate: msg += " (climate = " + std::to_string(static_cast<int>(p.climate)) + ")"; break;
    case itm::code::time: msg += " (time_pct = " + std::to_string(p.time_pct) + ")"; break;
    case itm::code::location: msg += " (location_pct = " + std::to_string(p.location_pct) + ")"; break;
    case itm::code::situation: msg += " (situation_pct = " + std::to_string(p.situation_pct) + ")"; break;
    default: break;
    }
    msg += " [NTIA code " + std::to_string(r.rc) + "]";
    throw ItmError(r.rc, r.warnings, msg);
}

} // namespace

ItmModel::ItmModel(ItmParams params) : m_params(params) {
    // Validate everything that does not depend on the link now, so a bad setting fails at construction.
    std::uint32_t warnings = 0;
    const int rc = itm::validate_inputs(10.0, 10.0, static_cast<int>(params.climate), params.time_pct,
                                        params.location_pct, params.situation_pct, params.n0_n_units, 1000.0, 1,
                                        params.epsilon, params.sigma_s_per_m, params.mdvar, warnings);
    if (rc != itm::code::success) {
        itm::Result r;
        r.rc = rc;
        throw_itm(r, LinkParams{.freq_mhz = 1000.0, .tx_height_agl_m = 10.0, .rx_height_agl_m = 10.0}, params);
    }
}

void ItmModel::validate_link(const LinkParams& link) const {
    itm::Result r;
    r.rc = itm::validate_inputs(link.tx_height_agl_m, link.rx_height_agl_m, static_cast<int>(m_params.climate),
                                m_params.time_pct, m_params.location_pct, m_params.situation_pct, m_params.n0_n_units,
                                link.freq_mhz, static_cast<int>(link.polarization), m_params.epsilon, m_params.sigma_s_per_m,
                                m_params.mdvar, r.warnings);
    if (r.rc >= 1000) {
        throw_itm(r, link, m_params);
    }
}

PathLoss ItmModel::path_loss(const TerrainProfile& profile, const LinkParams& link) const {
    profile.validate();
    const itm::Pfl pfl{std::span<const double>(profile.elevation_m), profile.step_m};
    const itm::Result r = itm::p2p_tls(link.tx_height_agl_m, link.rx_height_agl_m, pfl, static_cast<int>(m_params.climate),
                                       m_params.n0_n_units, link.freq_mhz, static_cast<int>(link.polarization),
                                       m_params.epsilon, m_params.sigma_s_per_m, m_params.mdvar, m_params.time_pct,
                                       m_params.location_pct, m_params.situation_pct);
    if (r.rc >= 1000) {
        throw_itm(r, link, m_params);
    }
    return to_path_loss(r);
}

PathLoss itm_area_loss(const ItmAreaInputs& area, const LinkParams& link, const ItmParams& p) {
    const itm::Result r = itm::area_tls(link.tx_height_agl_m, link.rx_height_agl_m, static_cast<int>(area.tx_siting),
                                        static_cast<int>(area.rx_siting), area.distance_km, area.delta_h_m,
                                        static_cast<int>(p.climate), p.n0_n_units, link.freq_mhz,
                                        static_cast<int>(link.polarization), p.epsilon, p.sigma_s_per_m, p.mdvar,
                                        p.time_pct, p.location_pct, p.situation_pct);
    if (r.rc >= 1000) {
        throw_itm(r, link, p);
    }
    return to_path_loss(r);
}

ItmParams with_confidence_reliability(ItmParams params, double confidence_pct, double reliability_pct) {
    params.time_pct = reliability_pct;
    params.location_pct = 50.0;
    params.situation_pct = confidence_pct;
    return params;
}

} // namespace coverage
