// assess_uncertainty: the ranking and the plan again under drawn weights, costs and prediction errors.

#include <coverage/core/atomic_file.hpp>
#include <coverage/core/error.hpp>
#include <coverage/planning/uncertainty.hpp>

#include "core/text.hpp"
#include "planning/plan_options.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numbers>

namespace coverage {

using detail::format;

void UncertaintySettings::validate() const {
    if (trials < 1 || trials > 100000) {
        throw InvalidArgument(format("uncertainty: trials must be 1..100000 (got %d)", trials));
    }
    if (!(model_error_db >= 0.0 && model_error_db <= 30.0)) {
        throw InvalidArgument(format("uncertainty: model_error_db must be 0..30 dB (got %g)", model_error_db));
    }
    if (!(model_error_correlation_m >= 1.0 && model_error_correlation_m <= 100000.0)) {
        throw InvalidArgument(format("uncertainty: model_error_correlation_m must be 1..100000 m (got %g)", model_error_correlation_m));
    }
    auto range = [](const char* name, const UniformRange& r, double max) {
        if (!(r.low >= 0.0 && r.high >= r.low && r.high <= max)) {
            throw InvalidArgument(format("uncertainty: %s must be [low, high] with 0 <= low <= high <= %g (got [%g, %g])", name, max, r.low, r.high));
        }
    };
    for (const auto& [name, r] : {std::pair{"weight_households_unserved", &weight_households_unserved},
                                  std::pair{"weight_fibre_distance", &weight_fibre_distance},
                                  std::pair{"weight_tower_distance", &weight_tower_distance},
                                  std::pair{"weight_terrain_difficulty", &weight_terrain_difficulty}}) {
        if (*r) {
            range(name, **r, 1e6);
        }
    }
    for (const auto& [name, r] : {std::pair{"tower_cost_factor", &tower_cost_factor}, std::pair{"fibre_cost_factor", &fibre_cost_factor},
                                  std::pair{"microwave_cost_factor", &microwave_cost_factor},
                                  std::pair{"small_cell_cost_factor", &small_cell_cost_factor}, std::pair{"ftth_cost_factor", &ftth_cost_factor}}) {
        range(name, *r, 100.0);
    }
}

namespace {

// splitmix64 (Steele, Lea and Flood 2014): a small generator whose stream depends only on its seed, the same on every
// platform and standard library (std::normal_distribution is not).
struct Draws {
    std::uint64_t state;
    Draws(std::uint64_t seed, std::uint64_t trial) : state(seed * 0x9E3779B97F4A7C15ULL ^ (trial + 1) * 0xD1B54A32D192ED03ULL) {}
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; } // [0, 1)
    double between(const UniformRange& r) { return r.low + (r.high - r.low) * uniform(); }
    double normal() { // Box-Muller, one of the pair
        const double u1 = 1.0 - uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }
};

// One hamlet's error field: its cells grouped into blocks, the blocks' correlation factored.
struct Field {
    std::vector<std::size_t> block_of;  // per cell of the hamlet
    Eigen::MatrixXd lower;              // Cholesky factor of the blocks' correlation
};

// At most this many blocks per hamlet: the factorisation costs blocks³ / 3 (a 5 km outline at 30 m would otherwise
// be 6,000 blocks, 7·10¹⁰ operations and 290 MB); larger hamlets get larger blocks.
constexpr std::size_t max_blocks = 400;

Field field_of(const std::vector<GridPoint>& xy, double block_m, double correlation_m) {
    Field f;
    std::vector<GridPoint> centre;
    std::vector<double> count;
    for (;; block_m *= 1.5) { // the points into blocks, the blocks larger until there are at most max_blocks
        std::map<std::pair<long long, long long>, std::size_t> index;
        centre.clear();
        count.clear();
        f.block_of.clear();
        for (const GridPoint& p : xy) {
            const auto key = std::pair{static_cast<long long>(std::floor(p.x_m / block_m)), static_cast<long long>(std::floor(p.y_m / block_m))};
            const auto [it, added] = index.emplace(key, centre.size());
            if (added) {
                centre.push_back(GridPoint{0.0, 0.0});
                count.push_back(0.0);
            }
            centre[it->second].x_m += p.x_m;
            centre[it->second].y_m += p.y_m;
            count[it->second] += 1.0;
            f.block_of.push_back(it->second);
        }
        if (centre.size() <= max_blocks) {
            break;
        }
    }
    const auto n = static_cast<Eigen::Index>(centre.size());
    Eigen::MatrixXd c(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j < n; ++j) {
            const auto a = static_cast<std::size_t>(i);
            const auto b = static_cast<std::size_t>(j);
            const double d = std::hypot(centre[a].x_m / count[a] - centre[b].x_m / count[b], centre[a].y_m / count[a] - centre[b].y_m / count[b]);
            c(i, j) = std::exp(-d / correlation_m) + (i == j ? 1e-9 : 0.0);
        }
    }
    f.lower = Eigen::LLT<Eigen::MatrixXd>(c).matrixL();
    return f;
}

double quantile_of(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[static_cast<std::size_t>(std::floor(q * static_cast<double>(v.size() - 1) + 0.5))];
}

} // namespace

UncertaintyResult assess_uncertainty(const Dem& dem, const std::vector<HamletReport>& reports, const DeadZoneRule& rule,
                                     const SignalThresholds& thresholds, const Raster<float>& existing_signal_dbm,
                                     const FibreNetwork& fibre, const std::vector<Sector>& towers, const PriorityWeights& weights,
                                     const std::vector<DeadZonePriority>& priorities, const Plan* plan, const UncertaintySettings& settings) {
    const auto t0 = std::chrono::steady_clock::now();
    settings.validate();
    auto weight_high = [](const std::optional<UniformRange>& r, double w) { return r ? r->high : w; };
    if (!(weight_high(settings.weight_households_unserved, weights.households_unserved) + weight_high(settings.weight_fibre_distance, weights.fibre_distance) +
              weight_high(settings.weight_tower_distance, weights.tower_distance) +
              weight_high(settings.weight_terrain_difficulty, weights.terrain_difficulty) >
          0.0)) {
        throw InvalidArgument("uncertainty: every priority weight's range is 0: no trial could rank anything");
    }
    const Raster<float>& z = dem.raster();
    if (existing_signal_dbm.width() != z.width() || existing_signal_dbm.height() != z.height()) {
        throw InvalidArgument("uncertainty: the existing signal raster is not on the DEM's grid");
    }
    const double min_dbm = rule.required_dbm(thresholds);
    const std::size_t hamlets = reports.size();

    // The households' cells (the plan's, in its order), today's signal there, each hamlet's field.
    std::vector<std::vector<HouseholdCell>> cells(hamlets);
    std::vector<std::vector<float>> existing(hamlets);
    std::vector<Field> fields(hamlets);
    std::size_t total_cells = 0;
    const double block_m = std::max(dem.cell_size_m(), settings.model_error_correlation_m / 5.0);
    const detail::PlanOptionSet* set = plan != nullptr ? plan->option_set.get() : nullptr;
    if (plan != nullptr && (set == nullptr || set->first_cell.size() != hamlets + 1)) {
        throw InvalidArgument("uncertainty: the plan was not made from these hamlets");
    }
    for (std::size_t h = 0; h < hamlets; ++h) {
        // With a plan, the cells it was made on (computed once there); else the hamlet's own.
        cells[h] = set != nullptr ? std::vector<HouseholdCell>(set->cells.begin() + static_cast<std::ptrdiff_t>(set->first_cell[h]),
                                                               set->cells.begin() + static_cast<std::ptrdiff_t>(set->first_cell[h + 1]))
                                  : household_cells(dem, reports[h].hamlet);
        std::vector<GridPoint> xy;
        for (const HouseholdCell& c : cells[h]) {
            existing[h].push_back(existing_signal_dbm.at(c.cell.col, c.cell.row));
            xy.push_back(dem.cell_centre(c.cell.col, c.cell.row));
        }
        fields[h] = field_of(xy, block_m, settings.model_error_correlation_m);
        total_cells += cells[h].size();
    }

    // Every hamlet's fixed factors (distances, slope), as if it were a dead zone.
    std::vector<HamletReport> all = reports;
    for (HamletReport& r : all) {
        r.dead_zone = true;
    }
    const std::vector<DeadZonePriority> factors_of = rank_dead_zones(dem, all, rule, fibre, towers, weights);
    std::map<std::string, const DeadZonePriority*> by_id;
    for (const DeadZonePriority& p : factors_of) {
        by_id[p.hamlet_id] = &p;
    }
    const bool use_fibre = !fibre.empty();

    // The deterministic plan's options in the order of the option set.
    std::vector<std::size_t> plan_order;
    if (set != nullptr) {
        std::vector<double> drops;
        (void)detail::choose_plan(*set, detail::selection_problem(*set, nullptr, {}, drops), drops, &plan_order);
    }

    const std::size_t trials = static_cast<std::size_t>(settings.trials);
    std::vector<std::vector<int>> rank_in(trials);          // per trial, per hamlet: rank, 0 = no dead zone
    std::vector<std::vector<std::size_t>> chosen_in(trials);
    std::vector<double> households(trials, 0.0);
    std::vector<double> spent(trials, 0.0);
    auto trial = [&](std::size_t t) {
        Draws draw(settings.seed, t);
        PriorityWeights w = weights;
        w.households_unserved = settings.weight_households_unserved ? draw.between(*settings.weight_households_unserved) : w.households_unserved;
        w.fibre_distance = settings.weight_fibre_distance ? draw.between(*settings.weight_fibre_distance) : w.fibre_distance;
        w.tower_distance = settings.weight_tower_distance ? draw.between(*settings.weight_tower_distance) : w.tower_distance;
        w.terrain_difficulty = settings.weight_terrain_difficulty ? draw.between(*settings.weight_terrain_difficulty) : w.terrain_difficulty;
        if (!(w.households_unserved + w.fibre_distance + w.tower_distance + w.terrain_difficulty > 0.0)) {
            w = weights; // every drawn weight 0 (a measure-zero draw unless ranges touch 0): the study's weights
        }
        detail::CostFactors f;
        f.tower = draw.between(settings.tower_cost_factor);
        f.fibre = draw.between(settings.fibre_cost_factor);
        f.microwave = draw.between(settings.microwave_cost_factor);
        f.small_cell = draw.between(settings.small_cell_cost_factor);
        f.ftth = draw.between(settings.ftth_cost_factor);
        // The error at every cell, hamlet after hamlet.
        std::vector<double> error(total_cells, 0.0);
        std::vector<DeadZonePriority> zones;
        std::vector<std::size_t> zone_hamlet;
        std::size_t k0 = 0;
        for (std::size_t h = 0; h < hamlets; ++h) {
            const Field& fd = fields[h];
            Eigen::VectorXd normal(fd.lower.rows());
            for (Eigen::Index i = 0; i < normal.size(); ++i) {
                normal(i) = draw.normal();
            }
            const Eigen::VectorXd block_error = settings.model_error_db * (fd.lower * normal);
            double served = 0.0;
            for (std::size_t k = 0; k < cells[h].size(); ++k) {
                error[k0 + k] = block_error(static_cast<Eigen::Index>(fd.block_of[k]));
                const float s = existing[h][k];
                served += !std::isnan(s) && static_cast<double>(s) + error[k0 + k] >= min_dbm ? cells[h][k].households : 0.0;
            }
            k0 += cells[h].size();
            const Hamlet& hm = reports[h].hamlet;
            if (rule.dead_zone(hm.households, served)) {
                DeadZonePriority p = *by_id.at(hm.hamlet_id);
                p.factors.households_unserved = hm.households - served;
                zones.push_back(std::move(p));
                zone_hamlet.push_back(h);
            }
        }
        std::vector<int> rank(hamlets, 0);
        if (!zones.empty()) {
            score_dead_zones(zones, w, use_fibre);
            std::map<std::string, std::size_t> hamlet_of;
            for (std::size_t i = 0; i < zone_hamlet.size(); ++i) {
                hamlet_of[reports[zone_hamlet[i]].hamlet.hamlet_id] = zone_hamlet[i];
            }
            for (const DeadZonePriority& p : zones) {
                rank[hamlet_of.at(p.hamlet_id)] = p.rank;
            }
        }
        rank_in[t] = std::move(rank);
        if (set != nullptr) {
            std::vector<double> drops;
            const Plan p = detail::choose_plan(*set, detail::selection_problem(*set, error.data(), f, drops), drops, &chosen_in[t]);
            households[t] = p.households_new;
            spent[t] = p.cost_usd;
        }
    };
    tbb::task_arena arena(settings.threads > 0 ? settings.threads : tbb::task_arena::automatic);
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, trials), [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t t = r.begin(); t != r.end(); ++t) {
                trial(t);
            }
        });
    });

    UncertaintyResult out;
    out.settings = settings;
    // Ranks: the deterministic dead zones in order, then hamlets that are dead zones in some trial only, by name.
    std::vector<std::size_t> order;
    std::map<std::string, std::size_t> index_of;
    for (std::size_t h = 0; h < hamlets; ++h) {
        index_of[reports[h].hamlet.hamlet_id] = h;
    }
    for (const DeadZonePriority& p : priorities) {
        order.push_back(index_of.at(p.hamlet_id));
    }
    std::vector<std::size_t> others;
    for (std::size_t h = 0; h < hamlets; ++h) {
        const bool ranked = std::find(order.begin(), order.end(), h) != order.end();
        const bool ever = std::any_of(rank_in.begin(), rank_in.end(), [&](const std::vector<int>& r) { return r[h] > 0; });
        if (!ranked && ever) {
            others.push_back(h);
        }
    }
    std::sort(others.begin(), others.end(), [&](std::size_t a, std::size_t b) { return reports[a].hamlet.name < reports[b].hamlet.name; });
    order.insert(order.end(), others.begin(), others.end());
    const double n = static_cast<double>(trials);
    for (const std::size_t h : order) {
        RankStability s;
        s.hamlet_id = reports[h].hamlet.hamlet_id;
        s.name = reports[h].hamlet.name;
        const auto det = std::find_if(priorities.begin(), priorities.end(), [&](const DeadZonePriority& p) { return p.hamlet_id == s.hamlet_id; });
        s.rank = det != priorities.end() ? det->rank : 0;
        s.rank_counts.assign(hamlets + 1, 0);
        std::vector<double> ranks;
        for (std::size_t t = 0; t < trials; ++t) {
            const int r = rank_in[t][h];
            if (r > 0) {
                ranks.push_back(r);
                ++s.rank_counts[static_cast<std::size_t>(r - 1)];
            } else {
                ++s.rank_counts.back();
            }
        }
        s.dead_zone_share = static_cast<double>(ranks.size()) / n;
        s.median_rank = ranks.empty() ? 0.0 : quantile_of(ranks, 0.5);
        s.top3_share = static_cast<double>(std::count_if(ranks.begin(), ranks.end(), [](double r) { return r <= 3.0; })) / n;
        s.first_share = static_cast<double>(std::count(ranks.begin(), ranks.end(), 1.0)) / n;
        out.ranks.push_back(std::move(s));
    }
    if (set != nullptr) {
        std::vector<std::size_t> option_order = plan_order;
        for (std::size_t i = 0; i < set->options.size(); ++i) {
            if (std::find(plan_order.begin(), plan_order.end(), i) == plan_order.end()) {
                option_order.push_back(i);
            }
        }
        for (const std::size_t i : option_order) {
            OptionStability o;
            o.action = set->options[i].step.action;
            o.target_id = set->options[i].step.target_id;
            o.name = set->options[i].step.name;
            const auto at = std::find(plan_order.begin(), plan_order.end(), i);
            o.step = at != plan_order.end() ? static_cast<int>(at - plan_order.begin()) + 1 : 0;
            std::size_t in = 0;
            for (const auto& c : chosen_in) {
                in += std::find(c.begin(), c.end(), i) != c.end() ? 1U : 0U;
            }
            o.in_plan_share = static_cast<double>(in) / n;
            out.options.push_back(std::move(o));
        }
        out.households_connected = households;
        out.cost_usd = spent;
        out.households_p10 = quantile_of(households, 0.1);
        out.households_p50 = quantile_of(households, 0.5);
        out.households_p90 = quantile_of(households, 0.9);
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

void write_uncertainty_csv(const std::string& path, const UncertaintyResult& result) {
    std::string text = "trial,households_connected,cost_usd\n";
    for (std::size_t t = 0; t < result.households_connected.size(); ++t) {
        text += format("%zu,%.2f,%.0f\n", t + 1, result.households_connected[t], result.cost_usd[t]);
    }
    write_file_atomically(path, text);
}

} // namespace coverage
