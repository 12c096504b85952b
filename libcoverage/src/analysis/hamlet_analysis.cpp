#include <coverage/core/atomic_file.hpp>
#include <coverage/core/error.hpp>
#include <coverage/analysis/hamlet_analysis.hpp>

#include "analysis/outline.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <cstdio>
#include <string>

namespace coverage {

namespace {

using detail::csv_field;
using detail::json_string;
using detail::number;

const char* measure_of(Technology t) { return traits(t).measure_key; }
const char* tech_name(Technology t) { return traits(t).key; }

// Quantile q of values weighted by households, where NaN stands for "no signal" (ranked below every value). Each
// value stands at the centre of its weight on a scale of ranks 0..n-1, and the quantile is the nearest rank to
// q (n - 1): with equal weights, the value of rank floor(q (n - 1) + 0.5).
std::optional<double> quantile(std::vector<std::pair<double, double>> v, double q) {
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
        if (std::isnan(a.first)) {
            return !std::isnan(b.first);
        }
        return !std::isnan(b.first) && a.first < b.first;
    });
    double total = 0.0;
    for (const auto& [x, w] : v) {
        total += w;
    }
    if (!(total > 0.0)) { // nobody lives there: every cell counts the same
        for (auto& [x, w] : v) {
            w = 1.0;
        }
        total = static_cast<double>(v.size());
    }
    const double n = static_cast<double>(v.size());
    const double target = q * (n - 1.0) - 0.5 + 1e-9;
    double before = 0.0;
    double x = v.back().first;
    for (const auto& [value, w] : v) {
        const double centre = total > 0.0 ? (before + 0.5 * w) / total * n - 0.5 : 0.0;
        if (centre > target) {
            x = value;
            break;
        }
        before += w;
    }
    return std::isnan(x) ? std::nullopt : std::optional<double>(x);
}

// Column names and values shared by the CSV and the GeoJSON.
std::vector<std::pair<std::string, std::string>> columns(const HamletReport& r, const DeadZoneRule& rule, bool quote) {
    auto text = [&](const std::string& s) { return quote ? json_string(s) : csv_field(s); };
    auto opt = [&](const std::optional<double>& v) { return v ? number(v) : (quote ? std::string("null") : std::string()); };
    std::vector<std::pair<std::string, std::string>> c = {
        {"hamlet_id", text(r.hamlet.hamlet_id)},
        {"name", text(r.hamlet.name)},
        {"lat_deg", number(r.hamlet.location.lat_deg, "%.6f")},
        {"lon_deg", number(r.hamlet.location.lon_deg, "%.6f")},
        {"households", std::to_string(r.hamlet.households)},
        {"population", std::to_string(r.hamlet.population)},
        {"settlement_radius_m", r.hamlet.outline.empty() ? number(r.hamlet.settlement_radius_m, "%.0f") : opt(std::nullopt)}, // outline: no radius
        {"cells", std::to_string(r.cells)},
        {"household_points", std::to_string(r.hamlet.homes.size())},
    };
    for (const HamletTechnology& t : r.technologies) {
        const std::string p = std::string(tech_name(t.technology)) + "_";
        const std::string m = measure_of(t.technology);
        c.emplace_back(p + "median_" + m + "_dbm", opt(t.median_dbm));
        c.emplace_back(p + "p10_" + m + "_dbm", opt(t.p10_dbm));
        c.emplace_back(p + "best_server", text(t.best_server));
        c.emplace_back(p + "median_class", text(to_string(t.median_class)));
        const std::string indoor = t.technology == rule.technology ? rule.served_suffix() : "";
        c.emplace_back(p + "area_at_least_" + std::string(to_string(rule.min_class)) + indoor + "_pct", number(100.0 * t.area_served_share));
        c.emplace_back(p + "households_at_least_" + std::string(to_string(rule.min_class)) + indoor, number(t.households_served));
    }
    c.emplace_back("dead_zone", quote ? (r.dead_zone ? "true" : "false") : (r.dead_zone ? "yes" : "no"));
    return c;
}

} // namespace

void include_hamlet(GeoBox& box, const Hamlet& hamlet, double margin_m) {
    box.include(hamlet.location, hamlet.settlement_radius_m + margin_m);
    for (const auto& ring : hamlet.outline) {
        for (const GeoPoint& p : ring) {
            box.include(p, margin_m);
        }
    }
    for (const HouseholdPoint& p : hamlet.homes) {
        box.include(p.location, margin_m);
    }
}

std::vector<Dem::Cell> hamlet_cells(const Dem& dem, const Hamlet& hamlet) {
    const GridPoint point = dem.to_grid(hamlet.location);
    if (hamlet.outline.empty()) {
        return dem.cells_within(point, hamlet.settlement_radius_m);
    }
    const Raster<float>& z = dem.raster();
    const auto holder = dem.cell_at(point);
    if (!holder) {
        return {};
    }
    // Rings on the grid, and their bounding box in cells.
    std::vector<std::vector<GridPoint>> rings;
    double x0 = std::numeric_limits<double>::infinity();
    double x1 = -x0;
    double y0 = x0;
    double y1 = -x0;
    for (const auto& ring : hamlet.outline) {
        std::vector<GridPoint> g;
        for (const GeoPoint& p : ring) {
            g.push_back(dem.to_grid(p));
            x0 = std::min(x0, g.back().x_m);
            x1 = std::max(x1, g.back().x_m);
            y0 = std::min(y0, g.back().y_m);
            y1 = std::max(y1, g.back().y_m);
        }
        rings.push_back(std::move(g));
    }
    const PixelPoint a = z.transform().geo_to_pixel(GridPoint{x0, y1});
    const PixelPoint b = z.transform().geo_to_pixel(GridPoint{x1, y0});
    std::vector<Dem::Cell> cells;
    for (int row = std::max(0, static_cast<int>(std::floor(a.row))); row <= std::min(z.height() - 1, static_cast<int>(std::floor(b.row))); ++row) {
        for (int col = std::max(0, static_cast<int>(std::floor(a.col))); col <= std::min(z.width() - 1, static_cast<int>(std::floor(b.col))); ++col) {
            // Even-odd rule over all rings: a ray to +x crosses the boundary an odd number of times when inside.
            const GridPoint c = dem.cell_centre(col, row);
            if (detail::inside_even_odd(rings, c.x_m, c.y_m, [](const GridPoint& p) { return std::pair{p.x_m, p.y_m}; })) {
                cells.push_back(Dem::Cell{col, row});
            }
        }
    }
    if (cells.empty()) {
        cells.push_back(*holder); // an outline smaller than a cell
    }
    return cells;
}

std::vector<HouseholdCell> household_cells(const Dem& dem, const Hamlet& hamlet) {
    std::vector<HouseholdCell> out;
    if (hamlet.homes.empty()) {
        const std::vector<Dem::Cell> cells = hamlet_cells(dem, hamlet);
        for (const Dem::Cell& c : cells) {
            out.push_back(HouseholdCell{c, static_cast<double>(hamlet.households) / static_cast<double>(cells.size())});
        }
        return out;
    }
    double total = 0.0;
    for (const HouseholdPoint& p : hamlet.homes) {
        total += p.households;
    }
    // Points in the same cell add up; cells in the order their first point comes.
    std::map<std::pair<int, int>, std::size_t> index;
    for (const HouseholdPoint& p : hamlet.homes) {
        const auto cell = dem.cell_at(dem.to_grid(p.location));
        if (!cell) {
            continue;
        }
        const double share = total > 0.0 ? static_cast<double>(hamlet.households) * p.households / total : 0.0;
        const auto [at, added] = index.emplace(std::pair{cell->col, cell->row}, out.size());
        if (added) {
            out.push_back(HouseholdCell{*cell, share});
        } else {
            out[at->second].households += share;
        }
    }
    return out;
}

namespace {

// How far (m) the hamlet's outline, or its settlement circle, reaches beyond the grid's edge; 0 when inside.
double reach_beyond_grid_m(const Dem& dem, const Hamlet& h) {
    double x0 = 0;
    double x1 = 0;
    double y0 = 0;
    double y1 = 0;
    if (h.outline.empty()) {
        const GridPoint c = dem.to_grid(h.location);
        x0 = c.x_m - h.settlement_radius_m;
        x1 = c.x_m + h.settlement_radius_m;
        y0 = c.y_m - h.settlement_radius_m;
        y1 = c.y_m + h.settlement_radius_m;
    } else {
        x0 = y0 = std::numeric_limits<double>::infinity();
        x1 = y1 = -x0;
        for (const auto& ring : h.outline) {
            for (const GeoPoint& p : ring) {
                const GridPoint g = dem.to_grid(p);
                x0 = std::min(x0, g.x_m);
                x1 = std::max(x1, g.x_m);
                y0 = std::min(y0, g.y_m);
                y1 = std::max(y1, g.y_m);
            }
        }
    }
    const Raster<float>& z = dem.raster();
    const GeoTransform& gt = z.transform();
    const double gx0 = gt.xorig;
    const double gx1 = gt.xorig + gt.xscale * z.width();
    const double gy1 = gt.yorig;
    const double gy0 = gt.yorig + gt.yscale * z.height();
    // Half a cell of slack: only cells whose centres lie inside the hamlet count.
    const double slack = 0.5 * std::abs(gt.xscale);
    return std::max({0.0, gx0 - x0 - slack, x1 - gx1 - slack, gy0 - y0 - slack, y1 - gy1 - slack});
}

} // namespace

double DeadZoneRule::required_dbm(const SignalThresholds& t) const {
    if (!(indoor_loss_db >= 0.0 && indoor_loss_db < 200.0)) {
        throw InvalidArgument(detail::format("dead-zone rule: indoor_loss_db must be between 0 and 200 dB (got %g)", indoor_loss_db));
    }
    return t.lower_bound_dbm[static_cast<std::size_t>(std::min(static_cast<int>(min_class), t.class_count - 1))] + indoor_loss_db;
}

std::vector<HamletReport> analyse_hamlets(const Dem& dem, const std::vector<Hamlet>& hamlets,
                                          const std::vector<TechnologyLayer>& layers, const DeadZoneRule& rule) {
    const bool has_rule_layer = std::any_of(layers.begin(), layers.end(), [&](const TechnologyLayer& l) { return l.technology == rule.technology; });
    if (!has_rule_layer) {
        throw InvalidArgument(std::string("hamlet analysis: the dead-zone rule uses ") + tech_name(rule.technology) +
                              " but there is no " + tech_name(rule.technology) + " signal layer");
    }
    for (const TechnologyLayer& l : layers) {
        const std::string name = std::string("hamlet analysis: the ") + tech_name(l.technology);
        if (l.signal_dbm == nullptr || l.best_server == nullptr) {
            throw InvalidArgument(name + " layer has no signal or best-server raster");
        }
        require_same_grid(*l.signal_dbm, name + " signal raster", dem.raster(), "the DEM");
        require_same_grid(*l.best_server, name + " best-server raster", dem.raster(), "the DEM");
    }
    std::vector<HamletReport> out;
    for (const Hamlet& h : hamlets) {
        const auto holder = dem.cell_at(dem.to_grid(h.location));
        if (!holder) {
            throw OutOfDomain("hamlet '" + h.name + "' at " + describe(h.location) + " is outside the coverage grid");
        }
        if (const double beyond = reach_beyond_grid_m(dem, h); beyond > 0) {
            throw OutOfDomain("hamlet '" + h.name + "' reaches " + detail::format("%.0f", beyond) + " m beyond the edge of "
                              "the coverage grid: its served share would count only the part inside; cover the whole "
                              "hamlet (a larger map or study area)");
        }
        for (const HouseholdPoint& p : h.homes) {
            if (!dem.cell_at(dem.to_grid(p.location))) {
                throw OutOfDomain("hamlet '" + h.name + "' has a household point at " + describe(p.location) +
                                  " outside the coverage grid; cover the whole hamlet (a larger map or study area)");
            }
        }
        const std::vector<HouseholdCell> cells = household_cells(dem, h);
        HamletReport rep;
        rep.hamlet = h;
        rep.cells = cells.size();
        for (const TechnologyLayer& l : layers) {
            HamletTechnology t;
            t.technology = l.technology;
            std::vector<std::pair<double, double>> v; // signal, households
            std::size_t served = 0;
            double households_served = 0.0;
            // Indoors (the rule's technology only) a household needs the building entry loss on top of the class's bound.
            const double min_dbm = l.technology == rule.technology ? rule.required_dbm(l.thresholds)
                                                                   : DeadZoneRule{l.technology, rule.min_class}.required_dbm(l.thresholds);
            for (const HouseholdCell& cell : cells) {
                const float s = l.signal_dbm->at(cell.cell.col, cell.cell.row);
                v.emplace_back(std::isnan(s) ? std::nan("") : static_cast<double>(s), cell.households);
                const bool ok = !std::isnan(s) && s >= min_dbm;
                served += ok ? 1U : 0U;
                households_served += ok ? cell.households : 0.0;
            }
            t.median_dbm = quantile(v, 0.5);
            t.p10_dbm = quantile(v, 0.1);
            t.median_class = t.median_dbm ? l.thresholds.classify(*t.median_dbm) : SignalClass::no_service;
            const std::uint16_t b = l.best_server->at(holder->col, holder->row);
            t.best_server = b < l.sector_ids.size() ? l.sector_ids[b] : std::string();
            t.area_served_share = static_cast<double>(served) / static_cast<double>(cells.size());
            t.households_served = households_served;
            if (l.technology == rule.technology) {
                rep.dead_zone = rule.dead_zone(h.households, households_served); // nobody living there: never (README)
            }
            rep.technologies.push_back(t);
        }
        out.push_back(std::move(rep));
    }
    return out;
}

std::vector<TechnologyLayer> technology_layers(const std::vector<TechnologyCoverage>& coverages, const CoverageMap& map) {
    std::vector<std::string> ids;
    ids.reserve(map.sectors.size());
    for (const Sector& s : map.sectors) {
        ids.push_back(s.sector_id);
    }
    std::vector<TechnologyLayer> layers;
    for (const TechnologyCoverage& c : coverages) {
        layers.push_back(TechnologyLayer{c.technology, &c.composite.signal_dbm, &c.composite.best_server, ids, c.thresholds});
    }
    return layers;
}

void write_hamlets_csv(const std::string& path, const std::vector<HamletReport>& reports, const DeadZoneRule& rule) {
    std::string text;
    for (std::size_t i = 0; i < reports.size(); ++i) {
        const auto cols = columns(reports[i], rule, false);
        if (i == 0) {
            for (std::size_t k = 0; k < cols.size(); ++k) {
                text += (k ? "," : "") + cols[k].first;
            }
            text += "\n";
        }
        for (std::size_t k = 0; k < cols.size(); ++k) {
            text += (k ? "," : "") + cols[k].second;
        }
        text += "\n";
    }
    write_file_atomically(path, text);
}

void write_hamlets_geojson(const std::string& path, const std::vector<HamletReport>& reports, const DeadZoneRule& rule) {
    std::string text = "{\"type\": \"FeatureCollection\", \"name\": \"hamlets\", \"features\": [\n";
    for (std::size_t i = 0; i < reports.size(); ++i) {
        const auto& h = reports[i].hamlet;
        char geom[160];
        std::snprintf(geom, sizeof geom, "{\"type\": \"Point\", \"coordinates\": [%.6f, %.6f]}", h.location.lon_deg, h.location.lat_deg);
        text += std::string(" {\"type\": \"Feature\", \"geometry\": ") + geom + ", \"properties\": {";
        const auto cols = columns(reports[i], rule, true);
        for (std::size_t k = 0; k < cols.size(); ++k) {
            const std::string value = cols[k].second.empty() ? "null" : cols[k].second;
            text += (k ? ", " : "") + json_string(cols[k].first) + ": " + value;
        }
        text += std::string("}}") + (i + 1 < reports.size() ? "," : "") + "\n";
    }
    text += "]}\n";
    write_file_atomically(path, text);
}

} // namespace coverage
