"""Decide whether the two sides of a relation agree, within tolerance.

Non-finite values never agree: a formula that overflows or divides by zero
on the sampled domain is a failure to report, not a pass. Shapes must match
exactly (a scalar is not a vector of one value).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def disagreement(left: Any, right: Any, op: str, rtol: float, atol: float, infinite: bool = False) -> str | None:
    """``None`` if ``left op right`` holds, else a sentence saying why not.

    ``infinite``: the formula writes one side as an infinity, so equal infinities agree (a divergent
    limit or series equal to ``+\\infty``).
    """
    if type(left) is float and type(right) is float:
        return _numbers(left, right, op, rtol, atol, infinite)
    for side, v in (("left", left), ("right", right)):
        if callable(v):
            return f"the {side}-hand side is a function, not a value; apply it to arguments"
    if np.shape(left) == (1, 1) and np.ndim(right) == 0 or np.shape(right) == (1, 1) and np.ndim(left) == 0:
        left, right = np.ravel(left)[0], np.ravel(right)[0]  # a 1x1 matrix such as x^T y is a scalar
    if np.shape(left) != np.shape(right):
        return f"the sides have different shapes: {np.shape(left)} and {np.shape(right)}"
    lhs = np.asarray(left, dtype=np.float64)
    rhs = np.asarray(right, dtype=np.float64)
    if infinite and op in ("=", "approx") and np.all(np.isinf(lhs)) and np.all(np.isinf(rhs)):
        return None if np.array_equal(lhs, rhs) else "the sides are infinities of opposite signs"
    for side, v in (("left", lhs), ("right", rhs)):
        if not np.all(np.isfinite(v)):
            return f"the {side}-hand side is not finite"
    slack = atol + rtol * np.abs(rhs)
    if op in ("=", "approx"):
        holds = np.abs(lhs - rhs) <= slack
    elif op in ("<=", "<"):
        holds = lhs <= rhs + slack
    else:
        holds = lhs + slack >= rhs
    if np.all(holds):
        return None
    if op in ("=", "approx"):
        gap = float(np.max(np.abs(lhs - rhs)))
        return f"the sides differ by up to {gap:.3g} (tolerance rtol={rtol:g}, atol={atol:g})"
    return f"the relation {op} does not hold"


def _numbers(left: float, right: float, op: str, rtol: float, atol: float, infinite: bool) -> str | None:
    """``disagreement`` of two plain numbers, the most common case, without building arrays."""
    if infinite and op in ("=", "approx") and math.isinf(left) and math.isinf(right):
        return None if left == right else "the sides are infinities of opposite signs"
    for side, v in (("left", left), ("right", right)):
        if not math.isfinite(v):
            return f"the {side}-hand side is not finite"
    slack = atol + rtol * abs(right)
    if op in ("=", "approx"):
        if abs(left - right) <= slack:
            return None
        return f"the sides differ by up to {abs(left - right):.3g} (tolerance rtol={rtol:g}, atol={atol:g})"
    holds = left <= right + slack if op in ("<=", "<") else left + slack >= right
    return None if holds else f"the relation {op} does not hold"
