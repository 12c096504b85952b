// Options shared by the subcommands that compute coverage (map, hamlets): terrain, sites, model, grid.
#ifndef COVTOOL_COVERAGE_OPTIONS_HPP
#define COVTOOL_COVERAGE_OPTIONS_HPP

#include "model_options.hpp"

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/terrain/dem.hpp>
#include <coverage/radio/sector.hpp>

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
};

/** --dem, --voids, --allow-remote, --resampling, --sites, the model options, --mode, --radius-km, --cell-m, --rx-height-m, --threads, -o
 *  (and --k-factor when `allow_los`). */
void add_coverage_options(CLI::App& cmd, CoverageCliOptions& o, bool allow_los);

/** Create the output folder. @throws coverage::IoError. */
void make_output_folder(const std::string& folder);

/**
 * The DEM, cropped to the sites' radii when a radius is given, and always holding `also_cover` (the hamlets of
 * covtool hamlets: one beyond every radius is on the grid, with no service, not off it).
 */
[[nodiscard]] coverage::Dem read_coverage_dem(const CoverageCliOptions& o, const std::vector<coverage::Sector>& sectors,
                                              const coverage::ProgressFn& progress,
                                              const std::optional<coverage::GeoBox>& also_cover = std::nullopt);

/** The library's CoverageOptions for these command-line options; with --clutter p2108, the land cover read onto the DEM's grid. */
[[nodiscard]] coverage::CoverageOptions coverage_options(const CoverageCliOptions& o, const coverage::Dem& dem);

} // namespace covtool

#endif
