"""The exact binomial test: p-values computed from the null distribution itself.

Two-sided p-values follow the rule of ``scipy.stats.binomtest``: add up
the null probabilities of every outcome that is no more likely than the
observed one. "No more likely" allows a relative slack of ``1e-7``, so
that outcomes whose probabilities tie exactly on paper (``k`` and ``n - k``
for a fair coin) are not split apart by rounding.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from snippets.distributions import binomial_pmf

RELATIVE_TIE = 1e-7  # the slack scipy.stats.binomtest uses for "as likely as observed"


def null_pmf(n: int, p0: float) -> NDArray[np.float64]:
    """Probabilities of ``0, 1, ..., n`` successes under the null hypothesis ``p = p0``.

    >>> null_pmf(2, 0.5)
    array([0.25, 0.5 , 0.25])
    """
    return np.asarray(binomial_pmf(np.arange(n + 1), n, p0), dtype=np.float64)


def as_or_less_likely(n: int, p0: float, k: int) -> NDArray[np.bool_]:
    """Which outcomes ``0..n`` are at most as likely as ``k`` under the null (ties included).

    >>> as_or_less_likely(4, 0.5, 3)
    array([ True,  True, False,  True,  True])
    """
    pmf = null_pmf(n, p0)
    return pmf <= pmf[k] * (1.0 + RELATIVE_TIE)


def binomial_test_pvalue(k: int, n: int, p0: float, alternative: str = "two-sided") -> float:
    """p-value of the exact binomial test of ``p = p0`` after ``k`` successes in ``n`` trials.

    ``"two-sided"``: the null probability of all outcomes no more likely than
    ``k``; ``"greater"``: ``P(X >= k)``; ``"less"``: ``P(X <= k)``. Same as
    ``scipy.stats.binomtest(k, n, p0, alternative).pvalue``.

    >>> round(binomial_test_pvalue(15, 20, 0.5), 6)
    0.041389
    >>> round(binomial_test_pvalue(15, 20, 0.5, "greater"), 6)
    0.020695
    >>> binomial_test_pvalue(10, 20, 0.5)
    1.0
    """
    if not 0 <= k <= n:
        raise ValueError(f"k must lie in 0..n, got k={k}, n={n}")
    pmf = null_pmf(n, p0)
    if alternative == "two-sided":
        total = pmf[as_or_less_likely(n, p0, k)].sum()
    elif alternative == "greater":
        total = pmf[k:].sum()
    elif alternative == "less":
        total = pmf[: k + 1].sum()
    else:
        raise ValueError(f"alternative is 'two-sided', 'greater' or 'less', not {alternative!r}")
    return float(min(1.0, total))


def rejection_rate(n: int, p0: float, level: float, alternative: str = "two-sided") -> float:
    """Probability, when the null hypothesis is true, that the test gives ``p <= level``.

    Computed exactly by summing the null probabilities of the outcomes that
    would be rejected. It never exceeds ``level``; for a discrete test it is
    usually below it.

    >>> round(rejection_rate(20, 0.5, 0.05), 6)    # rejects k <= 5 and k >= 15
    0.041389
    """
    pmf = null_pmf(n, p0)
    rejected = np.array([binomial_test_pvalue(k, n, p0, alternative) <= level for k in range(n + 1)])
    return float(pmf[rejected].sum())


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:hypothesis_tests.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).
# matplotlib is imported inside them, so the numeric code above stays light.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def binomial_pvalue_regions() -> Figure:
    """Binomial null distributions with the outcomes at most as likely as the observed
    one shaded: their total is the two-sided p-value. A fair coin (symmetric tails)
    and a null of ``p0 = 0.3`` (the two tails are not mirror images)."""
    from matplotlib.figure import Figure

    cases = [(20, 0.5, 15), (20, 0.3, 10)]
    fig = Figure(figsize=(6.4, 3.2))
    axes = fig.subplots(1, 2, sharey=True)
    for ax, (n, p0, k) in zip(axes, cases):
        x = np.arange(n + 1)
        pmf = null_pmf(n, p0)
        shaded = as_or_less_likely(n, p0, k)
        ax.bar(x[~shaded], pmf[~shaded], color="C0", alpha=0.35, width=0.8, label="more likely than observed")
        ax.bar(x[shaded], pmf[shaded], color="C1", width=0.8, label="as likely or less likely")
        ax.axhline(pmf[k], color="black", lw=0.8, ls=":")
        ax.annotate(f"observed $k = {k}$", (k, pmf[k]), xytext=(0, 18), textcoords="offset points",
                    ha="center", fontsize=8.5, arrowprops=dict(arrowstyle="-", color="black", lw=0.8))
        p = binomial_test_pvalue(k, n, p0)
        ax.set_title(f"$n = {n}$, $p_0 = {p0:g}$: $p = {p:.3f}$")
        ax.set_xlabel("successes $x$")
        ax.set_xticks(x[::5])
    axes[0].set_ylabel("$P_{H_0}(X = x)$")
    axes[0].legend(loc="upper left", fontsize=8.5)
    return fig
