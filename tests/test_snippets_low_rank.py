"""Truncated SVD (the LASER snippet) against numpy.linalg.svd, matrix_rank and the Eckart-Young optimality."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets import low_rank
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=150, deadline=None, derandomize=True, database=None)

matrices = st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(lambda shape: arrays(-5.0, 5.0, shape))


@DETERMINISTIC
@given(matrices, st.integers(0, 7))
def test_truncation_matches_numpy_svd_and_eckart_young(W: np.ndarray, r: int) -> None:
    U, s, Vt = np.linalg.svd(W)
    k = min(r, len(s))
    expected = U[:, :k] @ np.diag(s[:k]) @ Vt[:k]
    Wr = low_rank.low_rank_approx(W, r)
    np.testing.assert_allclose(Wr, expected, atol=1e-9)
    assert np.linalg.norm(W - Wr, "fro") ** 2 == pytest.approx(np.sum(s[k:] ** 2), rel=1e-8, abs=1e-9)
    assert low_rank.truncation_error(W, r) == pytest.approx(np.sum(s[k:] ** 2), rel=1e-12, abs=1e-12)
    assert np.linalg.matrix_rank(Wr, tol=1e-8) <= k


def test_edges_rank_zero_full_rank_and_negative() -> None:
    W = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(low_rank.low_rank_approx(W, 0), np.zeros((3, 4)))
    np.testing.assert_allclose(low_rank.low_rank_approx(W, 3), W, atol=1e-12)
    np.testing.assert_allclose(low_rank.low_rank_approx(W, 10), W, atol=1e-12)
    assert low_rank.truncation_error(W, 0) == pytest.approx(np.sum(W**2))
    with pytest.raises(ValueError):
        low_rank.low_rank_approx(W, -1)


def test_no_random_matrix_of_the_same_rank_is_closer() -> None:
    rng = np.random.default_rng(0)
    W = rng.normal(size=(8, 6))
    best = np.linalg.norm(W - low_rank.low_rank_approx(W, 2))
    for _ in range(200):
        other = rng.normal(size=(8, 2)) @ rng.normal(size=(2, 6))
        # also a locally perturbed version of the optimum
        near = low_rank.low_rank_approx(W, 2) + 1e-3 * rng.normal(size=(8, 1)) @ rng.normal(size=(1, 6))
        assert np.linalg.norm(W - other) >= best
        assert np.linalg.norm(W - low_rank.low_rank_approx(near, 2)) >= best - 1e-12


def test_laser_rank() -> None:
    assert low_rank.laser_rank((4096, 16384), 0.01) == 40
    assert low_rank.laser_rank((10, 3), 0.5) == 1
    assert low_rank.laser_rank((10, 3), 0.0) == 0
