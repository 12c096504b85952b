// plan_network: backhaul for each candidate, coverage of the hamlets' cells, budgeted selection.

#include <coverage/core/error.hpp>
#include <coverage/propagation/link_analysis.hpp>
#include <coverage/planning/plan.hpp>

#include "core/text.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace coverage {

using detail::format;

namespace {

struct Option {
    PlanStep step;
    SelectionProblem::Item item;
};

// Existing sites that are on the fibre (their sectors share a position).
struct FibredSite {
    std::string site_id;
    GeoPoint location;
    double height_agl_m;
};

Backhaul best_backhaul(const Dem& dem, GeoPoint at, double mast_m, const FibreRouter* router, const std::vector<FibredSite>& fibred,
                       const PlanSettings& s) {
    Backhaul best;
    std::vector<std::string> why;
    if (router != nullptr) {
        Route r = router->route_to(at);
        if (r.reachable) {
            best.kind = Backhaul::Kind::fibre;
            best.cost_usd = r.cost_usd;
            best.fibre = std::move(r);
        } else {
            why.emplace_back("no fibre route (cut off by cells without terrain)");
        }
    } else {
        why.emplace_back("no existing fibre given");
    }
    const GridPoint a = dem.to_grid(at);
    const double mw_cost = s.costs.microwave_link_usd;
    bool any_in_range = false;
    for (const FibredSite& f : fibred) {
        const GridPoint b = dem.to_grid(f.location);
        const double d = std::hypot(b.x_m - a.x_m, b.y_m - a.y_m);
        if (d > s.microwave.max_distance_m || d < dem.cell_size_m()) {
            continue;
        }
        any_in_range = true;
        TerrainProfile profile;
        if (!dem.try_profile(a, b, dem.cell_size_m(), profile)) {
            continue;
        }
        const LinkGeometry g = analyse_link_geometry(profile, LinkGeometryParams{.freq_mhz = s.microwave.freq_mhz,
                                                                                  .tx_height_agl_m = mast_m,
                                                                                  .rx_height_agl_m = f.height_agl_m,
                                                                                  .k_factor = s.microwave.k_factor});
        if (g.worst_fresnel_clear_pct >= s.microwave.min_fresnel_clear_pct &&
            (best.kind == Backhaul::Kind::none || mw_cost < best.cost_usd ||
             (best.kind == Backhaul::Kind::microwave && mw_cost == best.cost_usd && d < best.microwave_distance_m))) {
            best.kind = Backhaul::Kind::microwave;
            best.cost_usd = mw_cost;
            best.fibre = Route{};
            best.microwave_to = f.site_id;
            best.microwave_to_location = f.location;
            best.microwave_distance_m = d;
            best.microwave_fresnel_clear_pct = g.worst_fresnel_clear_pct;
        }
    }
    if (fibred.empty()) {
        why.emplace_back("no existing site on the fibre for a microwave link");
    } else if (!any_in_range) {
        why.emplace_back(format("no fibred site within %.0f km for a microwave link", s.microwave.max_distance_m / 1000.0));
    } else if (best.kind != Backhaul::Kind::microwave) {
        why.emplace_back(format("no microwave path to a fibred site with %.0f %% of the first Fresnel zone clear",
                                s.microwave.min_fresnel_clear_pct));
    }
    if (best.kind == Backhaul::Kind::none) {
        for (std::size_t i = 0; i < why.size(); ++i) {
            best.why_none += (i ? "; " : "") + why[i];
        }
    }
    return best;
}

std::vector<Sector> default_tower_sectors(const std::vector<Sector>& existing, Technology t) {
    // The radio of an existing tower of the rule's technology (its sectors, as built there).
    std::vector<Sector> out;
    for (const Sector& s : existing) {
        if (s.technology == t && (out.empty() || s.site_id == out.front().site_id)) {
            out.push_back(s);
        }
    }
    return out;
}

} // namespace

Plan plan_network(const Dem& dem, const std::vector<HamletReport>& reports, const DeadZoneRule& rule, const SignalThresholds& thresholds,
                  const Raster<float>& existing_signal_dbm, const std::vector<Sector>& existing, const FibreNetwork& fibre,
                  const CostSurface& cost, const std::vector<Candidate>& given, const PlanSettings& settings,
                  const CoverageOptions& coverage, const ProgressFn& progress) {
    if (!(settings.budget_usd >= 0.0) || !std::isfinite(settings.budget_usd)) {
        throw InvalidArgument(format("plan: budget_usd must be a finite number >= 0 (got %g)", settings.budget_usd));
    }
    const std::vector<double> phases = settings.phase_budgets_usd.empty() ? std::vector<double>{settings.budget_usd} : settings.phase_budgets_usd;
    double phase_total = 0.0;
    for (std::size_t y = 0; y < phases.size(); ++y) {
        if (!(phases[y] >= 0.0) || !std::isfinite(phases[y])) {
            throw InvalidArgument(format("plan: the budget of year %zu must be a finite number >= 0 (got %g)", y + 1, phases[y]));
        }
        phase_total += phases[y];
    }
    if (std::abs(phase_total - settings.budget_usd) > 1e-6 * std::max(1.0, phase_total)) {
        throw InvalidArgument(format("plan: budget_usd (%g) is not the sum of the phase budgets (%g)", settings.budget_usd, phase_total));
    }
    settings.costs.validate();
    const Raster<float>& z = dem.raster();
    if (existing_signal_dbm.width() != z.width() || existing_signal_dbm.height() != z.height()) {
        throw InvalidArgument("plan: the existing signal raster is not on the DEM's grid");
    }
    std::vector<Sector> radio = settings.tower_sectors.empty() ? default_tower_sectors(existing, rule.technology) : settings.tower_sectors;
    if (radio.empty()) {
        throw InvalidArgument("plan: no radio template for new towers (give tower sectors, or one existing tower of the dead-zone technology)");
    }
    const double min_dbm = rule.required_dbm(thresholds); // indoors: with the building entry loss

    // The hamlets' cells, households per cell, and what the existing towers already serve.
    SelectionProblem problem;
    std::vector<std::vector<Dem::Cell>> hamlet_cells;
    std::vector<Dem::Cell> all_cells;
    std::vector<std::pair<std::size_t, std::uint32_t>> owner; // (hamlet, cell index) of all_cells[k]
    Plan plan;
    plan.budget_usd = settings.budget_usd;
    plan.phase_budgets_usd = phases;
    for (std::size_t h = 0; h < reports.size(); ++h) {
        const auto cells = coverage::hamlet_cells(dem, reports[h].hamlet);
        if (cells.empty()) {
            throw OutOfDomain("plan: hamlet '" + reports[h].hamlet.name + "' is outside the terrain");
        }
        std::vector<std::uint8_t> base(cells.size(), 0);
        for (std::size_t k = 0; k < cells.size(); ++k) {
            const float sig = existing_signal_dbm.at(cells[k].col, cells[k].row);
            base[k] = !std::isnan(sig) && sig >= min_dbm ? 1 : 0;
            all_cells.push_back(cells[k]);
            owner.emplace_back(h, static_cast<std::uint32_t>(k));
        }
        const double weight = static_cast<double>(reports[h].hamlet.households) / static_cast<double>(cells.size());
        problem.cell_weight.push_back(weight);
        for (const std::uint8_t b : base) {
            plan.households_unserved_before += b == 0 ? weight : 0.0;
        }
        problem.base.push_back(std::move(base));
        hamlet_cells.push_back(cells);
    }

    // Candidates: given, then found.
    std::vector<Candidate> candidates = given;
    if (settings.find_candidates) {
        const auto found = find_candidates(dem, reports, settings.search, given);
        candidates.insert(candidates.end(), found.begin(), found.end());
    }
    plan.candidates = candidates.size();

    std::optional<FibreRouter> router;
    if (!fibre.empty()) {
        router.emplace(dem, cost, fibre);
    }
    std::vector<FibredSite> fibred;
    if (!fibre.empty()) {
        std::set<std::string> seen;
        for (const Sector& s : existing) {
            if (seen.insert(s.site_id).second && fibre.nearest(dem.to_grid(s.location)).distance_m <= settings.microwave.fibred_site_max_distance_m) {
                fibred.push_back(FibredSite{s.site_id, s.location, s.height_agl_m});
            }
        }
    }

    std::vector<Option> options;
    const std::size_t total = candidates.size() + reports.size();
    std::size_t done = 0;
    auto served_names = [&](const SelectionProblem::Item& item) {
        std::vector<std::string> names;
        for (std::size_t h = 0; h < item.serves.size(); ++h) {
            // Hamlets where it connects someone not connected today.
            if (std::any_of(item.serves[h].begin(), item.serves[h].end(), [&](std::uint32_t c) { return problem.base[h][c] == 0; })) {
                names.push_back(reports[h].hamlet.name);
            }
        }
        return names;
    };
    for (const Candidate& c : candidates) {
        report(progress, static_cast<double>(done++) / static_cast<double>(std::max<std::size_t>(1, total)), "planning: candidate towers");
        Option o;
        PlanStep& st = o.step;
        st.action = PlanStep::Action::tower;
        st.target_id = c.candidate_id;
        st.name = c.name;
        st.location = c.location;
        st.mast_height_m = c.mast_height_m;
        if (!dem.covers(dem.to_grid(c.location))) {
            st.feasible = false;
            st.note = "not possible: the site is outside the terrain";
            st.why = PlanStep::Why::outside_terrain;
            plan.impossible.push_back(st);
            continue;
        }
        st.backhaul = best_backhaul(dem, c.location, c.mast_height_m, router ? &*router : nullptr, fibred, settings);
        if (st.backhaul.kind == Backhaul::Kind::none) {
            st.feasible = false;
            st.note = "not possible: " + st.backhaul.why_none;
            st.why = PlanStep::Why::no_backhaul;
            plan.impossible.push_back(st);
            continue;
        }
        st.cost_usd = settings.costs.tower_usd(c.mast_height_m) + st.backhaul.cost_usd;
        // Coverage of the hamlets' cells by a tower here.
        std::vector<Sector> sectors = radio;
        for (std::size_t i = 0; i < sectors.size(); ++i) {
            sectors[i].site_id = c.candidate_id;
            sectors[i].sector_id = c.candidate_id + "/" + std::to_string(i + 1);
            sectors[i].location = c.location;
            sectors[i].ground_elev_m.reset();
            sectors[i].height_agl_m = c.mast_height_m;
        }
        const CoverageEngine engine(dem, sectors, coverage);
        const std::vector<float> sig = engine.signal_at(all_cells, rule.technology);
        o.item.cost = st.cost_usd;
        o.item.serves.assign(reports.size(), {});
        for (std::size_t k = 0; k < all_cells.size(); ++k) {
            if (!std::isnan(sig[k]) && sig[k] >= min_dbm) {
                o.item.serves[owner[k].first].push_back(owner[k].second);
            }
        }
        st.hamlets = served_names(o.item);
        options.push_back(std::move(o));
    }
    for (std::size_t h = 0; h < reports.size(); ++h) {
        report(progress, static_cast<double>(done++) / static_cast<double>(std::max<std::size_t>(1, total)), "planning: fibre extensions");
        if (!settings.fibre_to_hamlets || !reports[h].dead_zone) {
            continue;
        }
        Option o;
        PlanStep& st = o.step;
        st.action = PlanStep::Action::fibre_extension;
        st.target_id = reports[h].hamlet.hamlet_id;
        st.name = reports[h].hamlet.name;
        st.location = reports[h].hamlet.location;
        if (!router) {
            st.feasible = false;
            st.note = "not possible: no existing fibre given";
            st.why = PlanStep::Why::no_fibre;
            plan.impossible.push_back(st);
            continue;
        }
        Route r = router->route_to(reports[h].hamlet.location);
        if (!r.reachable) {
            st.feasible = false;
            st.note = "not possible: no fibre route (cut off by cells without terrain)";
            st.why = PlanStep::Why::no_route;
            plan.impossible.push_back(st);
            continue;
        }
        st.backhaul.kind = Backhaul::Kind::fibre;
        st.backhaul.cost_usd = r.cost_usd;
        st.backhaul.fibre = std::move(r);
        st.cost_usd = st.backhaul.cost_usd + settings.costs.hamlet_endpoint_usd;
        o.item.cost = st.cost_usd;
        o.item.serves.assign(reports.size(), {});
        for (std::uint32_t k = 0; k < hamlet_cells[h].size(); ++k) {
            o.item.serves[h].push_back(k); // a local node serves the whole settlement
        }
        st.hamlets = {reports[h].hamlet.name};
        options.push_back(std::move(o));
    }
    for (const Option& o : options) {
        problem.items.push_back(o.item);
    }
    report(progress, 0.97, "planning: selection");
    // Year by year: each phase selects among the options not yet built, within its own budget, from the households
    // the earlier phases' steps serve (their cells join the base). One phase is the plain budgeted selection.
    std::vector<bool> chosen(options.size(), false);
    double households = 0.0;
    double spent = 0.0;
    double phase_left = 0.0;                         // what the last phase left unspent (for the reasons below)
    SelectionProblem remaining = problem;
    std::size_t evaluations = 0;
    double single_phase_bound = 0.0;
    for (std::size_t y = 0; y < phases.size(); ++y) {
        SelectionProblem year = remaining;
        std::vector<std::size_t> index;              // year.items[j] is options[index[j]]
        year.items.clear();
        for (std::size_t i = 0; i < options.size(); ++i) {
            if (!chosen[i]) {
                year.items.push_back(problem.items[i]);
                index.push_back(i);
            }
        }
        const Selection sel = select_greedy(year, phases[y]);
        evaluations += sel.evaluations;
        single_phase_bound = sel.upper_bound;
        double spent_this_year = 0.0;
        for (std::size_t k = 0; k < sel.order.size(); ++k) {
            const std::size_t i = index[sel.order[k]];
            chosen[i] = true;
            PlanStep st = options[i].step;
            st.step = static_cast<int>(plan.steps.size()) + 1;
            st.phase = static_cast<int>(y) + 1;
            st.households_new = sel.gains[k];
            households += sel.gains[k];
            spent += st.cost_usd;
            spent_this_year += st.cost_usd;
            st.households_cumulative = households;
            st.cost_cumulative_usd = spent;
            plan.steps.push_back(std::move(st));
            for (std::size_t h = 0; h < problem.items[i].serves.size(); ++h) {
                for (const std::uint32_t c : problem.items[i].serves[h]) {
                    remaining.base[h][c] = 1;
                }
            }
        }
        phase_left = phases[y] - spent_this_year;
    }
    // No phased plan serves more than the best plan of their total budget could: the bound of the total.
    const Selection whole = phases.size() == 1 ? Selection{} : select_greedy(problem, settings.budget_usd);
    evaluations += whole.evaluations;
    // What each other option would add alone, and why it is not in the plan.
    for (std::size_t i = 0; i < options.size(); ++i) {
        if (chosen[i]) {
            continue;
        }
        PlanStep st = options[i].step;
        st.households_new = 0.0; // what it would add on its own to today's coverage
        for (std::size_t h = 0; h < problem.items[i].serves.size(); ++h) {
            for (const std::uint32_t c : problem.items[i].serves[h]) {
                st.households_new += problem.base[h][c] == 0 ? problem.cell_weight[h] : 0.0;
            }
        }
        if (st.households_new <= 1e-9) {
            st.note = "not chosen: serves no household that is not already served";
            st.why = PlanStep::Why::serves_none;
        } else if (st.cost_usd > phase_left + 1e-9) {
            st.note = format("not chosen: over the remaining budget (USD %.0f left)", phase_left);
            st.why = PlanStep::Why::over_budget;
            st.budget_left_usd = phase_left;
        } else {
            st.note = "not chosen: the chosen steps already serve its households";
            st.why = PlanStep::Why::already_served;
        }
        plan.not_chosen.push_back(std::move(st));
    }
    std::sort(plan.not_chosen.begin(), plan.not_chosen.end(),
              [](const PlanStep& a, const PlanStep& b) { return a.households_new / std::max(1.0, a.cost_usd) > b.households_new / std::max(1.0, b.cost_usd); });
    plan.selection_evaluations = evaluations;
    plan.households_new = households;
    plan.cost_usd = spent;
    // One phase: the greedy's own online bound. Phased: the bound of the whole budget (a phased plan is one of its plans).
    plan.upper_bound_households = std::min(phases.size() == 1 ? single_phase_bound : whole.upper_bound, plan.households_unserved_before);
    report(progress, 1.0, "planning: done");
    return plan;
}

} // namespace coverage
