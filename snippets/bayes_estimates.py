"""Point estimates from a posterior: the MAP estimate (the mode) against the posterior mean, for the
coin-tossing model with a Beta prior, where both have closed forms.

A Beta(a, b) prior on the heads probability and k heads in m tosses give the Beta(a + k, b + m - k)
posterior (conjugacy). Its mode, the MAP estimate, is (k + a - 1) / (m + a + b - 2) when both posterior
parameters exceed 1; its mean is (k + a) / (m + a + b).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def beta_binomial_map(k: int, m: int, a: float, b: float) -> float:
    """The MAP estimate of a coin's heads probability: the mode ``(k + a - 1) / (m + a + b - 2)`` of the
    Beta(a + k, b + m - k) posterior after ``k`` heads in ``m`` tosses under a Beta(a, b) prior.

    Needs ``a + k > 1`` and ``b + m - k > 1`` (otherwise the density peaks at 0 or 1, or is flat).

    >>> beta_binomial_map(2, 10, 2.0, 2.0)
    0.25
    """
    alpha, beta = a + k, b + m - k
    if alpha <= 1 or beta <= 1:
        raise ValueError("the posterior mode is interior only when both posterior parameters exceed 1")
    return float((alpha - 1) / (alpha + beta - 2))


def beta_binomial_mean(k: int, m: int, a: float, b: float) -> float:
    """The posterior mean ``(k + a) / (m + a + b)`` of a coin's heads probability under a Beta(a, b) prior.

    >>> round(beta_binomial_mean(2, 10, 2.0, 2.0), 6)
    0.285714
    """
    return float((a + k) / (m + a + b))


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:bayes_estimates.<name>).


def skewed_posterior_map() -> Figure:
    """The Beta(4, 10) posterior of a coin's heads probability after 2 heads in 10 tosses under a Beta(2, 2)
    prior: its mode (the MAP estimate, 0.25), median and mean (about 0.286) differ, unlike a Gaussian's, and
    the maximum-likelihood estimate 2/10 is the MAP under a flat prior."""
    from matplotlib.figure import Figure
    from scipy.stats import beta

    a, b = 4.0, 10.0
    p = np.linspace(0, 1, 500)
    dist = beta(a, b)
    fig = Figure(figsize=(6.4, 3.2))
    ax = fig.subplots()
    ax.plot(p, dist.pdf(p), color="C0", lw=2.0, label="posterior Beta(4, 10)")
    estimates = (("C5", 2 / 10, "MLE (flat prior)"), ("C1", beta_binomial_map(2, 10, 2.0, 2.0), "MAP (mode)"),
                 ("C2", dist.median(), "median"), ("C3", beta_binomial_mean(2, 10, 2.0, 2.0), "mean"))
    for colour, value, name in estimates:
        ax.axvline(value, color=colour, ls="--", lw=1.2, label=f"{name} = {value:.3f}")
    ax.set_xlabel("probability of heads $p$")
    ax.set_ylabel("density")
    ax.legend(fontsize=9, loc="upper right")
    return fig
