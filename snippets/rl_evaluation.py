"""Scores for comparing reinforcement-learning agents across games (Atari 100k and similar benchmarks).

Raw game scores are not comparable between games, so each is rescaled so that
a uniformly random policy scores 0 and the human reference scores 1; a
benchmark then reports the mean, the median, or the interquartile mean of
these normalised scores over its games, and how many games exceed 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def human_normalized_score(agent: ArrayLike, random: ArrayLike, human: ArrayLike) -> NDArray[np.float64]:
    """``(agent - random) / (human - random)``, elementwise over games.

    >>> human_normalized_score([550.0, 20.0], [100.0, -20.0], [1000.0, 10.0])
    array([0.5       , 1.33333333])
    """
    a, r, h = (np.asarray(v, dtype=np.float64) for v in (agent, random, human))
    return (a - r) / (h - r)


def superhuman_count(scores: ArrayLike) -> int:
    """How many games have a human-normalised score above 1."""
    return int(np.sum(np.asarray(scores, dtype=np.float64) > 1.0))


def interquartile_mean(scores: ArrayLike) -> float:
    """Mean of the middle 50% of the scores (the 25% trimmed mean, as ``scipy.stats.trim_mean(x, 0.25)``).

    Less sensitive than the mean to one game with a huge normalised score, and less noisy
    than the median.
    """
    x = np.sort(np.asarray(scores, dtype=np.float64))
    cut = int(0.25 * len(x))
    return float(np.mean(x[cut:len(x) - cut]))
