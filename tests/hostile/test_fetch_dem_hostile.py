"""Hostile network cases for `covtool fetch-dem` (issue 15, item 1): a tile enters the cache only when it is whole.

Each case runs covtool against hostile_server.py on 127.0.0.1 and checks the exit status, that the message names the
tile and the reason, that nothing but whole tiles is left in the cache, and that a good server then fills it.
COVTOOL: the covtool binary.
"""
import os
import pathlib
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from osgeo import gdal

sys.path.insert(0, os.path.dirname(__file__))
import hostile_server  # noqa: E402

COVTOOL = os.environ["COVTOOL"]
COP = "Copernicus_DSM_COG_10_N21_00_E105_00_DEM"
COP_BOX = "21.40,105.40,21.45,105.45"
SRTM_BOX = "21.40,106.40,21.45,106.45"
gdal.UseExceptions()


def _copernicus_tile(path, cols=3600, rows=3600, lon=105, lat=21):
    """A tile on the Copernicus GLO-30 grid below 50°: 1″ cells, the first centred on the north-west corner."""
    ds = gdal.GetDriverByName("GTiff").Create(str(path), cols, rows, 1, gdal.GDT_Float32,
                                              ["COMPRESS=DEFLATE", "TILED=YES"])
    ds.SetGeoTransform([lon - 0.5 / cols, 1.0 / cols, 0, lat + 1 + 0.5 / rows, 0, -1.0 / rows])
    ds.SetProjection("EPSG:4326")
    y, x = np.mgrid[0:rows, 0:cols]
    ds.GetRasterBand(1).WriteArray((200 + 0.01 * x + 0.02 * y + (x * 7 + y * 13) % 5).astype(np.float32))
    ds = None


@pytest.fixture(scope="session")
def www(tmp_path_factory):
    root = tmp_path_factory.mktemp("www")
    (root / COP).mkdir()
    _copernicus_tile(root / COP / f"{COP}.tif")
    mem = gdal.GetDriverByName("MEM").Create("", 3601, 3601, 1, gdal.GDT_Int16)
    h = 0.5 / 3600
    mem.SetGeoTransform([106 - h, 1 / 3600, 0, 22 + h, 0, -1 / 3600])
    mem.SetProjection("EPSG:4326")
    mem.GetRasterBand(1).Fill(300)
    hgt = root / "N21E106.hgt"
    gdal.GetDriverByName("SRTMHGT").CreateCopy(str(hgt), mem)
    (root / "skadi" / "N21").mkdir(parents=True)
    (root / "skadi" / "N21" / "N21E106.hgt.gz").write_bytes(hostile_server.gzip_bytes(hgt.read_bytes()))
    # A tile on another grid (the 1201² a careless mirror might serve as Copernicus).
    (root / "wronggrid" / COP).mkdir(parents=True)
    _copernicus_tile(root / "wronggrid" / COP / f"{COP}.tif", cols=1201, rows=1201)
    return root


@pytest.fixture(scope="session")
def server(www):
    srv, base = hostile_server.start(str(www))
    yield base
    srv.shutdown()


def fetch(base, cache, out, *extra, source="copernicus-glo30", box=None, timeout=60):
    box = box or (COP_BOX if source == "copernicus-glo30" else SRTM_BOX)
    cmd = [COVTOOL, "fetch-dem", "--bbox", box, "--source", source, "--base-url", base, "--cache-dir", str(cache),
           "-o", str(out), *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def cache_holds_only_whole_tiles(cache):
    names = sorted(p.name for p in pathlib.Path(cache).iterdir()) if pathlib.Path(cache).exists() else []
    assert not [n for n in names if ".tmp-" in n], f"staging left in the cache: {names}"
    return names


BAD_COPERNICUS = [
    ("cut", "cut short"),
    ("nolength", "declared no length"),
    ("truncate", "its data cannot be read"),
    ("html", "web page"),
    ("huge", "larger than the limit of 256 MiB"),
    ("endless", "larger than the limit of 256 MiB"),
    ("redirect-other", "another origin"),
    ("redirect-loop", "more than 5 redirects"),
    ("error500", "HTTP 500"),
    ("ok/wronggrid", "its grid is 1201×1201 cells, not the source's 3600×3600"),
]


@pytest.mark.parametrize("mode,reason", BAD_COPERNICUS, ids=[m for m, _ in BAD_COPERNICUS])
def test_a_bad_copernicus_download_never_enters_the_cache(server, tmp_path, mode, reason):
    cache = tmp_path / "cache"
    out = tmp_path / "dem.tif"
    r = fetch(f"{server}/{mode}", cache, out)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"DEM tile {COP}" in r.stderr and reason in r.stderr, r.stderr
    assert not out.exists()
    assert cache_holds_only_whole_tiles(cache) == []
    # The same cache, a good server: fetched and checked.
    r = fetch(f"{server}/ok", cache, out)
    assert r.returncode == 0, r.stderr
    assert f"{COP}  downloaded" in r.stdout
    assert cache_holds_only_whole_tiles(cache) == [f"{COP}.tif", f"{COP}.tif.sha256"]


BAD_SRTM = [
    ("cut", "cut short"),
    ("truncate", "gzip stream ends early"),
    ("badcrc", "gzip data is corrupt (incorrect data check)"),
    ("bomb", "decompresses to more than 25934402 bytes"),
    ("html", "gzip data is corrupt"),
]


@pytest.mark.parametrize("mode,reason", BAD_SRTM, ids=[m for m, _ in BAD_SRTM])
def test_a_bad_srtm_download_never_enters_the_cache(server, tmp_path, mode, reason):
    cache = tmp_path / "cache"
    r = fetch(f"{server}/{mode}/skadi", cache, tmp_path / "dem.tif", source="srtmgl1")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "DEM tile N21E106" in r.stderr and reason in r.stderr, r.stderr
    assert cache_holds_only_whole_tiles(cache) == []
    r = fetch(f"{server}/ok/skadi", cache, tmp_path / "dem.tif", source="srtmgl1")
    assert r.returncode == 0, r.stderr
    assert cache_holds_only_whole_tiles(cache) == ["N21E106.hgt", "N21E106.hgt.sha256"]


def test_redirects_same_origin_followed_others_only_when_allowed(server, tmp_path):
    r = fetch(f"{server}/redirect-same", tmp_path / "c1", tmp_path / "a.tif")
    assert r.returncode == 0, r.stderr
    r = fetch(f"{server}/redirect-other", tmp_path / "c2", tmp_path / "b.tif", "--allow-redirects")
    assert r.returncode == 0, r.stderr
    r = fetch(f"{server}/redirect-other", tmp_path / "c3", tmp_path / "c.tif")
    assert r.returncode == 1 and "redirects to http://localhost:" in r.stderr, r.stderr


def test_a_damaged_cached_tile_is_named_and_downloaded_again(server, tmp_path):
    cache = tmp_path / "cache"
    assert fetch(f"{server}/ok", cache, tmp_path / "a.tif").returncode == 0
    tile = cache / f"{COP}.tif"
    data = bytearray(tile.read_bytes())
    data[len(data) // 2] ^= 0x55  # same size, other bytes
    tile.write_bytes(bytes(data))
    r = fetch(f"{server}/ok", cache, tmp_path / "b.tif")
    assert r.returncode == 0, r.stderr
    assert f"{COP}  downloaded again: the cached copy '{tile}' was bad (its SHA-256 no longer matches" in r.stdout
    tile.write_bytes(bytes(data[:1000]))  # cut short
    r = fetch(f"{server}/ok", cache, tmp_path / "c.tif")
    assert r.returncode == 0 and "its size is 1000 bytes" in r.stdout, r.stdout + r.stderr
    r = fetch(f"{server}/ok", cache, tmp_path / "d.tif")
    assert f"{COP}  cached" in r.stdout
    # With the server gone, a damaged tile is an error that names the cache and the server, not "IReadBlock failed".
    tile.write_bytes(bytes(data[:1000]))
    r = fetch("http://127.0.0.1:9", cache, tmp_path / "e.tif")
    assert r.returncode == 1 and f"DEM tile {COP}" in r.stderr and "cannot be reached" in r.stderr, r.stderr


def test_a_tile_cached_by_an_earlier_version_is_checked_then_kept_or_replaced(server, www, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    good = www / COP / f"{COP}.tif"
    (cache / good.name).write_bytes(good.read_bytes())  # no sidecar
    r = fetch(f"{server}/ok", cache, tmp_path / "a.tif")
    assert r.returncode == 0 and f"{COP}  cached" in r.stdout, r.stdout + r.stderr
    assert (cache / f"{COP}.tif.sha256").read_text().startswith("sha256 ")
    (cache / f"{COP}.tif.sha256").unlink()
    (cache / good.name).write_bytes(b"<html>gateway timeout</html>")
    r = fetch(f"{server}/ok", cache, tmp_path / "b.tif")
    assert r.returncode == 0 and "downloaded again" in r.stdout and "web page" in r.stdout, r.stdout + r.stderr


def test_a_silent_server_is_abandoned_after_the_stall_timeout(server, tmp_path):
    t0 = time.monotonic()
    r = fetch(f"{server}/stall", tmp_path / "cache", tmp_path / "a.tif", "--stall-timeout-s", "1.5")
    took = time.monotonic() - t0
    assert r.returncode == 1 and "the server sent nothing for 1.5 s" in r.stderr, r.stderr
    assert took < 10, f"took {took:.1f} s"
    assert cache_holds_only_whole_tiles(tmp_path / "cache") == []


def _wait_for_staging(cache, limit_s=20):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit_s:
        if cache.exists() and any(p.name.startswith(".tmp-") for p in cache.iterdir()):
            return
        time.sleep(0.05)
    raise AssertionError("no staging folder appeared")


def test_ctrl_c_stops_a_stalled_download_at_once(server, tmp_path):
    cache = tmp_path / "cache"
    p = subprocess.Popen([COVTOOL, "fetch-dem", "--bbox", COP_BOX, "--base-url", f"{server}/stall", "--cache-dir",
                          str(cache), "-o", str(tmp_path / "a.tif")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    _wait_for_staging(cache)
    time.sleep(0.3)
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=10)
    assert time.monotonic() - t0 < 3, "Ctrl-C took more than 3 s"
    assert p.returncode == 130, err
    assert cache_holds_only_whole_tiles(cache) == []


def test_leftovers_of_a_killed_run_are_removed_but_not_a_live_runs(server, tmp_path):
    cache = tmp_path / "cache"
    p = subprocess.Popen([COVTOOL, "fetch-dem", "--bbox", COP_BOX, "--base-url", f"{server}/stall", "--cache-dir",
                          str(cache), "-o", str(tmp_path / "a.tif")], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _wait_for_staging(cache)
    p.kill()
    p.wait()
    killed = [q.name for q in cache.iterdir() if q.name.startswith(".tmp-")]
    assert len(killed) == 1
    # A live run's staging folder (its lock held) must survive a second run in the same cache.
    live = subprocess.Popen([COVTOOL, "fetch-dem", "--bbox", COP_BOX, "--base-url", f"{server}/stall", "--cache-dir",
                             str(cache), "-o", str(tmp_path / "b.tif")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        t0 = time.monotonic()
        while time.monotonic() - t0 < 20 and len([q for q in cache.iterdir() if q.name.startswith(".tmp-")]) < 2:
            if killed[0] not in [q.name for q in cache.iterdir()]:
                break
            time.sleep(0.05)
        r = fetch(f"{server}/ok", cache, tmp_path / "c.tif")
        assert r.returncode == 0, r.stderr
        left = [q.name for q in cache.iterdir() if q.name.startswith(".tmp-")]
        assert killed[0] not in left, "the killed run's staging folder was kept"
        assert len(left) == 1, f"the live run's staging folder was removed: {left}"
    finally:
        live.kill()
        live.wait()


def test_a_box_smaller_than_a_cell_gives_the_cell_that_holds_it(server, tmp_path):
    # Before: "Computed -srcwin ... has negative width" (the box went to GDAL rounded to 6 decimals as -projwin).
    out = tmp_path / "dot.tif"
    r = fetch(f"{server}/ok", tmp_path / "cache", out, box="21.4200001,105.4200001,21.4200002,105.4200002")
    assert r.returncode == 0, r.stderr
    ds = gdal.Open(str(out))
    x0, dx, _, y0, _, dy = ds.GetGeoTransform()
    assert (ds.RasterXSize, ds.RasterYSize) == (1, 1)
    assert x0 <= 105.4200001 and x0 + dx >= 105.4200002 and y0 >= 21.4200002 and y0 + dy <= 21.4200001


def test_the_output_holds_the_whole_box_in_whole_cells(server, tmp_path):
    out = tmp_path / "box.tif"
    r = fetch(f"{server}/ok", tmp_path / "cache", out)   # COP_BOX: 21.40..21.45 N, 105.40..105.45 E
    assert r.returncode == 0, r.stderr
    ds = gdal.Open(str(out))
    x0, dx, _, y0, _, dy = ds.GetGeoTransform()
    x1, y1 = x0 + dx * ds.RasterXSize, y0 + dy * ds.RasterYSize
    assert x0 <= 105.40 and x1 >= 105.45 and y1 <= 21.40 and y0 >= 21.45
    assert x0 > 105.40 - dx and x1 < 105.45 + dx and y1 > 21.40 + dy and y0 < 21.45 - dy   # not a cell more
