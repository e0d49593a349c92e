"""Hypothesis strategies for the samplers of a check block.

Sizes and bounds are already evaluated to numbers here. Floats exclude
NaN, infinities and subnormals; ``ints`` and ``distinct`` are vectors of
whole numbers (``distinct``: no two equal, so entries are at least 1
apart, for formulas that hold away from ties); ``simplex`` gives strictly positive
probability vectors; ``invertible`` and ``spd`` are built to be well
conditioned, so that failures are about the formula, not about round-off.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grimoire.formulacheck.errors import EvaluationError


MAX_ENTRIES = 100_000  # numbers in one drawn input: a block cannot ask for gigabytes


def _floats(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def _size(value: Any, what: str) -> int:
    number = float(value)
    if not number.is_integer() or number < 0:
        raise EvaluationError(f"{what} must be a non-negative integer, got {value!r}")
    return int(number)


def _array(shape: tuple[int, ...], low: float, high: float) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape, elements=_floats(low, high))


def _simplex(n: int) -> st.SearchStrategy[np.ndarray]:
    return _array((n,), 1e-3, 1.0).map(lambda w: w / w.sum())


def _invertible(n: int) -> st.SearchStrategy[np.ndarray]:
    # Strictly diagonally dominant (|a_ii| >= n+1-1 > sum of the other |a_ij|), with random row signs.
    signs = hnp.arrays(np.float64, (n,), elements=st.sampled_from([-1.0, 1.0]))
    return st.tuples(_array((n, n), -1.0, 1.0), signs).map(
        lambda pair: pair[1][:, None] * (pair[0] + (n + 1.0) * np.eye(n)))


def _spd(n: int) -> st.SearchStrategy[np.ndarray]:
    return _array((n, n), -1.0, 1.0).map(lambda m: m @ m.T + np.eye(n))


def validate(kind: str, args: list[Any], low: Any, high: Any) -> list[int]:
    """Checks the evaluated sizes and bounds of sampler ``kind``; returns the sizes."""
    if low is not None and float(low) > float(high):
        raise EvaluationError(f"empty range {low}..{high}")
    if kind == "int" and not (float(low).is_integer() and float(high).is_integer()):
        raise EvaluationError(f"int bounds must be integers, got {low}..{high}")
    if kind in ("int", "real"):
        return []
    sizes = [_size(arg, f"the size of {kind}") for arg in args]
    entries = int(np.prod(sizes)) * (sizes[0] if kind in ("invertible", "spd") else 1)
    if entries > MAX_ENTRIES:
        raise EvaluationError(f"{kind}({', '.join(map(str, sizes))}) has {entries} entries; at most {MAX_ENTRIES} "
                              "are drawn per input")
    if kind in ("simplex", "invertible", "spd") and sizes[0] < 1:
        raise EvaluationError(f"{kind}({sizes[0]}) is empty; its size must be at least 1")
    if kind in ("ints", "distinct"):
        if not (float(low).is_integer() and float(high).is_integer()):
            raise EvaluationError(f"{kind} bounds must be integers, got {low}..{high}")
        if kind == "distinct" and int(high) - int(low) + 1 < sizes[0]:
            raise EvaluationError(f"distinct({sizes[0]}) needs at least {sizes[0]} integers in {low}..{high}")
    return sizes


def strategy(kind: str, args: list[Any], low: Any, high: Any) -> st.SearchStrategy[Any]:
    """The strategy for sampler ``kind`` with evaluated size ``args`` and bounds."""
    sizes = validate(kind, args, low, high)
    if kind == "int":
        return st.integers(int(low), int(high))
    if kind == "real":
        return _floats(float(low), float(high))
    if kind in ("ints", "distinct"):
        return hnp.arrays(np.int64, (sizes[0],), elements=st.integers(int(low), int(high)),
                          unique=kind == "distinct").map(lambda v: v.astype(np.float64))
    if kind == "vector":
        return _array((sizes[0],), float(low), float(high))
    if kind == "col":
        return _array((sizes[0], 1), float(low), float(high))
    if kind == "matrix":
        return _array((sizes[0], sizes[1]), float(low), float(high))
    if kind == "simplex":
        return _simplex(sizes[0])
    if kind == "invertible":
        return _invertible(sizes[0])
    if kind == "spd":
        return _spd(sizes[0])
    raise EvaluationError(f"unknown sampler {kind}")
