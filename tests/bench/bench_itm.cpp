// ITM point-to-point cost per call against profile length (100, 1 000, 10 000 points).
// Terrain: NTIA's p2p.csv profile 1 (367.8 km of real terrain, data/reference/itm), linearly resampled
// to the requested number of points, so every length sees the same landscape.
// Run: ./build.sh bench   (Release build; figures go in the closing note)

#include <coverage/propagation/delta_bullington_model.hpp>
#include <coverage/propagation/free_space_model.hpp>
#include <coverage/propagation/itm_model.hpp>

#include "support/test_paths.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

std::vector<double> ntia_profile_1() {
    std::ifstream in(coverage::test::itm_dir + "/p2p_profiles_pfl.csv");
    std::string line;
    if (!std::getline(in, line)) {
        throw std::runtime_error("cannot read p2p_profiles_pfl.csv");
    }
    std::vector<double> v;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) {
        v.push_back(std::stod(cell));
    }
    return std::vector<double>(v.begin() + 2, v.end());
}

coverage::TerrainProfile resampled(std::size_t points, double length_m) {
    static const std::vector<double> z = ntia_profile_1();
    coverage::TerrainProfile p;
    p.step_m = length_m / static_cast<double>(points - 1);
    p.elevation_m.resize(points);
    for (std::size_t i = 0; i < points; ++i) {
        const double x = static_cast<double>(i) * static_cast<double>(z.size() - 1) / static_cast<double>(points - 1);
        const auto j = std::min(static_cast<std::size_t>(x), z.size() - 2);
        const double f = x - static_cast<double>(j);
        p.elevation_m[i] = z[j] * (1.0 - f) + z[j + 1] * f;
    }
    return p;
}

void BM_ItmP2P(benchmark::State& state) {
    const auto points = static_cast<std::size_t>(state.range(0));
    // 30 m spacing, as on a 1 arc-second DEM, capped at the 367.8 km of the source profile.
    const coverage::TerrainProfile profile = resampled(points, std::min(30.0 * static_cast<double>(points - 1), 367819.0));
    const coverage::ItmModel model;
    const coverage::LinkParams link{.freq_mhz = 1800.0, .tx_height_agl_m = 30.0, .rx_height_agl_m = 1.5};
    for (auto _ : state) {
        benchmark::DoNotOptimize(model.path_loss(profile, link));
    }
    state.counters["profile_points"] = static_cast<double>(points);
    state.counters["calls_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["points_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations() * points), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ItmP2P)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

// Baselines in the same run: the cheapest model (free space: one pass to validate the profile) and
// delta-Bullington (three passes over the profile), to separate ITM's own cost from profile handling.
template <typename Model>
void BM_Baseline(benchmark::State& state) {
    const auto points = static_cast<std::size_t>(state.range(0));
    const coverage::TerrainProfile profile = resampled(points, std::min(30.0 * static_cast<double>(points - 1), 367819.0));
    const Model model;
    const coverage::LinkParams link{.freq_mhz = 1800.0, .tx_height_agl_m = 30.0, .rx_height_agl_m = 1.5};
    for (auto _ : state) {
        benchmark::DoNotOptimize(model.path_loss(profile, link));
    }
    state.counters["calls_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_TEMPLATE(BM_Baseline, coverage::FreeSpaceModel)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_Baseline, coverage::DeltaBullingtonModel)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
