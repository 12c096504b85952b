// covtool: command line front end of libcoverage. Thin: parsing, printing and exit codes only.

#include "commands.hpp"
#include "terminal.hpp"

#include <coverage/core/error.hpp>
#include <coverage/core/version.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    CLI::App app{"covtool: radio coverage mapping and rural network planning (libcoverage " +
                 std::string(coverage::version) +
                 ").\nUnits are in every option name: _m metres, _mhz MHz, _dbm dBm, _dbi dBi, _db dB, _pct percent."};
    app.set_version_flag("--version", std::string(coverage::version));
    app.require_subcommand(1);
    app.fallthrough(false);

    covtool::Action action;
    covtool::register_link(app, action);
    covtool::register_map(app, action);
    covtool::register_hamlets(app, action);
    covtool::register_fetch_dem(app, action);
    covtool::register_study(app, action);
    covtool::register_plan(app, action);
    covtool::register_calibrate(app, action);

    covtool::require_decimal_options(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    covtool::install_interrupt_handler();
    try {
        return action();
    } catch (const coverage::Cancelled& e) {
        std::fprintf(stderr, "covtool: cancelled; no output was written\n");
        return 130;
    } catch (const coverage::Error& e) {
        std::fprintf(stderr, "covtool: error: %s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "covtool: internal error: %s\n", e.what());
        return 3;
    }
}
