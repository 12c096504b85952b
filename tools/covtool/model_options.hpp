// Propagation-model options shared by the subcommands that evaluate path loss.
#ifndef COVTOOL_MODEL_OPTIONS_HPP
#define COVTOOL_MODEL_OPTIONS_HPP

#include <coverage/dem.hpp>
#include <coverage/itm_model.hpp>
#include <coverage/propagation_model.hpp>

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace covtool {

struct ModelOptions {
    std::string model = "itm";
    std::string environment = "urban";
    bool hata_extrapolate = false;
    std::string polarization = "vertical";
    int climate = 5;
    coverage::ItmParams itm;
    double bullington_earth_radius_km = 8500.0;
};

/** Add --model, --environment, --climate, --n0, --epsilon, --sigma, --polarization, --mdvar, --*-pct. */
void add_model_options(CLI::App& cmd, ModelOptions& o, bool allow_los = false);

/** Build the model named by the options. @throws coverage::Error for a bad combination. */
[[nodiscard]] std::unique_ptr<coverage::PropagationModel> make_model(const ModelOptions& o);

[[nodiscard]] coverage::Polarization polarization_of(const ModelOptions& o);

/** Add `--voids error|fill|keep` (what to do with DEM voids) bound to `voids`. */
void add_voids_option(CLI::App& cmd, std::string& voids);
/** The VoidPolicy named by a `--voids` value. */
[[nodiscard]] coverage::VoidPolicy void_policy_of(const std::string& voids);

/** One line describing the model and its settings, for reports. */
[[nodiscard]] std::string describe_model(const ModelOptions& o);

} // namespace covtool

#endif
