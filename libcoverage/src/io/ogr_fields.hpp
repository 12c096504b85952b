// Private: opening vector files and transforming their coordinates through OGR (read_layer, rasterize_layer).
#ifndef COVERAGE_SRC_IO_OGR_FIELDS_HPP
#define COVERAGE_SRC_IO_OGR_FIELDS_HPP

#include <coverage/core/geo.hpp>

#include "io/gdal_common.hpp"

#include <ogrsf_frmts.h>

#include <string>
#include <vector>

namespace coverage::detail {

/** A geometry's CRS, else its layer's; nullptr when neither declares one. */
[[nodiscard]] const OGRSpatialReference* srs_of(const OGRGeometry& g, const OGRLayer& layer);

/**
 * Points in `srs` to WGS84 (traditional x = lon, y = lat order); with no CRS (nullptr) they are taken as
 * longitude, latitude already. @throws InvalidArgument "<where>: cannot transform".
 */
[[nodiscard]] std::vector<GeoPoint> to_wgs84(const OGRSpatialReference* srs, std::vector<double> x, std::vector<double> y,
                                             const std::string& where);

} // namespace coverage::detail

#endif
