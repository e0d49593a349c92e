"""Scaled dot-product attention, and why its scores are divided by sqrt(d).

Queries ``Q`` are ``(n, d)``, keys ``K`` are ``(m, d)``, values ``V`` are
``(m, d_v)``; leading batch axes broadcast.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.activations import softmax


def attention_logits(Q: ArrayLike, K: ArrayLike, scale: bool = True) -> NDArray[np.float64]:
    """Scores ``Q K^T / sqrt(d)`` (or ``Q K^T`` with ``scale=False``), shape ``(n, m)``.

    >>> attention_logits([[1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]], scale=False)
    array([[1., 2.]])
    >>> attention_logits([[2.0, 0.0, 0.0, 0.0]], [[1.0, 0.0, 0.0, 0.0]])
    array([[1.]])
    """
    q = np.asarray(Q, dtype=np.float64)
    k = np.asarray(K, dtype=np.float64)
    scores = q @ np.swapaxes(k, -1, -2)
    return scores / np.sqrt(q.shape[-1]) if scale else scores


def scaled_dot_product_attention(Q: ArrayLike, K: ArrayLike, V: ArrayLike) -> NDArray[np.float64]:
    """``softmax(Q K^T / sqrt(d)) V``: each query's average of the values, weighted by its scores.

    >>> scaled_dot_product_attention([[0.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]], [[1.0], [3.0]])
    array([[2.]])
    """
    weights = softmax(attention_logits(Q, K), axis=-1)
    return weights @ np.asarray(V, dtype=np.float64)


def qk_variance_theory(d: int, mu: float = 0.0, sigma: float = 1.0) -> float:
    """``Var(q^T k) = d (sigma^4 + 2 mu^2 sigma^2)`` for ``q, k`` with iid ``N(mu, sigma^2)`` entries.

    At ``mu = 0, sigma = 1`` it is ``d``: the reason for dividing scores by ``sqrt(d)``.

    >>> qk_variance_theory(64)
    64.0
    >>> qk_variance_theory(2, mu=1.0, sigma=1.0)
    6.0
    """
    return d * (sigma**4 + 2.0 * mu**2 * sigma**2)


def qk_variance_mc(
    d: int, samples: int, mu: float = 0.0, sigma: float = 1.0, seed: int = 0, chunk: int = 16_384
) -> float:
    """Monte Carlo estimate of ``Var(q^T k)`` from ``samples`` independent pairs ``q, k``.

    Entries are iid ``N(mu, sigma^2)``. Pairs are drawn ``chunk`` at a time so
    memory stays bounded (about ``16 * chunk * d`` bytes) whatever ``samples``
    is; the estimate is the unbiased sample variance.

    >>> abs(qk_variance_mc(d=64, samples=200_000) - 64) < 0.03 * 64
    True
    >>> abs(qk_variance_mc(d=4, samples=100_000, mu=1.0) / qk_variance_theory(4, mu=1.0) - 1) < 0.05
    True
    """
    return float(np.var(qk_dot_products(d, samples, mu, sigma, seed, chunk), ddof=1))


def qk_dot_products(
    d: int, samples: int, mu: float = 0.0, sigma: float = 1.0, seed: int = 0, chunk: int = 16_384
) -> NDArray[np.float64]:
    """``samples`` independent draws of ``q^T k`` for ``q, k`` with iid ``N(mu, sigma^2)`` entries.

    Pairs are drawn ``chunk`` at a time so memory stays bounded (about
    ``16 * chunk * d`` bytes) whatever ``samples`` is.

    >>> dots = qk_dot_products(d=16, samples=100_000, mu=0.5)
    >>> bool(abs(dots.mean() - 16 * 0.5**2) < 0.1)
    True
    """
    rng = np.random.default_rng(seed)
    dots = np.empty(samples, dtype=np.float64)
    for start in range(0, samples, chunk):
        size = min(chunk, samples - start)
        # float32 draws halve the cost; the dot products are accumulated in float64.
        q = rng.standard_normal((size, d), dtype=np.float32).astype(np.float64) * sigma + mu
        k = rng.standard_normal((size, d), dtype=np.float32).astype(np.float64) * sigma + mu
        dots[start : start + size] = np.einsum("ij,ij->i", q, k)
    return dots


def product_variance(mean_x: float, var_x: float, mean_y: float, var_y: float) -> float:
    """``Var(XY)`` of independent ``X, Y`` from their means and variances.

    ``Var(XY) = Var(X) Var(Y) + Var(X) E[Y]^2 + Var(Y) E[X]^2``.

    >>> product_variance(0.0, 1.0, 0.0, 1.0)
    1.0
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(1.0, 2.0, 400_000), rng.normal(-0.5, 1.5, 400_000)
    >>> bool(abs(np.var(x * y) / product_variance(1.0, 4.0, -0.5, 2.25) - 1) < 0.02)
    True
    """
    return var_x * var_y + var_x * mean_y**2 + var_y * mean_x**2


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:attention.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).
# matplotlib is imported inside them, so the numeric code above stays light.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def logit_variance_scaling() -> Figure:
    """Monte Carlo: the variance of attention logits grows like ``d`` without the
    ``1/sqrt(d)`` factor and stays at 1 with it (left); unscaled, softmax saturates (right)."""
    from matplotlib.figure import Figure

    rng = np.random.default_rng(0)
    dims = 2 ** np.arange(0, 11)
    variance = {True: [], False: []}
    top_weight = {True: [], False: []}
    for d in dims:
        q = rng.standard_normal((64, d))
        k = rng.standard_normal((64, d))
        for scale in (False, True):
            logits = attention_logits(q, k, scale=scale)
            variance[scale].append(logits.var())
            top_weight[scale].append(softmax(logits, axis=-1).max(axis=-1).mean())
    fig = Figure()
    var_ax, sat_ax = fig.subplots(1, 2)
    var_ax.loglog(dims, variance[False], "o", color="C1", label="unscaled")
    var_ax.loglog(dims, variance[True], "o", color="C0", label="scaled by 1/\u221ad")
    var_ax.loglog(dims, [qk_variance_theory(int(d)) for d in dims], color="C1", lw=1, label="theory: $d$")
    var_ax.loglog(dims, np.ones(dims.size), color="C0", lw=1, label="theory: $1$")
    var_ax.set_xlabel("dimension $d$")
    var_ax.set_ylabel("variance of the logits")
    var_ax.legend(fontsize=8.5)
    sat_ax.semilogx(dims, top_weight[False], "o-", color="C1", label="unscaled")
    sat_ax.semilogx(dims, top_weight[True], "o-", color="C0", label="scaled")
    sat_ax.set_xlabel("dimension $d$")
    sat_ax.set_ylabel("largest softmax weight (64 keys)")
    sat_ax.set_ylim(0, 1)
    sat_ax.legend(fontsize=8.5)
    return fig
