"""libcoverage: radio coverage mapping and rural network planning.

Terrain (``read_dem``, ``Dem``), propagation models (``ItmModel``, ``HataModel``, ``DeltaBullingtonModel``,
``FreeSpaceModel``), link budgets and geometry, the ``CoverageEngine`` (exact and fast modes), hamlet analysis and
dead-zone priorities, planning (``plan_network``) and whole studies (``read_study``, ``run_study``) — the C++ library's
names, in snake_case, with units in every name. Rasters are numpy views without a copy (``raster.values``,
``numpy.asarray(raster)``) with ``geo_transform`` and ``crs``; tables are pandas DataFrames (``libcoverage.tables``),
GeoDataFrames when GeoPandas is installed; plots in ``libcoverage.plot``.

Long calls release the GIL, report progress to ``progress=`` (True for a tqdm bar, or f(fraction, message)) and stop
on Ctrl-C (KeyboardInterrupt). Errors are ``CoverageError`` subclasses (``InvalidArgument``, ``IoError``,
``OutOfDomain``, ``ItmError``, ``Cancelled``) carrying the library's message.
"""

from . import _core
from ._core import *  # noqa: F401,F403 -- the engine's public names
from ._core import __version__
from ._progress import TqdmProgress, tqdm_progress
from .tables import (
    calibration_bins_table,
    calibration_terms_table,
    fibre_table,
    hamlets_table,
    plan_lines,
    plan_table,
    priorities_table,
    sectors_table,
    uncertainty_options_table,
    uncertainty_ranks_table,
    uncertainty_trials_table,
)

__all__ = sorted(
    [name for name in dir(_core) if not name.startswith("_")]
    + ["TqdmProgress", "tqdm_progress", "calibration_bins_table", "calibration_terms_table", "fibre_table", "hamlets_table", "plan_lines", "plan_table", "priorities_table",
       "sectors_table", "uncertainty_options_table", "uncertainty_ranks_table", "uncertainty_trials_table", "plot", "tables"]
)


def __getattr__(name):
    # `libcoverage.plot` imports matplotlib only when asked for.
    if name == "plot":
        import importlib

        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'libcoverage' has no attribute {name!r}")
