"""Probability mass functions of discrete distributions (binomial, Poisson).

Computed in log space (``gammaln``) so that large counts neither overflow
the factorials nor underflow the powers before they are combined. Inputs
outside the support (negative or non-integer counts, ``x > n``) have
probability zero; invalid parameters (a negative or non-integer number of
trials, a probability outside ``[0, 1]``, a negative mean) raise
``ValueError`` where scipy would return NaN.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln, xlog1py, xlogy


def _scalar_or_array(values: NDArray[np.float64]) -> NDArray[np.float64] | float:
    return float(values) if values.ndim == 0 else values


def _is_integral(value: object) -> bool:
    if isinstance(value, (int, np.integer)):
        return True
    return isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer()


def _exact_comb_as_float(n: int, k: int) -> float:
    """``C(n, k)`` by exact integer arithmetic, correctly rounded to a float (``inf`` past the float range)."""
    if not 0 <= k <= n:
        return 0.0
    k = min(k, n - k)
    # log C(n, k) <= k log(n e / k): past the float range there is no need to form the integer
    if k > 0 and k * (math.log(n / k) + 1.0) > 800.0 and gammaln(n + 1.0) - gammaln(k + 1.0) - gammaln(n - k + 1.0) > 710.0:
        return math.inf
    try:
        return float(math.comb(n, k))
    except OverflowError:
        return math.inf


def binomial_coefficient(n: ArrayLike, k: ArrayLike) -> NDArray[np.float64] | float:
    """Binomial coefficient ``n! / (k! (n-k)!)``, zero unless ``0 <= k <= n``.

    For integer ``n`` and ``k`` the value is computed exactly with integers
    (``math.comb``) and then rounded once to the nearest float, so it is
    exact up to ``2^53`` and correctly rounded beyond (``inf`` past about
    ``1.8e308``), like ``float(scipy.special.comb(n, k, exact=True))``.
    Other real arguments use ``Gamma`` in log space, like
    ``scipy.special.comb(n, k)``.

    >>> binomial_coefficient(5, 2)
    10.0
    >>> binomial_coefficient([4, 4, 4], [0, 5, -1])
    array([1., 0., 0.])
    >>> int(binomial_coefficient(60, 20))    # exact; the log-space value is off by 105
    4191844505805495
    >>> binomial_coefficient(1000, 500) > 1e299
    True
    """
    n_obj, k_obj = np.broadcast_arrays(np.asarray(n, dtype=object), np.asarray(k, dtype=object))
    nn = n_obj.astype(np.float64)
    kk = k_obj.astype(np.float64)
    inside = (kk >= 0) & (kk <= nn)
    safe_k = np.where(inside, kk, 0.0)
    with np.errstate(invalid="ignore", over="ignore"):  # past the float range the value is inf
        logs = gammaln(nn + 1) - gammaln(safe_k + 1) - gammaln(nn - safe_k + 1)
        values = np.where(inside, np.exp(logs), 0.0)
    for index in np.ndindex(values.shape):
        if _is_integral(n_obj[index]) and _is_integral(k_obj[index]):
            values[index] = _exact_comb_as_float(int(n_obj[index]), int(k_obj[index]))
    return _scalar_or_array(values)


def _check_trials_and_probability(n: NDArray[np.float64], p: NDArray[np.float64]) -> None:
    if not np.all((n >= 0) & (n == np.floor(n)) & np.isfinite(n)):
        raise ValueError(f"the number of trials n must be a non-negative integer, got {n}")
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError(f"the success probability p must lie in [0, 1], got {p}")


def binomial_pmf(x: ArrayLike, n: ArrayLike, p: ArrayLike) -> NDArray[np.float64] | float:
    """Probability of ``x`` successes in ``n`` independent trials of success probability ``p``.

    ``C(n, x) p^x (1-p)^(n-x)``; same as ``scipy.stats.binom.pmf(x, n, p)``.
    Counts ``x`` outside ``0..n`` (or not integers) have probability 0. A
    number of trials ``n`` that is negative or not an integer, or a ``p``
    outside ``[0, 1]``, raises ``ValueError`` (scipy returns NaN there).

    >>> binomial_pmf(2, 4, 0.5)
    0.375
    >>> binomial_pmf([0, 1, 5], 1, 1.0)
    array([0., 1., 0.])
    >>> 0 < binomial_pmf(5000, 10000, 0.5) < 0.01
    True
    >>> binomial_pmf(1, 2.5, 0.5)
    Traceback (most recent call last):
    ...
    ValueError: the number of trials n must be a non-negative integer, got [2.5]
    """
    xx, nn, pp = np.broadcast_arrays(
        np.asarray(x, dtype=np.float64), np.asarray(n, dtype=np.float64), np.asarray(p, dtype=np.float64)
    )
    _check_trials_and_probability(np.unique(nn), np.unique(pp))
    inside = (xx >= 0) & (xx <= nn) & (xx == np.floor(xx))
    safe_x = np.where(inside, xx, 0.0)
    logs = (
        gammaln(nn + 1)
        - gammaln(safe_x + 1)
        - gammaln(nn - safe_x + 1)
        + xlogy(safe_x, pp)
        + xlog1py(nn - safe_x, -pp)
    )
    return _scalar_or_array(np.where(inside, np.exp(logs), 0.0))


def poisson_pmf(x: ArrayLike, mu: ArrayLike) -> NDArray[np.float64] | float:
    """Probability of ``x`` events when ``mu`` are expected: ``mu^x e^(-mu) / x!``.

    Same as ``scipy.stats.poisson.pmf(x, mu)``; ``x = 1000`` is no problem.
    Counts that are negative or not integers have probability 0; a negative
    (or NaN) mean raises ``ValueError`` (scipy returns NaN).

    >>> round(poisson_pmf(2, 3.0), 6)
    0.224042
    >>> poisson_pmf([0, -1, 1.5], 0.0)
    array([1., 0., 0.])
    >>> 0 < poisson_pmf(1000, 1000.0) < 0.02
    True
    """
    xx, mm = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(mu, dtype=np.float64))
    if not np.all(mm >= 0):
        raise ValueError(f"the mean mu must be non-negative, got {np.unique(mm)}")
    inside = (xx >= 0) & (xx == np.floor(xx))
    safe_x = np.where(inside, xx, 0.0)
    logs = xlogy(safe_x, mm) - mm - gammaln(safe_x + 1)
    return _scalar_or_array(np.where(inside, np.exp(logs), 0.0))


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:distributions.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).
# matplotlib is imported inside them, so the numeric code above stays light.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def poisson_pmfs() -> Figure:
    """Poisson probabilities for three means: the mass centres on ``mu`` and spreads like ``sqrt(mu)``."""
    from matplotlib.figure import Figure

    x = np.arange(0, 21)
    fig = Figure()
    ax = fig.subplots()
    for mu in (1.0, 4.0, 10.0):
        ax.plot(x, poisson_pmf(x, mu), "o-", ms=4, lw=1, label=f"$\\mu = {mu:g}$")
    ax.set_xlabel("count $k$")
    ax.set_ylabel("$P(X = k)$")
    ax.set_xticks(x[::2])
    ax.legend()
    return fig


def binomial_pmfs() -> Figure:
    """Binomial probabilities for ``n = 20`` trials and three success probabilities."""
    from matplotlib.figure import Figure

    n = 20
    x = np.arange(0, n + 1)
    fig = Figure()
    ax = fig.subplots()
    for p in (0.2, 0.5, 0.8):
        ax.plot(x, binomial_pmf(x, n, p), "o-", ms=4, lw=1, label=f"$p = {p:g}$")
    ax.set_xlabel(f"successes $k$ out of $n = {n}$")
    ax.set_ylabel("$P(X = k)$")
    ax.set_xticks(x[::2])
    ax.legend()
    return fig
