#ifndef COVERAGE_IO_VECTOR_LAYER_HPP
#define COVERAGE_IO_VECTOR_LAYER_HPP

// Vector layers (CSV, GeoJSON, GeoPackage, KML, Shapefile) read as plain features: named text fields and a
// geometry already in WGS84. The domain readers (sites, hamlets, fibre, candidates, map lines) are written on
// top of this in their own layers; nothing here knows what a feature means, and no GDAL type is exposed.

#include <coverage/core/geo.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/** One simple part of a feature's geometry, in WGS84. */
struct GeometryPart {
    enum class Kind { point, line, ring };
    Kind kind = Kind::point;
    std::string type_name;          ///< as the source names the simple geometry ("Point", "LineString", ...)
    std::vector<GeoPoint> points;   ///< one for a point; a ring is closed (first point repeated last)
};

/** A feature's geometry: the parts of multi-geometries and collections in order, polygons as their rings. */
struct FeatureGeometry {
    enum class Kind { none, point, line, polygon, multi_point, multi_line, multi_polygon, collection, other };
    Kind kind = Kind::none;
    std::string type_name;               ///< e.g. "Polygon", "MultiLineString"; "" for none
    std::vector<GeometryPart> parts;     ///< empty for none and other
    std::optional<GeoPoint> inside;      ///< polygons: a point guaranteed inside the surface
};

/** A feature as read: its 1-based number in the layer, its non-blank field values as text, its geometry. */
struct VectorFeature {
    int number = 0;
    std::map<std::string, std::string> values;  ///< trimmed text; blank and null values are absent
    FeatureGeometry geometry;
};

/** A whole layer (the first of its file). */
struct VectorLayer {
    std::string path;
    std::vector<std::string> field_names;   ///< in the file's order
    std::vector<VectorFeature> features;
};

/**
 * Read the first layer of a vector file. `what` names the file in errors ("sites file") and `noun` counts its
 * features ("row" for tables, "feature" for geometries): "sites file 'a.csv', row 3: ...".
 * Geometries are transformed to WGS84 from their own CRS, else the layer's; with neither they are taken as
 * longitude, latitude.
 * @throws IoError when the file does not exist or cannot be opened; InvalidArgument naming file and feature when a
 *         geometry cannot be transformed.
 */
[[nodiscard]] VectorLayer read_layer(const std::string& path, const std::string& what, const std::string& noun = "feature");

/**
 * Refuse a field that looks like a misspelt `known` one, so that a typo never falls back to a default silently;
 * other fields (a GIS layer's own attributes) are left alone. A near miss is a field that is not known but equals a
 * known name ignoring case and punctuation, is a known name's stem without its unit or with another unit
 * (`settlement_radius`, `settlement_radius_km` for `settlement_radius_m`), or differs from a known name of 6 letters
 * or more by at most two letters (one for shorter names).
 * @throws InvalidArgument "<what> '<path>': field 'x' is not one this reader knows; did you mean 'y'?".
 */
void refuse_near_misses(const VectorLayer& layer, const std::string& what, const std::vector<std::string>& known);

/**
 * Checked access to one feature's fields, with errors "<context>, <noun> <field>: <problem>".
 * Blank values count as missing.
 */
class FeatureFields {
public:
    FeatureFields(std::string context, std::string noun, const VectorFeature& feature)
        : m_context(std::move(context)), m_noun(std::move(noun)), m_feature(feature) {}
    void set_context(std::string context) { m_context = std::move(context); }
    [[nodiscard]] const std::string& context() const noexcept { return m_context; }
    [[nodiscard]] std::string where(const std::string& field) const { return m_context + ", " + m_noun + " " + field; }
    [[nodiscard]] bool has(const std::string& field) const { return m_feature.values.count(field) != 0; }
    /** Trimmed text. @throws InvalidArgument "value missing". */
    [[nodiscard]] std::string text(const std::string& field) const;
    [[nodiscard]] std::string text_or(const std::string& field, const std::string& fallback) const;
    /** A finite number. @throws InvalidArgument "value missing" or "not a number: '…'". */
    [[nodiscard]] double number(const std::string& field) const;
    [[nodiscard]] double number_or(const std::string& field, double fallback) const;
    /**
     * The feature's position in WGS84: from lat_deg/lon_deg, else x_m/y_m with a `crs` field, else a point
     * geometry. @throws InvalidArgument when there is none or it cannot be transformed.
     */
    [[nodiscard]] GeoPoint position() const;

private:
    std::string m_context;
    std::string m_noun;
    const VectorFeature& m_feature;
};

/**
 * A point given in any CRS PROJ knows (EPSG code, WKT, PROJ string) to WGS84.
 * @throws InvalidArgument "<crs_where>: unknown CRS '…'" or "<where>: cannot transform the position to WGS84".
 */
[[nodiscard]] GeoPoint point_to_wgs84(const std::string& crs, double x, double y, const std::string& crs_where,
                                      const std::string& where);

} // namespace coverage

#endif // COVERAGE_IO_VECTOR_LAYER_HPP
