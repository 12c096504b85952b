// Location variability for the models that have none of their own: a log-normal spread around their median.

#include <coverage/core/error.hpp>
#include <coverage/core/numbers.hpp>
#include <coverage/propagation/location_variability.hpp>
#include <coverage/propagation/p1812_model.hpp>

#include "core/text.hpp"

namespace coverage {

double default_location_sigma_db(double freq_mhz, double area_m) {
    // Eq. (65) of ITU-R P.1812-6 with the receiver below its clutter (u(h) = 1 in eq. (66)).
    return p1812_location_sigma_db(freq_mhz, 0.0, 1.0, area_m);
}

LocationQuantileModel::LocationQuantileModel(std::shared_ptr<const PropagationModel> median, double location_pct,
                                             std::optional<double> sigma_db, double area_m)
    : m_median(std::move(median)), m_location_pct(location_pct), m_sigma_db(sigma_db), m_area_m(area_m), m_z(0.0) {
    if (!m_median) {
        throw InvalidArgument("location variability: no model to apply it to");
    }
    if (!(location_pct >= 1.0 && location_pct <= 99.0)) {
        throw InvalidArgument(detail::format("location_pct must be between 1 and 99 %% (got %g)", location_pct));
    }
    if (sigma_db && !(*sigma_db >= 0.0 && *sigma_db <= 30.0)) {
        throw InvalidArgument(detail::format("location_sigma_db must be between 0 and 30 dB (got %g)", *sigma_db));
    }
    if (!(area_m >= 1.0 && area_m <= 100000.0)) {
        throw InvalidArgument(detail::format("location_area_m must be between 1 and 100000 m (got %g)", area_m));
    }
    m_z = standard_normal_quantile(location_pct / 100.0);
}

double LocationQuantileModel::sigma_db(double freq_mhz) const {
    return m_sigma_db ? *m_sigma_db : default_location_sigma_db(freq_mhz, m_area_m);
}

double LocationQuantileModel::margin_db(double freq_mhz) const { return sigma_db(freq_mhz) * m_z; }

PathLoss LocationQuantileModel::path_loss(const TerrainProfile& profile, const LinkParams& link) const {
    PathLoss l = m_median->path_loss(profile, link);
    l.loss_db += margin_db(link.freq_mhz);
    return l;
}

void LocationQuantileModel::validate_link(const LinkParams& link) const { m_median->validate_link(link); }

std::string LocationQuantileModel::name() const { return m_median->name(); }

} // namespace coverage
