// plan_curve.png: the plan's households against money spent.

#include <coverage/report/map_render.hpp>
#include <coverage/report/plan_chart.hpp>

#include "core/text.hpp"

#include <string>

namespace coverage {

using detail::format;

void write_plan_curve_png(const std::string& path, const Plan& plan, const std::string& title) {
    Chart c;
    c.title = title;
    c.x_label = "MONEY SPENT (USD)";
    c.y_label = "HOUSEHOLDS NEWLY SERVED";
    c.x.push_back(0.0);
    c.y.push_back(0.0);
    c.point_labels.emplace_back();
    for (const PlanStep& s : plan.steps) {
        c.x.push_back(s.cost_cumulative_usd);
        c.y.push_back(s.households_cumulative);
        c.point_labels.push_back(std::to_string(s.step) + " " + s.name);
    }
    c.h_line = plan.upper_bound_households;
    c.h_line_label = format("NO PLAN WITHIN THE BUDGET SERVES MORE THAN %.0f", plan.upper_bound_households);
    c.v_line = plan.budget_usd;
    c.v_line_label = "BUDGET";
    write_chart_png(path, c);
}

} // namespace coverage
