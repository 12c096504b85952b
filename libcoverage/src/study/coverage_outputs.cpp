#include <coverage/study/coverage_outputs.hpp>
#include <coverage/core/error.hpp>
#include <coverage/report/map_render.hpp>
#include <coverage/io/raster_io.hpp>

#include "radio/technology_files.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

namespace coverage {

namespace {

std::string sector_label(const Sector& s) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "sector %s (%s %.0f MHz, %.0f m)", s.sector_id.c_str(),
                  s.technology == Technology::lte ? "LTE" : "UMTS", s.freq_mhz, s.height_agl_m);
    return buf;
}

} // namespace

std::vector<std::string> write_coverage_outputs(const CoverageMap& map, const Dem& dem, const CoverageOptions& options,
                                                const std::string& folder) {
    namespace fs = std::filesystem;
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
    const std::string mode = to_string(map.mode);
    char rx_height[32];
    std::snprintf(rx_height, sizeof rx_height, "%.1f", map.rx_height_agl_m);

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
        write_raster(out("visible.tif"), bands, info);
        written.push_back(out("visible.tif"));
        const std::vector<ColorEntry> palette = {{1, 26, 152, 80, 255, "visible"}, {0, 215, 48, 39, 255, "hidden"}};
        write_map_png(out("coverage.png"), dem, any, palette, "LINE OF SIGHT (" + mode + ")", labels);
        written.push_back(out("coverage.png"));
        write_kmz(out("coverage.kmz"), any, palette, "line of sight");
        written.push_back(out("coverage.kmz"));
        return written;
    }

    {
        std::vector<const Raster<float>*> bands;
        std::vector<BandInfo> info;
        for (std::size_t i = 0; i < map.path_loss_db.size(); ++i) {
            bands.push_back(&map.path_loss_db[i]);
            info.push_back(BandInfo{"basic transmission loss, " + map.model_name + " (" + mode + "), " + sector_label(map.sectors[i]), "dB"});
        }
        write_raster(out("path_loss_db.tif"), bands, info);
        written.push_back(out("path_loss_db.tif"));
    }
    const auto has = [&](Technology t) {
        return std::any_of(map.sectors.begin(), map.sectors.end(), [&](const Sector& s) { return s.technology == t; });
    };
    const bool mixed = has(Technology::lte) && has(Technology::umts);
    const std::string count_text = "sectors at or above " + std::to_string(static_cast<int>(options.server_threshold_dbm)) + " dBm";
    write_raster(out("signal_dbm.tif"), {&map.signal_dbm},
                 {BandInfo{mixed ? "best-server signal: RSRP where the best server is an LTE sector, RSCP where it is a UMTS "
                                   "sector (best = better signal class, then margin; see signal_4g_rsrp_dbm.tif and "
                                   "signal_3g_rscp_dbm.tif for each technology alone)"
                                 : "best-server signal: RSRP for LTE sectors, RSCP for UMTS sectors",
                           "dBm"}});
    written.push_back(out("signal_dbm.tif"));
    write_raster(out("best_server.tif"), map.best_server, BandInfo{"best server: index of the sector (see colour table names)", ""},
                 server_palette(ids));
    written.push_back(out("best_server.tif"));
    // Classes by each technology's thresholds: the legend names both where both are present.
    const std::vector<ColorEntry> class_palette =
        mixed                    ? mixed_signal_class_palette(options.lte_thresholds, options.umts_thresholds)
        : has(Technology::umts) ? signal_class_palette(options.umts_thresholds, "RSCP")
                                 : signal_class_palette(options.lte_thresholds, "RSRP");
    write_raster(out("signal_class.tif"), {&map.signal_class}, {BandInfo{"signal class of the best server", ""}}, class_palette);
    written.push_back(out("signal_class.tif"));
    write_raster(out("server_count.tif"), {&map.server_count}, {BandInfo{count_text, "count"}});
    written.push_back(out("server_count.tif"));
    if (mixed) {
        // Each technology on its own, as the study writes them: 4G RSRP and 3G RSCP are separate services.
        for (const Technology t : {Technology::lte, Technology::umts}) {
            const Composite c = combine_sectors(map, dem, options, t);
            const std::string generation = generation_name(t);
            const std::string measure = signal_measure_name(t);
            const std::string signal = out(detail::signal_file(t).c_str());
            const std::string best = out(detail::technology_file("best_server", t).c_str());
            const std::string classes = out(detail::technology_file("signal_class", t).c_str());
            const std::string count = out(detail::technology_file("server_count", t).c_str());
            write_raster(signal, {&c.signal_dbm}, {BandInfo{generation + " best-server " + measure, "dBm"}});
            write_raster(best, c.best_server, BandInfo{generation + " best server: index of the sector (see colour table names)", ""},
                         server_palette(ids));
            write_raster(classes, {&c.signal_class}, {BandInfo{generation + " signal class of the best server", ""}},
                         signal_class_palette(t == Technology::lte ? options.lte_thresholds : options.umts_thresholds, measure));
            write_raster(count, {&c.server_count}, {BandInfo{generation + " " + count_text, "count"}});
            written.insert(written.end(), {signal, best, classes, count});
        }
    }
    write_map_png(out("coverage.png"), dem, map.signal_class, class_palette,
                  "SIGNAL (" + map.model_name + ", " + mode + ", RECEIVER " + std::string(rx_height) + " M ABOVE GROUND)",
                  labels);
    written.push_back(out("coverage.png"));
    write_kmz(out("coverage.kmz"), map.signal_class, class_palette, "signal class");
    written.push_back(out("coverage.kmz"));
    return written;
}

} // namespace coverage
