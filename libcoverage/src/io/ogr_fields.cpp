#include "io/ogr_fields.hpp"
#include "io/input_sources.hpp"

#include <coverage/core/error.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>

namespace coverage::detail {

const OGRSpatialReference* srs_of(const OGRGeometry& g, const OGRLayer& layer) {
    return g.getSpatialReference() != nullptr ? g.getSpatialReference() : const_cast<OGRLayer&>(layer).GetSpatialRef();
}

std::vector<GeoPoint> to_wgs84(const OGRSpatialReference* srs, std::vector<double> x, std::vector<double> y,
                               const std::string& where) {
    std::vector<GeoPoint> out(x.size());
    if (srs == nullptr) { // no CRS declared: already longitude, latitude
        for (std::size_t i = 0; i < x.size(); ++i) {
            out[i] = GeoPoint{.lat_deg = y[i], .lon_deg = x[i]};
        }
        return out;
    }
    OGRSpatialReference src(*srs);
    src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&src, &wgs84));
    if (!ct || !ct->Transform(static_cast<int>(x.size()), x.data(), y.data())) {
        throw InvalidArgument(where + ": cannot transform the position to WGS84");
    }
    for (std::size_t i = 0; i < x.size(); ++i) {
        out[i] = GeoPoint{.lat_deg = y[i], .lon_deg = x[i]};
    }
    return out;
}

} // namespace coverage::detail
