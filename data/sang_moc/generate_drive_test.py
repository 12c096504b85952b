#!/usr/bin/python3
"""A labelled, SYNTHETIC drive test of Sảng Mộc: what an LTE phone logging at 1 Hz would record driving the commune
road and the track to Tiên Sơn, both ways, if the world were the study's model plus known errors.

No measurement of the commune exists here, so this script makes one whose truth is known, for calibration to be
tested and taught (notebooks/05_calibration.ipynb). Each sample's level is

    the study's prediction (ITU-R P.1812, clutter along the path, median location) of the serving LTE sector
    + a known global offset and a known offset per land-cover class (TRUE_OFFSETS_DB below)
    + log-normal shadowing, correlated along the route (Gudmundson's exponential model: correlation
      exp(-d / D) between points d apart), sigma 8 dB and D = 120 m: 3GPP TR 38.901 V16.1.0, Table 7.4.1-1 (RMa
      NLOS shadow fading sigma_SF = 8 dB) and Table 7.5-6 part 1 (RMa NLOS shadow fading correlation distance 120 m);
      M. Gudmundson, "Correlation model for shadow fading in mobile radio systems", Electronics Letters 27(23), 1991.
      Where the road passes a place twice (there and back), the shadowing is the same;
    + the phone's measurement error, Gaussian with sigma 2 dB (3GPP TS 36.133, the intra-frequency relative RSRP
      accuracy of +/-2 dB), reported in whole dB as RSRP is (TS 36.133's 1 dB reporting steps).

The serving sector is the LTE sector with the strongest predicted signal. Where the true level falls below
-124 dBm the phone has no service and logs no level (an empty rsrp_dbm); a stretch of 12 s in the deepest valley
has no GPS fix (empty position). Both are refused and counted by covtool calibrate, as in a real log.

Outputs (beside this script): drive_test_synthetic.csv (time, lat_deg, lon_deg, rsrp_dbm, sector_id) and
drive_test_truth.json (the true offsets, the shadowing and noise parameters, the seed). Seeded: the same seed gives
the same files, byte for byte.

Usage: PYTHONPATH=build/release/python generate_drive_test.py [--seed N] [--out-dir DIR]   (default seed 20213)
"""
import argparse
import csv
import datetime
import json
import math
import os

import numpy as np

import libcoverage as lc

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20213
SPEED_M_PER_S = 8.0          # a motorbike or car on a commune road, 29 km/h
SIGMA_SHADOW_DB = 8.0        # 3GPP TR 38.901 Table 7.4.1-1, RMa NLOS
CORRELATION_M = 120.0        # 3GPP TR 38.901 Table 7.5-6, RMa NLOS
SIGMA_PHONE_DB = 2.0         # 3GPP TS 36.133, relative RSRP accuracy
NO_SERVICE_DBM = -124.0
START = datetime.datetime(2026, 11, 20, 8, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
# The truth the calibration should find: dB added to the model's median prediction. Global, and per ESA WorldCover
# class (the correction in a class is their sum). Chosen for the exercise, not measured.
TRUE_GLOBAL_DB = 6.0
TRUE_OFFSETS_DB = {10: -4.0, 20: 0.0, 30: 1.0, 40: 3.0, 50: -5.0, 60: 2.0, 80: 3.0}


def route(dem, coordinates, step_m):
    """Points every step_m along a WGS84 line (lon, lat pairs), in the grid CRS; and their distance along it."""
    pts = [dem.to_grid(lc.GeoPoint(lat_deg=lat, lon_deg=lon)) for lon, lat in coordinates]
    xs, ys, along = [], [], []
    walked = 0.0
    for a, b in zip(pts, pts[1:]):
        length = math.hypot(b.x_m - a.x_m, b.y_m - a.y_m)
        n = max(1, int(length // step_m))
        for k in range(n):
            t = k / n
            xs.append(a.x_m + t * (b.x_m - a.x_m))
            ys.append(a.y_m + t * (b.y_m - a.y_m))
            along.append(walked + t * length)
        walked += length
    xs.append(pts[-1].x_m)
    ys.append(pts[-1].y_m)
    along.append(walked)
    return np.array(xs), np.array(ys), np.array(along)


def shadowing(along_m, rng):
    """Gudmundson's AR(1) along a route: sigma SIGMA_SHADOW_DB, correlation exp(-d / CORRELATION_M)."""
    out = np.empty(len(along_m))
    out[0] = rng.normal(0.0, SIGMA_SHADOW_DB)
    for i in range(1, len(along_m)):
        rho = math.exp(-(along_m[i] - along_m[i - 1]) / CORRELATION_M)
        out[i] = rho * out[i - 1] + math.sqrt(1.0 - rho * rho) * rng.normal(0.0, SIGMA_SHADOW_DB)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out-dir", default=HERE, help="where to write the two files (default: beside this script)")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    study = lc.read_study(os.path.join(HERE, "study.toml"))
    study.calibration_file = ""
    study.model.location_pct = None        # the median: measured local means scatter around it
    study.model.p1812.location_pct = 50.0
    inputs = lc.read_study_inputs(study)
    dem = lc.read_study_terrain(study, inputs)
    options = lc.study_coverage_options(study, dem)
    land_cover = lc.read_clutter_map(study.land_cover_file, dem, study.land_cover_classes)
    classes = np.array(land_cover.class_index.values)
    codes = np.array([c.code for c in land_cover.table.classes])
    lte = [i for i, s in enumerate(inputs.sectors) if s.technology == lc.Technology.lte]
    engine = lc.CoverageEngine(dem, inputs.sectors, options)

    def features(name):
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            return json.load(f)["features"]

    lines = [f["geometry"]["coordinates"] for f in features("roads.geojson")]
    lines += [f["geometry"]["coordinates"] for f in features("fibre.geojson")]
    step = SPEED_M_PER_S  # one sample a second
    rows = []
    t = START
    truth_rows = 0
    for line in lines:
        x, y, along = route(dem, line, step)
        predicted = np.array([engine.sector_signal_at(i, x, y) for i in lte])  # sectors × points
        best = np.nanargmax(np.where(np.isnan(predicted), -np.inf, predicted), axis=0)
        model = predicted[best, np.arange(len(x))]
        shadow = shadowing(along, rng)
        cells = [dem.cell_at(lc.GridPoint(x_m=a, y_m=b)) for a, b in zip(x, y)]
        code = np.array([codes[classes[c.row, c.col]] if c is not None else -1 for c in cells])
        true_mean = model + TRUE_GLOBAL_DB + np.array([TRUE_OFFSETS_DB.get(int(k), 0.0) for k in code]) + shadow
        for direction in (range(len(x)), range(len(x) - 1, -1, -1)):
            for i in direction:
                t += datetime.timedelta(seconds=1)
                if not np.isfinite(model[i]):
                    continue  # beyond every sector's radius or off the terrain: not driven
                level = true_mean[i] + rng.normal(0.0, SIGMA_PHONE_DB)
                g = dem.to_geo(lc.GridPoint(x_m=float(x[i]), y_m=float(y[i])))
                rows.append([t.isoformat(), f"{g.lat_deg:.6f}", f"{g.lon_deg:.6f}",
                             "" if true_mean[i] < NO_SERVICE_DBM else str(int(round(level))),
                             inputs.sectors[lte[int(best[i])]].sector_id])
                truth_rows += 1
            t += datetime.timedelta(seconds=60)  # a minute to turn round
    # A 12 s stretch without a GPS fix, where the route is deepest in its valley (the lowest predicted signal served).
    levels = [float(r[3]) if r[3] else 0.0 for r in rows]
    start = int(np.argmin(np.convolve(levels, np.ones(12), mode="valid")))
    for r in rows[start:start + 12]:
        r[1] = r[2] = ""
    with open(os.path.join(args.out_dir, "drive_test_synthetic.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["time", "lat_deg", "lon_deg", "rsrp_dbm", "sector_id"])
        w.writerows(rows)
    truth = {
        "synthetic": True,
        "seed": args.seed,
        "model": "the study's prediction at the median location (data/sang_moc/study.toml, location_pct 50)",
        "true_global_offset_db": TRUE_GLOBAL_DB,
        "true_class_offset_db": {str(k): v for k, v in TRUE_OFFSETS_DB.items()},
        "true_correction_db_by_class": {str(k): TRUE_GLOBAL_DB + v for k, v in TRUE_OFFSETS_DB.items()},
        "shadowing_sigma_db": SIGMA_SHADOW_DB,
        "shadowing_correlation_m": CORRELATION_M,
        "phone_sigma_db": SIGMA_PHONE_DB,
        "speed_m_per_s": SPEED_M_PER_S,
        "no_service_below_dbm": NO_SERVICE_DBM,
        "rows": truth_rows,
        "sources": ["3GPP TR 38.901 V16.1.0 Table 7.4.1-1 and Table 7.5-6", "Gudmundson, Electronics Letters 27(23), 1991",
                    "3GPP TS 36.133 (RSRP accuracy and reporting)"],
    }
    with open(os.path.join(args.out_dir, "drive_test_truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=2)
        f.write("\n")
    print(f"wrote {len(rows)} rows to drive_test_synthetic.csv")


if __name__ == "__main__":
    main()
