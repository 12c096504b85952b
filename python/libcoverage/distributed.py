"""Province scale: the same engine on a Dask cluster.

A province is a manifest of communes, each described by a study file (the format ``covtool study`` reads). For each
commune the work is split into tasks that a ``distributed.Client`` schedules on its workers:

1. ``prepare``: read the commune's DEM once, by the study's own grid rule (``lc.read_study_terrain``), and write it
   as a GeoTIFF on the shared output path; group the sectors by tower.
2. ``site`` (one per tower): read from that GeoTIFF only the window the tower's radius covers, run the C++ engine
   (GIL released) for the tower's sectors, and cut its per-technology composites (best signal, best server, server
   count, class) into the commune's output tiles.
3. ``merge`` (one per tile): combine the towers' pieces of a tile. Best signal is a maximum, best server its
   argument (the lower sector index on a tie, as the engine itself decides), server counts add up: the merge is
   associative and commutative, so the result does not depend on how the sectors were partitioned.
4. ``analyse`` (one per commune): assemble the tiles and run the study layer's own stages on them -- the hamlet
   analysis, the dead-zone ranking, the plan and the study's rasters and tables (hamlets.csv/.geojson,
   priorities.csv, plan.csv/.geojson) -- exactly as ``covtool study`` does for the same study file.

Terrain is never shipped through the scheduler: every task reads what it needs from the shared path with GDAL, and
tasks exchange tiles, never a commune's or the province's arrays. A worker's memory is bounded by a tower's window
and a tile (and, for ``analyse``, one commune), not by the province.

``run_commune_local`` computes a commune in one process without Dask, the whole grid at once: the reference the
distributed results equal bit for bit.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import shutil
import time
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import _core as lc
from . import tables
from ._folders import _commune_folders, _staging, _swap_into_place
from ._manifest import Commune, Manifest, read_manifest

__all__ = [
    "Commune",
    "Manifest",
    "CommuneResult",
    "ProvinceResult",
    "read_manifest",
    "run_province",
    "run_commune_local",
    "load_terrain",
]

TECHNOLOGIES = tuple(t.technology for t in lc.technologies())  # the technology table's order (4G, 3G, 5G)
# Beyond the radius the fast mode samples its radials two more steps, bilinearly: a window this many cells wider
# than the radius holds everything a tower's computation reads, so it equals the computation on the whole grid.
WINDOW_MARGIN_CELLS = 6


# ------------------------------------------------------------------------------------------------- the grid
@dataclasses.dataclass(frozen=True)
class Grid:
    """A commune's metric grid as stored on the shared path (plain data: cheap to send to tasks)."""

    terrain_path: str
    geo_transform: Tuple[float, float, float, float, float, float]
    crs: str
    width: int
    height: int
    tile_cells: int
    resampling: str = ""  # how the grid was made from the DEM (Dem.resampling), for run.json

    @property
    def cell_m(self) -> float:
        return self.geo_transform[1]

    def tiles(self) -> List[Tuple[int, int]]:
        """(tile_row, tile_col) of every tile."""
        return [(i, j) for i in range(math.ceil(self.height / self.tile_cells)) for j in range(math.ceil(self.width / self.tile_cells))]

    def tile_bounds(self, tile: Tuple[int, int]) -> Tuple[int, int, int, int]:
        """(row0, row1, col0, col1), end exclusive."""
        i, j = tile
        t = self.tile_cells
        return i * t, min(self.height, (i + 1) * t), j * t, min(self.width, (j + 1) * t)


def load_terrain(path: str, window: Optional[Tuple[int, int, int, int]] = None) -> lc.Dem:
    """A Dem from a metric GeoTIFF written by ``prepare``: the whole grid, or the window (row0, row1, col0, col1),
    values as stored (no resampling), so a window's cells equal the whole grid's bit for bit."""
    from osgeo import gdal

    ds = gdal.Open(path)
    if ds is None:
        raise lc.IoError(f"terrain '{path}' cannot be opened")
    gt = ds.GetGeoTransform()
    row0, row1, col0, col1 = window if window else (0, ds.RasterYSize, 0, ds.RasterXSize)
    values = ds.GetRasterBand(1).ReadAsArray(col0, row0, col1 - col0, row1 - row0).astype(np.float32, copy=False)
    origin = (gt[0] + col0 * gt[1], gt[1], 0.0, gt[3] + row0 * gt[5], 0.0, gt[5])
    raster = lc.RasterFloat32(np.ascontiguousarray(values), geo_transform=origin, crs=ds.GetProjection())
    return lc.Dem(raster, source=os.path.basename(path))


# ------------------------------------------------------------------------------------------------- settings
# Everything a study means -- its inputs, its grid, its coverage settings, the analysis, the plan and the files -- is
# the C++ study layer's (lc.read_study_inputs, lc.read_study_terrain, lc.study_coverage_options, lc.analyse_study,
# lc.write_study_rasters, lc.write_study_tables): the same functions `covtool study` runs, so a commune's folder here
# equals the study's. What is below is only what is distributed: windows, tiles, tasks and the merge.
def _read(commune: Commune):
    """The commune's study file and the inputs it names."""
    study = lc.read_study(commune.study_file)
    return study, lc.read_study_inputs(study)


def _radius_m(study: lc.Study) -> float:
    """The study's radius (required for a province run: see _prepare)."""
    return study.radius_km * 1000.0


# ------------------------------------------------------------------------------------------------- the tasks
@dataclasses.dataclass(frozen=True)
class Prepared:
    """What ``prepare`` found: the grid, the towers (sector indices) and their windows."""

    grid: Grid
    sector_ids: Tuple[str, ...]
    towers: Tuple[Tuple[str, Tuple[int, ...], Tuple[int, int, int, int]], ...]  # site_id, sector indices, window


def prepare(commune: Commune, out_dir: str, tile_km: float) -> Prepared:
    """Read the commune's DEM once by the study's grid rule, store it on the shared path, plan the towers' windows."""
    return _prepare(commune, *_read(commune), out_dir, tile_km)


def _prepare(commune: Commune, study: lc.Study, inputs: lc.StudyInputs, out_dir: str, tile_km: float) -> Prepared:
    if study.radius_km is None:
        # The engine's default radius is capped by the grid's extent, which a tower's window changes.
        raise lc.InvalidArgument(f"{commune.study_file}: coverage.radius_km is required for a province run (the default "
                                 "radius depends on the extent of the grid, which the towers' windows would change)")
    lc.check_replaceable(out_dir, lc.RunKind.province_commune)  # before any work: a folder of someone else's fails now
    dem = lc.read_study_terrain(study, inputs)
    stage = _staging(out_dir)
    shutil.rmtree(stage, ignore_errors=True)  # what an interrupted earlier run left
    os.makedirs(stage)
    terrain_path = os.path.join(stage, "terrain_m.tif")
    lc.write_raster(terrain_path, [dem.raster], [lc.BandInfo(description="ground elevation", unit="m")])
    gt = dem.geo_transform
    cell = dem.cell_size_m
    grid = Grid(terrain_path, tuple(gt), dem.crs, dem.width, dem.height, max(1, round(tile_km * 1000.0 / cell)), dem.resampling)
    sectors = inputs.sectors
    towers: Dict[str, List[int]] = {}
    for i, s in enumerate(sectors):
        towers.setdefault(s.site_id, []).append(i)
    plan = []
    reach = _radius_m(study) + WINDOW_MARGIN_CELLS * cell
    for site_id, indices in towers.items():
        # The window holds every sector of the site_id, wherever each stands: a sites file may reuse an id for masts
        # at different positions, and each sector must see its whole radius, as in the single-process run.
        at = [dem.to_grid(sectors[i].location) for i in indices]
        col0 = max(0, math.floor((min(p.x_m for p in at) - reach - gt[0]) / cell))
        col1 = min(dem.width, math.ceil((max(p.x_m for p in at) + reach - gt[0]) / cell) + 1)
        row0 = max(0, math.floor((gt[3] - (max(p.y_m for p in at) + reach)) / cell))
        row1 = min(dem.height, math.ceil((gt[3] - (min(p.y_m for p in at) - reach)) / cell) + 1)
        if col0 >= col1 or row0 >= row1:
            raise lc.OutOfDomain(f"{commune.study_file}: tower '{site_id}' at {lc.describe(sectors[indices[0]].location)} is off the DEM")
        plan.append((site_id, tuple(indices), (row0, row1, col0, col1)))
    return Prepared(grid, tuple(s.sector_id for s in sectors), tuple(plan))


Piece = Dict[int, Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]  # technology value → (signal, best, class, count)


def _empty_piece(shape) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return (np.full(shape, np.nan, np.float32), np.full(shape, lc.no_server, np.uint16), np.full(shape, lc.no_class, np.uint8),
            np.zeros(shape, np.uint8))


def site(commune: Commune, prepared: Prepared, tower: int, threads: int = 1) -> Dict[Tuple[int, int], Piece]:
    """One tower's sectors over its window, cut into the tiles the window touches: {tile: {technology: arrays}}."""
    study = lc.read_study(commune.study_file)
    sectors = lc.read_sites(study.sites_file)
    _, indices, window = prepared.towers[tower]
    dem = load_terrain(prepared.grid.terrain_path, window)
    options = lc.study_coverage_options(study, dem, threads)
    mine = [sectors[i] for i in indices]
    coverage = lc.CoverageEngine(dem, mine, options).compute()
    to_global = np.array(indices + (lc.no_server,), dtype=np.uint16)  # local index → sector index in the commune
    composites = {c.technology.value: c.composite for c in lc.coverage_by_technology(coverage, dem, options)}
    row0, row1, col0, col1 = window
    out: Dict[Tuple[int, int], Piece] = {}
    for tile in prepared.grid.tiles():
        t_row0, t_row1, t_col0, t_col1 = prepared.grid.tile_bounds(tile)
        r0, r1, c0, c1 = max(row0, t_row0), min(row1, t_row1), max(col0, t_col0), min(col1, t_col1)
        if r0 >= r1 or c0 >= c1:
            continue
        piece: Piece = {}
        for tech, comp in composites.items():
            arrays = _empty_piece((t_row1 - t_row0, t_col1 - t_col0))
            dst = (slice(r0 - t_row0, r1 - t_row0), slice(c0 - t_col0, c1 - t_col0))
            src = (slice(r0 - row0, r1 - row0), slice(c0 - col0, c1 - col0))
            best = comp.best_server.values[src]
            arrays[0][dst] = comp.signal_dbm.values[src]
            arrays[1][dst] = to_global[np.minimum(best, len(indices))]
            arrays[2][dst] = comp.signal_class.values[src]
            arrays[3][dst] = comp.server_count.values[src]
            piece[tech] = arrays
        out[tile] = piece
    return out


def merge_pieces(a: Piece, b: Piece) -> Piece:
    """The composite of two pieces of one tile: associative and commutative (ties go to the lower sector index)."""
    out: Piece = {}
    for tech in set(a) | set(b):
        if tech not in a or tech not in b:
            out[tech] = a.get(tech) or b.get(tech)
            continue
        sa, ba, ca, na = a[tech]
        sb, bb, cb, nb = b[tech]
        take_b = ~np.isnan(sb) & (np.isnan(sa) | (sb > sa) | ((sb == sa) & (bb < ba)))
        out[tech] = (np.where(take_b, sb, sa), np.where(take_b, bb, ba), np.where(take_b, cb, ca),
                     np.minimum(na.astype(np.uint16) + nb.astype(np.uint16), 254).astype(np.uint8))
    return out


def piece_of(site_result: Dict[Tuple[int, int], Piece], tile: Tuple[int, int]) -> Piece:
    """One tile's piece of a tower's result (run where that result is, so only the tile travels)."""
    return site_result.get(tile, {})


def merge(*pieces: Piece) -> Piece:
    """Pieces of one tile from several towers, merged."""
    result: Piece = {}
    for p in pieces:
        result = merge_pieces(result, p) if result else p
    return result


@dataclasses.dataclass
class CommuneResult:
    """One commune's outcome: tables (pandas DataFrames) and its output folder, or the error that stopped it."""

    name: str
    out_dir: str
    ok: bool = True
    error: str = ""
    hamlets: Optional["object"] = None        # DataFrame, the columns of hamlets.csv
    priorities: Optional["object"] = None     # DataFrame, the columns of priorities.csv
    plan: Optional["object"] = None           # DataFrame (plan_table), when the study has [planning]
    grid_cells: int = 0
    sectors: int = 0
    seconds: float = 0.0


def _analyse(commune: Commune, study: lc.Study, inputs: lc.StudyInputs, out_dir: str, dem: lc.Dem, sector_ids: Sequence[str],
             layers: Dict[int, Tuple], resampling: str) -> CommuneResult:
    """The study's analysis, plan and files (the study layer's stages) from the merged per-technology composites."""
    options = lc.study_coverage_options(study, dem)  # the plan's candidate towers see the clutter and calibration the maps do
    gt, crs = dem.geo_transform, dem.crs
    by_technology = []
    for tech in TECHNOLOGIES:  # in the order coverage_by_technology gives them
        if tech.value not in layers:
            continue
        signal, best, klass, count = layers[tech.value]
        composite = lc.Composite(signal_dbm=lc.RasterFloat32(signal, geo_transform=gt, crs=crs),
                                 best_server=lc.RasterUInt16(best, geo_transform=gt, crs=crs, nodata=lc.no_server),
                                 signal_class=lc.RasterUInt8(klass, geo_transform=gt, crs=crs, nodata=lc.no_class),
                                 server_count=lc.RasterUInt8(count, geo_transform=gt, crs=crs))
        by_technology.append(lc.TechnologyCoverage(technology=tech, composite=composite, thresholds=options.thresholds_for(tech)))
    analysis = lc.analyse_study(study, inputs, dem, by_technology, list(sector_ids), options)
    # Into the staging folder next to the commune's (where prepare put the terrain), then swapped in whole.
    stage = _staging(out_dir)
    os.makedirs(stage, exist_ok=True)
    written = lc.write_study_rasters(stage, study, by_technology, list(sector_ids))
    written += lc.write_study_tables(stage, study, analysis)
    # the maps and report.html (and its copies in the other languages) as covtool study writes them
    lc.write_study_report(stage, study, inputs, dem, by_technology, analysis, other_files=written + ["run.json"])
    # run.json: the marker by which a later run knows this folder is a province commune's and may replace it
    outputs = sorted(f for f in os.listdir(stage) if f != "run.json")
    # and, as covtool study's does, the grid and how it was made from the DEM (resampling: the study's grid rule)
    grid = {"crs": dem.crs, "cell_m": dem.cell_size_m, "width": dem.width, "height": dem.height,
            "origin_x_m": dem.geo_transform[0], "origin_y_m": dem.geo_transform[3], "resampling": resampling}
    lc.write_run_manifest(stage, lc.RunKind.province_commune, outputs,
                          json.dumps({"commune": commune.name, "study_file": commune.study_file, "grid": grid}, ensure_ascii=False))
    lc.check_replaceable(out_dir, lc.RunKind.province_commune)  # and nothing of the user's arrived meanwhile
    _swap_into_place(stage, out_dir)
    plan = analysis.plan
    return CommuneResult(name=commune.name, out_dir=out_dir,
                         hamlets=tables.hamlets_table(analysis.hamlets, analysis.rule, geo=False),
                         priorities=tables.priorities_table(analysis.priorities),
                         plan=None if plan is None else tables.plan_table(plan, geo=False),
                         grid_cells=dem.width * dem.height, sectors=len(inputs.sectors))


def analyse(commune: Commune, prepared: Prepared, out_dir: str, *tiles: Piece) -> CommuneResult:
    """Assemble the merged tiles into the commune's composites, then hamlets, priorities and plan."""
    grid = prepared.grid
    layers: Dict[int, Tuple] = {}
    for tile, piece in zip(grid.tiles(), tiles):
        r0, r1, c0, c1 = grid.tile_bounds(tile)
        for tech, arrays in piece.items():
            if tech not in layers:
                layers[tech] = _empty_piece((grid.height, grid.width))
            for full, part in zip(layers[tech], arrays):
                full[r0:r1, c0:c1] = part
    if not os.path.exists(grid.terrain_path):
        # Run again after this run's swap (the worker died before the scheduler heard of its result): the terrain
        # went into the commune's folder with the rest; stage it again and redo the (deterministic) analysis.
        os.makedirs(os.path.dirname(grid.terrain_path), exist_ok=True)
        shutil.copy2(os.path.join(out_dir, os.path.basename(grid.terrain_path)), grid.terrain_path)
    dem = load_terrain(grid.terrain_path)
    return _analyse(commune, *_read(commune), out_dir, dem, prepared.sector_ids, layers, grid.resampling)


def run_commune_local(commune: Commune, out_dir: str, tile_km: float = 5.0, threads: int = 0) -> CommuneResult:
    """A commune in this process, without Dask and without tiles: the whole grid and every sector in one engine run,
    writing the same files as the distributed run. The reference for it (and a way to run one commune alone)."""
    start = time.perf_counter()
    study, inputs = _read(commune)
    try:
        prepared = _prepare(commune, study, inputs, out_dir, tile_km)
        dem = load_terrain(prepared.grid.terrain_path)
        options = lc.study_coverage_options(study, dem, threads)
        coverage = lc.CoverageEngine(dem, inputs.sectors, options).compute()
        layers = {c.technology.value: tuple(np.array(r.values) for r in (c.composite.signal_dbm, c.composite.best_server,
                                                                          c.composite.signal_class, c.composite.server_count))
                  for c in lc.coverage_by_technology(coverage, dem, options)}
        result = _analyse(commune, study, inputs, out_dir, dem, prepared.sector_ids, layers, prepared.grid.resampling)
    except BaseException:
        shutil.rmtree(_staging(out_dir), ignore_errors=True)  # a previous run's folder stays as it was
        raise
    result.seconds = time.perf_counter() - start
    return result


# -------------------------------------------------------------------------------------------- the province
@dataclasses.dataclass
class ProvinceResult:
    """Every commune's outcome; the failed ones carry their error."""

    name: str
    out_dir: str
    communes: List[CommuneResult]
    seconds: float
    workers: int
    grid_cells: int = 0

    @property
    def failed(self) -> List[CommuneResult]:
        return [c for c in self.communes if not c.ok]

    def summary(self):
        """One row per commune: status, error, grid cells, sectors, hamlets, dead zones, unserved households, plan."""
        import pandas as pd

        rows = []
        for c in self.communes:
            row = {"commune": c.name, "status": "ok" if c.ok else "failed", "error": c.error, "grid_cells": c.grid_cells,
                   "sectors": c.sectors}
            if c.ok:
                h = c.hamlets
                served = [col for col in h.columns if col.startswith("lte_households_at_least_")]
                row.update({"hamlets": len(h), "dead_zones": int(h["dead_zone"].sum()),
                            "households": int(h["households"].sum()),
                            "households_without_service": float((h["households"] - h[served[0]]).sum()) if served else math.nan,
                            "plan_households_new": float(c.plan.loc[c.plan["status"] == "chosen", "households_new"].sum()) if c.plan is not None else math.nan,
                            "plan_cost_usd": float(c.plan.loc[c.plan["status"] == "chosen", "cost_usd"].sum()) if c.plan is not None else math.nan})
            rows.append(row)
        return pd.DataFrame(rows)


def _client(client):
    from distributed import Client, LocalCluster

    if client is None:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster
    if isinstance(client, str):
        return Client(client), None
    return client, None


def run_province(manifest: Manifest, out_dir: str, client=None, *, threads: int = 1, retries: int = 0,
                 progress=None) -> ProvinceResult:
    """Run every commune of a manifest on a Dask cluster and write ``out_dir/<commune>/`` (rasters, hamlets.csv,
    priorities.csv, plan.csv) and ``out_dir/province_summary.csv``.

    client: a ``distributed.Client``, a scheduler address, or None for a local cluster of 2 worker processes.
    threads: C++ threads per task (1 suits one-thread workers). A commune whose inputs are bad fails alone, with its
    error in the result and the summary; the others finish. The tasks of a worker that dies are run again on the
    others by the scheduler (up to its ``distributed.scheduler.allowed-failures`` times); ``retries`` also reruns
    tasks that raised (for flaky shared storage; input errors fail the same way again). Each commune is written
    into a hidden staging folder beside its own and swapped in whole when its analysis finishes: a commune that
    fails leaves its folder from an earlier run as it was, never a mixture of two runs.
    progress: None, True (a tqdm bar over communes) or f(fraction, message)."""
    from distributed import as_completed

    start = time.perf_counter()
    out_dir = os.path.abspath(out_dir)
    if os.path.isfile(os.path.join(out_dir, "run.json")):  # before a cluster is started
        raise lc.IoError(f"province output folder '{out_dir}' holds a run.json: it is the folder of a study or map run, "
                         "not a province's; choose another folder")
    names = [c.name for c in manifest.communes]  # one folder per commune, checked before a cluster is started
    folders = {c.name: os.path.join(out_dir, f) for c, f in zip(manifest.communes, _commune_folders(names, manifest.name))}
    client, own_cluster = _client(client)
    try:
        os.makedirs(out_dir, exist_ok=True)
        prepares = {client.submit(prepare, c, folders[c.name], manifest.tile_km, retries=retries, pure=False): c
                    for c in manifest.communes}
        results: Dict[str, CommuneResult] = {}
        analyses = {}
        report = _progress(progress, len(manifest.communes))
        pending = as_completed(list(prepares))
        for future in pending:
            if future in prepares:
                commune = prepares[future]
                prepared, exc = _outcome(future)
                if exc is not None:
                    results[commune.name] = _failure(commune, folders[commune.name], exc)
                    report(len(results), commune.name)
                    continue
                sites = [client.submit(site, commune, prepared, k, threads, retries=retries, pure=False)
                         for k in range(len(prepared.towers))]
                tiles = []
                for tile in prepared.grid.tiles():
                    pieces = [client.submit(piece_of, s, tile, pure=False) for s, t in zip(sites, prepared.towers)
                              if _overlaps(prepared.grid.tile_bounds(tile), t[2])]
                    tiles.append(client.submit(merge, *pieces, retries=retries, pure=False))
                a = client.submit(analyse, commune, prepared, folders[commune.name], *tiles, retries=retries, pure=False)
                analyses[a] = commune
                pending.add(a)
            else:
                commune = analyses[future]
                done, exc = _outcome(future)
                results[commune.name] = done if exc is None else _failure(commune, folders[commune.name], exc)
                report(len(results), commune.name)
        ordered = [results[c.name] for c in manifest.communes]
        province = ProvinceResult(manifest.name, out_dir, ordered, time.perf_counter() - start,
                                  len(client.scheduler_info().get("workers", {})),
                                  sum(c.grid_cells for c in ordered))
        province.summary().to_csv(os.path.join(out_dir, "province_summary.csv"), index=False)
        return province
    finally:
        if own_cluster is not None:
            client.close()
            own_cluster.close()


def _overlaps(a: Tuple[int, int, int, int], b: Tuple[int, int, int, int]) -> bool:
    return max(a[0], b[0]) < min(a[1], b[1]) and max(a[2], b[2]) < min(a[3], b[3])


def _outcome(future):
    """(result, None) or (None, the exception). A future can be yielded as done and then lose its result with the
    worker that held it (a worker killed later in the run): result() then waits while the scheduler recomputes it,
    where asking future.status at once would report a failure with no exception."""
    try:
        return future.result(), None
    except Exception as e:  # the task raised, or the future was cancelled (scheduler gone)
        return None, e


def _failure(commune: Commune, out_dir: str, exc: BaseException) -> CommuneResult:
    shutil.rmtree(_staging(out_dir), ignore_errors=True)  # a previous run's folder stays as it was
    return CommuneResult(name=commune.name, out_dir=out_dir, ok=False, error=f"{type(exc).__name__}: {exc}")


def _progress(progress, total: int):
    if progress is None or progress is False:
        return lambda done, name: None
    if progress is True:
        from ._progress import TqdmProgress

        bar = TqdmProgress("province")
        def report(done, name):
            bar(done / total, name)
            if done == total:
                bar.close()
        return report
    return lambda done, name: progress(done / total, name)
