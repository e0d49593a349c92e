"""Spread of data around its mean: variance and standard deviation.

``ddof`` ("delta degrees of freedom") follows numpy: the sum of squared
deviations is divided by ``n - ddof``. ``ddof=0`` is the variance of the
numbers themselves (the population variance when they are the whole
population); ``ddof=1`` is the unbiased estimate of a population's variance
from a sample (Bessel's correction), because deviations from the sample mean
are on average smaller than deviations from the true mean.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def variance(x: ArrayLike, ddof: int = 0, axis: int | None = None) -> NDArray[np.float64] | float:
    """``sum_i (x_i - mean)^2 / (n - ddof)``, as ``numpy.var``; two passes, so it stays accurate
    when the mean is large compared with the spread.

    >>> variance([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    4.0
    >>> round(variance([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], ddof=1), 6)
    4.571429
    """
    xx = np.asarray(x, dtype=np.float64)
    n = xx.size if axis is None else xx.shape[axis]
    if n - ddof <= 0:
        raise ValueError(f"variance with ddof={ddof} needs more than {ddof} values; got {n}")
    deviations = xx - np.mean(xx, axis=axis, keepdims=True)
    result = np.sum(deviations**2, axis=axis) / (n - ddof)
    return float(result) if np.ndim(result) == 0 else result


def std(x: ArrayLike, ddof: int = 0, axis: int | None = None) -> NDArray[np.float64] | float:
    """Standard deviation, the square root of ``variance(x, ddof)``, as ``numpy.std``.

    >>> std([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    2.0
    """
    result = np.sqrt(variance(x, ddof, axis))
    return float(result) if np.ndim(result) == 0 else result


def mean_sample_variance(n: int, ddof: int, samples: int = 200_000, seed: int = 0) -> float:
    """Average of ``variance(sample, ddof)`` over many samples of size ``n`` from N(0, 1).

    The true variance is 1: ``ddof=1`` averages to about 1 for every ``n``,
    ``ddof=0`` to about ``(n - 1) / n``.

    >>> round(mean_sample_variance(2, ddof=0), 1), round(mean_sample_variance(2, ddof=1), 1)
    (0.5, 1.0)
    """
    draws = np.random.default_rng(seed).standard_normal((samples, n))
    return float(np.mean(variance(draws, ddof, axis=1)))


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:dispersion.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def sample_variance_bias() -> Figure:
    """Measured average of the 1/n and 1/(n-1) variances of samples of size n from a population
    with variance 1 (200,000 samples each): dividing by n underestimates by the factor (n-1)/n,
    dividing by n - 1 does not."""
    from matplotlib.figure import Figure

    sizes = np.arange(2, 21)
    biased = [mean_sample_variance(int(n), 0) for n in sizes]
    unbiased = [mean_sample_variance(int(n), 1) for n in sizes]
    fig = Figure(figsize=(6.4, 3.2))
    ax = fig.subplots()
    ax.plot(sizes, unbiased, "o", color="C0", label="divide by $n - 1$ (measured)")
    ax.plot(sizes, biased, "s", color="C1", label="divide by $n$ (measured)")
    ax.plot(sizes, (sizes - 1) / sizes, color="C1", lw=1.2, ls="--", label="$(n - 1)/n$")
    ax.axhline(1.0, color="C0", lw=1.2, ls="--", label="true variance $\\sigma^2 = 1$")
    ax.set_xticks(sizes[::2])
    ax.set_xlabel("sample size $n$")
    ax.set_ylabel("average sample variance")
    ax.set_ylim(0.4, 1.1)
    ax.legend(loc="lower right", fontsize=9)
    return fig


def spread_bands() -> Figure:
    """A histogram of 5,000 draws from a normal distribution with mean 10 and standard deviation 2,
    with the mean and the bands one and two standard deviations around it (measured shares inside)."""
    from matplotlib.figure import Figure

    x = np.random.default_rng(3).normal(10.0, 2.0, 5000)
    mu, sd = float(np.mean(x)), std(x, ddof=1)
    fig = Figure(figsize=(6.4, 3.2))
    ax = fig.subplots()
    ax.hist(x, bins=60, color="C0", alpha=0.6)
    for k, shade in ((2, 0.08), (1, 0.16)):
        inside = float(np.mean(np.abs(x - mu) <= k * sd))
        ax.axvspan(mu - k * sd, mu + k * sd, color="C1", alpha=shade, lw=0,
                   label=f"$\\bar x \\pm {k}s$: {100 * inside:.1f}% of the data")
    ax.axvline(mu, color="C1", lw=1.8, label=f"mean $\\bar x = {mu:.2f}$, $s = {sd:.2f}$")
    ax.set_xlabel("$x$")
    ax.set_ylabel("count")
    ax.legend(loc="upper right", fontsize=9)
    return fig
