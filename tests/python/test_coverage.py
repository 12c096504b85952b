"""The coverage engine from Python: rasters on the DEM's grid, progress, cancellation, Ctrl-C, the GIL."""

import _thread
import copy
import pathlib
import threading
import time

import numpy as np
import pytest

import libcoverage as lc


def _options(mode=lc.CoverageMode.fast, radius_m=6000.0):
    return lc.CoverageOptions(model=lc.ItmModel(lc.ItmParams(climate=lc.RadioClimate.continental_subtropical, n0_n_units=320.0)),
                              mode=mode, radius_m=radius_m, threads=2)


def _centre(sectors):
    return [s for s in sectors if s.site_id == "SM-CENTRE"]


def _centre_lte(sectors):
    return [s for s in _centre(sectors) if s.technology == lc.Technology.lte]


def test_map_rasters_share_the_dem_grid(sang_moc_dem, sang_moc_sectors):
    sectors = _centre_lte(sang_moc_sectors)
    assert len(sectors) == 3
    m = lc.CoverageEngine(sang_moc_dem, sectors, _options()).compute()
    assert len(m.path_loss_db) == len(sectors) == len(m.sectors)
    bands = [m.path_loss_on_grid(i) for i in range(len(sectors))]
    for r in [m.signal_dbm, m.best_server, m.signal_class, m.server_count, *bands]:
        assert (r.width, r.height) == (sang_moc_dem.width, sang_moc_dem.height)
        assert r.geo_transform == sang_moc_dem.geo_transform and r.crs == sang_moc_dem.crs
    # Each sector's path loss is stored over its window of the grid: smaller than the grid, placed on its cells,
    # and equal to the whole-grid band there.
    gt = sang_moc_dem.geo_transform
    for window, band in zip(m.path_loss_db, bands):
        assert window.width * window.height < sang_moc_dem.width * sang_moc_dem.height
        col0 = (window.geo_transform[0] - gt[0]) / gt[1]
        row0 = (window.geo_transform[3] - gt[3]) / gt[5]
        assert abs(col0 - round(col0)) < 1e-6 and abs(row0 - round(row0)) < 1e-6
        col0, row0 = int(round(col0)), int(round(row0))
        inside = band.values[row0:row0 + window.height, col0:col0 + window.width]
        assert np.array_equal(inside, window.values, equal_nan=True)
        outside = band.values.copy()
        outside[row0:row0 + window.height, col0:col0 + window.width] = 0.0
        assert np.all(np.isnan(outside) | (outside == 0.0))
        assert np.isnan(m.path_loss_at(0, 0, 0)) or (col0 == 0 and row0 == 0)
    signal = m.signal_dbm.values
    server = m.best_server.values
    assert server.dtype == np.uint16 and m.signal_class.values.dtype == np.uint8
    # no server exactly where there is no signal; classes follow the thresholds
    assert np.array_equal(server == lc.no_server, np.isnan(signal))
    served = ~np.isnan(signal)
    expected = np.select([signal >= -80, signal >= -90, signal >= -100, signal >= -110, signal >= -120], [0, 1, 2, 3, 4], 5)
    assert np.array_equal(m.signal_class.values[served], expected[served].astype(np.uint8))
    # every cell within the radius got a path loss from some sector; none outside it
    centre = sang_moc_dem.to_grid(sectors[0].location)
    xs = sang_moc_dem.geo_transform[0] + (np.arange(sang_moc_dem.width) + 0.5) * sang_moc_dem.cell_size_m
    ys = sang_moc_dem.geo_transform[3] - (np.arange(sang_moc_dem.height) + 0.5) * sang_moc_dem.cell_size_m
    dist = np.hypot(xs[None, :] - centre.x_m, ys[:, None] - centre.y_m)
    loss = bands[0].values
    assert np.all(np.isnan(loss[dist > 6000.0 + sang_moc_dem.cell_size_m]))
    assert np.mean(np.isfinite(loss[dist < 5900.0])) > 0.99
    assert m.stats.model_evaluations > 0 and m.stats.seconds > 0


def test_signal_at_equals_the_exact_map(sang_moc_dem, sang_moc_sectors):
    sectors = _centre(sang_moc_sectors)
    engine = lc.CoverageEngine(sang_moc_dem, sectors, _options(lc.CoverageMode.exact, 3000.0))
    exact = engine.compute()
    rng = np.random.default_rng(7)
    cells = [lc.Cell(col=int(c), row=int(r)) for c, r in zip(rng.integers(0, sang_moc_dem.width, 300), rng.integers(0, sang_moc_dem.height, 300))]
    at = engine.signal_at(cells)
    expected = np.array([exact.signal_dbm.values[c.row, c.col] for c in cells], dtype=np.float32)
    assert np.array_equal(np.isnan(at), np.isnan(expected))
    np.testing.assert_allclose(at[~np.isnan(at)], expected[~np.isnan(expected)], atol=1e-4)
    assert np.sum(~np.isnan(at)) > 20


def test_progress_reaches_one_and_false_cancels(sang_moc_dem, sang_moc_sectors):
    seen = []

    def progress(fraction, message):
        seen.append((fraction, message))

    lc.CoverageEngine(sang_moc_dem, _centre(sang_moc_sectors), _options()).compute(progress=progress)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert any("path loss" in m for _, m in seen)

    with pytest.raises(lc.Cancelled):
        lc.CoverageEngine(sang_moc_dem, sang_moc_sectors, _options(lc.CoverageMode.exact, 15000.0)).compute(progress=lambda f, m: False)


def test_an_exception_in_the_callback_stops_the_computation(sang_moc_dem, sang_moc_sectors):
    def progress(fraction, message):
        raise RuntimeError("stop here")

    start = time.perf_counter()
    with pytest.raises(RuntimeError, match="stop here"):
        lc.CoverageEngine(sang_moc_dem, sang_moc_sectors, _options(lc.CoverageMode.exact, 15000.0)).compute(progress=progress)
    assert time.perf_counter() - start < 3.0


def test_keyboard_interrupt_cancels_a_long_computation(sang_moc_dem, sang_moc_sectors):
    engine = lc.CoverageEngine(sang_moc_dem, sang_moc_sectors, _options(lc.CoverageMode.exact, 15000.0))
    timer = threading.Timer(0.3, _thread.interrupt_main)  # as Ctrl-C would: SIGINT to the main thread
    start = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        engine.compute()
    stopped_after = time.perf_counter() - start
    timer.join()
    # The whole exact map of the 9 sectors takes several seconds; the interrupt stops it within about a second.
    assert stopped_after < 1.5
    # The engine is still usable afterwards.
    assert lc.CoverageEngine(sang_moc_dem, _centre(sang_moc_sectors), _options()).compute().stats.model_evaluations > 0


def test_the_gil_is_released_while_computing(sang_moc_dem, sang_moc_sectors):
    options = _options(lc.CoverageMode.exact, 8000.0)
    options.threads = 1  # leave a core to the Python thread: this is about the GIL, not about cores
    engine = lc.CoverageEngine(sang_moc_dem, sang_moc_sectors, options)
    ticks = []
    done = threading.Event()

    def counter():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.005)

    t = threading.Thread(target=counter)
    t.start()
    start = time.perf_counter()
    engine.compute()
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    during = [x for x in ticks if start <= x <= start + elapsed]
    # A Python thread kept running while C++ computed: at least a tick every 50 ms on average.
    assert elapsed > 0.3
    assert len(during) >= elapsed / 0.05


def test_site_off_the_dem_is_named(sang_moc_dem, sang_moc_sectors):
    s = copy.copy(_centre(sang_moc_sectors)[0])  # the fixture's sectors stay as they are
    s.location = lc.GeoPoint(lat_deg=10.0, lon_deg=100.0)
    s.ground_elev_m = None
    with pytest.raises(lc.OutOfDomain, match=f"sector '{s.sector_id}' at 10.00000 N, 100.00000 E is off the DEM"):
        lc.CoverageEngine(sang_moc_dem, [s], _options())


def test_write_coverage_outputs(sang_moc_dem, sang_moc_sectors, scratch):
    from osgeo import gdal

    options = _options()
    m = lc.CoverageEngine(sang_moc_dem, _centre(sang_moc_sectors), options).compute()
    folder = scratch / "coverage_outputs"
    folder.mkdir()
    written = lc.write_coverage_outputs(m, sang_moc_dem, options, str(folder))
    names = {p.split("/")[-1] for p in written}
    assert {"path_loss_db.tif", "signal_dbm.tif", "best_server.tif", "signal_class.tif", "coverage.png", "coverage.kmz"} <= names
    ds = gdal.Open(str(folder / "signal_dbm.tif"))
    np.testing.assert_array_equal(ds.GetRasterBand(1).ReadAsArray(), m.signal_dbm.values)
    with pytest.raises(lc.IoError, match="no_such_folder"):
        lc.write_coverage_outputs(m, sang_moc_dem, options, str(folder / "no_such_folder"))
    # A subset: only what is asked for (the centre's sectors are 4G and 3G: signal_dbm brings each technology's too).
    subset = scratch / "coverage_outputs_subset"
    subset.mkdir()
    written = lc.write_coverage_outputs(m, sang_moc_dem, options, str(subset), only=["signal_dbm", "coverage_kmz"])
    assert sorted(p.split("/")[-1] for p in written) == sorted(p.name for p in subset.iterdir())
    assert {p.name for p in subset.iterdir()} == {"signal_dbm.tif", "signal_4g_rsrp_dbm.tif", "signal_3g_rscp_dbm.tif", "coverage.kmz"}
    assert lc.coverage_output_names() == ["path_loss_db", "signal_dbm", "best_server", "signal_class", "server_count",
                                          "coverage_png", "coverage_kmz"]
    with pytest.raises(lc.InvalidArgument, match="unknown coverage output 'visible' \\(choose among path_loss_db"):
        lc.write_coverage_outputs(m, sang_moc_dem, options, str(subset), only=["visible"])


def test_profile_sampling_nearest_reads_the_posts_and_moves_the_map_on_rugged_terrain():
    # Serra do Cipó SRTM 1″ at 30 m, 3 km: an exact map read from the nearest posts equals ITM on profiles of nearest
    # posts cell for cell, and differs from the bilinear map (measured on this terrain at 10 km: median 0.39 dB,
    # p95 7.0 dB between the two).
    repo = pathlib.Path(__file__).resolve().parents[2]
    site = lc.GeoPoint(lat_deg=-19.435, lon_deg=-43.535)
    box = lc.GeoBox.empty()
    box.include(site, 4000.0)
    dem = lc.read_dem(str(repo / "data" / "dem" / "serra_do_cipo_srtm1.tif"), lc.DemOptions(cell_size_m=30.0, area=box))
    s = lc.Sector()
    s.site_id = s.sector_id = "cipo"
    s.location, s.height_agl_m, s.freq_mhz = site, 30.0, 1800.0
    maps = {}
    for sampling in (lc.ProfileSampling.bilinear, lc.ProfileSampling.nearest):
        options = lc.CoverageOptions(model=lc.ItmModel(), mode=lc.CoverageMode.exact, radius_m=3000.0, profile_sampling=sampling)
        maps[sampling.name] = lc.CoverageEngine(dem, [s], options).compute()
    near = maps["nearest"]
    a = dem.to_grid(site)
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(100):  # the 3 km disc is about 44 % of the 8 km box
        col, row = int(rng.integers(0, dem.width)), int(rng.integers(0, dem.height))
        expected = near.path_loss_at(0, col, row)
        if np.isnan(expected):
            continue
        c = dem.cell_centre(col, row)
        profile = dem.profile(a, c, 30.0, sampling=lc.ProfileSampling.nearest)
        link = lc.LinkParams(freq_mhz=1800.0, tx_height_agl_m=30.0, rx_height_agl_m=1.5)
        assert lc.ItmModel().path_loss(profile, link).loss_db == pytest.approx(expected, abs=1e-3)
        checked += 1
    assert checked > 30
    x, y = near.path_loss_db[0].values, maps["bilinear"].path_loss_db[0].values
    both = np.isfinite(x) & np.isfinite(y)
    d = np.abs(x[both] - y[both])
    assert 0.1 < np.median(d) < 2.0 and np.percentile(d, 95) > 2.0


@pytest.mark.parametrize("model", ["free-space", "bullington"])
def test_a_share_of_locations_shifts_every_cell_by_the_log_normal_margin(sang_moc_dem, sang_moc_sectors, model):
    # Free space reads only the two ends of each path, delta-Bullington the whole profile: both through the same wrapper.
    sectors = _centre_lte(sang_moc_sectors)[:1]
    def loss(spec, mode):
        options = lc.CoverageOptions(model=lc.make_model(spec), mode=mode, radius_m=2000.0, threads=2)
        return lc.CoverageEngine(sang_moc_dem, sectors, options).compute().path_loss_on_grid(0).values.astype(np.float64)
    for mode in (lc.CoverageMode.fast, lc.CoverageMode.exact):
        median = loss(lc.ModelSpec(model=model), mode)
        at_90 = loss(lc.ModelSpec(model=model, location_pct=90.0, location_sigma_db=8.0), mode)
        at_10 = loss(lc.ModelSpec(model=model, location_pct=10.0), mode)
        ok = np.isfinite(median)
        assert ok.sum() > 10000 and np.array_equal(ok, np.isfinite(at_90))
        margin = 8.0 * lc.standard_normal_quantile(0.9)
        np.testing.assert_allclose(at_90[ok] - median[ok], margin, atol=2e-4)  # float32 rasters
        default_sigma = lc.default_location_sigma_db(sectors[0].freq_mhz, 100.0)
        assert default_sigma == pytest.approx((0.024 * sectors[0].freq_mhz / 1000 + 0.52) * 100 ** 0.28, rel=1e-12)
        np.testing.assert_allclose(at_10[ok] - median[ok], default_sigma * lc.standard_normal_quantile(0.1), atol=2e-4)


def test_p1812_takes_the_clutter_along_the_path(sang_moc_dem, sang_moc_sectors):
    sectors = _centre_lte(sang_moc_sectors)[:1]
    spec = lc.ModelSpec(model="p1812", p1812=lc.P1812Settings(delta_n_per_km=45.0, n0_n_units=330.0))
    land_cover = lc.read_clutter_map(str(pathlib.Path(__file__).resolve().parents[2] / "data" / "sang_moc" / "land_cover_synthetic_10m.tif"),
                                     sang_moc_dem)
    def loss(along_path):
        options = lc.CoverageOptions(model=lc.make_model(spec), mode=lc.CoverageMode.exact, radius_m=2000.0, threads=2)
        if along_path:
            options.rx_clutter = land_cover
            options.clutter_along_path = True
        return lc.CoverageEngine(sang_moc_dem, sectors, options).compute().path_loss_on_grid(0).values.astype(np.float64)
    bare, cluttered = loss(False), loss(True)
    ok = np.isfinite(bare)
    assert ok.sum() > 10000 and np.array_equal(ok, np.isfinite(cluttered))
    # Trees and houses raise the path's obstacles (never lower them): at the median the loss only grows, and under the
    # forested cones it grows a lot.
    assert (cluttered[ok] >= bare[ok] - 1e-3).all()
    assert np.mean(cluttered[ok] - bare[ok] > 3.0) > 0.2
    # Only P.1812 takes clutter along the path.
    options = lc.CoverageOptions(model=lc.ItmModel(lc.ItmParams()), radius_m=2000.0)
    options.rx_clutter = land_cover
    options.clutter_along_path = True
    with pytest.raises(lc.InvalidArgument, match=r"clutter along the path needs the land cover .* and the ITU-R P\.1812 model"):
        lc.CoverageEngine(sang_moc_dem, sectors, options)
