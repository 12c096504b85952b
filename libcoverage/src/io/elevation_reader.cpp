// read_dem: the only place that reads elevation rasters through GDAL.

#include <coverage/io/elevation_reader.hpp>
#include <coverage/core/error.hpp>

#include "core/text.hpp"
#include "io/gdal_common.hpp"
#include "io/input_sources.hpp"
#include <coverage/io/crs_transform.hpp>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace coverage {

namespace {

using detail::DatasetPtr;
using detail::last_gdal_error;
using detail::QuietGdal;
using detail::register_gdal;

struct Source {
    std::string path;
    DatasetPtr ds;
    std::vector<std::string> files; // the path, and a VRT's sources
    std::size_t void_cells = 0;
    GeoBox extent{};
};

// Bridge a ProgressFn to GDAL's C callback; remembers whether the user cancelled.
struct ProgressBridge {
    const ProgressFn* fn = nullptr;
    double lo = 0.0;
    double hi = 1.0;
    std::atomic<bool> cancelled{false};

    static int CPL_STDCALL call(double fraction, const char* /*message*/, void* self) {
        auto* b = static_cast<ProgressBridge*>(self);
        if (b->fn == nullptr || !*b->fn) {
            return TRUE;
        }
        if (!(*b->fn)(b->lo + (b->hi - b->lo) * fraction, "reading terrain")) {
            b->cancelled = true;
            return FALSE;
        }
        return TRUE;
    }
};

std::unique_ptr<OGRCoordinateTransformation> to_wgs84(const OGRSpatialReference& srs) {
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference src(srs);
    src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return std::unique_ptr<OGRCoordinateTransformation>(OGRCreateCoordinateTransformation(&src, &wgs84));
}

// An in-memory Int16 copy of a signed-byte raster, values and no-data value read as −128..127.
DatasetPtr signed_bytes_as_int16(GDALDataset* src, const std::string& path) {
    const int w = src->GetRasterXSize();
    const int h = src->GetRasterYSize();
    QuietGdal quiet;
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    DatasetPtr out(mem->Create("", w, h, 1, GDT_Int16, nullptr));
    double gt[6];
    if (!out || src->GetGeoTransform(gt) != CE_None || out->SetGeoTransform(gt) != CE_None ||
        out->SetSpatialRef(src->GetSpatialRef()) != CE_None) {
        throw IoError("cannot read the signed bytes of DEM '" + path + "': " + last_gdal_error());
    }
    GDALRasterBand* in_band = src->GetRasterBand(1);
    GDALRasterBand* out_band = out->GetRasterBand(1);
    int has_nodata = 0;
    const double nodata = in_band->GetNoDataValue(&has_nodata);
    if (has_nodata != 0) {
        out_band->SetNoDataValue(nodata > 127.0 ? nodata - 256.0 : nodata);
    }
    std::vector<std::uint8_t> raw(static_cast<std::size_t>(w));
    std::vector<std::int16_t> row(static_cast<std::size_t>(w));
    for (int r = 0; r < h; ++r) {
        if (in_band->RasterIO(GF_Read, 0, r, w, 1, raw.data(), w, 1, GDT_Byte, 0, 0) != CE_None) {
            throw IoError("cannot read row " + std::to_string(r) + " of DEM '" + path + "': " + last_gdal_error());
        }
        std::transform(raw.begin(), raw.end(), row.begin(),
                       [](std::uint8_t v) { return static_cast<std::int16_t>(static_cast<std::int8_t>(v)); });
        if (out_band->RasterIO(GF_Write, 0, r, w, 1, row.data(), w, 1, GDT_Int16, 0, 0) != CE_None) {
            throw IoError("cannot copy the signed bytes of DEM '" + path + "': " + last_gdal_error());
        }
    }
    return out;
}

Source open_source(const std::string& path, bool allow_remote, std::size_t max_examples, std::vector<GeoPoint>& examples,
                   std::uint64_t max_cells, const ProgressFn& progress, double lo, double hi) {
    Source s;
    s.path = path;
    detail::InputRaster opened = detail::open_input_raster(path, "DEM", allow_remote);
    s.ds = std::move(opened.ds);
    s.files = std::move(opened.files);
    if (s.ds->GetRasterCount() < 1) {
        throw IoError("DEM '" + path + "' has no raster band");
    }
    const OGRSpatialReference* srs = s.ds->GetSpatialRef();
    if (srs == nullptr || srs->IsEmpty()) {
        throw InvalidArgument("DEM '" + path + "' has no coordinate reference system");
    }
    double gt[6];
    if (s.ds->GetGeoTransform(gt) != CE_None) {
        throw InvalidArgument("DEM '" + path + "' has no georeferencing (geotransform)");
    }
    const auto ct = to_wgs84(*srs);
    if (!ct) {
        throw InvalidArgument("DEM '" + path + "': cannot transform its CRS to WGS84");
    }
    const int w = s.ds->GetRasterXSize();
    const int h = s.ds->GetRasterYSize();
    // Every cell is read below (voids counted): a small file may declare a huge raster (a VRT of 200000² cells).
    if (static_cast<double>(w) * static_cast<double>(h) > static_cast<double>(max_cells)) {
        throw InvalidArgument(detail::format("DEM '%s' declares %d × %d = %.3g cells, more than the %.3g cells a DEM source may "
                                     "have here; cut it to the area first (gdal_translate -projwin)",
                                     path.c_str(), w, h, static_cast<double>(w) * h, static_cast<double>(max_cells)));
    }

    // GDAL 3.6 reads a band of signed bytes as 0..255 (GDT_Int8 came with 3.7): −56 m would be read as 200 m.
    if (GDALRasterBand* b = s.ds->GetRasterBand(1); b->GetRasterDataType() == GDT_Byte) {
        const char* type = b->GetMetadataItem("PIXELTYPE", "IMAGE_STRUCTURE");
        if (type != nullptr && EQUAL(type, "SIGNEDBYTE")) {
            s.ds = signed_bytes_as_int16(s.ds.get(), path);
        }
    }

    // Geographic extent (corners and edge midpoints).
    s.extent = GeoBox{.south_deg = 90, .west_deg = 180, .north_deg = -90, .east_deg = -180};
    for (double fc : {0.0, 0.5, 1.0}) {
        for (double fr : {0.0, 0.5, 1.0}) {
            double x = gt[0] + fc * w * gt[1] + fr * h * gt[2];
            double y = gt[3] + fc * w * gt[4] + fr * h * gt[5];
            if (ct->Transform(1, &x, &y)) {
                s.extent.west_deg = std::min(s.extent.west_deg, x);
                s.extent.east_deg = std::max(s.extent.east_deg, x);
                s.extent.south_deg = std::min(s.extent.south_deg, y);
                s.extent.north_deg = std::max(s.extent.north_deg, y);
            }
        }
    }

    // Count voids row by row.
    GDALRasterBand* band = s.ds->GetRasterBand(1);
    int has_nodata = 0;
    const double nodata = band->GetNoDataValue(&has_nodata);
    std::vector<double> row(static_cast<std::size_t>(w));
    // Elevations no ground has: infinities, or an undeclared void marker such as -32768 (read as a 32 km pit).
    constexpr double min_elevation_m = -1000.0;
    constexpr double max_elevation_m = 9000.0;
    std::size_t bad_cells = 0;
    double first_bad_m = 0.0;
    std::string first_bad_at;
    for (int r = 0; r < h; ++r) {
        if (r % 64 == 0) { // Ctrl-C reaches a long scan
            report(progress, lo + (hi - lo) * static_cast<double>(r) / h, "reading terrain");
        }
        QuietGdal quiet;
        if (band->RasterIO(GF_Read, 0, r, w, 1, row.data(), w, 1, GDT_Float64, 0, 0) != CE_None) {
            throw IoError("cannot read row " + std::to_string(r) + " of DEM '" + path + "': " + last_gdal_error());
        }
        for (int c = 0; c < w; ++c) {
            const double v = row[static_cast<std::size_t>(c)];
            if (!std::isnan(v) && !(has_nodata != 0 && v == nodata) && !(v >= min_elevation_m && v <= max_elevation_m)) {
                ++bad_cells;
                if (bad_cells == 1) {
                    first_bad_m = v;
                    double x = gt[0] + (c + 0.5) * gt[1] + (r + 0.5) * gt[2];
                    double y = gt[3] + (c + 0.5) * gt[4] + (r + 0.5) * gt[5];
                    first_bad_at = ct->Transform(1, &x, &y) ? describe(GeoPoint{.lat_deg = y, .lon_deg = x})
                                                            : detail::format("column %d, row %d", c, r);
                }
                continue;
            }
            if (std::isnan(v) || (has_nodata != 0 && v == nodata)) {
                ++s.void_cells;
                if (examples.size() < max_examples) {
                    double x = gt[0] + (c + 0.5) * gt[1] + (r + 0.5) * gt[2];
                    double y = gt[3] + (c + 0.5) * gt[4] + (r + 0.5) * gt[5];
                    if (ct->Transform(1, &x, &y)) {
                        examples.push_back(GeoPoint{.lat_deg = y, .lon_deg = x});
                    }
                }
            }
        }
    }
    if (bad_cells > 0) {
        throw OutOfDomain(detail::format("DEM '%s' has %zu cell%s whose elevation no ground has (outside %.0f to %.0f m), the "
                                         "first %g m at %s: an infinite value, or a void marker not declared as no-data "
                                         "(declare it, e.g. gdal_edit.py -a_nodata -32768 FILE, or correct the file)",
                                         path.c_str(), bad_cells, bad_cells == 1 ? "" : "s", min_elevation_m, max_elevation_m,
                                         first_bad_m, first_bad_at.c_str()));
    }
    return s;
}

// Fill voids of one source into an in-memory copy (GDAL FillNodata: inverse-distance interpolation).
DatasetPtr fill_voids(const Source& s) {
    QuietGdal quiet;
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    DatasetPtr copy(mem->CreateCopy("", s.ds.get(), FALSE, nullptr, nullptr, nullptr));
    if (!copy) {
        throw IoError("cannot copy DEM '" + s.path + "' to fill its voids: " + last_gdal_error());
    }
    GDALRasterBand* band = copy->GetRasterBand(1);
    constexpr double max_search_cells = 100.0;
    if (GDALFillNodata(GDALRasterBand::ToHandle(band), nullptr, max_search_cells, 0, 0, nullptr, nullptr, nullptr) != CE_None) {
        throw IoError("filling the voids of DEM '" + s.path + "' failed: " + last_gdal_error());
    }
    // Voids wider than the search distance stay empty: say so rather than pass them on as "filled".
    int has_nodata = 0;
    const double nodata = band->GetNoDataValue(&has_nodata);
    const int w = copy->GetRasterXSize();
    std::vector<double> row(static_cast<std::size_t>(w));
    std::size_t left = 0;
    for (int r = 0; r < copy->GetRasterYSize(); ++r) {
        if (band->RasterIO(GF_Read, 0, r, w, 1, row.data(), w, 1, GDT_Float64, 0, 0) != CE_None) {
            throw IoError("cannot read back the filled DEM '" + s.path + "': " + last_gdal_error());
        }
        for (double v : row) {
            left += (std::isnan(v) || (has_nodata != 0 && v == nodata)) ? 1U : 0U;
        }
    }
    if (left > 0) {
        throw OutOfDomain("DEM '" + s.path + "': " + std::to_string(left) + " of its " + std::to_string(s.void_cells) +
                          " void cells are more than 100 cells from any data and cannot be filled; use a void-filled "
                          "source (e.g. Copernicus GLO-30, NASADEM) or void policy 'keep'");
    }
    return copy;
}

// The cell size GDAL would choose when warping `ds` to `crs` (GDALSuggestedWarpOutput), metres.
double suggested_cell_size_m(GDALDatasetH ds, const std::string& crs) {
    OGRSpatialReference target;
    char* wkt = nullptr;
    if (target.SetFromUserInput(crs.c_str()) != OGRERR_NONE || target.exportToWkt(&wkt) != OGRERR_NONE) {
        CPLFree(wkt);
        throw InvalidArgument("unknown CRS '" + crs + "'");
    }
    const std::string dst = std::string("DST_SRS=") + wkt;
    CPLFree(wkt);
    const char* const transformer_options[] = {dst.c_str(), nullptr};
    QuietGdal quiet;
    void* transformer = GDALCreateGenImgProjTransformer2(ds, nullptr, const_cast<char**>(transformer_options));
    if (transformer == nullptr) {
        throw IoError("cannot set up the reprojection to " + crs + ": " + last_gdal_error());
    }
    double gt[6];
    int pixels = 0;
    int lines = 0;
    const CPLErr err = GDALSuggestedWarpOutput(ds, GDALGenImgProjTransform, transformer, gt, &pixels, &lines);
    GDALDestroyGenImgProjTransformer(transformer);
    if (err != CE_None || !(gt[1] > 0.0)) {
        throw IoError("cannot derive a cell size for " + crs + ": " + last_gdal_error());
    }
    return gt[1];
}

// A double as text that reads back as the same double.
std::string fmt_double(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string fmt_box(const GeoBox& b) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "S %.4f, W %.4f, N %.4f, E %.4f", b.south_deg, b.west_deg, b.north_deg, b.east_deg);
    return buf;
}

} // namespace

ElevationGrid read_elevation(const std::vector<std::string>& paths, const DemOptions& options, const ProgressFn& progress) {
    register_gdal();
    const detail::NetworkGuard network(options.allow_remote); // a VRT's sources are opened while warping, too
    if (paths.empty()) {
        throw InvalidArgument("read_dem: no DEM file given");
    }
    if (options.cell_size_m && !(*options.cell_size_m > 0.0 && std::isfinite(*options.cell_size_m))) {
        throw InvalidArgument("read_dem: cell_size_m must be > 0 (got " + std::to_string(*options.cell_size_m) + ")");
    }
    if (options.area) {
        const GeoBox& a = *options.area;
        if (!(a.south_deg < a.north_deg) || !(a.west_deg < a.east_deg) || a.south_deg < -90 || a.north_deg > 90 ||
            a.west_deg < -180 || a.east_deg > 180) {
            throw InvalidArgument("read_dem: area must have south < north and west < east in degrees (got " + fmt_box(a) + ")");
        }
    }

    // 1. Open every tile, count and locate voids.
    std::vector<Source> sources;
    std::vector<GeoPoint> examples;
    VoidReport voids;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        const double lo = 0.3 * static_cast<double>(i) / static_cast<double>(paths.size());
        report(progress, lo, "opening terrain");
        sources.push_back(open_source(paths[i], options.allow_remote, 10, examples, 10 * options.max_cells, progress, lo,
                                      lo + 0.3 / static_cast<double>(paths.size())));
        voids.source_void_cells += sources.back().void_cells;
    }
    voids.examples = examples;

    std::string source_names;
    for (const auto& s : sources) {
        source_names += (source_names.empty() ? "" : ", ") + std::filesystem::path(s.path).filename().string();
    }

    if (voids.source_void_cells > 0 && options.void_policy == VoidPolicy::error) {
        std::string msg = "DEM has void (no-data) cells:";
        for (const auto& s : sources) {
            if (s.void_cells > 0) {
                msg += " '" + s.path + "' has " + std::to_string(s.void_cells) + " void cell" + (s.void_cells == 1 ? "" : "s") + ";";
            }
        }
        msg += " first at";
        for (std::size_t i = 0; i < std::min<std::size_t>(3, examples.size()); ++i) {
            msg += (i == 0 ? " " : "; ") + describe(examples[i]);
        }
        msg += ". Choose void policy 'fill' to interpolate them or 'keep' to leave them as no-data.";
        throw OutOfDomain(msg);
    }

    // 2. Fill voids where asked.
    std::vector<GDALDatasetH> inputs;
    std::vector<DatasetPtr> filled;
    for (auto& s : sources) {
        if (s.void_cells > 0 && options.void_policy == VoidPolicy::fill) {
            filled.push_back(fill_voids(s));
            voids.filled_cells += s.void_cells;
            inputs.push_back(GDALDataset::ToHandle(filled.back().get()));
        } else {
            inputs.push_back(GDALDataset::ToHandle(s.ds.get()));
        }
    }
    report(progress, 0.35, "reprojecting terrain");

    // Tiles in one CRS are first joined into a VRT, so that bilinear resampling sees across the seams;
    // tiles in different CRSs are warped one after the other onto the same grid.
    DatasetPtr mosaic;
    const OGRSpatialReference* first_srs = sources.front().ds->GetSpatialRef();
    const bool same_crs = std::all_of(sources.begin(), sources.end(), [&](const Source& s) {
        return s.ds->GetSpatialRef()->IsSame(first_srs) != 0;
    });
    if (inputs.size() > 1 && same_crs) {
        QuietGdal quiet;
        int usage_error = FALSE;
        mosaic.reset(GDALDataset::FromHandle(
            GDALBuildVRT("", static_cast<int>(inputs.size()), inputs.data(), nullptr, nullptr, &usage_error)));
        if (!mosaic) {
            throw IoError("cannot mosaic the DEM tiles (" + source_names + "): " + last_gdal_error());
        }
        inputs = {GDALDataset::ToHandle(mosaic.get())};
    }

    // 3. Target CRS: given, or the UTM zone of the area's centre.
    GeoBox extent{.south_deg = 90, .west_deg = 180, .north_deg = -90, .east_deg = -180};
    for (const auto& s : sources) {
        extent.south_deg = std::min(extent.south_deg, s.extent.south_deg);
        extent.west_deg = std::min(extent.west_deg, s.extent.west_deg);
        extent.north_deg = std::max(extent.north_deg, s.extent.north_deg);
        extent.east_deg = std::max(extent.east_deg, s.extent.east_deg);
    }
    if (options.area && (options.area->north_deg <= extent.south_deg || options.area->south_deg >= extent.north_deg ||
                         options.area->east_deg <= extent.west_deg || options.area->west_deg >= extent.east_deg)) {
        throw InvalidArgument("read_dem: the area (" + fmt_box(*options.area) + ") does not overlap the DEM tiles (" +
                              fmt_box(extent) + ": " + source_names + ")");
    }
    // The grid never extends past the tiles: an area larger than them is cut to their extent.
    GeoBox area = extent;
    if (options.area) {
        area = GeoBox{.south_deg = std::max(options.area->south_deg, extent.south_deg),
                      .west_deg = std::max(options.area->west_deg, extent.west_deg),
                      .north_deg = std::min(options.area->north_deg, extent.north_deg),
                      .east_deg = std::min(options.area->east_deg, extent.east_deg)};
    }
    std::string crs_def;
    if (options.target_crs) {
        crs_def = options.target_crs->definition;
    } else {
        const GeoPoint centre{.lat_deg = 0.5 * (area.south_deg + area.north_deg),
                              .lon_deg = 0.5 * (area.west_deg + area.east_deg)};
        // UTM is defined from 80°S to 84°N; past that a DEM would come out as a distorted sliver of a zone.
        if (area.north_deg > 84.0 || area.south_deg < -80.0) {
            throw InvalidArgument("DEM area (" + fmt_box(area) + ": " + source_names +
                                  ") reaches past 84°N or 80°S, where no UTM zone is defined; give a projected CRS made "
                                  "for polar areas (e.g. EPSG:3413 in the north, EPSG:3031 in the south)");
        }
        crs_def = "EPSG:" + std::to_string(utm_epsg_for(centre));
    }
    detail::check_projected_crs(crs_def);

    // 4. Warp all tiles onto one metric grid, by the one grid rule: a source already in the target CRS at the
    //    target cell size (square, north-up cells) keeps its own cells (cropped, copied without resampling);
    //    anything else is resampled (bilinear unless the caller picks another method) onto cells whose edges are
    //    whole multiples of the cell size.
    std::string res = std::to_string(options.cell_size_m ? *options.cell_size_m : suggested_cell_size_m(inputs.front(), crs_def));
    double src_gt[6] = {0, 1, 0, 0, 0, -1};
    const bool src_georeferenced = GDALGetGeoTransform(inputs.front(), src_gt) == CE_None;
    bool native = false;
    if (same_crs && src_georeferenced && src_gt[2] == 0.0 && src_gt[4] == 0.0 && src_gt[1] > 0.0 && src_gt[5] == -src_gt[1]) {
        OGRSpatialReference target;
        target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        const double want = options.cell_size_m ? *options.cell_size_m : src_gt[1];
        native = target.SetFromUserInput(crs_def.c_str()) == OGRERR_NONE && first_srs != nullptr && first_srs->IsSame(&target) != 0 &&
                 std::fabs(want - src_gt[1]) <= 1e-9 * src_gt[1];
        if (native) {
            res = fmt_double(src_gt[1]);
        }
    }
    const double res_m = std::stod(res); // the cell size exactly as gdalwarp reads it
    const double x0 = native ? src_gt[0] : 0.0; // the lattice the grid's edges lie on
    const double y0 = native ? src_gt[3] : 0.0;
    const char* const method = native ? "near" : options.resampling == Resampling::nearest ? "near" : to_string(options.resampling);
    std::vector<std::string> args = {"-of", "MEM", "-t_srs", crs_def, "-r", method, "-ot", "Float32",
                                     "-dstnodata", "nan", "-wo", "INIT_DEST=NO_DATA",
                                     // the warp kernel on every core (rows split between threads: the same cells)
                                     "-wo", "NUM_THREADS=ALL_CPUS"};
    args.insert(args.end(), {"-tr", res, res});
    double xmin = std::numeric_limits<double>::infinity();
    double ymin = xmin;
    double xmax = -xmin;
    double ymax = -xmin;
    if (options.area) {
        const detail::CrsTransform fwd(crs_def);
        constexpr int n = 16; // densify the edges: lines of latitude curve in UTM
        for (int i = 0; i <= n; ++i) {
            const double t = static_cast<double>(i) / n;
            const double lat = area.south_deg + t * (area.north_deg - area.south_deg);
            const double lon = area.west_deg + t * (area.east_deg - area.west_deg);
            for (const GeoPoint p : {GeoPoint{.lat_deg = lat, .lon_deg = area.west_deg},
                                     GeoPoint{.lat_deg = lat, .lon_deg = area.east_deg},
                                     GeoPoint{.lat_deg = area.south_deg, .lon_deg = lon},
                                     GeoPoint{.lat_deg = area.north_deg, .lon_deg = lon}}) {
                const GridPoint g = fwd.forward(p);
                xmin = std::min(xmin, g.x_m);
                xmax = std::max(xmax, g.x_m);
                ymin = std::min(ymin, g.y_m);
                ymax = std::max(ymax, g.y_m);
            }
        }
        if (native) { // never past the source's own edges: its cells are all there is
            const double sx1 = src_gt[0] + src_gt[1] * GDALGetRasterXSize(inputs.front());
            const double sy0 = src_gt[3] + src_gt[5] * GDALGetRasterYSize(inputs.front());
            xmin = std::max(xmin, src_gt[0]);
            xmax = std::min(xmax, sx1);
            ymin = std::max(ymin, sy0);
            ymax = std::min(ymax, src_gt[3]);
        }
    } else if (native) {
        xmin = src_gt[0];
        ymax = src_gt[3];
        xmax = src_gt[0] + src_gt[1] * GDALGetRasterXSize(inputs.front());
        ymin = src_gt[3] + src_gt[5] * GDALGetRasterYSize(inputs.front());
    }
    if (options.area || native) { // outwards to whole cells of the lattice, so the grid holds the whole area
        xmin = x0 + std::floor((xmin - x0) / res_m) * res_m;
        ymin = y0 + std::floor((ymin - y0) / res_m) * res_m;
        xmax = x0 + std::ceil((xmax - x0) / res_m) * res_m;
        ymax = y0 + std::ceil((ymax - y0) / res_m) * res_m;
        args.insert(args.end(), {"-te", fmt_double(xmin), fmt_double(ymin), fmt_double(xmax), fmt_double(ymax)});
        const double cells = std::round((xmax - xmin) / res_m) * std::round((ymax - ymin) / res_m);
        if (cells > static_cast<double>(options.max_cells)) {
            throw InvalidArgument(detail::format("the working grid would be %.0f × %.0f = %.3g cells (%.1f × %.1f km at %g m): "
                                                 "more than the limit of %.3g cells; use a larger cell size or a smaller area",
                                                 std::round((xmax - xmin) / res_m), std::round((ymax - ymin) / res_m), cells,
                                                 (xmax - xmin) / 1000.0, (ymax - ymin) / 1000.0, res_m,
                                                 static_cast<double>(options.max_cells)));
        }
    } else {
        // The whole source, resampled: bound it by the source's own size scaled to the new cells.
        const double src_cells = static_cast<double>(GDALGetRasterXSize(inputs.front())) * GDALGetRasterYSize(inputs.front()) *
                                 static_cast<double>(inputs.size());
        if (src_cells > 4.0 * static_cast<double>(options.max_cells)) {
            throw InvalidArgument(detail::format("the DEM (%s) has %.3g cells, more than this library reads without an area "
                                                 "(%.3g); give the area to read",
                                                 source_names.c_str(), src_cells, 4.0 * static_cast<double>(options.max_cells)));
        }
        args.emplace_back("-tap");
    }
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    ProgressBridge bridge;
    bridge.fn = &progress;
    bridge.lo = 0.35;
    bridge.hi = 0.95;
    DatasetPtr warped;
    {
        QuietGdal quiet;
        GDALWarpAppOptions* wopts = GDALWarpAppOptionsNew(argv.data(), nullptr);
        if (wopts == nullptr) {
            throw InvalidArgument("read_dem: invalid warp options: " + last_gdal_error());
        }
        GDALWarpAppOptionsSetProgress(wopts, ProgressBridge::call, &bridge);
        int usage_error = FALSE;
        warped.reset(GDALDataset::FromHandle(
            GDALWarp("", nullptr, static_cast<int>(inputs.size()), inputs.data(), wopts, &usage_error)));
        GDALWarpAppOptionsFree(wopts);
        if (bridge.cancelled) {
            throw Cancelled("cancelled while reprojecting terrain");
        }
        if (!warped) {
            throw IoError("reprojecting DEM (" + source_names + ") to " + crs_def + " failed: " + last_gdal_error());
        }
    }

    // 5. Copy into a Raster<float>.
    const int w = warped->GetRasterXSize();
    const int h = warped->GetRasterYSize();
    double gt[6];
    warped->GetGeoTransform(gt);
    Raster<float> raster(w, h, GeoTransform::from_gdal({gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]}), Crs{crs_def},
                         std::numeric_limits<float>::quiet_NaN());
    {
        QuietGdal quiet;
        if (warped->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, w, h, raster.data(), w, h, GDT_Float32, 0, 0) != CE_None) {
            throw IoError("reading the reprojected DEM failed: " + last_gdal_error());
        }
    }
    std::size_t nan_cells = 0;
    for (float v : raster.values()) {
        nan_cells += std::isnan(v) ? 1U : 0U;
    }
    voids.grid_nodata_cells = nan_cells;
    if (nan_cells == raster.values().size()) {
        throw InvalidArgument("read_dem: the requested area holds no elevation from " + source_names);
    }
    report(progress, 1.0, "terrain ready");
    std::vector<std::string> files;
    for (const Source& src : sources) {
        for (const std::string& f : src.files) {
            if (std::find(files.begin(), files.end(), f) == files.end()) {
                files.push_back(f);
            }
        }
    }
    return ElevationGrid{.elevation = std::move(raster), .voids = std::move(voids), .source = std::move(source_names),
                         .files = std::move(files), .resampling = native ? "none (the DEM's own cells)" : to_string(options.resampling)};
}

const char* to_string(Resampling r) noexcept {
    switch (r) {
    case Resampling::bilinear: return "bilinear";
    case Resampling::cubic: return "cubic";
    case Resampling::nearest: return "nearest";
    case Resampling::average: return "average";
    }
    return "bilinear";
}

Resampling resampling_from(const std::string& name) {
    for (const Resampling r : {Resampling::bilinear, Resampling::cubic, Resampling::nearest, Resampling::average}) {
        if (name == to_string(r)) {
            return r;
        }
    }
    throw InvalidArgument("unknown resampling method '" + name.substr(0, 64) + "' (bilinear, cubic, nearest, average)");
}

VoidPolicy void_policy_from(const std::string& name) {
    if (name == "error") {
        return VoidPolicy::error;
    }
    if (name == "fill") {
        return VoidPolicy::fill;
    }
    if (name == "keep") {
        return VoidPolicy::keep;
    }
    throw InvalidArgument("unknown void policy '" + name + "' (error, fill, keep)");
}

} // namespace coverage
