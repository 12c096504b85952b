"""Where rasters may come from (issue 15, item 12, and the DEM cases of item 8).

Before: a DEM given as a VRT fetched its /vsicurl/ sources during a study, and run.json did not record them; a
signed-byte DEM was read as 0..255; a polar DEM was reprojected to a UTM sliver. Now inputs are local files in local
formats unless remote reading is allowed (covtool --allow-remote, study key terrain.allow_remote), a VRT's sources
are checked before GDAL opens it, and run.json lists them with their hashes.
COVTOOL: the covtool binary.
"""
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from osgeo import gdal

sys.path.insert(0, os.path.dirname(__file__))
import hostile_server  # noqa: E402

COVTOOL = os.environ["COVTOOL"]
REPO = pathlib.Path(__file__).resolve().parents[2]
N44 = REPO / "data" / "dem" / "N44W072.hgt"
SANG_MOC = REPO / "data" / "sang_moc"
LINK = ["link", "--from", "44.27,-71.30", "--to", "44.35,-71.10"]
gdal.UseExceptions()


def covtool(*args, timeout=300):
    return subprocess.run([COVTOOL, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def vrt_over(source, raster=N44, relative=False, extra=""):
    """The VRT gdal_translate writes for `raster`, with its source named `source` (as written, XML-escaped)."""
    gdal.Translate("/vsimem/x.vrt", str(raster), format="VRT")
    f = gdal.VSIFOpenL("/vsimem/x.vrt", "rb")
    text = gdal.VSIFReadL(1, 1 << 20, f).decode()
    gdal.VSIFCloseL(f)
    gdal.Unlink("/vsimem/x.vrt")
    text = re.sub(r"<SourceFilename[^>]*>[^<]*</SourceFilename>",
                  lambda _: f'<SourceFilename relativeToVRT="{1 if relative else 0}">{source}</SourceFilename>', text)
    return text.replace('<VRTRasterBand dataType="Int16" band="1"', f'<VRTRasterBand dataType="Int16" band="1"{extra}', 1)


@pytest.fixture
def www(tmp_path):
    folder = tmp_path / "www"
    folder.mkdir()
    shutil.copy(N44, folder / "N44W072.hgt")
    server, base = hostile_server.start(str(folder))
    yield server, base
    server.shutdown()


# --- item 12: nothing reaches the network unless asked ----------------------------------------------------------
def test_a_vrt_with_a_vsicurl_source_is_refused_and_asks_nothing(tmp_path, www):
    server, base = www
    vrt = tmp_path / "dem.vrt"
    vrt.write_text(vrt_over(f"/vsicurl/{base}/ok/N44W072.hgt"))
    r = covtool(*LINK, "--dem", vrt)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"'/vsicurl/{base}/ok/N44W072.hgt', named as a source by VRT '{vrt}', is on the network" in r.stderr, r.stderr
    assert "--allow-remote" in r.stderr
    assert server.requests == []


@pytest.mark.parametrize("source", ["/vsis3/bucket/dem.tif", "https://example.invalid/dem.tif",
                                    "/vsizip//vsicurl/https://example.invalid/dem.zip/dem.tif"])
def test_every_remote_handler_is_refused(tmp_path, source):
    vrt = tmp_path / "dem.vrt"
    vrt.write_text(vrt_over(source))
    r = covtool(*LINK, "--dem", vrt, timeout=30)
    assert r.returncode == 1 and f"'{source}', named as a source by VRT" in r.stderr and "is on the network" in r.stderr, r.stderr


def test_a_remote_dem_given_directly_is_refused(www):
    server, base = www
    r = covtool(*LINK, "--dem", f"/vsicurl/{base}/ok/N44W072.hgt")
    assert r.returncode == 1 and f"DEM '/vsicurl/{base}/ok/N44W072.hgt' is on the network" in r.stderr, r.stderr
    assert server.requests == []


def test_allow_remote_reads_the_same_terrain_over_the_network(tmp_path, www):
    server, base = www
    vrt = tmp_path / "dem.vrt"
    vrt.write_text(vrt_over(f"/vsicurl/{base}/ok/N44W072.hgt"))
    remote = covtool(*LINK, "--dem", vrt, "--allow-remote")
    local = covtool(*LINK, "--dem", N44)
    assert remote.returncode == 0 and local.returncode == 0, remote.stderr + local.stderr
    assert len(server.requests) > 0
    loss = re.compile(r"basic transmission loss\s+([0-9.]+) dB")
    assert loss.search(remote.stdout) and loss.search(remote.stdout).group(1) == loss.search(local.stdout).group(1), \
        remote.stdout + local.stdout


@pytest.mark.parametrize("xml,why", [
    ("SELF", "reaches itself through its sources"),
    ('<GDAL_WMS><Service name="TMS"><ServerUrl>http://example.invalid/${z}/${x}/${y}.png</ServerUrl></Service></GDAL_WMS>',
     "is a dataset described inline as XML"),
    ("N44W072.hgt", "computes its pixels with Python code"),
    ("MEM:::DATAPOINTER=0x1000,PIXELS=10,LINES=10", "does not exist"),
    ("/dev/zero", "is not a regular file"),
], ids=["self", "inline-wms", "python", "mem-pointer", "device"])
def test_vrt_sources_that_are_not_files_are_refused(tmp_path, xml, why):
    vrt = tmp_path / "dem.vrt"
    shutil.copy(N44, tmp_path / "N44W072.hgt")
    if xml == "SELF":
        (tmp_path / "other.vrt").write_text(vrt_over("dem.vrt", relative=True))
        vrt.write_text(vrt_over("other.vrt", relative=True))
    elif why.startswith("computes"):
        vrt.write_text(vrt_over(xml, relative=True, extra=' subClass="VRTDerivedRasterBand"').replace(
            "</SimpleSource>", "</SimpleSource><PixelFunctionType>f</PixelFunctionType>"
                               "<PixelFunctionLanguage>Python</PixelFunctionLanguage>"
                               "<PixelFunctionCode><![CDATA[import os\ndef f(*a, **k): os.system('touch pwned')]]>"
                               "</PixelFunctionCode>"))
    else:
        vrt.write_text(vrt_over(xml.replace("<", "&lt;").replace(">", "&gt;")))
    r = covtool(*LINK, "--dem", vrt, timeout=30)
    assert r.returncode == 1 and why in r.stderr, r.stderr
    assert not (tmp_path / "pwned").exists()


def test_a_sites_file_in_ogr_vrt_form_is_not_read(tmp_path):
    # OGR's VRT may name remote layers; it is not among the vector formats read.
    sites = tmp_path / "sites.vrt"
    sites.write_text('<OGRVRTDataSource><OGRVRTLayer name="s"><SrcDataSource>/vsicurl/http://example.invalid/s.csv'
                     '</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>')
    r = covtool("map", "--dem", N44, "--sites", sites, "-o", tmp_path / "out", timeout=30)
    assert r.returncode == 1 and f"sites file '{sites}' as CSV, GeoJSON or GeoPackage: not in a vector format read here" \
        in r.stderr, r.stderr


def _sang_moc_vrt_study(tmp_path, source, relative, allow_remote=False):
    folder = tmp_path / "study"
    shutil.copytree(SANG_MOC, folder)
    text = vrt_over(source, raster=folder / "terrain_synthetic_30m.tif", relative=relative)
    assert source in text
    (folder / "terrain.vrt").write_text(text)
    toml = folder / "study.toml"
    t = toml.read_text(encoding="utf-8").replace('dem = "terrain_synthetic_30m.tif"', 'dem = "terrain.vrt"'
                                                 + ("\nallow_remote = true" if allow_remote else ""), 1)
    toml.write_text(t, encoding="utf-8")
    return folder, toml


def test_run_json_lists_a_vrts_sources_with_their_hashes(tmp_path):
    folder, toml = _sang_moc_vrt_study(tmp_path, "terrain_synthetic_30m.tif", relative=True)
    out = tmp_path / "out"
    r = covtool("study", toml, "-o", out)
    assert r.returncode == 0, r.stderr
    inputs = json.loads((out / "run.json").read_text())["inputs"]
    src = [i for i in inputs if i["role"] == "terrain (VRT source)"]
    tif = folder / "terrain_synthetic_30m.tif"
    assert len(src) == 1 and src[0]["path"] == str(tif), inputs
    assert src[0]["sha256"] == hashlib.sha256(tif.read_bytes()).hexdigest() and src[0]["bytes"] == tif.stat().st_size
    assert [i["path"] for i in inputs if i["role"] == "terrain"] == [str(folder / "terrain.vrt")]


def test_a_study_reads_remote_vrt_sources_only_when_its_file_allows(tmp_path, www):
    server, base = www
    shutil.copy(SANG_MOC / "terrain_synthetic_30m.tif", pathlib.Path(server.folder) / "t.tif")
    url = f"/vsicurl/{base}/ok/t.tif"
    folder, toml = _sang_moc_vrt_study(tmp_path, url, relative=False)
    r = covtool("study", toml, "-o", tmp_path / "refused")
    assert r.returncode == 1 and "is on the network" in r.stderr and "terrain.allow_remote" in r.stderr, r.stderr
    assert server.requests == [] and not (tmp_path / "refused").exists()

    folder2, toml2 = _sang_moc_vrt_study(tmp_path / "b", url, relative=False, allow_remote=True)
    out = tmp_path / "out"
    r = covtool("study", toml2, "-o", out)
    assert r.returncode == 0, r.stderr
    run = json.loads((out / "run.json").read_text())
    assert run["study"]["terrain"]["allow_remote"] is True
    remote = [i for i in run["inputs"] if i["path"] == url]
    assert remote == [{"role": "terrain (VRT source, remote: not hashed)", "path": url, "bytes": None, "sha256": None}]
    # The same study from the local file gives the same hamlet table: the network read the same terrain.
    local = tmp_path / "local"
    assert covtool("study", SANG_MOC / "study.toml", "-o", local).returncode == 0
    assert (out / "hamlets.csv").read_text() == (local / "hamlets.csv").read_text()


# --- item 8: DEMs read as what they are --------------------------------------------------------------------------
def test_a_signed_byte_dem_is_read_as_signed(tmp_path):
    # Before: GDAL 3.6 read PIXELTYPE=SIGNEDBYTE bands as 0..255: a coastal DEM at -56 m became 200 m.
    path = tmp_path / "coast.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 200, 200, 1, gdal.GDT_Byte, ["PIXELTYPE=SIGNEDBYTE"])
    ds.SetGeoTransform([-71.5, 0.001, 0, 44.5, 0, -0.001])
    ds.SetProjection("EPSG:4326")
    values = np.full((200, 200), 200, dtype=np.uint8)   # -56 as a signed byte
    values[:, 100:] = 100                                # +100
    ds.GetRasterBand(1).WriteArray(values)
    ds = None
    r = covtool("link", "--dem", path, "--from", "44.45,-71.48", "--to", "44.45,-71.33")
    assert r.returncode == 0, r.stderr
    ground = [float(g) for g in re.findall(r"\(ground (-?[0-9.]+) m\)", r.stdout)]
    assert ground == [pytest.approx(-56.0, abs=0.05), pytest.approx(100.0, abs=0.05)], r.stdout


def test_a_polar_dem_needs_a_polar_crs(tmp_path):
    # Before: a DEM at 85° N was reprojected onto a UTM zone (not defined there) as a sliver.
    path = tmp_path / "arctic.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 100, 100, 1, gdal.GDT_Int16)
    ds.SetGeoTransform([10.0, 0.01, 0, 86.0, 0, -0.01])
    ds.SetProjection("EPSG:4326")
    ds.GetRasterBand(1).Fill(100)
    ds = None
    r = covtool("link", "--dem", path, "--from", "85.5,10.2", "--to", "85.5,10.8", timeout=60)
    assert r.returncode == 1 and "reaches past 84°N or 80°S, where no UTM zone is defined" in r.stderr, r.stderr
