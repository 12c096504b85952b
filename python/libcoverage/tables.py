"""Tables for analysts: results of the engine as pandas DataFrames.

Each function returns a GeoPandas ``GeoDataFrame`` (WGS84, EPSG:4326) when GeoPandas is installed and ``geo``
is not False, else a plain ``DataFrame``; both carry ``lat_deg`` / ``lon_deg`` columns. Column names carry their
units, as in the CSV files the study writes (``hamlets.csv``, ``priorities.csv``, ``plan.csv``).
"""

from __future__ import annotations

import math
from typing import Iterable, Optional, Sequence

import pandas as pd

from . import _core

__all__ = [
    "geopandas_available",
    "sectors_table",
    "hamlets_table",
    "priorities_table",
    "plan_table",
    "plan_lines",
    "fibre_table",
]


def geopandas_available() -> bool:
    """True when GeoPandas (and Shapely) can be imported."""
    try:
        import geopandas  # noqa: F401
        import shapely  # noqa: F401
    except ImportError:
        return False
    return True


def _finish(rows: list, columns: Sequence[str], geo: Optional[bool], geometry: Optional[list] = None):
    frame = pd.DataFrame(rows, columns=list(columns))
    if geo is False or (geo is None and not geopandas_available()):
        return frame
    if geo and not geopandas_available():
        raise ImportError("geo=True needs GeoPandas (Debian: python3-geopandas)")
    import geopandas
    import shapely.geometry

    if geometry is None:
        geometry = [shapely.geometry.Point(lon, lat) for lat, lon in zip(frame["lat_deg"], frame["lon_deg"])]
    return geopandas.GeoDataFrame(frame, geometry=geopandas.GeoSeries(geometry, crs="EPSG:4326"))


def _technology_prefix(t: _core.Technology) -> str:
    return _core.traits(t).key


def _measure(t: _core.Technology) -> str:
    return _core.traits(t).measure_key


def sectors_table(sectors: Iterable[_core.Sector], geo: Optional[bool] = None):
    """One row per sector: ids, position, height, radio settings (units in the column names)."""
    columns = ["site_id", "sector_id", "name", "lat_deg", "lon_deg", "ground_elev_m", "height_agl_m", "technology", "freq_mhz",
               "bandwidth_mhz", "tx_power_dbm", "antenna_gain_dbi", "cable_loss_db", "azimuth_deg", "tilt_deg", "pattern",
               "peak_eirp_dbm", "operator"]
    rows = []
    for s in sectors:
        rows.append([s.site_id, s.sector_id, s.name, s.location.lat_deg, s.location.lon_deg,
                     math.nan if s.ground_elev_m is None else s.ground_elev_m, s.height_agl_m, s.technology.name, s.freq_mhz,
                     s.bandwidth_mhz, s.tx_power_dbm, s.antenna_gain_dbi, s.cable_loss_db, s.azimuth_deg, s.tilt_deg,
                     s.pattern_source, s.peak_eirp_dbm, s.operator_name])
    return _finish(rows, columns, geo)


def hamlets_table(reports: Iterable[_core.HamletReport], rule: Optional[_core.DeadZoneRule] = None, geo: Optional[bool] = None):
    """One row per hamlet, the columns of ``hamlets.csv``: per technology (``lte_``, ``umts_``, ``nr_``) the median and 10th
    percentile signal (dBm; NaN where there is none), the serving sector, the median class, the share of the area and
    the households with at least the dead-zone rule's class (``_indoor`` after the class for the rule's technology when
    the rule judges households indoors); then ``dead_zone`` (bool). ``household_points``: how many household points the
    hamlet has (0: its households are spread evenly over its cells)."""
    rule = rule or _core.DeadZoneRule()
    least = _core.signal_class_name(rule.min_class)
    rows, columns = [], None
    for r in reports:
        h = r.hamlet
        row = {
            "hamlet_id": h.hamlet_id,
            "name": h.name,
            "lat_deg": h.location.lat_deg,
            "lon_deg": h.location.lon_deg,
            "households": h.households,
            "population": h.population,
            "settlement_radius_m": math.nan if h.outline else h.settlement_radius_m,
            "cells": r.cells,
            "household_points": len(h.homes),
        }
        for t in r.technologies:
            p, m = _technology_prefix(t.technology), _measure(t.technology)
            row[f"{p}_median_{m}_dbm"] = math.nan if t.median_dbm is None else t.median_dbm
            row[f"{p}_p10_{m}_dbm"] = math.nan if t.p10_dbm is None else t.p10_dbm
            row[f"{p}_best_server"] = t.best_server
            row[f"{p}_median_class"] = _core.signal_class_name(t.median_class)
            indoor = "_indoor" if t.technology == rule.technology and rule.indoor_loss_db > 0 else ""
            row[f"{p}_area_at_least_{least}{indoor}_pct"] = 100.0 * t.area_served_share
            row[f"{p}_households_at_least_{least}{indoor}"] = t.households_served
        row["dead_zone"] = r.dead_zone
        if columns is None:
            columns = list(row)
        rows.append([row.get(c) for c in columns])
    return _finish(rows, columns or ["hamlet_id", "name", "lat_deg", "lon_deg", "dead_zone"], geo)


def priorities_table(priorities: Iterable[_core.DeadZonePriority], hamlets: Optional[Iterable[_core.HamletReport]] = None,
                     geo: Optional[bool] = None):
    """One row per ranked dead zone, the columns of ``priorities.csv`` (rank, factors, points, score, reason in English and
    ``reason_vi`` in Vietnamese).

    Positions (``lat_deg``, ``lon_deg``) are added when the hamlet reports are given (needed for a GeoDataFrame)."""
    columns = ["rank", "hamlet_id", "name", "households", "households_unserved", "fibre_distance_m", "nearest_fibre_route",
               "tower_distance_m", "nearest_tower", "mean_slope_deg", "points_households", "points_fibre", "points_tower",
               "points_terrain", "score", "reason", "reason_vi"]
    where = {r.hamlet.hamlet_id: r.hamlet.location for r in (hamlets or [])}
    rows = []
    for p in priorities:
        f, pts = p.factors, p.points
        rows.append([p.rank, p.hamlet_id, p.name, p.households, f.households_unserved,
                     f.fibre_distance_m if f.nearest_fibre_route else math.nan, f.nearest_fibre_route, f.tower_distance_m,
                     f.nearest_tower, f.mean_slope_deg, pts.households, pts.fibre, pts.tower, pts.terrain, p.score, p.reason,
                     p.reason_vi])
    if not where:
        if geo:
            raise ValueError("priorities_table(geo=True) needs the hamlet reports for the positions")
        return _finish(rows, columns, False)
    for row in rows:
        loc = where.get(row[1])
        row.extend([loc.lat_deg if loc else math.nan, loc.lon_deg if loc else math.nan])
    return _finish(rows, columns + ["lat_deg", "lon_deg"], geo)


def _backhaul_kind(step: _core.PlanStep) -> str:
    return step.backhaul.kind.name


def plan_table(plan: _core.Plan, geo: Optional[bool] = None):
    """Every option of a plan: chosen steps in order (``status`` chosen, ``year`` the phase of the budget that pays for it),
    then options not chosen and impossible ones,
    with costs (USD), households and the reason in ``note`` (English) and ``note_vi`` (Vietnamese)."""
    columns = ["step", "year", "status", "action", "target_id", "name", "lat_deg", "lon_deg", "mast_height_m", "backhaul",
               "backhaul_cost_usd", "fibre_length_m", "microwave_to", "microwave_distance_m", "cost_usd", "drop_cost_usd", "households_new",
               "households_cumulative", "cost_cumulative_usd", "hamlets", "note", "note_vi"]
    rows = []
    for status, steps in (("chosen", plan.steps), ("not_chosen", plan.not_chosen), ("impossible", plan.impossible)):
        for s in steps:
            b = s.backhaul
            radio = s.action != _core.PlanStep.Action.ftth
            chosen = s.step > 0
            rows.append([s.step if chosen else pd.NA, s.phase if chosen else pd.NA, status, s.action.name, s.target_id, s.name, s.location.lat_deg, s.location.lon_deg,
                         s.mast_height_m if radio else math.nan, _backhaul_kind(s), b.cost_usd,
                         b.fibre.length_m if b.kind == _core.Backhaul.Kind.fibre else math.nan,
                         b.microwave_to if b.kind == _core.Backhaul.Kind.microwave else "",
                         b.microwave_distance_m if b.kind == _core.Backhaul.Kind.microwave else math.nan, s.cost_usd,
                         s.drop_cost_usd if s.action == _core.PlanStep.Action.ftth else math.nan,
                         s.households_new, s.households_cumulative if chosen else math.nan,
                         s.cost_cumulative_usd if chosen else math.nan, "; ".join(s.hamlets), s.note,
                         _core.plan_step_note(s, "vi")])
    frame = _finish(rows, columns, geo)
    frame["step"] = frame["step"].astype("Int64")
    frame["year"] = frame["year"].astype("Int64")
    return frame


def uncertainty_ranks_table(result: _core.UncertaintyResult):
    """How each dead zone ranks across the Monte Carlo's trials: the deterministic ``rank`` (0: not a dead zone there),
    ``dead_zone_pct``, ``median_rank``, ``top3_pct``, ``first_pct`` and ``rank_<r>_trials`` (trials ranked r), one row per hamlet."""
    most = max((len(r.rank_counts) - 1 for r in result.ranks), default=0)
    columns = ["hamlet_id", "name", "rank", "dead_zone_pct", "median_rank", "top3_pct", "first_pct"] + [f"rank_{r + 1}_trials" for r in range(most)]
    rows = [[r.hamlet_id, r.name, r.rank, 100.0 * r.dead_zone_share, r.median_rank, 100.0 * r.top3_share, 100.0 * r.first_share]
            + list(r.rank_counts[:most]) for r in result.ranks]
    return pd.DataFrame(rows, columns=columns)


def uncertainty_options_table(result: _core.UncertaintyResult):
    """How often each option of the plan is chosen across the trials: ``step`` in the deterministic plan (<NA>: not chosen
    there) and ``in_plan_pct``."""
    rows = [[o.action.name, o.target_id, o.name, o.step if o.step > 0 else pd.NA, 100.0 * o.in_plan_share] for o in result.options]
    frame = pd.DataFrame(rows, columns=["action", "target_id", "name", "step", "in_plan_pct"])
    frame["step"] = frame["step"].astype("Int64")
    return frame


def uncertainty_trials_table(result: _core.UncertaintyResult):
    """Per trial: the households the budget connects and what that plan costs (uncertainty_households.csv)."""
    return pd.DataFrame({"trial": range(1, len(result.households_connected) + 1),
                         "households_connected": list(result.households_connected), "cost_usd": list(result.cost_usd)})


def plan_lines(plan: _core.Plan, include_not_chosen: bool = False):
    """The lines of a plan, one row each: fibre routes (``kind`` fibre) and microwave hops (``kind`` microwave), with the
    step, target and cost; a GeoDataFrame of LineStrings (WGS84). Needs GeoPandas."""
    if not geopandas_available():
        raise ImportError("plan_lines needs GeoPandas (Debian: python3-geopandas)")
    import shapely.geometry

    steps = list(plan.steps) + (list(plan.not_chosen) if include_not_chosen else [])
    rows, geometry = [], []
    for s in steps:
        b = s.backhaul
        if b.kind == _core.Backhaul.Kind.fibre and len(b.fibre.path) >= 2:
            line = [(p.lon_deg, p.lat_deg) for p in b.fibre.path]
            rows.append([s.step, s.target_id, s.name, "fibre", b.fibre.length_m, b.cost_usd])
        elif b.kind == _core.Backhaul.Kind.microwave:
            line = [(b.microwave_to_location.lon_deg, b.microwave_to_location.lat_deg), (s.location.lon_deg, s.location.lat_deg)]
            rows.append([s.step, s.target_id, s.name, "microwave", b.microwave_distance_m, b.cost_usd])
        else:
            continue
        geometry.append(shapely.geometry.LineString(line))
    return _finish(rows, ["step", "target_id", "name", "kind", "length_m", "cost_usd"], True, geometry)


def fibre_table(routes: Iterable[_core.FibreRoute]):
    """Existing fibre routes as a GeoDataFrame of LineStrings (WGS84) with route_id and name. Needs GeoPandas."""
    if not geopandas_available():
        raise ImportError("fibre_table needs GeoPandas (Debian: python3-geopandas)")
    import shapely.geometry

    rows, geometry = [], []
    for r in routes:
        rows.append([r.route_id, r.name])
        geometry.append(shapely.geometry.LineString([(p.lon_deg, p.lat_deg) for p in r.points]))
    return _finish(rows, ["route_id", "name"], True, geometry)


def calibration_bins_table(calibration: _core.StudyCalibration, geo: Optional[bool] = None):
    """One row per drive-test bin of a calibration (``calibrate_study``), the columns of ``bins.csv``: the serving
    sector, position, distance, samples, measured and predicted level, the residual (measured − predicted), the land-cover
    code, the fitted correction there and the held-out (cross-validated) correction; ``residual_after_db`` is the
    residual once the held-out correction is applied."""
    columns = ["sector_id", "technology", "freq_mhz", "lat_deg", "lon_deg", "distance_m", "samples", "quantity", "measured_dbm",
               "spread_db", "predicted_dbm", "residual_db", "land_cover_code", "correction_db", "held_out_correction_db",
               "residual_after_db", "first_row"]
    correction = calibration.fit.correction()
    held_out = calibration.fit.held_out_correction_db
    rows = []
    for i, b in enumerate(calibration.binned.bins):
        s = calibration.sectors[b.sector]
        term = correction.term_for(s.technology, s.freq_mhz)
        predicted = math.isfinite(b.predicted_dbm)
        residual = b.measured_dbm - b.predicted_dbm if predicted else math.nan
        fitted = term.correction_db(b.distance_m, b.class_code) if (predicted and term is not None) else math.nan
        rows.append([s.sector_id, s.technology.name, s.freq_mhz, b.position.lat_deg, b.position.lon_deg, b.distance_m, b.samples,
                     b.quantity.name, b.measured_dbm, b.spread_db, b.predicted_dbm, residual,
                     b.class_code if b.class_code >= 0 else None, fitted, held_out[i], residual - held_out[i], b.first_row])
    return _finish(rows, columns, geo)


def calibration_terms_table(calibration: _core.StudyCalibration):
    """One row per technology and band and land-cover class of a calibration: the correction a receiver there gets, its
    standard error, the bins, and the held-out errors before and after (the class's row; ``class`` None: the band's)."""
    names = {c.code: c.name for c in calibration.land_cover.classes}
    columns = ["technology", "freq_mhz", "land_cover_code", "land_cover_name", "bins", "correction_db", "correction_se_db",
               "held_out_mean_before_db", "held_out_rms_before_db", "held_out_mean_after_db", "held_out_rms_after_db"]
    rows = []
    for t in calibration.fit.terms:
        tech = t.term.technology.name
        rows.append([tech, t.term.freq_mhz, None, None, t.bins, t.term.offset_db, t.offset_se_db, t.held_out_before.mean_db,
                     t.held_out_before.rms_db, t.held_out_after.mean_db, t.held_out_after.rms_db])
        for code, value in sorted(t.class_correction_db.items()):
            before, after = t.per_class.get(code, (None, None))
            rows.append([tech, t.term.freq_mhz, code, names.get(code, ""), t.class_bins.get(code, 0), value,
                         t.class_correction_se_db[code], before.mean_db if before else math.nan, before.rms_db if before else math.nan,
                         after.mean_db if after else math.nan, after.rms_db if after else math.nan])
    return pd.DataFrame(rows, columns=columns)
