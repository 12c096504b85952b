// Private: building blocks of atomic raster output, shared by the GeoTIFF, PNG and KMZ writers.
#ifndef COVERAGE_SRC_IO_RASTER_WRITER_HPP
#define COVERAGE_SRC_IO_RASTER_WRITER_HPP

#include <coverage/core/geo.hpp>

#include "io/gdal_common.hpp"

#include <string>
#include <vector>

namespace coverage::detail {

/** Set a dataset's geotransform and CRS. @throws InvalidArgument for a CRS GDAL cannot read. */
void set_georeferencing(GDALDataset& ds, const GeoTransform& gt, const Crs& crs);
/** An in-memory dataset with georeferencing. */
[[nodiscard]] DatasetPtr mem_dataset(int width, int height, int bands, GDALDataType type, const GeoTransform& gt, const Crs& crs);
/** CreateCopy `src` with `driver_name` to a temporary name, then rename to `path`. @throws IoError naming `path`. */
/** `keep_aux`: keep GDAL's side-car .aux.xml (category names of GeoTIFFs); plain pictures do without. */
void save_as(GDALDataset& src, const std::string& path, const char* driver_name, const std::vector<std::string>& options,
             bool keep_aux = true);

} // namespace coverage::detail

#endif
