// find_candidates: the highest ground near each dead-zone hamlet, spaced apart.

#include <coverage/planning/candidates.hpp>

#include <coverage/core/error.hpp>

#include "core/text.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace coverage {

using detail::format;

std::vector<Candidate> find_candidates(const Dem& dem, const std::vector<HamletReport>& reports, const CandidateSearch& search,
                                       const std::vector<Candidate>& existing) {
    if (!(search.search_radius_m > 0.0) || !(search.min_spacing_m >= 0.0) || search.per_hamlet < 0 ||
        !(search.mast_height_m >= 3.0 && search.mast_height_m <= 150.0)) {
        throw InvalidArgument("candidate search: radius must be > 0, spacing >= 0, per_hamlet >= 0 and mast height 3..150 m");
    }
    const Raster<float>& z = dem.raster();
    std::vector<GridPoint> taken;
    for (const Candidate& c : existing) {
        taken.push_back(dem.to_grid(c.location));
    }
    auto far_enough = [&](GridPoint p) {
        return std::all_of(taken.begin(), taken.end(),
                           [&](GridPoint q) { return std::hypot(p.x_m - q.x_m, p.y_m - q.y_m) >= search.min_spacing_m; });
    };
    std::vector<Candidate> out;
    for (const HamletReport& r : reports) {
        if (!r.dead_zone) {
            continue;
        }
        // Local peaks (higher than all 8 neighbours) within the radius, highest first.
        std::vector<std::pair<float, Dem::Cell>> peaks;
        for (const Dem::Cell& c : dem.cells_within(dem.to_grid(r.hamlet.location), search.search_radius_m)) {
            const float h = z.at(c.col, c.row);
            if (std::isnan(h)) {
                continue;
            }
            bool peak = true;
            for (int dy = -1; dy <= 1 && peak; ++dy) {
                for (int dx = -1; dx <= 1 && peak; ++dx) {
                    if ((dx != 0 || dy != 0) && z.contains(c.col + dx, c.row + dy)) {
                        const float n = z.at(c.col + dx, c.row + dy);
                        peak = std::isnan(n) || n < h;
                    }
                }
            }
            if (peak) {
                peaks.emplace_back(h, c);
            }
        }
        std::sort(peaks.begin(), peaks.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        int found = 0;
        for (const auto& [h, c] : peaks) {
            if (found >= search.per_hamlet) {
                break;
            }
            const GridPoint g = dem.cell_centre(c.col, c.row);
            if (!far_enough(g)) {
                continue;
            }
            taken.push_back(g);
            ++found;
            Candidate cand;
            cand.candidate_id = "A-" + r.hamlet.hamlet_id + (search.per_hamlet > 1 ? "-" + std::to_string(found) : std::string());
            cand.name = format("Peak %.0f m near %s", static_cast<double>(h), r.hamlet.name.c_str());
            cand.location = dem.to_geo(g);
            cand.mast_height_m = search.mast_height_m;
            cand.origin = "found";
            out.push_back(cand);
        }
    }
    return out;
}

} // namespace coverage
