"""Terrain through Python: numpy views without copies, georeferencing, elevations, profiles, errors."""

import gc

import numpy as np
import pytest
from osgeo import gdal

import libcoverage as lc
from conftest import DATA, SANG_MOC


def test_raster_values_are_a_view_not_a_copy(sang_moc_dem):
    raster = sang_moc_dem.raster
    a = raster.values
    b = np.asarray(raster)
    assert a.shape == (raster.height, raster.width) == (428, 534)
    assert a.dtype == np.float32
    assert np.shares_memory(a, b)
    assert np.shares_memory(a, sang_moc_dem.elevation_grid_m)


def test_view_keeps_its_raster_alive():
    r = lc.RasterFloat32(np.arange(12, dtype=np.float32).reshape(3, 4), geo_transform=(500000, 10, 0, 2400000, 0, -10),
                         crs="EPSG:32648")
    view = r.values
    view[1, 2] = -5.0  # writes through to the raster
    assert np.asarray(r)[1, 2] == -5.0
    del r
    gc.collect()
    assert view[1, 2] == -5.0 and view[2, 3] == 11.0


def test_raster_georeferencing():
    r = lc.RasterUInt8(np.zeros((2, 3), np.uint8), geo_transform=(1000.0, 30.0, 0.0, 5000.0, 0.0, -30.0), crs="EPSG:32648", nodata=255)
    assert r.geo_transform == (1000.0, 30.0, 0.0, 5000.0, 0.0, -30.0)
    assert r.bounds_m == (1000.0, 4940.0, 1090.0, 5000.0)
    assert r.extent_m == (1000.0, 1090.0, 4940.0, 5000.0)
    assert r.nodata == 255 and r.crs == "EPSG:32648"
    with pytest.raises(lc.InvalidArgument, match="2-D"):
        lc.RasterFloat32(np.zeros(5, np.float32), geo_transform=(0, 1, 0, 0, 0, -1), crs="EPSG:32648")
    with pytest.raises(lc.InvalidArgument, match="6 numbers"):
        lc.RasterFloat32(np.zeros((2, 2), np.float32), geo_transform=(0, 1, 0), crs="EPSG:32648")


def test_dem_grid_matches_the_file_read_by_gdal(sang_moc_dem):
    # The Sảng Mộc terrain is already a 30 m UTM grid: read_dem keeps its grid and values.
    ds = gdal.Open(str(SANG_MOC / "terrain_synthetic_30m.tif"))
    assert sang_moc_dem.geo_transform == pytest.approx(ds.GetGeoTransform(), abs=1e-6)
    assert lc.utm_epsg_for(sang_moc_dem.to_geo(lc.GridPoint(x_m=605000, y_m=2425000))) == 32648
    assert "32648" in lc.crs_name(sang_moc_dem.crs)
    expected = ds.GetRasterBand(1).ReadAsArray().astype(np.float32)
    np.testing.assert_allclose(sang_moc_dem.raster.values, expected, atol=1e-3)


def test_elevation_at_a_cell_centre_is_the_cell_value(sang_moc_dem):
    z = sang_moc_dem.raster.values
    for col, row in [(10, 20), (267, 214), (500, 400)]:
        centre = sang_moc_dem.cell_centre(col, row)
        assert sang_moc_dem.elevation_m(centre) == pytest.approx(float(z[row, col]), abs=1e-3)
        geo = sang_moc_dem.to_geo(centre)
        assert sang_moc_dem.elevation_m(geo) == pytest.approx(float(z[row, col]), abs=0.05)
        cell = sang_moc_dem.cell_at(centre)
        assert (cell.col, cell.row) == (col, row)


def test_profile_ends_at_the_endpoints(sang_moc_dem):
    a = lc.GeoPoint(lat_deg=21.918, lon_deg=106.0185)
    b = lc.GeoPoint(lat_deg=21.9486, lon_deg=106.0352)
    p = sang_moc_dem.profile(a, b, 30.0)
    d = lc.great_circle_distance_m(a, b)
    assert p.length_m == pytest.approx(d, rel=0.01)  # grid distance vs great circle: UTM scale near 1
    assert p.step_m <= 30.0
    assert p.elevation_m[0] == pytest.approx(sang_moc_dem.elevation_m(a), abs=1e-6)
    assert p.elevation_m[-1] == pytest.approx(sang_moc_dem.elevation_m(b), abs=1e-6)
    assert p.distance_m[-1] == pytest.approx(p.length_m)


def test_real_srtm_tile_is_reprojected_to_utm():
    dem = lc.read_dem([str(DATA / "dem" / "N44W072.hgt")],
                      lc.DemOptions(area=lc.GeoBox(south_deg=44.2, west_deg=-71.4, north_deg=44.4, east_deg=-71.1)))
    assert "32619" in lc.crs_name(dem.crs)  # UTM 19N for 71 W
    assert 60 < dem.cell_size_m < 100  # 3 arc-second tile
    # Mount Washington (1917 m) lies in this box; the 3 arc-second grid peaks within 100 m of it.
    assert 1817 < float(np.nanmax(dem.raster.values)) < 1925


def test_missing_file_is_an_io_error_naming_it():
    with pytest.raises(lc.IoError, match="no_such_tile.hgt") as info:
        lc.read_dem(str(DATA / "dem" / "no_such_tile.hgt"))
    assert isinstance(info.value, OSError) and isinstance(info.value, lc.CoverageError)


def test_voids_are_an_error_unless_filled():
    tile = str(DATA / "dem" / "N50E010.hgt")
    box = lc.GeoBox(south_deg=50.88, west_deg=10.02, north_deg=50.97, east_deg=10.12)
    with pytest.raises(lc.OutOfDomain, match="N50E010.hgt"):
        lc.read_dem(tile, lc.DemOptions(area=box))
    filled = lc.read_dem(tile, lc.DemOptions(area=box, void_policy=lc.VoidPolicy.fill))
    assert filled.voids.filled_cells > 0
    assert np.isfinite(filled.raster.values).all()


def test_point_off_the_dem_is_out_of_domain(sang_moc_dem):
    with pytest.raises(lc.OutOfDomain):
        sang_moc_dem.elevation_m(lc.GeoPoint(lat_deg=10.0, lon_deg=100.0))
    assert sang_moc_dem.try_elevation_m(lc.GridPoint(x_m=0.0, y_m=0.0)) is None
