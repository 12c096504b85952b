// Planning benchmark (issue 5). Prints:
//  1. the time to plan Sảng Mộc (the shipped study, plan only), split by stage;
//  2. scaling with 10, 100 and 1,000 candidate towers on a larger synthetic area (36 × 36 km at 30 m, seeded
//     hills, 60 dead-zone hamlets, fibre along one valley): routing (one Dijkstra), candidates' coverage of the
//     hamlets' cells (ITM, exact profiles), selection (lazy greedy; evaluations against a plain greedy's), and
//     the plan's value against its bound;
//  3. peak RSS.
// Usage: bench_plan [max_candidates]

#include <coverage/propagation/itm_model.hpp>
#include <coverage/planning/plan.hpp>
#include <coverage/study/study.hpp>

#include "support/test_paths.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

using namespace coverage;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// Seeded terrain: 200 Gaussian hills of 100-600 m over a 250 m plain, 1200 × 1200 cells of 30 m, UTM 48N.
Dem synthetic_area(int n) {
    const GeoTransform gt{.xorig = 560000.0, .xscale = 30.0, .xrot = 0.0, .yorig = 2440000.0, .yrot = 0.0, .yscale = -30.0};
    Raster<float> z(n, n, gt, Crs{"EPSG:32648"}, 250.0F);
    std::mt19937 rng(5719);
    std::uniform_real_distribution<double> pos(0.0, n);
    std::uniform_real_distribution<double> height(100.0, 600.0);
    std::uniform_real_distribution<double> width(15.0, 60.0);
    for (int k = 0; k < 200; ++k) {
        const double cx = pos(rng);
        const double cy = pos(rng);
        const double h = height(rng);
        const double w = width(rng);
        const int r = static_cast<int>(3 * w);
        for (int y = std::max(0, static_cast<int>(cy) - r); y < std::min(n, static_cast<int>(cy) + r); ++y) {
            for (int x = std::max(0, static_cast<int>(cx) - r); x < std::min(n, static_cast<int>(cx) + r); ++x) {
                const double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                z.at(x, y) += static_cast<float>(h * std::exp(-d2 / (2 * w * w)));
            }
        }
    }
    return Dem(std::move(z));
}

} // namespace

int main(int argc, char** argv) {
    const int max_candidates = argc > 1 ? std::atoi(argv[1]) : 1000;

    std::printf("bench_plan: planning (issue 5)\n");
    {
        const Study study = read_study(test::data_dir + "/sang_moc/study.toml");
        const auto out = std::filesystem::temp_directory_path() / "bench_plan_sang_moc";
        StudyRunOptions run;
        run.plan_only = true;
        const StudyResult r = run_study(study, out.string(), run);
        std::printf("Sảng Mộc (shipped study, plan only, %zu candidates, 2 threads): total %.2f s = terrain %.2f + coverage %.2f + analysis "
                    "%.2f + planning %.2f + outputs %.2f; %zu steps, %.0f of %.0f households for USD %.0f, bound %.0f\n",
                    r.plan->candidates, r.timings.total_s, r.timings.terrain_s, r.timings.coverage_s, r.timings.analysis_s,
                    r.timings.planning_s, r.timings.outputs_s, r.plan->steps.size(), r.plan->households_new,
                    r.plan->households_unserved_before, r.plan->cost_usd, r.plan->upper_bound_households);
        std::filesystem::remove_all(out);
    }

    constexpr int n = 1200;
    auto t = Clock::now();
    const Dem dem = synthetic_area(n);
    std::printf("synthetic area: %d x %d cells of 30 m (%.0f km²), made in %.2f s\n", n, n, n * n * 0.0009, since(t));
    std::mt19937 rng(20211);
    std::uniform_int_distribution<int> cell(60, n - 60);
    // Hamlets: 60 dead zones of 40-120 households, settlement radius 300 m.
    std::vector<HamletReport> reports;
    std::uniform_int_distribution<int> hh(40, 120);
    for (int i = 0; i < 60; ++i) {
        HamletReport r;
        const int households = hh(rng);
        r.hamlet = Hamlet{.hamlet_id = "H" + std::to_string(i), .name = "Hamlet " + std::to_string(i),
                          .location = dem.to_geo(dem.cell_centre(cell(rng), cell(rng))), .settlement_radius_m = 300.0,
                          .households = households, .population = 4 * households, .outline = {}, .homes = {}};
        r.dead_zone = true;
        HamletTechnology tech;
        r.technologies.push_back(tech);
        reports.push_back(r);
    }
    const FibreNetwork fibre(dem, {FibreRoute{"F", "trunk", {dem.to_geo(dem.cell_centre(10, 10)), dem.to_geo(dem.cell_centre(n / 2, n / 3)),
                                                             dem.to_geo(dem.cell_centre(n - 10, n / 2))}}});
    Sector old;
    old.site_id = "OLD";
    old.sector_id = "OLD/1";
    old.location = dem.to_geo(dem.cell_centre(n / 2, n / 3));
    old.height_agl_m = 35.0;
    old.freq_mhz = 1800.0;
    const std::vector<Sector> existing = {old};
    const Raster<float> none(n, n, dem.raster().transform(), dem.crs(), std::nanf(""));

    t = Clock::now();
    const CostSurface cost(dem, CostModel{});
    const double cost_s = since(t);
    t = Clock::now();
    const FibreRouter router(dem, cost, fibre);
    std::printf("cost surface %.2f s; fibre routes from the network to every cell (one Dijkstra, 16 neighbours, %d cells) %.2f s\n",
                cost_s, n * n, since(t));

    CoverageOptions coverage;
    coverage.model = std::make_shared<const ItmModel>();
    coverage.radius_m = 10000.0;
    std::printf("%10s %10s %12s %12s %14s %12s %10s %10s\n", "candidates", "plan s", "per cand ms", "households", "bound", "steps",
                "lazy evals", "plain evals");
    for (int count = 10; count <= max_candidates; count *= 10) {
        std::vector<Candidate> candidates;
        for (int i = 0; i < count; ++i) {
            candidates.push_back(Candidate{"C" + std::to_string(i), "", dem.to_geo(dem.cell_centre(cell(rng), cell(rng))), 30.0, "file"});
        }
        PlanSettings s;
        s.budget_usd = 3e6;
        s.find_candidates = false;
        s.tower_sectors = existing;
        t = Clock::now();
        const Plan plan = plan_network(dem, reports, DeadZoneRule{}, SignalThresholds::lte_default(), none, existing, fibre, cost, candidates,
                                       s, coverage);
        const double secs = since(t);
        // Evaluations a plain (non-lazy) greedy would make: one per remaining option per step, in both runs.
        const std::size_t options = plan.steps.size() + plan.not_chosen.size();
        std::size_t plain = 0;
        for (std::size_t k = 0; k <= plan.steps.size(); ++k) {
            plain += options - k;
        }
        std::printf("%10d %10.2f %12.2f %12.1f %14.1f %12zu %10s %10zu\n", count, secs, 1000.0 * secs / count, plan.households_new,
                    plan.upper_bound_households, plan.steps.size(), std::to_string(plan.selection_evaluations).c_str(), 2 * plain);
    }
    std::printf("peak RSS %.0f MiB\n", peak_rss_mib());
    return 0;
}
