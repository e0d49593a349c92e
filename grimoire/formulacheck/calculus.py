"""Numerical calculus for the evaluator: derivatives, integrals, infinite series and limits.

Each routine takes the formula's expression as a Python function of the
variable, returns a number (or array), and raises ``EvaluationError`` with
what it saw when it cannot reach its tolerance: a series or a limit that
does not converge is a failed check, never a silent pass. Every loop is
bounded (iterations, subdivisions, terms, levels).

- Derivatives: ``scipy.differentiate.jacobian`` (central differences of
  order 8, step halving with Richardson-style error estimates).
- Integrals: ``scipy.integrate.quad`` (QUADPACK), whose warnings become errors.
- Series: partial sums term by term. scipy has no general series routine
  (``scipy.special`` sums known series only), so this is hand-written:
  the sum has converged once ``SERIES_CALM`` consecutive terms are below
  ``SERIES_RTOL`` of the partial sum; at most ``SERIES_TERMS`` terms.
- Limits: values along ``x_k = a \\pm h 2^{-k}`` (or ``2^k`` towards
  infinity), accelerated by a Richardson table in ``h``. Hand-written
  because neither numpy nor scipy evaluates limits of sequences (mpmath's
  ``limit`` needs arbitrary-precision functions, which the evaluator's
  float64 arithmetic is not). Without convergence, a sequence that keeps
  moving in one direction without slowing down is taken to diverge to
  that infinity; anything else is reported as not converging.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Callable

import numpy as np
from scipy import differentiate, integrate

from grimoire.formulacheck.errors import EvaluationError

# Stated tolerances: a relation holding a numerical derivative, integral, series or limit is compared
# within these (or the block's @tol if looser); each method converges far below them.
NUMERIC_RTOL = 1e-6
NUMERIC_ATOL = 1e-7
DERIVATIVE_ITERATIONS = 20
DERIVATIVE_TOLERANCES = {"atol": 1e-10, "rtol": 1e-8}  # converged: successive estimates this close
OUTER_TOLERANCES = {"atol": 1e-8, "rtol": 1e-7}
MAX_STEP = 0.25
QUAD_SUBDIVISIONS = 200
SERIES_TERMS = 10_000
SERIES_CALM = 10
SERIES_RTOL = 1e-17
LIMIT_LEVELS = 60
LIMIT_DEPTH = 3
LIMIT_RTOL = 1e-10
LIMIT_ATOL = 1e-12
DIVERGENCE_TAIL = 8


def _show(values: list[Any]) -> str:
    return ", ".join(f"{float(np.ravel(v)[0]):.6g}" if np.ndim(v) else f"{float(v):.6g}" for v in values)


def jacobian(function: Callable[[np.ndarray], np.ndarray], point: np.ndarray, outer: bool = False) -> np.ndarray:
    """The Jacobian ``d function / d point`` (outputs x inputs) of a function of a flat vector.

    ``function`` takes one flat vector and returns a flat vector; it is called once per abscissa.
    ``outer``: ``function`` is itself a numerical derivative (a second derivative), whose round-off
    noise the outer differences amplify, so it converges to ``OUTER_TOLERANCES``.
    """
    n = point.size

    def batched(x: np.ndarray) -> np.ndarray:
        columns = x.reshape(n, -1)
        results = [np.asarray(function(columns[:, k]), dtype=np.float64).ravel() for k in range(columns.shape[1])]
        return np.stack(results, axis=-1).reshape((results[0].size,) + x.shape[1:])

    step = np.minimum(MAX_STEP, 0.5 * np.maximum(np.abs(point), 1e-2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = differentiate.jacobian(batched, point.astype(np.float64), initial_step=step,
                                        maxiter=DERIVATIVE_ITERATIONS,
                                        tolerances=OUTER_TOLERANCES if outer else DERIVATIVE_TOLERANCES)
    df = np.asarray(result.df, dtype=np.float64)
    if not np.all(result.success):
        status = np.atleast_1d(result.status)
        reason = "non-finite values of the expression" if np.any(status == -3) else "no convergence"
        raise EvaluationError(
            f"the numerical derivative did not converge ({reason}): estimate {_show([df])} "
            f"with error estimate {_show([np.max(np.abs(result.error))])} after {DERIVATIVE_ITERATIONS} step halvings")
    return df.reshape(-1, n)


def integral(function: Callable[[float], Any], lower: float, upper: float) -> float:
    """``\\int_lower^upper function``, adaptively, or an error saying why QUADPACK gave up."""
    def scalar(x: float) -> float:
        value = function(x)
        if np.ndim(value) != 0:
            raise EvaluationError("an integrand must be a number; integrate each entry separately")
        return float(value)

    output = integrate.quad(scalar, lower, upper, full_output=1, limit=QUAD_SUBDIVISIONS, epsabs=1e-11, epsrel=1e-10)
    value, error = output[0], output[1]
    if len(output) > 3:  # QUADPACK's message: the integral did not converge to its tolerance
        raise EvaluationError(f"the integral did not converge: {output[3].splitlines()[0].strip()} "
                              f"(estimate {value:.6g}, error estimate {error:.3g})")
    if not math.isfinite(value):
        raise EvaluationError("the integral is not finite")
    return float(value)


def series(term: Callable[[int], Any], start: int) -> Any:
    """``\\sum_{k=start}^{\\infty} term(k)`` by partial sums, or an error with the partial sums seen."""
    total: Any = 0.0
    calm = 0
    seen: list[Any] = []
    for k in range(start, start + SERIES_TERMS):
        value = term(k)
        total = total + value
        if not np.all(np.isfinite(total)):
            raise EvaluationError(f"the series is not finite after {k - start + 1} terms (partial sums {_show(seen)})")
        if (k - start) & (k - start - 1) == 0:  # keep the partial sums at 1, 2, 4, 8, ... terms for the report
            seen.append(total)
        small = np.all(np.abs(value) <= SERIES_RTOL * np.maximum(np.abs(total), 1e-300))
        calm = calm + 1 if small else 0
        if calm >= SERIES_CALM:
            return total
    raise EvaluationError(f"the series did not converge in {SERIES_TERMS} terms "
                          f"(partial sums at 1, 2, 4, ... terms: {_show(seen)}; last term {_show([value])})")


def _approach(target: float, side: str) -> tuple[Callable[[int], float], Callable[[int], float]]:
    """The points x_k and their distances h_k to the target."""
    if math.isinf(target):
        sign = 1.0 if target > 0 else -1.0
        return (lambda k: sign * 2.0 ** (k + 1)), (lambda k: 2.0 ** -(k + 1))
    direction = -1.0 if side == "-" else 1.0
    scale = max(abs(target), 1.0)
    return (lambda k: target + direction * scale * 2.0 ** -(k + 1)), (lambda k: scale * 2.0 ** -(k + 1))


def limit(function: Callable[[float], Any], target: float, side: str) -> Any:
    """The limit of ``function(x)`` as ``x -> target`` from ``side`` (+, - or both: '')."""
    if side == "" and not math.isinf(target):
        right, left = limit(function, target, "+"), limit(function, target, "-")
        if np.shape(right) != np.shape(left) or not np.allclose(right, left, rtol=NUMERIC_RTOL, atol=NUMERIC_ATOL):
            raise EvaluationError(f"the limit does not exist: from the right {_show([right])}, "
                                  f"from the left {_show([left])}")
        return right
    point, distance = _approach(target, side)
    values: list[Any] = []
    table: list[list[Any]] = []
    estimates: list[Any] = []
    for k in range(LIMIT_LEVELS):
        value = function(point(k))
        if not np.all(np.isfinite(value)):
            if values:
                break
            continue  # far from the target the expression may not be defined yet (n < x in a binomial)
        values.append(value)
        row = [np.asarray(value, dtype=np.float64)]
        for depth in range(1, min(len(table), LIMIT_DEPTH) + 1):
            # Richardson in h: halving h removes the h^depth term of the error.
            factor = 2.0 ** depth
            if depth - 1 < len(table[-1]):
                row.append(row[depth - 1] + (row[depth - 1] - table[-1][depth - 1]) / (factor - 1.0))
        table.append(row)
        estimates.append(row[-1])
        if len(estimates) >= LIMIT_DEPTH + 3:
            last = estimates[-3:]
            scale = np.maximum(np.abs(last[-1]), 0.0)
            if all(np.all(np.abs(e - last[-1]) <= LIMIT_ATOL + LIMIT_RTOL * scale) for e in last[:-1]):
                return last[-1] if np.ndim(last[-1]) else float(last[-1])
    divergence = _divergence(values)
    if divergence is not None:
        return divergence
    raise EvaluationError(f"the limit did not converge: values along the approach {_show(values[-8:])}")


def _divergence(values: list[Any]) -> float | None:
    """+inf or -inf if the scalar sequence keeps moving one way without slowing down, else None."""
    if len(values) < DIVERGENCE_TAIL or any(np.ndim(v) for v in values):
        return None
    tail = [float(v) for v in values[-DIVERGENCE_TAIL:]]
    steps = np.diff(tail)
    if np.all(steps > 0) or np.all(steps < 0):
        if abs(steps[-1]) >= 0.5 * abs(steps[0]):
            return math.inf if steps[0] > 0 else -math.inf
    return None
