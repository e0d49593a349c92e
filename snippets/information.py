"""Information-theoretic quantities of discrete distributions.

Conventions: natural logarithm unless ``base`` is given; ``0 log 0 = 0``
(the limit), so zero-probability outcomes contribute nothing; a positive
probability where the model gives zero makes the divergence ``+inf``.
Distributions lie along the last axis.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _log(x: NDArray[np.float64], base: float | None) -> NDArray[np.float64]:
    with np.errstate(divide="ignore"):
        logs = np.log(x)
    return logs if base is None else logs / np.log(base)


def _xlogy(x: NDArray[np.float64], y: NDArray[np.float64], base: float | None) -> NDArray[np.float64]:
    """``x log y`` with ``0 log y = 0`` even for ``y = 0`` (like ``scipy.special.xlogy``)."""
    x, y = np.broadcast_arrays(x, y)
    out = np.zeros(x.shape, dtype=np.float64)
    nonzero = x != 0
    out[nonzero] = x[nonzero] * _log(y[nonzero], base)
    return out


def surprise(p: ArrayLike, base: float | None = None) -> NDArray[np.float64] | float:
    """Surprise (self-information) ``-log p`` of an outcome of probability ``p``.

    ``+inf`` at ``p = 0``: an impossible outcome is infinitely surprising.

    >>> surprise(0.5, base=2)
    1.0
    >>> surprise([1.0, 0.0])
    array([ 0., inf])
    """
    probs = np.asarray(p, dtype=np.float64)
    result = 0.0 - _log(probs, base)  # 0.0 - keeps -log 1 from printing as -0.0
    return float(result) if result.ndim == 0 else result


def entropy(p: ArrayLike, base: float | None = None) -> NDArray[np.float64] | float:
    """Shannon entropy ``-sum_i p_i log p_i`` of the distribution ``p`` (last axis).

    Like ``scipy.stats.entropy(p, base=base)`` for a normalised ``p``
    (scipy also normalises ``p`` first; this function takes ``p`` as given).

    >>> entropy([0.5, 0.5], base=2)
    1.0
    >>> entropy([1.0, 0.0])
    0.0
    >>> entropy([[0.25] * 4, [1.0, 0, 0, 0]], base=2)
    array([2., 0.])
    """
    probs = np.asarray(p, dtype=np.float64)
    result = 0.0 - np.sum(_xlogy(probs, probs, base), axis=-1)
    return float(result) if result.ndim == 0 else result


def cross_entropy(p: ArrayLike, q: ArrayLike, base: float | None = None) -> NDArray[np.float64] | float:
    """Cross-entropy ``-sum_i p_i log q_i`` of the model ``q`` under the data distribution ``p``.

    ``+inf`` when ``q`` gives zero probability to an outcome that ``p`` does not.

    >>> cross_entropy([0.5, 0.5], [0.5, 0.5], base=2)
    1.0
    >>> cross_entropy([1.0, 0.0], [0.5, 0.5], base=2)
    1.0
    >>> cross_entropy([0.5, 0.5], [1.0, 0.0])
    inf
    """
    pp = np.asarray(p, dtype=np.float64)
    qq = np.asarray(q, dtype=np.float64)
    result = 0.0 - np.sum(_xlogy(pp, qq, base), axis=-1)
    return float(result) if result.ndim == 0 else result


def kl_divergence(p: ArrayLike, q: ArrayLike, base: float | None = None) -> NDArray[np.float64] | float:
    """Kullback-Leibler divergence ``sum_i p_i log(p_i / q_i)`` of ``q`` from ``p``.

    ``scipy.special.rel_entr(p, q).sum(-1)`` computes the same (natural log);
    ``+inf`` where ``q_i = 0 < p_i``, and terms with ``p_i = 0`` are zero.
    ``p`` and ``q`` must be probability distributions along the last axis:
    a negative entry, or a sum that differs from 1 by more than ``1e-8``,
    raises ``ValueError`` (the same sum of an unnormalised ``p`` or ``q``
    can be negative, and ``scipy.stats.entropy(p, q)`` would silently
    normalise both first).

    >>> kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    >>> kl_divergence([1.0, 0.0], [0.5, 0.5], base=2)
    1.0
    >>> kl_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    >>> kl_divergence([0.5, 0.25], [0.5, 0.5])
    Traceback (most recent call last):
    ...
    ValueError: p must be a probability distribution along the last axis (entries >= 0 summing to 1); got sums [0.75]
    """
    pp, qq = np.broadcast_arrays(np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64))
    for name, probs in (("p", pp), ("q", qq)):
        sums = np.sum(probs, axis=-1)
        if np.any(probs < 0) or np.any(np.abs(sums - 1.0) > 1e-8):
            raise ValueError(f"{name} must be a probability distribution along the last axis "
                             f"(entries >= 0 summing to 1); got sums {np.unique(sums)}")
    terms = np.zeros(pp.shape, dtype=np.float64)
    positive = pp > 0
    with np.errstate(divide="ignore"):
        terms[positive] = pp[positive] * _log(pp[positive] / qq[positive], base)
    result = np.sum(terms, axis=-1)
    return float(result) if result.ndim == 0 else result


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:information.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).
# matplotlib is imported inside them, so the numeric code above stays light.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def bernoulli_entropy() -> Figure:
    """Entropy of a coin that lands heads with probability ``p``, in bits."""
    from matplotlib.figure import Figure

    p = np.linspace(0.0, 1.0, 401)
    h = entropy(np.stack([p, 1.0 - p], axis=-1), base=2)
    fig = Figure()
    ax = fig.subplots()
    ax.plot(p, h, color="C0")
    ax.plot([0.5], [1.0], "o", color="C1")
    ax.annotate(
        "fair coin: 1 bit", (0.5, 1.0), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=9
    )
    ax.set_xlabel("probability of heads $p$")
    ax.set_ylabel("entropy $H(p)$ in bits")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.15)
    return fig


def surprise_curve() -> Figure:
    """Surprise ``-log2 p`` of an outcome of probability ``p``: rare outcomes carry many bits."""
    from matplotlib.figure import Figure

    p = np.linspace(0.01, 1.0, 400)
    fig = Figure()
    ax = fig.subplots()
    ax.plot(p, surprise(p, base=2), color="C0")
    for q, label in ((0.5, "fair coin"), (1 / 6, "die roll"), (1 / 32, "5 fair coins")):
        ax.plot([q], [surprise(q, base=2)], "o", color="C1")
        ax.annotate(f"{label}: {surprise(q, base=2):.2g} bits", (q, surprise(q, base=2)),
                    xytext=(8, 2), textcoords="offset points", fontsize=9)
    ax.set_xlabel("probability $p$")
    ax.set_ylabel("surprise $-\\log_2 p$ (bits)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 7)
    return fig


def kl_asymmetry() -> Figure:
    """Both KL divergences between a Bernoulli(0.3) and a Bernoulli(q), as ``q`` varies:
    they vanish together at ``q = 0.3`` and differ everywhere else."""
    from matplotlib.figure import Figure

    p = np.array([0.3, 0.7])
    q = np.linspace(0.005, 0.995, 400)
    qs = np.stack([q, 1.0 - q], axis=-1)
    fig = Figure()
    ax = fig.subplots()
    ax.plot(q, kl_divergence(p, qs, base=2), label=r"$D_{\mathrm{KL}}(p \,\|\, q)$")
    ax.plot(q, kl_divergence(qs, p, base=2), label=r"$D_{\mathrm{KL}}(q \,\|\, p)$")
    ax.axvline(0.3, color="black", lw=0.8, ls=":")
    ax.set_xlabel("$q$, the model's probability of the first outcome ($p = 0.3$)")
    ax.set_ylabel("divergence (bits)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 3)
    ax.legend()
    return fig
