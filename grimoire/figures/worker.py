"""Draws one figure; runs in a worker process (or in-process, for tests).

``draw`` resets matplotlib (``agg`` backend, defaults, the project style, the
enforced settings, every figure closed) and the global random seeds, imports
the snippet module afresh from its file, calls the figure function under a
time limit, checks it returned a ``matplotlib.figure.Figure``, saves it as
SVG without a date and cleans the SVG for inlining. Every failure becomes a
``DrawOutcome`` with a message and a traceback that starts in ``snippets/``;
nothing raises out of ``draw``.
"""

from __future__ import annotations

import io
import random
import time
import warnings
from pathlib import Path

from ..workers.environment import prepare_environment
from ..workers.sandbox import JobTimeout, Watch, sandboxed
from ..workers import snippet_loader
from ..workers.tracebacks import clean_traceback, relative_location
from . import jobs
from .jobs import DrawJob, DrawOutcome
from .style import ENFORCED_RC, theme_colors
from .svg import clean_svg


# Kept as the figure-side name of the sandbox's time limit.
FigureTimeout = JobTimeout


def initialize() -> None:
    """Per-process set-up: one BLAS thread, ``agg`` selected before anything imports pyplot."""
    prepare_environment()
    import matplotlib

    matplotlib.use("agg", force=True)
    import matplotlib.pyplot  # noqa: F401  (imported once, outside any time limit)


def draw(job: DrawJob) -> DrawOutcome:
    started = time.perf_counter()
    initialize()
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    root = Path(job.root)
    found: list[warnings.WarningMessage] = []
    try:
        colors = _reset(job.style_path)
        with (
            snippet_loader.isolated(root),
            warnings.catch_warnings(record=True) as found,
            sandboxed(root, job.timeout) as watch,
        ):
            warnings.simplefilter("always")
            try:
                module = snippet_loader.import_snippet(job.module)
            except FigureTimeout as exc:
                return _failure(job, jobs.TIMEOUT, exc, root, started)
            except BaseException as exc:  # noqa: BLE001 - the author's code may raise anything
                return _failure(job, _kind(watch, jobs.IMPORT_FAILED), exc, root, started, watch)
            function = getattr(module, job.function, None)
            if function is None:
                return DrawOutcome(job.key, jobs.MISSING_FUNCTION, seconds=_since(started))
            if not callable(function):
                kind = type(function).__name__
                return DrawOutcome(job.key, jobs.NOT_CALLABLE, message=kind, seconds=_since(started))
            try:
                figure = function()
                if isinstance(figure, Figure):
                    buffer = io.StringIO()
                    figure.savefig(buffer, format="svg", metadata={"Date": None})
            except FigureTimeout as exc:
                return _failure(job, jobs.TIMEOUT, exc, root, started)
            except BaseException as exc:  # noqa: BLE001
                return _failure(job, _kind(watch, jobs.RAISED), exc, root, started, watch)
        if watch.refused:  # caught by the function itself, still not allowed
            return DrawOutcome(job.key, jobs.REFUSED, message=watch.describe(), location=watch.refused[0][0],
                               seconds=_since(started))
        if not isinstance(figure, Figure):
            return DrawOutcome(
                job.key, jobs.WRONG_TYPE, message=_describe(figure), seconds=_since(started)
            )
        svg = clean_svg(buffer.getvalue(), colors)
        return DrawOutcome(
            job.key,
            jobs.OK,
            svg=svg,
            warnings=tuple(_format_warning(w, root) for w in found),
            seconds=_since(started),
        )
    except FigureTimeout as exc:  # the alarm went off just as the drawing finished
        return _failure(job, jobs.TIMEOUT, exc, root, started)
    finally:
        plt.close("all")
        matplotlib.rcdefaults()


def _reset(style_path: str | None) -> dict[str, str]:
    """Fresh matplotlib state and seeds; returns the theme colours of the style."""
    import matplotlib
    import matplotlib.colors
    import matplotlib.pyplot as plt
    import matplotlib.style
    import numpy as np

    plt.close("all")
    matplotlib.rcdefaults()
    if style_path is not None:
        matplotlib.style.use(style_path)
    matplotlib.rcParams.update(ENFORCED_RC)
    np.random.seed(0)
    random.seed(0)
    rc = matplotlib.rcParams
    to_hex = matplotlib.colors.to_hex
    cycle = [to_hex(c) for c in rc["axes.prop_cycle"].by_key().get("color", [])]
    return dict(theme_colors(to_hex(rc["text.color"]), cycle))


def _kind(watch: Watch, kind: str) -> str:
    """A refused write explains the exception that followed it."""
    return jobs.REFUSED if watch.refused else kind


def _failure(job: DrawJob, kind: str, exc: BaseException, root: Path, started: float,
             watch: Watch | None = None) -> DrawOutcome:
    text, location = clean_traceback(exc, root)
    message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if kind == jobs.REFUSED and watch is not None:
        message, location = watch.describe(), watch.refused[0][0]
    return DrawOutcome(
        job.key, kind, message=message, traceback=text, location=location, seconds=_since(started)
    )


def _describe(value: object) -> str:
    kind = type(value)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    return "None" if value is None else name


def _format_warning(w: warnings.WarningMessage, root: Path) -> str:
    where = relative_location(str(w.filename), w.lineno, root)
    return f"{where}: {w.category.__name__}: {w.message}"


def _since(started: float) -> float:
    return time.perf_counter() - started
