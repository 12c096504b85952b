"""Hostile inputs through the Python package (issue 15): each test reproduces a defect an adversarial run found.
Needs the build tree's libcoverage on PYTHONPATH."""
import unicodedata

import numpy as np
import pytest

import libcoverage as lc
import libcoverage.distributed as dist


def _manifest(tmp_path, names):
    (tmp_path / "study.toml").write_text("", encoding="utf-8")
    rows = "".join(f'[[commune]]\nname = "{n}"\nstudy = "study.toml"\n' for n in names)
    path = tmp_path / "province.toml"
    path.write_text(rows, encoding="utf-8")
    return path


@pytest.mark.parametrize("a,b", [
    ("Sảng Mộc", "Sảng_Mộc"),                                   # space and underscore
    ("Sảng Mộc", unicodedata.normalize("NFD", "Sảng Mộc")),      # NFC and NFD spellings of one name
    ("Sảng Mộc", "SẢNG MỘC"),                                    # case (case-insensitive file systems)
    ("Bản/Chương", "Bản?Chương"),                                 # punctuation
], ids=["underscore", "nfd", "case", "punctuation"])
def test_commune_names_sharing_a_folder_are_refused(tmp_path, a, b):
    # Before: both communes wrote one folder and the summary reported numbers with no files behind them.
    path = _manifest(tmp_path, [a, "Phú Thượng", b])
    with pytest.raises(lc.InvalidArgument, match=r"communes 1 \(.*\) and 3 \(.*\) would write the same folder") as e:
        dist.read_manifest(str(path))
    assert str(path) in str(e.value)
    # A manifest built in code is checked by run_province too, before any cluster is started.
    manifest = dist.Manifest("P", (dist.Commune(a, str(tmp_path / "study.toml")),
                                   dist.Commune(b, str(tmp_path / "study.toml"))))
    with pytest.raises(lc.InvalidArgument, match="would write the same folder"):
        dist.run_province(manifest, str(tmp_path / "out"), client=object())
    assert not (tmp_path / "out").exists()


def test_distinct_commune_names_keep_distinct_folders(tmp_path):
    path = _manifest(tmp_path, ["Sảng Mộc", "Sang Moc", "Bản Chương"])
    manifest = dist.read_manifest(str(path))
    assert [c.name for c in manifest.communes] == ["Sảng Mộc", "Sang Moc", "Bản Chương"]


# --- item 7: rasters of different grids, numpy views of any layout ----------------------------------------------
import pathlib  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
SANG_MOC = REPO / "data" / "sang_moc"


@pytest.fixture(scope="module")
def two_grids():
    dem = lc.read_dem(str(SANG_MOC / "terrain_synthetic_30m.tif"))
    coarse = lc.read_dem(str(SANG_MOC / "terrain_synthetic_30m.tif"), lc.DemOptions(cell_size_m=60.0))
    sectors = [s for s in lc.read_sites(str(SANG_MOC / "sites.csv")) if s.site_id == "SM-CENTRE"]
    options = lc.CoverageOptions(model=lc.FreeSpaceModel(), radius_m=3000.0, threads=1)
    return dem, coarse, sectors, options, lc.CoverageEngine(dem, sectors, options).compute()


def test_rasters_of_another_grid_are_refused_where_they_meet(two_grids):
    # Before: read out of bounds (values up to 3.4e38).
    dem, coarse, sectors, options, m = two_grids
    with pytest.raises(lc.InvalidArgument, match="combine_sectors: the path loss of sector '.*' is not a window of the DEM's grid"):
        lc.combine_sectors(m, coarse, options)
    with pytest.raises(lc.InvalidArgument, match="is not a window of the DEM's grid"):
        lc.coverage_by_technology(m, coarse, options)
    coverages = lc.coverage_by_technology(m, dem, options)
    hamlets = lc.read_hamlets(str(SANG_MOC / "hamlets.geojson"))[:1]
    with pytest.raises(lc.InvalidArgument, match="hamlet analysis: the .* signal raster is on another grid"):
        lc.analyse_hamlets(coarse, hamlets, coverages, m)


def test_to_grid_xy_reads_strided_and_reversed_views_where_they_are(two_grids):
    # Before: strided views read out of bounds, reversed views swapped coordinates.
    dem = two_grids[0]
    lat = np.linspace(21.88, 21.95, 12)
    lon = np.linspace(105.97, 106.08, 12)
    x, y = dem.to_grid_xy(lat, lon)
    for la, lo, sel in [(np.repeat(lat, 2)[::2], np.repeat(lon, 2)[::2], slice(None)),  # strided
                        (lat[::-1], lon[::-1], slice(None, None, -1)),                   # reversed
                        (np.asfortranarray(np.stack([lat, lat])), np.asfortranarray(np.stack([lon, lon])), None),
                        (lat.astype(np.float32), lon.astype(np.float32), slice(None))]:
        xs, ys = dem.to_grid_xy(la, lo)
        if sel is None:
            assert xs.shape == (2, 12)
            np.testing.assert_allclose(xs[1], x, atol=1e-6)
            np.testing.assert_allclose(ys[0], y, atol=1e-6)
        else:
            tol = 1.0 if la.dtype == np.float32 else 1e-6
            np.testing.assert_allclose(xs, x[sel], atol=tol)
            np.testing.assert_allclose(ys, y[sel], atol=tol)
    with pytest.raises(lc.InvalidArgument, match="same shape"):
        dem.to_grid_xy(lat, lon[:5])


# --- item 8 (Python): silent acceptances -------------------------------------------------------------------------
def test_python_values_that_were_silently_accepted(two_grids):
    dem = two_grids[0]
    with pytest.raises(lc.InvalidArgument, match="server_threshold_dbm"):
        lc.CoverageEngine(dem, two_grids[2], lc.CoverageOptions(model=lc.FreeSpaceModel(), server_threshold_dbm=float("nan")))
    centre = dem.to_grid(two_grids[2][0].location)
    for r in (float("nan"), -1.0):
        with pytest.raises(lc.InvalidArgument, match="radius_m must be a finite number >= 0"):
            dem.cells_within(centre, r)
    assert len(dem.cells_within(centre, 1e9)) == dem.width * dem.height  # at once, not a hang
    with pytest.raises(lc.OutOfDomain, match="off the grid"):
        dem.slope_deg(dem.width + 5, 3)  # was 0
    z = dem.elevation_grid_m
    with pytest.raises(ValueError):
        z[0, 0] = 1.0  # documented read-only, was writeable
    with pytest.raises(lc.InvalidArgument, match="more than the limit of 10000000 points"):
        dem.profile(centre, lc.GridPoint(x_m=centre.x_m + 3000, y_m=centre.y_m), 1e-6)  # killed the kernel


# --- item 12: read_dem stays off the network unless asked, and says what it read ---------------------------------
def test_read_dem_refuses_remote_sources_and_lists_a_vrts_files(tmp_path):
    tile = REPO / "data" / "dem" / "N44W072.hgt"
    vrt = tmp_path / "tile.vrt"
    vrt.write_text(f'<VRTDataset rasterXSize="1201" rasterYSize="1201"><SRS>EPSG:4326</SRS>'
                   f'<GeoTransform>-72.000416666666666, 0.000833333333333, 0, 45.000416666666666, 0, -0.000833333333333'
                   f'</GeoTransform><VRTRasterBand dataType="Int16" band="1"><SimpleSource>'
                   f'<SourceFilename relativeToVRT="0">{tile}</SourceFilename><SourceBand>1</SourceBand>'
                   f'</SimpleSource></VRTRasterBand></VRTDataset>')
    area = lc.GeoBox(south_deg=44.2, west_deg=-71.4, north_deg=44.3, east_deg=-71.3)
    dem = lc.read_dem(str(vrt), lc.DemOptions(area=area))
    assert dem.files == [str(vrt), str(tile)]
    direct = lc.read_dem(str(tile), lc.DemOptions(area=area))
    # the same terrain (the VRT's geotransform is written to 15 digits: warping may differ in the last float bits)
    np.testing.assert_allclose(np.asarray(dem.raster), np.asarray(direct.raster), rtol=0, atol=0.01)
    with pytest.raises(ValueError, match=r"DEM '/vsis3/bucket/dem.tif' is on the network"):
        lc.read_dem("/vsis3/bucket/dem.tif")
    assert lc.DemOptions().allow_remote is False and lc.DemOptions(allow_remote=True).allow_remote is True


# --- item 14: one site_id at several positions ------------------------------------------------------------------
def test_a_site_id_shared_by_masts_far_apart_gives_the_single_process_answer(tmp_path):
    # Before: the province runner cut one window per site_id around its first sector, so a second mast with the same
    # id was "off the DEM" under Dask, though the single-process run mapped it.
    import re
    import shutil
    folder = tmp_path / "study"
    shutil.copytree(SANG_MOC, folder)
    sites = folder / "sites.csv"
    sites.write_text(re.sub(r"(?m)^BAN-CHUONG,", "SM-CENTRE,", sites.read_text(encoding="utf-8")), encoding="utf-8")
    toml = folder / "study.toml"
    toml.write_text(re.sub(r"(?m)^radius_km = 15", "radius_km = 3", toml.read_text(encoding="utf-8")), encoding="utf-8")
    commune = dist.Commune("Sảng Mộc", str(toml))
    out = str(tmp_path / "tasks")
    prepared = dist.prepare(commune, out, 5.0)
    assert [t[0] for t in prepared.towers] == ["SM-CENTRE"]   # one id, 4.7 km between its masts
    sites_done = [dist.site(commune, prepared, k) for k in range(len(prepared.towers))]
    tiles = [dist.merge(*[dist.piece_of(s, tile) for s, t in zip(sites_done, prepared.towers)
                          if dist._overlaps(prepared.grid.tile_bounds(tile), t[2])])
             for tile in prepared.grid.tiles()]
    tasks = dist.analyse(commune, prepared, out, *tiles)
    local = dist.run_commune_local(commune, str(tmp_path / "local"))
    for name in ("hamlets.csv", "priorities.csv", "signal_4g_rsrp_dbm.tif"):
        assert (pathlib.Path(tasks.out_dir) / name).read_bytes() == (pathlib.Path(local.out_dir) / name).read_bytes(), name


# --- item 10: the memory estimate honours the limits the process runs under -------------------------------------
def test_a_map_beyond_the_address_space_limit_is_refused_naming_the_limit(tmp_path):
    # Under `ulimit -v` (or a container's cgroup limit) a map is checked against what the process may use, not the
    # machine's memory: a clear refusal instead of std::bad_alloc or the kernel's OOM killer. (Here, not in the CLI
    # suite: that one also runs under AddressSanitizer, which cannot start under an address-space limit.)
    script = f"""
import resource, sys
import libcoverage as lc
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
dem = lc.read_dem({str(REPO / "data" / "dem" / "N44W072.hgt")!r}, lc.DemOptions(cell_size_m=30.0))
sectors = []
for i in range(100):
    s = lc.Sector()
    s.site_id = s.sector_id = f"S{{i}}"
    s.location = lc.GeoPoint(lat_deg=44.1 + 0.008 * i, lon_deg=-71.5)
    s.height_agl_m, s.freq_mhz = 30.0, 1800.0
    sectors.append(s)
try:
    lc.CoverageEngine(dem, sectors, lc.CoverageOptions(model=lc.FreeSpaceModel(), radius_m=100_000.0)).compute()
except lc.InvalidArgument as e:
    print(e)
    sys.exit(3)
"""
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "coverage of 100 sectors over" in r.stdout and "would need about" in r.stdout, r.stdout
    assert "allowed (80 % of the address-space limit (ulimit -v))" in r.stdout, r.stdout
