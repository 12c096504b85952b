"""Planning from Python: routes on a constructed flat DEM, budgeted selection against brute force, a whole plan."""

import itertools

import numpy as np
import pytest

import libcoverage as lc
from conftest import SANG_MOC


def _flat_dem(width=200, height=100, cell_m=30.0, z_m=100.0):
    raster = lc.RasterFloat32(np.full((height, width), z_m, np.float32), geo_transform=(500000.0, cell_m, 0.0, 2400000.0, 0.0, -cell_m),
                              crs="EPSG:32648")
    return lc.Dem(raster, source="flat test grid")


def test_straight_fibre_route_on_flat_ground_costs_length_times_rate():
    dem = _flat_dem()
    west = dem.to_geo(dem.cell_centre(10, 50))
    east = dem.to_geo(dem.cell_centre(110, 50))
    network = lc.FibreNetwork(dem, [lc.FibreRoute(route_id="F1", points=[west, dem.to_geo(dem.cell_centre(10, 20))])])
    cost = lc.CostSurface(dem, lc.CostModel())
    router = lc.FibreRouter(dem, cost, network)
    route = router.route_to(east)
    assert route.reachable and route.river_crossings == 0
    assert route.length_m == pytest.approx(100 * 30.0, abs=1e-6)
    assert route.cost_usd == pytest.approx(3.0 * 15850.0, rel=1e-6)  # flat: the gentlest slope class, USD 15,850 per km
    assert router.cost_to(west) == pytest.approx(0.0)
    assert np.isclose(np.asarray(cost.usd_per_m), 15.85).all()


def _value(problem, chosen):
    value = 0.0
    for g, weights in enumerate(problem.cell_weight):
        served = {c for c, b in enumerate(problem.base[g]) if b}
        new = set()
        for i in chosen:
            new |= set(problem.items[i].serves[g])
        value += sum(weights[c] for c in new - served)
    return value


def test_selection_against_brute_force():
    rng = np.random.default_rng(11)
    for _ in range(25):
        problem = lc.SelectionProblem()
        groups = [int(n) for n in rng.integers(3, 9, 3)]
        problem.cell_weight = [[float(w) for w in rng.uniform(0.5, 3.0, n)] for n in groups]  # households per cell
        problem.base = [[int(v) for v in rng.random(n) < 0.2] for n in groups]
        problem.items = [lc.SelectionProblem.Item(cost=float(rng.uniform(1, 10)),
                                                  serves=[sorted({int(c) for c in rng.integers(0, n, rng.integers(0, n + 1))}) for n in groups])
                         for _ in range(8)]
        budget = float(rng.uniform(5, 25))
        best = max(_value(problem, s) for k in range(9) for s in itertools.combinations(range(8), k)
                   if sum(problem.items[i].cost for i in s) <= budget)
        exact = lc.select_exact(problem, budget)
        greedy = lc.select_greedy(problem, budget)
        assert exact.value == pytest.approx(best)
        assert _value(problem, exact.order) == pytest.approx(best)
        assert greedy.cost <= budget + 1e-9 and _value(problem, greedy.order) == pytest.approx(greedy.value)
        assert (1 - 1 / np.e) / 2 * best - 1e-9 <= greedy.value <= best + 1e-9 <= greedy.upper_bound + 2e-9


def test_plan_from_the_pieces(sang_moc_dem, sang_moc_sectors, sang_moc_hamlets):
    options = lc.CoverageOptions(model=lc.ItmModel(lc.ItmParams(climate=lc.RadioClimate.continental_subtropical, n0_n_units=320.0)),
                                 radius_m=15000.0, threads=2)
    m = lc.CoverageEngine(sang_moc_dem, sang_moc_sectors, options).compute()
    coverages = lc.coverage_by_technology(m, sang_moc_dem, options)
    rule = lc.DeadZoneRule()
    reports = lc.analyse_hamlets(sang_moc_dem, sang_moc_hamlets, coverages, m, rule)
    fibre = lc.FibreNetwork(sang_moc_dem, lc.read_fibre_routes(str(SANG_MOC / "fibre.geojson")))
    layers = lc.CostLayers()
    layers.roads = lc.rasterize_vector(str(SANG_MOC / "roads.geojson"), sang_moc_dem)
    layers.rivers = lc.rasterize_vector(str(SANG_MOC / "streams.geojson"), sang_moc_dem)
    assert np.asarray(layers.roads).sum() > 100
    settings = lc.PlanSettings()
    settings.budget_usd = 300000.0
    cost = lc.CostSurface(sang_moc_dem, settings.costs, layers)
    lte = next(c for c in coverages if c.technology == lc.Technology.lte)
    candidates = lc.read_candidates(str(SANG_MOC / "candidates.csv"))
    plan = lc.plan_network(sang_moc_dem, reports, rule, lte.thresholds, lte.composite.signal_dbm, sang_moc_sectors, fibre, cost,
                           candidates, settings, options)
    dead = [r for r in reports if r.dead_zone]
    # households without the rule's class anywhere (dead zones and the unserved parts of other hamlets)
    assert plan.households_unserved_before == pytest.approx(sum(r.hamlet.households - r.technologies[0].households_served for r in reports))
    assert 0 < plan.cost_usd <= 300000.0
    assert plan.households_new <= plan.upper_bound_households + 1e-9
    assert [s.step for s in plan.steps] == list(range(1, len(plan.steps) + 1))
    assert plan.steps[-1].cost_cumulative_usd == pytest.approx(plan.cost_usd)
    # every dead-zone hamlet appears as a small-cell and as an FTTH option somewhere in the plan
    for action in (lc.PlanStep.Action.small_cell, lc.PlanStep.Action.ftth):
        options_seen = {s.target_id for s in plan.steps + plan.not_chosen + plan.impossible if s.action == action}
        assert options_seen == {r.hamlet.hamlet_id for r in dead}


def test_monte_carlo_tables_and_reproducibility():
    """The Monte Carlo from Python on the plain Sảng Mộc study: DataFrames, shares within 0..100, the same answer for
    one and two threads, and no spread at all without ranges and without a model error."""
    study = lc.read_study(str(SANG_MOC / "study.toml"))
    inputs = lc.read_study_inputs(study)
    dem = lc.read_study_terrain(study, inputs)
    options = lc.study_coverage_options(study, dem)
    cmap = lc.CoverageEngine(dem, inputs.sectors, options).compute()
    by_tech = lc.coverage_by_technology(cmap, dem, options)
    analysis = lc.analyse_study(study, inputs, dem, by_tech, [s.sector_id for s in inputs.sectors], options)
    assert analysis.uncertainty is not None and analysis.uncertainty.model_error_source == "default"
    lte = next(t for t in by_tech if t.technology == lc.Technology.lte)
    ranks = lc.uncertainty_ranks_table(analysis.uncertainty)
    assert list(ranks["hamlet_id"][: len(analysis.priorities)]) == [p.hamlet_id for p in analysis.priorities]
    assert ranks["top3_pct"].between(0, 100).all() and ranks["first_pct"].sum() == pytest.approx(100.0)
    opts = lc.uncertainty_options_table(analysis.uncertainty)
    assert list(opts["step"].dropna()) == list(range(1, len(analysis.plan.steps) + 1))
    trials = lc.uncertainty_trials_table(analysis.uncertainty)
    assert len(trials) == 200  # the study's uncertainty.trials
    assert (trials["cost_usd"] <= analysis.plan.budget_usd + 0.5).all()

    def run(threads, sigma=8.0, spread=True):
        u = lc.UncertaintySettings()
        u.trials, u.seed, u.threads, u.model_error_db = 40, 3, threads, sigma
        if spread:
            u.weight_households_unserved = lc.UniformRange(0.2, 0.6)
            u.fibre_cost_factor = lc.UniformRange(0.7, 1.5)
        return lc.assess_uncertainty(dem, analysis.hamlets, analysis.rule, lte.thresholds, lte.composite.signal_dbm, analysis.fibre,
                                     inputs.sectors, study.weights, analysis.priorities, analysis.plan, u)

    one, two = run(1), run(2)
    assert [r.rank_counts for r in one.ranks] == [r.rank_counts for r in two.ranks]
    assert list(one.households_connected) == list(two.households_connected)
    fixed = run(2, sigma=0.0, spread=False)
    for r, p in zip(fixed.ranks, analysis.priorities):
        assert r.median_rank == p.rank and r.dead_zone_share == 1.0
    assert all(o.in_plan_share == (1.0 if o.step > 0 else 0.0) for o in fixed.options)
    assert np.allclose(fixed.households_connected, analysis.plan.households_new)
