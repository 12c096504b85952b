#ifndef COVERAGE_RASTER_HPP
#define COVERAGE_RASTER_HPP

#include <coverage/core/error.hpp>
#include <coverage/core/geo.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coverage {

/**
 * A georeferenced single-band grid: row-major values, row 0 at the north edge.
 * `at(col, row)` never flips axes.
 */
template <typename T>
class Raster {
public:
    Raster() = default;
    Raster(int width, int height, GeoTransform transform, Crs crs, std::optional<T> nodata = std::nullopt)
        : m_width(width), m_height(height), m_transform(transform), m_crs(std::move(crs)), m_nodata(nodata) {
        if (width <= 0 || height <= 0) {
            throw InvalidArgument("Raster: width and height must be positive (got " + std::to_string(width) + " x " +
                                  std::to_string(height) + ")");
        }
        m_values.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), nodata.value_or(T{}));
    }

    [[nodiscard]] int width() const noexcept { return m_width; }
    [[nodiscard]] int height() const noexcept { return m_height; }
    [[nodiscard]] const GeoTransform& transform() const noexcept { return m_transform; }
    [[nodiscard]] const Crs& crs() const noexcept { return m_crs; }
    [[nodiscard]] const std::optional<T>& nodata() const noexcept { return m_nodata; }

    [[nodiscard]] bool contains(int col, int row) const noexcept {
        return col >= 0 && row >= 0 && col < m_width && row < m_height;
    }
    [[nodiscard]] T& at(int col, int row) noexcept { return m_values[index(col, row)]; }
    [[nodiscard]] const T& at(int col, int row) const noexcept { return m_values[index(col, row)]; }

    [[nodiscard]] std::vector<T>& values() noexcept { return m_values; }
    [[nodiscard]] const std::vector<T>& values() const noexcept { return m_values; }
    [[nodiscard]] T* data() noexcept { return m_values.data(); }
    [[nodiscard]] const T* data() const noexcept { return m_values.data(); }

private:
    [[nodiscard]] std::size_t index(int col, int row) const noexcept {
        return static_cast<std::size_t>(row) * static_cast<std::size_t>(m_width) + static_cast<std::size_t>(col);
    }

    int m_width = 0;
    int m_height = 0;
    GeoTransform m_transform{};
    Crs m_crs{};
    std::optional<T> m_nodata{};
    std::vector<T> m_values{};
};

/** True when two rasters lie on one grid: the same size and geotransform (their cells coincide). */
template <typename A, typename B>
[[nodiscard]] bool same_grid(const Raster<A>& a, const Raster<B>& b) noexcept {
    return a.width() == b.width() && a.height() == b.height() && a.transform() == b.transform();
}

/**
 * Where rasters meet, they must share a grid: reading one at another's cell indices would read the wrong place, or
 * past its end. @throws InvalidArgument "<what>: on another grid (W × H at (x, y), cell c m) than <reference> (...)".
 */
template <typename A, typename B>
void require_same_grid(const Raster<A>& a, const std::string& what, const Raster<B>& reference, const std::string& reference_name) {
    if (same_grid(a, reference)) {
        return;
    }
    const auto describe_grid = [](int w, int h, const GeoTransform& t) {
        return std::to_string(w) + " × " + std::to_string(h) + " cells from (" + std::to_string(t.xorig) + ", " +
               std::to_string(t.yorig) + "), cell " + std::to_string(t.xscale) + " m";
    };
    throw InvalidArgument(what + " is on another grid (" + describe_grid(a.width(), a.height(), a.transform()) + ") than " +
                          reference_name + " (" + describe_grid(reference.width(), reference.height(), reference.transform()) +
                          "); rasters that are combined must share one grid");
}

} // namespace coverage

#endif // COVERAGE_RASTER_HPP
