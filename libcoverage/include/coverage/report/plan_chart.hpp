#ifndef COVERAGE_REPORT_PLAN_CHART_HPP
#define COVERAGE_REPORT_PLAN_CHART_HPP

#include <coverage/planning/plan.hpp>
#include <coverage/report/map_render.hpp>

#include <string>

namespace coverage {

/** plan_curve.png: households newly served against money spent, step by step, with the bound; atomically. */
void write_plan_curve_png(const std::string& path, const Plan& plan, const std::string& title);

/** The same chart as PNG bytes with its title and axes in `language`'s words ("vi", "en"). */
[[nodiscard]] std::string plan_curve_png(const Plan& plan, const std::string& language);
/** The same chart as the bytes of a file in `format` (PNG, or PDF/SVG for print). */
[[nodiscard]] std::string plan_curve_picture(const Plan& plan, const std::string& language, PictureFormat format);

} // namespace coverage

#endif // COVERAGE_REPORT_PLAN_CHART_HPP
