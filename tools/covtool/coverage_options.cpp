#include "coverage_options.hpp"

#include "terminal.hpp"

#include <coverage/core/error.hpp>
#include <coverage/study/stages.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

namespace covtool {

void add_coverage_options(CLI::App& cmd, CoverageCliOptions& o, bool allow_los) {
    cmd.add_option("--dem", o.dem, "elevation raster(s) read by GDAL; several form a mosaic")->required()->expected(1, -1);
    add_dem_read_options(cmd, o.voids, o.allow_remote, o.resampling);
    cmd.add_option("--sites", o.sites, "sectors: CSV, GeoJSON or GeoPackage (columns: see README)")->required();
    add_model_options(cmd, o.model, allow_los);
    cmd.add_option("--mode", o.mode, "exact (a profile per cell, the reference) or fast (radial sweep)")
        ->check(CLI::IsMember({"fast", "exact"}))
        ->capture_default_str();
    cmd.add_option("--profile-sampling", o.profile_sampling,
                   "terrain between the DEM's posts: bilinear (interpolated) or nearest (the post of the cell, as SPLAT! "
                   "and Signal-Server read it)")
        ->check(CLI::IsMember({"bilinear", "nearest"}))
        ->capture_default_str();
    cmd.add_option("--radius-km", o.radius_km,
                   "radius around each site, km [default: where even free space no longer reaches the weakest class]");
    cmd.add_option("--cell-m", o.cell_m, "grid cell size, m [default: the DEM's resolution]");
    cmd.add_option("--rx-height-m", o.rx_height_m, "receiver height above ground, m")->capture_default_str();
    if (allow_los) {
        cmd.add_option("--k-factor", o.k_factor, "effective earth radius factor for --model los")->capture_default_str();
    }
    cmd.add_option("--threads", o.threads, "worker threads (0: all cores)")->capture_default_str();
    cmd.add_option("--clutter", o.clutter,
                   "clutter from --land-cover: none; p2108 (ITU-R P.2108 terminal clutter loss from the receiver cell's "
                   "land-cover class, added to every model's path loss); or path (--model p1812: every point of every path "
                   "carries its cell's clutter height, ITU-R P.1812 §3.2)")
        ->check(CLI::IsMember({"none", "p2108", "path"}))
        ->capture_default_str();
    cmd.add_option("--land-cover", o.land_cover,
                   "land-cover raster (any GDAL raster of ESA WorldCover codes: 10 tree cover, 20 shrubland, 30 grassland, "
                   "40 cropland, 50 built-up, 60 bare, 70 snow, 80 water, 90 wetland, 95 mangroves, 100 moss), for --clutter p2108 or path");
    cmd.add_option("--calibration", o.calibration,
                   "a calibration.toml from covtool calibrate: its correction per technology and band is applied to every "
                   "path loss (offsets per land-cover class need --land-cover)");
    cmd.add_option("-o,--out", o.out, "output folder (created if missing)")->required();
}

void make_output_folder(const std::string& folder) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (!std::filesystem::is_directory(folder, ec)) {
        throw coverage::IoError("cannot create output folder '" + folder + "'");
    }
}

coverage::Study coverage_study(const CoverageCliOptions& o) {
    using namespace coverage;
    if (o.radius_km && !(*o.radius_km > 0.0)) {
        throw InvalidArgument("--radius-km must be > 0 (got " + fmt("%g", *o.radius_km) + ")");
    }
    if (o.clutter == "path" && o.model.model != "p1812") {
        throw InvalidArgument("--clutter path (clutter heights along each path) is ITU-R P.1812's: use it with --model "
                              "p1812, or --clutter p2108 for the receiver's clutter loss");
    }
    if (o.clutter != "none" && o.land_cover.empty()) {
        throw InvalidArgument("--clutter " + o.clutter + " needs --land-cover FILE: each cell's clutter class comes from it");
    }
    if (o.clutter == "none" && !o.land_cover.empty() && o.calibration.empty()) {
        throw InvalidArgument("--land-cover is read only with --clutter p2108 (the receiver clutter loss of ITU-R P.2108), "
                              "--clutter path (P.1812's clutter along the path) or --calibration (its offsets per land-cover class)");
    }
    Study s;
    s.name = "covtool";
    s.sites_file = o.sites;
    s.dem_files = o.dem;
    s.voids = void_policy_from(o.voids);
    s.terrain_allow_remote = o.allow_remote;
    s.resampling = resampling_from(o.resampling);
    s.cell_m = o.cell_m;
    s.land_cover_file = o.land_cover;
    s.clutter = o.clutter;
    s.calibration_file = o.calibration;
    if (o.model.model != "los") { // line of sight has no path-loss model; the study's default stands unused
        s.model = o.model;
    }
    s.mode = o.mode == "exact" ? CoverageMode::exact : CoverageMode::fast;
    s.profile_sampling = profile_sampling_from(o.profile_sampling);
    s.radius_km = o.radius_km;
    s.rx_height_m = o.rx_height_m;
    return s;
}

coverage::CoverageOptions coverage_options(const CoverageCliOptions& o, const coverage::Study& study, const coverage::Dem& dem) {
    if (o.model.model != "los") {
        (void)covtool::make_model(o.model); // the command line's own words for a model's missing setting (--delta-n, --n0)
    }
    coverage::CoverageOptions c = coverage::study_coverage_options(study, dem, o.threads);
    if (o.model.model == "los") {
        c.line_of_sight = true;
        c.model = nullptr;
        c.k_factor = o.k_factor;
    }
    return c;
}

} // namespace covtool
