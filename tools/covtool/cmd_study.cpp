// covtool study: the main job. One study file in, one output folder out. covtool plan: the plan alone.

#include "commands.hpp"
#include "terminal.hpp"

#include <coverage/core/catalogue.hpp>
#include <coverage/core/error.hpp>
#include <coverage/study/study.hpp>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

namespace covtool {

namespace {

struct StudyOptions {
    std::string study_file;
    std::string out;
    int threads = 0;
    bool allow_remote = false;
    std::string language; ///< --lang: overrides report.language
};

void print_plan(const coverage::Plan& plan) {
    using coverage::PlanStep;
    std::printf("  plan within USD %.0f (%zu candidate towers considered):\n", plan.budget_usd, plan.candidates);
    std::vector<std::pair<std::string, std::string>> rows;
    for (const PlanStep& s : plan.steps) {
        rows.emplace_back(fmt("  %d. ", s.step) + (s.action == PlanStep::Action::tower ? "tower " : "fibre to ") + s.name,
                          fmt("USD %8.0f  +%5.1f households  (total %5.1f for USD %.0f)", s.cost_usd, s.households_new,
                              s.households_cumulative, s.cost_cumulative_usd));
    }
    std::printf("%s", format_table(rows).c_str());
    std::printf("  %.0f of %.0f unserved households connected for USD %.0f; no plan within the budget connects more than %.0f; "
                "%zu options not chosen, %zu impossible (see plan.csv)\n",
                plan.households_new, plan.households_unserved_before, plan.cost_usd, plan.upper_bound_households, plan.not_chosen.size(),
                plan.impossible.size());
}

int run_study_command(const StudyOptions& o) {
    using namespace coverage;
    Study study = read_study(o.study_file);
    study.terrain_allow_remote = study.terrain_allow_remote || o.allow_remote;
    if (!o.language.empty()) {
        study.language = o.language;
    }
    ProgressBar bar("study");
    StudyRunOptions run;
    run.threads = o.threads;
    run.progress = bar.callback();
    const StudyResult r = run_study(study, o.out, run);
    bar.finish();

    std::printf("covtool study: %s\n", for_terminal(study.name).c_str());
    if (r.terrain_synthetic) {
        std::printf("  NOTE: the terrain is SYNTHETIC (generated, not measured); results illustrate the method only\n");
    }
    std::vector<std::pair<std::string, std::string>> rows;
    for (const HamletReport& h : r.hamlets) {
        std::string line;
        for (const HamletTechnology& t : h.technologies) {
            line += fmt("%s %-10s %3.0f %% of households   ", generation_name(t.technology), to_string(t.median_class),
                        100.0 * t.area_served_share);
        }
        rows.emplace_back(h.hamlet.name + fmt(" (%d hh)", h.hamlet.households), line + (h.dead_zone ? "DEAD ZONE" : ""));
    }
    std::printf("%s", format_table(rows).c_str());
    if (!r.priorities.empty()) {
        std::printf("  dead zones, first to serve first:\n");
        rows.clear();
        for (const DeadZonePriority& p : r.priorities) {
            rows.emplace_back(fmt("  %d. ", p.rank) + p.name,
                              fmt("score %3.0f  %4.0f households without signal, fibre %.1f km, tower %.1f km, slope %.0f deg", p.score,
                                  p.factors.households_unserved, p.factors.fibre_distance_m / 1000.0,
                                  p.factors.tower_distance_m / 1000.0, p.factors.mean_slope_deg));
        }
        std::printf("%s", format_table(rows).c_str());
    }
    if (r.plan) {
        print_plan(*r.plan);
    }
    std::printf("  %zu cells, %zu sectors; %.1f s (terrain %.1f, coverage %.1f, analysis %.2f, planning %.1f, outputs %.1f), peak RSS %.0f MiB\n",
                r.grid_cells, r.sectors, r.timings.total_s, r.timings.terrain_s, r.timings.coverage_s, r.timings.analysis_s,
                r.timings.planning_s, r.timings.outputs_s, r.peak_rss_mib);
    std::printf("  wrote %zu files to %s (open report.html)\n", r.files.size(), r.out_dir.c_str());
    return 0;
}

struct PlanOptions {
    std::string study_file;
    std::string out;
    std::optional<double> budget_usd;
    int threads = 0;
    bool allow_remote = false;
};

int run_plan_command(const PlanOptions& o) {
    using namespace coverage;
    Study study = read_study(o.study_file);
    if (!study.planning.enabled) {
        throw InvalidArgument("study file '" + o.study_file + "' has no [planning] table (budget_usd and costs)");
    }
    if (o.budget_usd) {
        if (!(*o.budget_usd >= 0.0)) {
            throw InvalidArgument(fmt("--budget-usd must be >= 0 (got %g)", *o.budget_usd));
        }
        study.planning.settings.budget_usd = *o.budget_usd;
    }
    study.terrain_allow_remote = study.terrain_allow_remote || o.allow_remote;
    ProgressBar bar("plan");
    StudyRunOptions run;
    run.threads = o.threads;
    run.progress = bar.callback();
    run.plan_only = true;
    const StudyResult r = run_study(study, o.out, run);
    bar.finish();
    std::printf("covtool plan: %s\n", for_terminal(study.name).c_str());
    print_plan(*r.plan);
    std::printf("  %.1f s (terrain %.1f, coverage %.1f, planning %.1f); wrote plan.csv, plan.geojson, plan_curve.png, run.json to %s\n",
                r.timings.total_s, r.timings.terrain_s, r.timings.coverage_s, r.timings.planning_s, r.out_dir.c_str());
    return 0;
}

} // namespace

void register_plan(CLI::App& app, Action& action) {
    auto o = std::make_shared<PlanOptions>();
    CLI::App* cmd = app.add_subcommand("plan", "Plan within a budget from a study file: which towers and fibre extensions to build, "
                                               "in which order (plan.csv, plan.geojson, plan_curve.png)");
    cmd->add_option("study_file", o->study_file, "the study file, with a [planning] table")->required();
    cmd->add_option("-o,--out", o->out, "output folder; replaced as a whole when the run completes")->required();
    cmd->add_option("--budget-usd", o->budget_usd, "budget, USD [default: planning.budget_usd of the study file]");
    cmd->add_flag("--allow-remote", o->allow_remote, "let the DEM's VRT read sources over the network (as terrain.allow_remote = true)");
    cmd->add_option("--threads", o->threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->callback([o, &action] { action = [o] { return run_plan_command(*o); }; });
}

void register_study(CLI::App& app, Action& action) {
    auto o = std::make_shared<StudyOptions>();
    CLI::App* cmd = app.add_subcommand("study", "Run a whole study from a TOML study file: coverage, hamlets, dead-zone "
                                                "priorities, maps and report.html");
    cmd->add_option("study_file", o->study_file, "the study file (see data/sang_moc/study.toml)")->required();
    cmd->add_option("-o,--out", o->out, "output folder; replaced as a whole when the run completes")->required();
    cmd->add_flag("--allow-remote", o->allow_remote, "let the DEM's VRT read sources over the network (as terrain.allow_remote = true)");
    cmd->add_option("--threads", o->threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->add_option("--lang", o->language, "language of report.html, its maps and charts (the other language's copy is written "
                                           "beside it) [default: report.language of the study file]")
        ->check(CLI::IsMember(coverage::message_languages()));
    cmd->callback([o, &action] { action = [o] { return run_study_command(*o); }; });
}

} // namespace covtool
