// plan_curve.png: the plan's households against money spent.

#include <coverage/report/map_render.hpp>
#include <coverage/report/plan_chart.hpp>

#include "core/messages.hpp"

#include <string>

namespace coverage {

namespace {

Chart plan_curve(const Plan& plan, const detail::Messages& m) {
    Chart c;
    c.title = m.text("chart.plan.title");
    c.x_label = m.text("chart.plan.x");
    c.y_label = m.text("chart.plan.y");
    c.language = m.language();
    c.x.push_back(0.0);
    c.y.push_back(0.0);
    c.point_labels.emplace_back();
    for (const PlanStep& s : plan.steps) {
        c.x.push_back(s.cost_cumulative_usd);
        c.y.push_back(s.households_cumulative);
        c.point_labels.push_back(std::to_string(s.step) + " " + s.name);
    }
    c.h_line = plan.upper_bound_households;
    c.h_line_label = m.format("chart.plan.bound", {{"households", m.number(plan.upper_bound_households)}});
    c.v_line = plan.budget_usd;
    c.v_line_label = m.text("chart.plan.budget");
    if (plan.phase_budgets_usd.size() > 1) {
        double cumulative = 0.0;
        for (std::size_t y = 0; y + 1 < plan.phase_budgets_usd.size(); ++y) {
            cumulative += plan.phase_budgets_usd[y];
            c.more_v_lines.emplace_back(cumulative, m.format("chart.plan.year_end", {{"year", m.number(static_cast<double>(y + 1))}}));
        }
    }
    return c;
}

} // namespace

void write_plan_curve_png(const std::string& path, const Plan& plan, const std::string& title) {
    Chart c = plan_curve(plan, detail::Messages::of("en"));
    c.title = title;
    write_chart_png(path, c);
}

std::string plan_curve_png(const Plan& plan, const std::string& language) { return plan_curve_picture(plan, language, PictureFormat::png); }

std::string plan_curve_picture(const Plan& plan, const std::string& language, PictureFormat format) {
    return chart_picture(format, plan_curve(plan, detail::Messages::of(language)));
}

} // namespace coverage
