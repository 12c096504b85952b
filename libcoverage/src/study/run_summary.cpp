// The summary a finished study or plan run gives the person who started it, in their language.

#include <coverage/study/study.hpp>

#include "core/messages.hpp"

#include <string>
#include <utility>

namespace coverage {

namespace {

using detail::MessageArg;
using detail::Messages;

// The plan's steps and totals, as covtool study and covtool plan both show them.
void plan_blocks(const Plan& plan, const Messages& m, RunSummary& out) {
    RunSummary::Block steps;
    steps.heading = m.format("cli.plan.heading", {{"budget", m.money_usd(plan.budget_usd)}, {"candidates", std::to_string(plan.candidates)}});
    for (const PlanStep& s : plan.steps) {
        const MessageArg step{"step", std::to_string(s.step)};
        std::string label = m.format(s.action == PlanStep::Action::tower        ? "cli.plan.tower"
                                     : s.action == PlanStep::Action::small_cell ? "cli.plan.small_cell"
                                                                                : "cli.plan.ftth",
                                     {step, {"name", s.name}});
        if (plan.phase_budgets_usd.size() > 1) {
            label = m.format("cli.plan.in_year", {{"year", std::to_string(s.phase)}}) + " " + label;
        }
        steps.rows.emplace_back(label,
                                m.format("cli.plan.row", {{"cost", m.money_usd(s.cost_usd)}, {"households", m.number(s.households_new, 1)},
                                                          {"total", m.number(s.households_cumulative, 1)},
                                                          {"spent", m.money_usd(s.cost_cumulative_usd)}}));
    }
    out.blocks.push_back(std::move(steps));
    out.blocks.push_back(RunSummary::Block{
        "", {{m.format("cli.plan.totals", {{"connected", m.number(plan.households_new)}, {"unserved", m.number(plan.households_unserved_before)},
                                           {"cost", m.money_usd(plan.cost_usd)}, {"bound", m.number(plan.upper_bound_households)},
                                           {"not_chosen", std::to_string(plan.not_chosen.size())},
                                           {"impossible", std::to_string(plan.impossible.size())}}),
              ""}}});
}

} // namespace

RunSummary::Block hamlet_summary(const std::vector<HamletReport>& hamlets, const std::string& language) {
    const Messages& m = Messages::of(language);
    RunSummary::Block block;
    for (const HamletReport& h : hamlets) {
        std::string line;
        for (const HamletTechnology& t : h.technologies) {
            line += (line.empty() ? "" : "   ") +
                    m.format("cli.hamlet.technology", {{"technology", generation_name(t.technology)},
                                                       {"class", m.text(std::string("class_name.") + to_string(t.median_class))},
                                                       {"share", m.percent(100.0 * t.area_served_share)}});
        }
        if (h.dead_zone) {
            line += "   " + m.text("cli.hamlet.dead_zone");
        }
        block.rows.emplace_back(m.format("cli.hamlet.name", {{"name", h.hamlet.name}, {"households", std::to_string(h.hamlet.households)}}),
                                line);
    }
    return block;
}

RunSummary run_summary(const Study& study, const StudyResult& r, const std::string& language, bool plan_only) {
    const Messages& m = Messages::of(language);
    RunSummary out;
    const auto seconds = [&](double s) { return m.number(s, 1); };
    out.blocks.push_back(RunSummary::Block{m.format(plan_only ? "cli.plan.title" : "cli.study.title", {{"name", study.name_in(language)}}), {}});
    if (r.terrain_synthetic) {
        out.blocks.push_back(RunSummary::Block{m.text("cli.synthetic"), {}});
    }
    if (!plan_only) {
        out.blocks.push_back(hamlet_summary(r.hamlets, language));
        if (!r.priorities.empty()) {
            RunSummary::Block order;
            order.heading = m.text("cli.priorities.heading");
            for (const DeadZonePriority& p : r.priorities) {
                order.rows.emplace_back(m.format("cli.priorities.name", {{"rank", std::to_string(p.rank)}, {"name", p.name}}),
                                        m.format("cli.priorities.row", {{"score", m.number(p.score)},
                                                                        {"households", m.number(p.factors.households_unserved)},
                                                                        {"fibre", m.distance(p.factors.fibre_distance_m)},
                                                                        {"tower", m.distance(p.factors.tower_distance_m)},
                                                                        {"slope", m.number(p.factors.mean_slope_deg)}}));
            }
            out.blocks.push_back(std::move(order));
        }
    }
    if (r.plan) {
        plan_blocks(*r.plan, m, out);
    }
    const StudyTimings& t = r.timings;
    std::string time = plan_only ? m.format("cli.plan.time", {{"total", seconds(t.total_s)}, {"terrain", seconds(t.terrain_s)},
                                                               {"coverage", seconds(t.coverage_s)}, {"planning", seconds(t.planning_s)}})
                                 : m.format("cli.study.time", {{"cells", m.number(static_cast<double>(r.grid_cells))},
                                                               {"sectors", std::to_string(r.sectors)}, {"total", seconds(t.total_s)},
                                                               {"terrain", seconds(t.terrain_s)}, {"coverage", seconds(t.coverage_s)},
                                                               {"analysis", m.number(t.analysis_s, 2)}, {"planning", seconds(t.planning_s)},
                                                               {"outputs", seconds(t.outputs_s)}, {"rss", m.number(r.peak_rss_mib)}});
    out.blocks.push_back(RunSummary::Block{"", {{time, ""},
                                                {m.format(plan_only ? "cli.plan.wrote" : "cli.study.wrote",
                                                          {{"files", std::to_string(r.files.size())}, {"folder", r.out_dir}}),
                                                 ""}}});
    return out;
}

} // namespace coverage
