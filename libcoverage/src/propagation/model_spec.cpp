#include <coverage/propagation/delta_bullington_model.hpp>
#include <coverage/core/error.hpp>
#include <coverage/propagation/free_space_model.hpp>
#include <coverage/propagation/hata_model.hpp>
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

std::unique_ptr<PropagationModel> make_model(const ModelSpec& spec) {
    if (spec.model == "itm") {
        if (spec.climate < 1 || spec.climate > 7) {
            throw InvalidArgument("itm climate must be 1..7 (got " + std::to_string(spec.climate) + ")");
        }
        ItmParams p = spec.itm;
        p.climate = static_cast<RadioClimate>(spec.climate);
        return std::make_unique<ItmModel>(p);
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
        return std::make_unique<HataModel>(spec.model == "hata" ? HataModel::Variant::okumura_hata : HataModel::Variant::cost231,
                                           env, spec.hata_extrapolate ? HataModel::Validity::warn : HataModel::Validity::strict);
    }
    if (spec.model == "free-space") {
        return std::make_unique<FreeSpaceModel>();
    }
    if (spec.model == "bullington") {
        return std::make_unique<DeltaBullingtonModel>(spec.bullington_earth_radius_km);
    }
    if (spec.model == "p1812") {
        return std::make_unique<P1812Model>(spec.p1812);
    }
    throw InvalidArgument("unknown model '" + spec.model + "' (itm, hata, cost231, free-space, bullington, p1812)");
}

std::string describe_model(const ModelSpec& spec) {
    if (spec.model == "itm") {
        return detail::format("itm (Longley-Rice p2p; climate %d, N0 %.0f, eps %.0f, sigma %.3g S/m, mdvar %d, time/location/"
                              "situation %.0f/%.0f/%.0f %%)",
                              spec.climate, spec.itm.n0_n_units, spec.itm.epsilon, spec.itm.sigma_s_per_m, spec.itm.mdvar,
                              spec.itm.time_pct, spec.itm.location_pct, spec.itm.situation_pct);
    }
    if (spec.model == "hata" || spec.model == "cost231") {
        return spec.model + " (" + spec.environment + ")";
    }
    if (spec.model == "bullington") {
        return detail::format("bullington (delta-Bullington, a_e %.0f km)", spec.bullington_earth_radius_km);
    }
    if (spec.model == "p1812") {
        const P1812Settings& p = spec.p1812;
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
