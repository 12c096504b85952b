#include <coverage/study/coverage_outputs.hpp>
#include <coverage/core/error.hpp>
#include <coverage/report/map_render.hpp>
#include <coverage/io/raster_io.hpp>

#include "core/messages.hpp"
#include "radio/technology_files.hpp"

#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <numeric>
#include <string>

namespace coverage {

namespace {

std::string sector_label(const Sector& s) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "sector %s (%s %.0f MHz, %.0f m)", s.sector_id.c_str(),
                  traits(s.technology).name, s.freq_mhz, s.height_agl_m);
    return buf;
}

} // namespace

std::vector<std::string> coverage_output_names(bool line_of_sight) {
    if (line_of_sight) {
        return {"visible", "coverage_png", "coverage_kmz"};
    }
    return {"path_loss_db", "signal_dbm", "best_server", "signal_class", "server_count", "coverage_png", "coverage_kmz"};
}

std::vector<std::string> print_output_names() { return {"coverage_pdf", "coverage_svg"}; }

void check_coverage_outputs(bool line_of_sight, const std::vector<std::string>& only) {
    std::vector<std::string> names = coverage_output_names(line_of_sight);
    for (std::string& n : print_output_names()) {
        names.push_back(std::move(n));
    }
    for (const std::string& n : only) {
        if (std::find(names.begin(), names.end(), n) == names.end()) {
            std::string list;
            for (const std::string& k : names) {
                list += (list.empty() ? "" : ", ") + k;
            }
            throw InvalidArgument("unknown coverage output '" + n.substr(0, 64) + "'" + (line_of_sight ? " in line-of-sight mode" : "") +
                                  " (choose among " + list + ")");
        }
    }
}

std::vector<std::string> write_coverage_outputs(const CoverageMap& map, const Dem& dem, const CoverageOptions& options,
                                                const std::string& folder, const std::vector<std::string>& only,
                                                const std::string& language) {
    namespace fs = std::filesystem;
    check_coverage_outputs(options.line_of_sight, only);
    const detail::Messages& m = detail::Messages::of(language); // an unknown language fails before anything is written
    const std::vector<std::string> print_names = print_output_names();
    const auto want = [&](const char* name) {
        const bool by_default = std::find(print_names.begin(), print_names.end(), name) == print_names.end();
        return (only.empty() && by_default) || std::find(only.begin(), only.end(), name) != only.end();
    };
    // The class map people look at, as PNG and for print as PDF or SVG, in the reader's words.
    const MapWords words = map_words(language);
    const std::string mode = m.text(map.mode == CoverageMode::fast ? "map.mode.fast" : "map.mode.exact");
    const auto maps_of = [&](const std::function<void(const std::string&)>& write_one) {
        for (const char* format : {"png", "pdf", "svg"}) {
            if (want((std::string("coverage_") + format).c_str())) {
                write_one(std::string("coverage.") + format);
            }
        }
    };
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        throw IoError("output folder '" + folder + "' does not exist");
    }
    const auto out = [&](const char* name) { return (fs::path(folder) / name).string(); };
    std::vector<std::string> written;
    std::vector<std::string> ids;
    std::vector<MapLabel> labels;
    for (const Sector& s : map.sectors) {
        ids.push_back(s.sector_id);
        labels.push_back(MapLabel{s.location, s.site_id, MapLabel::Marker::tower});
    }

    if (options.line_of_sight) {
        std::vector<const Raster<std::uint8_t>*> bands;
        std::vector<BandInfo> info;
        Raster<std::uint8_t> any(dem.raster().width(), dem.raster().height(), dem.raster().transform(), dem.crs(), not_computed);
        for (std::size_t i = 0; i < map.visible.size(); ++i) {
            bands.push_back(&map.visible[i]);
            info.push_back(BandInfo{"line of sight from " + sector_label(map.sectors[i]) + ": 1 visible, 0 hidden", ""});
            for (std::size_t c = 0; c < any.values().size(); ++c) {
                const std::uint8_t v = map.visible[i].values()[c];
                if (v != not_computed) {
                    any.values()[c] = any.values()[c] == 1 ? std::uint8_t{1} : v;
                }
            }
        }
        if (want("visible")) {
            write_raster(out("visible.tif"), bands, info);
            written.push_back(out("visible.tif"));
        }
        const std::vector<ColorEntry> palette = {{1, 26, 152, 80, 255, m.text("map.los.visible")},
                                                 {0, 215, 48, 39, 255, m.text("map.los.hidden")}};
        maps_of([&](const std::string& file) {
            write_map_png(out(file.c_str()), dem, any, palette, m.format("map.los.title", {{"mode", mode}}), labels, {}, words);
            written.push_back(out(file.c_str()));
        });
        if (want("coverage_kmz")) {
            write_kmz(out("coverage.kmz"), any, palette, "line of sight");
            written.push_back(out("coverage.kmz"));
        }
        return written;
    }

    // Each file is written by a job of its own; the jobs share nothing but the map, so they run in parallel (GDAL
    // compresses, the renderer draws and the KMZ is reprojected at the same time). `written` keeps the order of
    // the list whatever order they finish in. Should one fail, the others finish and its error is thrown.
    std::vector<std::function<void(const std::string&)>> jobs; // jobs[i] writes written[i]
    // How long a job takes, roughly, for the order below. The 20 km Serra do Cipo map (1416 x 1176 cells), each job
    // alone: coverage.kmz 0.095 s (reprojected, then tiled), coverage.png 0.13 s (drawn over a hillshade, then
    // compressed), a float COG 0.06 s, a byte COG 0.02 s.
    enum Cost : int { byte_raster, float_raster, picture };
    std::vector<Cost> cost; // of jobs[i]
    auto job = [&](const std::string& path, Cost c, std::function<void(const std::string&)> write) {
        written.push_back(path);
        jobs.push_back(std::move(write));
        cost.push_back(c);
    };
    if (want("path_loss_db")) {
        job(out("path_loss_db.tif"), float_raster, [&](const std::string& path) {
            std::vector<const Raster<float>*> bands;
            std::vector<BandInfo> info;
            for (std::size_t i = 0; i < map.path_loss_db.size(); ++i) {
                bands.push_back(&map.path_loss_db[i]);
                info.push_back(BandInfo{"basic transmission loss, " + map.model_name + " (" + to_string(map.mode) + "), " + sector_label(map.sectors[i]), "dB"});
            }
            write_raster_windows(path, dem.raster(), bands, info);
        });
    }
    // The technologies among the sectors, in the table's order, with the thresholds that class them.
    std::vector<std::pair<Technology, SignalThresholds>> present;
    for (const TechnologyTraits& tr : technology_table) {
        if (std::any_of(map.sectors.begin(), map.sectors.end(), [&](const Sector& s) { return s.technology == tr.technology; })) {
            present.emplace_back(tr.technology, options.thresholds[tr.technology]);
        }
    }
    const bool mixed = present.size() > 1;
    std::string measures;
    std::string alone;
    for (const auto& [t, thresholds] : present) {
        const std::string sep = measures.empty() ? "" : ", ";
        measures += sep + signal_measure_name(t) + " where the best server is an " + traits(t).name + " sector";
        alone += sep + detail::signal_file(t);
    }
    const std::string count_text = "sectors at or above " + std::to_string(static_cast<int>(options.server_threshold_dbm)) + " dBm";
    if (want("signal_dbm")) {
        const BandInfo info{mixed ? "best-server signal: " + measures + " (best = better signal class, then margin; see " + alone +
                                        " for each technology alone)"
                                  : "best-server signal: " + std::string(signal_measure_name(present.front().first)) + " of " +
                                        traits(present.front().first).name + " sectors",
                            "dBm"};
        job(out("signal_dbm.tif"), float_raster, [&, info](const std::string& path) { write_raster(path, {&map.signal_dbm}, {info}); });
    }
    if (want("best_server")) {
        job(out("best_server.tif"), byte_raster, [&](const std::string& path) {
            write_raster(path, map.best_server, BandInfo{"best server: index of the sector (see colour table names)", ""}, server_palette(ids));
        });
    }
    // Classes by each technology's thresholds: the legend names every technology's bound where several are present.
    const std::vector<ColorEntry> class_palette =
        mixed ? mixed_signal_class_palette(present) : signal_class_palette(present.front().second, signal_measure_name(present.front().first));
    if (want("signal_class")) {
        job(out("signal_class.tif"), byte_raster, [&](const std::string& path) {
            write_raster(path, {&map.signal_class}, {BandInfo{"signal class of the best server", ""}}, class_palette);
        });
    }
    if (want("server_count")) {
        job(out("server_count.tif"), byte_raster, [&](const std::string& path) {
            write_raster(path, {&map.server_count}, {BandInfo{count_text, "count"}});
        });
    }
    // Each technology on its own, as the study writes them: 4G RSRP, 3G RSCP and 5G SS-RSRP are separate services.
    std::vector<Composite> per_technology; // computed before the jobs start, which read them
    if (mixed && (want("signal_dbm") || want("best_server") || want("signal_class") || want("server_count"))) {
        per_technology.reserve(present.size());
        for (const auto& [t, thresholds] : present) {
            per_technology.push_back(combine_sectors(map, dem, options, t));
        }
        for (std::size_t k = 0; k < present.size(); ++k) {
            const Technology t = present[k].first;
            const SignalThresholds thresholds = present[k].second;
            const Composite& c = per_technology[k];
            const std::string generation = generation_name(t);
            const std::string measure = signal_measure_name(t);
            if (want("signal_dbm")) {
                const std::string file = out(detail::signal_file(t).c_str());
                job(file, float_raster, [&c, generation, measure](const std::string& path) {
                    write_raster(path, {&c.signal_dbm}, {BandInfo{generation + " best-server " + measure, "dBm"}});
                });
            }
            if (want("best_server")) {
                const std::string file = out(detail::technology_file("best_server", t).c_str());
                job(file, byte_raster, [&c, &ids, generation](const std::string& path) {
                    write_raster(path, c.best_server, BandInfo{generation + " best server: index of the sector (see colour table names)", ""},
                                 server_palette(ids));
                });
            }
            if (want("signal_class")) {
                const std::string file = out(detail::technology_file("signal_class", t).c_str());
                job(file, byte_raster, [&c, generation, measure, thresholds](const std::string& path) {
                    write_raster(path, {&c.signal_class}, {BandInfo{generation + " signal class of the best server", ""}},
                                 signal_class_palette(thresholds, measure));
                });
            }
            if (want("server_count")) {
                const std::string file = out(detail::technology_file("server_count", t).c_str());
                job(file, byte_raster, [&c, &count_text, generation](const std::string& path) {
                    write_raster(path, {&c.server_count}, {BandInfo{generation + " " + count_text, "count"}});
                });
            }
        }
    }
    const std::vector<ColorEntry> legend = mixed_signal_class_legend(present, language);
    const std::string title = m.format("map.signal.title", {{"model", map.model_name}, {"mode", mode},
                                                            {"height_m", m.number(map.rx_height_agl_m, 1)}});
    maps_of([&](const std::string& file) {
        job(out(file.c_str()), picture, [&](const std::string& path) { write_map_png(path, dem, map.signal_class, legend, title, labels, {}, words); });
    });
    if (want("coverage_kmz")) {
        job(out("coverage.kmz"), picture, [&](const std::string& path) { write_kmz(path, map.signal_class, class_palette, "signal class"); });
    }
    // The longest first, each worker taking the next job of the list when it is free (list scheduling): in the order
    // they were listed, the pictures came last and the whole took up to 0.30 s on 2 threads for 0.5 s of work.
    std::vector<std::size_t> order(jobs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
    std::atomic<std::size_t> next{0};
    std::mutex failed;
    std::exception_ptr error;
    const auto workers = std::min(jobs.size(), static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency())));
    tbb::task_group group;
    for (std::size_t w = 0; w < workers; ++w) {
        group.run([&] {
            for (std::size_t k = next++; k < order.size(); k = next++) {
                const std::size_t i = order[k];
                try {
                    jobs[i](written[i]);
                } catch (...) {
                    const std::lock_guard lock(failed);
                    if (!error) {
                        error = std::current_exception();
                    }
                }
            }
        });
    }
    group.wait();
    if (error) {
        std::rethrow_exception(error);
    }
    return written;
}

} // namespace coverage
