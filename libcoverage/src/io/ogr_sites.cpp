// read_sites: sectors from CSV / GeoJSON / GeoPackage through OGR.

#include <coverage/error.hpp>
#include <coverage/site.hpp>

#include "gdal_common.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>

namespace coverage {

namespace {

struct Row {
    const std::string& path;
    int row;
    OGRFeature& f;
    const OGRFeatureDefn& defn;

    [[nodiscard]] std::string where(const std::string& column) const {
        return "sites file '" + path + "', row " + std::to_string(row) + ", column " + column;
    }
    [[nodiscard]] bool has(const std::string& column) const {
        const int i = defn.GetFieldIndex(column.c_str());
        if (i < 0 || !f.IsFieldSetAndNotNull(i)) {
            return false;
        }
        const std::string v = f.GetFieldAsString(i);
        return v.find_first_not_of(" \t") != std::string::npos;
    }
    [[nodiscard]] std::string text(const std::string& column) const {
        if (!has(column)) {
            throw InvalidArgument(where(column) + ": value missing");
        }
        std::string v = f.GetFieldAsString(defn.GetFieldIndex(column.c_str()));
        const auto b = v.find_first_not_of(" \t");
        const auto e = v.find_last_not_of(" \t\r");
        return v.substr(b, e - b + 1);
    }
    [[nodiscard]] std::string text_or(const std::string& column, const std::string& fallback) const {
        return has(column) ? text(column) : fallback;
    }
    [[nodiscard]] double number(const std::string& column) const {
        const std::string v = text(column);
        char* end = nullptr;
        errno = 0;
        const double d = std::strtod(v.c_str(), &end);
        if (end == v.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(d)) {
            throw InvalidArgument(where(column) + ": not a number: '" + v + "'");
        }
        return d;
    }
    [[nodiscard]] double number_or(const std::string& column, double fallback) const {
        return has(column) ? number(column) : fallback;
    }
};

GeoPoint transform_to_wgs84(const OGRSpatialReference& srs, double x, double y, const std::string& where) {
    OGRSpatialReference src(srs);
    src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&src, &wgs84));
    if (!ct || !ct->Transform(1, &x, &y)) {
        throw InvalidArgument(where + ": cannot transform the position to WGS84");
    }
    return GeoPoint{.lat_deg = y, .lon_deg = x};
}

} // namespace

void validate_sector(const Sector& s, const std::string& where) {
    auto bad = [&](const std::string& field, const std::string& why) {
        throw InvalidArgument(where + ", column " + field + ": " + why);
    };
    if (!(s.location.lat_deg >= -90.0 && s.location.lat_deg <= 90.0)) bad("lat_deg", "must be -90..90");
    if (!(s.location.lon_deg >= -180.0 && s.location.lon_deg <= 180.0)) bad("lon_deg", "must be -180..180");
    if (!(s.height_agl_m > 0.0 && s.height_agl_m <= 3000.0)) bad("height_agl_m", "must be > 0 and <= 3000 m (got " + std::to_string(s.height_agl_m) + ")");
    if (!(s.freq_mhz > 0.0)) bad("freq_mhz", "must be > 0 (got " + std::to_string(s.freq_mhz) + ")");
    if (!(s.tx_power_dbm > -30.0 && s.tx_power_dbm < 80.0)) bad("tx_power_dbm", "must be between -30 and 80 dBm (got " + std::to_string(s.tx_power_dbm) + ")");
    if (!(s.antenna_gain_dbi > -20.0 && s.antenna_gain_dbi < 40.0)) bad("antenna_gain_dbi", "must be between -20 and 40 dBi");
    if (!(s.cable_loss_db >= 0.0 && s.cable_loss_db < 30.0)) bad("cable_loss_db", "must be 0..30 dB");
    if (!(s.azimuth_deg >= 0.0 && s.azimuth_deg < 360.0)) bad("azimuth_deg", "must be 0 <= azimuth < 360 (got " + std::to_string(s.azimuth_deg) + ")");
    if (!(s.tilt_deg >= -90.0 && s.tilt_deg <= 90.0)) bad("tilt_deg", "must be -90..90 (got " + std::to_string(s.tilt_deg) + ")");
    if (s.technology == Technology::lte) {
        try {
            (void)lte_resource_blocks(s.bandwidth_mhz);
        } catch (const InvalidArgument& e) {
            bad("bandwidth_mhz", e.what());
        }
    }
    if (s.ground_elev_m && !std::isfinite(*s.ground_elev_m)) bad("ground_elev_m", "must be a finite number");
}

std::vector<Sector> read_sites(const std::string& path) {
    detail::register_gdal();
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        throw IoError("sites file '" + path + "' does not exist");
    }
    detail::DatasetPtr ds;
    {
        detail::QuietGdal quiet;
        ds.reset(GDALDataset::FromHandle(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
        if (!ds || ds->GetLayerCount() < 1) {
            throw IoError("cannot open sites file '" + path + "' as CSV, GeoJSON or GeoPackage: " + detail::last_gdal_error());
        }
    }
    OGRLayer* layer = ds->GetLayer(0);
    const OGRFeatureDefn& defn = *layer->GetLayerDefn();
    const fs::path folder = fs::path(path).parent_path();

    // Unknown columns are most often typos of known ones: refuse them, naming the column.
    static const std::set<std::string> known = {"site_id", "sector_id", "name", "lat_deg", "lon_deg", "x_m", "y_m", "crs",
                                                "ground_elev_m", "height_agl_m", "technology", "freq_mhz", "bandwidth_mhz",
                                                "tx_power_dbm", "antenna_gain_dbi", "cable_loss_db", "azimuth_deg",
                                                "tilt_deg", "pattern", "operator"};
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        const std::string col = defn.GetFieldDefn(i)->GetNameRef();
        if (known.count(col) == 0) {
            throw InvalidArgument("sites file '" + path + "': unknown column '" + col + "' (expected: site_id, name, "
                                  "lat_deg, lon_deg, height_agl_m, technology, freq_mhz, ... see the README)");
        }
    }

    std::map<std::string, std::shared_ptr<const AntennaPattern>> patterns;
    std::set<std::string> sector_ids;
    std::vector<Sector> out;
    layer->ResetReading();
    int row = 0;
    for (auto& feature : *layer) {
        ++row;
        const Row r{path, row, *feature, defn};
        const std::string here = "sites file '" + path + "', row " + std::to_string(row);
        Sector s;
        s.site_id = r.text("site_id");
        s.sector_id = r.text_or("sector_id", s.site_id + "/" + std::to_string(row));
        if (!sector_ids.insert(s.sector_id).second) {
            throw InvalidArgument(r.where("sector_id") + ": duplicate sector '" + s.sector_id + "'");
        }
        s.name = r.text_or("name", s.site_id);
        if (r.has("lat_deg") || r.has("lon_deg")) {
            s.location = GeoPoint{.lat_deg = r.number("lat_deg"), .lon_deg = r.number("lon_deg")};
        } else if (r.has("x_m") || r.has("y_m")) {
            OGRSpatialReference srs;
            const std::string crs = r.text("crs");
            if (srs.SetFromUserInput(crs.c_str()) != OGRERR_NONE) {
                throw InvalidArgument(r.where("crs") + ": unknown CRS '" + crs + "'");
            }
            s.location = transform_to_wgs84(srs, r.number("x_m"), r.number("y_m"), here);
        } else if (const OGRGeometry* g = feature->GetGeometryRef(); g != nullptr && wkbFlatten(g->getGeometryType()) == wkbPoint) {
            const auto* pt = g->toPoint();
            const OGRSpatialReference* srs = g->getSpatialReference() != nullptr ? g->getSpatialReference() : layer->GetSpatialRef();
            if (srs == nullptr) {
                s.location = GeoPoint{.lat_deg = pt->getY(), .lon_deg = pt->getX()};
            } else {
                s.location = transform_to_wgs84(*srs, pt->getX(), pt->getY(), here);
            }
        } else {
            throw InvalidArgument(here + ": no position (give lat_deg and lon_deg, x_m/y_m with crs, or a point geometry)");
        }
        if (r.has("ground_elev_m")) {
            s.ground_elev_m = r.number("ground_elev_m");
        }
        s.height_agl_m = r.number("height_agl_m");
        const std::string tech = r.text("technology");
        if (tech == "lte") {
            s.technology = Technology::lte;
        } else if (tech == "umts") {
            s.technology = Technology::umts;
        } else {
            throw InvalidArgument(r.where("technology") + ": must be 'lte' or 'umts' (got '" + tech + "')");
        }
        s.freq_mhz = r.number("freq_mhz");
        s.bandwidth_mhz = r.number_or("bandwidth_mhz", s.technology == Technology::lte ? 10.0 : 5.0);
        s.tx_power_dbm = r.number("tx_power_dbm");
        s.antenna_gain_dbi = r.number_or("antenna_gain_dbi", s.antenna_gain_dbi);
        s.cable_loss_db = r.number_or("cable_loss_db", s.cable_loss_db);
        s.azimuth_deg = r.number_or("azimuth_deg", 0.0);
        s.tilt_deg = r.number_or("tilt_deg", 0.0);
        s.operator_name = r.text_or("operator", "");
        const std::string pattern = r.text_or("pattern", "omni");
        if (pattern != "omni") {
            const fs::path p = fs::path(pattern).is_absolute() ? fs::path(pattern) : folder / pattern;
            auto it = patterns.find(p.string());
            if (it == patterns.end()) {
                try {
                    it = patterns.emplace(p.string(), std::make_shared<const AntennaPattern>(AntennaPattern::read_msi(p.string()))).first;
                } catch (const Error& e) {
                    throw InvalidArgument(r.where("pattern") + ": " + e.what());
                }
            }
            s.pattern = it->second;
            s.pattern_source = p.string();
        }
        validate_sector(s, here);
        out.push_back(std::move(s));
    }
    if (out.empty()) {
        throw InvalidArgument("sites file '" + path + "' has no sectors");
    }
    return out;
}

} // namespace coverage
