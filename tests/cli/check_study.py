#!/usr/bin/python3
"""Checks a `covtool study` output folder independently of the library (Python stdlib + GDAL):
run.json's checksums against hashlib, the report works offline, the rasters open with the study grid,
priorities.csv is ranked and only holds dead zones. Usage: check_study.py OUTDIR"""
import csv
import hashlib
import json
import pathlib
import re
import sys

from osgeo import gdal

gdal.UseExceptions()
out = pathlib.Path(sys.argv[1])
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


run = json.loads((out / "run.json").read_text(encoding="utf-8"))
for item in run["inputs"]:
    digest = hashlib.sha256(pathlib.Path(item["path"]).read_bytes()).hexdigest()
    check(digest == item["sha256"], f"sha256 of {item['path']}: run.json {item['sha256']}, hashlib {digest}")
for name in run["outputs"]:
    check((out / name).is_file(), f"output {name} listed in run.json is missing")

# report.html in the study's language (Vietnamese), report.en.html beside it; each self-contained.
vi = (out / "report.html").read_text(encoding="utf-8")
html = (out / "report.en.html").read_text(encoding="utf-8")
for name, page in (("report.html", vi), ("report.en.html", html)):
    # the markup without the inlined scripts' bodies (Leaflet's source holds its home page's address as a string)
    markup = re.sub(r"<script>.*?</script>", "<script></script>", page, flags=re.S)
    check(not re.search(r'(src|href)\s*=\s*"(https?:)?//', markup), f"{name} refers to an outside resource")
    check("<script src" not in markup and "<link" not in markup, f"{name} loads a script or stylesheet from a file")
    # with [uncertainty] also the histogram of the households the budget connects across the trials
    pictures = 4 + (1 if "uncertainty" in run["study"] else 0)
    check(len(re.findall(r'<img[^>]+src="data:image/png;base64,', markup)) == pictures,
          f"{name} should embed the 4G and 3G maps, the plan map and the plan curve (and the Monte Carlo's chart)")
    check('id="imap"' in markup and "L.map('imap'" in page, f"{name} has no interactive map")
check('<html lang="vi">' in vi and "địa hình mô phỏng" in vi, "report.html is not the Vietnamese report of a synthetic terrain")
check("synthetic" in html, "report.en.html does not say the terrain is synthetic")

grid = run["grid"]
for tif in ("signal_4g_rsrp_dbm.tif", "signal_class_4g.tif", "best_server_4g.tif", "path_loss_db.tif"):
    ds = gdal.Open(str(out / tif))
    check(ds.RasterXSize == grid["width"] and ds.RasterYSize == grid["height"], f"{tif}: size differs from run.json's grid")
    check(abs(ds.GetGeoTransform()[1] - grid["cell_m"]) < 1e-9, f"{tif}: cell size")
    check(ds.GetSpatialRef().GetAuthorityCode(None) == "32648", f"{tif}: not UTM 48N")
    check(ds.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE") == "COG", f"{tif}: not a COG")

with open(out / "hamlets.csv", encoding="utf-8") as f:
    dead = {row["name"] for row in csv.DictReader(f) if row["dead_zone"] == "yes"}
with open(out / "priorities.csv", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
check([int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1)), "ranks are not 1..n")
check({r["name"] for r in rows} == dead, f"priorities {[r['name'] for r in rows]} are not the dead zones {sorted(dead)}")
scores = [float(r["score"]) for r in rows]
check(scores == sorted(scores, reverse=True), f"scores not falling: {scores}")
check(all(r["reason"].endswith(".") and "Score" in r["reason"] for r in rows), "a reason is missing")
check(all(r["reason_vi"].endswith(".") and "Điểm" in r["reason_vi"] for r in rows), "a Vietnamese reason is missing")

with open(out / "plan.csv", encoding="utf-8") as f:
    plan = list(csv.DictReader(f))
chosen = [r for r in plan if r["status"] == "chosen"]
budget = run["study"]["planning"]["budget_usd"]
spent = sum(float(r["cost_usd"]) for r in chosen)
check(spent <= budget, f"the plan spends {spent} of a {budget} budget")
check([int(r["step"]) for r in chosen] == list(range(1, len(chosen) + 1)), "plan steps are not 1..n")
check(all(r["note"].startswith("not possible") for r in plan if r["status"] == "impossible"), "an impossible option has no reason")
check(all(r["note_vi"].startswith("không") for r in plan if r["status"] != "chosen"), "an option left out has no Vietnamese reason")
for action in ("small_cell", "ftth"):
    check({r["name"] for r in plan if r["action"] == action} >= dead, f"a dead zone has no {action} option in plan.csv")
# The Monte Carlo: columns in priorities.csv and plan.csv, the trials' file, the report's section.
if "uncertainty" in run["study"]:
    trials = run["study"]["uncertainty"]["trials"]
    with open(out / "uncertainty_households.csv", newline="", encoding="utf-8") as f:
        per_trial = list(csv.DictReader(f))
    check(len(per_trial) == trials, f"uncertainty_households.csv has {len(per_trial)} rows for {trials} trials")
    check(all(float(r["cost_usd"]) <= budget + 0.5 for r in per_trial), "a trial's plan spends more than the budget")
    check(all(0.0 <= float(r["top3_pct"]) <= 100.0 and float(r["dead_zone_pct"]) > 0.0 for r in rows), "priorities.csv lacks the Monte Carlo's shares")
    check(all(r["in_plan_pct"] != "" for r in plan if r["status"] != "impossible"), "plan.csv lacks in_plan_pct")
    mc = run["uncertainty"]
    connected = sorted(float(r["households_connected"]) for r in per_trial)
    check(mc["households_p10"] <= mc["households_p50"] <= mc["households_p90"], "run.json's households quantiles are not ordered")
    check(any(abs(mc["households_p50"] - h) < 0.01 for h in connected), "run.json's median is not a trial's households")
    top3 = {r["hamlet_id"]: float(r["top3_pct"]) for r in rows}
    check(all(abs(top3[x["hamlet_id"]] - x["top3_pct"]) < 0.06 for x in mc["ranks"] if x["hamlet_id"] in top3),
          "run.json and priorities.csv disagree on top3_pct")
    check("How sure the ranking and the plan are" in html and "Thứ tự ưu tiên và phương án chắc chắn đến đâu" in vi,
          "the report has no Monte Carlo section")
check("What to build first" in html, "report.en.html has no plan section")
check("Nên xây dựng gì trước" in vi, "report.html has no plan section")

if failures:
    print("check_study: FAILED\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"check_study: ok ({len(run['inputs'])} checksums, {len(rows)} ranked dead zones, {len(chosen)} plan steps)")
