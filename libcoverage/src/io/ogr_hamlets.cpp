// read_hamlets: settlements from GeoJSON / GeoPackage / CSV through OGR.

#include <coverage/error.hpp>
#include <coverage/hamlet.hpp>

#include "gdal_common.hpp"

#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace coverage {

std::vector<Hamlet> read_hamlets(const std::string& path) {
    detail::register_gdal();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw IoError("hamlets file '" + path + "' does not exist");
    }
    detail::DatasetPtr ds;
    {
        detail::QuietGdal quiet;
        ds.reset(GDALDataset::FromHandle(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
        if (!ds || ds->GetLayerCount() < 1) {
            throw IoError("cannot open hamlets file '" + path + "': " + detail::last_gdal_error());
        }
    }
    OGRLayer* layer = ds->GetLayer(0);
    const OGRFeatureDefn& defn = *layer->GetLayerDefn();
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::vector<Hamlet> out;
    int row = 0;
    for (auto& f : *layer) {
        ++row;
        const std::string here = "hamlets file '" + path + "', feature " + std::to_string(row);
        auto has = [&](const char* col) {
            const int i = defn.GetFieldIndex(col);
            return i >= 0 && f->IsFieldSetAndNotNull(i) && std::string(f->GetFieldAsString(i)).find_first_not_of(" ") != std::string::npos;
        };
        auto num = [&](const char* col) {
            const std::string v = f->GetFieldAsString(defn.GetFieldIndex(col));
            char* end = nullptr;
            const double d = std::strtod(v.c_str(), &end);
            if (end == v.c_str() || *end != '\0' || !std::isfinite(d)) {
                throw InvalidArgument(here + ", field " + col + ": not a number: '" + v + "'");
            }
            return d;
        };
        Hamlet h;
        if (!has("name")) {
            throw InvalidArgument(here + ", field name: value missing");
        }
        h.name = f->GetFieldAsString(defn.GetFieldIndex("name"));
        h.hamlet_id = has("hamlet_id") ? std::string(f->GetFieldAsString(defn.GetFieldIndex("hamlet_id"))) : "H" + std::to_string(row);
        if (has("lat_deg") || has("lon_deg")) {
            h.location = GeoPoint{.lat_deg = num("lat_deg"), .lon_deg = num("lon_deg")};
        } else if (const OGRGeometry* g = f->GetGeometryRef(); g != nullptr && wkbFlatten(g->getGeometryType()) == wkbPoint) {
            double x = g->toPoint()->getX();
            double y = g->toPoint()->getY();
            const OGRSpatialReference* srs = g->getSpatialReference() != nullptr ? g->getSpatialReference() : layer->GetSpatialRef();
            if (srs != nullptr && !srs->IsSame(&wgs84)) {
                OGRSpatialReference src(*srs);
                src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
                std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&src, &wgs84));
                if (!ct || !ct->Transform(1, &x, &y)) {
                    throw InvalidArgument(here + ": cannot transform the position to WGS84");
                }
            }
            h.location = GeoPoint{.lat_deg = y, .lon_deg = x};
        } else {
            throw InvalidArgument(here + " ('" + h.name + "'): geometry must be a point (or give lat_deg and lon_deg)");
        }
        if (!(h.location.lat_deg >= -90 && h.location.lat_deg <= 90 && h.location.lon_deg >= -180 && h.location.lon_deg <= 180)) {
            throw InvalidArgument(here + " ('" + h.name + "'): position out of range");
        }
        for (const char* col : {"households", "population"}) {
            if (!has(col)) {
                throw InvalidArgument(here + " ('" + h.name + "'), field " + col + ": value missing");
            }
            const double v = num(col);
            if (v < 0 || v != std::floor(v)) {
                throw InvalidArgument(here + " ('" + h.name + "'), field " + col + ": must be a whole number >= 0 (got " + std::to_string(v) + ")");
            }
            (std::string(col) == "households" ? h.households : h.population) = static_cast<int>(v);
        }
        if (has("settlement_radius_m")) {
            h.settlement_radius_m = num("settlement_radius_m");
            if (!(h.settlement_radius_m > 0.0 && h.settlement_radius_m <= 5000.0)) {
                throw InvalidArgument(here + " ('" + h.name + "'), field settlement_radius_m: must be > 0 and <= 5000 m");
            }
        }
        out.push_back(h);
    }
    if (out.empty()) {
        throw InvalidArgument("hamlets file '" + path + "' has no features");
    }
    return out;
}

} // namespace coverage
