// Budgeted maximum coverage: lazy greedy with a data-dependent bound, and enumeration for small instances.

#include <coverage/core/error.hpp>
#include <coverage/planning/selection.hpp>

#include "core/text.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numbers>
#include <queue>

namespace coverage {

namespace {

void check(const SelectionProblem& p, double budget) {
    if (!(budget >= 0.0) || std::isnan(budget)) {
        throw InvalidArgument(detail::format("selection: the budget must be >= 0 (got %g)", budget));
    }
    if (p.base.size() != p.cell_weight.size()) {
        throw InvalidArgument("selection: one weight and one base per group");
    }
    for (std::size_t g = 0; g < p.base.size(); ++g) {
        if (p.base[g].size() != p.cell_weight[g].size()) {
            throw InvalidArgument(detail::format("selection: group %zu has %zu cells but %zu weights", g, p.base[g].size(), p.cell_weight[g].size()));
        }
    }
    for (std::size_t i = 0; i < p.items.size(); ++i) {
        const auto& it = p.items[i];
        if (!(it.cost >= 0.0) || std::isnan(it.cost) || it.serves.size() != p.base.size()) {
            throw InvalidArgument(detail::format("selection: item %zu has a negative cost or the wrong number of groups", i));
        }
        for (std::size_t g = 0; g < it.serves.size(); ++g) {
            for (const std::uint32_t c : it.serves[g]) {
                if (c >= p.base[g].size()) {
                    throw InvalidArgument(detail::format("selection: item %zu serves cell %u of group %zu, which has %zu cells", i, c, g,
                                                         p.base[g].size()));
                }
            }
        }
    }
}

// Covered cells per group; gains and additions against it.
struct State {
    const SelectionProblem* p;
    std::vector<std::vector<std::uint8_t>> covered;

    explicit State(const SelectionProblem& problem) : p(&problem), covered(problem.base) {}
    [[nodiscard]] double gain(std::size_t item) const {
        double v = 0.0;
        const auto& serves = p->items[item].serves;
        for (std::size_t g = 0; g < serves.size(); ++g) {
            for (const std::uint32_t c : serves[g]) {
                v += covered[g][c] == 0 ? p->cell_weight[g][c] : 0.0;
            }
        }
        return v;
    }
    double add(std::size_t item) {
        const double v = gain(item);
        const auto& serves = p->items[item].serves;
        for (std::size_t g = 0; g < serves.size(); ++g) {
            for (const std::uint32_t c : serves[g]) {
                covered[g][c] = 1;
            }
        }
        return v;
    }
};

constexpr double tiny = 1e-12;

double ratio(double gain, double cost) { return cost > 0.0 ? gain / cost : (gain > 0.0 ? std::numeric_limits<double>::infinity() : 0.0); }

// Cost-effectiveness greedy (lazy) from a start state; appends to `sel`.
void lazy_greedy(const SelectionProblem& p, double budget, State& state, Selection& sel) {
    struct Entry {
        double ratio;
        std::size_t item;
        std::size_t round; // the selection round its ratio was computed in
        bool operator<(const Entry& o) const { return ratio < o.ratio || (ratio == o.ratio && item > o.item); }
    };
    std::priority_queue<Entry> queue;
    std::vector<bool> taken(p.items.size(), false);
    for (const std::size_t i : sel.order) {
        taken[i] = true;
    }
    for (std::size_t i = 0; i < p.items.size(); ++i) {
        if (!taken[i] && p.items[i].cost <= budget - sel.cost + tiny) {
            const double g = state.gain(i);
            ++sel.evaluations;
            if (g > tiny) {
                queue.push(Entry{ratio(g, p.items[i].cost), i, sel.order.size()});
            }
        }
    }
    while (!queue.empty()) {
        const Entry top = queue.top();
        queue.pop();
        if (p.items[top.item].cost > budget - sel.cost + tiny) {
            continue; // no longer fits, and never will
        }
        if (top.round != sel.order.size()) {
            const double g = state.gain(top.item); // stale: submodularity says the gain can only have shrunk
            ++sel.evaluations;
            if (g > tiny) {
                queue.push(Entry{ratio(g, p.items[top.item].cost), top.item, sel.order.size()});
            }
            continue;
        }
        const double g = state.add(top.item);
        sel.order.push_back(top.item);
        sel.gains.push_back(g);
        sel.value += g;
        sel.cost += p.items[top.item].cost;
    }
}

// value(S) + fractional knapsack of the marginal gains over the whole budget (Leskovec et al. 2007, online bound),
// tightened by the (1 − 1/e)/2 guarantee of the better of the two greedy runs.
double upper_bound(const SelectionProblem& p, double budget, const State& state, double value) {
    double free_gain = 0.0;
    struct G {
        double gain, cost;
    };
    std::vector<G> gs;
    for (std::size_t i = 0; i < p.items.size(); ++i) {
        if (p.items[i].cost > budget + tiny) {
            continue;
        }
        const double g = state.gain(i);
        if (g <= tiny) {
            continue;
        }
        if (p.items[i].cost <= 0.0) {
            free_gain += g;
        } else {
            gs.push_back(G{g, p.items[i].cost});
        }
    }
    std::sort(gs.begin(), gs.end(), [](const G& a, const G& b) { return a.gain / a.cost > b.gain / b.cost; });
    double room = budget;
    double extra = free_gain;
    for (const G& g : gs) {
        if (room <= 0.0) {
            break;
        }
        const double take = std::min(1.0, room / g.cost);
        extra += take * g.gain;
        room -= take * g.cost;
    }
    const double online = value + extra;
    const double guarantee = (1.0 - 1.0 / std::numbers::e) / 2.0;
    return value > 0.0 ? std::min(online, value / guarantee) : online;
}

} // namespace

Selection select_greedy(const SelectionProblem& p, double budget) {
    check(p, budget);
    // Run 1: cost-effectiveness greedy from nothing.
    Selection a;
    State sa(p);
    lazy_greedy(p, budget, sa, a);
    // Run 2: the best single item that fits, then the greedy.
    Selection b;
    State sb(p);
    std::size_t best = p.items.size();
    double best_gain = tiny;
    for (std::size_t i = 0; i < p.items.size(); ++i) {
        if (p.items[i].cost <= budget + tiny) {
            const double g = sb.gain(i);
            ++b.evaluations;
            if (g > best_gain) {
                best_gain = g;
                best = i;
            }
        }
    }
    if (best < p.items.size()) {
        const double g = sb.add(best);
        b.order.push_back(best);
        b.gains.push_back(g);
        b.value = g;
        b.cost = p.items[best].cost;
        lazy_greedy(p, budget, sb, b);
    }
    const bool first = a.value >= b.value - tiny;
    Selection out = first ? a : b;
    out.evaluations = a.evaluations + b.evaluations;
    out.upper_bound = std::max(out.value, upper_bound(p, budget, first ? sa : sb, out.value));
    // The online bound of the other run is a valid bound as well.
    out.upper_bound = std::min(out.upper_bound, std::max(out.value, upper_bound(p, budget, first ? sb : sa, first ? b.value : a.value)));
    return out;
}

Selection select_exact(const SelectionProblem& p, double budget) {
    check(p, budget);
    if (p.items.size() > 22) {
        throw InvalidArgument(detail::format("select_exact: %zu items is too many to enumerate (at most 22)", p.items.size()));
    }
    const std::size_t n = p.items.size();
    double best_value = -1.0;
    std::uint32_t best_mask = 0;
    for (std::uint32_t mask = 0; mask < (1U << n); ++mask) {
        double cost = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            if ((mask >> i) & 1U) {
                cost += p.items[i].cost;
            }
        }
        if (cost > budget + tiny) {
            continue;
        }
        State s(p);
        double value = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            if ((mask >> i) & 1U) {
                value += s.add(i);
            }
        }
        if (value > best_value + tiny || (std::fabs(value - best_value) <= tiny && std::popcount(mask) < std::popcount(best_mask))) {
            best_value = value;
            best_mask = mask;
        }
    }
    Selection out;
    State s(p);
    for (std::size_t i = 0; i < n; ++i) {
        if ((best_mask >> i) & 1U) {
            const double g = s.add(i);
            out.order.push_back(i);
            out.gains.push_back(g);
            out.value += g;
            out.cost += p.items[i].cost;
        }
    }
    out.upper_bound = out.value;
    out.evaluations = std::size_t{1} << n;
    return out;
}

} // namespace coverage
