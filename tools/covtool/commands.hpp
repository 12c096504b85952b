// Subcommands of covtool: each file cmd_<verb>.cpp registers one.
#ifndef COVTOOL_COMMANDS_HPP
#define COVTOOL_COMMANDS_HPP

#include <CLI/CLI.hpp>

#include <functional>

namespace covtool {

/** What a subcommand does once its options are parsed; returns the process exit code. */
using Action = std::function<int()>;

/** Register `covtool link`; `action` is set to the command's body. */
void register_link(CLI::App& app, Action& action);

/** Register `covtool map`. */
void register_map(CLI::App& app, Action& action);

/** Register `covtool hamlets`. */
void register_hamlets(CLI::App& app, Action& action);

/** Register `covtool fetch-dem`. */
void register_fetch_dem(CLI::App& app, Action& action);

/** Register `covtool plan`. */
void register_plan(CLI::App& app, Action& action);

/** Register `covtool calibrate`. */
void register_calibrate(CLI::App& app, Action& action);
/** Register `covtool study`. */
void register_study(CLI::App& app, Action& action);

} // namespace covtool

#endif
