#ifndef COVERAGE_MODEL_SPEC_HPP
#define COVERAGE_MODEL_SPEC_HPP

#include <coverage/propagation/itm_model.hpp>
#include <coverage/propagation/p1812_model.hpp>
#include <coverage/propagation/propagation_model.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/**
 * A propagation model named by its settings, as a command line or a study file gives them.
 * `model` is one of itm, hata, cost231, free-space, bullington, p1812 (and los, which has no path-loss model).
 */
struct ModelSpec {
    std::string model = "itm";
    std::string environment = "urban";     ///< hata/cost231: urban, suburban, open
    bool hata_extrapolate = false;          ///< hata/cost231: warn instead of failing outside the validity ranges
    std::string polarization = "vertical";  ///< vertical or horizontal
    int climate = 5;                        ///< ITM radio climate 1..7
    ItmParams itm;
    double bullington_earth_radius_km = 8500.0;
    P1812Settings p1812;                    ///< p1812: ΔN and N0 (no default), time and location percentages
    /** Share of locations, per cent (1–99), at which every model gives its loss: ITM by its own location variability
     *  (its mode must keep it: mdvar 3, broadcast), P.1812 by its σL, the others by a log-normal σ (LocationQuantileModel).
     *  nullopt: itm.location_pct and p1812.location_pct as they are, the median for the others. */
    std::optional<double> location_pct;
    /** σ of that log-normal, dB, for the models without a variability of their own; it also replaces P.1812's σL.
     *  nullopt: P.1812 eq. (65) over p1812.location_area_m. Not for ITM, which has its own. */
    std::optional<double> location_sigma_db;
};

/** The model names make_model() knows. */
[[nodiscard]] const std::vector<std::string>& model_names();

/** Build the model a spec names, at spec.location_pct of locations. @throws InvalidArgument for an unknown name,
 *  environment or climate ("los" included), p1812 without ΔN and N0, a location share ITM's mode ignores, or one that
 *  contradicts itm.location_pct or p1812.location_pct. */
[[nodiscard]] std::unique_ptr<PropagationModel> make_model(const ModelSpec& spec);

[[nodiscard]] Polarization polarization_of(const ModelSpec& spec);

/** The P.1812 settings make_model() uses: spec.p1812 with spec.location_pct and spec.location_sigma_db applied.
 *  @throws InvalidArgument when spec.location_pct contradicts spec.p1812.location_pct. */
[[nodiscard]] P1812Settings p1812_settings_of(const ModelSpec& spec);

/** One model's answer for a path in compare_models(): a loss, or why the model does not apply. */
struct ModelComparison {
    std::string model;           ///< the model's name, as make_model() knows it
    std::string description;     ///< describe_model() with the settings used
    std::optional<PathLoss> loss;
    std::string not_applicable;  ///< why there is no loss ("" when there is one)
};

/**
 * The same path through every model make_model() knows, in model_names() order, with the settings of `settings`
 * (its `model` is ignored): for a planner who must justify a choice. A model that cannot serve the link (a band or
 * height outside its range, P.1812 without ΔN and N0) says why instead of failing the rest.
 */
[[nodiscard]] std::vector<ModelComparison> compare_models(const TerrainProfile& profile, const LinkParams& link, const ModelSpec& settings);

/** One line describing the model and its settings, for reports. */
[[nodiscard]] std::string describe_model(const ModelSpec& spec);

} // namespace coverage

#endif // COVERAGE_MODEL_SPEC_HPP
