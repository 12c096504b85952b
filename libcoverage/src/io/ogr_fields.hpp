// Private: reading features of a vector file (sites, hamlets) with errors that name file, row and field.
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

/** Open a vector file with at least one layer. `what` names it in errors ("sites file"). @throws IoError. */
[[nodiscard]] DatasetPtr open_vector(const std::string& path, const std::string& what);

/**
 * The fields of one feature. `context` ("sites file 'a.csv', row 3") and `noun` ("column" or "field") make
 * the error messages: "<context>, <noun> <name>: <problem>". Blank values count as missing.
 */
class FeatureFields {
public:
    FeatureFields(std::string context, const char* noun, OGRFeature& feature, const OGRFeatureDefn& defn)
        : m_context(std::move(context)), m_noun(noun), m_feature(feature), m_defn(defn) {}

    void set_context(std::string context) { m_context = std::move(context); }
    [[nodiscard]] const std::string& context() const noexcept { return m_context; }
    [[nodiscard]] std::string where(const std::string& field) const { return m_context + ", " + m_noun + " " + field; }

    [[nodiscard]] bool has(const std::string& field) const;
    /** Trimmed text. @throws InvalidArgument "value missing". */
    [[nodiscard]] std::string text(const std::string& field) const;
    [[nodiscard]] std::string text_or(const std::string& field, const std::string& fallback) const;
    /** A finite number. @throws InvalidArgument "value missing" or "not a number: '…'". */
    [[nodiscard]] double number(const std::string& field) const;
    [[nodiscard]] double number_or(const std::string& field, double fallback) const;

    /**
     * The feature's position in WGS84: from lat_deg/lon_deg, else x_m/y_m with a `crs` field, else a point
     * geometry (in the layer's CRS). @throws InvalidArgument when there is none or it cannot be transformed.
     */
    [[nodiscard]] GeoPoint position(const OGRLayer& layer) const;

private:
    std::string m_context;
    const char* m_noun;
    OGRFeature& m_feature;
    const OGRFeatureDefn& m_defn;
};

} // namespace coverage::detail

#endif
