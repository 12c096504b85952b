// read_layer: the first layer of a vector file as plain features (text fields, WGS84 geometry), through OGR.

#include <coverage/io/vector_layer.hpp>

#include <coverage/core/error.hpp>

#include "io/ogr_fields.hpp"

#include <ogrsf_frmts.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace coverage {

namespace {

std::string trimmed(const std::string& v) {
    const auto b = v.find_first_not_of(" \t");
    if (b == std::string::npos) {
        return {};
    }
    const auto e = v.find_last_not_of(" \t\r");
    return v.substr(b, e - b + 1);
}

GeometryPart curve_part(const OGRSimpleCurve& curve, GeometryPart::Kind kind, const OGRSpatialReference* srs,
                        const std::string& where) {
    std::vector<double> x;
    std::vector<double> y;
    for (int i = 0; i < curve.getNumPoints(); ++i) {
        x.push_back(curve.getX(i));
        y.push_back(curve.getY(i));
    }
    return GeometryPart{.kind = kind, .type_name = OGRGeometryTypeToName(curve.getGeometryType()),
                        .points = detail::to_wgs84(srs, std::move(x), std::move(y), where)};
}

// Appends the simple parts of `g` (recursing into multi-geometries and collections); false for a kind that
// has no simple parts here (curves, surfaces, ...).
bool add_parts(const OGRGeometry& g, const OGRSpatialReference* srs, const std::string& where, std::vector<GeometryPart>& out) {
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbPoint: {
        const OGRPoint& p = *g.toPoint();
        if (p.IsEmpty()) {
            return true;
        }
        out.push_back(GeometryPart{.kind = GeometryPart::Kind::point, .type_name = "Point",
                                   .points = detail::to_wgs84(srs, {p.getX()}, {p.getY()}, where)});
        return true;
    }
    case wkbLineString:
        out.push_back(curve_part(*g.toLineString(), GeometryPart::Kind::line, srs, where));
        return true;
    case wkbPolygon:
        for (const OGRLinearRing* ring : *g.toPolygon()) {
            out.push_back(curve_part(*ring, GeometryPart::Kind::ring, srs, where));
        }
        return true;
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const OGRGeometry* part : *g.toGeometryCollection()) {
            if (!add_parts(*part, srs, where, out)) {
                out.push_back(GeometryPart{.kind = GeometryPart::Kind::point, .type_name = OGRGeometryTypeToName(part->getGeometryType()),
                                           .points = {}});
            }
        }
        return true;
    default:
        return false;
    }
}

FeatureGeometry::Kind kind_of(OGRwkbGeometryType type) {
    switch (wkbFlatten(type)) {
    case wkbPoint: return FeatureGeometry::Kind::point;
    case wkbLineString: return FeatureGeometry::Kind::line;
    case wkbPolygon: return FeatureGeometry::Kind::polygon;
    case wkbMultiPoint: return FeatureGeometry::Kind::multi_point;
    case wkbMultiLineString: return FeatureGeometry::Kind::multi_line;
    case wkbMultiPolygon: return FeatureGeometry::Kind::multi_polygon;
    case wkbGeometryCollection: return FeatureGeometry::Kind::collection;
    default: return FeatureGeometry::Kind::other;
    }
}

FeatureGeometry read_geometry(const OGRGeometry& g, const OGRSpatialReference* srs, const std::string& where) {
    FeatureGeometry out;
    out.kind = kind_of(g.getGeometryType());
    out.type_name = OGRGeometryTypeToName(g.getGeometryType());
    if (out.kind == FeatureGeometry::Kind::other || !add_parts(g, srs, where, out.parts)) {
        out.kind = FeatureGeometry::Kind::other;
        out.parts.clear();
        return out;
    }
    if (out.kind == FeatureGeometry::Kind::polygon || out.kind == FeatureGeometry::Kind::multi_polygon) {
        const std::unique_ptr<OGRGeometry> inside(
            OGRGeometry::FromHandle(OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&g)))));
        if (inside && wkbFlatten(inside->getGeometryType()) == wkbPoint && !inside->IsEmpty()) {
            out.inside = detail::to_wgs84(srs, {inside->toPoint()->getX()}, {inside->toPoint()->getY()}, where).front();
        }
    }
    return out;
}

} // namespace

VectorLayer read_layer(const std::string& path, const std::string& what, const std::string& noun) {
    const detail::DatasetPtr ds = detail::open_vector(path, what);
    OGRLayer* layer = ds->GetLayer(0);
    const OGRFeatureDefn& defn = *layer->GetLayerDefn();
    VectorLayer out;
    out.path = path;
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        out.field_names.emplace_back(defn.GetFieldDefn(i)->GetNameRef());
    }
    layer->ResetReading();
    int number = 0;
    for (auto& f : *layer) {
        ++number;
        VectorFeature feature;
        feature.number = number;
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            if (!f->IsFieldSetAndNotNull(i)) {
                continue;
            }
            std::string v = trimmed(f->GetFieldAsString(i));
            if (!v.empty()) {
                feature.values.emplace(out.field_names[static_cast<std::size_t>(i)], std::move(v));
            }
        }
        if (const OGRGeometry* g = f->GetGeometryRef(); g != nullptr) {
            const std::string where = what + " '" + path + "', " + noun + " " + std::to_string(number);
            feature.geometry = read_geometry(*g, detail::srs_of(*g, *layer), where);
        }
        out.features.push_back(std::move(feature));
    }
    return out;
}

GeoPoint point_to_wgs84(const std::string& crs, double x, double y, const std::string& crs_where, const std::string& where) {
    detail::register_gdal();
    const detail::QuietGdal quiet; // the library never prints: PROJ's complaint goes into the exception
    OGRSpatialReference srs;
    if (srs.SetFromUserInput(crs.c_str()) != OGRERR_NONE) {
        throw InvalidArgument(crs_where + ": unknown CRS '" + crs + "'");
    }
    return detail::to_wgs84(&srs, std::vector<double>{x}, std::vector<double>{y}, where).front();
}

std::string FeatureFields::text(const std::string& field) const {
    const auto it = m_feature.values.find(field);
    if (it == m_feature.values.end()) {
        throw InvalidArgument(where(field) + ": value missing");
    }
    return it->second;
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

GeoPoint FeatureFields::position() const {
    if (has("lat_deg") || has("lon_deg")) {
        return GeoPoint{.lat_deg = number("lat_deg"), .lon_deg = number("lon_deg")};
    }
    if (has("x_m") || has("y_m")) {
        return point_to_wgs84(text("crs"), number("x_m"), number("y_m"), where("crs"), m_context);
    }
    const FeatureGeometry& g = m_feature.geometry;
    if (g.kind != FeatureGeometry::Kind::point || g.parts.empty()) {
        throw InvalidArgument(m_context + ": no position: the geometry must be a point, or give lat_deg and lon_deg "
                                          "(or x_m, y_m and crs)");
    }
    return g.parts.front().points.front();
}

} // namespace coverage
