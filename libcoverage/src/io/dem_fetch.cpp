// fetch_dem: public DEM tiles over HTTP(S), checked before they enter the cache, then mosaicked and cropped.

#include <coverage/io/dem_fetch.hpp>
#include <coverage/core/error.hpp>

#include "core/text.hpp"
#include "io/file_hash.hpp"
#include "io/gdal_common.hpp"
#include "io/http_download.hpp"
#include "io/raster_writer.hpp"

#include <cpl_conv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>
#include <zlib.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace coverage {

namespace {

namespace fs = std::filesystem;

std::string default_cache_dir() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
        return std::string(xdg) + "/libcoverage/dem";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return std::string(home) + "/.cache/libcoverage/dem";
    }
    return (fs::temp_directory_path() / "libcoverage-dem").string();
}

// The grids a tile of `source` may have: {columns, rows} pairs.
std::vector<std::pair<int, int>> expected_sizes(DemSource source, const DemTile& t) {
    if (source == DemSource::srtmgl1) {
        return {{3601, 3601}, {1201, 1201}}; // 1″ and 3″ .hgt (posts on whole degrees, edges included)
    }
    // Copernicus DEM Product Handbook (GEO.2018-1988-2), "Grid spacing": 1″ in latitude everywhere; in longitude 1″
    // up to 50°, then 1.5″, 2″, 3″, 5″ and 10″ from 50, 60, 70, 80 and 85° -- by the tile's edge nearer the equator.
    const int lat = t.south_deg >= 0 ? t.south_deg : -(t.south_deg + 1);
    const int cols = lat < 50 ? 3600 : lat < 60 ? 2400 : lat < 70 ? 1800 : lat < 80 ? 1200 : lat < 85 ? 720 : 360;
    return {{cols, 3600}};
}

// Why the raster at `path` is not a good tile `t`, or "" when it is: the driver, the grid, the georeferencing, and
// every block readable.
std::string tile_problem(const std::string& path, DemSource source, const DemTile& t) {
    detail::QuietGdal quiet;
    const char* const srtm_only[] = {"SRTMHGT", nullptr};
    const char* const gtiff_only[] = {"GTiff", nullptr};
    detail::DatasetPtr ds(GDALDataset::FromHandle(GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY,
                                                             source == DemSource::srtmgl1 ? srtm_only : gtiff_only,
                                                             nullptr, nullptr)));
    if (!ds) {
        std::string start;
        if (std::ifstream in(path, std::ios::binary); in) {
            char buf[64] = {0};
            in.read(buf, sizeof buf - 1);
            start.assign(buf, static_cast<std::size_t>(in.gcount()));
        }
        const std::string low = [&] {
            std::string l;
            for (char c : start) {
                l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            return l;
        }();
        if (low.find("<html") != std::string::npos || low.find("<!doctype") != std::string::npos ||
            low.find("<?xml") != std::string::npos) {
            return "the server sent a web page, not a tile";
        }
        return std::string("not a readable ") + (source == DemSource::srtmgl1 ? "SRTM .hgt" : "GeoTIFF") +
               " tile (" + detail::last_gdal_error() + ")";
    }
    const int cols = ds->GetRasterXSize();
    const int rows = ds->GetRasterYSize();
    const auto sizes = expected_sizes(source, t);
    const std::pair<int, int>* size = nullptr;
    for (const auto& sz : sizes) {
        if (sz.first == cols && sz.second == rows) {
            size = &sz;
        }
    }
    if (size == nullptr || ds->GetRasterCount() < 1) {
        std::string want;
        for (const auto& sz : sizes) {
            want += (want.empty() ? "" : " or ") + std::to_string(sz.first) + "×" + std::to_string(sz.second);
        }
        return "its grid is " + std::to_string(cols) + "×" + std::to_string(rows) + " cells, not the source's " + want;
    }
    double gt[6];
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    if (ds->GetGeoTransform(gt) != CE_None || srs == nullptr || !srs->IsGeographic()) {
        return "it is not georeferenced in geographic coordinates";
    }
    // Posts on whole degrees: the cell centred on the tile's north-west corner is the first.
    const double dx = (source == DemSource::srtmgl1 ? 1.0 / (cols - 1) : 1.0 / cols);
    const double dy = (source == DemSource::srtmgl1 ? 1.0 / (rows - 1) : 1.0 / rows);
    const double x0 = t.west_deg - dx / 2;
    const double y0 = t.south_deg + 1 + dy / 2;
    const double tol = 0.01 * dx;
    if (std::abs(gt[0] - x0) > tol || std::abs(gt[3] - y0) > tol || std::abs(gt[1] - dx) > 1e-9 ||
        std::abs(gt[5] + dy) > 1e-9 || gt[2] != 0 || gt[4] != 0) {
        return detail::format("it is georeferenced at (%.6f, %.6f) with %.3g° × %.3g° cells, not the tile's (%.6f, %.6f) "
                      "with %.3g° × %.3g°",
                      gt[0], gt[3], gt[1], -gt[5], x0, y0, dx, dy);
    }
    // Every block: a cut-short or corrupt COG opens but fails here.
    GDALRasterBand* band = ds->GetRasterBand(1);
    std::vector<float> row_block(static_cast<std::size_t>(cols) * 64);
    for (int y = 0; y < rows; y += 64) {
        const int n = std::min(64, rows - y);
        if (band->RasterIO(GF_Read, 0, y, cols, n, row_block.data(), cols, n, GDT_Float32, 0, 0, nullptr) != CE_None) {
            return "its data cannot be read (" + detail::last_gdal_error() + ")";
        }
    }
    return {};
}

// The checksum sidecar: "sha256 <hex>\nbytes <n>\n".
struct Checksum {
    std::string sha256;
    std::uint64_t bytes = 0;
};

std::string sidecar_of(const DemTile& t) { return t.cache_path + ".sha256"; }

bool read_sidecar(const std::string& path, Checksum& c) {
    std::ifstream in(path);
    std::string key1;
    std::string key2;
    return static_cast<bool>(in >> key1 >> c.sha256 >> key2 >> c.bytes) && key1 == "sha256" && key2 == "bytes" &&
           c.sha256.size() == 64;
}

void write_text_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        throw IoError("cannot write the DEM cache file '" + path + "'");
    }
}

std::string checksum_text(const std::string& path) {
    return "sha256 " + detail::sha256_file(path) + "\nbytes " + std::to_string(fs::file_size(path)) + "\n";
}

// Why the cached copy of `t` cannot be used, or "" when it can. A tile cached by an earlier version (no sidecar)
// is checked whole with GDAL and, when good, given its sidecar.
std::string cached_tile_problem(const DemTile& t, DemSource source) {
    std::error_code ec;
    if (!fs::is_regular_file(t.cache_path, ec)) {
        return "it is not a regular file";
    }
    Checksum want;
    if (!fs::exists(sidecar_of(t), ec)) {
        if (std::string why = tile_problem(t.cache_path, source, t); !why.empty()) {
            return why;
        }
        const std::string tmp = sidecar_of(t) + ".tmp-" + std::to_string(::getpid());
        write_text_file(tmp, checksum_text(t.cache_path));
        fs::rename(tmp, sidecar_of(t), ec);
        return {};
    }
    if (!read_sidecar(sidecar_of(t), want)) {
        return "its checksum file '" + sidecar_of(t) + "' is unreadable";
    }
    const std::uint64_t bytes = fs::file_size(t.cache_path, ec);
    if (ec || bytes != want.bytes) {
        return "its size is " + std::to_string(bytes) + " bytes, not the " + std::to_string(want.bytes) + " it was stored with";
    }
    if (detail::sha256_file(t.cache_path) != want.sha256) {
        return "its SHA-256 no longer matches the one it was stored with";
    }
    return {};
}

// Decompress a gzip file with its CRC and length checked; at most `max_out` bytes.
void gunzip(const std::string& from, const std::string& to, std::uint64_t max_out, const std::string& what) {
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    if (!in || !out) {
        throw IoError(what + ": cannot decompress into the cache ('" + to + "')");
    }
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        throw IoError(what + ": zlib unavailable");
    }
    const std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&z, &inflateEnd);
    std::vector<unsigned char> ibuf(1 << 16);
    std::vector<unsigned char> obuf(1 << 18);
    std::uint64_t total = 0;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        in.read(reinterpret_cast<char*>(ibuf.data()), static_cast<std::streamsize>(ibuf.size()));
        z.next_in = ibuf.data();
        z.avail_in = static_cast<uInt>(in.gcount());
        if (z.avail_in == 0) {
            throw IoError(what + ": the gzip stream ends early (truncated); not stored");
        }
        while (z.avail_in > 0 && rc != Z_STREAM_END) {
            z.next_out = obuf.data();
            z.avail_out = static_cast<uInt>(obuf.size());
            rc = inflate(&z, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
                throw IoError(what + ": the gzip data is corrupt (" + (z.msg != nullptr ? z.msg : "zlib error " + std::to_string(rc)) +
                              "); not stored");
            }
            const std::size_t n = obuf.size() - z.avail_out;
            total += n;
            if (total > max_out) {
                throw IoError(what + ": decompresses to more than " + std::to_string(max_out) +
                              " bytes, larger than any SRTM tile; not stored");
            }
            out.write(reinterpret_cast<const char*>(obuf.data()), static_cast<std::streamsize>(n));
        }
    }
    out.close();
    if (!out) {
        throw IoError(what + ": cannot write the decompressed tile '" + to + "'");
    }
}

// A staging folder .tmp-XXXXXX in the cache, locked (flock) while this process uses it, removed when done.
class StagingFolder {
public:
    explicit StagingFolder(const std::string& cache) {
        std::string templ = cache + "/.tmp-XXXXXX";
        if (::mkdtemp(templ.data()) == nullptr) {
            throw IoError("cannot create a staging folder in the DEM cache '" + cache + "': " + detail::system_error_text(errno));
        }
        m_path = templ;
        m_lock = ::open((m_path + "/lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
        if (m_lock < 0 || ::flock(m_lock, LOCK_EX | LOCK_NB) != 0) {
            throw IoError("cannot lock the staging folder '" + m_path + "': " + detail::system_error_text(errno));
        }
    }
    ~StagingFolder() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
        if (m_lock >= 0) {
            ::close(m_lock);
        }
    }
    StagingFolder(const StagingFolder&) = delete;
    StagingFolder& operator=(const StagingFolder&) = delete;
    [[nodiscard]] const std::string& path() const noexcept { return m_path; }

private:
    std::string m_path;
    int m_lock = -1;
};

// Remove what killed runs left in the cache: .tmp-* folders whose lock nobody holds (a folder without its lock file
// yet, only when older than a minute), and sidecar temporaries and the hidden .NAME.tmp-N files of earlier versions
// older than an hour.
void remove_leftovers(const std::string& cache) {
    std::error_code ec;
    const auto now = fs::file_time_type::clock::now();
    for (fs::directory_iterator it(cache, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const std::string path = it->path().string();
        std::error_code ec2;
        const auto age = now - fs::last_write_time(path, ec2);
        if (name.rfind(".tmp-", 0) == 0 && it->is_directory(ec2)) {
            const int fd = ::open((path + "/lock").c_str(), O_RDWR | O_CLOEXEC);
            bool free = false;
            if (fd >= 0) {
                free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
                ::close(fd);
            } else {
                free = age > std::chrono::minutes(1);
            }
            if (free) {
                fs::remove_all(path, ec2);
            }
        } else if (name.find(".tmp-") != std::string::npos && it->is_regular_file(ec2) && age > std::chrono::hours(1)) {
            fs::remove(path, ec2);
        }
    }
}

// Download tile `t` into the cache: staged, checked, checksummed, then renamed into place.
void download_tile(const DemTile& t, const DemFetchOptions& o, const std::string& cache, const ProgressFn& progress) {
    const std::string what = "DEM tile " + t.name + " (" + t.url + ")";
    const StagingFolder staging(cache);
    const std::string tile_file = staging.path() + "/" + fs::path(t.cache_path).filename().string();
    detail::HttpDownloadOptions h;
    h.what = what;
    h.allow_redirects = o.allow_redirects;
    h.connect_timeout_s = o.connect_timeout_s;
    h.stall_timeout_s = o.stall_timeout_s;
    h.max_bytes = o.max_tile_bytes;
    h.progress = progress;
    if (o.source == DemSource::srtmgl1) {
        const std::string gz = staging.path() + "/download.gz";
        detail::http_download(t.url, gz, h);
        gunzip(gz, tile_file, 2ULL * 3601 * 3601, what);
        fs::remove(gz);
    } else {
        detail::http_download(t.url, tile_file, h);
    }
    if (std::string why = tile_problem(tile_file, o.source, t); !why.empty()) {
        throw IoError(what + ": the download is not a usable tile: " + why + "; not stored");
    }
    write_text_file(staging.path() + "/sidecar", checksum_text(tile_file));
    std::error_code ec;
    fs::remove(sidecar_of(t), ec); // a stale sidecar must never describe the new tile
    fs::rename(tile_file, t.cache_path, ec);
    if (!ec) {
        fs::rename(staging.path() + "/sidecar", sidecar_of(t), ec);
    }
    if (ec) {
        throw IoError("cannot store DEM tile " + t.name + " in the cache ('" + t.cache_path + "'): " + ec.message());
    }
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
            t.south_deg = lat;
            t.west_deg = lon;
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
    if (!(o.stall_timeout_s > 0) || !(o.connect_timeout_s > 0) || !std::isfinite(o.stall_timeout_s) ||
        !std::isfinite(o.connect_timeout_s)) {
        throw InvalidArgument("DEM download timeouts must be positive seconds");
    }
    std::vector<DemTile> tiles = dem_tiles(box, o);
    std::error_code ec;
    const std::string cache = fs::path(tiles.front().cache_path).parent_path().string();
    fs::create_directories(cache, ec);
    if (!fs::is_directory(cache, ec)) {
        throw IoError("cannot create the DEM cache folder '" + cache + "'");
    }
    remove_leftovers(cache);
    std::vector<GDALDatasetH> opened;
    std::vector<detail::DatasetPtr> keep;
    const double share = 0.8 / static_cast<double>(tiles.size());
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        DemTile& t = tiles[i];
        const double at = share * static_cast<double>(i);
        report(progress, at, "fetching " + t.name);
        if (fs::exists(t.cache_path, ec) || fs::is_symlink(t.cache_path, ec)) {
            const std::string why = cached_tile_problem(t, o.source);
            if (why.empty()) {
                t.cache_event = "cached";
            } else {
                t.cache_event = "downloaded again: the cached copy '" + t.cache_path + "' was bad (" + why + ")";
                fs::remove(t.cache_path, ec);
                fs::remove(sidecar_of(t), ec);
            }
        }
        if (t.cache_event != "cached") {
            download_tile(t, o, cache, scaled(progress, at, at + share));
            if (t.cache_event.empty()) {
                t.cache_event = "downloaded";
            }
        }
        detail::QuietGdal quiet;
        detail::DatasetPtr ds(GDALDataset::FromHandle(GDALOpenEx(t.cache_path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
        if (!ds) {
            throw IoError("DEM tile " + t.name + " in the cache ('" + t.cache_path + "') is not a readable raster: " +
                          detail::last_gdal_error());
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
    // The window of whole source cells that holds the box (outwards to cell edges, at least one cell): -projwin
    // with the box rounded to text could give GDAL's "negative width" for a box smaller than a cell.
    double gt[6];
    if (mosaic->GetGeoTransform(gt) != CE_None || !(gt[1] > 0.0) || !(gt[5] < 0.0)) {
        throw IoError("the DEM tiles have no north-up georeferencing: " + detail::last_gdal_error());
    }
    const int w = mosaic->GetRasterXSize();
    const int h = mosaic->GetRasterYSize();
    const auto cell = [](double v, int lo, int hi) { return static_cast<int>(std::clamp(v, static_cast<double>(lo), static_cast<double>(hi))); };
    const double eps = 1e-9; // a box edge on a cell edge (to rounding) takes no extra cell
    const int c0 = cell(std::floor((box.west_deg - gt[0]) / gt[1] + eps), 0, w - 1);
    const int c1 = cell(std::ceil((box.east_deg - gt[0]) / gt[1] - eps), c0 + 1, w);
    const int r0 = cell(std::floor((box.north_deg - gt[3]) / gt[5] + eps), 0, h - 1);
    const int r1 = cell(std::ceil((box.south_deg - gt[3]) / gt[5] - eps), r0 + 1, h);
    std::vector<std::string> args = {"-of", "MEM", "-srcwin", std::to_string(c0), std::to_string(r0), std::to_string(c1 - c0),
                                     std::to_string(r1 - r0)};
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
