#include "io/ogr_fields.hpp"

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

namespace {

GeoPoint point_to_wgs84(const OGRSpatialReference* srs, double x, double y, const std::string& where) {
    return to_wgs84(srs, std::vector<double>{x}, std::vector<double>{y}, where).front();
}

} // namespace

DatasetPtr open_vector(const std::string& path, const std::string& what) {
    register_gdal();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw IoError(what + " '" + path + "' does not exist");
    }
    QuietGdal quiet;
    DatasetPtr ds(GDALDataset::FromHandle(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
    if (!ds || ds->GetLayerCount() < 1) {
        throw IoError("cannot open " + what + " '" + path + "' as CSV, GeoJSON or GeoPackage: " + last_gdal_error());
    }
    return ds;
}

bool FeatureFields::has(const std::string& field) const {
    const int i = m_defn.GetFieldIndex(field.c_str());
    if (i < 0 || !m_feature.IsFieldSetAndNotNull(i)) {
        return false;
    }
    const std::string v = m_feature.GetFieldAsString(i);
    return v.find_first_not_of(" \t") != std::string::npos;
}

std::string FeatureFields::text(const std::string& field) const {
    if (!has(field)) {
        throw InvalidArgument(where(field) + ": value missing");
    }
    const std::string v = m_feature.GetFieldAsString(m_defn.GetFieldIndex(field.c_str()));
    const auto b = v.find_first_not_of(" \t");
    const auto e = v.find_last_not_of(" \t\r");
    return v.substr(b, e - b + 1);
}

std::string FeatureFields::text_or(const std::string& field, const std::string& fallback) const {
    return has(field) ? text(field) : fallback;
}

double FeatureFields::number(const std::string& field) const {
    const std::string v = text(field);
    char* end = nullptr;
    errno = 0;
    const double d = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(d)) {
        throw InvalidArgument(where(field) + ": not a number: '" + v + "'");
    }
    return d;
}

double FeatureFields::number_or(const std::string& field, double fallback) const {
    return has(field) ? number(field) : fallback;
}

GeoPoint FeatureFields::position(const OGRLayer& layer) const {
    if (has("lat_deg") || has("lon_deg")) {
        return GeoPoint{.lat_deg = number("lat_deg"), .lon_deg = number("lon_deg")};
    }
    if (has("x_m") || has("y_m")) {
        OGRSpatialReference srs;
        const std::string crs = text("crs");
        if (srs.SetFromUserInput(crs.c_str()) != OGRERR_NONE) {
            throw InvalidArgument(where("crs") + ": unknown CRS '" + crs + "'");
        }
        return point_to_wgs84(&srs, number("x_m"), number("y_m"), m_context);
    }
    const OGRGeometry* g = m_feature.GetGeometryRef();
    if (g == nullptr || wkbFlatten(g->getGeometryType()) != wkbPoint) {
        throw InvalidArgument(m_context + ": no position: the geometry must be a point, or give lat_deg and lon_deg "
                                          "(or x_m, y_m and crs)");
    }
    const auto* pt = g->toPoint();
    return point_to_wgs84(srs_of(*g, layer), pt->getX(), pt->getY(), m_context);
}

} // namespace coverage::detail
