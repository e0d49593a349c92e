"""Averages of a sequence: arithmetic, geometric, harmonic and exponential moving ones.

Sequences lie along the last axis. The moving averages return one value per
time step ``t = 1..n`` (index ``t - 1`` in Python).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.signal import lfilter


def arithmetic_mean(x: ArrayLike, axis: int = -1) -> NDArray[np.float64] | float:
    """Arithmetic mean ``(1/n) sum_i x_i`` (``numpy.mean``).

    >>> arithmetic_mean([1.0, 2.0, 6.0])
    3.0
    """
    result = np.mean(np.asarray(x, dtype=np.float64), axis=axis)
    return float(result) if np.ndim(result) == 0 else result


def geometric_mean(x: ArrayLike, axis: int = -1) -> NDArray[np.float64] | float:
    """Geometric mean ``(prod_i x_i)^(1/n)`` of positive numbers, as ``exp(mean(log x))``.

    Same as ``scipy.stats.gmean``; the mean of logarithms never overflows the
    product (a thousand values of 1e300 are fine).

    >>> round(geometric_mean([1.0, 4.0, 16.0]), 12)
    4.0
    >>> round(geometric_mean([1e300] * 1000) / 1e300, 9)
    1.0
    """
    values = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore"):
        result = np.exp(np.mean(np.log(values), axis=axis))
    return float(result) if np.ndim(result) == 0 else result


def harmonic_mean(
    x: ArrayLike, axis: int = -1, weights: ArrayLike | None = None
) -> NDArray[np.float64] | float:
    """Harmonic mean ``n / sum_i (1/x_i)`` of positive numbers (``scipy.stats.hmean``).

    With ``weights``, the weighted harmonic mean ``sum_i w_i / sum_i (w_i / x_i)``
    (``scipy.stats.hmean(x, weights=w)``). An entry ``x_i = 0`` (with a
    positive weight) makes the mean 0, its limit, as in scipy; an entry
    with weight 0 is left out. A negative entry or weight raises
    ``ValueError`` (scipy warns and returns NaN): the harmonic mean is a
    mean of positive quantities such as rates.

    >>> harmonic_mean([1.0, 4.0, 4.0])
    2.0
    >>> harmonic_mean([30.0, 50.0])
    37.5
    >>> harmonic_mean([1.0, 4.0], weights=[1.0, 2.0])
    2.0
    >>> harmonic_mean([0.0, 4.0])
    0.0
    """
    values = np.asarray(x, dtype=np.float64)
    w = np.ones_like(values) if weights is None else np.broadcast_to(np.asarray(weights, dtype=np.float64), values.shape)
    if np.any(values < 0) or np.any(w < 0):
        raise ValueError("the harmonic mean needs non-negative entries and weights")
    with np.errstate(divide="ignore", invalid="ignore"):  # w/0 = inf makes the mean 0; 0/0 is dropped below
        reciprocal = np.where(w == 0, 0.0, w / values)
    result = np.sum(w, axis=axis) / np.sum(reciprocal, axis=axis)
    return float(result) if np.ndim(result) == 0 else result


def ema(x: ArrayLike, alpha: float, initial: float | None = None) -> NDArray[np.float64]:
    """Exponential moving average ``EMA_t = alpha x_t + (1 - alpha) EMA_(t-1)``, t = 1..n.

    ``initial`` is ``EMA_0``, the value before the first observation. By
    default it is ``x_1``, which makes ``EMA_1 = x_1`` (the average starts at
    the first observation instead of being pulled towards zero); pass
    ``initial=0.0`` for the zero-initialised form that
    :func:`ema_bias_corrected` corrects. Returns ``[EMA_1, ..., EMA_n]``
    along the last axis.

    >>> ema([1.0, 2.0, 3.0], alpha=0.5)
    array([1.  , 1.5 , 2.25])
    >>> ema([1.0, 2.0, 3.0], alpha=0.5, initial=0.0)
    array([0.5  , 1.25 , 2.125])

    An empty sequence has no time steps and gives an empty result (like
    ``pandas.Series([]).ewm(alpha=...).mean()``):

    >>> ema([], alpha=0.5)
    array([], dtype=float64)
    """
    values = np.asarray(x, dtype=np.float64)
    if values.ndim == 0:
        raise ValueError("ema needs a sequence (the time steps lie along the last axis), not a scalar")
    if values.shape[-1] == 0:
        return values.copy()
    start = values[..., :1] if initial is None else np.full(values.shape[:-1] + (1,), float(initial))
    # A first-order linear filter y_t = alpha x_t + (1 - alpha) y_(t-1): O(n) and vectorised.
    return lfilter([alpha], [1.0, -(1.0 - alpha)], values, axis=-1, zi=(1.0 - alpha) * start)[0]


def ema_bias_corrected(x: ArrayLike, beta: float) -> NDArray[np.float64]:
    """Bias-corrected moving average ``v_t / (1 - beta^t)`` (Adam's correction).

    ``v_t = beta v_(t-1) + (1 - beta) x_t`` with ``v_0 = 0``: here ``beta`` is
    the decay, the weight of the past (``alpha = 1 - beta`` in :func:`ema`).
    Zero-initialised averages are biased towards 0 early on; dividing by
    ``1 - beta^t`` (the total weight given to observations so far) removes
    that bias, so a constant sequence averages to itself. Needs ``beta < 1``.

    >>> ema_bias_corrected([2.0, 2.0, 2.0], beta=0.9)
    array([2., 2., 2.])
    >>> ema_bias_corrected([1.0, 3.0], beta=0.5).round(4)
    array([1.    , 2.3333])
    """
    values = np.asarray(x, dtype=np.float64)
    raw = ema(values, 1.0 - beta, initial=0.0)
    t = np.arange(1, values.shape[-1] + 1)
    return raw / (1.0 - beta**t)


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:averages.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).
# matplotlib is imported inside them, so the numeric code above stays light.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def ema_smoothing() -> Figure:
    """A noisy sine wave and its exponential moving averages: a small ``alpha`` smooths
    more but lags behind the signal."""
    from matplotlib.figure import Figure

    t = np.arange(200)
    signal = np.sin(2 * np.pi * t / 100)
    noisy = signal + np.random.default_rng(0).normal(0.0, 0.35, t.size)
    fig = Figure()
    ax = fig.subplots()
    ax.plot(t, noisy, ".", color="black", ms=3, alpha=0.35, label="observations")
    ax.plot(t, signal, color="black", lw=1, ls="--", label="signal")
    for alpha in (0.3, 0.05):
        ax.plot(t, ema(noisy, alpha), lw=2, label=f"EMA, $\\alpha = {alpha:g}$")
    ax.set_xlabel("time step $t$")
    ax.set_ylabel("value")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=4, fontsize=8.5)
    return fig


def pythagorean_means() -> Figure:
    """Arithmetic, geometric and harmonic means of the two numbers ``1`` and ``x``:
    always in that order, equal only at ``x = 1``."""
    from matplotlib.figure import Figure

    x = np.linspace(1.0, 10.0, 200)
    pairs = np.stack([np.ones_like(x), x], axis=-1)
    fig = Figure()
    ax = fig.subplots()
    ax.plot(x, arithmetic_mean(pairs), label="arithmetic $(1 + x)/2$")
    ax.plot(x, geometric_mean(pairs), label=r"geometric $\sqrt{x}$")
    ax.plot(x, harmonic_mean(pairs), label="harmonic $2x/(1 + x)$")
    ax.set_xlabel("$x$")
    ax.set_ylabel("mean of $1$ and $x$")
    ax.legend()
    return fig
