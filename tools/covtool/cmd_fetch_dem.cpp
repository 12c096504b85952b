// covtool fetch-dem: download the public DEM tiles covering an area, mosaic and crop them.

#include "commands.hpp"
#include "terminal.hpp"

#include <coverage/io/dem_fetch.hpp>
#include <coverage/core/error.hpp>

#include <cstdio>
#include <memory>
#include <string>

namespace covtool {

namespace {

struct FetchOptions {
    std::string bbox;
    std::string source = "copernicus-glo30";
    std::string out;
    std::string cache_dir;
    std::string base_url;
    bool allow_redirects = false;
    double stall_timeout_s = 30;
};

coverage::GeoBox parse_bbox(const std::string& text) {
    const std::vector<double> v = parse_decimals(text, 4, "--bbox", "S,W,N,E in decimal degrees");
    return coverage::GeoBox{.south_deg = v[0], .west_deg = v[1], .north_deg = v[2], .east_deg = v[3]};
}

int run_fetch(const FetchOptions& o) {
    coverage::DemFetchOptions f;
    f.source = coverage::dem_source_from(o.source);
    f.cache_dir = o.cache_dir;
    f.base_url = o.base_url;
    f.allow_redirects = o.allow_redirects;
    f.stall_timeout_s = o.stall_timeout_s;
    const coverage::GeoBox box = parse_bbox(o.bbox);
    ProgressBar bar("fetch-dem");
    const auto tiles = coverage::fetch_dem(box, f, o.out, bar.callback());
    bar.finish();
    std::printf("covtool fetch-dem: %zu tile%s (%s), cropped to S %.4f W %.4f N %.4f E %.4f\n", tiles.size(),
                tiles.size() == 1 ? "" : "s", coverage::to_string(f.source), box.south_deg, box.west_deg, box.north_deg,
                box.east_deg);
    for (const auto& t : tiles) {
        std::printf("  %s  %s  (cache: %s)\n", t.name.c_str(), t.cache_event.c_str(), t.cache_path.c_str());
    }
    std::printf("  wrote %s\n", o.out.c_str());
    return 0;
}

} // namespace

void register_fetch_dem(CLI::App& app, Action& action) {
    auto o = std::make_shared<FetchOptions>();
    CLI::App* cmd = app.add_subcommand("fetch-dem", "Download, cache, mosaic and crop public DEM tiles for an area");
    cmd->add_option("--bbox", o->bbox, "area S,W,N,E in decimal degrees (WGS84)")->required();
    cmd->add_option("--source", o->source, "copernicus-glo30 (Copernicus DEM, ~30 m) or srtmgl1 (SRTM 1 arc-second)")
        ->check(CLI::IsMember({"copernicus-glo30", "srtmgl1"}))
        ->capture_default_str();
    cmd->add_option("-o,--out", o->out, "output GeoTIFF (geographic WGS84)")->required();
    cmd->add_option("--cache-dir", o->cache_dir, "where tiles are kept [default: $XDG_CACHE_HOME/libcoverage/dem or ~/.cache/libcoverage/dem]");
    cmd->add_option("--base-url", o->base_url, "tile server [default: the source's public AWS open-data address]");
    cmd->add_flag("--allow-redirects", o->allow_redirects,
                  "follow the server's redirects to other hosts too (by default only within the same scheme, host and port)");
    cmd->add_option("--stall-timeout-s", o->stall_timeout_s, "abandon a download when the server sends nothing for this long")
        ->check(CLI::Range(0.5, 3600.0))
        ->capture_default_str();
    cmd->callback([o, &action] { action = [o] { return run_fetch(*o); }; });
}

} // namespace covtool
