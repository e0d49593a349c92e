"""Probability mass functions of discrete distributions (binomial, Poisson).

Computed in log space (``gammaln``) so that large counts neither overflow
the factorials nor underflow the powers before they are combined. Inputs
outside the support (negative or non-integer counts, ``x > n``) have
probability zero.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln, xlog1py, xlogy


def _scalar_or_array(values: NDArray[np.float64]) -> NDArray[np.float64] | float:
    return float(values) if values.ndim == 0 else values


def binomial_coefficient(n: ArrayLike, k: ArrayLike) -> NDArray[np.float64] | float:
    """Binomial coefficient ``n! / (k! (n-k)!)``, zero unless ``0 <= k <= n``.

    Same as ``scipy.special.comb(n, k)`` (not exact); rounded to the nearest
    integer for integer arguments while the result is exactly representable.

    >>> binomial_coefficient(5, 2)
    10.0
    >>> binomial_coefficient([4, 4, 4], [0, 5, -1])
    array([1., 0., 0.])
    >>> binomial_coefficient(1000, 500) > 1e299
    True
    """
    nn, kk = np.broadcast_arrays(np.asarray(n, dtype=np.float64), np.asarray(k, dtype=np.float64))
    inside = (kk >= 0) & (kk <= nn)
    safe_k = np.where(inside, kk, 0.0)
    logs = gammaln(nn + 1) - gammaln(safe_k + 1) - gammaln(nn - safe_k + 1)
    values = np.where(inside, np.exp(logs), 0.0)
    integral = (nn == np.round(nn)) & (kk == np.round(kk)) & (values < 2.0**53)
    return _scalar_or_array(np.where(integral, np.round(values), values))


def binomial_pmf(x: ArrayLike, n: ArrayLike, p: ArrayLike) -> NDArray[np.float64] | float:
    """Probability of ``x`` successes in ``n`` independent trials of success probability ``p``.

    ``C(n, x) p^x (1-p)^(n-x)``; same as ``scipy.stats.binom.pmf(x, n, p)``.

    >>> binomial_pmf(2, 4, 0.5)
    0.375
    >>> binomial_pmf([0, 1, 5], 1, 1.0)
    array([0., 1., 0.])
    >>> 0 < binomial_pmf(5000, 10000, 0.5) < 0.01
    True
    """
    xx, nn, pp = np.broadcast_arrays(
        np.asarray(x, dtype=np.float64), np.asarray(n, dtype=np.float64), np.asarray(p, dtype=np.float64)
    )
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

    >>> round(poisson_pmf(2, 3.0), 6)
    0.224042
    >>> poisson_pmf([0, -1, 1.5], 0.0)
    array([1., 0., 0.])
    >>> 0 < poisson_pmf(1000, 1000.0) < 0.02
    True
    """
    xx, mm = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(mu, dtype=np.float64))
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
