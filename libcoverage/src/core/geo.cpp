#include <coverage/core/error.hpp>
#include <coverage/core/geo.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace coverage {

PixelPoint GeoTransform::geo_to_pixel(GridPoint g) const {
    const double det = xscale * yscale - xrot * yrot;
    if (det == 0.0) {
        throw InvalidArgument("GeoTransform is singular (zero determinant)");
    }
    const double dx = g.x_m - xorig;
    const double dy = g.y_m - yorig;
    return PixelPoint{.col = (dx * yscale - dy * xrot) / det, .row = (dy * xscale - dx * yrot) / det};
}

double great_circle_distance_m(GeoPoint a, GeoPoint b) noexcept {
    constexpr double rad = std::numbers::pi / 180.0;
    const double dlat = (b.lat_deg - a.lat_deg) * rad;
    const double dlon = (b.lon_deg - a.lon_deg) * rad;
    const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(a.lat_deg * rad) * std::cos(b.lat_deg * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2.0 * earth_radius_m * std::asin(std::min(1.0, std::sqrt(h)));
}

int utm_epsg_for(GeoPoint p) noexcept {
    int zone = static_cast<int>(std::floor((p.lon_deg + 180.0) / 6.0)) + 1;
    zone = std::clamp(zone, 1, 60);
    return (p.lat_deg >= 0.0 ? 32600 : 32700) + zone;
}

} // namespace coverage
