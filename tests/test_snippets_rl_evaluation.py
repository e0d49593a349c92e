"""Benchmark scores for RL agents (snippets.rl_evaluation) against scipy and direct arithmetic."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from snippets import rl_evaluation as ev
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=150, deadline=None, derandomize=True, database=None)


@DETERMINISTIC
@given(st.integers(1, 40).flatmap(lambda n: arrays(-5.0, 50.0, n)))
def test_interquartile_mean_is_scipy_trim_mean(scores: np.ndarray) -> None:
    assert ev.interquartile_mean(scores) == pytest.approx(stats.trim_mean(scores, 0.25), rel=1e-12, abs=1e-12)


def test_interquartile_mean_ignores_one_outlier_game() -> None:
    scores = np.array([0.2, 0.4, 0.5, 0.6, 0.8, 0.9, 1.1, 25.0])
    assert ev.interquartile_mean(scores) == pytest.approx(np.mean([0.5, 0.6, 0.8, 0.9]))
    assert scores.mean() > 3.0


def test_human_normalized_score_anchors() -> None:
    random, human = np.array([-20.0, 100.0]), np.array([10.0, 1000.0])
    np.testing.assert_allclose(ev.human_normalized_score(random, random, human), [0.0, 0.0])
    np.testing.assert_allclose(ev.human_normalized_score(human, random, human), [1.0, 1.0])
    np.testing.assert_allclose(ev.human_normalized_score([550.0], [100.0], [1000.0]), [0.5])
    # Below random is negative; a game with negative raw scores works the same way.
    np.testing.assert_allclose(ev.human_normalized_score([-21.0, 20.0], random, human), [-1 / 30, -80 / 900])


def test_superhuman_count() -> None:
    assert ev.superhuman_count([0.5, 1.0, 1.01, 3.0]) == 2
    assert ev.superhuman_count([]) == 0
