// Planning: costs, fibre routes, candidates, backhaul, budgeted selection, the plan.

#include "common.hpp"

#include <coverage/planning/plan.hpp>
#include <coverage/planning/uncertainty.hpp>
#include <coverage/report/plan_chart.hpp>

namespace libcoverage_py {

using namespace pybind11::literals;

void bind_planning(py::module_& m) {
    using namespace coverage;

    py::class_<CostModel>(m, "CostModel", "What building costs, US dollars (defaults and sources in the README).")
        .def(py::init<>())
        .def_readwrite("slope_class_upper_deg", &CostModel::slope_class_upper_deg, "Slope class bounds, degrees.")
        .def_readwrite("fibre_usd_per_km", &CostModel::fibre_usd_per_km, "Fibre cost per km per slope class (one more than bounds).")
        .def_readwrite("road_factor", &CostModel::road_factor, "Fibre cost multiplier along roads.")
        .def_readwrite("landcover_factor", &CostModel::landcover_factor, "Land-cover class → multiplier.")
        .def_readwrite("river_crossing_usd", &CostModel::river_crossing_usd)
        .def_readwrite("tower_fixed_usd", &CostModel::tower_fixed_usd)
        .def_readwrite("tower_usd_per_m", &CostModel::tower_usd_per_m, "Per metre of mast, USD.")
        .def_readwrite("microwave_link_usd", &CostModel::microwave_link_usd)
        .def_readwrite("small_cell_usd", &CostModel::small_cell_usd, "A small cell without backhaul, USD.")
        .def_readwrite("ftth_node_usd", &CostModel::ftth_node_usd, "Fibre to the home: the node at a hamlet, USD.")
        .def_readwrite("ftth_drop_usd_per_household", &CostModel::ftth_drop_usd_per_household, "Fibre to the home: one drop, USD.")
        .def("validate", &CostModel::validate, "Raise InvalidArgument naming a bad field.")
        .def("fibre_usd_per_m", &CostModel::fibre_usd_per_m, "slope_deg"_a, "Fibre cost per metre on ground of this slope, USD.")
        .def("tower_usd", &CostModel::tower_usd, "mast_height_m"_a, "Cost of a tower with this mast, USD.");

    py::class_<CostLayers>(m, "CostLayers", "Optional layers on the DEM's grid (roads, rivers, land cover).")
        .def(py::init<>())
        .def_readwrite("roads", &CostLayers::roads, "RasterUInt8: 1 where a road or track runs.")
        .def_readwrite("rivers", &CostLayers::rivers, "RasterUInt8: 1 on a river.")
        .def_readwrite("landcover", &CostLayers::landcover, "RasterFloat32: land-cover class per cell.");
    m.def(
        "rasterize_vector",
        [](const std::string& path, const Dem& dem) {
            py::gil_scoped_release nogil;
            return rasterize_vector(path, dem);
        },
        "path"_a, "dem"_a, "A vector layer burnt onto the DEM's grid: 1 in every cell a feature touches (RasterUInt8).");
    m.def(
        "read_raster_on_grid",
        [](const std::string& path, const Dem& dem) {
            py::gil_scoped_release nogil;
            return read_raster_on_grid(path, dem);
        },
        "path"_a, "dem"_a, "A raster resampled to the DEM's grid by nearest neighbour.");

    py::class_<CostSurface>(m, "CostSurface", "Cost of laying fibre per metre through each cell, USD (+inf without terrain).")
        .def(py::init([](const Dem& dem, const CostModel& model, const CostLayers& layers) {
                 py::gil_scoped_release nogil;
                 return CostSurface(dem, model, layers);
             }),
             "dem"_a, "model"_a, "layers"_a = CostLayers{})
        .def_property_readonly("usd_per_m", &CostSurface::usd_per_m, py::return_value_policy::reference_internal, "RasterFloat32, USD per metre.")
        .def_property_readonly("model", &CostSurface::model)
        .def("river", &CostSurface::river, "col"_a, "row"_a, "True where a river crosses the cell.");

    py::class_<Route>(m, "Route", "A least-cost fibre route from the existing network to a target.")
        .def_readonly("reachable", &Route::reachable)
        .def_readonly("cost_usd", &Route::cost_usd)
        .def_readonly("length_m", &Route::length_m)
        .def_readonly("river_crossings", &Route::river_crossings)
        .def_readonly("path", &Route::path, "GeoPoints from the network to the target.");
    py::class_<FibreRouter>(m, "FibreRouter", "Least-cost routes from the existing fibre to every cell (one multi-source Dijkstra).")
        .def(py::init([](const Dem& dem, const CostSurface& cost, const FibreNetwork& network) {
                 py::gil_scoped_release nogil;
                 return std::make_unique<FibreRouter>(dem, cost, network);
             }),
             "dem"_a, "cost"_a, "network"_a, py::keep_alive<1, 2>())
        .def("route_to", &FibreRouter::route_to, "target"_a, "The Route to the cell holding a GeoPoint.")
        .def("cost_to", &FibreRouter::cost_to, "target"_a, "Route cost to a GeoPoint, USD (inf when unreachable).");

    py::class_<Candidate>(m, "Candidate", "A place where a tower could be built.")
        .def(py::init([](std::string candidate_id, std::string name, GeoPoint location, double mast_height_m, std::string origin, bool small_cell) {
                 return Candidate{std::move(candidate_id), std::move(name), location, mast_height_m, std::move(origin), small_cell};
             }),
             py::kw_only(), "candidate_id"_a, "name"_a = "", "location"_a, "mast_height_m"_a = 30.0, "origin"_a = "file", "small_cell"_a = false)
        .def_readwrite("small_cell", &Candidate::small_cell, "A small cell instead of a tower.")
        .def_readwrite("candidate_id", &Candidate::candidate_id)
        .def_readwrite("name", &Candidate::name)
        .def_readwrite("location", &Candidate::location)
        .def_readwrite("mast_height_m", &Candidate::mast_height_m)
        .def_readwrite("origin", &Candidate::origin, "'file' or 'found'.");
    m.def("read_candidates", &read_candidates, "path"_a, "default_mast_m"_a = 30.0, "default_small_cell_mast_m"_a = 12.0,
          "Candidate sites from CSV / GeoJSON / GPKG (kind: tower or small_cell).");
    py::class_<CandidateSearch>(m, "CandidateSearch", "Automatic candidate search around dead-zone hamlets.")
        .def(py::init<>())
        .def_readwrite("search_radius_m", &CandidateSearch::search_radius_m)
        .def_readwrite("min_spacing_m", &CandidateSearch::min_spacing_m)
        .def_readwrite("per_hamlet", &CandidateSearch::per_hamlet)
        .def_readwrite("mast_height_m", &CandidateSearch::mast_height_m);
    m.def("find_candidates", &find_candidates, "dem"_a, "reports"_a, "search"_a, "existing"_a = std::vector<Candidate>{},
          "The highest local peaks near each dead-zone hamlet, spaced apart.");

    py::class_<Backhaul> backhaul(m, "Backhaul", "How a new tower is connected to the network.");
    py::enum_<Backhaul::Kind>(backhaul, "Kind").value("none", Backhaul::Kind::none).value("fibre", Backhaul::Kind::fibre).value("microwave", Backhaul::Kind::microwave);
    backhaul.def_readonly("kind", &Backhaul::kind)
        .def_readonly("cost_usd", &Backhaul::cost_usd)
        .def_readonly("fibre", &Backhaul::fibre, "The Route (kind fibre).")
        .def_readonly("microwave_to", &Backhaul::microwave_to)
        .def_readonly("microwave_to_location", &Backhaul::microwave_to_location)
        .def_readonly("microwave_distance_m", &Backhaul::microwave_distance_m)
        .def_readonly("microwave_fresnel_clear_pct", &Backhaul::microwave_fresnel_clear_pct)
        .def_readonly("why_none", &Backhaul::why_none);
    py::class_<MicrowaveRules>(m, "MicrowaveRules", "Microwave backhaul rules.")
        .def(py::init<>())
        .def_readwrite("freq_mhz", &MicrowaveRules::freq_mhz)
        .def_readwrite("max_distance_m", &MicrowaveRules::max_distance_m)
        .def_readwrite("min_fresnel_clear_pct", &MicrowaveRules::min_fresnel_clear_pct)
        .def_readwrite("k_factor", &MicrowaveRules::k_factor)
        .def_readwrite("fibred_site_max_distance_m", &MicrowaveRules::fibred_site_max_distance_m);

    py::class_<SelectionProblem> problem(m, "SelectionProblem", "Budgeted maximum coverage: groups of cells, items that serve cells.");
    py::class_<SelectionProblem::Item>(problem, "Item")
        .def(py::init([](double cost, std::vector<std::vector<std::uint32_t>> serves) { return SelectionProblem::Item{cost, std::move(serves)}; }),
             py::kw_only(), "cost"_a, "serves"_a)
        .def_readwrite("cost", &SelectionProblem::Item::cost)
        .def_readwrite("serves", &SelectionProblem::Item::serves, "Per group, the cells this item serves.");
    problem.def(py::init<>())
        .def_readwrite("cell_weight", &SelectionProblem::cell_weight, "Per group, per cell: its value (households).")
        .def_readwrite("base", &SelectionProblem::base, "Per group, per cell: 1 already served.")
        .def_readwrite("items", &SelectionProblem::items);
    py::class_<Selection>(m, "Selection", "The outcome of a selection.")
        .def_readonly("order", &Selection::order)
        .def_readonly("gains", &Selection::gains)
        .def_readonly("value", &Selection::value)
        .def_readonly("cost", &Selection::cost)
        .def_readonly("upper_bound", &Selection::upper_bound)
        .def_readonly("evaluations", &Selection::evaluations);
    m.def("select_greedy", &select_greedy, "problem"_a, "budget"_a, py::call_guard<py::gil_scoped_release>(),
          "Lazy greedy (CELF) budgeted maximum coverage, ≥ (1 − 1/e)/2 of the optimum, with a data-dependent upper bound.");
    m.def("select_exact", &select_exact, "problem"_a, "budget"_a, py::call_guard<py::gil_scoped_release>(),
          "The optimum by enumeration (at most 22 items).");

    py::class_<SmallCellRadio>(m, "SmallCellRadio", "The radio of a small cell at a hamlet (one omni sector on the towers' band).")
        .def(py::init<>())
        .def_readwrite("mast_height_m", &SmallCellRadio::mast_height_m)
        .def_readwrite("tx_power_dbm", &SmallCellRadio::tx_power_dbm)
        .def_readwrite("antenna_gain_dbi", &SmallCellRadio::antenna_gain_dbi)
        .def_readwrite("cable_loss_db", &SmallCellRadio::cable_loss_db)
        .def_readwrite("placement_radius_m", &SmallCellRadio::placement_radius_m, "It stands within this distance of the hamlet's point.");
    py::class_<PlanSettings>(m, "PlanSettings", "Planning settings.")
        .def(py::init<>())
        .def_readwrite("budget_usd", &PlanSettings::budget_usd, "The budget; with phase_budgets_usd, their sum.")
        .def_readwrite("phase_budgets_usd", &PlanSettings::phase_budgets_usd,
                       "One budget per year: each year's steps within its own, from the network the earlier years built "
                       "(unspent money is not carried over); empty: one phase.")
        .def_readwrite("costs", &PlanSettings::costs)
        .def_readwrite("search", &PlanSettings::search)
        .def_readwrite("find_candidates", &PlanSettings::find_candidates)
        .def_readwrite("fibre_to_hamlets", &PlanSettings::fibre_to_hamlets, "Small cell and FTTH options at each dead-zone hamlet.")
        .def_readwrite("small_cell", &PlanSettings::small_cell)
        .def_readwrite("ftth_max_drop_m", &PlanSettings::ftth_max_drop_m, "FTTH reaches households this close to the node, m; 0: no FTTH.")
        .def_readwrite("microwave", &PlanSettings::microwave)
        .def_readwrite("tower_sectors", &PlanSettings::tower_sectors, "Radio template of a new tower (location ignored).");

    py::class_<PlanStep> step(m, "PlanStep", "One step of a plan, or an option not chosen or impossible.");
    py::enum_<PlanStep::Action>(step, "Action").value("tower", PlanStep::Action::tower).value("small_cell", PlanStep::Action::small_cell).value("ftth", PlanStep::Action::ftth);
    step.def_readonly("step", &PlanStep::step, "1.. for chosen actions; 0 otherwise.")
        .def_readonly("phase", &PlanStep::phase, "Chosen steps: the year (1..) of the phased budget that pays for it; 0 otherwise.")
        .def_readonly("action", &PlanStep::action)
        .def_readonly("target_id", &PlanStep::target_id)
        .def_readonly("name", &PlanStep::name)
        .def_readonly("location", &PlanStep::location)
        .def_readonly("mast_height_m", &PlanStep::mast_height_m)
        .def_readonly("backhaul", &PlanStep::backhaul)
        .def_readonly("cost_usd", &PlanStep::cost_usd)
        .def_readonly("drop_cost_usd", &PlanStep::drop_cost_usd, "FTTH: the drops' part of cost_usd.")
        .def_readonly("households_new", &PlanStep::households_new)
        .def_readonly("households_cumulative", &PlanStep::households_cumulative)
        .def_readonly("cost_cumulative_usd", &PlanStep::cost_cumulative_usd)
        .def_readonly("hamlets", &PlanStep::hamlets)
        .def_readonly("feasible", &PlanStep::feasible)
        .def_readonly("note", &PlanStep::note)
        .def("__repr__", [](const PlanStep& s) { return "<PlanStep " + std::to_string(s.step) + " " + s.name + ">"; });
    py::class_<Plan>(m, "Plan", "A budgeted build order.")
        .def_readonly("steps", &Plan::steps, "Chosen, in order.")
        .def_readonly("not_chosen", &Plan::not_chosen)
        .def_readonly("impossible", &Plan::impossible)
        .def_readonly("budget_usd", &Plan::budget_usd)
        .def_readonly("phase_budgets_usd", &Plan::phase_budgets_usd, "One per year ([budget_usd] for a single phase).")
        .def_readonly("households_unserved_before", &Plan::households_unserved_before)
        .def_readonly("households_new", &Plan::households_new)
        .def_readonly("cost_usd", &Plan::cost_usd)
        .def_readonly("upper_bound_households", &Plan::upper_bound_households, "No plan within the budget serves more new households.")
        .def_readonly("candidates", &Plan::candidates)
        .def_readonly("selection_evaluations", &Plan::selection_evaluations);
    m.def(
        "plan_network",
        [](const Dem& dem, const std::vector<HamletReport>& reports, const DeadZoneRule& rule, const SignalThresholds& thresholds,
           const Raster<float>& existing_signal_dbm, const std::vector<Sector>& existing, const FibreNetwork& fibre, const CostSurface& cost,
           const std::vector<Candidate>& given, const PlanSettings& settings, const CoverageOptions& coverage, const py::object& progress) {
            return run_interruptible(progress, "planning", [&](const ProgressFn& fn) {
                return plan_network(dem, reports, rule, thresholds, existing_signal_dbm, existing, fibre, cost, given, settings, coverage, fn);
            });
        },
        "dem"_a, "reports"_a, "rule"_a, "thresholds"_a, "existing_signal_dbm"_a, "existing"_a, "fibre"_a, "cost"_a, "given"_a,
        "settings"_a, "coverage"_a, py::kw_only(), "progress"_a = py::none(),
        "Plan within settings.budget_usd: candidate towers with fibre or microwave backhaul and fibre extensions to dead-zone "
        "hamlets, chosen by budgeted greedy selection with an upper bound.");
    m.def(
        "write_plan_csv",
        [](const std::string& path, const Plan& plan, std::optional<UncertaintyResult> uncertainty) {
            write_plan_csv(path, plan, uncertainty ? &*uncertainty : nullptr);
        },
        "path"_a, "plan"_a, "uncertainty"_a = py::none(), "plan.csv, atomically (with in_plan_pct when the Monte Carlo's result is given).");
    py::class_<UniformRange>(m, "UniformRange", "A value drawn uniformly between low and high in each trial.")
        .def(py::init([](double low, double high) { return UniformRange{low, high}; }), "low"_a = 1.0, "high"_a = 1.0)
        .def_readwrite("low", &UniformRange::low)
        .def_readwrite("high", &UniformRange::high);
    py::class_<UncertaintySettings>(m, "UncertaintySettings", "What is uncertain in the Monte Carlo, and how much.")
        .def(py::init<>())
        .def_readwrite("trials", &UncertaintySettings::trials)
        .def_readwrite("seed", &UncertaintySettings::seed)
        .def_readwrite("model_error_db", &UncertaintySettings::model_error_db, "σ of the prediction's error at a place, dB.")
        .def_readwrite("model_error_correlation_m", &UncertaintySettings::model_error_correlation_m)
        .def_readwrite("weight_households_unserved", &UncertaintySettings::weight_households_unserved)
        .def_readwrite("weight_fibre_distance", &UncertaintySettings::weight_fibre_distance)
        .def_readwrite("weight_tower_distance", &UncertaintySettings::weight_tower_distance)
        .def_readwrite("weight_terrain_difficulty", &UncertaintySettings::weight_terrain_difficulty)
        .def_readwrite("tower_cost_factor", &UncertaintySettings::tower_cost_factor)
        .def_readwrite("fibre_cost_factor", &UncertaintySettings::fibre_cost_factor)
        .def_readwrite("microwave_cost_factor", &UncertaintySettings::microwave_cost_factor)
        .def_readwrite("small_cell_cost_factor", &UncertaintySettings::small_cell_cost_factor)
        .def_readwrite("ftth_cost_factor", &UncertaintySettings::ftth_cost_factor)
        .def_readwrite("threads", &UncertaintySettings::threads, "0: all cores (the result does not depend on it).")
        .def("validate", &UncertaintySettings::validate, "Raise InvalidArgument naming a bad field.");
    py::class_<OptionStability>(m, "OptionStability", "How often an option is in the plan across the trials.")
        .def_readonly("action", &OptionStability::action)
        .def_readonly("target_id", &OptionStability::target_id)
        .def_readonly("name", &OptionStability::name)
        .def_readonly("step", &OptionStability::step, "Its step in the deterministic plan (0: not chosen).")
        .def_readonly("in_plan_share", &OptionStability::in_plan_share);
    py::class_<UncertaintyResult>(m, "UncertaintyResult", "The Monte Carlo's answer: rank and plan stability, households per trial.")
        .def_readonly("settings", &UncertaintyResult::settings, "As run (the model error as applied).")
        .def_readonly("model_error_source", &UncertaintyResult::model_error_source, "'calibration', 'study' or 'default'.")
        .def_readonly("ranks", &UncertaintyResult::ranks)
        .def_readonly("options", &UncertaintyResult::options)
        .def_readonly("households_connected", &UncertaintyResult::households_connected)
        .def_readonly("cost_usd", &UncertaintyResult::cost_usd)
        .def_readonly("households_p10", &UncertaintyResult::households_p10)
        .def_readonly("households_p50", &UncertaintyResult::households_p50)
        .def_readonly("households_p90", &UncertaintyResult::households_p90)
        .def_readonly("seconds", &UncertaintyResult::seconds);
    m.def(
        "assess_uncertainty",
        [](const Dem& dem, const std::vector<HamletReport>& reports, const DeadZoneRule& rule, const SignalThresholds& thresholds,
           const Raster<float>& existing, const FibreNetwork& fibre, const std::vector<Sector>& towers, const PriorityWeights& weights,
           const std::vector<DeadZonePriority>& priorities, const Plan* plan, const UncertaintySettings& settings) {
            py::gil_scoped_release nogil;
            return assess_uncertainty(dem, reports, rule, thresholds, existing, fibre, towers, weights, priorities, plan, settings);
        },
        "dem"_a, "reports"_a, "rule"_a, "thresholds"_a, "existing_signal_dbm"_a, "fibre"_a, "towers"_a, "weights"_a, "priorities"_a,
        "plan"_a = nullptr, "settings"_a = UncertaintySettings{},
        "Monte Carlo over the weights, costs and prediction error: rank stability, plan stability, households per trial.");
    m.def("write_plan_geojson", &write_plan_geojson, "path"_a, "plan"_a, "plan.geojson, atomically.");
    m.def("plan_step_note", &plan_step_note, "step"_a, "language"_a,
          "Why an option is not in the plan, in the words of language 'vi' or 'en' (empty for a chosen step).");
    m.def("write_plan_curve_png", &write_plan_curve_png, "path"_a, "plan"_a, "title"_a, "plan_curve.png, atomically.");
}

} // namespace libcoverage_py
