"""Numeric meaning of each operation, with the project's matrix-versus-scalar conventions.

A value is a Python float (scalars, including 0-d results), a float64
ndarray, or a callable (a bound function). Products of two arrays are
matrix products, never silent broadcasting; a 1-D vector has no
transpose. A 1x1 matrix (``x^T y``) acts as a scalar wherever a scalar is
needed: as a divisor, as a factor whose matrix product would not conform,
next to a scalar, and when compared with a scalar. Anything ambiguous
raises ``EvaluationError`` with a message meant for the page's author.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
from scipy import special

from grimoire.formulacheck.errors import EvaluationError

Value = Any


def value(result: Any) -> Value:
    """Normalise a computed or returned value: floats for scalars, float64 arrays otherwise."""
    if isinstance(result, (float, int, np.floating, np.integer)):
        return float(result)  # the common case, without building an array
    if callable(result):
        return result
    array = np.asarray(result)
    if array.dtype == object or array.dtype.kind not in "biuf":
        raise EvaluationError(f"expected a number or an array of numbers, got {type(result).__name__}")
    array = array.astype(np.float64)
    return float(array) if array.ndim == 0 else array


def describe(v: Value) -> str:
    if callable(v):
        return "a function"
    return "a scalar" if np.ndim(v) == 0 else f"an array of shape {np.shape(v)}"


def is_one_by_one(v: Value) -> bool:
    return isinstance(v, np.ndarray) and v.shape == (1, 1)


def scalar_like(v: Value) -> bool:
    return np.ndim(v) == 0 or is_one_by_one(v)


def _numeric(*values: Value) -> None:
    for v in values:
        if callable(v):
            raise EvaluationError("a function is used as a number; call it with arguments, e.g. f(x)")


def add(a: Value, b: Value, op: str) -> Value:
    _numeric(a, b)
    if np.ndim(a) and np.ndim(b) and np.shape(a) != np.shape(b) and not (
            (is_one_by_one(a) and np.ndim(b) == 0) or (is_one_by_one(b) and np.ndim(a) == 0)):
        raise EvaluationError(f"cannot {'add' if op == '+' else 'subtract'} {describe(a)} and {describe(b)}")
    return value(a + b if op == "+" else a - b)


def multiply(a: Value, b: Value, op: str) -> Value:
    """Juxtaposition, \\cdot, \\times: scalar product if either side is scalar, else matrix product."""
    _numeric(a, b)
    if op == "odot":
        if np.ndim(a) and np.ndim(b) and np.shape(a) != np.shape(b):
            raise EvaluationError(f"\\odot needs equal shapes, got {np.shape(a)} and {np.shape(b)}")
        return value(np.multiply(a, b))
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return value(np.multiply(a, b))
    if np.ndim(a) == 1 and np.ndim(b) == 1:
        raise EvaluationError(
            "a product of two 1-D vectors is ambiguous; draw them as col(n) and write x^\\top y, "
            "or use \\odot for the elementwise product")
    if np.ndim(a) > 2 or np.ndim(b) > 2:
        raise EvaluationError("matrix products need 1-D or 2-D operands")
    inner_a = np.shape(a)[-1]
    inner_b = np.shape(b)[0]
    if inner_a != inner_b:
        if is_one_by_one(a):
            return value(float(a[0, 0]) * b)
        if is_one_by_one(b):
            return value(a * float(b[0, 0]))
        raise EvaluationError(f"matrix product of shapes {np.shape(a)} and {np.shape(b)}: inner sizes differ")
    return value(np.matmul(a, b))


def divide(a: Value, b: Value) -> Value:
    _numeric(a, b)
    if is_one_by_one(b) and not is_one_by_one(a):
        b = float(b[0, 0])
    if np.ndim(b) and np.shape(a) != np.shape(b):
        raise EvaluationError(f"cannot divide {describe(a)} by {describe(b)}")
    return value(np.divide(a, b))


def power(base: Value, exponent: Value) -> Value:
    _numeric(base, exponent)
    if np.ndim(base) == 0:
        return value(np.power(float(base), exponent))
    if np.ndim(exponent) != 0:
        raise EvaluationError(f"cannot raise {describe(base)} to {describe(exponent)}")
    if np.ndim(base) == 2 and base.shape[0] == base.shape[1] and float(exponent).is_integer():
        if exponent < 0:
            return value(np.linalg.matrix_power(inverse(base), int(-exponent)))
        return value(np.linalg.matrix_power(base, int(exponent)))
    raise EvaluationError(
        f"cannot raise {describe(base)} to a power; index it (x_i^2), use \\odot, "
        "or use a square matrix")


def kronecker(a: Value, b: Value) -> Value:
    """``A \\otimes B``: the Kronecker product (numpy's ``kron``) of two matrices or two vectors."""
    _numeric(a, b)
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return multiply(a, b, "cdot")
    if np.ndim(a) != np.ndim(b):
        raise EvaluationError(f"\\otimes of {describe(a)} and {describe(b)}: draw both as matrices or both as vectors")
    return value(np.kron(a, b))


def inverse(a: Value) -> Value:
    if np.linalg.cond(a) > 1e12:
        raise EvaluationError("the matrix is singular (condition number above 1e12); draw it as invertible(n)")
    return np.linalg.inv(a)


def transpose(a: Value) -> Value:
    _numeric(a)
    if np.ndim(a) == 1:
        raise EvaluationError("transpose of a 1-D vector is ambiguous; draw it as col(n) instead of vector(n)")
    if np.ndim(a) > 2:
        raise EvaluationError("transpose needs a matrix")
    return value(np.transpose(a))


def negate(a: Value) -> Value:
    _numeric(a)
    return value(np.negative(a))


def index_positions(a: Value, count: int) -> tuple[int, ...]:
    """The lengths of the axes that ``count`` subscripts select (a column or row vector counts as 1-D)."""
    if callable(a) or np.ndim(a) == 0:
        raise EvaluationError(f"cannot index {describe(a)}")
    shape = np.shape(a)
    if count == 1 and len(shape) == 2 and 1 in shape:
        return (int(np.size(a)),)
    if count > len(shape):
        raise EvaluationError(f"{count} subscripts on {describe(a)}")
    return tuple(shape[:count])


def index(a: Value, positions: list[Value], base: int, labels: list[str]) -> Value:
    """Strict subscripting: integer positions within ``base..base+len-1``, no wrap-around."""
    lengths = index_positions(a, len(positions))
    array = np.ravel(a) if (len(positions) == 1 and np.ndim(a) == 2 and 1 in np.shape(a)) else a
    chosen: list[int] = []
    for position, length, label in zip(positions, lengths, labels):
        if np.ndim(position) != 0 or callable(position):
            raise EvaluationError(f"subscript {label} is not a number")
        p = float(position)
        if not p.is_integer():
            raise EvaluationError(f"subscript {label} = {p:g} is not an integer")
        if not base <= p <= base + length - 1:
            raise EvaluationError(
                f"subscript {label} = {int(p)} is outside {base}..{base + length - 1} "
                f"(axis of length {length}); restrict it with @index")
        chosen.append(int(p) - base)
    return value(array[tuple(chosen)])


def norm(a: Value, order: Value | str | None) -> Value:
    _numeric(a)
    if np.ndim(a) == 0:
        return abs(float(a))
    vector = np.ndim(a) == 1 or 1 in np.shape(a)
    if vector:
        flat = np.ravel(a)
        if order in (None, 2, 2.0):
            return float(np.linalg.norm(flat))
        if order == "inf":
            return float(np.max(np.abs(flat)))
        if order in (0, 0.0):
            return float(np.count_nonzero(flat))  # the l0 "norm": how many entries are not zero
        if float(order) < 0:  # type: ignore[arg-type]
            raise EvaluationError(f"a norm's order must be positive, not {order}")
        return float(np.sum(np.abs(flat) ** float(order)) ** (1.0 / float(order)))  # type: ignore[arg-type]
    if order == "F":
        return float(np.linalg.norm(a, "fro"))
    if order in (2, 2.0, 1, 1.0, "inf"):
        return float(np.linalg.norm(a, np.inf if order == "inf" else int(order)))  # type: ignore[arg-type]
    raise EvaluationError("the norm of a matrix needs an order: \\|A\\|_F, \\|A\\|_2, \\|A\\|_1 or \\|A\\|_\\infty")


def absolute(a: Value) -> Value:
    _numeric(a)
    if np.ndim(a) == 2 and np.shape(a) != (1, 1):
        raise EvaluationError("|A| of a matrix is ambiguous; write \\det A")
    return value(np.abs(a))


def factorial(a: Value) -> Value:
    _numeric(a)
    if np.ndim(a) != 0:
        return value(special.gamma(np.asarray(a) + 1.0))
    x = float(a)
    if x.is_integer() and x >= 0:
        try:
            return float(math.factorial(int(x)))
        except OverflowError:
            return math.inf
    return float(special.gamma(x + 1.0))


def binomial(n: Value, k: Value) -> Value:
    _numeric(n, k)
    if np.ndim(n) == 0 and np.ndim(k) == 0 and float(n).is_integer() and float(k).is_integer():
        nn, kk = int(n), int(k)
        if nn >= 0:
            try:
                return float(math.comb(nn, kk)) if 0 <= kk <= nn else 0.0
            except OverflowError:
                return math.inf
    return value(special.binom(n, k))


def extremum(args: list[Value], name: str) -> Value:
    _numeric(*args)
    pick: Callable[..., Any] = np.max if name == "max" else np.min
    if len(args) == 1:
        return value(pick(args[0]))
    shapes = {np.shape(a) for a in args if np.ndim(a)}
    if len(shapes) > 1:
        raise EvaluationError(f"\\{name} of arrays of different shapes {sorted(shapes)}")
    return value(pick(np.stack(np.broadcast_arrays(*args)), axis=0))


def elementwise(name: str, a: Value, option: Value | None) -> Value:
    _numeric(a)
    if name == "log":
        result = np.log(a)
        return value(result if option is None else result / np.log(option))
    if name == "sqrt":
        return value(np.sqrt(a) if option is None else np.power(a, 1.0 / float(option)))
    functions: dict[str, Callable[[Any], Any]] = {
        "exp": np.exp, "sin": np.sin, "cos": np.cos, "tanh": np.tanh, "floor": np.floor, "ceil": np.ceil,
    }
    if name in functions:
        return value(functions[name](a))
    if name == "diag":
        if np.ndim(a) == 1 or (np.ndim(a) == 2 and 1 in np.shape(a)):
            return value(np.diag(np.ravel(a)))
        if np.ndim(a) == 2:
            return value(np.diag(a))
        raise EvaluationError(f"\\diag needs a vector or a matrix, got {describe(a)}")
    if name == "rank":
        if np.ndim(a) != 2:
            raise EvaluationError(f"\\operatorname{{rank}} needs a matrix, got {describe(a)}")
        return float(np.linalg.matrix_rank(a))
    if name in ("det", "tr"):
        if np.ndim(a) != 2 or np.shape(a)[0] != np.shape(a)[1]:
            raise EvaluationError(f"\\{name} needs a square matrix, got {describe(a)}")
        return value(np.linalg.det(a) if name == "det" else np.trace(a))
    raise EvaluationError(f"unknown function {name}")
