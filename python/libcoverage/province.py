"""Run a province manifest on a Dask cluster.

    python3 -m libcoverage.province MANIFEST.toml -o OUTDIR [--scheduler ADDRESS] [--workers N] [--threads N]

Without --scheduler a local cluster of N worker processes (default 2) is started and stopped. Writes
OUTDIR/<commune>/ (rasters, hamlets.csv, priorities.csv, plan.csv), OUTDIR/province_summary.csv and OUTDIR/province.html
(every commune's summary and one sortable table of every dead-zone hamlet of the province, in --lang, default the first
commune study's report.language; a copy in the other language beside it); prints the summary and what failed. Exit status: 0 when every commune succeeded, 1 when some failed, 2 for a bad manifest or usage.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import _core
from . import distributed as dist
from .province_page import write_province_pages


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m libcoverage.province", description=__doc__.split("\n\n")[0])
    parser.add_argument("manifest", help="province manifest (TOML): [province] and [[commune]] entries with their study files")
    parser.add_argument("-o", "--out", required=True, help="output folder")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster (without --scheduler)")
    parser.add_argument("--threads", type=int, default=1, help="C++ threads per task")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--lang", choices=_core.message_languages(),
                        help="language of province.html (default: report.language of the first commune's study file)")
    args = parser.parse_args(argv)
    try:
        manifest = dist.read_manifest(args.manifest)
        language = args.lang or _core.read_study(manifest.communes[0].study_file).language
    except _core.CoverageError as e:
        print(f"libcoverage.province: {e}", file=sys.stderr)
        return 2
    client, cluster = None, None
    if args.scheduler:
        client = args.scheduler
    else:
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        result = dist.run_province(manifest, args.out, client, threads=args.threads, progress=not args.quiet)
    except KeyboardInterrupt:
        print("libcoverage.province: interrupted", file=sys.stderr)
        return 130
    finally:
        if cluster is not None:
            client.close()
            cluster.close()
    summary = result.summary()
    print(f"{manifest.name}: {len(result.communes) - len(result.failed)} of {len(result.communes)} communes done in "
          f"{result.seconds:.1f} s on {result.workers} workers ({result.grid_cells / max(result.seconds, 1e-9) / 1e6:.2f} M grid cells/s)")
    columns = [c for c in ["commune", "status", "dead_zones", "households_without_service", "plan_households_new", "plan_cost_usd"]
               if c in summary.columns]
    print(summary[columns].to_string(index=False))
    for c in result.failed:
        print(f"FAILED {c.name}: {c.error}", file=sys.stderr)
    pages = write_province_pages(result, language)
    print(f"written: {result.out_dir}/province_summary.csv, " + ", ".join(os.path.basename(p) for p in pages))
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
