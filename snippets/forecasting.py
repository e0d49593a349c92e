"""Rough quantitative forecasting: Fermi estimates with log-normal factors, and exponential growth.

A Fermi estimate multiplies factors that are each easier to guess than the
whole. When each factor is uncertain by a log-normal spread, so is the product,
and on the log scale the spreads add like variances: ``ln Q = sum_i ln f_i``.
``fermi_lognormal`` gives that analytic answer, ``fermi_monte_carlo`` the same by
simulation. The growth functions describe a quantity that doubles every ``T_d``
time units, and recover ``T_d`` from data by a straight-line fit of ``log2`` of
the data against time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure


# --- Fermi estimates ---------------------------------------------------------------------


def fermi_lognormal(mu: ArrayLike, sigma: ArrayLike) -> tuple[float, float]:
    """(mean, standard deviation) of ``ln Q`` for ``Q`` the product of independent log-normal factors.

    Factor ``i`` is ``exp(N(mu_i, sigma_i^2))``: its median is ``exp(mu_i)``, and ``sigma_i`` is the
    standard deviation of its logarithm. Means add and, by independence, variances add.

    >>> fermi_lognormal([0.0, 1.0], [0.3, 0.4])
    (1.0, 0.5)
    """
    m = np.asarray(mu, dtype=np.float64)
    s = np.asarray(sigma, dtype=np.float64)
    return float(m.sum()), float(np.sqrt(np.sum(s**2)))


def fermi_monte_carlo(mu: ArrayLike, sigma: ArrayLike, n: int, rng: int | np.random.Generator | None = None
                      ) -> NDArray[np.float64]:
    """``n`` simulated values of the product of independent log-normal factors (``ln f_i ~ N(mu_i, sigma_i^2)``)."""
    generator = np.random.default_rng(rng)
    m = np.asarray(mu, dtype=np.float64)
    s = np.asarray(sigma, dtype=np.float64)
    logs = generator.normal(m, s, size=(int(n), m.size))
    return np.exp(logs.sum(axis=1))


def lognormal_interval(mu: float, sigma: float, z: float = 1.6448536269514722) -> tuple[float, float]:
    """The central interval ``exp(mu -/+ z sigma)``; the default ``z`` gives 90%."""
    return float(np.exp(mu - z * sigma)), float(np.exp(mu + z * sigma))


def lognormal_mean(mu: float, sigma: float) -> float:
    """Mean of ``exp(N(mu, sigma^2))``: ``exp(mu + sigma^2 / 2)``, above the median ``exp(mu)``."""
    return float(np.exp(mu + sigma**2 / 2))


# The worked example of the page: piano tuners in a city, as five factors with a median guess
# and a log-space spread each. The numbers are illustrative guesses, not data.
PIANO_FACTORS = {
    "people in the city": (3e6, 0.3),
    "households per person": (1 / 2, 0.3),
    "share of households with a piano": (1 / 20, 0.7),
    "tunings per piano per year": (1.0, 0.5),
    "1 / (tunings one tuner does per year)": (1 / 1000, 0.4),
}


def piano_example() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(mu, sigma) of the log factors of the piano-tuner example."""
    medians = np.array([m for m, _ in PIANO_FACTORS.values()])
    return np.log(medians), np.array([s for _, s in PIANO_FACTORS.values()])


# --- exponential growth -------------------------------------------------------------------


def exponential_growth(t: ArrayLike, c0: float, doubling_time: float) -> NDArray[np.float64]:
    """``c0 * 2 ** (t / doubling_time)``: a quantity that doubles every ``doubling_time``."""
    return float(c0) * np.exp2(np.asarray(t, dtype=np.float64) / float(doubling_time))


def log2_fit(t: ArrayLike, c: ArrayLike) -> tuple[float, float]:
    """Least-squares line through ``(t, log2 c)``: (slope, intercept). ``c`` must be positive."""
    x = np.asarray(t, dtype=np.float64)
    y = np.log2(np.asarray(c, dtype=np.float64))
    xc = x - x.mean()
    slope = float(np.sum(xc * (y - y.mean())) / np.sum(xc**2))
    return slope, float(y.mean() - slope * x.mean())


def doubling_time(t: ArrayLike, c: ArrayLike) -> float:
    """Doubling time from a log-linear fit: ``1 / slope`` of ``log2 c`` against ``t`` (same units as ``t``).

    >>> doubling_time([0, 1, 2, 3], [1, 2, 4, 8])
    1.0
    """
    slope, _ = log2_fit(t, c)
    # A flat series never doubles; a falling one has a negative "doubling" time (a halving time).
    return float("inf") if slope == 0 else 1.0 / slope


def growth_time(ratio: float, doubling_time: float) -> float:
    """Time to grow by ``ratio`` at a constant doubling time: ``T_d * log2(ratio)``."""
    return float(doubling_time) * float(np.log2(ratio))


def synthetic_compute_series(n: int = 24, doubling_months: float = 3.4, noise: float = 1.0,
                             rng: int = 0) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """An invented series for illustration: months, and values growing with the given doubling time.

    Log-normal scatter (``noise`` in units of ``log2``) stands in for the spread of real
    measurements. This is not data about any real training run.
    """
    generator = np.random.default_rng(rng)
    months = np.sort(generator.uniform(0, 72, size=n))
    values = exponential_growth(months, 1.0, doubling_months) * np.exp2(generator.normal(0.0, noise, size=n))
    return months, values


# --- Figures -------------------------------------------------------------------------------


def fermi_histogram() -> Figure:
    """Monte Carlo distribution of the piano-tuner estimate against the analytic log-normal."""
    from matplotlib.figure import Figure

    mu, sigma = piano_example()
    m, s = fermi_lognormal(mu, sigma)
    samples = fermi_monte_carlo(mu, sigma, 200_000, rng=0)
    fig = Figure(figsize=(6.4, 3.8))
    ax = fig.subplots()
    # Densities per unit of ln Q, so that on the log axis the bell is symmetric about the median.
    edges = np.geomspace(1, 5000, 70)
    counts, _ = np.histogram(samples, bins=edges)
    ax.stairs(counts / (samples.size * np.diff(np.log(edges))), edges, fill=True, color="C0", alpha=0.35,
              label="Monte Carlo, 200,000 draws")
    x = np.geomspace(1, 5000, 400)
    density = np.exp(-((np.log(x) - m) ** 2) / (2 * s**2)) / (s * np.sqrt(2 * np.pi))
    ax.plot(x, density, color="C1", label=f"log-normal, $\\sigma_{{\\ln Q}} = {s:.2f}$")
    low, high = lognormal_interval(m, s)
    ax.axvline(np.exp(m), color="C2", linestyle="--", label=f"median {np.exp(m):.0f}")
    ax.axvline(lognormal_mean(m, s), color="C3", linestyle=":", label=f"mean {lognormal_mean(m, s):.0f}")
    ax.axvspan(low, high, color="C2", alpha=0.08, label=f"90% interval {low:.0f} to {high:.0f}")
    ax.set_xscale("log")
    ax.set_xlabel("estimated number of piano tuners $Q$ (log scale)", fontsize=11)
    ax.set_ylabel("density of $\\ln Q$", fontsize=11)
    ax.tick_params(labelsize=10)
    ax.set_ylim(0, 0.62)
    ax.legend(fontsize=10, loc="upper right")
    return fig


def compute_growth() -> Figure:
    """An invented, noisy series growing with a 3.4-month doubling time, on a log scale, with its fitted trend."""
    from matplotlib.figure import Figure

    months, values = synthetic_compute_series()
    slope, intercept = log2_fit(months, values)
    fig = Figure(figsize=(6.4, 3.8))
    ax = fig.subplots()
    ax.scatter(months / 12, values, color="C0", s=22, label="synthetic points (not real data)")
    grid = np.linspace(0, 72, 100)
    ax.plot(grid / 12, np.exp2(intercept + slope * grid), color="C1",
            label=f"fit: doubling every {1 / slope:.1f} months")
    ax.plot(grid / 12, exponential_growth(grid, 1.0, 24.0), color="C2", linestyle="--",
            label="doubling every 24 months, for comparison")
    ax.set_yscale("log", base=10)
    ax.set_xlabel("years from the start of the series", fontsize=11)
    ax.set_ylabel("relative compute (log scale)", fontsize=11)
    ax.tick_params(labelsize=10)
    ax.legend(fontsize=10, loc="upper left")
    return fig
