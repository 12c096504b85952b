#include "coverage_options.hpp"

#include "terminal.hpp"

#include <coverage/core/error.hpp>

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
    cmd.add_option("-o,--out", o.out, "output folder (created if missing)")->required();
}

void make_output_folder(const std::string& folder) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (!std::filesystem::is_directory(folder, ec)) {
        throw coverage::IoError("cannot create output folder '" + folder + "'");
    }
}

coverage::Dem read_coverage_dem(const CoverageCliOptions& o, const std::vector<coverage::Sector>& sectors,
                                const coverage::ProgressFn& progress, const std::optional<coverage::GeoBox>& also_cover) {
    using namespace coverage;
    if (o.radius_km && !(*o.radius_km > 0.0)) {
        throw InvalidArgument("--radius-km must be > 0 (got " + fmt("%g", *o.radius_km) + ")");
    }
    DemOptions d;
    d.void_policy = coverage::void_policy_from(o.voids);
    d.cell_size_m = o.cell_m;
    d.allow_remote = o.allow_remote;
    d.resampling = coverage::resampling_from(o.resampling);
    if (o.radius_km) {
        // Read only what the sites' radii cover, and never less than a few cells around each site (a radius of 1 m
        // must still give the site a cell with terrain under it and its neighbours, not "off the DEM").
        const double margin_m = std::max(*o.radius_km * 1000.0, 3.0 * o.cell_m.value_or(100.0));
        GeoBox box = GeoBox::empty();
        for (const Sector& s : sectors) {
            box.include(s.location, margin_m);
        }
        if (also_cover) {
            box.include(GeoPoint{.lat_deg = also_cover->south_deg, .lon_deg = also_cover->west_deg}, 0.0);
            box.include(GeoPoint{.lat_deg = also_cover->north_deg, .lon_deg = also_cover->east_deg}, 0.0);
        }
        d.area = box;
    }
    return read_dem(o.dem, d, progress);
}

coverage::CoverageOptions coverage_options(const CoverageCliOptions& o, const coverage::Dem& dem) {
    coverage::CoverageOptions c;
    if (o.clutter == "path" && o.model.model != "p1812") {
        throw coverage::InvalidArgument("--clutter path (clutter heights along each path) is ITU-R P.1812's: use it with --model "
                                        "p1812, or --clutter p2108 for the receiver's clutter loss");
    }
    if (o.clutter != "none") {
        if (o.land_cover.empty()) {
            throw coverage::InvalidArgument("--clutter " + o.clutter + " needs --land-cover FILE: each cell's clutter class comes from it");
        }
        c.clutter_along_path = o.clutter == "path";
        c.rx_clutter = std::make_shared<const coverage::ClutterMap>(coverage::read_clutter_map(o.land_cover, dem,
                                                                                               coverage::worldcover_land_cover_table(),
                                                                                               o.allow_remote));
    } else if (!o.land_cover.empty()) {
        throw coverage::InvalidArgument("--land-cover is read only with --clutter p2108 (the receiver clutter loss of ITU-R P.2108) "
                                        "or --clutter path (P.1812's clutter along the path)");
    }
    c.line_of_sight = o.model.model == "los";
    if (!c.line_of_sight) {
        c.model = std::shared_ptr<const coverage::PropagationModel>(covtool::make_model(o.model));
        c.polarization = polarization_of(o.model);
    }
    c.mode = o.mode == "exact" ? coverage::CoverageMode::exact : coverage::CoverageMode::fast;
    c.profile_sampling = coverage::profile_sampling_from(o.profile_sampling);
    if (o.radius_km) {
        c.radius_m = *o.radius_km * 1000.0;
    }
    c.rx_height_agl_m = o.rx_height_m;
    c.k_factor = o.k_factor;
    c.threads = o.threads;
    return c;
}

} // namespace covtool
