"""The operations of ``operations`` lifted to ``Sampled`` values: many draws of a random quantity at once.

Inside ``\\E``, ``\\Var`` and ``\\Cov`` a random variable is a ``Sampled``
value, an array whose first axis runs over the Monte Carlo draws (or over
the support of a finite distribution). Every operation keeps the
per-draw meaning of ``operations`` (shapes, matrix products, strict
indexing): where numpy can compute it for all draws at once it does, and
any other case runs the scalar operation draw by draw, which is slower
but always means the same thing. The fast paths are hand-written because
numpy's broadcasting rules differ from the project's per-draw conventions
(a 1-D vector times a matrix, 1x1 matrices as scalars). Every function
here takes and returns plain values unchanged when nothing is sampled.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from grimoire.formulacheck import operations as scalar
from grimoire.formulacheck.errors import EvaluationError

Value = Any


class Sampled:
    """Draws of one quantity: ``data[k]`` is its value in draw ``k``."""

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        self.data = np.asarray(data, dtype=np.float64)

    @property
    def count(self) -> int:
        return int(self.data.shape[0])

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.data.shape[1:])


def _sampled(args: tuple[Any, ...]) -> bool:
    for a in args:
        if type(a) is Sampled:
            return True
    return False


def shape_of(a: Value) -> tuple[int, ...]:
    """The shape of one draw of ``a`` (of ``a`` itself if it is not sampled)."""
    return a.shape if isinstance(a, Sampled) else tuple(np.shape(a))


_shape = shape_of


def per_draw(function: Callable[..., Any], *args: Any) -> Value:
    """``function`` applied draw by draw: the general, slow path."""
    count = next(a.count for a in args if isinstance(a, Sampled))
    results = [function(*(a.data[k] if isinstance(a, Sampled) else a for a in args)) for k in range(count)]
    if any(callable(r) for r in results):
        raise EvaluationError("a random quantity evaluates to a function")
    return Sampled(np.stack([np.asarray(r, dtype=np.float64) for r in results]))


def _aligned(a: Value, ndim: int) -> Any:
    """The array of ``a`` with one axis per draw (if sampled) and ``ndim`` per-draw axes."""
    if isinstance(a, Sampled):
        return a.data.reshape(a.data.shape + (1,) * (ndim - len(a.shape)))
    return a


def _elementwise(function: Callable[..., Any], *args: Value) -> Sampled:
    ndim = max(len(_shape(a)) for a in args)
    return Sampled(function(*(_aligned(a, ndim) for a in args)))


def value(result: Any) -> Value:
    return result if isinstance(result, Sampled) else scalar.value(result)


def negate(a: Value) -> Value:
    return Sampled(-a.data) if isinstance(a, Sampled) else scalar.negate(a)


def add(a: Value, b: Value, op: str) -> Value:
    if not _sampled((a, b)):
        return scalar.add(a, b, op)
    sa, sb = _shape(a), _shape(b)
    if sa == sb or sa == () or sb == ():
        return _elementwise(np.add if op == "+" else np.subtract, a, b)
    return per_draw(lambda x, y: scalar.add(x, y, op), a, b)


def multiply(a: Value, b: Value, op: str) -> Value:
    if not _sampled((a, b)):
        return scalar.multiply(a, b, op)
    sa, sb = _shape(a), _shape(b)
    if (op == "odot" and (sa == sb or sa == () or sb == ())) or (op != "odot" and (sa == () or sb == ())):
        return _elementwise(np.multiply, a, b)
    if op != "odot" and len(sa) == 2 and len(sb) == 2 and sa[1] == sb[0] and sa != (1, 1) and sb != (1, 1):
        left = a.data if isinstance(a, Sampled) else a
        right = b.data if isinstance(b, Sampled) else b
        return Sampled(np.matmul(left, right))
    return per_draw(lambda x, y: scalar.multiply(x, y, op), a, b)


def divide(a: Value, b: Value) -> Value:
    if not _sampled((a, b)):
        return scalar.divide(a, b)
    sa, sb = _shape(a), _shape(b)
    if sb == () or sa == sb:
        return _elementwise(np.divide, a, b)
    return per_draw(scalar.divide, a, b)


def power(base: Value, exponent: Value) -> Value:
    if not _sampled((base, exponent)):
        return scalar.power(base, exponent)
    if _shape(base) == () and _shape(exponent) == ():
        return _elementwise(np.power, base, exponent)
    return per_draw(scalar.power, base, exponent)


def transpose(a: Value) -> Value:
    if isinstance(a, Sampled) and len(a.shape) == 2:
        return Sampled(np.swapaxes(a.data, 1, 2))
    return per_draw(scalar.transpose, a) if isinstance(a, Sampled) else scalar.transpose(a)


def absolute(a: Value) -> Value:
    if isinstance(a, Sampled) and len(a.shape) < 2:
        return Sampled(np.abs(a.data))
    return per_draw(scalar.absolute, a) if isinstance(a, Sampled) else scalar.absolute(a)


_ELEMENTWISE = {"exp": np.exp, "sin": np.sin, "cos": np.cos, "tanh": np.tanh, "floor": np.floor, "ceil": np.ceil}


def elementwise(name: str, a: Value, option: Value | None) -> Value:
    if not _sampled((a, option)):
        return scalar.elementwise(name, a, option)
    if isinstance(a, Sampled) and not isinstance(option, Sampled):
        if name in _ELEMENTWISE:
            return Sampled(_ELEMENTWISE[name](a.data))
        if name == "log":
            return Sampled(np.log(a.data) if option is None else np.log(a.data) / np.log(option))
        if name == "sqrt" and option is None:
            return Sampled(np.sqrt(a.data))
        if name == "tr" and len(a.shape) == 2 and a.shape[0] == a.shape[1]:
            return Sampled(np.trace(a.data, axis1=1, axis2=2))
        if name == "det" and len(a.shape) == 2 and a.shape[0] == a.shape[1]:
            return Sampled(np.linalg.det(a.data))
    return per_draw(lambda x, o: scalar.elementwise(name, x, o), a, option)


def norm(a: Value, order: Value | str | None) -> Value:
    if not isinstance(a, Sampled):
        return scalar.norm(a, order)
    vector = len(a.shape) == 1 or (len(a.shape) == 2 and 1 in a.shape)
    if vector and order in (None, 2, 2.0, 1, 1.0, "inf"):
        flat = a.data.reshape(a.count, -1)
        return Sampled(np.linalg.norm(flat, np.inf if order == "inf" else (order or 2), axis=1))
    return per_draw(lambda x: scalar.norm(x, order), a)


def index_positions(a: Value, count: int) -> tuple[int, ...]:
    if isinstance(a, Sampled):
        return scalar.index_positions(a.data[0], count)
    return scalar.index_positions(a, count)


def index(a: Value, positions: list[Value], base: int, labels: list[str]) -> Value:
    if not _sampled((a, *positions)):
        return scalar.index(a, positions, base, labels)
    if isinstance(a, Sampled) and not _sampled(tuple(positions)):
        # Select with the same (strict) rules on a template of flat positions, then pick those columns.
        template = np.arange(int(np.prod(a.shape)), dtype=np.float64).reshape(a.shape)
        chosen = np.asarray(scalar.index(template, positions, base, labels)).astype(np.intp)
        return Sampled(a.data.reshape(a.count, -1)[:, chosen])
    if not callable(a) and not any(callable(p) for p in positions):
        chosen = _batch_positions(a, positions, base)
        if chosen is not None:
            if isinstance(a, Sampled):
                rows = a.data.reshape((a.count,) + np.shape(_subscripted(a.data[0], len(positions))))
                return Sampled(rows[(np.arange(a.count),) + chosen])
            return Sampled(_subscripted(np.asarray(a), len(positions))[chosen])
    return per_draw(lambda x, *p: scalar.index(x, list(p), base, labels), a, *positions)


def _subscripted(array: np.ndarray, count: int) -> np.ndarray:
    """``array`` as ``count`` subscripts see it: a row or column vector under one subscript is 1-D."""
    return np.ravel(array) if count == 1 and array.ndim == 2 and 1 in array.shape else array


def _batch_positions(a: Value, positions: list[Value], base: int) -> tuple[np.ndarray, ...] | None:
    """0-based integer positions, one array per subscript, for draws of subscripts; ``None`` unless every
    draw's subscripts are integers within their axes (then ``scalar.index``, draw by draw, says what is
    wrong)."""
    counts = {p.count for p in positions if type(p) is Sampled} | ({a.count} if isinstance(a, Sampled) else set())
    if len(counts) != 1 or any(type(p) is not Sampled and np.ndim(p) != 0 for p in positions):
        return None
    count = counts.pop()
    try:
        lengths = index_positions(a, len(positions))
    except EvaluationError:
        return None
    chosen = []
    for position, length in zip(positions, lengths):
        data = position.data if type(position) is Sampled else np.full(count, float(position))
        if data.ndim != 1 or not np.all(np.floor(data) == data) or not np.all((data >= base) & (data < base + length)):
            return None
        chosen.append(data.astype(np.intp) - base)
    return tuple(chosen)


def extremum(args: list[Value], name: str) -> Value:
    if not _sampled(tuple(args)):
        return scalar.extremum(args, name)
    if all(_shape(a) == () for a in args) and len(args) > 1:
        pick = np.maximum if name == "max" else np.minimum
        result = _aligned(args[0], 0)
        for other in args[1:]:
            result = pick(result, _aligned(other, 0))
        return Sampled(result)
    return per_draw(lambda *xs: scalar.extremum(list(xs), name), *args)


def factorial(a: Value) -> Value:
    return per_draw(scalar.factorial, a) if isinstance(a, Sampled) else scalar.factorial(a)


def binomial(n: Value, k: Value) -> Value:
    return per_draw(scalar.binomial, n, k) if _sampled((n, k)) else scalar.binomial(n, k)


def kronecker(a: Value, b: Value) -> Value:
    return per_draw(scalar.kronecker, a, b) if _sampled((a, b)) else scalar.kronecker(a, b)


def compare(a: Value, b: Value, op: str) -> Value:
    """1.0 where ``a op b`` holds, else 0.0 (exact comparison: conditions select cases and indices)."""
    functions = {"=": np.equal, "ne": np.not_equal, "<": np.less, "<=": np.less_equal, ">": np.greater,
                 ">=": np.greater_equal}
    if callable(a) or callable(b):
        raise EvaluationError("a function cannot be compared; apply it to arguments")
    if not _sampled((a, b)):
        if np.ndim(a) or np.ndim(b):
            raise EvaluationError("a condition must compare numbers, not arrays")
        return 1.0 if functions[op](a, b) else 0.0
    if _shape(a) != () or _shape(b) != ():
        raise EvaluationError("a condition must compare numbers, not arrays")
    return _elementwise(lambda x, y: functions[op](x, y).astype(np.float64), a, b)


def select(conditions: list[Value], values: list[Value], otherwise: Value | None) -> Value:
    """The value of the first condition that holds, draw by draw (``cases`` over random quantities)."""
    shapes = {_shape(v) for v in values + ([otherwise] if otherwise is not None else [])}
    if len(shapes) > 1:
        raise EvaluationError(f"the rows of cases have different shapes {sorted(shapes)}")
    count = next(a.count for a in conditions + values + [otherwise] if isinstance(a, Sampled))
    per_draw_shape = shapes.pop()
    full_shape = (count,) + per_draw_shape
    ndim = len(per_draw_shape)
    full = [np.broadcast_to(_aligned(v, ndim), full_shape) for v in values]
    masks = [np.broadcast_to(_aligned(c, ndim) != 0, full_shape) for c in conditions]
    default = np.nan if otherwise is None else np.broadcast_to(_aligned(otherwise, ndim), full_shape)
    return Sampled(np.select(masks, full, default))
