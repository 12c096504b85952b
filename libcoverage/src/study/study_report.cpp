// The study's report.html: one self-contained page for the officials and planners who read it.

#include <coverage/core/error.hpp>
#include <coverage/core/version.hpp>

#include "study/study_report.hpp"
#include <coverage/study/calibration.hpp>
#include <coverage/report/xy_chart.hpp>
#include "core/messages.hpp"
#include "core/text.hpp"

#include <kainjow/mustache.hpp>


#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

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

// The catalogue keys of a signal class: its name ("class_name.fair") and its description ("class.fair").
std::string class_name_key(SignalClass c) { return std::string("class_name.") + to_string(c); }
std::string class_key(SignalClass c) { return std::string("class.") + to_string(c); }

using json = nlohmann::ordered_json;

// The catalogue's entries as nested objects (report.heading.maps → t.report.heading.maps) for the template.
json words_object(const Messages& m) {
    json t = json::object();
    for (const auto& [key, text] : m.entries()) {
        json* at = &t;
        std::size_t from = 0;
        for (std::size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', from)) {
            at = &(*at)[key.substr(from, dot - from)];
            if (!at->is_object() && !at->is_null()) {
                throw InvalidArgument("message catalogue '" + m.file() + "': '" + key + "' extends the key '" + key.substr(0, dot) +
                                      "', which is a message itself (a key cannot be both)");
            }
            from = dot + 1;
        }
        if ((*at).contains(key.substr(from))) {
            throw InvalidArgument("message catalogue '" + m.file() + "': the key '" + key + "' is also the start of other keys");
        }
        (*at)[key.substr(from)] = text;
    }
    return t;
}

kainjow::mustache::data to_mustache(const json& j) {
    using kainjow::mustache::data;
    switch (j.type()) {
    case json::value_t::object: {
        data d{data::type::object};
        for (const auto& [k, v] : j.items()) {
            d.set(k, to_mustache(v));
            if (v.is_array()) { // <list>_any: a section that shows a table's head only when it has rows
                d.set(k + "_any", data{!v.empty()});
            }
        }
        return d;
    }
    case json::value_t::array: {
        data d{data::type::list};
        for (const auto& v : j) {
            d.push_back(to_mustache(v));
        }
        return d;
    }
    case json::value_t::boolean: return data{j.get<bool>()};
    case json::value_t::string: return data{printable_text(j.get<std::string>())};
    case json::value_t::null: return data{false};
    default: return data{j.dump()};
    }
}

std::string connection_words(const Messages& m, const PlanStep& s, double drop_m) {
    if (s.action == PlanStep::Action::ftth) {
        return m.format("plan.connection.ftth", {{"km", m.number(s.backhaul.fibre.length_m / 1000.0, 1)},
                                                 {"households", m.number(s.households_new)},
                                                 {"drop_m", m.number(drop_m)},
                                                 {"drops", m.money_usd(s.drop_cost_usd)}});
    }
    switch (s.backhaul.kind) {
    case Backhaul::Kind::fibre:
        return m.format("plan.connection.tower_fibre", {{"mast_m", m.number(s.mast_height_m)}, {"km", m.number(s.backhaul.fibre.length_m / 1000.0, 1)}});
    case Backhaul::Kind::microwave:
        return m.format("plan.connection.tower_microwave", {{"mast_m", m.number(s.mast_height_m)},
                                                            {"km", m.number(s.backhaul.microwave_distance_m / 1000.0, 1)},
                                                            {"tower", s.backhaul.microwave_to}});
    case Backhaul::Kind::none: break;
    }
    return m.text("plan.connection.none");
}

// The catalogue key of what a step builds; `tower` for a tower (the table of steps and that of other options word it differently).
const char* action_key(PlanStep::Action a, const char* tower) {
    return a == PlanStep::Action::tower ? tower : a == PlanStep::Action::small_cell ? "plan.action.small_cell" : "plan.action.ftth";
}

std::string list_words(const Messages& m, const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == items.size() ? m.text("word.and_last") : ", ") + items[i];
    }
    return out;
}

// How sure the ranking and the plan are: a sentence per dead zone, the households' spread, its histogram, the steps.
json uncertainty_context(const UncertaintyResult& u, const Messages& m) {
    json c;
    const char* source = u.model_error_source == "calibration" ? "report.uncertainty.source.calibration"
                         : u.model_error_source == "study"     ? "report.uncertainty.source.study"
                                                               : "report.uncertainty.source.default";
    c["intro"] = m.format("report.uncertainty.intro", {{"trials", m.number(u.settings.trials)},
                                                       {"seed", std::to_string(u.settings.seed)},
                                                       {"sigma", m.number(u.settings.model_error_db, 1)},
                                                       {"correlation", m.distance(u.settings.model_error_correlation_m)},
                                                       {"source", m.text(source)}});
    auto pct = [&](double share) { return m.number(100.0 * share); };
    json ranks = json::array();
    for (const RankStability& r : u.ranks) {
        ranks.push_back(r.rank > 0 ? m.format("report.uncertainty.rank", {{"name", r.name},
                                                                          {"rank", std::to_string(r.rank)},
                                                                          {"first", pct(r.first_share)},
                                                                          {"top3", pct(r.top3_share)},
                                                                          {"dead", pct(r.dead_zone_share)},
                                                                          {"median", m.number(r.median_rank)}})
                                   : m.format("report.uncertainty.rank_new", {{"name", r.name}, {"dead", pct(r.dead_zone_share)},
                                                                              {"median", m.number(r.median_rank)}}));
    }
    c["ranks"] = ranks;
    c["plan_any"] = !u.households_connected.empty();
    if (!u.households_connected.empty()) {
        c["households"] = m.format("report.uncertainty.households", {{"p10", m.number(u.households_p10)},
                                                                     {"p50", m.number(u.households_p50)},
                                                                     {"p90", m.number(u.households_p90)}});
        json options = json::array();
        for (const OptionStability& o : u.options) {
            if (o.step > 0 || o.in_plan_share >= 0.05) {
                options.push_back({{"what", m.text(action_key(o.action, "plan.option.tower"))},
                                   {"name", o.name},
                                   {"step", o.step > 0 ? std::to_string(o.step) : std::string("–")},
                                   {"share", pct(o.in_plan_share) + " %"}});
            }
        }
        c["options"] = options;
        // Histogram of the households connected, 20 bins over the trials' range.
        const auto [lo_it, hi_it] = std::minmax_element(u.households_connected.begin(), u.households_connected.end());
        const double lo = std::floor(*lo_it);
        const double width = std::max(1.0, std::ceil((*hi_it - lo + 1e-9) / 20.0));
        std::vector<double> x;
        std::vector<double> y;
        for (int k = 0; k < 20; ++k) {
            x.push_back(lo + (k + 0.5) * width);
            y.push_back(0.0);
        }
        for (const double h : u.households_connected) {
            y[static_cast<std::size_t>(std::clamp(std::floor((h - lo) / width), 0.0, 19.0))] += 1.0;
        }
        XyChart chart;
        chart.title = m.text("chart.uncertainty.title");
        chart.x_label = m.text("chart.uncertainty.x");
        chart.y_label = m.text("chart.uncertainty.y");
        chart.language = m.language();
        chart.y_min = 0.0;
        chart.y_max = 1.1 * *std::max_element(y.begin(), y.end());
        chart.series.push_back(ChartSeries{.label = "", .style = ChartSeries::Style::bars, .x = x, .y = y, .colour = 0, .bar_width = width * 0.9});
        c["chart_png"] = base64(xy_chart_picture(PictureFormat::png, chart));
    }
    return c;
}

json plan_context(const StudyRecord& rec, const Messages& m) {
    const Plan& plan = *rec.result->plan;
    const Study& s = *rec.study;
    const CostModel& c = s.planning.settings.costs;
    const SmallCellRadio& sc = s.planning.settings.small_cell;
    const char* tech = generation_name(s.dead_zone.technology);
    json p;
    p["heading"] = m.format("plan.heading", {{"budget", m.money_usd(plan.budget_usd)}});
    const bool phased = plan.phase_budgets_usd.size() > 1;
    p["phased"] = phased;
    if (phased) {
        std::vector<std::string> years;
        for (std::size_t y = 0; y < plan.phase_budgets_usd.size(); ++y) {
            years.push_back(m.format("report.plan.year_budget", {{"year", m.number(static_cast<double>(y + 1))},
                                                                 {"budget", m.money_usd(plan.phase_budgets_usd[y])}}));
        }
        p["phases_html"] = m.html("report.plan.phases", {{"years", list_words(m, years)}});
    }
    if (plan.steps.empty()) {
        p["summary_html"] = m.html("plan.summary_none");
    } else {
        p["summary_html"] =
            m.html("plan.summary", {{"technology", tech}, {"class", m.text(class_name_key(s.dead_zone.min_class))},
                                    {"households_new", m.number(plan.households_new)}, {"households_before", m.number(plan.households_unserved_before)},
                                    {"steps", m.number(static_cast<double>(plan.steps.size()))}, {"cost", m.money_usd(plan.cost_usd)}}) +
            " " +
            m.html("plan.bound", {{"bound", m.number(plan.upper_bound_households)},
                                  {"share", m.percent(plan.upper_bound_households > 0 ? 100.0 * plan.households_new / plan.upper_bound_households : 100.0)}});
    }
    if (!rec.plan_map_png.empty()) {
        p["map_png"] = base64(rec.plan_map_png);
    }
    if (!rec.plan_curve_png.empty()) {
        p["curve_png"] = base64(rec.plan_curve_png);
    }
    json steps = json::array();
    for (const PlanStep& st : plan.steps) {
        steps.push_back({{"step", std::to_string(st.step)},
                         {"year", m.number(static_cast<double>(st.phase))},
                         {"what", m.text(action_key(st.action, "plan.action.tower"))},
                         {"name", st.name},
                         {"connection", connection_words(m, st, s.planning.settings.ftth_max_drop_m)},
                         {"cost", m.money_usd(st.cost_usd)},
                         {"households_new", m.number(st.households_new)},
                         {"households_cumulative", m.number(st.households_cumulative)},
                         {"cost_cumulative", m.money_usd(st.cost_cumulative_usd)},
                         {"hamlets", list_words(m, st.hamlets)}});
    }
    p["steps"] = steps;
    json others = json::array();
    for (const auto* list : {&plan.not_chosen, &plan.impossible}) {
        for (const PlanStep& st : *list) {
            others.push_back({{"what", m.text(action_key(st.action, "plan.option.tower"))},
                              {"name", st.name},
                              {"cost", st.feasible ? m.money_usd(st.cost_usd) : "–"},
                              {"households", st.feasible ? m.number(st.households_new) : "–"},
                              {"why", plan_step_note(st, m.language())}});
        }
    }
    p["others"] = others;
    std::string slopes;
    for (std::size_t i = 0; i < c.fibre_usd_per_km.size(); ++i) {
        const std::string range =
            i == 0 ? m.format("plan.costs.slope_below", {{"deg", m.number(c.slope_class_upper_deg.front())}})
            : i == c.slope_class_upper_deg.size() ? m.format("plan.costs.slope_above", {{"deg", m.number(c.slope_class_upper_deg.back())}})
                                                   : m.format("plan.costs.slope_between", {{"from", m.number(c.slope_class_upper_deg[i - 1])},
                                                                                           {"to", m.number(c.slope_class_upper_deg[i])}});
        slopes += (i ? "; " : "") + range + ": " + m.money_usd(c.fibre_usd_per_km[i]);
    }
    p["costs_html"] = m.html("plan.costs.text", {{"fibre_km", m.money_usd(c.fibre_usd_per_km.front())},
                                            {"slopes", slopes},
                                            {"road_factor", m.number(c.road_factor, 1)},
                                            {"river", m.money_usd(c.river_crossing_usd)},
                                            {"tower", m.money_usd(c.tower_fixed_usd)},
                                            {"tower_m", m.money_usd(c.tower_usd_per_m)},
                                            {"microwave", m.money_usd(c.microwave_link_usd)},
                                            {"small_cell", m.money_usd(c.small_cell_usd)},
                                            {"small_cell_radio", m.format("plan.small_cell_radio", {{"power_dbm", m.number(sc.tx_power_dbm)},
                                                                                                    {"gain_dbi", m.number(sc.antenna_gain_dbi)},
                                                                                                    {"mast_m", m.number(sc.mast_height_m)},
                                                                                                    {"radius_m", m.number(sc.placement_radius_m)}})},
                                            {"ftth_node", m.money_usd(c.ftth_node_usd)},
                                            {"ftth_drop", m.money_usd(c.ftth_drop_usd_per_household)},
                                            {"fresnel_pct", m.number(s.planning.settings.microwave.min_fresnel_clear_pct)},
                                            {"fibred_m", m.number(s.planning.settings.microwave.fibred_site_max_distance_m)},
                                            {"microwave_km", m.number(s.planning.settings.microwave.max_distance_m / 1000.0)}});
    return p;
}

// The interactive map's data: pictures and geometry in metres from the grid's lower-left corner (Leaflet's CRS.Simple,
// so that the pictures lie exactly on their cells), the words of its controls, and each hamlet's popup fields.
std::string interactive_map(const StudyRecord& rec, const Messages& m) {
    const Raster<float>& z = rec.dem->raster();
    const GeoTransform& gt = z.transform();
    const double cell = rec.dem->cell_size_m();
    const GridPoint lower_left = gt.pixel_to_geo(PixelPoint{.col = 0.0, .row = static_cast<double>(z.height())});
    const auto at = [&](GeoPoint g) {
        const GridPoint p = rec.dem->to_grid(g);
        return json::array({std::round((p.y_m - lower_left.y_m) * 10.0) / 10.0, std::round((p.x_m - lower_left.x_m) * 10.0) / 10.0});
    };
    const auto line = [&](const std::vector<GeoPoint>& points) {
        json l = json::array();
        for (const GeoPoint& g : points) {
            l.push_back(at(g));
        }
        return l;
    };
    // A picture covers whole blocks of `factor` cells from the top-left corner.
    const auto bounds = [&](const GridPicture& p) {
        const double w = static_cast<double>(z.width() / p.factor * p.factor) * cell;
        const double h = static_cast<double>(z.height() / p.factor * p.factor) * cell;
        const double top = static_cast<double>(z.height()) * cell;
        return json::array({json::array({top - h, 0.0}), json::array({top, w})});
    };
    json j;
    j["extent"] = json::array({json::array({0.0, 0.0}), json::array({z.height() * cell, z.width() * cell})});
    j["hillshade"] = {{"png", base64(rec.hillshade.png)}, {"bounds", bounds(rec.hillshade)}, {"name", m.text("imap.terrain")}};
    json layers = json::array();
    for (const MapLayer& l : rec.signal_layers) {
        json legend = json::array();
        for (const ColorEntry& e : signal_class_legend(l.thresholds, signal_measure_name(l.technology), m.language())) {
            legend.push_back({{"colour", format("#%02x%02x%02x", e.red, e.green, e.blue)}, {"label", e.label}});
        }
        layers.push_back({{"name", m.format("imap.signal", {{"technology", generation_name(l.technology)}})},
                          {"technology", traits(l.technology).key},
                          {"png", base64(l.picture.png)},
                          {"bounds", bounds(l.picture)},
                          {"legend", legend}});
    }
    j["signal_layers"] = layers;
    json fibre = json::array();
    if (rec.fibre != nullptr) {
        for (const FibreRoute& r : rec.fibre->routes()) {
            fibre.push_back(line(r.points));
        }
    }
    j["fibre"] = {{"name", m.text("imap.fibre")}, {"lines", fibre}};
    json towers = json::array();
    for (const Sector& s : *rec.sectors) {
        if (std::none_of(towers.begin(), towers.end(), [&](const json& t) { return t["name"] == s.site_id; })) {
            towers.push_back({{"name", s.site_id}, {"at", at(s.location)}});
        }
    }
    j["towers"] = {{"name", m.text("imap.towers")}, {"points", towers}};
    const StudyResult& res = *rec.result;
    json plan = json::object();
    if (res.plan) {
        json routes = json::array();
        json hops = json::array();
        json steps = json::array();
        for (const PlanStep& st : res.plan->steps) {
            if (st.backhaul.kind == Backhaul::Kind::fibre && st.backhaul.fibre.path.size() >= 2) {
                routes.push_back(line(st.backhaul.fibre.path));
            }
            if (st.backhaul.kind == Backhaul::Kind::microwave) {
                hops.push_back(line({st.location, st.backhaul.microwave_to_location}));
            }
            steps.push_back({{"label", plan_label(m, st)},
                             {"cost", m.money_usd(st.cost_usd)}, {"at", at(st.location)}});
        }
        plan = {{"name", m.text("imap.plan")}, {"routes", routes}, {"hops", hops}, {"steps", steps}};
    }
    j["plan"] = plan;
    const Technology rule_tech = rec.study->dead_zone.technology;
    json hamlets = json::array();
    for (const HamletReport& r : res.hamlets) {
        const HamletTechnology* x = tech_of(r, rule_tech);
        const auto p = std::find_if(res.priorities.begin(), res.priorities.end(), [&](const DeadZonePriority& q) { return q.name == r.hamlet.name; });
        json h = {{"name", r.hamlet.name},
                  {"at", at(r.hamlet.location)},
                  {"households", m.number(r.hamlet.households)},
                  {"signal", x != nullptr ? m.text(class_key(x->median_class)) : std::string("–")},
                  {"dead", r.dead_zone}};
        if (p != res.priorities.end()) {
            h["rank"] = m.format("imap.rank", {{"rank", std::to_string(p->rank)}, {"of", std::to_string(res.priorities.size())}});
            h["reason"] = m.language() == "vi" ? p->reason_vi : p->reason;
        }
        hamlets.push_back(h);
    }
    j["hamlets"] = {{"name", m.text("imap.hamlets")}, {"points", hamlets}};
    j["words"] = {{"households", m.text("imap.popup.households")},
                  {"signal", m.format("imap.popup.signal", {{"technology", generation_name(rule_tech)}})},
                  {"dead_zone", m.text("imap.popup.dead_zone")},
                  {"served", m.text("imap.popup.not_dead_zone")},
                  {"legend", m.text("map.legend")}};
    std::string text = j.dump();
    for (std::size_t i = text.find("</"); i != std::string::npos; i = text.find("</", i + 2)) {
        text.replace(i, 2, "<\\/");
    }
    return text;
}

// The template's variables and sections that name catalogue words ({{t.a.b}}, {{#t.a}}): every one must be in the
// catalogue, else the report would have a blank where a word belongs.
void check_template_words(const std::string& tmpl, const std::string& template_path, const Messages& m) {
    for (std::size_t at = tmpl.find("{{"); at != std::string::npos; at = tmpl.find("{{", at + 2)) {
        std::size_t i = at + 2;
        while (i < tmpl.size() && (tmpl[i] == '{' || tmpl[i] == '&' || tmpl[i] == '#' || tmpl[i] == '^' || tmpl[i] == '/' || tmpl[i] == ' ')) {
            ++i;
        }
        if (tmpl.compare(i, 2, "t.") != 0) {
            continue;
        }
        const std::size_t end = tmpl.find_first_of(" }", i);
        const std::string key = tmpl.substr(i + 2, end - i - 2);
        if (!m.has(key)) {
            throw InvalidArgument("report template '" + template_path + "' uses the word '" + key + "', which the message catalogue '" +
                                  m.file() + "' lacks");
        }
    }
}

} // namespace

// A plan step's label on the maps: its number and what it builds where.
std::string plan_label(const Messages& m, const PlanStep& st) {
    const std::string step = std::to_string(st.step);
    switch (st.action) {
    case PlanStep::Action::tower: return m.format("map.plan.tower", {{"step", step}, {"id", st.target_id}});
    case PlanStep::Action::small_cell: return m.format("map.plan.small_cell", {{"step", step}, {"name", st.name}});
    case PlanStep::Action::ftth: break;
    }
    return m.format("map.plan.ftth", {{"step", step}, {"name", st.name}});
}

json study_report_context(const StudyRecord& rec, const std::string& language) {
    const Messages& m = Messages::of(language);
    const Study& s = *rec.study;
    const StudyResult& res = *rec.result;
    const Technology rule_tech = s.dead_zone.technology;
    const std::string min_class = m.text(class_name_key(s.dead_zone.min_class));
    json c;
    c["lang"] = language;
    c["t"] = words_object(m);
    const std::string& name = s.name_in(language);
    c["title"] = name;
    c["page_title"] = m.format("report.page_title", {{"name", name}});
    c["area"] = s.area_in(language);
    c["prepared_by"] = s.prepared_by.empty() ? json(false) : json(m.format("report.prepared_by", {{"who", s.prepared_by}}));
    c["computed"] = m.format("report.computed", {{"when", m.date_time(rec.started_utc)}});
    json other = json::array();
    for (const ReportCopy& copy : rec.copies) {
        if (copy.language != language) {
            other.push_back({{"file", copy.file}, {"name", Messages::of(copy.language).text("language.name")}});
        }
    }
    c["other_languages"] = other;
    c["synthetic"] = res.terrain_synthetic;

    // Summary.
    double households = 0.0;
    double population = 0.0;
    std::map<Technology, double> served;
    std::vector<std::string> dead_names;
    double dead_households = 0.0;
    for (const HamletReport& r : res.hamlets) {
        households += r.hamlet.households;
        population += r.hamlet.population;
        for (const auto& t : r.technologies) {
            served[t.technology] += t.households_served;
        }
        if (r.dead_zone) {
            dead_households += r.hamlet.households;
        }
    }
    json cards = json::array();
    cards.push_back({{"value", m.number(static_cast<double>(res.hamlets.size()))},
                     {"text", m.format("report.summary.hamlets", {{"households", m.number(households)}, {"people", m.number(population)}})}});
    for (const auto& [t, v] : served) {
        cards.push_back({{"value", m.percent(households > 0 ? 100.0 * v / households : 0.0)},
                         {"text", m.format("report.summary.served", {{"technology", generation_name(t)}, {"class", min_class}, {"households", m.number(v)}})}});
    }
    std::size_t dead = 0;
    for (const HamletReport& r : res.hamlets) {
        dead += r.dead_zone ? 1 : 0;
    }
    cards.push_back({{"value", m.number(static_cast<double>(dead))},
                     {"text", m.format("report.summary.dead", {{"households", m.number(dead_households)}})}});
    c["cards"] = cards;
    const std::string where =
        res.rule.indoor_loss_db > 0.0
            ? m.format("report.rule.indoors", {{"building", m.text(s.indoor.building_type == BuildingType::traditional ? "report.rule.building_traditional"
                                                                                                                        : "report.rule.building_efficient")},
                                               {"loss_db", m.number(res.rule.indoor_loss_db, 1)},
                                               {"pct", m.number(s.indoor.building_entry_pct)}})
            : m.text("report.rule.outdoors");
    std::string rule = m.html("report.rule.dead_zone", {{"share", m.percent(100.0 * s.dead_zone.min_households_share)},
                                                        {"technology", generation_name(rule_tech)},
                                                        {"class", min_class},
                                                        {"where", where}});
    rule += " " + (s.model.location_pct && *s.model.location_pct != 50.0
                       ? m.html("report.rule.model_location", {{"model", rec.model_description}, {"pct", m.number(*s.model.location_pct)}})
                       : m.html("report.rule.model_median", {{"model", rec.model_description}}));
    if (s.clutter == "p2108") {
        rule += " " + m.html("report.rule.clutter_p2108", {{"file", std::filesystem::path(s.land_cover_file).filename().string()}});
    } else if (s.clutter == "path") {
        rule += " " + m.html("report.rule.clutter_path", {{"file", std::filesystem::path(s.land_cover_file).filename().string()}});
    }
    if (!res.priorities.empty()) {
        std::vector<std::string> names;
        for (const DeadZonePriority& p : res.priorities) {
            names.push_back(p.name);
        }
        rule += " " + m.html("report.rule.dead_zones", {{"names", list_words(m, names)}, {"first", res.priorities.front().name}});
    } else {
        rule += " " + m.html("report.rule.no_dead_zones");
    }
    c["rule_html"] = rule;

    // How the answer moves, setting by setting.
    json steps = json::array();
    for (const SettingStep& r : res.setting_steps) {
        std::vector<std::string> order;
        for (std::size_t i = 0; i < r.ranking.size(); ++i) {
            order.push_back(std::to_string(i + 1) + ". " + r.ranking[i]);
        }
        std::string label;
        switch (r.kind) {
        case SettingStep::Kind::plain: label = m.text("report.steps.plain"); break;
        case SettingStep::Kind::receiver_clutter: label = m.text("report.steps.receiver_clutter"); break;
        case SettingStep::Kind::location: label = m.format("report.steps.location", {{"pct", m.number(r.location_pct)}}); break;
        case SettingStep::Kind::indoors: label = m.text("report.steps.indoors"); break;
        case SettingStep::Kind::study:
            label = m.format("report.steps.study", {{"model", r.model_description},
                                                    {"clutter", m.text(s.clutter == "path" ? "report.steps.clutter_path"
                                                                       : s.clutter == "p2108" ? "report.steps.clutter_receiver"
                                                                                              : "report.steps.clutter_none")},
                                                    {"where", m.text(s.indoor.enabled ? "report.steps.where_indoors" : "report.steps.where_outdoors")}});
            if (!s.calibration_file.empty()) {
                label += m.format("report.steps.calibrated", {{"file", std::filesystem::path(s.calibration_file).filename().string()}});
            }
            break;
        }
        steps.push_back({{"label", label},
                         {"served", m.format("report.steps.served", {{"served", m.number(r.households_served)}, {"of", m.number(r.households)},
                                                                     {"share", m.percent(r.households > 0.0 ? 100.0 * r.households_served / r.households : 0.0)}})},
                         {"dead_zones", m.number(static_cast<double>(r.dead_zones))},
                         {"order", order.empty() ? m.text("word.none") : list_words(m, order)}});
    }
    c["setting_steps"] = steps;

    // How well the model fits the measurements (a study with [calibration] file).
    c["calibration_any"] = !s.calibration_file.empty();
    if (!s.calibration_file.empty()) {
        const CalibrationSummary cal = read_calibration_summary(s.calibration_file);
        const auto db = [&](double v) { return (v >= 0.0 ? "+" : "−") + m.number(std::abs(v), 1); };
        json terms = json::array();
        for (const CalibrationSummary::Term& t : cal.terms) {
            json classes = json::array();
            for (const CalibrationSummary::ClassRow& r : t.classes) {
                const std::string key = "land_cover." + std::to_string(r.code);
                classes.push_back({{"name", m.has(key) ? m.text(key) : r.name},
                                   {"code", std::to_string(r.code)},
                                   {"bins", m.number(static_cast<double>(r.bins))},
                                   {"correction", db(r.correction_db)},
                                   {"se", m.number(r.correction_se_db, 1)},
                                   {"note", r.bins < cal.min_class_bins ? m.format("report.calibration.few_bins",
                                                                                   {{"min", m.number(static_cast<double>(cal.min_class_bins))}})
                                                                        : std::string()}});
            }
            terms.push_back({{"band", std::string(traits(t.technology).name) + " " + m.number(t.freq_mhz) + " MHz"},
                             {"summary", m.format("report.calibration.term",
                                                  {{"bins", m.number(static_cast<double>(t.bins))},
                                                   {"offset", db(t.offset_db)},
                                                   {"se", m.number(t.offset_se_db, 1)},
                                                   {"mean_before", db(t.before.mean_db)},
                                                   {"std_before", m.number(t.before.std_db, 1)},
                                                   {"rms_before", m.number(t.before.rms_db, 1)},
                                                   {"mean_after", db(t.after.mean_db)},
                                                   {"std_after", m.number(t.after.std_db, 1)},
                                                   {"rms_after", m.number(t.after.rms_db, 1)}})},
                             {"classes", classes},
                             {"classes_any", !classes.empty()}});
        }
        // covtool calibrate's charts, when they lie beside the calibration file (it writes them there).
        json charts = json::array();
        for (const char* chart_file : {"calibration_scatter.png", "calibration_distance.png"}) {
            const std::filesystem::path png = std::filesystem::path(s.calibration_file).parent_path() / chart_file;
            std::error_code ec;
            if (std::filesystem::is_regular_file(png, ec) && std::filesystem::file_size(png, ec) < (std::uintmax_t{8} << 20)) {
                std::ifstream in(png, std::ios::binary);
                std::ostringstream bytes;
                bytes << in.rdbuf();
                charts.push_back({{"png", base64(bytes.str())}, {"name", chart_file}});
            }
        }
        c["calibration"] = {{"charts", charts},
                            {"charts_any", !charts.empty()},
                            {"intro", m.format("report.calibration.intro",
                                               {{"file", cal.measurements},
                                                {"samples", m.number(static_cast<double>(cal.samples))},
                                                {"bins", m.number(static_cast<double>(cal.bins))},
                                                {"calibration", std::filesystem::path(s.calibration_file).filename().string()},
                                                {"block", m.number(cal.block_m)}})},
                            {"terms", terms}};
    }

    // Maps.
    json maps = json::array();
    for (const ReportMap& map : rec.maps) {
        maps.push_back({{"title", map.title}, {"caption", map.caption}, {"png", base64(map.png_bytes)}});
    }
    c["maps"] = maps;

    // Priorities.
    json pri = json::array();
    for (const DeadZonePriority& p : res.priorities) {
        pri.push_back({{"rank", std::to_string(p.rank)},
                       {"name", p.name},
                       {"households", m.number(p.households)},
                       {"unserved", m.number(p.factors.households_unserved)},
                       {"fibre", p.factors.nearest_fibre_route.empty() ? "–" : m.distance(p.factors.fibre_distance_m)},
                       {"tower", m.distance(p.factors.tower_distance_m) + " (" + p.factors.nearest_tower + ")"},
                       {"slope", m.number(p.factors.mean_slope_deg) + "°"},
                       {"score", m.number(p.score)},
                       {"reason", language == "vi" ? p.reason_vi : p.reason}});
    }
    c["priorities"] = pri;
    c["unserved_heading"] = m.format("report.priorities.unserved", {{"technology", generation_name(rule_tech)}});
    const PriorityWeights& w = s.weights;
    const double wsum = w.households_unserved + w.fibre_distance + w.tower_distance + w.terrain_difficulty;
    json score = json::array();
    score.push_back(m.html("report.score.households", {{"points", m.number(100.0 * w.households_unserved / wsum)}}));
    if (w.fibre_distance > 0) {
        score.push_back(m.html("report.score.fibre", {{"points", m.number(100.0 * w.fibre_distance / wsum)}}));
    }
    if (w.tower_distance > 0) {
        score.push_back(m.html("report.score.tower", {{"points", m.number(100.0 * w.tower_distance / wsum)}}));
    }
    if (w.terrain_difficulty > 0) {
        score.push_back(m.html("report.score.terrain", {{"points", m.number(100.0 * w.terrain_difficulty / wsum)},
                                                        {"radius_m", m.number(w.terrain_radius_m)}}));
    }
    c["score_items"] = score;
    c["plan"] = res.plan ? plan_context(rec, m) : json(false);
    c["uncertainty"] = res.uncertainty ? uncertainty_context(*res.uncertainty, m) : json(false);
    // Where the households were counted: at their points, or spread evenly over each hamlet's cells.
    std::size_t with_points = 0;
    for (const HamletReport& r : res.hamlets) {
        with_points += r.hamlet.homes.empty() ? 0U : 1U;
    }
    c["households_source"] = with_points == 0 ? m.text("report.households.spread")
                                              : m.format("report.households.points",
                                                         {{"file", std::filesystem::path(s.household_points_file).filename().string()},
                                                          {"hamlets", m.number(static_cast<double>(with_points))},
                                                          {"total", m.number(static_cast<double>(res.hamlets.size()))}});

    // Every hamlet.
    std::vector<Technology> techs;
    if (!res.hamlets.empty()) {
        for (const auto& t : res.hamlets.front().technologies) {
            techs.push_back(t.technology);
        }
    }
    json tech_heads = json::array();
    for (const Technology t : techs) {
        tech_heads.push_back({{"typical", m.format("report.hamlets.typical", {{"technology", generation_name(t)}})},
                              {"served", m.format("report.hamlets.served", {{"technology", generation_name(t)}})}});
    }
    c["hamlet_technologies"] = tech_heads;
    json hamlets = json::array();
    for (const HamletReport& r : res.hamlets) {
        json cells = json::array();
        for (const Technology t : techs) {
            const HamletTechnology* x = tech_of(r, t);
            const bool shown_dbm = x != nullptr && x->median_dbm && x->median_class != SignalClass::no_service;
            cells.push_back({{"typical", x != nullptr ? m.text(class_key(x->median_class)) + (shown_dbm ? " (" + m.number(*x->median_dbm) + " dBm)" : "")
                                                      : std::string("–")},
                             {"served", m.number(x != nullptr ? x->households_served : 0.0) + " (" +
                                            m.percent(x != nullptr ? 100.0 * x->area_served_share : 0.0) + ")"}});
        }
        hamlets.push_back({{"name", r.hamlet.name}, {"households", m.number(r.hamlet.households)}, {"people", m.number(r.hamlet.population)},
                           {"technologies", cells}, {"dead", r.dead_zone}, {"dead_word", m.text(r.dead_zone ? "word.yes" : "word.no")}});
    }
    c["hamlets"] = hamlets;

    // Assumptions: towers, model, classes.
    json towers = json::array();
    for (const Sector& sec : *rec.sectors) {
        towers.push_back({{"site", sec.site_id}, {"sector", sec.sector_id}, {"network", generation_name(sec.technology)},
                          {"freq", m.number(sec.freq_mhz) + " MHz"}, {"height", m.number(sec.height_agl_m) + " m"},
                          {"power", m.number(sec.tx_power_dbm) + " dBm"}, {"gain", m.number(sec.antenna_gain_dbi, 1) + " dBi"},
                          {"pointing", m.format("report.towers.pointing", {{"azimuth", m.number(sec.azimuth_deg)}, {"tilt", m.number(sec.tilt_deg)}})},
                          {"pattern", sec.pattern_source == "omni" ? m.text("report.towers.omni")
                                                                    : std::filesystem::path(sec.pattern_source).filename().string()}});
    }
    c["towers"] = towers;
    json model = json::array();
    model.push_back(m.html("report.model.path_loss", {{"model", rec.model_description},
                                                      {"mode", m.text(s.mode == CoverageMode::fast ? "report.model.mode_fast" : "report.model.mode_exact")}}));
    if (s.model.model == "itm") {
        model.push_back(m.html("report.model.itm_checked") + (s.mode == CoverageMode::fast ? " " + m.html("report.model.fast_accuracy") : ""));
    }
    model.push_back(m.html("report.model.receiver", {{"height_m", m.number(s.rx_height_m, 1)}, {"gain_dbi", m.number(s.rx_gain_dbi, 1)}}));
    if (s.radius_km) {
        model.push_back(m.html("report.model.radius", {{"km", m.number(*s.radius_km, 1)}}));
    }
    c["model_items"] = model;
    std::vector<Technology> present;
    for (const TechnologyTraits& tr : technology_table) {
        if (std::any_of(rec.sectors->begin(), rec.sectors->end(), [&](const Sector& sec) { return sec.technology == tr.technology; })) {
            present.push_back(tr.technology);
        }
    }
    json class_heads = json::array();
    for (const Technology t : present) {
        class_heads.push_back(m.format("report.classes.at_least", {{"technology", generation_name(t)}, {"measure", signal_measure_name(t)}}));
    }
    c["class_heads"] = class_heads;
    json classes = json::array();
    for (int i = 0; i < 5; ++i) {
        json bounds = json::array();
        for (const Technology t : present) {
            const SignalThresholds& th = s.thresholds[t];
            bounds.push_back(i < th.class_count ? m.number(th.lower_bound_dbm[static_cast<std::size_t>(i)]) + " dBm" : std::string("–"));
        }
        classes.push_back({{"name", m.text(class_key(static_cast<SignalClass>(i)))}, {"bounds", bounds}});
    }
    c["classes"] = classes;

    // Data.
    const Raster<float>& z = rec.dem->raster();
    c["terrain_source"] = s.terrain_provenance.empty() ? rec.dem->source() : s.terrain_provenance;
    std::string grid = m.format("report.data.grid", {{"cols", m.number(z.width())}, {"rows", m.number(z.height())},
                                                     {"cell_m", m.number(rec.dem->cell_size_m())}, {"crs", rec.crs_name},
                                                     {"width_km", m.number(z.width() * rec.dem->cell_size_m() / 1000.0, 1)},
                                                     {"height_km", m.number(z.height() * rec.dem->cell_size_m() / 1000.0, 1)}});
    if (rec.dem->voids().filled_cells > 0) {
        grid += " " + m.format("report.data.voids", {{"cells", m.number(static_cast<double>(rec.dem->voids().filled_cells))}});
    }
    c["grid"] = grid;
    c["fibre"] = rec.fibre != nullptr && !rec.fibre->empty()
                     ? json(m.format("report.data.fibre", {{"routes", m.number(static_cast<double>(rec.fibre->routes().size()))},
                                                           {"km", m.number(rec.fibre->length_m() / 1000.0, 1)}}))
                     : json(false);
    json inputs = json::array();
    for (const InputFile& f : rec.inputs) {
        const std::string role_key = "input." + f.role;
        inputs.push_back({{"role", m.has(role_key) ? m.text(role_key) : f.role}, {"path", f.path},
                          {"size", m.number(static_cast<double>(f.bytes) / 1024.0, 1) + " kB"}, {"sha256", f.sha256.substr(0, 16)}});
    }
    c["inputs"] = inputs;
    // The run's timings when it measured them (a province commune's report, assembled from tiles, has none of its own).
    c["footer"] = m.format("report.footer.produced", {{"version", version}});
    if (res.timings.total_s > 0.0) {
        c["footer"] = c["footer"].get<std::string>() + " " +
                  m.format("report.footer.timings", {{"total", m.number(res.timings.total_s, 1)}, {"terrain", m.number(res.timings.terrain_s, 1)},
                                                     {"coverage", m.number(res.timings.coverage_s, 1)}, {"analysis", m.number(res.timings.analysis_s, 2)},
                                                     {"planning", m.number(res.timings.planning_s, 1)}, {"outputs", m.number(res.timings.outputs_s, 1)}});
    }
    c["files"] = res.files;
    if (!rec.signal_layers.empty()) {
        const LeafletAssets& leaflet = leaflet_assets();
        c["imap"] = {{"json", interactive_map(rec, m)}, {"leaflet_js", leaflet.js}, {"leaflet_css", leaflet.css},
                     {"leaflet_version", leaflet.version}};
    } else {
        c["imap"] = false;
    }
    return c;
}

std::string study_report_html(const StudyRecord& rec, const std::string& language) {
    const Messages& m = Messages::of(language);
    const std::string path = (std::filesystem::path(resource_dir()) / "templates" / "report.html.mustache").string();
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        throw IoError("report template '" + path + "' cannot be read");
    }
    std::ostringstream text;
    text << f.rdbuf();
    const std::string tmpl = text.str();
    check_template_words(tmpl, path, m);
    kainjow::mustache::mustache view{tmpl};
    if (!view.is_valid()) {
        throw IoError("report template '" + path + "': " + view.error_message());
    }
    std::string html = view.render(to_mustache(study_report_context(rec, language)));
    if (!view.error_message().empty()) {
        throw IoError("report template '" + path + "': " + view.error_message());
    }
    return html;
}

} // namespace coverage::detail
