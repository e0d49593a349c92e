"""Fast, seeded draws for the samplers of a check block, with hypothesis's taste for edges.

The build runs every check (``grimoire.checks``), so a check must cost tens
of milliseconds, not the ~1 ms per example that hypothesis's engine spends
on its own bookkeeping. ``runner.run_check`` therefore first runs the
examples drawn here (numpy's PCG64, seeded from the formula, so results are
reproducible), and calls hypothesis only when one of them fails, to shrink
the failure to a minimal counterexample. The draws cover the same domains as
``samplers.strategy`` and lean towards what hypothesis would try early: the
first examples put every sampler at its lower bound, its upper bound, and
zero (or the middle of the range), then sizes high with values low and the
other way round; later ones mix uniform values with values spread over
orders of magnitude, endpoints, zeros, ±1, whole numbers and constant arrays
(ties). Hypothesis
has no public API for drawing from a strategy outside a test, which is why
these draws are written here rather than taken from it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grimoire.formulacheck.errors import EvaluationError
from grimoire.formulacheck.samplers import validate

# Edge examples run first: 0 = every lower bound, 1 = every upper bound, 2 = zeros (or the middle),
# 3 = integers (sizes) at their upper bound with values at their lower, 4 = the other way round.
EDGE_EXAMPLES = 5
_INTEGER_EDGE = {0: 0, 1: 1, 2: 2, 3: 1, 4: 0}
_VALUE_EDGE = {0: 0, 1: 1, 2: 2, 3: 0, 4: 1}
_LOG_UNIFORM = 0.25  # chance that a random draw spreads over orders of magnitude, as hypothesis's do
_SPECIAL = 0.15  # chance that a scalar (or an array entry) is an edge value rather than uniform
_CONSTANT = 0.1  # chance that a random array is constant (every entry equal)


def _special_values(low: float, high: float) -> list[float]:
    values = [low, high]
    for v in (0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0):
        if low <= v <= high:
            values.append(v)
    values.append(float(np.floor((low + high) / 2)))
    return [v for v in values if low <= v <= high]


def _magnitudes(low: float, high: float, rng: np.random.Generator, size: int | tuple[int, ...] | None = None):
    """Draws spread over orders of magnitude within [low, high] (small values are as likely as large)."""
    top = max(abs(low), abs(high))
    if top == 0:
        return rng.uniform(low, high, size=size)
    bottom = low if low > 0 else top * 1e-6
    values = np.exp(rng.uniform(np.log(bottom), np.log(top), size=size))
    if low < 0:
        values = np.where(rng.random(size=size) < 0.5, -values, values)
    return np.clip(values, low, high)


def _real(low: float, high: float, rng: np.random.Generator, edge: int | None) -> float:
    if edge is not None:
        edge = _VALUE_EDGE[edge]
    if edge == 0:
        return low
    if edge == 1:
        return high
    if edge == 2:
        return 0.0 if low <= 0.0 <= high else (low + high) / 2
    if rng.random() < _SPECIAL:
        specials = _special_values(low, high)
        return float(specials[rng.integers(len(specials))])
    if rng.random() < _LOG_UNIFORM:
        return float(_magnitudes(low, high, rng))
    return float(rng.uniform(low, high))


def _array(shape: tuple[int, ...], low: float, high: float, rng: np.random.Generator, edge: int | None) -> np.ndarray:
    if edge is not None:
        return np.full(shape, _real(low, high, rng, edge), dtype=np.float64)
    if rng.random() < _CONSTANT:
        return np.full(shape, _real(low, high, rng, None), dtype=np.float64)
    values = _magnitudes(low, high, rng, shape) if rng.random() < _LOG_UNIFORM else rng.uniform(low, high, size=shape)
    special = rng.random(size=shape) < _SPECIAL
    if special.any():
        specials = np.asarray(_special_values(low, high))
        values[special] = specials[rng.integers(len(specials), size=int(special.sum()))]
    return values.astype(np.float64)


def _integer(low: int, high: int, rng: np.random.Generator, edge: int | None) -> int:
    if edge is not None:
        edge = _INTEGER_EDGE[edge]
    if edge == 0:
        return low
    if edge == 1:
        return high
    if edge == 2:
        return 0 if low <= 0 <= high else (low + high) // 2
    if rng.random() < 2 * _SPECIAL:
        return int((low, high)[rng.integers(2)])
    return int(rng.integers(low, high + 1))


def plain_value(kind: str, args: list[Any], low: Any, high: Any, rng: np.random.Generator,
                edge: int | None = None) -> Any:
    """One draw of sampler ``kind`` (evaluated sizes ``args``, bounds ``low``..``high``).

    ``edge`` (0, 1 or 2) asks for the edge example of that number instead of a random one.
    """
    sizes = validate(kind, args, low, high)
    if kind == "int":
        return _integer(int(low), int(high), rng, edge)
    if kind == "real":
        return _real(float(low), float(high), rng, edge)
    if kind == "ints":
        lo, hi = int(low), int(high)
        if edge is not None:
            return np.full(sizes[0], float(_integer(lo, hi, rng, edge)))
        return rng.integers(lo, hi + 1, size=sizes[0]).astype(np.float64)
    if kind == "distinct":
        lo, hi = int(low), int(high)
        if edge == 0:
            return np.arange(lo, lo + sizes[0], dtype=np.float64)
        if edge == 1:
            return np.arange(hi - sizes[0] + 1, hi + 1, dtype=np.float64)
        if hi - lo + 1 > 10 * sizes[0] + 1000:  # a huge range: rejection, not a permutation of it
            values: set[int] = set()
            while len(values) < sizes[0]:
                values.add(int(rng.integers(lo, hi + 1)))
            return rng.permutation(np.array(sorted(values), dtype=np.float64))
        return (lo + rng.choice(hi - lo + 1, size=sizes[0], replace=False)).astype(np.float64)
    if kind == "vector":
        return _array((sizes[0],), float(low), float(high), rng, edge)
    if kind == "col":
        return _array((sizes[0], 1), float(low), float(high), rng, edge)
    if kind == "matrix":
        return _array((sizes[0], sizes[1]), float(low), float(high), rng, edge)
    n = sizes[0]
    if kind == "simplex":
        w = _array((n,), 1e-3, 1.0, rng, edge)
        return w / w.sum()
    if kind == "invertible":
        signs = np.where(rng.random(n) < 0.5, -1.0, 1.0) if edge is None else np.ones(n)
        return signs[:, None] * (_array((n, n), -1.0, 1.0, rng, edge) + (n + 1.0) * np.eye(n))
    if kind == "spd":
        m = _array((n, n), -1.0, 1.0, rng, edge)
        return m @ m.T + np.eye(n)
    raise EvaluationError(f"unknown sampler {kind}")
