"""Hypothesis strategies shared by the snippet tests: finite floats, float arrays, regression problems."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def floats(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_subnormal=False)


def arrays(low: float, high: float, shape: int | tuple[int, ...] | st.SearchStrategy) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape, elements=floats(low, high))


@st.composite
def regression_problems(draw: st.DrawFn, max_p: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """A design with no zero column (diagonally dominated top block) and a response."""
    p = draw(st.integers(1, max_p))
    m = draw(st.integers(0, 5))
    top = draw(arrays(-1.0, 1.0, (p, p))) + (p + 1.0) * np.eye(p)
    X = np.vstack([top, draw(arrays(-1.0, 1.0, (m, p)))])
    return X, draw(arrays(-5.0, 5.0, p + m))
