// Coordinate transformation between WGS84 and a grid CRS, through PROJ.
#ifndef COVERAGE_IO_CRS_TRANSFORM_HPP
#define COVERAGE_IO_CRS_TRANSFORM_HPP

#include <coverage/core/geo.hpp>

#include <memory>
#include <mutex>
#include <string>

namespace coverage::detail {

/**
 * WGS84 (lat/lon order normalised to lon/lat) ↔ a target CRS. PROJ objects are not thread-safe,
 * so calls are serialised by a mutex; they happen per site or per point, never per raster cell.
 */
class CrsTransform {
public:
    /** @throws InvalidArgument for an unknown CRS (named) or one that is not projected. */
    explicit CrsTransform(const std::string& target_crs);
    ~CrsTransform();
    CrsTransform(const CrsTransform&) = delete;
    CrsTransform& operator=(const CrsTransform&) = delete;

    /** @throws OutOfDomain when the point cannot be transformed. */
    [[nodiscard]] GridPoint forward(GeoPoint p) const;
    [[nodiscard]] GeoPoint inverse(GridPoint p) const;

    /** The target CRS as WKT2 (for writing rasters). */
    [[nodiscard]] const std::string& wkt() const noexcept { return m_wkt; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_wkt;
    mutable std::mutex m_mutex;
};

/** Check that PROJ knows `crs` and that it is projected (metric axes). @throws InvalidArgument naming it. */
void check_projected_crs(const std::string& crs);

} // namespace coverage::detail

#endif // COVERAGE_IO_CRS_TRANSFORM_HPP
