// Composites: the best server of each cell (by class where technologies compete), its signal and class, and the
// number of sectors that serve it.

#include <coverage/coverage/technology_coverage.hpp>

#include "coverage/engine_parts.hpp"

#include <vector>

namespace coverage::detail {

// Best server, its signal and class, and server count, over the sectors passing `only` (all when empty).
Composite combine(const Dem& dem, const std::vector<Sector>& sectors, const std::vector<Raster<float>>& loss_db,
                  const std::vector<SectorGeometry>& geometry, const CoverageOptions& o, std::optional<Technology> only,
                  SharedProgress* progress) {
    const Raster<float>& z = dem.raster();
    const int w = z.width();
    const int h = z.height();
    const ServerRanking ranking(sectors, o, only);
    // Each sector's path loss covers its window of the grid (the cells within its radius).
    std::vector<GridOffset> at;
    at.reserve(loss_db.size());
    for (std::size_t i = 0; i < loss_db.size(); ++i) {
        at.push_back(require_on_grid(loss_db[i], "the path loss of sector '" + sectors[i].sector_id + "'", z, "the DEM"));
    }
    Composite c{Raster<float>(w, h, z.transform(), z.crs(), nan_f), Raster<std::uint16_t>(w, h, z.transform(), z.crs(), no_server),
                Raster<std::uint8_t>(w, h, z.transform(), z.crs(), no_class),
                Raster<std::uint8_t>(w, h, z.transform(), z.crs(), std::uint8_t{0})};
    tbb::parallel_for(tbb::blocked_range<int>(0, h), [&](const tbb::blocked_range<int>& rows) {
        std::vector<std::size_t> in_row; // the sectors whose window holds this row, in their order (ties keep it)
        for (int row = rows.begin(); row != rows.end(); ++row) {
            in_row.clear();
            for (std::size_t i = 0; i < sectors.size(); ++i) {
                if ((!only || sectors[i].technology == *only) && row >= at[i].row && row < at[i].row + loss_db[i].height()) {
                    in_row.push_back(i);
                }
            }
            for (int col = 0; col < w; ++col) {
                const GridPoint centre = dem.cell_centre(col, row);
                const double z_cell = z.at(col, row);
                if (std::isnan(z_cell)) {
                    continue;
                }
                BestServer best;
                int count = 0;
                for (const std::size_t i : in_row) {
                    const int wc = col - at[i].col;
                    const int wr = row - at[i].row;
                    if (wc < 0 || wc >= loss_db[i].width()) {
                        continue;
                    }
                    const float loss = loss_db[i].at(wc, wr);
                    if (std::isnan(loss)) {
                        continue;
                    }
                    const double sig = cell_signal(geometry[i], sectors[i], loss, centre, z_cell, o);
                    if (sig >= o.server_threshold_dbm) {
                        ++count;
                    }
                    best.offer(ranking, sectors[i], i, static_cast<float>(sig));
                }
                c.server_count.at(col, row) = static_cast<std::uint8_t>(std::min(count, 254));
                if (best.index != no_server) {
                    c.signal_dbm.at(col, row) = best.signal_dbm;
                    c.best_server.at(col, row) = best.index;
                    c.signal_class.at(col, row) = static_cast<std::uint8_t>(ranking.thresholds(sectors[best.index]).classify(best.signal_dbm));
                }
            }
        }
        if (progress != nullptr) {
            progress->add(static_cast<std::size_t>(rows.size()), "combining sectors");
        }
    });
    return c;
}

} // namespace coverage::detail

namespace coverage {

using detail::combine;
using detail::geometry_of;
using detail::SectorGeometry;

Composite combine_sectors(const CoverageMap& map, const Dem& dem, const CoverageOptions& options, std::optional<Technology> only) {
    if (map.path_loss_db.size() != map.sectors.size()) {
        throw InvalidArgument("combine_sectors: the map has no path-loss rasters (line-of-sight mode?)");
    }
    for (std::size_t i = 0; i < map.path_loss_db.size(); ++i) {
        require_on_grid(map.path_loss_db[i], "combine_sectors: the path loss of sector '" + map.sectors[i].sector_id + "'",
                        dem.raster(), "the DEM");
    }
    std::vector<SectorGeometry> geometry;
    for (const Sector& s : map.sectors) {
        const GridPoint g = dem.to_grid(s.location);
        const auto z = dem.try_elevation_m(g, options.profile_sampling);
        if (!z && !s.ground_elev_m) {
            throw OutOfDomain("sector '" + s.sector_id + "' at " + describe(s.location) + " is off the DEM");
        }
        const double ground = s.ground_elev_m ? *s.ground_elev_m : *z;
        geometry.push_back(geometry_of(dem, g, ground, s, 0.0, {}, options.profile_sampling));
    }
    return combine(dem, map.sectors, map.path_loss_db, geometry, options, only, nullptr);
}

std::vector<TechnologyCoverage> coverage_by_technology(const CoverageMap& map, const Dem& dem, const CoverageOptions& options) {
    std::vector<TechnologyCoverage> out;
    for (const TechnologyTraits& traits : technology_table) {
        const Technology t = traits.technology;
        if (std::any_of(map.sectors.begin(), map.sectors.end(), [&](const Sector& s) { return s.technology == t; })) {
            out.push_back(TechnologyCoverage{t, combine_sectors(map, dem, options, t), options.thresholds[t]});
        }
    }
    return out;
}

float CoverageMap::path_loss_at(std::size_t sector, int col, int row) const {
    if (sector >= path_loss_db.size()) {
        throw InvalidArgument("path_loss_at: no path loss for sector " + std::to_string(sector) + " (the map has " +
                              std::to_string(path_loss_db.size()) + ")");
    }
    const Raster<float>& w = path_loss_db[sector];
    const GridOffset at = require_on_grid(w, "the path loss of sector '" + sectors.at(sector).sector_id + "'", signal_dbm, "the map");
    return w.contains(col - at.col, row - at.row) ? w.at(col - at.col, row - at.row) : detail::nan_f;
}

Raster<float> CoverageMap::path_loss_on_grid(std::size_t sector) const {
    if (sector >= path_loss_db.size()) {
        throw InvalidArgument("path_loss_on_grid: no path loss for sector " + std::to_string(sector) + " (the map has " +
                              std::to_string(path_loss_db.size()) + ")");
    }
    const Raster<float>& w = path_loss_db[sector];
    const GridOffset at = require_on_grid(w, "the path loss of sector '" + sectors.at(sector).sector_id + "'", signal_dbm, "the map");
    Raster<float> full(signal_dbm.width(), signal_dbm.height(), signal_dbm.transform(), signal_dbm.crs(), detail::nan_f);
    for (int r = 0; r < w.height(); ++r) {
        std::copy_n(w.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(w.width()), w.width(), &full.at(at.col, at.row + r));
    }
    return full;
}

} // namespace coverage
