"""Evaluate every value of an index at once: sums and free indices as one numpy batch.

A check compares both sides of a relation at every value of its free
indices, and a sum adds its body at every value of its index; walking the
formula's tree once per value is most of what a check costs. Here the index
takes all its values at once, as a ``Sampled`` value whose draws are the
index values (the lifted operations of ``vectorized`` keep each draw's
meaning, so the batch computes exactly what the loop would, up to the order
of floating-point additions).

The batch is an optimisation only, never the judge: whatever it cannot do
(a construct that needs one number per value, an error, a failed
comparison) sends the caller back to the one-value-at-a-time loop, which
gives the exact message, position and values of a failure. A node whose
batch failed once is not batched again in this process. No batch is tried
where random variables are in play (their draws use the same axis).
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from grimoire.formulacheck.compare import disagreement
from grimoire.formulacheck.nodes import ArgOp, BigOp, Derivative, Integral, Limit, Moment, Name, Node
from grimoire.formulacheck.vectorized import Sampled, shape_of

# Constructs whose evaluation needs one plain number per index value (bounds, shifts, candidates, draws).
_SCALAR_ONLY = (Derivative, Integral, Limit, ArgOp, Moment)
_verdicts: "weakref.WeakKeyDictionary[Node, bool]" = weakref.WeakKeyDictionary()


def _infinite_sum(node: Node) -> bool:
    return isinstance(node, BigOp) and isinstance(node.upper, Name) and node.upper.name == "\\infty"


def batchable(*roots: Node) -> bool:
    """Whether ``roots`` may be evaluated with an index batch: no construct that needs plain numbers, and no
    earlier batch of them that failed."""
    for root in roots:
        verdict = _verdicts.get(root)
        if verdict is None:
            verdict = not any(isinstance(n, _SCALAR_ONLY) or _infinite_sum(n) for n in root.walk())
            _verdicts[root] = verdict
        if not verdict:
            return False
    return True


def give_up(*roots: Node) -> None:
    """Never batch ``roots`` again: their batch raised or was not a batch."""
    for root in roots:
        _verdicts[root] = False


def batch_of(names: list[str], combinations: list[tuple[int, ...]]) -> dict[str, Sampled]:
    """Each index name bound to all its values, the k-th draw of every name forming the k-th combination."""
    table = np.asarray(combinations, dtype=np.float64).reshape(len(combinations), len(names))
    return {name: Sampled(table[:, column]) for column, name in enumerate(names)}


def reduce(op: str, terms: Any, count: int) -> Any:
    """The sum, product, max or min over the batch of a big operator's terms; ``None`` if ``terms`` is not a
    batch of ``count`` values."""
    if type(terms) is not Sampled or terms.count != count:
        return None
    data = terms.data
    result = (np.sum(data, axis=0) if op == "sum" else np.prod(data, axis=0) if op == "prod"
              else np.max(data, axis=0) if op == "max" else np.min(data, axis=0))
    return float(result) if np.ndim(result) == 0 else result


def stacked(side: Any, count: int) -> np.ndarray | None:
    """``side`` with one row per value of a batch of ``count`` (a plain value repeated); ``None`` for a function
    or a batch of another size."""
    if callable(side):
        return None
    if type(side) is Sampled:
        return side.data if side.count == count else None
    array = np.asarray(side, dtype=np.float64)
    return np.broadcast_to(array, (count,) + array.shape)


def holds_everywhere(left: Any, right: Any, count: int, op: str, rtol: float, atol: float,
                     infinite: bool) -> bool:
    """Whether ``left op right`` holds at every one of the ``count`` index values of a batch.

    ``True`` only where ``compare.disagreement`` would find no disagreement at any value; ``False`` means
    the loop must look (it may still hold: equal infinities at some values only, say).
    """
    shapes = (shape_of(left), shape_of(right))
    lhs, rhs = stacked(left, count), stacked(right, count)
    if lhs is None or rhs is None:
        return False
    if shapes in (((1, 1), ()), ((), (1, 1))):
        lhs, rhs = lhs.reshape(count), rhs.reshape(count)  # a 1x1 matrix such as x^T y is a scalar
    elif shapes[0] != shapes[1]:
        return False
    return disagreement(lhs, rhs, op, rtol, atol, infinite) is None
