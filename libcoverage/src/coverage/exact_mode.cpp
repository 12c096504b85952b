// Exact mode: every cell its own profile from the antenna (and the endpoint-only models in both modes).

#include "coverage/engine_parts.hpp"

#include <coverage/coverage/clutter_map.hpp>
#include <coverage/propagation/hata_model.hpp>
#include <coverage/propagation/p1812_model.hpp>
#include <coverage/propagation/location_variability.hpp>

namespace coverage::detail {

Kernel kernel_for(const PropagationModel& m) {
    if (const auto* q = dynamic_cast<const LocationQuantileModel*>(&m)) {
        // The median model's kernel; the share of locations only adds a margin to each cell's loss.
        return kernel_for(q->median_model()) == Kernel::endpoints ? Kernel::endpoints : Kernel::full_profile;
    }
    if (dynamic_cast<const ItmModel*>(&m) != nullptr) {
        return Kernel::itm_radial;
    }
    if (dynamic_cast<const P1812Model*>(&m) != nullptr) {
        return Kernel::p1812_radial;
    }
    if (m.name() == "free-space" || dynamic_cast<const HataModel*>(&m) != nullptr) {
        return Kernel::endpoints; // only the two ends of the path matter
    }
    return Kernel::full_profile;
}

// Path loss from a sector's antenna to the receiver over cell centre `c`, from a profile of its own (or the two
// end points only); nullopt, counted, when the terrain or the model gives none.
std::optional<float> cell_loss(const Dem& dem, const SectorGeometry& g, const LinkParams& link, const PropagationModel& model,
                               GridPoint c, bool endpoints_only, TerrainProfile& profile, Counters& counters, const ClutterMap* path_clutter) {
    const GridPoint rx = receiver_point(g, c);
    bool ok = false;
    if (endpoints_only) {
        if (const auto z = dem.try_elevation_m(rx, g.sampling)) {
            profile.elevation_m.assign({g.ground_m, *z});
            profile.step_m = std::hypot(rx.x_m - g.site.x_m, rx.y_m - g.site.y_m);
            ok = true;
        }
    } else {
        ok = sector_profile(dem, g, rx, profile);
    }
    if (!ok) {
        ++counters.without_terrain;
        return std::nullopt;
    }
    try {
        if (path_clutter != nullptr) {
            // P.1812 with the clutter of each point's cell along the path (CoverageOptions::validate checked the model).
            const auto& p1812 = static_cast<const P1812Model&>(model);
            const P1812Path path = p1812_path_with_clutter(*path_clutter, dem, g.site, rx, profile);
            const auto loss = static_cast<float>(p1812_basic_loss_db(path, link, link.path_centre_lat_deg, p1812.settings()));
            ++counters.evaluations;
            return loss;
        }
        const auto loss = static_cast<float>(model.path_loss(profile, link).loss_db);
        ++counters.evaluations;
        return loss;
    } catch (const OutOfDomain&) {
        ++counters.outside_model;
        return std::nullopt;
    }
}

// Exact mode for a loss model, and the per-cell path of the endpoint-only models in both modes.
void loss_per_cell(const Dem& dem, const SectorGeometry& g, const Sector& s, const CoverageOptions& o, Raster<float>& out,
                   Counters& counters, SharedProgress& progress, bool endpoints_only, bool report_progress) {
    const LinkParams link = link_of(s, o);
    const GridOffset at = require_on_grid(out, "the path-loss window of sector '" + s.sector_id + "'", dem.raster(), "the DEM");
    for_cells_in_radius<TerrainProfile>(
        dem, g, &progress,
        [&](TerrainProfile& profile, int col, int row, GridPoint c, double /*d*/) {
            if (!out.contains(col - at.col, row - at.row)) {
                return; // not in the window (never: the window is the radius's box)
            }
            if (const auto loss = cell_loss(dem, g, link, *o.model, c, endpoints_only, profile, counters,
                                            o.clutter_along_path ? o.rx_clutter.get() : nullptr)) {
                out.at(col - at.col, row - at.row) = *loss;
            }
        },
        [&](std::size_t rows, std::size_t cells) {
            counters.in_radius += cells;
            if (report_progress) { // the near zone of fast mode is not a unit of its progress
                progress.add(rows, "path loss");
            }
        });
}

} // namespace coverage::detail
