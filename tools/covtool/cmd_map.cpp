// covtool map: coverage rasters for every sector of a sites file over a DEM.

#include "commands.hpp"
#include "coverage_options.hpp"
#include "terminal.hpp"

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/core/catalogue.hpp>
#include <coverage/study/coverage_outputs.hpp>
#include <coverage/study/stages.hpp>
#include <coverage/study/output_folder.hpp>
#include <coverage/terrain/dem.hpp>
#include <coverage/core/error.hpp>
#include <coverage/radio/sector.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace covtool {

namespace {

struct MapOptions : CoverageCliOptions {
    std::vector<std::string> outputs; // empty: all but the print copies
    std::string language = "en";      // --lang: the words of coverage.png/.pdf/.svg
};

int run_map(const MapOptions& o) {
    using namespace coverage;
    // Asked-for outputs and the language are checked before anything is read or computed.
    try {
        check_coverage_outputs(o.model.model == "los", o.outputs);
    } catch (const InvalidArgument& e) {
        throw InvalidArgument(std::string("--outputs: ") + e.what());
    }
    const Study study = coverage_study(o);
    make_output_folder(o.out);
    const StudyInputs inputs{.sectors = read_sites(o.sites), .hamlets = {}, .fibre_routes = {}, .household_points = std::nullopt};
    const std::vector<Sector>& sectors = inputs.sectors;
    ProgressBar bar("coverage");
    const ProgressFn progress = bar.callback();
    // The study's stages: its grid rule and its coverage settings (covtool study runs the same functions).
    const auto t_terrain = std::chrono::steady_clock::now();
    const Dem dem = read_study_terrain(study, inputs, scaled(progress, 0.0, 0.1));
    const CoverageOptions c = coverage_options(o, study, dem);
    const auto t_coverage = std::chrono::steady_clock::now();
    const CoverageEngine engine(dem, sectors, c);
    const CoverageMap map = engine.compute(scaled(progress, 0.1, 0.9));
    const auto t_outputs = std::chrono::steady_clock::now();
    // The files of a previous map into this folder go (a stale signal_3g_*.tif or visible.tif must not stay beside
    // the new ones), and nothing else; run.json then lists what this run wrote.
    const std::vector<std::string> removed = remove_previous_outputs(o.out, RunKind::map);
    const std::vector<std::string> files = write_coverage_outputs(map, dem, c, o.out, o.outputs, o.language);
    std::vector<std::string> names;
    for (const std::string& f : files) {
        names.push_back(std::filesystem::path(f).filename().string());
    }
    // The grid and how it was made from the DEM, beside the list of files.
    const nlohmann::ordered_json grid = {{"grid",
                                          {{"crs", dem.crs().definition},
                                           {"cell_m", dem.cell_size_m()},
                                           {"width", dem.raster().width()},
                                           {"height", dem.raster().height()},
                                           {"origin_x_m", dem.raster().transform().xorig},
                                           {"origin_y_m", dem.raster().transform().yorig},
                                           {"resampling", dem.resampling()}}},
                                         {"model", map.model_name},
                                         {"mode", to_string(map.mode)},
                                         {"clutter", o.clutter},
                                         {"land_cover", o.land_cover}};
    write_run_manifest(o.out, RunKind::map, names, grid.dump());
    bar.finish();
    const auto t_end = std::chrono::steady_clock::now();
    const auto seconds = [](auto from, auto to) { return std::chrono::duration<double>(to - from).count(); };

    std::printf("covtool map: %zu sector%s, %s model, %s mode, %dx%d cells of %.1f m (%s; terrain resampling: %s)\n",
                sectors.size(), sectors.size() == 1 ? "" : "s", map.model_name.c_str(), to_string(map.mode), dem.raster().width(),
                dem.raster().height(), dem.cell_size_m(), dem.crs().definition.c_str(), dem.resampling().c_str());
    std::printf("  %zu cells within radius, %zu model evaluations in %.2f s (%.2f M cells/s)\n", map.stats.cells_in_radius,
                map.stats.model_evaluations, map.stats.seconds,
                map.stats.seconds > 0 ? static_cast<double>(map.stats.cells_in_radius) / map.stats.seconds / 1e6 : 0.0);
    if (c.rx_clutter) {
        const std::vector<std::size_t> n = c.rx_clutter->cell_counts();
        std::size_t cluttered = 0;
        for (std::size_t k = 0; k < n.size(); ++k) {
            cluttered += c.rx_clutter->table.classes[k].clutter_height_m > o.rx_height_m ? n[k] : 0;
        }
        std::printf("  %s from %s (%s); %.1f %% of cells under clutter taller than the receiver\n",
                    c.clutter_along_path ? "clutter along every path: ITU-R P.1812 §3.2" : "receiver clutter: ITU-R P.2108",
                    c.rx_clutter->source.c_str(), c.rx_clutter->table.name.c_str(),
                    100.0 * static_cast<double>(cluttered) / static_cast<double>(dem.raster().values().size()));
    }
    if (map.stats.cells_without_terrain > 0) {
        std::printf("  %zu cells without terrain on their path (off the DEM or voids): left empty\n", map.stats.cells_without_terrain);
    }
    if (map.stats.cells_outside_model > 0) {
        std::printf("  %zu cells outside the model's validity: left empty\n", map.stats.cells_outside_model);
    }
    if (!removed.empty()) {
        std::printf("  removed %zu file%s of the previous map in %s\n", removed.size(), removed.size() == 1 ? "" : "s", o.out.c_str());
    }
    for (const auto& f : files) {
        std::printf("  wrote %s\n", f.c_str());
    }
    std::printf("  wrote %s\n", (std::filesystem::path(o.out) / "run.json").string().c_str());
    // Where the command's time went (the process's start-up before main, loading GDAL and the other libraries, is not counted).
    std::printf("  seconds: terrain %.3f, coverage %.3f, outputs %.3f\n", seconds(t_terrain, t_coverage),
                seconds(t_coverage, t_outputs), seconds(t_outputs, t_end));
    return 0;
}

} // namespace

void register_map(CLI::App& app, Action& action) {
    auto o = std::make_shared<MapOptions>();
    CLI::App* cmd = app.add_subcommand("map", "Coverage rasters (path loss, best server, signal, class) for every sector");
    add_coverage_options(*cmd, *o, /*allow_los=*/true);
    cmd->add_option("--outputs", o->outputs,
                    "only these outputs, comma-separated: path_loss_db, signal_dbm, best_server, signal_class, server_count, "
                    "coverage_png, coverage_kmz (with --model los: visible, coverage_png, coverage_kmz), and the map for print: "
                    "coverage_pdf, coverage_svg [default: all but the print copies]")
        ->delimiter(',');
    cmd->add_option("--lang", o->language, "language of the map's title, legend and marks (coverage.png, .pdf, .svg)")
        ->capture_default_str()
        ->check(CLI::IsMember(coverage::message_languages()));
    cmd->callback([o, &action] { action = [o] { return run_map(*o); }; });
}

} // namespace covtool
