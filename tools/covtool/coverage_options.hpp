// Options shared by the subcommands that compute coverage (map, hamlets): terrain, sites, model, grid.
#ifndef COVTOOL_COVERAGE_OPTIONS_HPP
#define COVTOOL_COVERAGE_OPTIONS_HPP

#include "model_options.hpp"

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/terrain/dem.hpp>
#include <coverage/radio/sector.hpp>
#include <coverage/study/study.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace covtool {

struct CoverageCliOptions {
    std::vector<std::string> dem;
    std::string voids = "error";
    bool allow_remote = false;
    std::string resampling = "bilinear";
    std::string sites;
    ModelOptions model;
    std::string mode = "fast";
    std::string profile_sampling = "bilinear";
    std::optional<double> radius_km;
    std::optional<double> cell_m;
    double rx_height_m = 1.5;
    double k_factor = 4.0 / 3.0;
    int threads = 0;
    std::string out;
    std::string land_cover;       ///< land-cover raster for the receiver clutter ("" none)
    std::string clutter = "none"; ///< none or p2108
    std::string calibration;      ///< --calibration: a calibration.toml ("" none)
};

/** --dem, --voids, --allow-remote, --resampling, --sites, the model options, --mode, --radius-km, --cell-m, --rx-height-m, --threads, -o
 *  (and --k-factor when `allow_los`). */
void add_coverage_options(CLI::App& cmd, CoverageCliOptions& o, bool allow_los);

/** Create the output folder. @throws coverage::IoError. */
void make_output_folder(const std::string& folder);

/**
 * The study these options describe (terrain files and how they are read, grid, model, mode, receiver, clutter), so
 * that covtool map and covtool hamlets run the study's own stages: the one grid rule (read_study_terrain), the
 * coverage settings (study_coverage_options) and the land cover (read_study_clutter). It names no hamlets or fibre
 * file: the commands read their inputs themselves. @throws coverage::InvalidArgument for inconsistent options.
 */
[[nodiscard]] coverage::Study coverage_study(const CoverageCliOptions& o);
/** The study's coverage settings, its land cover read onto the DEM's grid, and what only the command line has (--model los, --k-factor). */
[[nodiscard]] coverage::CoverageOptions coverage_options(const CoverageCliOptions& o, const coverage::Study& study, const coverage::Dem& dem);
} // namespace covtool

#endif
