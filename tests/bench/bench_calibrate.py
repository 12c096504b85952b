#!/usr/bin/env python3
"""Calibration benchmark (issue 18): `covtool calibrate` as a user runs it on a drive test of N samples (default
100 000), made from the shipped Sảng Mộc drive test by driving its route N / 2 908 times, each pass shifted by up to
20 m and re-timed (deterministic), so bins, predictions and the fit all grow with N. Prints the whole command's wall
time, its peak RSS and the samples per second, for this build's covtool and, when given, another's (e.g. the previous
commit's, built beside it) in the same run.

    /usr/bin/python3 tests/bench/bench_calibrate.py build/release/tools/covtool [OTHER_COVTOOL] [--samples N]
"""

import argparse
import csv
import datetime
import pathlib
import random
import resource
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
SANG_MOC = REPO / "data" / "sang_moc"


def make_drive_test(path: pathlib.Path, samples: int) -> int:
    with open(SANG_MOC / "drive_test_synthetic.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["rsrp_dbm"] and r["lat_deg"]]
    rng = random.Random(18)
    t = datetime.datetime(2026, 11, 20, 8, 0, 0, tzinfo=datetime.timezone.utc)
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["time", "lat_deg", "lon_deg", "rsrp_dbm", "sector_id"])
        while written < samples:
            dlat, dlon = rng.uniform(-1.8e-4, 1.8e-4), rng.uniform(-1.9e-4, 1.9e-4)  # up to 20 m
            for r in rows:
                if written == samples:
                    break
                t += datetime.timedelta(seconds=1)
                w.writerow([t.isoformat(), f"{float(r['lat_deg']) + dlat:.6f}", f"{float(r['lon_deg']) + dlon:.6f}",
                            int(r["rsrp_dbm"]) + rng.randint(-2, 2), r["sector_id"]])
                written += 1
    return written


def run(covtool: str, drive: pathlib.Path, out: pathlib.Path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    r = subprocess.run([covtool, "calibrate", str(SANG_MOC / "study.toml"), "--measurements", str(drive), "-o", str(out),
                        "--threads", "2"], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit(f"{covtool} failed: {r.stderr}")
    rss = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024.0
    held = next((line.strip() for line in r.stdout.splitlines() if "held-out" in line), "")
    bins = next((line.strip() for line in r.stdout.splitlines() if line.startswith("lte ")), "")
    return wall, rss, bins, held


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("covtool")
    p.add_argument("other", nargs="?")
    p.add_argument("--samples", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        drive = pathlib.Path(tmp) / "drive.csv"
        n = make_drive_test(drive, a.samples)
        print(f"bench_calibrate: {n} samples ({drive.stat().st_size / 1e6:.1f} MB CSV), Sảng Mộc study (P.1812, clutter along the path), "
              f"2 threads, best of {a.repeat}")
        for label, exe in (("this", a.covtool), ("other", a.other)):
            if not exe:
                continue
            best = min((run(exe, drive, pathlib.Path(tmp) / f"out_{label}_{k}") for k in range(a.repeat)), key=lambda x: x[0])
            print(f"  {label:5s} {exe}: {best[0]:.2f} s whole command, {n / best[0]:,.0f} samples/s, peak RSS {best[1]:.0f} MiB")
            print(f"        {best[2]}; {best[3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
