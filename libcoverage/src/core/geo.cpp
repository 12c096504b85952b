#include <coverage/core/error.hpp>
#include <coverage/core/geo.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

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

void GeoBox::include(GeoPoint p, double radius_m) noexcept {
    const double dlat = radius_m / 111000.0;
    const double dlon = dlat / std::max(0.1, std::cos(p.lat_deg * std::numbers::pi / 180.0));
    south_deg = std::min(south_deg, p.lat_deg - dlat);
    north_deg = std::max(north_deg, p.lat_deg + dlat);
    west_deg = std::min(west_deg, p.lon_deg - dlon);
    east_deg = std::max(east_deg, p.lon_deg + dlon);
}

std::string describe(GeoPoint p) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.5f %s, %.5f %s", std::fabs(p.lat_deg), p.lat_deg >= 0 ? "N" : "S",
                  std::fabs(p.lon_deg), p.lon_deg >= 0 ? "E" : "W");
    return buf;
}

} // namespace coverage
