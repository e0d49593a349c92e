"""Bayes' theorem for a hypothesis ``H`` and its negation, given evidence ``E``.

Every function takes the prior ``P(H)``, the likelihood ``P(E | H)`` and the
false-alarm likelihood ``P(E | not H)``, and works elementwise on arrays.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _as_float(values: NDArray[np.float64]) -> NDArray[np.float64] | float:
    return float(values) if np.ndim(values) == 0 else values


def total_probability(prior: ArrayLike, likelihood: ArrayLike, likelihood_not: ArrayLike) -> NDArray[np.float64] | float:
    """``P(E) = P(H) P(E | H) + P(not H) P(E | not H)`` (law of total probability).

    >>> round(total_probability(0.01, 0.9, 0.05), 6)
    0.0585
    """
    h = np.asarray(prior, dtype=np.float64)
    return _as_float(h * np.asarray(likelihood, dtype=np.float64) + (1.0 - h) * np.asarray(likelihood_not, dtype=np.float64))


def bayes_posterior(prior: ArrayLike, likelihood: ArrayLike, likelihood_not: ArrayLike) -> NDArray[np.float64] | float:
    """``P(H | E) = P(H) P(E | H) / P(E)``.

    A test that detects a condition 90% of the time, with 5% false alarms,
    where 1% have the condition:

    >>> round(bayes_posterior(0.01, 0.9, 0.05), 3)
    0.154
    >>> bayes_posterior(0.5, 1.0, 0.0)
    1.0
    """
    joint = np.asarray(prior, dtype=np.float64) * np.asarray(likelihood, dtype=np.float64)
    return _as_float(joint / np.asarray(total_probability(prior, likelihood, likelihood_not)))


def posterior_odds(prior: ArrayLike, likelihood: ArrayLike, likelihood_not: ArrayLike) -> NDArray[np.float64] | float:
    """``P(H | E) / P(not H | E)``: prior odds times the likelihood ratio.

    >>> round(posterior_odds(1 / 21, 0.4, 0.1), 6)
    0.2
    """
    h = np.asarray(prior, dtype=np.float64)
    ratio = np.asarray(likelihood, dtype=np.float64) / np.asarray(likelihood_not, dtype=np.float64)
    return _as_float(h / (1.0 - h) * ratio)
