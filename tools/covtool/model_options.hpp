// Propagation-model options shared by the subcommands that evaluate path loss.
#ifndef COVTOOL_MODEL_OPTIONS_HPP
#define COVTOOL_MODEL_OPTIONS_HPP

#include <coverage/terrain/dem.hpp>
#include <coverage/propagation/model_spec.hpp>

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace covtool {

/** The model settings a command line gives (the library's ModelSpec). */
using ModelOptions = coverage::ModelSpec;
using coverage::describe_model;
/** make_model, with the command line's names in the message when --model p1812 lacks --delta-n or --n0. */
[[nodiscard]] std::unique_ptr<coverage::PropagationModel> make_model(const ModelOptions& o);
using coverage::polarization_of;

/** Add --model, --environment, --climate, --n0, --epsilon, --sigma, --polarization, --mdvar, --*-pct. */
void add_model_options(CLI::App& cmd, ModelOptions& o, bool allow_los = false, bool allow_all = false);

/** Add `--voids error|fill|keep` (what to do with DEM voids) and `--allow-remote` (DEMs over the network). */
void add_dem_read_options(CLI::App& cmd, std::string& voids, bool& allow_remote, std::string& resampling);

} // namespace covtool

#endif
