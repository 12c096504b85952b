"""Studies from Python: the result objects, their tables against the CSV files the study wrote, errors, Ctrl-C."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

import libcoverage as lc
from conftest import REPO, SANG_MOC


def test_study_result_matches_its_files(sang_moc_study):
    study, result = sang_moc_study
    assert study.name.startswith("Sảng Mộc")
    assert result.terrain_synthetic
    assert {"report.html", "run.json", "hamlets.csv", "priorities.csv", "plan.csv"} <= set(result.files)
    run = json.load(open(os.path.join(result.out_dir, "run.json"), encoding="utf-8"))
    assert run["grid"]["width"] * run["grid"]["height"] == result.grid_cells
    assert run["results"]["dead_zones"] == sum(h.dead_zone for h in result.hamlets) == len(result.priorities)
    assert [p.hamlet_id for p in result.priorities] == run["results"]["priority_order"]
    assert result.plan is not None and result.plan.cost_usd <= result.plan.budget_usd
    assert result.plan.households_new <= result.plan.upper_bound_households + 1e-9
    assert result.timings.total_s > 0 and result.peak_rss_mib > 0


def test_hamlets_table_equals_hamlets_csv(sang_moc_study):
    study, result = sang_moc_study
    table = lc.hamlets_table(result.hamlets, study.dead_zone)
    csv = pd.read_csv(os.path.join(result.out_dir, "hamlets.csv"), keep_default_na=False, na_values=[""])
    assert list(table.columns[: len(csv.columns)]) == list(csv.columns)
    assert len(table) == len(csv) == 11
    for column in csv.columns:
        if column == "dead_zone":
            assert list(table[column]) == [v == "yes" for v in csv[column]]
        elif pd.api.types.is_numeric_dtype(csv[column]):
            # the CSV rounds to 0.1 (signal, shares) or 1e-6 degrees
            np.testing.assert_allclose(table[column].astype(float), csv[column].astype(float), atol=0.051, equal_nan=True, err_msg=column)
        else:
            assert list(table[column].fillna("")) == list(csv[column].fillna("")), column


def test_priorities_table_equals_priorities_csv(sang_moc_study):
    _, result = sang_moc_study
    table = lc.priorities_table(result.priorities, result.hamlets)
    csv = pd.read_csv(os.path.join(result.out_dir, "priorities.csv"))
    assert list(table["hamlet_id"]) == list(csv["hamlet_id"]) and list(table["rank"]) == list(range(1, len(csv) + 1))
    for column in ["households_unserved", "mean_slope_deg", "points_households", "points_fibre", "points_tower", "points_terrain", "score"]:
        np.testing.assert_allclose(table[column], csv[column], atol=0.051, err_msg=column)
    np.testing.assert_allclose(table["tower_distance_m"], csv["tower_distance_m"], atol=0.51)
    assert list(table["reason"]) == list(csv["reason"])


def test_plan_table_equals_plan_csv(sang_moc_study):
    _, result = sang_moc_study
    table = lc.plan_table(result.plan)
    csv = pd.read_csv(os.path.join(result.out_dir, "plan.csv"))
    assert list(table["status"]) == list(csv["status"]) and list(table["target_id"]) == list(csv["target_id"])
    np.testing.assert_allclose(table["cost_usd"], csv["cost_usd"], atol=0.51)
    np.testing.assert_allclose(table["households_new"], csv["households_new"], atol=0.051)
    chosen = table[table["status"] == "chosen"]
    assert list(chosen["step"]) == list(range(1, len(chosen) + 1))
    assert chosen["cost_cumulative_usd"].iloc[-1] == pytest.approx(result.plan.cost_usd)


def test_tables_are_geodataframes_in_wgs84(sang_moc_study):
    geopandas = pytest.importorskip("geopandas")  # Debian's python3-geopandas is in build.sh's packages
    _, result = sang_moc_study
    table = lc.hamlets_table(result.hamlets)
    assert isinstance(table, geopandas.GeoDataFrame) and table.crs.to_epsg() == 4326
    np.testing.assert_allclose(table.geometry.x, table["lon_deg"])
    np.testing.assert_allclose(table.geometry.y, table["lat_deg"])
    plain = lc.hamlets_table(result.hamlets, geo=False)
    assert type(plain) is pd.DataFrame and "geometry" not in plain.columns
    lines = lc.plan_lines(result.plan)
    assert set(lines["kind"]) <= {"fibre", "microwave"} and len(lines) >= 1
    assert (lines.geometry.geom_type == "LineString").all()


def test_bad_study_key_is_named(tmp_path):
    text = (SANG_MOC / "study.toml").read_text(encoding="utf-8").replace("[coverage]", "[coverage]\nradius_kms = 3", 1)
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")  # the unknown key is reported before any input path is looked at
    with pytest.raises(lc.InvalidArgument, match="coverage.radius_kms"):
        lc.read_study(str(bad))
    with pytest.raises(lc.IoError, match="nope.toml"):
        lc.read_study(str(tmp_path / "nope.toml"))


_INTERRUPTED = """
import libcoverage as lc, sys
study = lc.read_study(sys.argv[1])
study.mode = lc.CoverageMode.exact  # several seconds: time for the signal to arrive
print("started", flush=True)
lc.run_study(study, sys.argv[2])
"""


def test_ctrl_c_during_a_study_keeps_the_previous_result(sang_moc_study, tmp_path):
    _, result = sang_moc_study
    out = tmp_path / "study"
    first = lc.run_study(lc.read_study(str(SANG_MOC / "study.toml")), str(out))
    before = (out / "run.json").read_bytes()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen([sys.executable, "-c", _INTERRUPTED, str(SANG_MOC / "study.toml"), str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout.readline().strip() == "started"
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode != 0 and "KeyboardInterrupt" in err
    assert (out / "run.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study"]  # nothing left beside it
    # the previous result as it was (GDAL's .aux.xml category tables beside its rasters included)
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith(".tif.aux.xml")) == sorted(first.files)


def _study_with(tmp_path, name, edit):
    """The shipped study with its files named absolutely, edited by `edit(text)`, written to tmp_path/name."""
    text = (SANG_MOC / "study.toml").read_text(encoding="utf-8")
    for f in ("terrain_synthetic_30m.tif", "land_cover_synthetic_10m.tif", "sites.csv", "hamlets.geojson", "fibre.geojson",
              "candidates.csv", "roads.geojson", "streams.geojson"):
        text = text.replace(f'"{f}"', json.dumps(str(SANG_MOC / f)))
    path = tmp_path / name
    path.write_text(edit(text), encoding="utf-8")
    return str(path)


def _plain(text):
    """The shipped study's text in the plain setting: ITM (mode 12), no clutter, the median, outdoors, no setting table."""
    keep = [line for line in text.splitlines()
            if not re.match(r"(clutter|location_pct = 90|land_cover|setting_steps) =", line) and not line.startswith("location_pct = 90")]
    return ("\n".join(keep) + "\n").replace('model = "p1812"', 'model = "itm"').replace("mdvar = 3 ", "mdvar = 12 ")


@pytest.fixture(scope="module")
def sang_moc_plain(tmp_path_factory):
    """The shipped study in the plain setting, run once: (Study, StudyResult)."""
    tmp = tmp_path_factory.mktemp("plain")
    study = lc.read_study(_study_with(tmp, "plain.toml", _plain))
    assert study.model.model == "itm" and study.clutter == "none" and study.model.location_pct is None
    return study, lc.run_study(study, str(tmp / "out"), threads=2)


def test_the_setting_table_starts_from_the_plain_setting(sang_moc_study, sang_moc_plain):
    # The report's first row is what an independent run of the plain study finds; its last is the study's own answer.
    _, defended = sang_moc_study
    _, plain = sang_moc_plain
    steps = defended.setting_steps
    assert [s.label for s in steps][:3] == ["ITM, no clutter, median, outdoors", "+ trees and houses at the receiver (ITU-R P.2108)",
                                           "+ 90 % of locations (ITM's location variability)"]
    first, last = steps[0], steps[-1]
    assert first.households_served == pytest.approx(sum(_lte(h).households_served for h in plain.hamlets), abs=1e-9)
    assert first.dead_zones == sum(h.dead_zone for h in plain.hamlets)
    assert first.ranking == [p.name for p in plain.priorities]
    assert last.households_served == pytest.approx(sum(_lte(h).households_served for h in defended.hamlets), abs=1e-9)
    assert last.ranking == [p.name for p in defended.priorities]
    assert "P.1812" in last.model_description and first.model_description.startswith("itm")


def test_receiver_clutter_from_land_cover_in_a_study(sang_moc_plain, tmp_path):
    path = _study_with(tmp_path, "clutter.toml", lambda t: _plain(t).replace(
        "[inputs]", f'land_cover = {json.dumps(str(SANG_MOC / "land_cover_synthetic_10m.tif"))}\n\n[terrain.land_cover_classes]\n'
                    '"40" = {{ name = "paddy with bunds", clutter = "open_rural", clutter_height_m = 0 }}\n'
                    '"50" = {{ name = "stilt houses", clutter = "suburban", clutter_height_m = 8 }}\n\n[inputs]'.format(), 1)
        .replace("[coverage]", '[coverage]\nclutter = "p2108"', 1))
    study = lc.read_study(path)
    assert study.clutter == "p2108"
    houses = study.land_cover_classes.find(50)
    assert houses.name == "stilt houses" and houses.clutter_height_m == 8.0 and houses.clutter == lc.P2108Clutter.suburban
    assert study.land_cover_classes.find(10).clutter_height_m == 15.0  # the default table's row, not overridden
    result = lc.run_study(study, str(tmp_path / "out"), threads=2)
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["study"]["coverage"]["clutter"] == "p2108"
    assert run["study"]["terrain"]["land_cover_classes"]["50"]["name"] == "stilt houses"
    # Clutter only adds loss: no hamlet is better served than without it, and under the forest some are worse.
    _, plain = sang_moc_plain
    def served(r):
        return {(h.hamlet.hamlet_id, t.technology): t.area_served_share for h in r.hamlets for t in h.technologies}
    before, after = served(plain), served(result)
    assert before.keys() == after.keys()
    assert all(after[k] <= before[k] + 1e-9 for k in before)
    assert sum(before.values()) > sum(after.values())


def test_clutter_without_land_cover_is_refused_naming_the_key(tmp_path):
    path = _study_with(tmp_path, "bad.toml", lambda t: "\n".join(l for l in t.splitlines() if not l.startswith("land_cover =")))
    with pytest.raises(lc.InvalidArgument, match=r"coverage\.clutter.*needs terrain\.land_cover"):
        lc.read_study(path)
    path = _study_with(tmp_path, "path_itm.toml", lambda t: t.replace('model = "p1812"', 'model = "itm"'))
    with pytest.raises(lc.InvalidArgument, match=r"coverage\.clutter.*\"path\".*is ITU-R P\.1812's.*use \"p2108\""):
        lc.read_study(path)
    path = _study_with(tmp_path, "bad2.toml", lambda t: t.replace(
        "[inputs]", '[terrain.land_cover_classes]\n"10" = { name = "forest", clutter = "jungle", clutter_height_m = 20 }\n\n[inputs]', 1))
    with pytest.raises(lc.InvalidArgument, match=r"terrain\.land_cover_classes\.10\.clutter.*'jungle' is not a P\.2108 clutter type"):
        lc.read_study(path)


def _lte(report):
    return next(t for t in report.technologies if t.technology == lc.Technology.lte)


def test_share_of_locations_in_a_study(sang_moc_plain, tmp_path):
    # ITM's mode 12 removes its location variability: asking for 90 % of locations with it is refused, naming the keys.
    path = _study_with(tmp_path, "mode12.toml", lambda t: _plain(t).replace("[coverage]", "[coverage]\nlocation_pct = 90", 1))
    with pytest.raises(lc.InvalidArgument, match=r"coverage\.location_pct.*mdvar 12 removes it.*use mdvar = 3"):
        lc.read_study(path)
    # A second share given to ITM that contradicts the first is refused too.
    path = _study_with(tmp_path, "twice.toml", lambda t: _plain(t).replace("[coverage]", "[coverage]\nlocation_pct = 90", 1)
                       .replace("mdvar = 12", "mdvar = 3").replace("location_pct = 50", "location_pct = 80"))
    with pytest.raises(lc.InvalidArgument, match=r"location_pct 90 % contradicts itm\.location_pct = 80 %"):
        lc.read_study(path)
    path = _study_with(tmp_path, "p90.toml", lambda t: _plain(t).replace("[coverage]", "[coverage]\nlocation_pct = 90", 1)
                       .replace("mdvar = 12", "mdvar = 3"))
    study = lc.read_study(path)
    assert study.model.location_pct == 90.0
    result = lc.run_study(study, str(tmp_path / "out"), threads=2)
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["study"]["coverage"]["location_pct"] == 90
    # Planning for 90 % of locations asks more of the signal: no hamlet gains, the commune loses served households (few
    # here: the synthetic karst serves its hamlets strongly or not at all).
    _, plain = sang_moc_plain
    def served(r):
        return {h.hamlet.hamlet_id: _lte(h).households_served for h in r.hamlets}
    before, after = served(plain), served(result)
    assert all(after[k] <= before[k] + 1e-9 for k in before)
    assert sum(before.values()) - sum(after.values()) > 0.05
    assert len(result.priorities) >= len(plain.priorities)


def test_indoor_households_by_building_entry_loss(sang_moc_plain, tmp_path):
    path = _study_with(tmp_path, "indoor.toml", lambda t: _plain(t).replace(
        "[dead_zone]", '[dead_zone]\nindoor = true\nbuilding_type = "traditional"\nbuilding_entry_pct = 50', 1))
    study = lc.read_study(path)
    assert study.indoor.enabled and study.indoor.building_type == lc.BuildingType.traditional
    result = lc.run_study(study, str(tmp_path / "out"), threads=2)
    # The loss is P.2109's at the highest LTE band of the sites (the one that enters houses worst).
    sites = pd.read_csv(SANG_MOC / "sites.csv")
    lte_mhz = sites[sites["technology"].str.lower() == "lte"]["freq_mhz"].max()
    inputs = lc.read_study_inputs(study)
    rule = lc.study_dead_zone_rule(study, inputs.sectors)
    assert result.rule.indoor_loss_db == rule.indoor_loss_db
    assert rule.indoor_loss_db == pytest.approx(lc.p2109_building_entry_loss_db(float(lte_mhz), 50.0, lc.BuildingType.traditional), abs=1e-12)
    assert 10.0 < rule.indoor_loss_db < 25.0
    table = pd.read_csv(tmp_path / "out" / "hamlets.csv")
    assert "lte_households_at_least_fair_indoor" in table.columns and "lte_households_at_least_fair" not in table.columns
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["study"]["dead_zone"]["indoor"] is True and run["study"]["dead_zone"]["building_type"] == "traditional"
    # Indoors no household is better served, some are worse, and at least as many hamlets are dead zones.
    _, plain = sang_moc_plain
    before = {h.hamlet.hamlet_id: _lte(h).households_served for h in plain.hamlets}
    after = {h.hamlet.hamlet_id: _lte(h).households_served for h in result.hamlets}
    assert all(after[k] <= before[k] + 1e-9 for k in before)
    assert sum(before.values()) - sum(after.values()) > 0.05
    assert sum(h.dead_zone for h in result.hamlets) >= sum(h.dead_zone for h in plain.hamlets)
    # A table of hamlets made in Python names the columns as the file does.
    assert list(lc.hamlets_table(result.hamlets, rule, geo=False).columns) == list(table.columns)
    bad = _study_with(tmp_path, "bad.toml", lambda t: t.replace("[dead_zone]", '[dead_zone]\nindoor = true\nbuilding_type = "glass"', 1))
    with pytest.raises(lc.InvalidArgument, match=r"dead_zone\.building_type"):
        lc.read_study(bad)


def test_calibration_in_python(tmp_path):
    """calibrate_study on the shipped synthetic drive test: the bins as a DataFrame equal bins.csv, the recovered class
    corrections match the drive test's truth within 2.5 standard errors, random folds overstate the gain of spatial blocks,
    and a study with the calibration moves the LTE signal by the fitted correction where the class is uniform."""
    study = lc.read_study(os.path.join(SANG_MOC, "study.toml"))
    options = lc.StudyCalibrationOptions()
    options.threads = 2
    cal = lc.calibrate_study(study, os.path.join(SANG_MOC, "drive_test_synthetic.csv"), options)
    assert cal.measurements.rows == 5442
    assert cal.measurements.refused["no position fix"] == 12
    bins = lc.calibration_bins_table(cal, geo=False)
    assert len(bins) == len(cal.binned.bins)
    files = lc.write_calibration_outputs(str(tmp_path), cal, study)
    assert "calibration.toml" in files
    written = pd.read_csv(tmp_path / "bins.csv")
    assert len(written) == len(bins)
    np.testing.assert_allclose(written["residual_db"].to_numpy(), bins["residual_db"].to_numpy(), atol=0.006, equal_nan=True)
    np.testing.assert_allclose(written["held_out_correction_db"].to_numpy(), bins["held_out_correction_db"].to_numpy(), atol=0.006,
                               equal_nan=True)

    truth = json.load(open(os.path.join(SANG_MOC, "drive_test_truth.json"), encoding="utf-8"))
    terms = lc.calibration_terms_table(cal)
    classes = terms[terms["land_cover_code"].notna()]
    assert len(classes) >= 4
    for _, row in classes.iterrows():
        true_db = truth["true_correction_db_by_class"][str(int(row["land_cover_code"]))]
        assert abs(row["correction_db"] - true_db) <= 2.5 * row["correction_se_db"], row.to_dict()
    band = terms[terms["land_cover_code"].isna()].iloc[0]
    assert band["held_out_rms_after_db"] < band["held_out_rms_before_db"] - 0.5

    random_folds = lc.StudyCalibrationOptions()
    random_folds.threads = 2
    random_folds.fit.folds_kind = lc.FitOptions.Folds.random
    random = lc.calibrate_study(study, os.path.join(SANG_MOC, "drive_test_synthetic.csv"), random_folds)
    gain_blocks = cal.fit.terms[0].held_out_before.rms_db - cal.fit.terms[0].held_out_after.rms_db
    gain_random = random.fit.terms[0].held_out_before.rms_db - random.fit.terms[0].held_out_after.rms_db
    assert gain_random > gain_blocks

    # The correction in a study: sector_signal_at with and without it differs by the term at that distance and class.
    correction = lc.read_calibration_file(str(tmp_path / "calibration.toml"))
    assert correction.terms[0].offset_db == pytest.approx(cal.fit.terms[0].term.offset_db, abs=1e-12)
    calibrated = lc.read_study(os.path.join(SANG_MOC, "study.toml"))
    calibrated.calibration_file = str(tmp_path / "calibration.toml")
    inputs = lc.read_study_inputs(study)
    dem = lc.read_study_terrain(study, inputs)
    plain = lc.CoverageEngine(dem, inputs.sectors, lc.study_coverage_options(study, dem, 2))
    options_calibrated = lc.study_coverage_options(calibrated, dem, 2)
    assert options_calibrated.correction is not None
    corrected = lc.CoverageEngine(dem, inputs.sectors, options_calibrated)
    lte = next(i for i, s in enumerate(inputs.sectors) if s.technology == lc.Technology.lte)
    site = dem.to_grid(inputs.sectors[lte].location)
    x = site.x_m + np.arange(300.0, 3000.0, 300.0)
    y = np.full_like(x, site.y_m)
    diff = corrected.sector_signal_at(lte, x, y) - plain.sector_signal_at(lte, x, y)
    codes = np.array(options_calibrated.correction.classes.class_index.values)
    table = options_calibrated.correction.classes.table.classes
    term = options_calibrated.correction.term_for(inputs.sectors[lte].technology, inputs.sectors[lte].freq_mhz)
    for k in range(len(x)):
        cell = dem.cell_at(lc.GridPoint(x_m=float(x[k]), y_m=float(y[k])))
        if not np.isfinite(diff[k]):
            continue
        assert term.slope_db_per_decade == 0.0  # no slope fitted: the global offset plus the class's offset
        expected = term.offset_db + term.class_offset_db.get(table[codes[cell.row, cell.col]].code, 0.0)
        assert diff[k] == pytest.approx(expected, abs=2e-3)


def test_the_shipped_drive_test_is_what_its_seeded_generator_makes(tmp_path):
    """data/sang_moc/drive_test_synthetic.csv and its truth are regenerated byte for byte by generate_drive_test.py."""
    r = subprocess.run([sys.executable, str(SANG_MOC / "generate_drive_test.py"), "--out-dir", str(tmp_path)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    for name in ("drive_test_synthetic.csv", "drive_test_truth.json"):
        assert (tmp_path / name).read_bytes() == (SANG_MOC / name).read_bytes(), name
