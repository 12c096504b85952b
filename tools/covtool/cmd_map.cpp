// covtool map: coverage rasters for every sector of a sites file over a DEM.

#include "commands.hpp"
#include "model_options.hpp"
#include "terminal.hpp"

#include <coverage/coverage_map.hpp>
#include <coverage/dem.hpp>
#include <coverage/error.hpp>
#include <coverage/site.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace covtool {

namespace {

struct MapOptions {
    std::vector<std::string> dem;
    std::string voids = "error";
    std::string sites;
    ModelOptions model;
    std::string mode = "fast";
    std::optional<double> radius_km;
    std::optional<double> cell_m;
    double rx_height_m = 1.5;
    double k_factor = 4.0 / 3.0;
    int threads = 0;
    std::string out;
};

int run_map(const MapOptions& o) {
    using namespace coverage;
    namespace fs = std::filesystem;
    if (o.radius_km && !(*o.radius_km > 0.0)) {
        throw InvalidArgument("--radius-km must be > 0 (got " + fmt("%g", *o.radius_km) + ")");
    }
    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (!fs::is_directory(o.out, ec)) {
        throw IoError("cannot create output folder '" + o.out + "'");
    }
    const std::vector<Sector> sectors = read_sites(o.sites);

    DemOptions dem_options;
    dem_options.void_policy = void_policy_of(o.voids);
    dem_options.cell_size_m = o.cell_m;
    if (o.radius_km) {
        // Read only what the sites' radii cover.
        GeoBox box{.south_deg = 90, .west_deg = 180, .north_deg = -90, .east_deg = -180};
        for (const Sector& s : sectors) {
            const double dlat = *o.radius_km / 111.0;
            const double dlon = dlat / std::max(0.1, std::cos(s.location.lat_deg * M_PI / 180.0));
            box.south_deg = std::min(box.south_deg, s.location.lat_deg - dlat);
            box.north_deg = std::max(box.north_deg, s.location.lat_deg + dlat);
            box.west_deg = std::min(box.west_deg, s.location.lon_deg - dlon);
            box.east_deg = std::max(box.east_deg, s.location.lon_deg + dlon);
        }
        dem_options.area = box;
    }
    ProgressBar bar("coverage");
    const ProgressFn progress = bar.callback();
    const Dem dem = read_dem(o.dem, dem_options, scaled(progress, 0.0, 0.1));

    CoverageOptions c;
    c.line_of_sight = o.model.model == "los";
    if (!c.line_of_sight) {
        c.model = std::shared_ptr<const PropagationModel>(make_model(o.model));
    }
    c.mode = o.mode == "exact" ? CoverageMode::exact : CoverageMode::fast;
    if (o.radius_km) {
        c.radius_m = *o.radius_km * 1000.0;
    }
    c.rx_height_agl_m = o.rx_height_m;
    c.k_factor = o.k_factor;
    c.threads = o.threads;
    const CoverageEngine engine(dem, sectors, c);
    const CoverageMap map = engine.compute(scaled(progress, 0.1, 0.9));
    const std::vector<std::string> files = write_coverage_outputs(map, dem, c, o.out);
    bar.finish();

    std::printf("covtool map: %zu sector%s, %s model, %s mode, %dx%d cells of %.1f m (%s)\n", sectors.size(),
                sectors.size() == 1 ? "" : "s", map.model_name.c_str(), to_string(map.mode), dem.raster().width(),
                dem.raster().height(), dem.cell_size_m(), dem.crs().definition.c_str());
    std::printf("  %zu cells within radius, %zu model evaluations in %.2f s (%.2f M cells/s)\n", map.stats.cells_in_radius,
                map.stats.model_evaluations, map.stats.seconds,
                map.stats.seconds > 0 ? static_cast<double>(map.stats.cells_in_radius) / map.stats.seconds / 1e6 : 0.0);
    if (map.stats.cells_without_terrain > 0) {
        std::printf("  %zu cells without terrain on their path (off the DEM or voids): left empty\n", map.stats.cells_without_terrain);
    }
    if (map.stats.cells_outside_model > 0) {
        std::printf("  %zu cells outside the model's validity: left empty\n", map.stats.cells_outside_model);
    }
    for (const auto& f : files) {
        std::printf("  wrote %s\n", f.c_str());
    }
    return 0;
}

} // namespace

void register_map(CLI::App& app, Action& action) {
    auto o = std::make_shared<MapOptions>();
    CLI::App* cmd = app.add_subcommand("map", "Coverage rasters (path loss, best server, signal, class) for every sector");
    cmd->add_option("--dem", o->dem, "elevation raster(s) read by GDAL; several form a mosaic")->required()->expected(1, -1);
    add_voids_option(*cmd, o->voids);
    cmd->add_option("--sites", o->sites, "sectors: CSV, GeoJSON or GeoPackage (columns: see README)")->required();
    add_model_options(*cmd, o->model, true);
    cmd->add_option("--mode", o->mode, "exact (a profile per cell, the reference) or fast (radial sweep)")
        ->check(CLI::IsMember({"fast", "exact"}))
        ->capture_default_str();
    cmd->add_option("--radius-km", o->radius_km,
                    "radius around each site, km [default: where even free space no longer reaches the weakest class]");
    cmd->add_option("--cell-m", o->cell_m, "grid cell size, m [default: the DEM's resolution]");
    cmd->add_option("--rx-height-m", o->rx_height_m, "receiver height above ground, m")->capture_default_str();
    cmd->add_option("--k-factor", o->k_factor, "effective earth radius factor for --model los")->capture_default_str();
    cmd->add_option("--threads", o->threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->add_option("-o,--out", o->out, "output folder (created if missing)")->required();
    cmd->callback([o, &action] { action = [o] { return run_map(*o); }; });
}

} // namespace covtool
