// Raster output: Cloud-Optimized GeoTIFFs through GDAL, always atomic.

#include <coverage/core/error.hpp>
#include <coverage/io/raster_io.hpp>

#include "core/atomic_file_detail.hpp"
#include "io/gdal_common.hpp"
#include "io/raster_writer.hpp"
#include "io/input_sources.hpp"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <gdal_vrt.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

namespace coverage::detail {

void set_georeferencing(GDALDataset& ds, const GeoTransform& gt, const Crs& crs) {
    auto g = gt.to_gdal();
    ds.SetGeoTransform(g.data());
    if (!crs.empty()) {
        OGRSpatialReference srs;
        if (srs.SetFromUserInput(crs.definition.c_str()) != OGRERR_NONE) {
            throw InvalidArgument("unknown CRS '" + crs.definition + "'");
        }
        ds.SetSpatialRef(&srs);
    }
}

DatasetPtr mem_dataset(int width, int height, int bands, GDALDataType type, const GeoTransform& gt, const Crs& crs) {
    register_gdal();
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    DatasetPtr ds(mem->Create("", width, height, bands, type, nullptr));
    if (!ds) {
        throw IoError("cannot create an in-memory raster: " + last_gdal_error());
    }
    set_georeferencing(*ds, gt, crs);
    return ds;
}

void save_as(GDALDataset& src, const std::string& path, const char* driver_name, const std::vector<std::string>& options,
             bool keep_aux) {
    const std::string tmp = temporary_sibling(path);
    QuietGdal quiet;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    if (driver == nullptr) {
        throw IoError(std::string("GDAL driver ") + driver_name + " is not available");
    }
    std::vector<char*> opts;
    std::vector<std::string> storage = options;
    for (auto& o : storage) {
        opts.push_back(o.data());
    }
    opts.push_back(nullptr);
    DatasetPtr out(driver->CreateCopy(tmp.c_str(), &src, FALSE, opts.data(), nullptr, nullptr));
    const bool ok = static_cast<bool>(out);
    out.reset(); // flush and close before renaming
    if (!ok || CPLGetLastErrorType() >= CE_Failure) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        std::filesystem::remove(tmp + ".aux.xml", ec);
        throw IoError("cannot write '" + path + "': " + last_gdal_error());
    }
    // Category names and other PAM metadata live in a side-car .aux.xml: keep it with the file.
    std::error_code ec;
    if (keep_aux && std::filesystem::exists(tmp + ".aux.xml", ec)) {
        commit_file(tmp + ".aux.xml", path + ".aux.xml");
    } else {
        std::filesystem::remove(tmp + ".aux.xml", ec);
        std::filesystem::remove(path + ".aux.xml", ec);
    }
    commit_file(tmp, path);
}

} // namespace coverage::detail

namespace coverage {

namespace {

// The creation options of every COG this file writes, DEFLATE with the floating-point predictor for float bands (colour
// tables want no predictor).
// Level 1 against GDAL's default 6, the 20 km Serra do Cipo map's path_loss_db.tif (1416 x 1176 float32 with the
// floating-point predictor): written in 0.062 s instead of 0.105 s, 1.6 % larger (3.42 against 3.37 MB). ZSTD level 1 was
// faster still (0.034 s, 1 % larger) but not every GIS reads it.
// Tiles of 256 pixels a side (GDAL's COG default is 512): a map's grid is rarely a multiple of the tile size, and every tile
// is compressed whole, so smaller tiles waste less on padding (and on the empty corners outside a radius). The
// path_loss_db.tif of one site (float32, floating-point predictor, DEFLATE 1), 512 against 256: 743 x 739 (10 km)
// 0.033 -> 0.020 s, 1100 x 1000 0.045 -> 0.040 s, 1416 x 1176 (20 km) 0.064 -> 0.057 s, each file 0.3-0.8 % smaller;
// signal_class.tif (bytes) 0.0093 -> 0.0082 s. A COG of several bands holds a tile of each at once: 256 KiB a float band.
std::vector<std::string> cog_options(GDALDataType type) {
    std::vector<std::string> options = {"COMPRESS=DEFLATE", "LEVEL=1", "BLOCKSIZE=256", "BIGTIFF=IF_SAFER", "OVERVIEWS=NONE"};
    if (type == GDT_Float32) {
        options.emplace_back("PREDICTOR=FLOATING_POINT");
    }
    return options;
}

template <typename T>
GDALDataType gdal_type();
template <>
GDALDataType gdal_type<float>() { return GDT_Float32; }
template <>
GDALDataType gdal_type<std::uint8_t>() { return GDT_Byte; }
template <>
GDALDataType gdal_type<std::uint16_t>() { return GDT_UInt16; }

template <typename T>
void write_bands(const std::string& path, const std::vector<const Raster<T>*>& bands, const std::vector<BandInfo>& info,
                 const std::vector<ColorEntry>& palette) {
    if (bands.empty() || bands.size() != info.size()) {
        throw InvalidArgument("write_raster '" + path + "': need one BandInfo per band");
    }
    const Raster<T>& first = *bands.front();
    for (const auto* b : bands) {
        if (b->width() != first.width() || b->height() != first.height() || !(b->transform() == first.transform())) {
            throw InvalidArgument("write_raster '" + path + "': bands differ in size or georeferencing");
        }
    }
    detail::DatasetPtr ds = detail::mem_dataset(first.width(), first.height(), static_cast<int>(bands.size()), gdal_type<T>(),
                                                first.transform(), first.crs());
    for (std::size_t i = 0; i < bands.size(); ++i) {
        GDALRasterBand* band = ds->GetRasterBand(static_cast<int>(i) + 1);
        auto* data = const_cast<T*>(bands[i]->data());
        if (band->RasterIO(GF_Write, 0, 0, first.width(), first.height(), data, first.width(), first.height(), gdal_type<T>(), 0, 0) != CE_None) {
            throw IoError("write_raster '" + path + "': " + detail::last_gdal_error());
        }
        band->SetDescription(info[i].description.c_str());
        band->SetUnitType(info[i].unit.c_str());
        if (bands[i]->nodata()) {
            band->SetNoDataValue(static_cast<double>(*bands[i]->nodata()));
        }
        if (!palette.empty() && bands.size() == 1) {
            GDALColorTable table;
            std::vector<std::string> names;
            for (const auto& e : palette) {
                const GDALColorEntry c{e.red, e.green, e.blue, e.alpha};
                table.SetColorEntry(e.value, &c);
                if (static_cast<std::size_t>(e.value) >= names.size()) {
                    names.resize(static_cast<std::size_t>(e.value) + 1);
                }
                names[static_cast<std::size_t>(e.value)] = e.label;
            }
            band->SetColorTable(&table);
            band->SetColorInterpretation(GCI_PaletteIndex);
            CPLStringList categories;
            for (const auto& n : names) {
                categories.AddString(n.c_str());
            }
            band->SetCategoryNames(categories.List());
        }
    }
    detail::save_as(*ds, path, "COG", cog_options(gdal_type<T>()));
}

} // namespace

void write_raster(const std::string& path, const std::vector<const Raster<float>*>& bands, const std::vector<BandInfo>& info) {
    write_bands<float>(path, bands, info, {});
}

namespace {

// More bands than a COG should hold: a tiled GeoTIFF interleaved by band, written tile by tile where a window lies
// and flushed band by band, so that GDAL's block cache holds one band's tiles at most. Tiles that meet no window are
// never written (SPARSE_OK): they read as the nodata value, NaN.
void write_sparse_band_tiles(const std::string& path, const Raster<float>& grid, const std::vector<const Raster<float>*>& windows,
                             const std::vector<GridOffset>& at, const std::vector<BandInfo>& info) {
    constexpr int tile = 64;
    const std::string tmp = detail::temporary_sibling(path);
    detail::QuietGdal quiet;
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    if (gtiff == nullptr) {
        throw IoError("GDAL driver GTiff is not available");
    }
    const char* const options[] = {"COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER", "PREDICTOR=3", "TILED=YES", "BLOCKXSIZE=64",
                                   "BLOCKYSIZE=64", "INTERLEAVE=BAND", "SPARSE_OK=TRUE", nullptr};
    const auto fail = [&](detail::DatasetPtr& ds) {
        const std::string why = detail::last_gdal_error();
        ds.reset();
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        std::filesystem::remove(tmp + ".aux.xml", ec);
        throw IoError("cannot write '" + path + "': " + why);
    };
    detail::DatasetPtr ds(gtiff->Create(tmp.c_str(), grid.width(), grid.height(), static_cast<int>(windows.size()), GDT_Float32,
                                        const_cast<char**>(options)));
    if (!ds) {
        fail(ds);
    }
    detail::set_georeferencing(*ds, grid.transform(), grid.crs());
    std::vector<float> buffer(static_cast<std::size_t>(tile) * tile);
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const Raster<float>& w = *windows[i];
        GDALRasterBand* band = ds->GetRasterBand(static_cast<int>(i) + 1);
        band->SetNoDataValue(std::nan(""));
        band->SetDescription(info[i].description.c_str());
        band->SetUnitType(info[i].unit.c_str());
        // The tiles that meet the window, each filled with NaN and the window's cells within it.
        for (int ty = at[i].row / tile; ty <= (at[i].row + w.height() - 1) / tile; ++ty) {
            for (int tx = at[i].col / tile; tx <= (at[i].col + w.width() - 1) / tile; ++tx) {
                const int x0 = tx * tile;
                const int y0 = ty * tile;
                const int tw = std::min(tile, grid.width() - x0);
                const int th = std::min(tile, grid.height() - y0);
                std::fill(buffer.begin(), buffer.end(), std::nanf(""));
                for (int y = std::max(y0, at[i].row); y < std::min(y0 + th, at[i].row + w.height()); ++y) {
                    const int c0 = std::max(x0, at[i].col);
                    const int c1 = std::min(x0 + tw, at[i].col + w.width());
                    std::copy_n(&w.at(c0 - at[i].col, y - at[i].row), c1 - c0,
                                buffer.data() + static_cast<std::size_t>(y - y0) * tile + (c0 - x0));
                }
                if (band->RasterIO(GF_Write, x0, y0, tw, th, buffer.data(), tw, th, GDT_Float32, 0,
                                   static_cast<GSpacing>(tile) * static_cast<GSpacing>(sizeof(float))) != CE_None) {
                    fail(ds);
                }
            }
        }
        if (band->FlushCache(false) != CE_None) {
            fail(ds);
        }
    }
    ds->FlushCache(true);
    if (CPLGetLastErrorType() >= CE_Failure) {
        fail(ds);
    }
    ds.reset(); // close: writes the directory
    if (CPLGetLastErrorType() >= CE_Failure) {
        fail(ds);
    }
    std::error_code ec;
    std::filesystem::remove(tmp + ".aux.xml", ec);
    detail::commit_file(tmp, path);
}

} // namespace

void write_raster_windows(const std::string& path, const Raster<float>& grid, const std::vector<const Raster<float>*>& windows,
                          const std::vector<BandInfo>& info) {
    if (windows.empty() || windows.size() != info.size()) {
        throw InvalidArgument("write_raster '" + path + "': need one BandInfo per band");
    }
    detail::register_gdal();
    std::vector<GridOffset> at;
    for (std::size_t i = 0; i < windows.size(); ++i) {
        at.push_back(require_on_grid(*windows[i], "write_raster '" + path + "': band " + std::to_string(i + 1), grid, "the file"));
    }
    // A COG interleaves bands by pixel, so GDAL holds a tile of every band at once (cog_options: 256 KiB a band). Up to
    // max_cog_bands that is a COG like every other raster; beyond, a band-interleaved tiled GeoTIFF.
    if (windows.size() > max_cog_bands) {
        write_sparse_band_tiles(path, grid, windows, at, info);
        return;
    }
    // A VRT of the grid's size whose band i reads window i, through a MEM dataset over the window's own memory. The
    // MEM datasets are declared first so that they outlive the VRT that reads them.
    std::vector<detail::DatasetPtr> sources;
    VRTDatasetH vrt = VRTCreate(grid.width(), grid.height());
    const detail::DatasetPtr vrt_ds(GDALDataset::FromHandle(vrt));
    detail::set_georeferencing(*vrt_ds, grid.transform(), grid.crs());
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const Raster<float>& w = *windows[i];
        detail::DatasetPtr src(mem->Create("", w.width(), w.height(), 0, GDT_Float32, nullptr));
        char pointer[64];
        std::snprintf(pointer, sizeof pointer, "DATAPOINTER=%p", static_cast<const void*>(w.data()));
        const char* const band_options[] = {pointer, nullptr};
        if (!src || src->AddBand(GDT_Float32, const_cast<char**>(band_options)) != CE_None) {
            throw IoError("write_raster '" + path + "': " + detail::last_gdal_error());
        }
        if (VRTAddBand(vrt, GDT_Float32, nullptr) != CE_None) {
            throw IoError("write_raster '" + path + "': " + detail::last_gdal_error());
        }
        VRTSourcedRasterBandH band = static_cast<VRTSourcedRasterBandH>(GDALGetRasterBand(vrt, static_cast<int>(i) + 1));
        GDALSetRasterNoDataValue(band, std::nan(""));
        if (VRTAddSimpleSource(band, GDALGetRasterBand(GDALDataset::ToHandle(src.get()), 1), 0, 0, w.width(), w.height(), at[i].col,
                               at[i].row, w.width(), w.height(), "near", VRT_NODATA_UNSET) != CE_None) {
            throw IoError("write_raster '" + path + "': " + detail::last_gdal_error());
        }
        GDALSetDescription(band, info[i].description.c_str());
        GDALSetRasterUnitType(band, info[i].unit.c_str());
        sources.push_back(std::move(src));
    }
    detail::save_as(*vrt_ds, path, "COG", cog_options(GDT_Float32));
}

void write_raster(const std::string& path, const std::vector<const Raster<std::uint8_t>*>& bands,
                  const std::vector<BandInfo>& info, const std::vector<ColorEntry>& palette) {
    write_bands<std::uint8_t>(path, bands, info, palette);
}

void write_raster(const std::string& path, const Raster<std::uint16_t>& band, const BandInfo& info,
                  const std::vector<ColorEntry>& palette) {
    write_bands<std::uint16_t>(path, {&band}, {info}, palette);
}

Raster<float> read_raster_band(const std::string& path, int band_index) {
    detail::DatasetPtr ds = detail::open_input_raster(path, "raster", false).ds;
    const detail::NetworkGuard network(false);
    detail::QuietGdal quiet;
    if (band_index < 1 || band_index > ds->GetRasterCount()) {
        throw InvalidArgument("raster '" + path + "' has no band " + std::to_string(band_index));
    }
    double g[6];
    ds->GetGeoTransform(g);
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    std::string crs;
    if (srs != nullptr) {
        const char* auth = srs->GetAuthorityName(nullptr);
        const char* code = srs->GetAuthorityCode(nullptr);
        if (auth != nullptr && code != nullptr) {
            crs = std::string(auth) + ":" + code;
        } else {
            char* wkt = nullptr;
            srs->exportToWkt(&wkt);
            crs = wkt != nullptr ? wkt : "";
            CPLFree(wkt);
        }
    }
    GDALRasterBand* band = ds->GetRasterBand(band_index);
    int has_nodata = 0;
    const double nodata = band->GetNoDataValue(&has_nodata);
    Raster<float> r(ds->GetRasterXSize(), ds->GetRasterYSize(), GeoTransform::from_gdal({g[0], g[1], g[2], g[3], g[4], g[5]}),
                    Crs{crs}, has_nodata != 0 ? std::optional<float>(static_cast<float>(nodata)) : std::nullopt);
    if (band->RasterIO(GF_Read, 0, 0, r.width(), r.height(), r.data(), r.width(), r.height(), GDT_Float32, 0, 0) != CE_None) {
        throw IoError("cannot read raster '" + path + "': " + detail::last_gdal_error());
    }
    return r;
}

} // namespace coverage

namespace coverage {

std::string raster_metadata_item(const std::string& path, const std::string& key, bool allow_remote) {
    const detail::DatasetPtr ds = detail::open_input_raster(path, "raster", allow_remote).ds; // metadata reads no source
    const char* v = ds->GetMetadataItem(key.c_str());
    return v != nullptr ? std::string(v) : std::string();
}

std::string crs_name(const Crs& crs) {
    OGRSpatialReference srs;
    if (crs.empty() || srs.SetFromUserInput(crs.definition.c_str()) != OGRERR_NONE) {
        return crs.definition;
    }
    std::string name = srs.GetName() != nullptr ? srs.GetName() : "";
    const char* auth = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (auth != nullptr && code != nullptr) {
        name += std::string(name.empty() ? "" : " ") + "(" + auth + ":" + code + ")";
    }
    return name.empty() ? crs.definition : name;
}

} // namespace coverage
