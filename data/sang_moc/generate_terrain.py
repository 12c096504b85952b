#!/usr/bin/python3
"""Synthetic karst terrain over the footprint of Sảng Mộc commune (Võ Nhai, Thái Nguyên, Vietnam).

No DEM tile of the commune could be obtained (data/sang_moc/SOURCES.md), so this script
builds a plausible stand-in, **synthetic, not measured**: steep limestone cones and ridges (peaks
300-1000 m) over valley floors of 200-400 m, with the streams in the valleys where the hamlets sit
(fengcong karst, as in the limestone massifs of northern Thái Nguyên / Bắc Kạn). Seeded: the same
seed gives the same raster, byte for byte.

Grid: UTM zone 48N (EPSG:32648), 30 m cells, x 598000-614020 m, y 2417360-2430200 m, which covers
21.86-21.97 N, 105.95-106.10 E. Output: GeoTIFF Int16, metres above sea level, with metadata
SYNTHETIC=YES and a description saying so.

Usage: generate_terrain.py [OUTPUT.tif] [--seed N]   (default: terrain_synthetic_30m.tif, seed 20211)
"""
import argparse
import math

import numpy as np
from osgeo import gdal, osr

X0, Y1 = 598000.0, 2430200.0      # top-left corner (UTM 48N)
CELL = 30.0
W, H = 534, 428                    # 16.02 km x 12.84 km

# Stream network (UTM 48N polylines, metres): the main valley runs west-east across the commune; a
# winding tributary climbs north-east from the commune centre (the fibre route to Tiên Sơn follows
# it); other tributaries drain the north and the south. Hamlets are placed on these lines.
STREAMS = [
    # main valley, west -> east
    [(598000, 2423300), (600500, 2423900), (603000, 2423500), (605200, 2424100), (607600, 2423700),
     (610200, 2424300), (614020, 2424000)],
    # north-east tributary from the centre (winding between cones)
    [(605200, 2424100), (605900, 2425300), (605300, 2426400), (606200, 2427300), (607600, 2427700),
     (608300, 2428800), (609600, 2429300)],
    # north-west tributary
    [(600500, 2423900), (600200, 2425600), (601100, 2427200), (600600, 2429000)],
    # south tributaries
    [(603000, 2423500), (603400, 2421800), (602600, 2420200), (603200, 2418300)],
    [(610200, 2424300), (610900, 2422600), (610300, 2420900), (611400, 2418900)],
    # east-north tributary
    [(610200, 2424300), (611300, 2426100), (612600, 2427500)],
]


def distance_to_polyline(xx, yy, line):
    best = np.full(xx.shape, np.inf)
    for (ax, ay), (bx, by) in zip(line[:-1], line[1:]):
        dx, dy = bx - ax, by - ay
        t = np.clip(((xx - ax) * dx + (yy - ay) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
        best = np.minimum(best, np.hypot(xx - (ax + t * dx), yy - (ay + t * dy)))
    return best


def smooth_noise(rng, shape, scale_cells, octaves=3):
    """Sum of bilinearly upsampled random grids: gentle relief for the valley floors."""
    out = np.zeros(shape)
    for o in range(octaves):
        step = max(2, int(scale_cells / (2 ** o)))
        gy, gx = shape[0] // step + 2, shape[1] // step + 2
        g = rng.standard_normal((gy, gx))
        yi = np.arange(shape[0]) / step
        xi = np.arange(shape[1]) / step
        y0 = np.floor(yi).astype(int)
        x0 = np.floor(xi).astype(int)
        fy = (yi - y0)[:, None]
        fx = (xi - x0)[None, :]
        a = g[y0][:, x0]
        b = g[y0][:, x0 + 1]
        c = g[y0 + 1][:, x0]
        d = g[y0 + 1][:, x0 + 1]
        out += ((a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy) / (2 ** o)
    return out / np.abs(out).max()


def build(seed):
    rng = np.random.default_rng(seed)
    cols = np.arange(W)
    rows = np.arange(H)
    xx = X0 + (cols[None, :] + 0.5) * CELL + np.zeros((H, 1))
    yy = Y1 - (rows[:, None] + 0.5) * CELL + np.zeros((1, W))

    d_stream = np.min([distance_to_polyline(xx, yy, s) for s in STREAMS], axis=0)

    # Valley floors 200-400 m: lowest along the main valley, rising gently up the tributaries.
    floor = 260.0 + 60.0 * smooth_noise(rng, (H, W), 120) + 0.004 * np.minimum(d_stream, 20000.0)
    floor = np.clip(floor, 200.0, 400.0)
    z = floor + 35.0 * np.clip((d_stream - 120.0) / 400.0, 0.0, 1.0)  # cockpit floors above the streams

    # Limestone cones: steep, flat-topped towers and short ridges, kept off the stream corridors.
    n_cones = 950
    cx = rng.uniform(X0, X0 + W * CELL, n_cones)
    cy = rng.uniform(Y1 - H * CELL, Y1, n_cones)
    height = rng.uniform(120.0, 620.0, n_cones)
    radius = rng.uniform(220.0, 520.0, n_cones)
    elong = rng.uniform(1.0, 2.6, n_cones)           # ridges: cones stretched along a direction
    angle = rng.uniform(0.0, math.pi, n_cones)
    cones = np.zeros((H, W))
    for i in range(n_cones):
        c = int((cx[i] - X0) / CELL)
        r = int((Y1 - cy[i]) / CELL)
        c = min(max(c, 0), W - 1)
        r = min(max(r, 0), H - 1)
        if d_stream[r, c] < radius[i] * 0.9 + 60.0:
            continue                                   # keep valleys open
        reach = int(radius[i] * elong[i] / CELL) + 2
        r0, r1 = max(0, r - reach), min(H, r + reach + 1)
        c0, c1 = max(0, c - reach), min(W, c + reach + 1)
        dx = xx[r0:r1, c0:c1] - cx[i]
        dy = yy[r0:r1, c0:c1] - cy[i]
        u = (dx * math.cos(angle[i]) + dy * math.sin(angle[i])) / elong[i]
        v = -dx * math.sin(angle[i]) + dy * math.cos(angle[i])
        q = np.hypot(u, v) / radius[i]
        shape = np.minimum(1.0, 1.35 * np.clip(1.0 - q ** 2, 0.0, None) ** 1.6)  # steep sides, rounded top
        cones[r0:r1, c0:c1] = np.maximum(cones[r0:r1, c0:c1], height[i] * shape)
    # Valleys stay open: cones fade out within 80-280 m of a stream (a valley floor ~160 m wide or more).
    z = z + cones * np.clip((d_stream - 80.0) / 200.0, 0.0, 1.0)
    # Streams cut 5-15 m below their floors.
    z = z - 12.0 * np.exp(-(d_stream / 45.0) ** 2)
    return np.clip(np.rint(z), 150, 1000).astype(np.int16)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output", nargs="?", default="terrain_synthetic_30m.tif")
    ap.add_argument("--seed", type=int, default=20211)
    a = ap.parse_args()
    z = build(a.seed)
    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(a.output, W, H, 1, gdal.GDT_Int16, ["COMPRESS=DEFLATE", "PREDICTOR=2", "TILED=YES"])
    ds.SetGeoTransform((X0, CELL, 0.0, Y1, 0.0, -CELL))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    ds.SetProjection(srs.ExportToWkt())
    ds.SetMetadata({"SYNTHETIC": "YES", "GENERATOR": "data/sang_moc/generate_terrain.py", "SEED": str(a.seed),
                    "TIFFTAG_IMAGEDESCRIPTION": "SYNTHETIC karst terrain for the Sang Moc demo - not a measured DEM",
                    "TIFFTAG_DATETIME": "2026:01:01 00:00:00"})
    band = ds.GetRasterBand(1)
    band.WriteArray(z)
    band.SetDescription("elevation (SYNTHETIC, generated by data/sang_moc/generate_terrain.py)")
    band.SetUnitType("m")
    ds.FlushCache()
    ds = None
    print(f"{a.output}: {W}x{H} cells of {CELL:.0f} m, elevation {z.min()}-{z.max()} m, seed {a.seed}")


if __name__ == "__main__":
    main()
