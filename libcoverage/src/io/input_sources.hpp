// Private: where input rasters and vector layers may come from. GDAL can read far more than files -- URLs
// (/vsicurl/, /vsis3/, ...), web services (WMS, WCS), other datasets named inside a VRT, even memory addresses (MEM:::)
// -- so inputs are opened only through these functions: local files by default, in formats from a fixed list, and a
// VRT only after every file it names has been checked the same way.
#ifndef COVERAGE_SRC_IO_INPUT_SOURCES_HPP
#define COVERAGE_SRC_IO_INPUT_SOURCES_HPP

#include "io/gdal_common.hpp"

#include <string>
#include <vector>

namespace coverage::detail {

/** True for a path GDAL would read over the network: a URL, or a /vsicurl/, /vsis3/, /vsigs/, /vsiaz/, ... path. */
[[nodiscard]] bool is_remote_path(const std::string& path);

/** A raster opened by open_input_raster, with every file it reads. */
struct InputRaster {
    DatasetPtr ds;
    /// The path itself, then (for a VRT) each file it names, depth first, each once; remote ones as given.
    std::vector<std::string> files;
};

/**
 * Open an input raster (`what` names it in errors: "DEM", "land-cover raster"). Refused, before GDAL sees the file:
 * a remote path unless `allow_remote`; /vsistdin/; a missing file or a folder; a format outside the list of local
 * raster formats (GeoTIFF, SRTM .hgt, VRT, Arc/Info ASCII, EHdr, ENVI, Erdas, USGS DEM, DTED, netCDF, GeoPackage,
 * Surfer, XYZ, JPEG 2000). A VRT is read as XML first: each source it names, nested VRTs included, is checked by the
 * same rules; a VRT that reaches itself, nests deeper than 16 levels, embeds a dataset as inline XML, or runs Python
 * is refused. While GDAL reads the VRT's sources later, /vsicurl/ is kept shut on this thread unless `allow_remote`.
 * @throws IoError or InvalidArgument naming the file (and the VRT that named it) and the reason.
 */
[[nodiscard]] InputRaster open_input_raster(const std::string& path, const std::string& what, bool allow_remote);

/**
 * Open an input vector layer file (CSV, GeoJSON, GeoPackage, Shapefile, FlatGeobuf, KML, GML, GPX): local files
 * only; OGR's VRT and the web-service drivers are not on the list.
 * @throws IoError naming the file.
 */
[[nodiscard]] DatasetPtr open_input_vector(const std::string& path, const std::string& what);

/**
 * For its lifetime, GDAL on this thread opens nothing over the network: /vsicurl/ and the cloud handlers built on it
 * find no file (CPL_VSIL_CURL_ALLOWED_EXTENSIONS is set to an extension no file has). With `allow_remote` they are
 * open, and GDAL lists no folders while opening (GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR), so a remote raster costs
 * no listing and no probing for sidecar files (it must carry its georeferencing inside, as GeoTIFFs do). Wraps every
 * GDAL call that may open a VRT's sources (opening, warping, reading).
 */
class NetworkGuard {
public:
    explicit NetworkGuard(bool allow_remote);
    ~NetworkGuard();
    NetworkGuard(const NetworkGuard&) = delete;
    NetworkGuard& operator=(const NetworkGuard&) = delete;

private:
    const char* m_key;
    std::string m_saved;
    bool m_had = false;
};

} // namespace coverage::detail

#endif
