// read_layer: the first layer of a vector file as plain features (text fields, WGS84 geometry), through OGR.

#include <coverage/io/vector_layer.hpp>

#include <coverage/core/error.hpp>
#include <coverage/core/numbers.hpp>

#include "io/input_sources.hpp"
#include "io/ogr_fields.hpp"

#include <cpl_json.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <iterator>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
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
    const detail::DatasetPtr ds = detail::open_input_vector(path, what);
    OGRLayer* layer = ds->GetLayer(0);
    const OGRFeatureDefn& defn = *layer->GetLayerDefn();
    VectorLayer out;
    out.path = path;
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        out.field_names.emplace_back(defn.GetFieldDefn(i)->GetNameRef());
    }
    // A GeoJSON column mixing numbers and booleans is typed as numbers by OGR, `true` becoming 1: such fields are
    // looked up in the feature's own JSON (kept by NATIVE_DATA=YES), so that a boolean stays the word.
    std::vector<bool> numeric(static_cast<std::size_t>(defn.GetFieldCount()), false);
    bool any_numeric = false;
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        const OGRFieldType t = defn.GetFieldDefn(i)->GetType();
        numeric[static_cast<std::size_t>(i)] = (t == OFTInteger || t == OFTInteger64 || t == OFTReal) &&
                                               defn.GetFieldDefn(i)->GetSubType() != OFSTBoolean;
        any_numeric = any_numeric || numeric[static_cast<std::size_t>(i)];
    }
    layer->ResetReading();
    int number = 0;
    for (auto& f : *layer) {
        ++number;
        VectorFeature feature;
        feature.number = number;
        CPLJSONObject properties;
        if (const char* native = f->GetNativeData(); any_numeric && native != nullptr && f->GetNativeMediaType() != nullptr &&
                                                     std::string_view(f->GetNativeMediaType()) == "application/vnd.geo+json") {
            CPLJSONDocument doc;
            if (doc.LoadMemory(std::string(native))) {
                properties = doc.GetRoot().GetObj("properties");
            }
        }
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            if (!f->IsFieldSetAndNotNull(i)) {
                continue;
            }
            bool boolean = defn.GetFieldDefn(i)->GetSubType() == OFSTBoolean;
            if (!boolean && numeric[static_cast<std::size_t>(i)] && properties.IsValid()) {
                boolean = properties.GetObj(defn.GetFieldDefn(i)->GetNameRef()).GetType() == CPLJSONObject::Type::Boolean;
            }
            // A boolean (JSON true/false) is kept as the word, so that it is never read as the number 1 or 0.
            std::string v = boolean ? std::string(f->GetFieldAsInteger(i) != 0 ? "true" : "false") : trimmed(f->GetFieldAsString(i));
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

namespace {

std::string letters_of(const std::string& s) {
    std::string r;
    for (const char c : s) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            r += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return r;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1);
    std::vector<std::size_t> cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        prev[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0U : 1U)});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

bool near_miss(const std::string& field, const std::string& known) {
    const std::string f = letters_of(field);
    const std::string k = letters_of(known);
    if (f == k) {
        return true;
    }
    // A known name's stem without its unit (settlement_radius_m -> settlement_radius), alone or with another unit.
    static const char* const units[] = {"m", "km", "ft", "mi", "deg", "rad", "db", "dbm", "dbi", "mhz", "khz", "ghz",
                                        "hz", "usd", "vnd", "pct", "s"};
    const auto is_unit = [](const std::string& u) {
        return std::any_of(std::begin(units), std::end(units), [&](const char* x) { return u == x; });
    };
    if (const auto cut = known.rfind('_'); cut != std::string::npos && cut > 0 && is_unit(known.substr(cut + 1))) {
        const std::string stem = known.substr(0, cut);
        if (field == stem || (field.rfind(stem + "_", 0) == 0 && is_unit(field.substr(stem.size() + 1)))) {
            return true;
        }
    }
    const std::size_t n = std::min(f.size(), k.size());
    const std::size_t allowed = n >= 6 ? 2 : n >= 4 ? 1 : 0;
    return allowed > 0 && edit_distance(f, k) <= allowed;
}

} // namespace

void refuse_near_misses(const VectorLayer& layer, const std::string& what, const std::vector<std::string>& known) {
    for (const std::string& field : layer.field_names) {
        if (std::find(known.begin(), known.end(), field) != known.end()) {
            continue;
        }
        for (const std::string& k : known) {
            if (near_miss(field, k)) {
                throw InvalidArgument(what + " '" + layer.path + "': field '" + field +
                                      "' is not one this reader knows; did you mean '" + k +
                                      "'? (fields it does not use are ignored, but not one so like a field it uses)");
            }
        }
    }
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
    const std::optional<double> d = parse_decimal(v);
    if (!d) {
        throw InvalidArgument(where(field) + ": not a number: '" + v + "' (expected a decimal number such as 12.5)");
    }
    return *d;
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
