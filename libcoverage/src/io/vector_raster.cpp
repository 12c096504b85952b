// Vector layers and foreign rasters onto a given grid (e.g. the planning cost layers), through GDAL.

#include <coverage/core/error.hpp>
#include <coverage/io/raster_io.hpp>

#include "io/input_sources.hpp"
#include "io/gdal_common.hpp"
#include "io/ogr_fields.hpp"
#include "io/raster_writer.hpp"

#include <gdal_alg.h>
#include <gdal_utils.h>
#include <gdal_priv.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

namespace coverage {

Raster<std::uint8_t> rasterize_layer(const std::string& path, const Raster<float>& grid) {
    const detail::DatasetPtr src = detail::open_input_vector(path, "vector layer");
    const Raster<float>& z = grid;
    const detail::DatasetPtr mem = detail::mem_dataset(z.width(), z.height(), 1, GDT_Byte, z.transform(), grid.crs());
    std::vector<std::string> args = {"-burn", "1", "-at"};
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    {
        detail::QuietGdal quiet;
        GDALRasterizeOptions* opts = GDALRasterizeOptionsNew(argv.data(), nullptr);
        int usage_error = 0;
        GDALDatasetH out = GDALRasterize(nullptr, GDALDataset::ToHandle(mem.get()), GDALDataset::ToHandle(src.get()), opts, &usage_error);
        GDALRasterizeOptionsFree(opts);
        if (out == nullptr) {
            throw IoError("cannot rasterize '" + path + "' onto the grid: " + detail::last_gdal_error());
        }
    }
    Raster<std::uint8_t> r(z.width(), z.height(), z.transform(), grid.crs(), std::uint8_t{0});
    if (mem->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, z.width(), z.height(), r.values().data(), z.width(), z.height(), GDT_Byte, 0, 0) !=
        CE_None) {
        throw IoError("cannot rasterize '" + path + "': " + detail::last_gdal_error());
    }
    return r;
}

Raster<float> resample_onto_grid(const std::string& path, const Raster<float>& grid, ClassResampling how, bool allow_remote) {
    detail::register_gdal();
    const detail::DatasetPtr src = detail::open_input_raster(path, "raster", allow_remote).ds;
    const detail::NetworkGuard network(allow_remote);
    detail::QuietGdal quiet;
    const Raster<float>& z = grid;
    const detail::DatasetPtr mem = detail::mem_dataset(z.width(), z.height(), 1, GDT_Float32, z.transform(), grid.crs());
    mem->GetRasterBand(1)->SetNoDataValue(std::nan(""));
    mem->GetRasterBand(1)->Fill(std::nan(""));
    std::vector<std::string> args = {"-r", how == ClassResampling::majority ? "mode" : "near", "-dstnodata", "nan"};
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    GDALWarpAppOptions* opts = GDALWarpAppOptionsNew(argv.data(), nullptr);
    GDALDatasetH in = GDALDataset::ToHandle(src.get());
    int usage_error = 0;
    GDALDatasetH out = GDALWarp(nullptr, GDALDataset::ToHandle(mem.get()), 1, &in, opts, &usage_error);
    GDALWarpAppOptionsFree(opts);
    if (out == nullptr) {
        throw IoError("cannot resample '" + path + "' onto the grid: " + detail::last_gdal_error());
    }
    Raster<float> r(z.width(), z.height(), z.transform(), grid.crs(), std::nanf(""));
    if (mem->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, z.width(), z.height(), r.values().data(), z.width(), z.height(), GDT_Float32, 0, 0) !=
        CE_None) {
        throw IoError("cannot read '" + path + "' on the grid: " + detail::last_gdal_error());
    }
    return r;
}

} // namespace coverage
