// fetch_dem: public DEM tiles over HTTP(S) through GDAL's /vsicurl/, cached, mosaicked and cropped.

#include <coverage/io/dem_fetch.hpp>
#include <coverage/core/error.hpp>

#include "core/atomic_file_detail.hpp"
#include "io/gdal_common.hpp"
#include "io/raster_writer.hpp"

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <gdal_utils.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace coverage {

namespace {

std::string default_cache_dir() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
        return std::string(xdg) + "/libcoverage/dem";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return std::string(home) + "/.cache/libcoverage/dem";
    }
    return (std::filesystem::temp_directory_path() / "libcoverage-dem").string();
}

// Sets GDAL configuration options for the current thread, restoring them on exit.
class ScopedConfig {
public:
    ScopedConfig(const char* key, const char* value) : m_key(key) {
        const char* old = CPLGetThreadLocalConfigOption(key, nullptr);
        if (old != nullptr) {
            m_old = old;
            m_had = true;
        }
        CPLSetThreadLocalConfigOption(key, value);
    }
    ~ScopedConfig() { CPLSetThreadLocalConfigOption(m_key, m_had ? m_old.c_str() : nullptr); }
    ScopedConfig(const ScopedConfig&) = delete;
    ScopedConfig& operator=(const ScopedConfig&) = delete;

private:
    const char* m_key;
    std::string m_old;
    bool m_had = false;
};

// Copy `source` (a VSI path such as /vsicurl/... or /vsigzip//vsicurl/...) into `target`, atomically.
void download(const DemTile& tile, const std::string& source) {
    const std::string where = "DEM tile " + tile.name + " (" + tile.url + ")";
    detail::QuietGdal quiet;
    VSIStatBufL st;
    const std::string remote = "/vsicurl/" + tile.url;
    if (VSIStatExL(remote.c_str(), &st, VSI_STAT_EXISTS_FLAG) != 0) {
        throw IoError(where + " is missing or cannot be reached: " + detail::last_gdal_error());
    }
    VSILFILE* in = VSIFOpenL(source.c_str(), "rb");
    if (in == nullptr) {
        throw IoError(where + ": download failed: " + detail::last_gdal_error());
    }
    const std::string tmp = detail::temporary_sibling(tile.cache_path);
    std::FILE* out = std::fopen(tmp.c_str(), "wb");
    if (out == nullptr) {
        VSIFCloseL(in);
        throw IoError("cannot write the DEM cache file '" + tmp + "'");
    }
    std::vector<char> buf(1 << 20);
    bool ok = true;
    std::size_t total = 0;
    while (true) {
        const std::size_t n = VSIFReadL(buf.data(), 1, buf.size(), in);
        if (n > 0 && std::fwrite(buf.data(), 1, n, out) != n) {
            ok = false;
            break;
        }
        total += n;
        if (n < buf.size()) {
            ok = VSIFEofL(in) != 0 || CPLGetLastErrorType() < CE_Failure;
            break;
        }
    }
    VSIFCloseL(in);
    ok = (std::fclose(out) == 0) && ok && total > 0;
    if (!ok) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw IoError(where + ": download failed or was cut short: " + detail::last_gdal_error());
    }
    detail::commit_file(tmp, tile.cache_path);
}

} // namespace

const char* to_string(DemSource s) noexcept { return s == DemSource::srtmgl1 ? "srtmgl1" : "copernicus-glo30"; }

DemSource dem_source_from(const std::string& name) {
    if (name == "copernicus-glo30") {
        return DemSource::copernicus_glo30;
    }
    if (name == "srtmgl1") {
        return DemSource::srtmgl1;
    }
    throw InvalidArgument("unknown DEM source '" + name + "' (known: copernicus-glo30, srtmgl1)");
}

std::vector<DemTile> dem_tiles(const GeoBox& b, const DemFetchOptions& o) {
    if (!(b.south_deg < b.north_deg) || !(b.west_deg < b.east_deg) || b.south_deg < -90 || b.north_deg > 90 ||
        b.west_deg < -180 || b.east_deg > 180) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "S %.4f, W %.4f, N %.4f, E %.4f", b.south_deg, b.west_deg, b.north_deg, b.east_deg);
        throw InvalidArgument(std::string("DEM box must have south < north and west < east within ±90/±180 (got ") + buf + ")");
    }
    const std::string cache = o.cache_dir.empty() ? default_cache_dir() : o.cache_dir;
    std::string base = o.base_url;
    if (base.empty()) {
        base = o.source == DemSource::copernicus_glo30 ? "https://copernicus-dem-30m.s3.amazonaws.com"
                                                       : "https://s3.amazonaws.com/elevation-tiles-prod/skadi";
    }
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    std::vector<DemTile> tiles;
    const int lat0 = static_cast<int>(std::floor(b.south_deg));
    const int lat1 = static_cast<int>(std::ceil(b.north_deg)) - 1;
    const int lon0 = static_cast<int>(std::floor(b.west_deg));
    const int lon1 = static_cast<int>(std::ceil(b.east_deg)) - 1;
    for (int lat = lat0; lat <= lat1; ++lat) {
        for (int lon = lon0; lon <= lon1; ++lon) {
            char ns = lat >= 0 ? 'N' : 'S';
            char ew = lon >= 0 ? 'E' : 'W';
            char buf[128];
            DemTile t;
            if (o.source == DemSource::copernicus_glo30) {
                std::snprintf(buf, sizeof buf, "Copernicus_DSM_COG_10_%c%02d_00_%c%03d_00_DEM", ns, std::abs(lat), ew, std::abs(lon));
                t.name = buf;
                t.url = base + "/" + t.name + "/" + t.name + ".tif";
                t.cache_path = cache + "/" + t.name + ".tif";
            } else {
                std::snprintf(buf, sizeof buf, "%c%02d%c%03d", ns, std::abs(lat), ew, std::abs(lon));
                t.name = buf;
                t.url = base + "/" + t.name.substr(0, 3) + "/" + t.name + ".hgt.gz";
                t.cache_path = cache + "/" + t.name + ".hgt";
            }
            tiles.push_back(t);
        }
    }
    return tiles;
}

std::vector<DemTile> fetch_dem(const GeoBox& box, const DemFetchOptions& o, const std::string& output,
                               const ProgressFn& progress) {
    detail::register_gdal();
    const std::vector<DemTile> tiles = dem_tiles(box, o);
    std::error_code ec;
    const std::string cache = std::filesystem::path(tiles.front().cache_path).parent_path().string();
    std::filesystem::create_directories(cache, ec);
    if (!std::filesystem::is_directory(cache, ec)) {
        throw IoError("cannot create the DEM cache folder '" + cache + "'");
    }
    // Plain HTTP(S) gets: no directory listing, no retries that hide a missing tile, a bounded wait.
    const ScopedConfig listing("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
    const ScopedConfig timeout("GDAL_HTTP_TIMEOUT", "120");
    const ScopedConfig retries("GDAL_HTTP_MAX_RETRY", "2");
    std::vector<GDALDatasetH> opened;
    std::vector<detail::DatasetPtr> keep;
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const DemTile& t = tiles[i];
        report(progress, 0.8 * static_cast<double>(i) / static_cast<double>(tiles.size()), "fetching " + t.name);
        if (!std::filesystem::exists(t.cache_path, ec)) {
            download(t, o.source == DemSource::srtmgl1 ? "/vsigzip//vsicurl/" + t.url : "/vsicurl/" + t.url);
        }
        detail::QuietGdal quiet;
        detail::DatasetPtr ds(GDALDataset::FromHandle(GDALOpenEx(t.cache_path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
        if (!ds) {
            throw IoError("DEM tile " + t.name + " in the cache ('" + t.cache_path + "') is not a readable raster: " +
                          detail::last_gdal_error() + "; delete it to download it again");
        }
        opened.push_back(GDALDataset::ToHandle(ds.get()));
        keep.push_back(std::move(ds));
    }
    report(progress, 0.85, "mosaicking");
    detail::QuietGdal quiet;
    int usage_error = 0;
    detail::DatasetPtr mosaic(GDALDataset::FromHandle(GDALBuildVRT("", static_cast<int>(opened.size()), opened.data(), nullptr, nullptr, &usage_error)));
    if (!mosaic) {
        throw IoError("cannot mosaic the DEM tiles: " + detail::last_gdal_error());
    }
    std::vector<std::string> args = {"-of", "MEM", "-projwin", std::to_string(box.west_deg), std::to_string(box.north_deg),
                                     std::to_string(box.east_deg), std::to_string(box.south_deg)};
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    GDALTranslateOptions* topts = GDALTranslateOptionsNew(argv.data(), nullptr);
    detail::DatasetPtr cropped(GDALDataset::FromHandle(GDALTranslate("", GDALDataset::ToHandle(mosaic.get()), topts, &usage_error)));
    GDALTranslateOptionsFree(topts);
    if (!cropped) {
        throw IoError("cannot crop the DEM mosaic: " + detail::last_gdal_error());
    }
    cropped->SetMetadataItem("SOURCE", to_string(o.source));
    std::string names;
    for (const auto& t : tiles) {
        names += (names.empty() ? "" : " ") + t.name;
    }
    cropped->SetMetadataItem("TILES", names.c_str());
    detail::save_as(*cropped, output, "COG", {"COMPRESS=DEFLATE", "PREDICTOR=2", "OVERVIEWS=NONE"});
    report(progress, 1.0, "DEM ready");
    return tiles;
}

} // namespace coverage
