#ifndef COVERAGE_RASTER_HPP
#define COVERAGE_RASTER_HPP

#include <coverage/core/error.hpp>
#include <coverage/core/geo.hpp>

#include <cstddef>
#include <cstdio>
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

namespace detail {
/** "W × H cells from (x, y), cell c m": a grid in words, for messages. */
inline std::string describe_grid(int width, int height, const GeoTransform& t) {
    char text[160];
    std::snprintf(text, sizeof text, "%d × %d cells from (%.10g, %.10g), cell %.10g m", width, height, t.xorig, t.yorig, t.xscale);
    return text;
}
} // namespace detail

/**
 * Where rasters meet, they must share a grid: reading one at another's cell indices would read the wrong place, or
 * past its end. @throws InvalidArgument "<what> is on another grid (W × H cells from (x, y), cell c m) than <reference> (...)".
 */
template <typename A, typename B>
void require_same_grid(const Raster<A>& a, const std::string& what, const Raster<B>& reference, const std::string& reference_name) {
    if (same_grid(a, reference)) {
        return;
    }
    throw InvalidArgument(what + " is on another grid (" + detail::describe_grid(a.width(), a.height(), a.transform()) + ") than " +
                          reference_name + " (" + detail::describe_grid(reference.width(), reference.height(), reference.transform()) +
                          "); rasters that are combined must share one grid");
}

/** Where a window's first cell lies on a grid: its column and row there. */
struct GridOffset {
    int col = 0;
    int row = 0;
};

/**
 * The offset of `window` on `grid` when the window's cells are cells of the grid -- the same cell size and
 * orientation, a whole number of cells away (to 1e-6 of a cell) -- and it lies wholly inside; std::nullopt otherwise.
 */
template <typename A, typename B>
[[nodiscard]] std::optional<GridOffset> offset_on_grid(const Raster<A>& window, const Raster<B>& grid) noexcept {
    const GeoTransform& w = window.transform();
    const GeoTransform& g = grid.transform();
    if (w.xscale != g.xscale || w.yscale != g.yscale || w.xrot != g.xrot || w.yrot != g.yrot || g.xrot != 0.0 || g.yrot != 0.0) {
        return std::nullopt;
    }
    const double c = (w.xorig - g.xorig) / g.xscale;
    const double r = (w.yorig - g.yorig) / g.yscale;
    const double cr = c < 0 ? -static_cast<double>(static_cast<long long>(-c + 0.5)) : static_cast<double>(static_cast<long long>(c + 0.5));
    const double rr = r < 0 ? -static_cast<double>(static_cast<long long>(-r + 0.5)) : static_cast<double>(static_cast<long long>(r + 0.5));
    if (!(c - cr < 1e-6 && cr - c < 1e-6 && r - rr < 1e-6 && rr - r < 1e-6)) {
        return std::nullopt;
    }
    const GridOffset o{static_cast<int>(cr), static_cast<int>(rr)};
    if (o.col < 0 || o.row < 0 || o.col + window.width() > grid.width() || o.row + window.height() > grid.height()) {
        return std::nullopt;
    }
    return o;
}

/** A raster of `width` × `height` cells of `grid` from `offset` (a window of it), every value `fill`. */
template <typename T, typename B>
[[nodiscard]] Raster<T> grid_window(const Raster<B>& grid, GridOffset offset, int width, int height, std::optional<T> fill) {
    GeoTransform t = grid.transform();
    t.xorig += offset.col * t.xscale;
    t.yorig += offset.row * t.yscale;
    return Raster<T>(width, height, t, grid.crs(), fill);
}

/**
 * As require_same_grid, for a window that must be a part of `grid`. @return its offset.
 * @throws InvalidArgument "<what> is not a window of <grid_name>'s grid (W × H cells from (x, y), cell c m; the grid: ...)".
 */
template <typename A, typename B>
GridOffset require_on_grid(const Raster<A>& window, const std::string& what, const Raster<B>& grid, const std::string& grid_name) {
    if (const auto o = offset_on_grid(window, grid)) {
        return *o;
    }
    throw InvalidArgument(what + " is not a window of " + grid_name + "'s grid (" +
                          detail::describe_grid(window.width(), window.height(), window.transform()) + "; the grid: " +
                          detail::describe_grid(grid.width(), grid.height(), grid.transform()) +
                          "); rasters that are combined must share one grid");
}

} // namespace coverage

#endif // COVERAGE_RASTER_HPP
