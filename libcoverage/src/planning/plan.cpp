// plan_network: backhaul for each candidate, coverage of the hamlets' cells, budgeted selection.

#include <coverage/core/error.hpp>
#include <coverage/propagation/link_analysis.hpp>
#include <coverage/planning/plan.hpp>

#include "core/text.hpp"
#include "planning/plan_options.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace coverage {

using detail::format;

namespace {

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


// An omni sector of the small-cell radio at `at`, on the band of the new towers' radio.
std::vector<Sector> small_cell_sectors(const Sector& band, const SmallCellRadio& r, const std::string& id, GeoPoint at, double mast_m) {
    Sector s = band;
    s.site_id = id;
    s.sector_id = id + "/1";
    s.name = id;
    s.location = at;
    s.ground_elev_m.reset();
    s.height_agl_m = mast_m;
    s.tx_power_dbm = r.tx_power_dbm;
    s.antenna_gain_dbi = r.antenna_gain_dbi;
    s.cable_loss_db = r.cable_loss_db;
    s.azimuth_deg = 0.0;
    s.tilt_deg = 0.0;
    s.pattern = std::make_shared<const AntennaPattern>();
    s.pattern_source = "omni";
    return {s};
}

// Households a small cell at `at` serves among `cells` (weights), with its signal there.
double small_cell_households(const Dem& dem, const std::vector<Sector>& sectors, const std::vector<Dem::Cell>& cells,
                             const std::vector<double>& weights, double min_dbm, Technology t, const CoverageOptions& coverage) {
    CoverageOptions one = coverage;
    one.threads = 1;
    const std::vector<float> sig = CoverageEngine(dem, sectors, one).signal_at(cells, t);
    double served = 0.0;
    for (std::size_t k = 0; k < cells.size(); ++k) {
        served += !std::isnan(sig[k]) && sig[k] >= min_dbm ? weights[k] : 0.0;
    }
    return served;
}

} // namespace

namespace detail {

SelectionProblem selection_problem(const PlanOptionSet& set, const double* error_db, const CostFactors& f, std::vector<double>& drop_usd) {
    SelectionProblem problem;
    const std::size_t hamlets = set.first_cell.size() - 1;
    auto moved = [&](float dbm, std::size_t k) { return static_cast<double>(dbm) + (error_db != nullptr ? error_db[k] : 0.0); };
    for (std::size_t h = 0; h < hamlets; ++h) {
        std::vector<std::uint8_t> base;
        std::vector<double> weight;
        for (std::size_t k = set.first_cell[h]; k < set.first_cell[h + 1]; ++k) {
            const float sig = set.existing_dbm[k];
            base.push_back(!std::isnan(sig) && moved(sig, k) >= set.min_dbm ? 1 : 0);
            weight.push_back(set.cells[k].households);
        }
        problem.base.push_back(std::move(base));
        problem.cell_weight.push_back(std::move(weight));
    }
    drop_usd.assign(set.options.size(), 0.0);
    for (std::size_t i = 0; i < set.options.size(); ++i) {
        const PlanOptionSet::Option& o = set.options[i];
        SelectionProblem::Item item;
        item.serves.assign(hamlets, {});
        const double equipment = o.equipment_usd * (o.step.action == PlanStep::Action::tower        ? f.tower
                                                    : o.step.action == PlanStep::Action::small_cell ? f.small_cell
                                                                                                    : f.ftth);
        item.cost = equipment + o.fibre_usd * f.fibre + o.microwave_usd * f.microwave;
        if (o.step.action == PlanStep::Action::ftth) {
            for (const std::uint32_t k : o.reach) {
                const std::size_t h = set.cell_hamlet[k];
                const auto c = static_cast<std::uint32_t>(k - set.first_cell[h]);
                item.serves[h].push_back(c);
                // A drop into each house not served today: the households the node connects.
                drop_usd[i] += problem.base[h][c] == 0 ? set.cells[k].households * set.drop_usd_per_household * f.ftth : 0.0;
            }
            item.cost += drop_usd[i];
        } else {
            for (std::size_t k = 0; k < set.cells.size(); ++k) {
                const float sig = o.signal_dbm[k];
                if (!std::isnan(sig) && moved(sig, k) >= set.min_dbm) {
                    const std::size_t h = set.cell_hamlet[k];
                    item.serves[h].push_back(static_cast<std::uint32_t>(k - set.first_cell[h]));
                }
            }
        }
        problem.items.push_back(std::move(item));
    }
    return problem;
}

Plan choose_plan(const PlanOptionSet& set, const SelectionProblem& problem, const std::vector<double>& drop_usd,
                 std::vector<std::size_t>* chosen_options) {
    Plan plan;
    plan.budget_usd = set.budget_usd;
    plan.phase_budgets_usd = set.phases;
    plan.candidates = set.candidates;
    plan.impossible = set.impossible;
    for (std::size_t h = 0; h < problem.base.size(); ++h) {
        for (std::size_t c = 0; c < problem.base[h].size(); ++c) {
            plan.households_unserved_before += problem.base[h][c] == 0 ? problem.cell_weight[h][c] : 0.0;
        }
    }
    const std::vector<double>& phases = set.phases;
    auto step_of = [&](std::size_t i) {
        PlanStep st = set.options[i].step;
        st.cost_usd = problem.items[i].cost;
        st.drop_cost_usd = drop_usd[i];
        // Hamlets where it connects someone not connected today.
        st.hamlets.clear();
        for (std::size_t h = 0; h < problem.items[i].serves.size(); ++h) {
            if (std::any_of(problem.items[i].serves[h].begin(), problem.items[i].serves[h].end(),
                            [&](std::uint32_t c) { return problem.base[h][c] == 0; })) {
                st.hamlets.push_back(set.hamlet_names[h]);
            }
        }
        return st;
    };
    // Year by year: each phase selects among the options not yet built, within its own budget, from the households
    // the earlier phases' steps serve (their cells join the base). One phase is the plain budgeted selection.
    std::vector<bool> chosen(set.options.size(), false);
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
        for (std::size_t i = 0; i < set.options.size(); ++i) {
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
            if (chosen_options != nullptr) {
                chosen_options->push_back(i);
            }
            PlanStep st = step_of(i);
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
    const Selection whole = phases.size() == 1 ? Selection{} : select_greedy(problem, set.budget_usd);
    evaluations += whole.evaluations;
    // What each other option would add alone, and why it is not in the plan.
    for (std::size_t i = 0; i < set.options.size(); ++i) {
        if (chosen[i]) {
            continue;
        }
        PlanStep st = step_of(i);
        st.households_new = 0.0; // what it would add on its own to today's coverage
        for (std::size_t h = 0; h < problem.items[i].serves.size(); ++h) {
            for (const std::uint32_t c : problem.items[i].serves[h]) {
                st.households_new += problem.base[h][c] == 0 ? problem.cell_weight[h][c] : 0.0;
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
    std::stable_sort(plan.not_chosen.begin(), plan.not_chosen.end(),
                     [](const PlanStep& a, const PlanStep& b) { return a.households_new / std::max(1.0, a.cost_usd) > b.households_new / std::max(1.0, b.cost_usd); });
    plan.selection_evaluations = evaluations;
    plan.households_new = households;
    plan.cost_usd = spent;
    // One phase: the greedy's own online bound. Phased: the bound of the whole budget (a phased plan is one of its plans).
    plan.upper_bound_households = std::min(phases.size() == 1 ? single_phase_bound : whole.upper_bound, plan.households_unserved_before);
    return plan;
}

} // namespace detail

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
    const SmallCellRadio& sc = settings.small_cell;
    if (!(sc.mast_height_m >= 1.0 && sc.mast_height_m <= 150.0) || !(sc.placement_radius_m >= 0.0 && sc.placement_radius_m <= 5000.0) ||
        !(sc.tx_power_dbm >= 0.0 && sc.tx_power_dbm <= 60.0) || !std::isfinite(sc.antenna_gain_dbi) || !(sc.cable_loss_db >= 0.0) ||
        !(settings.ftth_max_drop_m >= 0.0 && settings.ftth_max_drop_m <= 20000.0)) {
        throw InvalidArgument("plan: small cell (mast 1-150 m, power 0-60 dBm, placement radius 0-5000 m) or FTTH drop length (0-20000 m) out of range");
    }
    const Raster<float>& z = dem.raster();
    if (existing_signal_dbm.width() != z.width() || existing_signal_dbm.height() != z.height()) {
        throw InvalidArgument("plan: the existing signal raster is not on the DEM's grid");
    }
    std::vector<Sector> radio = settings.tower_sectors.empty() ? default_tower_sectors(existing, rule.technology) : settings.tower_sectors;
    if (radio.empty()) {
        throw InvalidArgument("plan: no radio template for new towers (give tower sectors, or one existing tower of the dead-zone technology)");
    }

    // The households' cells, and what the existing towers already give them.
    auto set = std::make_shared<detail::PlanOptionSet>();
    set->min_dbm = rule.required_dbm(thresholds); // indoors: with the building entry loss
    set->phases = phases;
    set->budget_usd = settings.budget_usd;
    set->drop_usd_per_household = settings.costs.ftth_drop_usd_per_household;
    std::vector<Dem::Cell> all_cells;
    for (std::size_t h = 0; h < reports.size(); ++h) {
        const std::vector<HouseholdCell> cells = household_cells(dem, reports[h].hamlet);
        if (cells.empty()) {
            throw OutOfDomain("plan: hamlet '" + reports[h].hamlet.name + "' is outside the terrain");
        }
        set->hamlet_names.push_back(reports[h].hamlet.name);
        set->first_cell.push_back(set->cells.size());
        for (const HouseholdCell& c : cells) {
            set->cells.push_back(c);
            set->cell_hamlet.push_back(h);
            set->existing_dbm.push_back(existing_signal_dbm.at(c.cell.col, c.cell.row));
            all_cells.push_back(c.cell);
        }
    }
    set->first_cell.push_back(set->cells.size());
    auto served_today = [&](std::size_t k) { return !std::isnan(set->existing_dbm[k]) && set->existing_dbm[k] >= set->min_dbm; };

    // Candidates: given, then found.
    std::vector<Candidate> candidates = given;
    if (settings.find_candidates) {
        const auto found = find_candidates(dem, reports, settings.search, given);
        candidates.insert(candidates.end(), found.begin(), found.end());
    }
    set->candidates = candidates.size();

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

    const std::size_t total = candidates.size() + reports.size();
    std::size_t done = 0;
    // A radio option (tower or small cell) at `st.location`: backhaul, cost, its signal at every household cell.
    auto radio_option = [&](PlanStep st, const std::vector<Sector>& sectors, double equipment_usd) {
        st.backhaul = best_backhaul(dem, st.location, st.mast_height_m, router ? &*router : nullptr, fibred, settings);
        if (st.backhaul.kind == Backhaul::Kind::none) {
            st.feasible = false;
            st.note = "not possible: " + st.backhaul.why_none;
            st.why = PlanStep::Why::no_backhaul;
            set->impossible.push_back(st);
            return;
        }
        detail::PlanOptionSet::Option o;
        o.equipment_usd = equipment_usd;
        (st.backhaul.kind == Backhaul::Kind::fibre ? o.fibre_usd : o.microwave_usd) = st.backhaul.cost_usd;
        st.cost_usd = equipment_usd + st.backhaul.cost_usd;
        o.signal_dbm = CoverageEngine(dem, sectors, coverage).signal_at(all_cells, rule.technology);
        o.step = std::move(st);
        set->options.push_back(std::move(o));
    };
    for (const Candidate& c : candidates) {
        report(progress, static_cast<double>(done++) / static_cast<double>(std::max<std::size_t>(1, total)), "planning: candidate sites");
        PlanStep st;
        st.action = c.small_cell ? PlanStep::Action::small_cell : PlanStep::Action::tower;
        st.target_id = c.candidate_id;
        st.name = c.name;
        st.location = c.location;
        st.mast_height_m = c.mast_height_m;
        if (!dem.covers(dem.to_grid(c.location))) {
            st.feasible = false;
            st.note = "not possible: the site is outside the terrain";
            st.why = PlanStep::Why::outside_terrain;
            set->impossible.push_back(st);
            continue;
        }
        if (c.small_cell) {
            radio_option(st, small_cell_sectors(radio.front(), sc, c.candidate_id, c.location, c.mast_height_m), settings.costs.small_cell_usd);
            continue;
        }
        std::vector<Sector> sectors = radio;
        for (std::size_t i = 0; i < sectors.size(); ++i) {
            sectors[i].site_id = c.candidate_id;
            sectors[i].sector_id = c.candidate_id + "/" + std::to_string(i + 1);
            sectors[i].location = c.location;
            sectors[i].ground_elev_m.reset();
            sectors[i].height_agl_m = c.mast_height_m;
        }
        radio_option(st, sectors, settings.costs.tower_usd(c.mast_height_m));
    }
    for (std::size_t h = 0; h < reports.size(); ++h) {
        report(progress, static_cast<double>(done++) / static_cast<double>(std::max<std::size_t>(1, total)), "planning: small cells and FTTH");
        if (!settings.fibre_to_hamlets || !reports[h].dead_zone) {
            continue;
        }
        const Hamlet& hamlet = reports[h].hamlet;
        PlanStep base;
        base.target_id = hamlet.hamlet_id;
        base.name = hamlet.name;
        base.location = hamlet.location;
        if (!router) {
            for (const PlanStep::Action a : {PlanStep::Action::small_cell, PlanStep::Action::ftth}) {
                PlanStep st = base;
                st.action = a;
                st.feasible = false;
                st.note = "not possible: no existing fibre given";
                st.why = PlanStep::Why::no_fibre;
                set->impossible.push_back(st);
            }
            continue;
        }
        // The small cell: the spot within the placement radius of the hamlet's point that serves most of its
        // households; coarse lattice first, then finer around the best, ties to the spot nearest the point.
        // A large outline (thousands of cells) is judged on an even sample of at most 400 of its cells, each standing for
        // the households of the cells it stands for; the chosen spot's coverage is then computed on every cell.
        std::vector<Dem::Cell> own;
        std::vector<double> own_weight;
        const std::size_t count = set->first_cell[h + 1] - set->first_cell[h];
        const std::size_t stride = (count + 399) / 400;
        for (std::size_t k = set->first_cell[h]; k < set->first_cell[h + 1]; k += stride) {
            own.push_back(set->cells[k].cell);
            double hh = 0.0;
            for (std::size_t j = k; j < std::min(k + stride, set->first_cell[h + 1]); ++j) {
                hh += served_today(j) ? 0.0 : set->cells[j].households;
            }
            own_weight.push_back(hh);
        }
        const GridPoint centre = dem.to_grid(hamlet.location);
        const double cell = dem.cell_size_m();
        double step_m = std::max(cell, sc.placement_radius_m / 4.0);
        GridPoint best = centre;
        double best_hh = -1.0;
        double best_d = 0.0;
        auto try_spot = [&](GridPoint p) {
            const double d = std::hypot(p.x_m - centre.x_m, p.y_m - centre.y_m);
            if (d > sc.placement_radius_m + 1e-6 || !dem.covers(p)) {
                return;
            }
            const auto sectors = small_cell_sectors(radio.front(), sc, hamlet.hamlet_id, dem.to_geo(p), sc.mast_height_m);
            const double hh = small_cell_households(dem, sectors, own, own_weight, set->min_dbm, rule.technology, coverage);
            if (hh > best_hh + 1e-9 || (std::abs(hh - best_hh) <= 1e-9 && d < best_d)) {
                best_hh = hh;
                best = p;
                best_d = d;
            }
        };
        const int n = static_cast<int>(std::floor(sc.placement_radius_m / step_m + 1e-9));
        for (int j = -n; j <= n; ++j) {
            for (int i = -n; i <= n; ++i) {
                try_spot(GridPoint{centre.x_m + i * step_m, centre.y_m + j * step_m});
            }
        }
        while (step_m > cell + 1e-9) {
            step_m = std::max(cell, step_m / 2.0);
            const GridPoint around = best;
            for (int j = -1; j <= 1; ++j) {
                for (int i = -1; i <= 1; ++i) {
                    if (i != 0 || j != 0) {
                        try_spot(GridPoint{around.x_m + i * step_m, around.y_m + j * step_m});
                    }
                }
            }
        }
        {
            PlanStep st = base;
            st.action = PlanStep::Action::small_cell;
            st.location = dem.to_geo(best);
            st.mast_height_m = sc.mast_height_m;
            radio_option(st, small_cell_sectors(radio.front(), sc, hamlet.hamlet_id, st.location, sc.mast_height_m), settings.costs.small_cell_usd);
        }
        // Fibre to the home: a node at the hamlet's point, drops to the households within reach.
        if (settings.ftth_max_drop_m > 0.0) {
            PlanStep st = base;
            st.action = PlanStep::Action::ftth;
            Route r = router->route_to(hamlet.location);
            if (!r.reachable) {
                st.feasible = false;
                st.note = "not possible: no fibre route (cut off by cells without terrain)";
                st.why = PlanStep::Why::no_route;
                set->impossible.push_back(st);
                continue;
            }
            detail::PlanOptionSet::Option o;
            for (std::size_t k = set->first_cell[h]; k < set->first_cell[h + 1]; ++k) {
                const GridPoint at = dem.cell_centre(set->cells[k].cell.col, set->cells[k].cell.row);
                if (std::hypot(at.x_m - centre.x_m, at.y_m - centre.y_m) <= settings.ftth_max_drop_m) {
                    o.reach.push_back(static_cast<std::uint32_t>(k));
                }
            }
            st.backhaul.kind = Backhaul::Kind::fibre;
            st.backhaul.cost_usd = r.cost_usd;
            st.backhaul.fibre = std::move(r);
            o.equipment_usd = settings.costs.ftth_node_usd;
            o.fibre_usd = st.backhaul.cost_usd;
            o.step = std::move(st);
            set->options.push_back(std::move(o));
        }
    }
    report(progress, 0.97, "planning: selection");
    std::vector<double> drop_usd;
    const SelectionProblem problem = detail::selection_problem(*set, nullptr, {}, drop_usd);
    for (std::size_t i = 0; i < set->options.size(); ++i) {
        set->options[i].step.cost_usd = problem.items[i].cost;
        set->options[i].step.drop_cost_usd = drop_usd[i];
    }
    Plan plan = detail::choose_plan(*set, problem, drop_usd);
    plan.option_set = set;
    report(progress, 1.0, "planning: done");
    return plan;
}

} // namespace coverage
