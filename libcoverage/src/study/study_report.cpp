// The study's report.html: one self-contained page for the officials and planners who read it.

#include <coverage/core/error.hpp>
#include <coverage/core/version.hpp>

#include "study/study_report.hpp"
#include "core/text.hpp"


#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

namespace coverage::detail {

namespace {



const HamletTechnology* tech_of(const HamletReport& r, Technology t) {
    for (const auto& x : r.technologies) {
        if (x.technology == t) {
            return &x;
        }
    }
    return nullptr;
}

std::string class_words(SignalClass c) {
    switch (c) {
    case SignalClass::excellent: return "excellent";
    case SignalClass::good: return "good";
    case SignalClass::fair: return "fair (usable)";
    case SignalClass::poor: return "poor (calls may drop, data slow)";
    case SignalClass::edge: return "edge (barely connects)";
    case SignalClass::no_service: break;
    }
    return "no service";
}

std::string money(double usd) {
    // USD with thousands separators.
    std::string digits = format("%.0f", std::round(usd));
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[i];
        if (digits[0] != '-' && (n - 1 - i) % 3 == 0 && i + 1 < n) {
            out += ',';
        }
    }
    return "USD " + out;
}

std::string connection_words(const PlanStep& s) {
    if (s.action == PlanStep::Action::fibre_extension) {
        return format("fibre %.1f km from the existing cable to the hamlet, then a small cell or broadband node there",
                      s.backhaul.fibre.length_m / 1000.0);
    }
    switch (s.backhaul.kind) {
    case Backhaul::Kind::fibre:
        return format("%.0f m mast; fibre %.1f km from the existing cable", s.mast_height_m, s.backhaul.fibre.length_m / 1000.0);
    case Backhaul::Kind::microwave:
        return format("%.0f m mast; microwave link %.1f km to tower %s", s.mast_height_m, s.backhaul.microwave_distance_m / 1000.0,
                      s.backhaul.microwave_to.c_str());
    case Backhaul::Kind::none: break;
    }
    return "no connection possible";
}

std::string plan_section(const StudyRecord& rec) {
    const Plan& plan = *rec.result->plan;
    const Study& s = *rec.study;
    const CostModel& c = s.planning.settings.costs;
    const char* tech = generation_name(s.dead_zone.technology);
    std::string h = "<h2>What to build first, within " + money(plan.budget_usd) + "</h2>\n<p>";
    if (plan.steps.empty()) {
        h += "Within this budget nothing can be built that connects a household without signal.";
    } else {
        h += format("With this budget, the plan below gives %s signal (%s or better) or a local connection to <b>%.0f</b> of the %.0f "
                    "households that lack it today, in %zu steps costing %s. ",
                    tech, to_string(s.dead_zone.min_class), plan.households_new, plan.households_unserved_before, plan.steps.size(),
                    money(plan.cost_usd).c_str());
        h += format("No plan within the same budget can connect more than <b>%.0f</b> households (a mathematical bound computed with "
                    "the plan), so this plan reaches at least %.0f %% of the best possible.",
                    plan.upper_bound_households, plan.upper_bound_households > 0 ? 100.0 * plan.households_new / plan.upper_bound_households : 100.0);
    }
    h += " Each step is the one that connects the most new households per dollar at that point; households that an earlier step "
         "already connects are not counted again.</p>\n";
    if (!rec.plan_map_png.empty()) {
        h += "<figure><img alt=\"the plan on the map\" src=\"data:image/png;base64," + base64(rec.plan_map_png) +
             "\"><figcaption><b>The plan on the map.</b> Numbers are the steps below. Black: the existing fibre; blue: new fibre; "
             "purple dashes: microwave links; thin brown: roads; thin light blue: streams (where the study gives them); "
             "colours: today's signal.</figcaption></figure>\n";
    }
    if (!rec.plan_curve_png.empty()) {
        h += "<figure><img alt=\"households against money spent\" src=\"data:image/png;base64," + base64(rec.plan_curve_png) +
             "\"><figcaption><b>Households connected against money spent,</b> step by step. The dashed red line is the bound: no plan "
             "within the budget can rise above it.</figcaption></figure>\n";
    }
    if (!plan.steps.empty()) {
        h += "<table>\n<tr><th>Step</th><th>Build</th><th>How it is connected</th><th>Cost</th><th>New households</th>"
             "<th>Households so far</th><th>Spent so far</th><th>Hamlets reached</th></tr>\n";
        for (const PlanStep& st : plan.steps) {
            std::string hamlets;
            for (const auto& n : st.hamlets) {
                hamlets += (hamlets.empty() ? "" : ", ") + html_escape(n);
            }
            h += format("<tr><td class=\"n\">%d</td><td>%s <b>%s</b></td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%.0f</td>"
                        "<td class=\"n\">%.0f</td><td class=\"n\">%s</td><td>%s</td></tr>\n",
                        st.step, st.action == PlanStep::Action::tower ? "new tower" : "fibre to", html_escape(st.name).c_str(),
                        html_escape(connection_words(st)).c_str(), money(st.cost_usd).c_str(), st.households_new,
                        st.households_cumulative, money(st.cost_cumulative_usd).c_str(), hamlets.c_str());
        }
        h += "</table>\n";
    }
    if (!plan.not_chosen.empty() || !plan.impossible.empty()) {
        h += "<h3>Options not in the plan</h3>\n<table>\n<tr><th>Option</th><th>Cost</th><th>Households it would connect on its own</th>"
             "<th>Why not</th></tr>\n";
        for (const auto* list : {&plan.not_chosen, &plan.impossible}) {
            for (const PlanStep& st : *list) {
                h += format("<tr><td>%s %s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s</td></tr>\n",
                            st.action == PlanStep::Action::tower ? "tower" : "fibre to", html_escape(st.name).c_str(),
                            st.feasible ? money(st.cost_usd).c_str() : "&ndash;",
                            st.feasible ? format("%.0f", st.households_new).c_str() : "&ndash;", html_escape(st.note).c_str());
            }
        }
        h += "</table>\n";
    }
    h += format("<p><b>Costs assumed</b> (order of magnitude, to be replaced by local quotes): fibre %s per km on gentle ground, "
                "rising with slope (",
                money(c.fibre_usd_per_km.front()).c_str());
    for (std::size_t i = 0; i < c.fibre_usd_per_km.size(); ++i) {
        const std::string range = i == 0 ? format("below %.0f&deg;", c.slope_class_upper_deg.front())
                                  : i == c.slope_class_upper_deg.size() ? format("%.0f&deg; and steeper", c.slope_class_upper_deg.back())
                                                                          : format("%.0f&ndash;%.0f&deg;", c.slope_class_upper_deg[i - 1], c.slope_class_upper_deg[i]);
        h += (i ? ", " : "") + range + ": " + money(c.fibre_usd_per_km[i]);
    }
    h += format("), &times;%.1f along roads, %s per river crossing; a new tower %s plus %s per metre of mast; a microwave link %s; a "
                "hamlet node %s. Fibre figures: Analysys Mason (2011), rural fibre in emerging markets; tower: about USD 200,000 for a "
                "rural site (industry estimate). Microwave links need %.0f %% of the first Fresnel zone clear to a tower on the fibre "
                "(within %.0f m of it), at most %.0f km long.</p>\n",
                c.road_factor, money(c.river_crossing_usd).c_str(), money(c.tower_fixed_usd).c_str(), money(c.tower_usd_per_m).c_str(),
                money(c.microwave_link_usd).c_str(), money(c.hamlet_endpoint_usd).c_str(), s.planning.settings.microwave.min_fresnel_clear_pct,
                s.planning.settings.microwave.fibred_site_max_distance_m, s.planning.settings.microwave.max_distance_m / 1000.0);
    return h;
}

constexpr const char* css = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;max-width:1100px;margin:0 auto;padding:1em 1.5em;color:#222;line-height:1.45}
h1{margin-bottom:.2em} h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.8em}
.sub{color:#555;margin-top:0}
.warn{background:#fdecea;border:2px solid #d7301f;padding:.8em 1em;border-radius:6px;margin:1em 0}
.key{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}
.key div{background:#f4f6f8;border-radius:6px;padding:.7em 1em;min-width:12em}
.key b{display:block;font-size:1.6em}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.93em}
th,td{border:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#eef1f4} td.n{text-align:right;white-space:nowrap}
tr.dead td{background:#fff4f2}
figure{margin:1em 0} figure img{max-width:100%;border:1px solid #ccc}
figcaption{color:#444;font-size:.92em}
code{background:#f4f4f4;padding:0 .2em}
footer{margin-top:2em;color:#666;font-size:.85em}
)";

} // namespace

std::string study_report_html(const StudyRecord& rec) {
    const Study& s = *rec.study;
    const StudyResult& res = *rec.result;
    const Technology rule_tech = s.dead_zone.technology;
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    h += "<title>" + html_escape(s.name) + "</title>\n<style>" + std::string(css) + "</style>\n</head>\n<body>\n";
    h += "<h1>" + html_escape(s.name) + "</h1>\n<p class=\"sub\">" + html_escape(s.area) +
         (s.prepared_by.empty() ? std::string() : " &middot; prepared by " + html_escape(s.prepared_by)) + " &middot; computed " +
         html_escape(rec.started_utc) + "</p>\n";
    if (res.terrain_synthetic) {
        h += "<div class=\"warn\"><b>The terrain in this study is synthetic.</b> No measured elevation model of this area was "
             "available, so the hills and valleys were generated by a program to resemble the area's limestone (karst) "
             "landscape. The maps and numbers below show how the method works and what the existing towers would reach over "
             "terrain <i>like</i> this; they are not a measurement of real coverage. Re-run the study with a measured elevation "
             "model (for example Copernicus GLO-30, see <code>covtool fetch-dem</code>) before making decisions.</div>\n";
    }

    // Summary in plain words.
    double households = 0.0;
    double population = 0.0;
    std::map<Technology, double> served;
    std::size_t dead = 0;
    double dead_households = 0.0;
    for (const HamletReport& r : res.hamlets) {
        households += r.hamlet.households;
        population += r.hamlet.population;
        for (const auto& t : r.technologies) {
            served[t.technology] += t.households_served;
        }
        if (r.dead_zone) {
            ++dead;
            dead_households += r.hamlet.households;
        }
    }
    const std::string min_class = to_string(s.dead_zone.min_class);
    h += "<h2>Summary</h2>\n<div class=\"key\">\n";
    h += format("<div><b>%zu</b>hamlets studied, %.0f households, %.0f people</div>\n", res.hamlets.size(), households, population);
    for (const auto& [t, v] : served) {
        h += format("<div><b>%.0f %%</b>of households have %s signal that is %s or better (%.0f households)</div>\n",
                    households > 0 ? 100.0 * v / households : 0.0, generation_name(t), min_class.c_str(), v);
    }
    h += format("<div><b>%zu</b>hamlets are dead zones (%.0f households)</div>\n", dead, dead_households);
    h += "</div>\n<p>";
    const std::string where_judged =
        res.rule.indoor_loss_db > 0.0
            ? format("inside their houses (%s buildings: ITU-R P.2109 building entry loss %.1f dB, not exceeded in %.0f %% of houses)",
                     s.indoor.building_type == BuildingType::traditional ? "traditional" : "thermally efficient",
                     res.rule.indoor_loss_db, s.indoor.building_entry_pct)
            : std::string("outdoors");
    h += format("A hamlet is called a <b>dead zone</b> when fewer than %.0f %% of its households would get %s signal that is "
                "<i>%s</i> or better, %s, from the existing towers. ",
                100.0 * s.dead_zone.min_households_share, generation_name(rule_tech), min_class.c_str(), where_judged.c_str());
    h += "Signal predicted with " + html_escape(rec.model_description) +
         (s.model.location_pct && *s.model.location_pct != 50.0
              ? format(": the level reached at %.0f %% of locations, not the median. ", *s.model.location_pct)
              : std::string(": the median level (half of the locations get more, half less). "));
    if (s.clutter == "p2108") {
        h += "Trees and houses at the receiver: ITU-R P.2108 clutter loss by the land cover of each cell (" +
             html_escape(std::filesystem::path(s.land_cover_file).filename().string()) + "). ";
    } else if (s.clutter == "path") {
        h += "Trees and houses between the tower and each house: ITU-R P.1812 raises every point of every path by the height "
             "of its land cover (" + html_escape(std::filesystem::path(s.land_cover_file).filename().string()) + "). ";
    }
    if (!res.priorities.empty()) {
        std::string names;
        for (std::size_t i = 0; i < res.priorities.size(); ++i) {
            names += (i == 0 ? "" : i + 1 == res.priorities.size() ? " and " : ", ") + html_escape(res.priorities[i].name);
        }
        h += "The dead zones are " + names + ". The first to serve, by the score explained below, is <b>" +
             html_escape(res.priorities.front().name) + "</b>.";
    } else {
        h += "No hamlet is a dead zone under this rule.";
    }
    h += "</p>\n";

    // How the answer moves, setting by setting (report.setting_steps).
    if (!res.setting_steps.empty()) {
        h += "<h2>How the answer depends on the model</h2>\n<p>The same towers and hamlets, one setting changed per row, "
             "from the plain prediction (ITM over the terrain, no trees or houses, the median level, outdoors) to the "
             "setting this study defends (last row). Each row keeps the changes of the rows above it.</p>\n"
             "<table><tr><th>Setting</th><th>Households served</th><th>Dead zones</th><th>Order of the dead zones</th></tr>\n";
        for (const SettingStep& r : res.setting_steps) {
            std::string order;
            for (std::size_t i = 0; i < r.ranking.size(); ++i) {
                order += (i == 0 ? "" : ", ") + format("%zu. ", i + 1) + html_escape(r.ranking[i]);
            }
            h += "<tr><td>" + html_escape(r.label) + "</td><td>" +
                 format("%.0f of %.0f (%.0f %%)", r.households_served, r.households,
                        r.households > 0.0 ? 100.0 * r.households_served / r.households : 0.0) +
                 "</td><td>" + format("%zu", r.dead_zones) + "</td><td>" + (order.empty() ? std::string("none") : order) + "</td></tr>\n";
        }
        h += "</table>\n";
    }

    // Maps.
    h += "<h2>Maps</h2>\n";
    for (const ReportMap& m : rec.maps) {
        h += "<figure><img alt=\"" + html_escape(m.title) + "\" src=\"data:image/png;base64," + base64(m.png_bytes) +
             "\"><figcaption><b>" + html_escape(m.title) + ".</b> " + html_escape(m.caption) + "</figcaption></figure>\n";
    }

    // Priorities.
    h += "<h2>Which dead zones to serve first</h2>\n";
    if (res.priorities.empty()) {
        h += "<p>There are no dead zones to rank.</p>\n";
    } else {
        h += "<table>\n<tr><th>Rank</th><th>Hamlet</th><th>Households</th><th>Households without " + std::string(generation_name(rule_tech)) +
             "</th><th>To existing fibre</th><th>To nearest tower</th><th>Mean slope</th><th>Score (of 100)</th><th>Why this rank</th></tr>\n";
        for (const DeadZonePriority& p : res.priorities) {
            h += format("<tr><td class=\"n\">%d</td><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%.0f</td><td class=\"n\">%s</td>"
                        "<td class=\"n\">%s (%s)</td><td class=\"n\">%.0f&deg;</td><td class=\"n\">%.0f</td><td>%s</td></tr>\n",
                        p.rank, html_escape(p.name).c_str(), p.households, p.factors.households_unserved,
                        p.factors.nearest_fibre_route.empty() ? "&ndash;" : distance_words(p.factors.fibre_distance_m).c_str(),
                        distance_words(p.factors.tower_distance_m).c_str(), html_escape(p.factors.nearest_tower).c_str(),
                        p.factors.mean_slope_deg, p.score, html_escape(p.reason).c_str());
        }
        h += "</table>\n";
    }
    const PriorityWeights& w = s.weights;
    const double wsum = w.households_unserved + w.fibre_distance + w.tower_distance + w.terrain_difficulty;
    h += "<p><b>How the score works.</b> Each dead zone gets up to 100 points, shared between four things in the proportions "
         "set in the study file:</p>\n<ul>\n";
    h += format("<li><b>%.0f points</b> for households without signal: the dead zone with the most gets all of them, the others in "
                "proportion.</li>\n", 100.0 * w.households_unserved / wsum);
    if (w.fibre_distance > 0) {
        h += format("<li><b>%.0f points</b> for being close to the existing fibre cable (a new tower near the fibre is cheaper to "
                    "connect): the farthest dead zone gets none, the others more the closer they are.</li>\n", 100.0 * w.fibre_distance / wsum);
    }
    if (w.tower_distance > 0) {
        h += format("<li><b>%.0f points</b> for being close to an existing tower (an extra antenna, a taller mast or a repeater may be "
                    "enough): the farthest gets none.</li>\n", 100.0 * w.tower_distance / wsum);
    }
    if (w.terrain_difficulty > 0) {
        h += format("<li><b>%.0f points</b> for gentle terrain within %.0f m of the hamlet (steep slopes make building and cabling "
                    "harder): the steepest gets none.</li>\n", 100.0 * w.terrain_difficulty / wsum, w.terrain_radius_m);
    }
    h += "</ul>\n<p>Changing the weights in the study file and running again shows how much the order depends on them.</p>\n";

    if (res.plan) {
        h += plan_section(rec);
    }

    // Every hamlet.
    h += "<h2>Every hamlet</h2>\n<table>\n<tr><th>Hamlet</th><th>Households</th><th>People</th>";
    const std::vector<Technology> techs = [&] {
        std::vector<Technology> v;
        if (!res.hamlets.empty()) {
            for (const auto& t : res.hamlets.front().technologies) {
                v.push_back(t.technology);
            }
        }
        return v;
    }();
    for (const Technology t : techs) {
        h += format("<th>%s typical signal</th><th>%s households served</th>", generation_name(t), generation_name(t));
    }
    h += "<th>Dead zone</th></tr>\n";
    for (const HamletReport& r : res.hamlets) {
        h += std::string(r.dead_zone ? "<tr class=\"dead\">" : "<tr>") + "<td>" + html_escape(r.hamlet.name) + "</td>" +
             format("<td class=\"n\">%d</td><td class=\"n\">%d</td>", r.hamlet.households, r.hamlet.population);
        for (const Technology t : techs) {
            const HamletTechnology* x = tech_of(r, t);
            const bool shown_dbm = x != nullptr && x->median_dbm && x->median_class != SignalClass::no_service;
            const std::string median = shown_dbm ? format(" (%.0f dBm)", *x->median_dbm) : std::string();
            h += "<td>" + (x != nullptr ? class_words(x->median_class) + median : std::string("&ndash;")) + "</td>" +
                 format("<td class=\"n\">%.0f (%.0f %%)</td>", x != nullptr ? x->households_served : 0.0,
                        x != nullptr ? 100.0 * x->area_served_share : 0.0);
        }
        h += std::string("<td>") + (r.dead_zone ? "<b>yes</b>" : "no") + "</td></tr>\n";
    }
    h += "</table>\n<p>\"Typical signal\" is the median over the hamlet's area (half of its houses get at least this). "
         "Households are assumed to be spread evenly over the settlement's radius, so \"households served\" is the share of the "
         "area with the required signal times the households.</p>\n";

    // Assumptions.
    h += "<h2>Assumptions</h2>\n<h3>Existing towers</h3>\n<table>\n<tr><th>Tower</th><th>Sector</th><th>Network</th><th>Frequency</th>"
         "<th>Antenna height</th><th>Transmit power</th><th>Antenna gain</th><th>Pointing</th><th>Antenna pattern</th></tr>\n";
    for (const Sector& sec : *rec.sectors) {
        h += format("<tr><td>%s</td><td>%s</td><td>%s</td><td class=\"n\">%.0f MHz</td><td class=\"n\">%.0f m</td><td class=\"n\">%.0f dBm</td>"
                    "<td class=\"n\">%.1f dBi</td><td class=\"n\">%.0f&deg;, tilt %.0f&deg;</td><td>%s</td></tr>\n",
                    html_escape(sec.site_id).c_str(), html_escape(sec.sector_id).c_str(), generation_name(sec.technology), sec.freq_mhz,
                    sec.height_agl_m, sec.tx_power_dbm, sec.antenna_gain_dbi, sec.azimuth_deg, sec.tilt_deg,
                    html_escape(std::filesystem::path(sec.pattern_source).filename().string()).c_str());
    }
    h += "</table>\n<h3>Radio model</h3>\n<ul>\n";
    h += "<li>Path loss: " + html_escape(rec.model_description) + ", " + to_string(s.mode) +
         " mode. The model follows the terrain between each tower and every point of the map (hills block the signal).</li>\n";
    if (s.model.model == "itm") {
        h += "<li>This implementation of the Longley-Rice model (ITM) reproduces the US NTIA reference program's results to "
             "within a billionth of a decibel on NTIA's published test cases, checked by the test suite.";
        if (s.mode == CoverageMode::fast) {
            h += " The fast mode used for the maps differs from a full per-point calculation by a median 0.04 dB (95 % of "
                 "points within 1 dB, measured on real mountain terrain); hamlet-level figures for new towers use the full calculation.";
        }
        h += "</li>\n";
    }
    h += format("<li>Receiver: a phone %.1f m above the ground, outdoors, antenna gain %.1f dBi. Indoors the signal is weaker "
                "(typically by 10 to 20 dB).</li>\n", s.rx_height_m, s.rx_gain_dbi);
    if (s.radius_km) {
        h += format("<li>Each tower is computed out to %.1f km.</li>\n", *s.radius_km);
    }
    // One column per technology among the study's sectors, in the table's order.
    std::vector<Technology> present;
    for (const TechnologyTraits& tr : technology_table) {
        if (std::any_of(rec.sectors->begin(), rec.sectors->end(), [&](const Sector& sec) { return sec.technology == tr.technology; })) {
            present.push_back(tr.technology);
        }
    }
    h += "</ul>\n<h3>Signal classes</h3>\n<table>\n<tr><th>Class</th>";
    for (const Technology t : present) {
        h += std::string("<th>") + generation_name(t) + " (" + signal_measure_name(t) + ") at least</th>";
    }
    h += "</tr>\n";
    for (int i = 0; i < 5; ++i) {
        const auto cls = static_cast<SignalClass>(i);
        auto bound = [&](const SignalThresholds& t) {
            return i < t.class_count ? format("%.0f dBm", t.lower_bound_dbm[static_cast<std::size_t>(i)]) : std::string("&ndash;");
        };
        h += "<tr><td>" + class_words(cls) + "</td>";
        for (const Technology t : present) {
            h += "<td class=\"n\">" + bound(s.thresholds[t]) + "</td>";
        }
        h += "</tr>\n";
    }
    h += "</table>\n";

    // Data.
    const Raster<float>& z = rec.dem->raster();
    h += "<h2>Data and where it comes from</h2>\n";
    h += "<p><b>Terrain:</b> " + html_escape(s.terrain_provenance.empty() ? rec.dem->source() : s.terrain_provenance) +
         (res.terrain_synthetic ? " <b>(synthetic)</b>" : "") + "</p>\n";
    h += format("<p>Computed on a grid of %d &times; %d cells of %.0f m (%s), %.1f &times; %.1f km.",
                z.width(), z.height(), rec.dem->cell_size_m(), html_escape(rec.crs_name).c_str(),
                z.width() * rec.dem->cell_size_m() / 1000.0, z.height() * rec.dem->cell_size_m() / 1000.0);
    if (rec.dem->voids().filled_cells > 0) {
        h += format(" %zu missing elevation cells were filled by interpolation.", rec.dem->voids().filled_cells);
    }
    h += "</p>\n";
    if (rec.fibre != nullptr && !rec.fibre->empty()) {
        h += format("<p><b>Existing fibre:</b> %zu route(s), %.1f km in all.</p>\n", rec.fibre->routes().size(), rec.fibre->length_m() / 1000.0);
    }
    h += "<table>\n<tr><th>Input</th><th>File</th><th>Size</th><th>SHA-256 (first 16 digits)</th></tr>\n";
    for (const InputFile& f : rec.inputs) {
        h += format("<tr><td>%s</td><td><code>%s</code></td><td class=\"n\">%.1f kB</td><td><code>%s</code></td></tr>\n",
                    html_escape(f.role).c_str(), html_escape(f.path).c_str(), static_cast<double>(f.bytes) / 1024.0, f.sha256.substr(0, 16).c_str());
    }
    h += "</table>\n<p>The positions of towers, hamlets and fibre, the households per hamlet and the tower parameters come from the "
         "input files above; where those files say their content is illustrative, so are the results.</p>\n";

    // Words.
    h += "<h2>Words used</h2>\n<dl>\n"
         "<dt><b>dBm</b></dt><dd>A unit of received power. Numbers are negative; closer to zero is stronger: &minus;80 dBm is a "
         "strong signal, &minus;120 dBm is at the limit of what a phone can use.</dd>\n"
         "<dt><b>RSRP</b> (4G) and <b>RSCP</b> (3G)</dt><dd>The standard measures of how strongly a phone receives the network's "
         "reference signal, in dBm.</dd>\n"
         "<dt><b>Best server</b></dt><dd>The tower antenna (sector) with the strongest signal at a place.</dd>\n"
         "<dt><b>Dead zone</b></dt><dd>A hamlet where most households cannot get usable signal (the rule is given in the summary).</dd>\n"
         "</dl>\n";

    h += "<footer>Produced by libcoverage " + std::string(version) + " (<code>covtool study</code>). " +
         format("Run time %.1f s (terrain %.1f s, coverage %.1f s, analysis %.2f s, planning %.1f s, outputs %.1f s). ",
                res.timings.total_s, res.timings.terrain_s, res.timings.coverage_s, res.timings.analysis_s, res.timings.planning_s,
                res.timings.outputs_s) +
         "Everything needed to repeat this run is in <code>run.json</code> beside this file. Files: ";
    for (std::size_t i = 0; i < res.files.size(); ++i) {
        h += (i ? ", " : "") + std::string("<code>") + html_escape(res.files[i]) + "</code>";
    }
    h += ".</footer>\n</body>\n</html>\n";
    return h;
}

} // namespace coverage::detail
