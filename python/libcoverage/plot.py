"""Matplotlib helpers: rasters on their grid (metres of the grid CRS), the same class colours as the PNG maps and
the report, hamlets and towers labelled, plan routes and the households-versus-cost curve.

Every function draws on a given ``matplotlib.axes.Axes`` and returns what it drew, so figures stay the caller's.
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence, Union

import numpy as np

from . import _core

__all__ = [
    "hillshade",
    "show_hillshade",
    "show_raster",
    "show_signal_class",
    "show_best_server",
    "mark_sectors",
    "label_hamlets",
    "show_fibre",
    "show_plan",
    "plan_curve",
]

_Raster = Union[_core.RasterFloat32, _core.RasterUInt8, _core.RasterUInt16]


def _axes_in_metres(ax) -> None:
    ax.set_xlabel("easting, m")
    ax.set_ylabel("northing, m")
    ax.ticklabel_format(useOffset=False, style="plain")
    ax.set_aspect("equal")


def hillshade(dem: _core.Dem, azimuth_deg: float = 315.0, altitude_deg: float = 45.0) -> np.ndarray:
    """Hillshade of the DEM, 0 (dark) .. 1 (lit), NaN on voids; the usual formula of gdaldem hillshade."""
    z = np.asarray(dem.raster, dtype=np.float64)
    dz_south, dz_east = np.gradient(z, dem.cell_size_m)  # rows run south
    dz_north = -dz_south
    az, alt = np.radians(azimuth_deg), np.radians(altitude_deg)
    sun = (np.sin(az) * np.cos(alt), np.cos(az) * np.cos(alt), np.sin(alt))  # east, north, up
    # unit surface normal (-dz/dx, -dz/dy, 1) / |...| dotted with the direction of the sun
    shade = (-dz_east * sun[0] - dz_north * sun[1] + sun[2]) / np.sqrt(dz_east**2 + dz_north**2 + 1.0)
    return np.clip(shade, 0.0, 1.0)


def show_hillshade(ax, dem: _core.Dem, alpha: float = 1.0):
    """Grey hillshade of the DEM as a backdrop."""
    image = ax.imshow(hillshade(dem), cmap="gray", vmin=0.0, vmax=1.0, extent=dem.raster.extent_m, alpha=alpha,
                      interpolation="nearest")
    _axes_in_metres(ax)
    return image


def _masked(raster: _Raster) -> np.ma.MaskedArray:
    values = np.asarray(raster)
    mask = ~np.isfinite(values) if values.dtype.kind == "f" else np.zeros(values.shape, bool)
    if raster.nodata is not None and not (isinstance(raster.nodata, float) and np.isnan(raster.nodata)):
        mask |= values == raster.nodata
    return np.ma.masked_array(values, mask=mask)


def show_raster(ax, raster: _Raster, *, cmap: str = "viridis", vmin: Optional[float] = None, vmax: Optional[float] = None,
                colorbar_label: Optional[str] = None, alpha: float = 1.0):
    """A raster on its grid with cells without data left transparent; a colour bar when ``colorbar_label`` is given."""
    image = ax.imshow(_masked(raster), cmap=cmap, vmin=vmin, vmax=vmax, extent=raster.extent_m, alpha=alpha,
                      interpolation="nearest")
    if colorbar_label:
        ax.figure.colorbar(image, ax=ax, label=colorbar_label, shrink=0.8)
    _axes_in_metres(ax)
    return image


def _categorical(ax, raster: _Raster, palette: Sequence[_core.ColorEntry], alpha: float, legend: bool, legend_title: str,
                 hide: Optional[np.ndarray] = None, legend_present_only: bool = False):
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    values = np.asarray(raster)
    count = max(e.value for e in palette) + 1
    colours = [(0.0, 0.0, 0.0, 0.0)] * count
    for e in palette:
        colours[e.value] = e.rgba
    mask = values >= count
    if hide is not None:
        mask |= hide
    data = np.ma.masked_array(values, mask=mask)
    if legend_present_only:
        present = set(np.unique(values[~mask]).tolist())
        palette = [e for e in palette if e.value in present]
    image = ax.imshow(data, cmap=ListedColormap(colours), vmin=-0.5, vmax=count - 0.5, extent=raster.extent_m, alpha=alpha,
                      interpolation="nearest")
    if legend:
        ax.legend(handles=[Patch(color=e.rgba, label=e.label) for e in palette], title=legend_title, loc="lower right",
                  fontsize="small", framealpha=0.9)
    _axes_in_metres(ax)
    return image


def show_signal_class(ax, signal_class: _core.RasterUInt8, thresholds: Optional[_core.SignalThresholds] = None,
                      technology: _core.Technology = _core.Technology.lte, *, alpha: float = 0.75, legend: bool = True):
    """A signal-class raster in the colours of the PNG maps and the report, with the thresholds in the legend."""
    thresholds = thresholds or _core.SignalThresholds.default_for(technology)
    palette = _core.signal_class_palette(thresholds, _core.signal_measure_name(technology))
    return _categorical(ax, signal_class, palette, alpha, legend, f"{_core.generation_name(technology)} signal")


def show_best_server(ax, best_server: _core.RasterUInt16, sectors: Sequence[_core.Sector], *,
                     signal_dbm: Optional[_core.RasterFloat32] = None, min_signal_dbm: float = -120.0, alpha: float = 0.75,
                     legend: bool = True):
    """Which sector serves each cell, one colour per sector (the legend lists the sectors that appear).

    With ``signal_dbm``, cells whose best signal is below ``min_signal_dbm`` (no service) are left uncoloured: a
    "best" server at −190 dBm serves nobody."""
    palette = _core.server_palette([s.sector_id for s in sectors])
    hide = None
    if signal_dbm is not None:
        signal = np.asarray(signal_dbm)
        hide = ~(signal >= min_signal_dbm)
    return _categorical(ax, best_server, palette, alpha, legend, "best server", hide, legend_present_only=True)


def _grid_xy(dem: _core.Dem, points: Iterable[_core.GeoPoint]):
    pts = list(points)
    if not pts:
        return np.empty(0), np.empty(0)
    return dem.to_grid_xy([p.lat_deg for p in pts], [p.lon_deg for p in pts])


def mark_sectors(ax, dem: _core.Dem, sectors: Sequence[_core.Sector], *, label: bool = True, color: str = "black"):
    """Towers as triangles (one per site), labelled with their site ids."""
    sites = {}
    for s in sectors:
        sites.setdefault(s.site_id, s.location)
    x, y = _grid_xy(dem, sites.values())
    drawn = ax.scatter(x, y, marker="^", s=70, c=color, edgecolors="white", linewidths=0.8, zorder=7, label="tower")
    if label:
        for site_id, xi, yi in zip(sites, x, y):
            ax.annotate(site_id, (xi, yi), xytext=(0, -12), textcoords="offset points", ha="center", va="top", fontsize=7,
                        zorder=6, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    return drawn


def label_hamlets(ax, dem: _core.Dem, hamlets: Sequence[Union[_core.Hamlet, _core.HamletReport]], *,
                  mark_dead_zones: bool = True, fontsize: float = 7):
    """Hamlets as squares with their names; with reports, dead zones in red."""
    items = [(h.hamlet, h.dead_zone) if isinstance(h, _core.HamletReport) else (h, False) for h in hamlets]
    x, y = _grid_xy(dem, [h.location for h, _ in items])
    colours = ["#d7301f" if dead and mark_dead_zones else "white" for _, dead in items]
    drawn = ax.scatter(x, y, marker="s", s=30, c=colours, edgecolors="black", linewidths=0.8, zorder=5)
    for (h, dead), xi, yi in zip(items, x, y):
        ax.annotate(h.name + (" (dead zone)" if dead and mark_dead_zones else ""), (xi, yi), xytext=(6, 3),
                    textcoords="offset points", fontsize=fontsize, zorder=6,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    return drawn


def show_fibre(ax, dem: _core.Dem, routes: Sequence[_core.FibreRoute], *, color: str = "#5e3c99", label: str = "existing fibre"):
    """Existing fibre routes as lines."""
    lines = []
    for i, r in enumerate(routes):
        x, y = _grid_xy(dem, r.points)
        lines += ax.plot(x, y, color=color, linewidth=2.0, zorder=4, label=label if i == 0 else None)
    return lines


def show_plan(ax, dem: _core.Dem, plan: _core.Plan, *, number_steps: bool = True):
    """The chosen steps of a plan: fibre routes (solid orange), microwave hops (dashed blue), new towers (large orange
    triangles), small cells (small triangles) and FTTH nodes (orange circles), numbered in build order."""
    drawn = []
    fibre_label, mw_label = "new fibre", "microwave hop"
    for s in plan.steps:
        b = s.backhaul
        if b.kind == _core.Backhaul.Kind.fibre and len(b.fibre.path) >= 2:
            x, y = _grid_xy(dem, b.fibre.path)
            drawn += ax.plot(x, y, color="#e66101", linewidth=2.0, zorder=4, label=fibre_label)
            fibre_label = None
        elif b.kind == _core.Backhaul.Kind.microwave:
            x, y = _grid_xy(dem, [b.microwave_to_location, s.location])
            drawn += ax.plot(x, y, color="#2166ac", linewidth=1.5, linestyle="--", zorder=4, label=mw_label)
            mw_label = None
        (x,), (y,) = _grid_xy(dem, [s.location])
        radio = s.action != _core.PlanStep.Action.ftth
        size = 80 if s.action == _core.PlanStep.Action.tower else 40
        drawn.append(ax.scatter([x], [y], marker="^" if radio else "o", s=size, c="#e66101", edgecolors="black", zorder=6))
        if number_steps:
            ax.annotate(str(s.step), (x, y), xytext=(-8, 6), textcoords="offset points", fontsize=8, fontweight="bold", zorder=7)
    return drawn


def plan_curve(ax, plan: _core.Plan):
    """Households newly served against money spent, step by step, with the budget (and each year's end when phased) and
    the upper bound."""
    cost = [0.0] + [s.cost_cumulative_usd for s in plan.steps]
    households = [0.0] + [s.households_cumulative for s in plan.steps]
    line = ax.plot(cost, households, marker="o", color="#1a9850", label="plan, step by step")
    ax.axhline(plan.upper_bound_households, color="grey", linestyle=":",
               label=f"no plan within the budget serves more than {plan.upper_bound_households:.0f}")
    ax.axvline(plan.budget_usd, color="#d7301f", linestyle="--", label=f"budget USD {plan.budget_usd:,.0f}")
    phases = list(plan.phase_budgets_usd)
    if len(phases) > 1:  # a phased budget: the end of each year's money
        end = 0.0
        for year, budget in enumerate(phases[:-1], start=1):
            end += budget
            ax.axvline(end, color="grey", linestyle="--", linewidth=0.8, label="end of each year's budget" if year == 1 else None)
    ax.set_xlabel("cumulative cost, USD")
    ax.set_ylabel("households newly served")
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(True, alpha=0.3)
    return line
