#ifndef COVERAGE_GEO_HPP
#define COVERAGE_GEO_HPP

#include <array>
#include <string>

namespace coverage {

/** A WGS84 geographic position. Always built with designated initializers:
 *  `GeoPoint{.lat_deg = 21.9, .lon_deg = 106.0}`; never positional. */
struct GeoPoint {
    double lat_deg = 0.0;
    double lon_deg = 0.0;
    bool operator==(const GeoPoint&) const = default;
};

/** A position in a projected (metric) grid CRS. */
struct GridPoint {
    double x_m = 0.0; ///< easting, metres
    double y_m = 0.0; ///< northing, metres
    bool operator==(const GridPoint&) const = default;
};

/** Pixel/line position (fractional; pixel centres at +0.5). */
struct PixelPoint {
    double col = 0.0;
    double row = 0.0;
};

/**
 * Affine georeferencing in GDAL's coefficient order and naming
 * (GDAL `gcore/gdal_geotransform.h`): x = xorig + col·xscale + row·xrot, y = yorig + col·yrot + row·yscale,
 * (col,row) measured from the top-left corner of the top-left pixel.
 */
struct GeoTransform {
    double xorig = 0.0;
    double xscale = 1.0;
    double xrot = 0.0;
    double yorig = 0.0;
    double yrot = 0.0;
    double yscale = -1.0;

    bool operator==(const GeoTransform&) const = default;

    [[nodiscard]] static GeoTransform from_gdal(const std::array<double, 6>& gt) noexcept {
        return GeoTransform{gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]};
    }
    [[nodiscard]] std::array<double, 6> to_gdal() const noexcept {
        return {xorig, xscale, xrot, yorig, yrot, yscale};
    }
    [[nodiscard]] GridPoint pixel_to_geo(PixelPoint p) const noexcept {
        return GridPoint{.x_m = xorig + p.col * xscale + p.row * xrot,
                         .y_m = yorig + p.col * yrot + p.row * yscale};
    }
    /** Inverse of pixel_to_geo. @throws InvalidArgument when the transform is singular. */
    [[nodiscard]] PixelPoint geo_to_pixel(GridPoint g) const;
};

/** A coordinate reference system, held as text GDAL/PROJ understand: WKT2, PROJJSON or `EPSG:n`. */
struct Crs {
    std::string definition;
    bool operator==(const Crs&) const = default;
    [[nodiscard]] bool empty() const noexcept { return definition.empty(); }
};

/** Mean earth radius used for geometry where the effective-earth factor is applied (ITU-R P.452: 6371 km). */
inline constexpr double earth_radius_m = 6'371'000.0;

/** Great-circle distance on a sphere of radius earth_radius_m (haversine). */
[[nodiscard]] double great_circle_distance_m(GeoPoint a, GeoPoint b) noexcept;

/** EPSG code of the WGS84 UTM zone containing `p` (326zz north, 327zz south). */
[[nodiscard]] int utm_epsg_for(GeoPoint p) noexcept;

/** A geographic bounding box, WGS84 degrees. */
struct GeoBox {
    double south_deg = 0.0;
    double west_deg = 0.0;
    double north_deg = 0.0;
    double east_deg = 0.0;
    bool operator==(const GeoBox&) const = default;

    /** A box holding nothing yet, for include() to grow. */
    [[nodiscard]] static GeoBox empty() noexcept { return {.south_deg = 90.0, .west_deg = 180.0, .north_deg = -90.0, .east_deg = -180.0}; }
    /** Grow to hold the disc of `radius_m` around `p` (111 km per degree of latitude; longitude scaled by cos(latitude)). */
    void include(GeoPoint p, double radius_m) noexcept;
};

/** Describe a point for error messages: "21.90000 N, 106.00000 E". */
[[nodiscard]] std::string describe(GeoPoint p);

} // namespace coverage

#endif // COVERAGE_GEO_HPP
