// covtool study: the main job. One study file in, one output folder out.

#include "commands.hpp"
#include "terminal.hpp"

#include <coverage/study.hpp>

#include <cstdio>
#include <memory>
#include <string>

namespace covtool {

namespace {

struct StudyOptions {
    std::string study_file;
    std::string out;
    int threads = 0;
};

int run_study_command(const StudyOptions& o) {
    using namespace coverage;
    const Study study = read_study(o.study_file);
    ProgressBar bar("study");
    StudyRunOptions run;
    run.threads = o.threads;
    run.progress = bar.callback();
    const StudyResult r = run_study(study, o.out, run);
    bar.finish();

    std::printf("covtool study: %s\n", study.name.c_str());
    if (r.terrain_synthetic) {
        std::printf("  NOTE: the terrain is SYNTHETIC (generated, not measured); results illustrate the method only\n");
    }
    std::vector<std::pair<std::string, std::string>> rows;
    for (const HamletReport& h : r.hamlets) {
        std::string line;
        for (const HamletTechnology& t : h.technologies) {
            line += fmt("%s %-10s %3.0f %% of households   ", t.technology == Technology::lte ? "4G" : "3G", to_string(t.median_class),
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
    std::printf("  %zu cells, %zu sectors; %.1f s (terrain %.1f, coverage %.1f, analysis %.2f, outputs %.1f), peak RSS %.0f MiB\n",
                r.grid_cells, r.sectors, r.timings.total_s, r.timings.terrain_s, r.timings.coverage_s, r.timings.analysis_s,
                r.timings.outputs_s, r.peak_rss_mib);
    std::printf("  wrote %zu files to %s (open report.html)\n", r.files.size(), r.out_dir.c_str());
    return 0;
}

} // namespace

void register_study(CLI::App& app, Action& action) {
    auto o = std::make_shared<StudyOptions>();
    CLI::App* cmd = app.add_subcommand("study", "Run a whole study from a TOML study file: coverage, hamlets, dead-zone "
                                                "priorities, maps and report.html");
    cmd->add_option("study_file", o->study_file, "the study file (see data/sang_moc/study.toml)")->required();
    cmd->add_option("-o,--out", o->out, "output folder; replaced as a whole when the run completes")->required();
    cmd->add_option("--threads", o->threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->callback([o, &action] { action = [o] { return run_study_command(*o); }; });
}

} // namespace covtool
