"""Hostile inputs through covtool (issue 15): each test reproduces a defect an adversarial run found, and checks
the clear error (exit 1, naming the file, row or feature and field) or the documented rule that replaced it.
COVTOOL: the covtool binary."""
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

COVTOOL = os.environ["COVTOOL"]
REPO = pathlib.Path(__file__).resolve().parents[2]
SANG_MOC = REPO / "data" / "sang_moc"


def covtool(*args, timeout=300, cwd=None):
    return subprocess.run([COVTOOL, *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=cwd)


@pytest.fixture
def study(tmp_path):
    """A copy of the Sảng Mộc study to edit; returns (folder, study.toml path)."""
    folder = tmp_path / "sang_moc"
    shutil.copytree(SANG_MOC, folder)
    return folder, folder / "study.toml"


def set_key(path, key, value):
    """Replace `key = ...` (first occurrence) in a TOML file by `key = value`."""
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(rf"(?m)^{re.escape(key)}\s*=.*$", lambda _: f"{key} = {value}", text, count=1)
    assert n == 1, key
    path.write_text(new, encoding="utf-8")


# --- item 5: a model that cannot serve the sectors' bands is an error before computing -------------------------
@pytest.mark.parametrize("model,sector,band,rng", [
    ("hata", "SM-CENTRE/UMTS2100/0", "2100 MHz", "outside 150-1500 MHz"),
    ("cost231", "SM-CENTRE", "2100 MHz", "outside 1500-2000 MHz"),
])
def test_a_study_whose_model_cannot_serve_a_band_fails_naming_the_sector(study, tmp_path, model, sector, band, rng):
    # Before: exit 0, every hamlet a dead zone, only `cells_outside_model: 682773` in run.json.
    folder, toml = study
    set_key(toml, "model", f'"{model}"')
    set_key(toml, "mdvar", "12")  # untouched ITM keys are allowed to stay
    set_key(toml, "clutter", '"p2108"')  # the shipped study's clutter along the path is P.1812's
    out = tmp_path / "out"
    r = covtool("study", toml, "-o", out)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"sector '{sector}" in r.stderr and band in r.stderr and rng in r.stderr, r.stderr
    assert not out.exists()


# --- item 6: household counts that overflow -------------------------------------------------------------------
@pytest.mark.parametrize("value", ["2147483648", "1e20"])
def test_household_counts_beyond_any_settlement_are_refused(study, tmp_path, value):
    # Before: "-2147483648 hh" and negative scores; 1e20 passed the check.
    folder, toml = study
    hamlets = folder / "hamlets.geojson"
    text = hamlets.read_text(encoding="utf-8")
    new, n = re.subn(r'"households":\s*\d+', f'"households": {value}', text, count=1)
    assert n == 1
    hamlets.write_text(new, encoding="utf-8")
    r = covtool("study", toml, "-o", tmp_path / "out")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "hamlets.geojson', feature 1" in r.stderr and "field households: must be a whole number from 0 to 10000000" in r.stderr, r.stderr


# --- item 9: delta-Bullington next to a mast ------------------------------------------------------------------
def test_delta_bullington_maps_the_cells_next_to_a_mast(tmp_path):
    # Before: "delta-Bullington needs a profile of at least 3 points (got 2)" failed the whole map.
    out = tmp_path / "map"
    r = covtool("map", "--dem", REPO / "data" / "dem" / "N44W072.hgt", "--sites", REPO / "tests" / "cli" / "data" / "sites_n44.csv",
                "--radius-km", "2", "--cell-m", "30", "--mode", "exact", "--model", "bullington", "-o", out)
    assert r.returncode == 0, r.stderr
    from osgeo import gdal
    import numpy as np
    loss = gdal.Open(str(out / "path_loss_db.tif")).ReadAsArray()
    assert np.isfinite(loss).sum() > 2 * 10000  # two sectors of ~13,900 cells within 2 km


# --- items 10 and 11: sizes bounded before allocating, inputs that would hang refused ---------------------------
N44 = REPO / "data" / "dem" / "N44W072.hgt"


def test_a_microscopic_profile_step_is_an_error_not_an_abort():
    # Before: "internal error: std::bad_alloc" (exit 3).
    r = covtool("link", "--from", "44.27,-71.30", "--to", "44.35,-71.10", "--dem", N44, "--step-m", "1e-6")
    assert r.returncode == 1, r.stderr
    assert "is more than the limit of 10000000 points; use a larger step" in r.stderr, r.stderr


@pytest.mark.parametrize("path,why", [("/dev/zero", "is not a regular file (a character device)"),
                                      ("/tmp", "is a folder, not a file")])
def test_a_profile_that_is_not_a_file_is_refused_at_once(path, why):
    # Before: /dev/zero read 4.2 GB; a folder gave "profile CSV 'in/' is empty".
    r = covtool("link", "--profile", path, "--freq-mhz", "900", timeout=20)
    assert r.returncode == 1 and why in r.stderr, r.stderr


def test_an_antenna_pattern_that_is_a_fifo_is_refused_at_once(tmp_path):
    # Before: covtool waited forever on the FIFO, deaf to Ctrl-C.
    fifo = tmp_path / "pattern.msi"
    os.mkfifo(fifo)
    sites = tmp_path / "sites.csv"
    text = (REPO / "tests" / "cli" / "data" / "sites_n44.csv").read_text().replace(",omni,", ",pattern.msi,", 1)
    sites.write_text(text)
    r = covtool("map", "--dem", N44, "--sites", sites, "--radius-km", "2", "--cell-m", "90", "-o", tmp_path / "map", timeout=30)
    assert r.returncode == 1 and "antenna pattern" in r.stderr and "is not a regular file (a FIFO)" in r.stderr, r.stderr


@pytest.mark.parametrize("command", ["calibrate", "hamlets"])
def test_a_vector_layer_that_is_a_fifo_is_refused_at_once(tmp_path, command):
    # Before: a drive test (or sites file) that was a FIFO blocked covtool forever while it looked for NUL bytes.
    fifo = tmp_path / "layer.csv"
    os.mkfifo(fifo)
    if command == "calibrate":
        r = covtool("calibrate", SANG_MOC / "study.toml", "--measurements", fifo, "-o", tmp_path / "cal", timeout=30)
        what = "measurements file"
    else:
        r = covtool("hamlets", "--dem", SANG_MOC / "terrain_synthetic_30m.tif", "--sites", fifo, "--hamlets", SANG_MOC / "hamlets.geojson",
                    "-o", tmp_path / "h", timeout=30)
        what = "sites file"
    assert r.returncode == 1 and what in r.stderr and "is not a regular file" in r.stderr, r.stderr
    assert not (tmp_path / "cal" / "calibration.toml").exists()


def test_a_drive_test_with_hostile_rows_is_counted_not_trusted(tmp_path):
    # Rows a phone app really writes when things go wrong: no fix, a level of 0 (no measurement), a level of +20 dBm, a
    # cell of another network, a repeated second. Each is counted by its reason; the kept samples are the good ones.
    rows = ["time,lat_deg,lon_deg,rsrp_dbm,sector_id"]
    for i in range(400):
        lat, lon = 21.9170 - i * 1.2e-6, 105.9750 + i * 7.7e-5
        rows.append(f"2026-11-20T08:{i // 60:02d}:{i % 60:02d}Z,{lat:.6f},{lon:.6f},{-80 - i // 40},BAN-CHUONG/LTE1800/0")
    rows.append("2026-11-20T09:00:00Z,,,-80,BAN-CHUONG/LTE1800/0")
    rows.append("2026-11-20T09:00:01Z,21.917,105.98,0,BAN-CHUONG/LTE1800/0")
    rows.append("2026-11-20T09:00:02Z,21.917,105.98,20,BAN-CHUONG/LTE1800/0")
    rows.append("2026-11-20T09:00:03Z,21.917,105.98,-80,OTHER-NETWORK/7")
    rows.append("2026-11-20T08:00:00Z,21.917,105.98,-81,BAN-CHUONG/LTE1800/0")
    drive = tmp_path / "drive.csv"
    drive.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = covtool("calibrate", SANG_MOC / "study.toml", "--measurements", drive, "-o", tmp_path / "cal", timeout=120)
    assert r.returncode == 0, r.stderr
    assert "405 rows" in r.stdout and "400 samples kept" in r.stdout, r.stdout
    for reason in ["1 row, no position fix", "2 rows, level outside -150..-20 dBm", "1 row, serving sector not in the sites file",
                   "1 row, duplicate timestamp"]:
        assert reason in r.stdout, (reason, r.stdout)


def test_a_grid_of_1_m_cells_over_a_commune_is_refused_before_allocating(study, tmp_path):
    # Before: terrain.cell_m = 1 reached 7.2 GB before being killed.
    folder, toml = study
    text = toml.read_text(encoding="utf-8").replace('voids = "error"', 'voids = "error"\ncell_m = 1', 1)
    toml.write_text(text, encoding="utf-8")
    r = covtool("study", toml, "-o", tmp_path / "out", timeout=60)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "the working grid would be" in r.stderr and "more than the limit of 1e+08 cells" in r.stderr, r.stderr


def test_a_tiny_vrt_declaring_a_huge_raster_is_refused(tmp_path):
    # Before: a 300-byte VRT declaring 200000² pixels hung while its voids were scanned.
    vrt = tmp_path / "huge.vrt"
    vrt.write_text('<VRTDataset rasterXSize="200000" rasterYSize="200000"><SRS>EPSG:32619</SRS>'
                   '<GeoTransform>300000, 30, 0, 4950000, 0, -30</GeoTransform>'
                   '<VRTRasterBand dataType="Float32" band="1"><NoDataValue>-9999</NoDataValue></VRTRasterBand></VRTDataset>')
    r = covtool("link", "--from", "44.27,-71.30", "--to", "44.35,-71.10", "--dem", vrt, timeout=20)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "huge.vrt' declares 200000 × 200000 = 4e+10 cells, more than the 1e+09 cells a DEM source may have" in r.stderr, r.stderr


# --- item 8: silent acceptances --------------------------------------------------------------------------------
@pytest.mark.parametrize("args,why", [
    (["--tx-power-dbm", "nan"], "--tx-power-dbm: 'nan' is not a decimal number"),        # was exit 0, RSRP nan
    (["--freq-mhz", "0x708"], "--freq-mhz: '0x708' is not a decimal number"),              # hex read as 1800
    (["--rx-height-m", "inf"], "--rx-height-m: 'inf' is not a decimal number"),
])
def test_command_line_numbers_are_decimal(args, why):
    r = covtool("link", "--from", "44.27,-71.30", "--to", "44.35,-71.10", "--dem", N44, *args)
    assert r.returncode != 0 and why in r.stderr, r.stderr


@pytest.mark.parametrize("rows,why", [
    ("0,100\n500,1e300\n1000,100\n", "row 3, field elevation_m: 1e+300 m is not a ground elevation"),  # was -nan, exit 0
    ("0,0x64\n500,100\n1000,100\n", "row 2, field elevation_m is not a number: '0x64'"),                # hex read as 100
    ("0,100\n500,100,7\n1000,100\n", "row 3"),                                                          # an extra field
])
def test_profile_values_that_were_accepted(tmp_path, rows, why):
    path = tmp_path / "p.csv"
    path.write_text("distance_m,elevation_m\n" + rows)
    r = covtool("link", "--profile", path, "--freq-mhz", "900")
    assert r.returncode == 1 and why in r.stderr, r.stderr


def test_bbox_in_hex_is_refused():
    r = covtool("fetch-dem", "--bbox", "0x15,105,22,106", "-o", "/tmp/never.tif")
    assert r.returncode == 1 and "--bbox: expected S,W,N,E in decimal degrees (got '0x15,105,22,106')" in r.stderr, r.stderr


@pytest.mark.parametrize("column,value,why", [
    ("ground_elev_m", "-20000", "column ground_elev_m: must be a ground elevation from -1000 to 9000 m"),
    ("bandwidth_mhz", "7", "column bandwidth_mhz: bandwidth_mhz = 7 is not a UMTS carrier (5 MHz)"),
    ("height_agl_m", "0x1E", "height_agl_m: not a number: '0x1E'"),
])
def test_site_values_that_were_accepted(tmp_path, column, value, why):
    src = (REPO / "tests" / "cli" / "data" / "sites_n44.csv").read_text().splitlines()
    header = src[0].split(",")
    if column not in header:
        header.append(column)
        src = [",".join(header)] + [line + "," for line in src[1:]]
    rows = [line.split(",") for line in src[1:]]
    rows[1][header.index(column)] = value  # the UMTS row
    sites = tmp_path / "sites.csv"
    sites.write_text("\n".join([",".join(header)] + [",".join(r) for r in rows]) + "\n")
    r = covtool("map", "--dem", N44, "--sites", sites, "--radius-km", "2", "--cell-m", "90", "-o", tmp_path / "map")
    assert r.returncode == 1 and why in r.stderr, r.stderr


@pytest.mark.parametrize("count", [11, 1], ids=["all-booleans", "one-boolean-among-numbers"])
def test_a_json_boolean_is_not_a_number(study, tmp_path, count):
    # A column of JSON booleans was read as 1 and 0. Where a column mixes numbers and booleans, OGR types it as
    # integers: the boolean is then found in the feature's own JSON.
    folder, toml = study
    hamlets = folder / "hamlets.geojson"
    text = hamlets.read_text(encoding="utf-8")
    new, n = re.subn(r'"households":\s*\d+', '"households": true', text, count=count)
    assert n == count
    hamlets.write_text(new, encoding="utf-8")
    r = covtool("study", toml, "-o", tmp_path / "out")
    assert r.returncode == 1 and "feature 1 (" in r.stderr and "field households: not a number: 'true'" in r.stderr, r.stderr


# --- item 13: clear words --------------------------------------------------------------------------------------
@pytest.mark.parametrize("content,why", [(b"", "the file is empty"),
                                         (bytes(range(256)) * 20, "no raster format GDAL knows recognises its contents")],
                         ids=["empty", "garbage"])
def test_an_empty_or_garbage_dem_is_named_for_what_it_is(tmp_path, content, why):
    # Before: "unknown GDAL error".
    dem = tmp_path / "dem.tif"
    dem.write_bytes(content)
    r = covtool("link", "--from", "44.27,-71.30", "--to", "44.35,-71.10", "--dem", dem)
    assert r.returncode == 1 and f"cannot open DEM '{dem}' as a raster: {why}" in r.stderr, r.stderr


def test_a_tiny_radius_maps_the_sites_cells_instead_of_calling_them_off_the_dem(tmp_path):
    # Before: "sector ... off the DEM" for --radius-km 0.001.
    r = covtool("map", "--dem", N44, "--sites", REPO / "tests" / "cli" / "data" / "sites_n44.csv", "--radius-km", "0.001",
                "--cell-m", "90", "-o", tmp_path / "map")
    assert r.returncode == 0, r.stderr


def test_names_from_inputs_cannot_drive_the_terminal_or_break_the_report(study, tmp_path):
    # Before: escape codes in study.name were printed raw; invalid UTF-8 from inputs reached report.html.
    folder, toml = study
    set_key(toml, "name", '"Sảng Mộc \\u001b[2J\\u001b[31mRED"')
    set_key(toml, "name_vi", '"Sảng Mộc \\u001b[2J\\u001b[31mRED"')  # the title the Vietnamese summary and report use
    hamlets = folder / "hamlets.geojson"
    data = hamlets.read_bytes()
    i = data.index(b'"name"')
    j = data.index(b'"', data.index(b':', i) + 1) + 1   # first byte of the first hamlet's name
    hamlets.write_bytes(data[:j] + b"\xff\xfe" + data[j:])
    out = tmp_path / "out"
    r = subprocess.run([COVTOOL, "study", str(toml), "-o", str(out)], capture_output=True, timeout=300)
    if r.returncode == 0:
        assert b"\x1b" not in r.stdout and b"covtool study: S\xe1\xba\xa3ng M\xe1\xbb\x99c ?[2J?[31mRED" in r.stdout
        (out / "report.html").read_bytes().decode("utf-8")  # valid UTF-8 throughout (raises otherwise)
        assert b"\x1b" not in (out / "report.html").read_bytes()
    else:  # GDAL may refuse the invalid bytes itself: then it must say where
        assert b"hamlets.geojson" in r.stderr, r.stderr


def test_a_huge_unknown_study_key_is_not_echoed_whole(study, tmp_path):
    folder, toml = study
    key = "k" * 1_000_000
    toml.write_text(toml.read_text(encoding="utf-8").replace("[study]\n", f"[study]\n{key} = 1\n", 1), encoding="utf-8")
    r = covtool("study", toml, "-o", tmp_path / "out")
    assert r.returncode == 1 and "unknown key" in r.stderr, r.stderr
    assert len(r.stderr) < 2000 and "... (" in r.stderr, r.stderr[:300]


@pytest.mark.parametrize("value,shown", [(float("inf"), "inf m"), (-32768.0, "-32768 m")], ids=["infinite", "undeclared-void"])
def test_elevations_no_ground_has_are_named_not_called_off_the_dem(tmp_path, value, shown):
    # Before: an infinite elevation gave "off the DEM" for the point on it; -32768 without a no-data tag was a pit.
    from osgeo import gdal
    import numpy as np
    path = tmp_path / "dem.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 100, 100, 1, gdal.GDT_Float32)
    ds.SetGeoTransform([-71.5, 0.001, 0, 44.5, 0, -0.001])
    ds.SetProjection("EPSG:4326")
    z = np.full((100, 100), 500, dtype=np.float32)
    z[40, 60] = value
    ds.GetRasterBand(1).WriteArray(z)
    ds = None
    r = covtool("link", "--dem", path, "--from", "44.47,-71.48", "--to", "44.43,-71.43")
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"DEM '{path}' has 1 cell whose elevation no ground has (outside -1000 to 9000 m), the first {shown} at 44.4595" \
        in r.stderr, r.stderr


def test_a_nul_byte_in_a_csv_is_named_where_it_is(tmp_path):
    # Before: OGR cut the row at the NUL byte, and the error was "no position".
    src = (REPO / "tests" / "cli" / "data" / "sites_n44.csv").read_bytes()
    sites = tmp_path / "sites.csv"
    first_break = src.index(b"\n")
    sites.write_bytes(src[:first_break + 5] + b"\0" + src[first_break + 5:])
    r = covtool("map", "--dem", N44, "--sites", sites, "--radius-km", "2", "-o", tmp_path / "out")
    assert r.returncode == 1 and f"sites file '{sites}' has a NUL byte at line 2, byte 5" in r.stderr, r.stderr


def test_covtool_hamlets_beyond_the_radius_have_no_service(tmp_path):
    # Before: "hamlet ... is outside the coverage grid" when --radius-km did not reach every hamlet.
    hamlets = tmp_path / "hamlets.csv"
    hamlets.write_text("hamlet_id,name,lat_deg,lon_deg,households,population\n"
                       "H1,Near,44.451,-71.451,40,160\n"
                       "H2,Far,44.30,-71.20,25,100\n")
    r = covtool("hamlets", "--dem", N44, "--sites", REPO / "tests" / "cli" / "data" / "sites_n44.csv", "--hamlets", hamlets,
                "--radius-km", "3", "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    rows = (tmp_path / "out" / "hamlets.csv").read_text().splitlines()
    header = rows[0].split(",")
    far = dict(zip(header, next(r for r in rows[1:] if r.startswith("H2,")).split(",")))
    near = dict(zip(header, next(r for r in rows[1:] if r.startswith("H1,")).split(",")))
    assert far["dead_zone"] == "yes" and far["lte_median_class"] == "no_service" and far["lte_median_rsrp_dbm"] == "", far
    assert near["dead_zone"] == "no" and near["lte_median_class"] == "excellent", near


def test_a_study_reads_terrain_under_the_whole_outline_of_a_hamlet(study, tmp_path):
    # Found on the way: the study area held each hamlet's point and settlement radius, not its outline, so a long
    # outline beyond the towers' radius was "beyond the edge of the coverage grid".
    import json
    folder, toml = study
    set_key(toml, "radius_km", "3")
    path = folder / "hamlets.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    ring = [[106.035, 21.950], [106.085, 21.950], [106.085, 21.960], [106.035, 21.960], [106.035, 21.950]]
    data["features"] = data["features"][:2]   # the two hamlets at the towers: the grid is then the 3 km radius
    data["features"].append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                             "properties": {"hamlet_id": "H99", "name": "Long valley", "households": 30, "population": 120}})
    path.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    r = covtool("study", toml, "-o", out)
    assert r.returncode == 0, r.stderr
    row = next(line for line in (out / "hamlets.csv").read_text(encoding="utf-8").splitlines() if line.startswith("H99,"))
    assert row.endswith(",yes"), row   # beyond every 3 km radius: a dead zone, on the grid


# --- item 10: ten thousand sectors, each stored over its radius only; a container's memory limit honoured ---------
def _many_sites(path, per_side):
    rows = ["site_id,lat_deg,lon_deg,height_agl_m,technology,freq_mhz,bandwidth_mhz,tx_power_dbm,antenna_gain_dbi"]
    for i in range(per_side):
        for j in range(per_side):
            rows.append(f"S{i}_{j},{44.30 + 0.2 * i / (per_side - 1):.6f},{-71.60 + 0.28 * j / (per_side - 1):.6f},30,lte,1800,10,46,14")
    path.write_text("\n".join(rows) + "\n")
    return path


def _peak_rss_mib(args, timeout=300):
    """Run a command in a fresh child and return (CompletedProcess, its peak resident set in MiB)."""
    probe = ("import resource, subprocess, sys\n"
             "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
             "sys.stderr.write(r.stderr)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
             "sys.exit(r.returncode)\n")
    r = subprocess.run([sys.executable, "-c", probe, *map(str, args)], capture_output=True, text=True, timeout=timeout)
    return r, float(r.stdout.strip().splitlines()[-1]) if r.stdout.strip() else float("nan")


def test_ten_thousand_sectors_are_stored_over_their_radius_only(tmp_path):
    # Before: each sector held a whole-grid band: 10 000 × 78 k cells × 4 bytes = 2.9 GiB resident for a 25 × 25 km
    # map at 90 m (and the 10 000-band COG asked GDAL for a 10 GB tile buffer). Now each holds its 1 km radius
    # (23 × 23 cells, 21 MiB in all), and the file is a tiled GeoTIFF written where the windows lie.
    sites = _many_sites(tmp_path / "sites.csv", 100)
    r, peak_mib = _peak_rss_mib([COVTOOL, "map", "--dem", N44, "--sites", sites, "--model", "free-space", "--radius-km", "1",
                                 "--cell-m", "90", "--threads", "2", "-o", tmp_path / "map"])
    assert r.returncode == 0, r.stderr
    assert peak_mib < 1536, f"peak RSS {peak_mib:.0f} MiB"  # 290 MiB here; room for AddressSanitizer's shadow and quarantine
    from osgeo import gdal
    ds = gdal.Open(str(tmp_path / "map" / "path_loss_db.tif"))
    assert ds.RasterCount == 10_000
    assert ds.GetMetadata("IMAGE_STRUCTURE")["INTERLEAVE"] == "BAND"
    # The middle site's band: free space within its kilometre, NaN elsewhere; named for its sector.
    band = ds.GetRasterBand(5051)
    assert "sector S50_50" in band.GetDescription()
    values = band.ReadAsArray()
    finite = values[values == values]
    assert 300 < finite.size < 450  # π · (1000 / 90)² = 388 cells
    assert 60.0 < finite.min() < 80.0 and 96.0 < finite.max() < 98.0  # 1800 MHz: 67 dB at 30 m slant, 97.6 dB at 1 km
