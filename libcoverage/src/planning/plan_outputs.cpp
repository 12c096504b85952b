// plan.csv and plan.geojson.

#include <coverage/core/atomic_file.hpp>
#include <coverage/planning/plan.hpp>
#include <coverage/planning/uncertainty.hpp>

#include "core/messages.hpp"
#include "core/text.hpp"

namespace coverage {

using detail::csv_field;
using detail::format;
using detail::json_string;

namespace {

std::string backhaul_words(const PlanStep& s) {
    switch (s.backhaul.kind) {
    case Backhaul::Kind::fibre:
        return format("fibre %.1f km (USD %.0f%s)", s.backhaul.fibre.length_m / 1000.0, s.backhaul.cost_usd,
                      s.backhaul.fibre.river_crossings > 0 ? format(", %d river crossings", s.backhaul.fibre.river_crossings).c_str() : "");
    case Backhaul::Kind::microwave:
        return format("microwave %.1f km to %s (%.0f %% of the first Fresnel zone clear)", s.backhaul.microwave_distance_m / 1000.0,
                      s.backhaul.microwave_to.c_str(), s.backhaul.microwave_fresnel_clear_pct);
    case Backhaul::Kind::none: break;
    }
    return "none";
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
        out += (out.empty() ? "" : "; ") + s;
    }
    return out;
}

} // namespace

const char* to_string(PlanStep::Action a) noexcept {
    switch (a) {
    case PlanStep::Action::tower: return "tower";
    case PlanStep::Action::small_cell: return "small_cell";
    case PlanStep::Action::ftth: break;
    }
    return "ftth";
}

std::string plan_step_note(const PlanStep& s, const std::string& language) {
    const detail::Messages& m = detail::Messages::of(language);
    switch (s.why) {
    case PlanStep::Why::outside_terrain: return m.text("plan.why.outside_terrain");
    case PlanStep::Why::no_backhaul: return m.format("plan.why.no_backhaul", {{"detail", s.backhaul.why_none}});
    case PlanStep::Why::no_fibre: return m.text("plan.why.no_fibre");
    case PlanStep::Why::no_route: return m.text("plan.why.no_route");
    case PlanStep::Why::serves_none: return m.text("plan.why.serves_none");
    case PlanStep::Why::over_budget: return m.format("plan.why.over_budget", {{"left", m.money_usd(s.budget_left_usd)}});
    case PlanStep::Why::already_served: return m.text("plan.why.already_served");
    case PlanStep::Why::chosen: break;
    }
    return {};
}

void write_plan_csv(const std::string& path, const Plan& plan, const UncertaintyResult* uncertainty) {
    std::string t = "step,year,status,action,target_id,name,lat_deg,lon_deg,mast_height_m,backhaul,fibre_length_m,cost_usd,drop_cost_usd,households_new,"
                    "households_cumulative,cost_cumulative_usd,in_plan_pct,hamlets,note,note_vi\n";
    auto in_plan = [&](const PlanStep& s) {
        if (uncertainty != nullptr) {
            for (const OptionStability& o : uncertainty->options) {
                if (o.action == s.action && o.target_id == s.target_id) {
                    return format("%.1f", 100.0 * o.in_plan_share);
                }
            }
        }
        return std::string();
    };
    auto row = [&](const PlanStep& s, const char* status) {
        t += format("%s,%s,%s,%s,%s,%s,%.6f,%.6f,%s,%s,%s,%.0f,%s,%.1f,%s,%s,%s,%s,%s,%s\n", s.step > 0 ? std::to_string(s.step).c_str() : "",
                    s.phase > 0 ? std::to_string(s.phase).c_str() : "", status,
                    to_string(s.action), csv_field(s.target_id).c_str(), csv_field(s.name).c_str(), s.location.lat_deg,
                    s.location.lon_deg, s.action != PlanStep::Action::ftth ? format("%.0f", s.mast_height_m).c_str() : "",
                    csv_field(backhaul_words(s)).c_str(),
                    s.backhaul.kind == Backhaul::Kind::fibre ? format("%.0f", s.backhaul.fibre.length_m).c_str() : "", s.cost_usd,
                    s.action == PlanStep::Action::ftth ? format("%.0f", s.drop_cost_usd).c_str() : "",
                    s.households_new, s.step > 0 ? format("%.1f", s.households_cumulative).c_str() : "",
                    s.step > 0 ? format("%.0f", s.cost_cumulative_usd).c_str() : "", in_plan(s).c_str(), csv_field(joined(s.hamlets)).c_str(),
                    csv_field(s.note).c_str(), csv_field(plan_step_note(s, "vi")).c_str());
    };
    for (const auto& s : plan.steps) {
        row(s, "chosen");
    }
    for (const auto& s : plan.not_chosen) {
        row(s, "not_chosen");
    }
    for (const auto& s : plan.impossible) {
        row(s, "impossible");
    }
    write_file_atomically(path, t);
}

void write_plan_geojson(const std::string& path, const Plan& plan) {
    std::string t = "{\"type\": \"FeatureCollection\", \"name\": \"plan\", \"features\": [\n";
    bool first = true;
    auto feature = [&](const std::string& geometry, const std::string& properties) {
        t += std::string(first ? " " : ",\n ") + "{\"type\": \"Feature\", \"geometry\": " + geometry + ", \"properties\": {" + properties + "}}";
        first = false;
    };
    auto point = [](GeoPoint p) { return format("{\"type\": \"Point\", \"coordinates\": [%.6f, %.6f]}", p.lon_deg, p.lat_deg); };
    auto line = [](const std::vector<GeoPoint>& pts) {
        std::string s = "{\"type\": \"LineString\", \"coordinates\": [";
        for (std::size_t i = 0; i < pts.size(); ++i) {
            s += format("%s[%.6f, %.6f]", i ? ", " : "", pts[i].lon_deg, pts[i].lat_deg);
        }
        return s + "]}";
    };
    auto common = [&](const PlanStep& s, const char* status, const char* kind) {
        return format("\"kind\": %s, \"status\": %s, \"step\": %s, \"action\": %s, \"target_id\": %s, \"name\": %s, \"cost_usd\": %.0f, "
                      "\"households_new\": %.1f, \"note\": %s",
                      json_string(kind).c_str(), json_string(status).c_str(), s.step > 0 ? std::to_string(s.step).c_str() : "null",
                      json_string(to_string(s.action)).c_str(), json_string(s.target_id).c_str(), json_string(s.name).c_str(), s.cost_usd,
                      s.households_new, json_string(s.note).c_str());
    };
    auto add = [&](const PlanStep& s, const char* status) {
        feature(point(s.location), common(s, status, s.action == PlanStep::Action::ftth ? "ftth_node" : to_string(s.action)) +
                                       format(", \"mast_height_m\": %s, \"backhaul\": %s",
                                              s.action != PlanStep::Action::ftth ? format("%.0f", s.mast_height_m).c_str() : "null",
                                              json_string(backhaul_words(s)).c_str()));
        if (s.backhaul.kind == Backhaul::Kind::fibre && s.backhaul.fibre.path.size() >= 2) {
            feature(line(s.backhaul.fibre.path), common(s, status, "fibre_route") +
                                                     format(", \"length_m\": %.0f, \"route_cost_usd\": %.0f, \"river_crossings\": %d",
                                                            s.backhaul.fibre.length_m, s.backhaul.fibre.cost_usd, s.backhaul.fibre.river_crossings));
        }
        if (s.backhaul.kind == Backhaul::Kind::microwave) {
            feature(line({s.location, s.backhaul.microwave_to_location}),
                    common(s, status, "microwave_link") + format(", \"to_site\": %s, \"distance_m\": %.0f, \"fresnel_clear_pct\": %.0f",
                                                                 json_string(s.backhaul.microwave_to).c_str(),
                                                                 s.backhaul.microwave_distance_m, s.backhaul.microwave_fresnel_clear_pct));
        }
    };
    for (const auto& s : plan.steps) {
        add(s, "chosen");
    }
    for (const auto& s : plan.not_chosen) {
        add(s, "not_chosen");
    }
    for (const auto& s : plan.impossible) {
        add(s, "impossible");
    }
    t += "\n]}\n";
    write_file_atomically(path, t);
}

} // namespace coverage
