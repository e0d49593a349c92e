"""Imported once by the forkserver, so every drawing worker starts with its libraries loaded.

Worker processes draw one figure each at a time, in parallel, so BLAS and
OpenMP thread pools would only oversubscribe the cores: they are limited to
one thread before numpy loads. Nothing from the engine is imported here
(workers import it fresh, so ``mkdocs serve`` picks up edits).
"""

from __future__ import annotations

import os

SINGLE_THREADED = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def prepare_environment() -> None:
    for name in SINGLE_THREADED:
        os.environ.setdefault(name, "1")
    os.environ["MPLBACKEND"] = "agg"


prepare_environment()

import matplotlib  # noqa: E402

matplotlib.use("agg", force=True)

import matplotlib.backends.backend_svg  # noqa: E402, F401
import matplotlib.figure  # noqa: E402, F401
import matplotlib.pyplot  # noqa: E402, F401
import numpy  # noqa: E402, F401
