"""Progress bars for long computations (``progress=True``)."""

from __future__ import annotations


def _bar_class():
    """tqdm's notebook widget when ipywidgets is there, else the text bar (which notebooks show too)."""
    try:
        import ipywidgets  # noqa: F401
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm.std import tqdm
    return tqdm


class TqdmProgress:
    """A progress callback ``f(fraction, message)`` drawing a tqdm bar in percent.

    Pass an instance, or ``progress=True``, to ``CoverageEngine.compute``, ``run_study``, ``plan_network`` or
    ``read_dem``. The computation calls it from the interpreter's thread about ten times a second and closes it at
    the end.
    """

    def __init__(self, description: str = "libcoverage", **tqdm_options) -> None:
        options = {"total": 100.0, "unit": "%", "bar_format": "{l_bar}{bar}| {n:.0f}/{total:.0f} % [{elapsed}<{remaining}{postfix}]"}
        options.update(tqdm_options)
        self._bar = _bar_class()(desc=description, **options)

    def __call__(self, fraction: float, message: str) -> bool:
        percent = 100.0 * min(max(fraction, 0.0), 1.0)
        if percent > self._bar.n:
            self._bar.update(percent - self._bar.n)
        if message:
            self._bar.set_postfix_str(message, refresh=True)
        return True

    def close(self) -> None:
        self._bar.close()


def tqdm_progress(description: str = "libcoverage", **tqdm_options) -> TqdmProgress:
    """A tqdm progress bar to pass as ``progress=``; extra keywords go to ``tqdm``."""
    return TqdmProgress(description, **tqdm_options)
