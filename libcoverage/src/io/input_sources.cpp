#include "io/input_sources.hpp"

#include <coverage/core/error.hpp>

#include <cpl_conv.h>
#include <cpl_minixml.h>
#include <cpl_string.h>
#include <cpl_vsi.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <filesystem>
#include <memory>
#include <string_view>

namespace coverage::detail {

namespace {

// Local raster formats an elevation or land-cover raster comes in. Not listed, on purpose: web services (WMS, WCS,
// WMTS, ...), MEM (whose "MEM:::DATAPOINTER=" names read process memory), and anything that is a connection string.
constexpr std::array<const char*, 17> raster_drivers = {"GTiff", "VRT",    "SRTMHGT", "AAIGrid", "EHdr", "ENVI",
                                                        "HFA",   "USGSDEM", "DTED",   "netCDF",  "GPKG", "GSAG",
                                                        "GSBG",  "GS7BG",  "XYZ",     "JP2OpenJPEG", nullptr};
constexpr const char* raster_formats = "GeoTIFF, SRTM .hgt, VRT, Arc/Info ASCII, EHdr, ENVI, Erdas Imagine, USGS DEM, DTED, "
                                       "netCDF, GeoPackage, Surfer, XYZ, JPEG 2000";
// Vector formats: not OGR's VRT (which may name remote layers) nor web-service drivers (WFS, OAPIF, ...).
constexpr std::array<const char*, 11> vector_drivers = {"CSV", "GeoJSON", "GeoJSONSeq", "GPKG", "ESRI Shapefile", "FlatGeobuf",
                                                        "KML", "LIBKML",  "GML",        "GPX",  nullptr};

constexpr int max_vrt_depth = 16;
constexpr vsi_l_offset max_vrt_bytes = 64ULL << 20U;
// An extension no file has: /vsicurl/ and the handlers built on it (/vsis3/, /vsigs/, ...) then find nothing.
constexpr const char* no_network_extension = ".libcoverage-network-is-off";

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

struct XmlCloser {
    void operator()(CPLXMLNode* n) const noexcept { CPLDestroyXMLNode(n); }
};

// True when the file's first KiB says it is a VRT (as GDAL's VRT driver decides).
bool looks_like_vrt(const std::string& path) {
    VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
    if (f == nullptr) {
        return false;
    }
    char head[1025] = {0};
    const std::size_t n = VSIFReadL(head, 1, sizeof head - 1, f);
    VSIFCloseL(f);
    return std::string_view(head, n).find("<VRTDataset") != std::string_view::npos;
}

std::string text_of(const CPLXMLNode* node) {
    for (const CPLXMLNode* c = node->psChild; c != nullptr; c = c->psNext) {
        if (c->eType == CXT_Text && c->pszValue != nullptr) {
            return c->pszValue;
        }
    }
    return {};
}

class SourceWalk {
public:
    SourceWalk(std::string what, bool allow_remote) : m_what(std::move(what)), m_allow_remote(allow_remote) {}

    void check(const std::string& path, const std::string& named_by, int depth) {
        const std::string who = named_by.empty() ? m_what + " '" + path + "'"
                                                 : "'" + path + "', named as a source by VRT '" + named_by + "',";
        if (starts_with(path, "/vsistdin")) {
            throw InvalidArgument(who + " is standard input; name a file");
        }
        if (starts_with(path, "<")) {
            throw InvalidArgument(who + " is a dataset described inline as XML, which is not read here; name a file");
        }
        if (is_remote_path(path)) {
            if (!m_allow_remote) {
                throw InvalidArgument(who + " is on the network; rasters are read from local files only unless remote "
                                            "reading is allowed (covtool --allow-remote, study key terrain.allow_remote)");
            }
            add(path);
            return;
        }
        if (starts_with(path, "vrt://")) { // GDAL's "vrt://file?options" connection string: the file is what is read
            const std::string inner = path.substr(6, path.find('?') == std::string::npos ? std::string::npos : path.find('?') - 6);
            check(inner, named_by.empty() ? path : named_by, depth + 1);
            return;
        }
        VSIStatBufL st;
        if (VSIStatExL(path.c_str(), &st, VSI_STAT_EXISTS_FLAG | VSI_STAT_NATURE_FLAG | VSI_STAT_SIZE_FLAG) != 0) {
            throw IoError(who + " does not exist");
        }
        if (VSI_ISDIR(st.st_mode)) {
            throw IoError(who + " is a folder, not a raster file");
        }
        std::string key = path;
        if (!starts_with(path, "/vsi")) {
            std::error_code ec;
            if (!std::filesystem::is_regular_file(path, ec)) {
                throw IoError(who + " is not a regular file (a device, pipe or socket cannot be read as a raster)");
            }
            key = std::filesystem::weakly_canonical(path, ec).string();
        }
        if (std::find(m_stack.begin(), m_stack.end(), key) != m_stack.end()) {
            std::string chain;
            for (const std::string& s : m_stack) {
                chain += s + " → ";
            }
            throw InvalidArgument("VRT '" + named_by + "' reaches itself through its sources (" + chain + key + ")");
        }
        add(path);
        if (!looks_like_vrt(path)) {
            return;
        }
        if (depth >= max_vrt_depth) {
            throw InvalidArgument(who + " is a VRT nested more than " + std::to_string(max_vrt_depth) + " levels deep");
        }
        if (static_cast<vsi_l_offset>(st.st_size) > max_vrt_bytes) {
            throw InvalidArgument(who + " is a VRT of " + std::to_string(st.st_size >> 20U) + " MiB, more than the " +
                                  std::to_string(max_vrt_bytes >> 20U) + " MiB a VRT may be here");
        }
        std::unique_ptr<CPLXMLNode, XmlCloser> root;
        {
            QuietGdal quiet;
            root.reset(CPLParseXMLFile(path.c_str()));
            if (!root) {
                throw IoError(who + " is not a valid VRT: " + last_gdal_error());
            }
        }
        m_stack.push_back(key);
        const std::string dir = CPLGetPath(path.c_str());
        walk(root.get(), path, dir, who, depth);
        m_stack.pop_back();
    }

    [[nodiscard]] std::vector<std::string> files() && { return std::move(m_files); }

private:
    void add(const std::string& path) {
        if (std::find(m_files.begin(), m_files.end(), path) == m_files.end()) {
            m_files.push_back(path);
        }
    }

    void walk(const CPLXMLNode* node, const std::string& vrt, const std::string& dir, const std::string& who, int depth) {
        for (const CPLXMLNode* n = node; n != nullptr; n = n->psNext) {
            if (n->eType != CXT_Element) {
                continue;
            }
            if (EQUAL(n->pszValue, "SourceFilename") || EQUAL(n->pszValue, "SourceDataset")) {
                const std::string name = text_of(n);
                const bool relative = CPLTestBool(CPLGetXMLValue(n, "relativeToVRT", "0")) && !name.empty() && name.front() != '/' &&
                                      !is_remote_path(name) && !starts_with(name, "vrt://");
                check(relative ? std::string(CPLFormFilename(dir.c_str(), name.c_str(), nullptr)) : name, vrt, depth + 1);
            } else if (EQUAL(n->pszValue, "PixelFunctionLanguage") && EQUAL(text_of(n).c_str(), "Python")) {
                throw InvalidArgument(who + " computes its pixels with Python code, which is not run here");
            }
            walk(n->psChild, vrt, dir, who, depth);
        }
    }

    std::string m_what;
    bool m_allow_remote;
    std::vector<std::string> m_files;
    std::vector<std::string> m_stack;
};

// A text format (CSV, GeoJSON, KML, GML, GPX) holds no NUL byte; OGR would cut the line there and report a field as
// missing ("no position"). Say where the byte is instead.
void refuse_nul_bytes(const std::string& path, const std::string& what) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static constexpr std::array<std::string_view, 8> text = {".csv", ".geojson", ".json", ".geojsonl", ".kml", ".gml", ".gpx", ".txt"};
    if (std::find(text.begin(), text.end(), ext) == text.end()) {
        return;
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<char> buf(1 << 16);
    std::uint64_t line = 1;
    std::uint64_t column = 1;
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        for (std::size_t i = 0; i < n; ++i) {
            if (buf[i] == '\0') {
                throw IoError(what + " '" + path + "' has a NUL byte at line " + std::to_string(line) + ", byte " +
                              std::to_string(column) + ": a " + ext.substr(1) + " file holds text only (is it the file meant?)");
            }
            if (buf[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
    }
}

} // namespace

bool is_remote_path(const std::string& path) {
    static constexpr std::array<std::string_view, 10> handlers = {"/vsicurl", "/vsis3", "/vsigs", "/vsiaz", "/vsiadls",
                                                                  "/vsioss",  "/vsiswift", "/vsiwebhdfs", "/vsihdfs", "/vsicrypt"};
    for (std::string_view h : handlers) {
        if (path.find(h) != std::string::npos) {
            return true;
        }
    }
    const std::size_t scheme = path.find("://");
    return scheme != std::string::npos && !starts_with(path, "vrt://");
}

InputRaster open_input_raster(const std::string& path, const std::string& what, bool allow_remote) {
    register_gdal();
    SourceWalk walk(what, allow_remote);
    walk.check(path, "", 0);
    InputRaster out;
    out.files = std::move(walk).files();
    NetworkGuard guard(allow_remote);
    QuietGdal quiet;
    out.ds.reset(GDALDataset::FromHandle(
        GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, raster_drivers.data(), nullptr, nullptr)));
    if (!out.ds) {
        std::string why = last_gdal_error();
        if (why == "unknown GDAL error") { // no listed driver took it, and GDAL said nothing: say what we know
            VSIStatBufL st;
            why = !is_remote_path(path) && VSIStatL(path.c_str(), &st) == 0 && st.st_size == 0
                      ? "the file is empty"
                      : std::string("no raster format GDAL knows recognises its contents (read here: ") + raster_formats + ")";
        }
        throw IoError("cannot open " + what + " '" + path + "' as a raster: " + why);
    }
    return out;
}

DatasetPtr open_input_vector(const std::string& path, const std::string& what) {
    register_gdal();
    if (is_remote_path(path) || starts_with(path, "/vsistdin")) {
        throw IoError(what + " '" + path + "' is not a local file; vector layers are read from local files only");
    }
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw IoError(what + " '" + path + "' does not exist");
    }
    // A pipe or device would block the reads below (or never end): only files and folders (of shapefiles) are layers.
    if (!std::filesystem::is_regular_file(path, ec) && !std::filesystem::is_directory(path, ec)) {
        throw IoError(what + " '" + path + "' is not a regular file (a device, pipe or socket cannot be read as a vector layer)");
    }
    refuse_nul_bytes(path, what);
    NetworkGuard guard(false);
    QuietGdal quiet;
    // NATIVE_DATA: the GeoJSON driver keeps each feature's JSON, where a boolean can still be told from a number.
    const char* const open_options[] = {"NATIVE_DATA=YES", nullptr};
    DatasetPtr ds(GDALDataset::FromHandle(
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, vector_drivers.data(), open_options, nullptr)));
    if (!ds || ds->GetLayerCount() < 1) {
        std::string why = last_gdal_error();
        if (why == "unknown GDAL error") {
            why = "not in a vector format read here (CSV, GeoJSON, GeoPackage, Shapefile, FlatGeobuf, KML, GML, GPX)";
        }
        throw IoError("cannot open " + what + " '" + path + "' as CSV, GeoJSON or GeoPackage: " + why);
    }
    return ds;
}

NetworkGuard::NetworkGuard(bool allow_remote)
    : m_key(allow_remote ? "GDAL_DISABLE_READDIR_ON_OPEN" : "CPL_VSIL_CURL_ALLOWED_EXTENSIONS") {
    if (const char* v = CPLGetThreadLocalConfigOption(m_key, nullptr)) {
        m_saved = v;
        m_had = true;
    }
    CPLSetThreadLocalConfigOption(m_key, allow_remote ? "EMPTY_DIR" : no_network_extension);
}

NetworkGuard::~NetworkGuard() { CPLSetThreadLocalConfigOption(m_key, m_had ? m_saved.c_str() : nullptr); }

} // namespace coverage::detail
