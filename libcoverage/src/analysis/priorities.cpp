#include <coverage/core/atomic_file.hpp>
#include <coverage/core/error.hpp>
#include <coverage/analysis/priorities.hpp>

#include "core/messages.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>

namespace coverage {

using detail::format;

void PriorityWeights::validate() const {
    const std::array<std::pair<const char*, double>, 4> w = {{{"households_unserved", households_unserved},
                                                             {"fibre_distance", fibre_distance},
                                                             {"tower_distance", tower_distance},
                                                             {"terrain_difficulty", terrain_difficulty}}};
    double sum = 0.0;
    for (const auto& [name, v] : w) {
        if (!std::isfinite(v) || v < 0.0) {
            throw InvalidArgument(format("priority weight %s must be a finite number >= 0 (got %g)", name, v));
        }
        sum += v;
    }
    if (!(sum > 0.0)) {
        throw InvalidArgument("priority weights: at least one weight must be > 0");
    }
    if (!(terrain_radius_m > 0.0 && terrain_radius_m <= 10000.0)) {
        throw InvalidArgument(format("priority terrain_radius_m must be in (0, 10000] m (got %g)", terrain_radius_m));
    }
}

double mean_slope_deg(const Dem& dem, GridPoint centre, double radius_m) {
    double sum = 0.0;
    std::size_t n = 0;
    for (const Dem::Cell& c : dem.cells_within(centre, radius_m)) {
        if (!std::isnan(dem.raster().at(c.col, c.row))) {
            sum += dem.slope_deg(c.col, c.row);
            ++n;
        }
    }
    return n > 0 ? sum / static_cast<double>(n) : 0.0;
}

namespace {

const char* terrain_key(double slope_deg) {
    if (slope_deg < 10.0) {
        return "reason.terrain.gentle";
    }
    if (slope_deg < 20.0) {
        return "reason.terrain.moderate";
    }
    if (slope_deg < 30.0) {
        return "reason.terrain.steep";
    }
    return "reason.terrain.very_steep";
}

// The catalogue key of a signal class's name ("class_name.fair").
std::string class_name_key(SignalClass c) { return std::string("class_name.") + to_string(c); }

// Part in 0..1 where a smaller value is better: 1 − v / max (1 for everyone when all are zero).
double smaller_is_better(double v, double max) { return max > 0.0 ? 1.0 - v / max : 1.0; }

// The rank explained in the words of catalogue `m`.
std::string explain(const DeadZonePriority& p, const std::vector<DeadZonePriority>& all, const DeadZoneRule& rule,
                    const PriorityWeights& w, const detail::Messages& m) {
    const PriorityFactors& f = p.factors;
    double most_unserved = 0.0;
    for (const auto& q : all) {
        most_unserved = std::max(most_unserved, q.factors.households_unserved);
    }
    std::string s = m.format("reason.unserved", {{"unserved", m.number(f.households_unserved)}, {"households", m.number(p.households)},
                                                 {"technology", generation_name(rule.technology)}, {"class", m.text(class_name_key(rule.min_class))}});
    if (all.size() > 1 && f.households_unserved >= most_unserved) {
        s += m.format("reason.most", {{"count", m.number(static_cast<double>(all.size()))}});
    }
    if (!f.nearest_fibre_route.empty()) {
        s += f.fibre_distance_m < 100.0 ? m.format("reason.fibre_through", {{"route", f.nearest_fibre_route}})
                                        : m.format("reason.fibre_near", {{"distance", m.distance(f.fibre_distance_m)}, {"route", f.nearest_fibre_route}});
    }
    s += m.format("reason.tower", {{"tower", f.nearest_tower}, {"distance", m.distance(f.tower_distance_m)}});
    s += m.format("reason.terrain_text", {{"terrain", m.text(terrain_key(f.mean_slope_deg))}, {"slope", m.number(f.mean_slope_deg)},
                                     {"radius_m", m.number(w.terrain_radius_m)}});
    s += m.format("reason.score", {{"score", m.number(p.score)}, {"households", m.number(p.points.households)},
                                   {"fibre", m.number(p.points.fibre)}, {"tower", m.number(p.points.tower)}, {"terrain", m.number(p.points.terrain)}});
    // Against the next in line: the factor that puts this hamlet ahead.
    const auto next = static_cast<std::size_t>(p.rank);
    if (next < all.size()) {
        const DeadZonePriority& q = all[next];
        const std::array<std::pair<const char*, double>, 4> lead = {{{"reason.factor.households", p.points.households - q.points.households},
                                                                    {"reason.factor.fibre", p.points.fibre - q.points.fibre},
                                                                    {"reason.factor.tower", p.points.tower - q.points.tower},
                                                                    {"reason.factor.terrain", p.points.terrain - q.points.terrain}}};
        const auto best = std::max_element(lead.begin(), lead.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        if (p.score - q.score < 0.05) {
            s += m.format("reason.level_with", {{"name", q.name}, {"rank", std::to_string(q.rank)}});
        } else {
            s += m.format("reason.ahead_of", {{"name", q.name}, {"rank", std::to_string(q.rank)}, {"factor", m.text(best->first)},
                                              {"points", format("%+.0f", best->second)}});
        }
    } else if (all.size() > 1) {
        s += m.text("reason.last");
    }
    return s + ".";
}

} // namespace

std::vector<DeadZonePriority> rank_dead_zones(const Dem& dem, const std::vector<HamletReport>& reports, const DeadZoneRule& rule,
                                              const FibreNetwork& fibre, const std::vector<Sector>& towers,
                                              const PriorityWeights& weights) {
    weights.validate();
    if (towers.empty()) {
        throw InvalidArgument("dead-zone ranking: no existing towers to measure distances to");
    }
    const bool use_fibre = !fibre.empty();
    if (!use_fibre && weights.fibre_distance > 0.0) {
        throw InvalidArgument("dead-zone ranking: the fibre weight is > 0 but no fibre routes were given (set it to 0 or give a fibre file)");
    }
    // One position per tower (its sectors share it).
    std::map<std::string, GridPoint> sites;
    for (const Sector& s : towers) {
        sites.emplace(s.site_id, dem.to_grid(s.location));
    }

    std::vector<DeadZonePriority> out;
    for (const HamletReport& r : reports) {
        if (!r.dead_zone) {
            continue;
        }
        DeadZonePriority p;
        p.hamlet_id = r.hamlet.hamlet_id;
        p.name = r.hamlet.name;
        p.households = r.hamlet.households;
        const auto t = std::find_if(r.technologies.begin(), r.technologies.end(),
                                    [&](const HamletTechnology& x) { return x.technology == rule.technology; });
        if (t == r.technologies.end()) {
            throw InvalidArgument("dead-zone ranking: hamlet '" + r.hamlet.name + "' has no result for the rule's technology");
        }
        p.factors.households_unserved = r.hamlet.households - t->households_served;
        const GridPoint at = dem.to_grid(r.hamlet.location);
        if (use_fibre) {
            const FibreAccess a = fibre.nearest(at);
            p.factors.fibre_distance_m = a.distance_m;
            p.factors.nearest_fibre_route = a.route_id;
        }
        p.factors.tower_distance_m = std::numeric_limits<double>::infinity();
        for (const auto& [id, g] : sites) {
            const double d = std::hypot(g.x_m - at.x_m, g.y_m - at.y_m);
            if (d < p.factors.tower_distance_m) {
                p.factors.tower_distance_m = d;
                p.factors.nearest_tower = id;
            }
        }
        p.factors.mean_slope_deg = mean_slope_deg(dem, at, weights.terrain_radius_m);
        out.push_back(std::move(p));
    }
    score_dead_zones(out, weights, use_fibre);
    for (auto& p : out) {
        p.reason = explain(p, out, rule, weights, detail::Messages::of("en"));
        p.reason_vi = explain(p, out, rule, weights, detail::Messages::of("vi"));
    }
    return out;
}

void score_dead_zones(std::vector<DeadZonePriority>& out, const PriorityWeights& weights, bool use_fibre) {
    double max_hh = 0.0;
    double max_fibre = 0.0;
    double max_tower = 0.0;
    double max_slope = 0.0;
    for (const auto& p : out) {
        max_hh = std::max(max_hh, p.factors.households_unserved);
        max_fibre = std::max(max_fibre, p.factors.fibre_distance_m);
        max_tower = std::max(max_tower, p.factors.tower_distance_m);
        max_slope = std::max(max_slope, p.factors.mean_slope_deg);
    }
    const double total = weights.households_unserved + weights.fibre_distance + weights.tower_distance + weights.terrain_difficulty;
    for (auto& p : out) {
        p.points.households = 100.0 * weights.households_unserved / total * (max_hh > 0.0 ? p.factors.households_unserved / max_hh : 0.0);
        p.points.fibre = use_fibre ? 100.0 * weights.fibre_distance / total * smaller_is_better(p.factors.fibre_distance_m, max_fibre) : 0.0;
        p.points.tower = 100.0 * weights.tower_distance / total * smaller_is_better(p.factors.tower_distance_m, max_tower);
        p.points.terrain = 100.0 * weights.terrain_difficulty / total * smaller_is_better(p.factors.mean_slope_deg, max_slope);
        p.score = p.points.households + p.points.fibre + p.points.tower + p.points.terrain;
    }
    std::stable_sort(out.begin(), out.end(), [](const DeadZonePriority& a, const DeadZonePriority& b) {
        if (std::fabs(a.score - b.score) > 1e-9) {
            return a.score > b.score;
        }
        if (a.factors.households_unserved != b.factors.households_unserved) {
            return a.factors.households_unserved > b.factors.households_unserved;
        }
        return a.name < b.name;
    });
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i].rank = static_cast<int>(i) + 1;
    }
}

void write_priorities_csv(const std::string& path, const std::vector<DeadZonePriority>& priorities, const std::vector<RankStability>* stability) {
    using detail::csv_field;
    std::string text = "rank,hamlet_id,name,households,households_unserved,fibre_distance_m,nearest_fibre_route,"
                       "tower_distance_m,nearest_tower,mean_slope_deg,points_households,points_fibre,points_tower,"
                       "points_terrain,score,dead_zone_pct,median_rank,top3_pct,first_pct,reason,reason_vi\n";
    for (const auto& p : priorities) {
        const PriorityFactors& f = p.factors;
        std::string mc = ",,,";
        if (stability != nullptr) {
            for (const RankStability& s : *stability) {
                if (s.hamlet_id == p.hamlet_id) {
                    mc = format("%.1f,%g,%.1f,%.1f", 100.0 * s.dead_zone_share, s.median_rank, 100.0 * s.top3_share, 100.0 * s.first_share);
                }
            }
        }
        text += format("%d,%s,%s,%d,%.1f,%s,%s,%.0f,%s,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%s,%s,%s\n", p.rank, csv_field(p.hamlet_id).c_str(),
                       csv_field(p.name).c_str(), p.households, f.households_unserved,
                       f.nearest_fibre_route.empty() ? "" : format("%.0f", f.fibre_distance_m).c_str(),
                       csv_field(f.nearest_fibre_route).c_str(), f.tower_distance_m, csv_field(f.nearest_tower).c_str(),
                       f.mean_slope_deg, p.points.households, p.points.fibre, p.points.tower, p.points.terrain, p.score, mc.c_str(),
                       csv_field(p.reason).c_str(), csv_field(p.reason_vi).c_str());
    }
    write_file_atomically(path, text);
}

} // namespace coverage
