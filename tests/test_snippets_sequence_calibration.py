"""SLiC's rank loss against an independent hinge written with numpy.clip, and its edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from snippets import sequence_calibration
from tests.support.strategies import arrays, floats

DETERMINISTIC = settings(max_examples=150, deadline=None, derandomize=True, database=None)


@DETERMINISTIC
@given(arrays(-100.0, 0.0, 5), arrays(-100.0, 0.0, 5), floats(0.0, 10.0))
def test_rank_loss_is_a_hinge_on_the_log_likelihood_gap(pos: np.ndarray, neg: np.ndarray, beta: float) -> None:
    expected = np.clip(beta - (pos - neg), 0.0, None)
    np.testing.assert_allclose(sequence_calibration.rank_loss(pos, neg, beta), expected, rtol=1e-12, atol=1e-12)


def test_rank_loss_edges() -> None:
    assert sequence_calibration.rank_loss(-5.0, -6.0, 1.0) == 0.0        # exactly at the margin
    assert sequence_calibration.rank_loss(-5.0, -5.0, 0.0) == 0.0        # no margin, tie
    assert sequence_calibration.rank_loss(-6.0, -5.0, 0.0) == pytest.approx(1.0)
    assert sequence_calibration.rank_loss(-np.inf, -5.0, 1.0) == np.inf  # the better candidate impossible
