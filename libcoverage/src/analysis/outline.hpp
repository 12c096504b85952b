#ifndef COVERAGE_ANALYSIS_OUTLINE_HPP
#define COVERAGE_ANALYSIS_OUTLINE_HPP

// Inside a settlement's outline: the even-odd rule over all its rings, for grid or geographic points.

#include <cstddef>
#include <vector>

namespace coverage::detail {

/** True when (x, y) lies inside `rings` by the even-odd rule: a ray to +x crosses the rings' edges an odd number of
 *  times. `xy(point)` gives a ring point's coordinates as a std::pair in the same units as x, y. */
template <class Point, class Xy>
bool inside_even_odd(const std::vector<std::vector<Point>>& rings, double x, double y, Xy xy) {
    bool inside = false;
    for (const auto& ring : rings) {
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            const auto [px, py] = xy(ring[i]);
            const auto [qx, qy] = xy(ring[j]);
            if ((py > y) != (qy > y) && x < px + (y - py) * (qx - px) / (qy - py)) {
                inside = !inside;
            }
        }
    }
    return inside;
}

} // namespace coverage::detail

#endif // COVERAGE_ANALYSIS_OUTLINE_HPP
