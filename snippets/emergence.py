"""A toy model of "emergent abilities": a smooth per-token accuracy seen through all-or-nothing metrics.

Following the argument of Schaeffer, Miranda and Koyejo (2023): if the
per-token cross-entropy falls as a power law in the parameter count ``N``,
the per-token probability of the right token rises smoothly, but the
probability that all ``L`` tokens of an answer are right (exact match)
rises sharply on a log scale. Nothing here is fitted to a real model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def exact_match(p: ArrayLike, L: int) -> NDArray[np.float64] | float:
    """Probability that an ``L``-token answer is entirely right when each token is right with probability ``p``,
    independently: ``p ** L``.

    >>> round(exact_match(0.9, 10), 4)
    0.3487
    """
    result = np.asarray(p, dtype=np.float64) ** L
    return float(result) if result.ndim == 0 else result


def expected_token_errors(p: ArrayLike, L: int) -> NDArray[np.float64] | float:
    """Expected number of wrong tokens in an ``L``-token answer, ``L (1 - p)``: a metric linear in ``p``
    (the expected token edit distance when errors are substitutions).

    >>> expected_token_errors(0.9, 10)
    1.0
    """
    result = L * (1.0 - np.asarray(p, dtype=np.float64))
    return float(np.round(result, 12)) if result.ndim == 0 else result


def per_token_accuracy(N: ArrayLike, c: float = 1e7, alpha: float = -0.3) -> NDArray[np.float64] | float:
    """Toy per-token probability of the right token for a model with ``N`` parameters:
    ``exp(-(N / c) ** alpha)``, the exponential of minus a power-law cross-entropy (``alpha < 0``).

    >>> round(per_token_accuracy(1e7), 4)  # cross-entropy 1 nat
    0.3679
    """
    result = np.exp(-((np.asarray(N, dtype=np.float64) / c) ** alpha))
    return float(result) if result.ndim == 0 else result


def simulate_exact_match(p: float, L: int, n: int = 100_000, rng: int | np.random.Generator | None = 0) -> float:
    """Monte Carlo exact match: the fraction of ``n`` simulated answers whose ``L`` independent tokens are all right.

    >>> abs(simulate_exact_match(0.9, 10) - 0.9**10) < 0.01
    True
    """
    gen = np.random.default_rng(rng)
    return float(np.mean(np.all(gen.random((n, L)) < p, axis=1)))


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:emergence.<name>).


def smooth_vs_sharp() -> Figure:
    """Toy model. Left: per-token accuracy and expected token errors against parameters (log scale), both smooth.
    Right: exact match p^L of answers of L = 1, 5, 10 and 30 tokens, which look like sudden jumps."""
    from matplotlib.figure import Figure

    N = np.logspace(7, 13, 301)
    p = per_token_accuracy(N)
    fig = Figure(figsize=(6.8, 3.2))
    left, right = fig.subplots(1, 2, sharex=True)
    left.plot(N, p, color="C0", label="per-token accuracy $p$")
    left.plot(N, expected_token_errors(p, 10) / 10, color="C2", ls="--", label="token errors / $L$, $L = 10$")
    left.set_xscale("log")
    left.set_ylim(-0.02, 1.02)
    left.set_xlabel("parameters $N$")
    left.set_title("continuous metrics")
    left.legend(loc="center right", fontsize=9)
    for k, L in enumerate((1, 5, 10, 30)):
        right.plot(N, exact_match(p, L), color=f"C{k}", label=f"$L = {L}$")
    right.set_xscale("log")
    right.set_ylim(-0.02, 1.02)
    right.set_xlabel("parameters $N$")
    right.set_title("exact match $p^L$")
    right.legend(loc="upper left", fontsize=9)
    fig.suptitle("toy model, not fitted to any real LLM", fontsize=10)
    return fig
