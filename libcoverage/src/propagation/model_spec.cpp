#include <coverage/propagation/delta_bullington_model.hpp>
#include <coverage/core/error.hpp>
#include <coverage/propagation/free_space_model.hpp>
#include <coverage/propagation/hata_model.hpp>
#include <coverage/propagation/location_variability.hpp>
#include <coverage/propagation/model_spec.hpp>

#include "core/text.hpp"

namespace coverage {

const std::vector<std::string>& model_names() {
    static const std::vector<std::string> names = {"itm", "hata", "cost231", "free-space", "bullington", "p1812"};
    return names;
}

Polarization polarization_of(const ModelSpec& spec) {
    if (spec.polarization != "vertical" && spec.polarization != "horizontal") {
        throw InvalidArgument("polarization must be vertical or horizontal (got '" + spec.polarization + "')");
    }
    return spec.polarization == "horizontal" ? Polarization::horizontal : Polarization::vertical;
}

namespace {

// The share of locations a model gets: spec.location_pct when given (agreeing with the model's own setting unless that
// was left at the median), else the model's own.
double location_share(const ModelSpec& spec, double own_pct, const char* own_key) {
    if (!spec.location_pct) {
        return own_pct;
    }
    const double pct = *spec.location_pct;
    if (!(pct >= 1.0 && pct <= 99.0)) {
        throw InvalidArgument(detail::format("location_pct must be between 1 and 99 %% (got %g)", pct));
    }
    if (own_pct != 50.0 && own_pct != pct) {
        throw InvalidArgument(detail::format("location_pct %g %% contradicts %s = %g %%: give the share of locations once", pct,
                                             own_key, own_pct));
    }
    return pct;
}

ItmParams itm_params_of(const ModelSpec& spec) {
    ItmParams p = spec.itm;
    p.climate = static_cast<RadioClimate>(spec.climate);
    p.location_pct = location_share(spec, spec.itm.location_pct, "itm.location_pct");
    if (spec.location_sigma_db) {
        throw InvalidArgument("location_sigma_db is for the models without a location variability of their own; ITM has its "
                              "own (set by its mdvar and location_pct)");
    }
    const int mode = p.mdvar % 10;
    const bool location_removed = (p.mdvar / 10) % 2 == 1;
    if (p.location_pct != 50.0 && (mode != 3 || location_removed)) {
        throw InvalidArgument(detail::format(
            "itm: a share of %g %% of locations needs ITM's location variability, but mdvar %d %s; use mdvar = 3 "
            "(broadcast: time and location variability taken separately)",
            p.location_pct, p.mdvar,
            location_removed ? "removes it (+10)"
                             : (mode == 2 ? "(mobile) ties locations to the time percentage"
                                          : "(single message or accidental) ties locations to the situation percentage")));
    }
    return p;
}

// A median model given its location variability when a share other than 50 % is asked for.
std::unique_ptr<PropagationModel> at_locations(std::unique_ptr<PropagationModel> median, const ModelSpec& spec) {
    const double pct = location_share(spec, 50.0, "");
    if (pct == 50.0) {
        return median;
    }
    return std::make_unique<LocationQuantileModel>(std::shared_ptr<const PropagationModel>(std::move(median)), pct,
                                                   spec.location_sigma_db, spec.p1812.location_area_m);
}

} // namespace

P1812Settings p1812_settings_of(const ModelSpec& spec) {
    P1812Settings p = spec.p1812;
    p.location_pct = location_share(spec, spec.p1812.location_pct, "p1812.location_pct");
    if (spec.location_sigma_db) {
        p.location_sigma_db = spec.location_sigma_db;
    }
    return p;
}

std::unique_ptr<PropagationModel> make_model(const ModelSpec& spec) {
    if (spec.model == "itm") {
        if (spec.climate < 1 || spec.climate > 7) {
            throw InvalidArgument("itm climate must be 1..7 (got " + std::to_string(spec.climate) + ")");
        }
        return std::make_unique<ItmModel>(itm_params_of(spec));
    }
    if (spec.model == "hata" || spec.model == "cost231") {
        HataModel::Environment env = HataModel::Environment::urban;
        if (spec.environment == "suburban") {
            env = HataModel::Environment::suburban;
        } else if (spec.environment == "open") {
            env = HataModel::Environment::open;
        } else if (spec.environment != "urban") {
            throw InvalidArgument("environment must be urban, suburban or open (got '" + spec.environment + "')");
        }
        return at_locations(std::make_unique<HataModel>(spec.model == "hata" ? HataModel::Variant::okumura_hata : HataModel::Variant::cost231,
                                                        env, spec.hata_extrapolate ? HataModel::Validity::warn : HataModel::Validity::strict),
                            spec);
    }
    if (spec.model == "free-space") {
        return at_locations(std::make_unique<FreeSpaceModel>(), spec);
    }
    if (spec.model == "bullington") {
        return at_locations(std::make_unique<DeltaBullingtonModel>(spec.bullington_earth_radius_km), spec);
    }
    if (spec.model == "p1812") {
        return std::make_unique<P1812Model>(p1812_settings_of(spec));
    }
    throw InvalidArgument("unknown model '" + spec.model + "' (itm, hata, cost231, free-space, bullington, p1812)");
}

std::string describe_model(const ModelSpec& spec) {
    // The share of locations of the models without their own variability, as make_model() applies it.
    std::string locations;
    if (spec.location_pct && *spec.location_pct != 50.0) {
        locations = spec.location_sigma_db
                        ? detail::format(", %g %% of locations with a log-normal sigma of %g dB", *spec.location_pct, *spec.location_sigma_db)
                        : detail::format(", %g %% of locations with a log-normal sigma by P.1812 eq. (65) over %g m", *spec.location_pct,
                                         spec.p1812.location_area_m);
    }
    if (spec.model == "itm") {
        const double location_pct = spec.location_pct.value_or(spec.itm.location_pct);
        return detail::format("itm (Longley-Rice p2p; climate %d, N0 %.0f, eps %.0f, sigma %.3g S/m, mdvar %d, time/location/"
                              "situation %.0f/%.0f/%.0f %%)",
                              spec.climate, spec.itm.n0_n_units, spec.itm.epsilon, spec.itm.sigma_s_per_m, spec.itm.mdvar,
                              spec.itm.time_pct, location_pct, spec.itm.situation_pct);
    }
    if (spec.model == "hata" || spec.model == "cost231") {
        return spec.model + " (" + spec.environment + locations + ")";
    }
    if (spec.model == "bullington") {
        return detail::format("bullington (delta-Bullington, a_e %.0f km", spec.bullington_earth_radius_km) + locations + ")";
    }
    if (spec.model == "free-space" && !locations.empty()) {
        return "free-space (" + locations.substr(2) + ")";
    }
    if (spec.model == "p1812") {
        P1812Settings p = spec.p1812;
        p.location_pct = spec.location_pct.value_or(p.location_pct);
        p.location_sigma_db = spec.location_sigma_db ? spec.location_sigma_db : p.location_sigma_db;
        const std::string sigma = p.location_sigma_db ? detail::format("sigma_L %g dB", *p.location_sigma_db)
                                                      : detail::format("sigma_L by eq. (65) over %g m", p.location_area_m);
        return detail::format("p1812 (ITU-R P.1812-6; delta_N %g N-units/km, N0 %g N-units, time %g %%, locations %g %%, %s)",
                              p.delta_n_per_km, p.n0_n_units, p.time_pct, p.location_pct, sigma.c_str());
    }
    return spec.model;
}

std::vector<ModelComparison> compare_models(const TerrainProfile& profile, const LinkParams& link, const ModelSpec& settings) {
    profile.validate();
    std::vector<ModelComparison> out;
    for (const std::string& name : model_names()) {
        ModelSpec spec = settings;
        spec.model = name;
        ModelComparison c;
        c.model = name;
        c.description = describe_model(spec);
        try {
            const std::unique_ptr<PropagationModel> model = make_model(spec);
            c.loss = model->path_loss(profile, link);
        } catch (const OutOfDomain& e) {
            c.not_applicable = e.what();
        } catch (const InvalidArgument& e) { // settings the model needs and the spec lacks (P.1812's ΔN and N0)
            c.not_applicable = e.what();
        }
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace coverage
