"""Process-wide settings every worker needs before numpy or matplotlib load.

Workers run one job each at a time, in parallel, so BLAS and OpenMP thread
pools would only oversubscribe the cores: they are limited to one thread.
Matplotlib draws with ``agg`` (no display).
"""

from __future__ import annotations

import os

SINGLE_THREADED = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def prepare_environment() -> None:
    for name in SINGLE_THREADED:
        os.environ.setdefault(name, "1")
    os.environ["MPLBACKEND"] = "agg"
