"""libcoverage.distributed on a LocalCluster of 2 worker processes: results equal to the single-process run bit for
bit, a bad commune failing alone, a worker killed mid-run, the manifest and the command line."""

import json
import os
import re
import pathlib
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest
from osgeo import gdal

import libcoverage as lc
import libcoverage.distributed as dist
from libcoverage._folders import _folder_name
from synthetic_province import make_province

distributed = pytest.importorskip("distributed")  # Debian's python3-distributed is in build.sh's packages


@pytest.fixture(scope="module")
def cluster():
    c = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(c)
    yield client
    client.close()
    c.close()


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    return dist.read_manifest(str(make_province(tmp_path_factory.mktemp("province"), communes=3, bad=True)))


@pytest.fixture(scope="module")
def reference(province, tmp_path_factory):
    """The good communes computed in this process, whole grids, no Dask."""
    out = tmp_path_factory.mktemp("local")
    return {c.name: dist.run_commune_local(c, str(out / c.name.replace(" ", "_"))) for c in province.communes[:-1]}


RASTERS = [f"{k}_{g}.tif" for g in ("4g", "3g") for k in ("best_server", "signal_class")] + \
          ["signal_4g_rsrp_dbm.tif", "signal_3g_rscp_dbm.tif"]
TABLES = ["hamlets.csv", "hamlets.geojson", "priorities.csv", "plan.csv", "plan.geojson"]


def _same_outputs(result, expected):
    for name in RASTERS:
        a = gdal.Open(os.path.join(result.out_dir, name)).ReadAsArray()
        b = gdal.Open(os.path.join(expected.out_dir, name)).ReadAsArray()
        assert a.dtype == b.dtype and a.shape == b.shape, name
        assert np.array_equal(a, b, equal_nan=True), f"{result.name}: {name} differs"
    pd.testing.assert_frame_equal(result.hamlets, expected.hamlets, check_exact=True)
    pd.testing.assert_frame_equal(result.priorities, expected.priorities, check_exact=True)
    pd.testing.assert_frame_equal(result.plan, expected.plan, check_exact=True)
    for name in TABLES:
        assert pathlib.Path(result.out_dir, name).read_bytes() == pathlib.Path(expected.out_dir, name).read_bytes(), name


def _same_rasters(folder_a, folder_b):
    """Same pixels, grid, CRS, band descriptions and colour tables."""
    for name in RASTERS:
        a, b = gdal.Open(os.path.join(folder_a, name)), gdal.Open(os.path.join(folder_b, name))
        assert a is not None and b is not None, name
        assert a.GetGeoTransform() == b.GetGeoTransform() and a.GetProjection() == b.GetProjection(), name
        assert np.array_equal(a.ReadAsArray(), b.ReadAsArray(), equal_nan=True), f"{name}: pixels differ"
        ba, bb = a.GetRasterBand(1), b.GetRasterBand(1)
        assert ba.GetDescription() == bb.GetDescription(), name
        ca, cb = ba.GetColorTable(), bb.GetColorTable()
        assert (ca is None) == (cb is None), name
        if ca is not None:
            assert [ca.GetColorEntry(i) for i in range(ca.GetCount())] == [cb.GetColorEntry(i) for i in range(cb.GetCount())], name


def test_the_province_runner_and_covtool_study_give_one_answer_for_one_study_file(cluster, tmp_path):
    """The pilot manifest's commune (data/sang_moc/study.toml) run by the province runner on Dask, by the
    single-process reference and by run_study (what `covtool study` runs): the same grid, byte-identical tables,
    identical rasters."""
    repo = pathlib.Path(__file__).resolve().parents[2]
    manifest = dist.read_manifest(str(repo / "data" / "thai_nguyen_pilot.toml"))
    study = lc.read_study(manifest.communes[0].study_file)
    folder = tmp_path / "study"
    lc.run_study(study, str(folder), threads=2)
    province = dist.run_province(manifest, str(tmp_path / "province"), cluster)
    commune = province.communes[0]
    assert commune.ok, commune.error
    local = dist.run_commune_local(manifest.communes[0], str(tmp_path / "local"))
    for other in (commune.out_dir, local.out_dir):
        for name in TABLES:
            assert pathlib.Path(other, name).read_bytes() == (folder / name).read_bytes(), f"{other}: {name} differs from the study's"
        _same_rasters(str(folder), other)
        # the grid: the province's stored terrain is the study's DEM, cell for cell
        terrain = gdal.Open(os.path.join(other, "terrain_m.tif"))
        signal = gdal.Open(str(folder / "signal_4g_rsrp_dbm.tif"))
        assert terrain.GetGeoTransform() == signal.GetGeoTransform()
        assert (terrain.RasterXSize, terrain.RasterYSize) == (signal.RasterXSize, signal.RasterYSize)
        # and each run.json says how that grid was made, as the study's does (Sảng Mộc's DEM is on the grid: none)
        study_grid = json.loads((folder / "run.json").read_text())["grid"]
        grid = json.loads(pathlib.Path(other, "run.json").read_text())["grid"]
        assert grid["resampling"] == study_grid["resampling"] == "none (the DEM's own cells)"
        assert (grid["width"], grid["height"], grid["cell_m"]) == (study_grid["width"], study_grid["height"], study_grid["cell_m"])
    # and the answers people read are the study's
    plan = pd.read_csv(folder / "plan.csv")
    chosen = plan[plan["status"] == "chosen"]
    assert commune.plan.loc[commune.plan["status"] == "chosen", "cost_usd"].sum() == pytest.approx(chosen["cost_usd"].sum(), abs=0.5 * len(chosen))  # plan.csv: whole USD


def test_province_equals_the_single_process_run_and_a_bad_commune_fails_alone(province, reference, cluster, tmp_path):
    # Folders from an earlier province run: a good commune's is replaced whole (a file that run wrote and this one
    # does not goes), the failing commune's stays as it was.
    folders = [tmp_path / "out" / _folder_name(c.name) for c in province.communes]
    for folder in (folders[0], folders[-1]):
        folder.mkdir(parents=True)
        (folder / "from_an_earlier_run.txt").write_text("earlier")
        lc.write_run_manifest(str(folder), lc.RunKind.province_commune, ["from_an_earlier_run.txt"])
    result = dist.run_province(province, str(tmp_path / "out"), cluster)
    assert not (folders[0] / "from_an_earlier_run.txt").exists() and (folders[0] / "hamlets.csv").exists()
    assert (folders[-1] / "from_an_earlier_run.txt").read_text() == "earlier"
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")) == []  # no staging left
    assert [c.name for c in result.communes] == [c.name for c in province.communes]
    good, bad = result.communes[:-1], result.communes[-1]
    for c in good:
        assert c.ok, c.error
        _same_outputs(c, reference[c.name])
    # the communes are not trivial: several tiles and towers, hamlets served and unserved
    assert sum(c.hamlets["dead_zone"].sum() for c in good) >= 1 and any((~c.hamlets["dead_zone"]).any() for c in good)
    assert not bad.ok
    assert "sites.csv', row 2, column freq_mhz" in bad.error and bad.error.startswith("InvalidArgument")
    summary = pd.read_csv(tmp_path / "out" / "province_summary.csv")
    assert list(summary["status"]) == ["ok", "ok", "failed"]
    assert "freq_mhz" in summary.loc[2, "error"]
    assert result.workers == 2


def test_a_commune_folder_that_is_not_a_province_run_is_never_replaced(province, tmp_path):
    """A commune's folder holding the user's files, another tool's run.json, or a study's outputs is refused, named,
    and left as it was; a province -o that is a study's folder is refused before anything runs."""
    commune = province.communes[0]
    folder = tmp_path / "out" / _folder_name(commune.name)
    folder.mkdir(parents=True)
    (folder / "thesis.docx").write_text("the user's")
    with pytest.raises(lc.IoError, match="no run.json from an earlier libcoverage run"):
        dist.run_commune_local(commune, str(folder))
    (folder / "run.json").write_text('{"tool": "other", "outputs": []}')
    with pytest.raises(lc.IoError, match="run.json that libcoverage did not write"):
        dist.run_commune_local(commune, str(folder))
    assert (folder / "thesis.docx").read_text() == "the user's"
    assert sorted(p.name for p in folder.parent.iterdir()) == [folder.name]  # no staging left
    study_dir = tmp_path / "a_study"
    study_dir.mkdir()
    lc.write_run_manifest(str(study_dir), lc.RunKind.study, [])
    with pytest.raises(lc.IoError, match="holds a run.json"):
        dist.run_province(province, str(study_dir), client=object())  # refused before a cluster is used


def test_merge_is_associative_and_commutative():
    rng = np.random.default_rng(3)

    def piece(seed):
        r = np.random.default_rng(seed)
        signal = np.where(r.random((6, 7)) < 0.3, np.nan, r.integers(-110, -60, (6, 7)).astype(np.float32))  # ties happen
        best = np.where(np.isnan(signal), lc.no_server, r.integers(0, 9, (6, 7))).astype(np.uint16)
        klass = np.where(np.isnan(signal), lc.no_class, r.integers(0, 6, (6, 7))).astype(np.uint8)
        count = r.integers(0, 200, (6, 7)).astype(np.uint8)
        return {lc.Technology.lte.value: (signal, best, klass, count)}

    for _ in range(20):
        a, b, c = (piece(int(s)) for s in rng.integers(0, 10**6, 3))
        left = dist.merge_pieces(dist.merge_pieces(a, b), c)
        right = dist.merge_pieces(a, dist.merge_pieces(c, b))
        for x, y in zip(left[lc.Technology.lte.value], right[lc.Technology.lte.value]):
            assert np.array_equal(x, y, equal_nan=True)
        signal, best, _, count = left[lc.Technology.lte.value]
        stacked = np.stack([p[lc.Technology.lte.value][0] for p in (a, b, c)])
        assert np.array_equal(signal, np.fmax(np.fmax(stacked[0], stacked[1]), stacked[2]), equal_nan=True)
        assert (count == np.minimum(sum(p[lc.Technology.lte.value][3].astype(int) for p in (a, b, c)), 254)).all()


def test_a_worker_killed_mid_run_is_replaced_and_the_result_is_complete(tmp_path, cluster):
    # Exact mode makes each tower's task last long enough to be killed in the middle of it.
    manifest = dist.read_manifest(str(make_province(tmp_path / "in", communes=2, bad=False, mode="exact", radius_km=3.5)))
    expected = {c.name: dist.run_commune_local(c, str(tmp_path / "local" / c.name.replace(" ", "_"))) for c in manifest.communes}
    pids_before = cluster.run(os.getpid)
    box = {}
    runner = threading.Thread(target=lambda: box.setdefault("result", dist.run_province(manifest, str(tmp_path / "out"), cluster)))
    runner.start()
    victim = None
    deadline = time.time() + 60
    while victim is None and time.time() < deadline:
        busy = [w for w, tasks in cluster.processing().items() if any(str(t).startswith("site-") for t in tasks)]
        if busy:
            victim = busy[0]
        time.sleep(0.05)
    assert victim is not None, "no tower task ever ran"
    os.kill(pids_before[victim], signal.SIGKILL)
    runner.join(timeout=300)
    result = box["result"]
    for c in result.communes:
        assert c.ok, c.error
        _same_outputs(c, expected[c.name])
    cluster.wait_for_workers(2, timeout=60)
    assert pids_before[victim] not in cluster.run(os.getpid).values()  # the killed process was replaced


def test_tower_windows_are_bounded_by_the_radius_not_the_commune(province, tmp_path):
    prepared = dist.prepare(province.communes[0], str(tmp_path), province.tile_km)
    grid = prepared.grid
    radius_cells = 3000.0 / grid.cell_m + dist.WINDOW_MARGIN_CELLS
    for _, _, (r0, r1, c0, c1) in prepared.towers:
        assert r1 - r0 <= 2 * radius_cells + 2 and c1 - c0 <= 2 * radius_cells + 2
    assert grid.geo_transform[0] % grid.cell_m == 0 and grid.geo_transform[3] % grid.cell_m == 0  # aligned grid
    assert len(grid.tiles()) > 1


def test_an_analysis_run_again_after_its_swap_gives_the_same_folder(province, reference, tmp_path):
    # The tasks of one commune run in this process, then its analysis a second time, as the scheduler reruns a task
    # whose worker died after writing its folder but before reporting.
    commune = province.communes[0]
    out = str(tmp_path / "again")
    prepared = dist.prepare(commune, out, province.tile_km)
    sites = [dist.site(commune, prepared, k) for k in range(len(prepared.towers))]
    tiles = [dist.merge(*[dist.piece_of(s, tile) for s, t in zip(sites, prepared.towers)
                          if dist._overlaps(prepared.grid.tile_bounds(tile), t[2])])
             for tile in prepared.grid.tiles()]
    first = dist.analyse(commune, prepared, out, *tiles)
    _same_outputs(first, reference[commune.name])
    assert not os.path.exists(prepared.grid.terrain_path)  # swapped in with the rest
    again = dist.analyse(commune, prepared, out, *tiles)
    _same_outputs(again, reference[commune.name])
    assert (pathlib.Path(out) / "terrain_m.tif").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no staging left


def test_manifest_errors_name_the_file_and_key(tmp_path):
    good = tmp_path / "study.toml"
    good.write_text("", encoding="utf-8")
    cases = {
        '[province]\nname = "P"\nsize = 3\n[[commune]]\nname = "A"\nstudy = "study.toml"\n': "province.size",
        '[[commune]]\nname = "A"\nstudy = "missing.toml"\n': "missing.toml",
        '[[commune]]\nname = "A"\nstudy = "study.toml"\n[[commune]]\nname = "A"\nstudy = "study.toml"\n': "appears twice",
        '[[commune]]\nname = "A"\n': "commune.study",
        '[province]\ntile_km = -1\n[[commune]]\nname = "A"\nstudy = "study.toml"\n': "province.tile_km",
        '[province\n': "not valid TOML",
    }
    for i, (text, expected) in enumerate(cases.items()):
        path = tmp_path / f"m{i}.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(lc.InvalidArgument, match=expected) as info:
            dist.read_manifest(str(path))
        assert str(path) in str(info.value)


def test_a_study_without_radius_is_refused_by_name(province, tmp_path):
    study = pathlib.Path(province.communes[0].study_file)
    text = study.read_text(encoding="utf-8").replace("radius_km = 3.0\n", "")
    copy = study.parent / "study_no_radius.toml"
    copy.write_text(text, encoding="utf-8")
    assert "radius_km" not in text
    with pytest.raises(lc.InvalidArgument, match="study_no_radius.toml: coverage.radius_km is required"):
        dist.prepare(dist.Commune("A", str(copy)), str(tmp_path), 5.0)


def test_the_shipped_pilot_manifest(cluster, tmp_path):
    from conftest import DATA

    manifest = dist.read_manifest(str(DATA / "thai_nguyen_pilot.toml"))
    result = dist.run_province(manifest, str(tmp_path / "pilot"), cluster)
    (sang_moc,) = result.communes
    assert sang_moc.ok, sang_moc.error
    table = sang_moc.hamlets.set_index("name")
    # what the published situation says (data/sang_moc/NOTES.md), as the study's own tests check it
    assert not table.loc["Trung tâm xã (commune centre)", "dead_zone"] and not table.loc["Bản Chương", "dead_zone"]
    for name in ["Khuổi Mèo", "Nà Lay", "Khuổi Chạo", "Tân Lập", "Nà Ca", "Phú Cốc"]:
        assert table.loc[name, "dead_zone"], name
    assert set(sang_moc.priorities["name"]) == set(table.index[table["dead_zone"]])
    assert sang_moc.plan is not None and (sang_moc.plan["status"] == "chosen").any()


def test_command_line(province, tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    run = subprocess.run([sys.executable, "-m", "libcoverage.province", province.manifest_file, "-o", str(tmp_path / "cli"),
                          "--workers", "2", "--quiet"], capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 1, run.stderr  # one commune fails
    assert "2 of 3 communes done" in run.stdout
    assert "FAILED Commune C" in run.stderr and "freq_mhz" in run.stderr
    assert (tmp_path / "cli" / "province_summary.csv").is_file()
    # province.html: the communes and one table of every dead zone of the province, in the studies' language (en
    # here) with the Vietnamese copy beside it; offline; each row links to its commune's files.
    page = (tmp_path / "cli" / "province.html").read_text(encoding="utf-8")
    vi = (tmp_path / "cli" / "province.vi.html").read_text(encoding="utf-8")
    summary = pd.read_csv(tmp_path / "cli" / "province_summary.csv")
    dead = int(summary["dead_zones"].sum())
    assert dead > 0
    assert '<html lang="en">' in page and "Every dead-zone hamlet of the province" in page
    assert '<html lang="vi">' in vi and "Tất cả các thôn, bản vùng lõm sóng của tỉnh" in vi and 'href="province.html"' in vi
    table = page[page.index('id="dead-zones"'):page.index("</table>", page.index('id="dead-zones"'))]
    assert table.count("<tr>") == dead + 1  # the heading and one row per dead zone
    # ... each commune's report, as covtool study writes it, in the page's language (the studies are English: the
    # Vietnamese page links to each report's Vietnamese copy)
    assert '/report.html">' in table and "priorities.csv</a>" not in table and "step 1:" in table
    vi_table = vi[vi.index('id="dead-zones"'):vi.index("</table>", vi.index('id="dead-zones"'))]
    assert '/report.vi.html">' in vi_table
    folders = [f for f in (tmp_path / "cli").iterdir() if (f / "hamlets.csv").is_file()]
    assert len(folders) == 2  # the communes done
    for folder in folders:
        report = (folder / "report.html").read_text(encoding="utf-8")
        assert '<html lang="en">' in report and "Which dead zones to serve first" in report
        assert (folder / "report.vi.html").is_file() and (folder / "coverage_4g.png").stat().st_size > 10000
        assert (folder / "coverage_4g.pdf").read_bytes().startswith(b"%PDF-")
        listed = json.loads((folder / "run.json").read_text())["outputs"]
        assert "report.html" in listed and "coverage_4g.png" in listed
    assert "failed: " in page and "Commune C" in page
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "lỗi: " in vi and f"{dead} thôn, bản là vùng lõm sóng" in vi
    bad = subprocess.run([sys.executable, "-m", "libcoverage.province", str(tmp_path / "nope.toml"), "-o", str(tmp_path / "x")],
                         capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "nope.toml" in bad.stderr
