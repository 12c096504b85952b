#!/usr/bin/env python3
"""Province benchmark (issue 7): a synthetic province of N communes (tests/python/synthetic_province.py), run
1. in one process, commune after commune (run_commune_local, the reference; 1 C++ thread),
2. on a local Dask cluster of 1 worker and of 2 workers (run_province; 1 thread each),
and print wall time, grid cells/s, communes/min, per-commune cost and each worker's peak RSS, then what that implies
for the 178 communes of Thái Nguyên.

    PYTHONPATH=build/release-bench/python /usr/bin/python3 tests/bench/bench_province.py [communes] [radius_km] [tile_km]
"""

import os
import pathlib
import resource
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "python"))

import libcoverage.distributed as dist  # noqa: E402
from synthetic_province import make_province  # noqa: E402


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> int:
    communes = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    radius_km = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    tile_km = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        manifest = dist.read_manifest(str(make_province(pathlib.Path(tmp) / "in", communes=communes, bad=False, radius_km=radius_km,
                                                         tile_km=tile_km)))
        print(f"bench_province: {communes} synthetic communes, 2 towers (7 sectors) and 5 hamlets each, ITM fast, "
              f"radius {radius_km:g} km, 30 m, planning on; tiles {manifest.tile_km:g} km")
        start = time.perf_counter()
        local = [dist.run_commune_local(c, os.path.join(tmp, "local", str(i)), manifest.tile_km, threads=1)
                 for i, c in enumerate(manifest.communes)]
        single_s = time.perf_counter() - start
        cells = sum(r.grid_cells for r in local)
        per = [r.seconds for r in local]
        print(f"  single process: {single_s:.1f} s, {cells / single_s / 1e6:.2f} M grid cells/s, {60 * communes / single_s:.1f} communes/min;"
              f" per commune {min(per):.2f}-{max(per):.2f} s (mean {sum(per) / len(per):.2f} s, {cells / len(per) / 1e3:.0f} k cells);"
              f" peak RSS {peak_rss_mib():.0f} MiB")
        for workers in (1, 2):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
            client.run(lambda: None)  # workers up
            start = time.perf_counter()
            result = dist.run_province(manifest, os.path.join(tmp, f"dask{workers}"), client)
            wall = time.perf_counter() - start
            rss = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
            assert not result.failed, [c.error for c in result.failed]
            print(f"  dask, {workers} worker{'s' if workers > 1 else ''}: {wall:.1f} s, {cells / wall / 1e6:.2f} M grid cells/s, "
                  f"{60 * communes / wall:.1f} communes/min, speed-up {single_s / wall:.2f} x over one process; "
                  f"worker peak RSS {', '.join(f'{v:.0f}' for v in rss.values())} MiB")
            client.close()
            cluster.close()
        rate = 60 * communes / wall
        print(f"  178 communes at this rate: {178 / rate:.1f} min on 2 workers; a country of 10,000 communes on 100 such "
              f"workers: {10_000 / (rate * 50):.0f} min (if throughput scales with workers as from 1 to 2 here)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
