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
    bool pdf = false;     ///< --pdf: report.pdf too
};

// The run's summary in the study's language: the first heading at the margin, the others indented, rows aligned
// (those under a heading one step further in), a row without a value as a line of its own.
void print_summary(const coverage::RunSummary& summary) {
    bool first = true;
    for (const coverage::RunSummary::Block& b : summary.blocks) {
        if (!b.heading.empty()) {
            std::printf("%s%s\n", first ? "" : "  ", for_terminal(b.heading).c_str());
        }
        first = false;
        std::vector<std::pair<std::string, std::string>> table;
        for (const auto& [label, value] : b.rows) {
            if (value.empty()) {
                std::printf("  %s\n", for_terminal(label).c_str());
            } else {
                table.emplace_back((b.heading.empty() ? "" : "  ") + label, value);
            }
        }
        std::printf("%s", format_table(table).c_str());
    }
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
    run.print_pdf = o.pdf;
    const StudyResult r = run_study(study, o.out, run);
    bar.finish();

    print_summary(run_summary(study, r, study.language));
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
        study.planning.settings.phase_budgets_usd.clear(); // --budget-usd: one phase
    }
    study.terrain_allow_remote = study.terrain_allow_remote || o.allow_remote;
    ProgressBar bar("plan");
    StudyRunOptions run;
    run.threads = o.threads;
    run.progress = bar.callback();
    run.plan_only = true;
    const StudyResult r = run_study(study, o.out, run);
    bar.finish();
    print_summary(run_summary(study, r, study.language, /*plan_only=*/true));
    return 0;
}

} // namespace

void register_plan(CLI::App& app, Action& action) {
    auto o = std::make_shared<PlanOptions>();
    CLI::App* cmd = app.add_subcommand("plan", "Plan within a budget from a study file: which towers and fibre extensions to build, "
                                               "in which order (plan.csv, plan.geojson, plan_curve.png)");
    cmd->add_option("study_file", o->study_file, "the study file, with a [planning] table")->required();
    cmd->add_option("-o,--out", o->out, "output folder; replaced as a whole when the run completes")->required();
    cmd->add_option("--budget-usd", o->budget_usd, "budget, USD, one phase [default: planning.budget_usd of the study file]");
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
    cmd->add_flag("--pdf", o->pdf, "also report.pdf, report.html printed by headless Chromium (A4, for a commune office's printer; "
                                   "needs the Debian package chromium)");
    cmd->callback([o, &action] { action = [o] { return run_study_command(*o); }; });
}

} // namespace covtool
