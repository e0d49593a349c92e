"""Specialist models, task routing and model merging (snippets.specialists) against independent references.

Routing is compared with scikit-learn's cosine similarity, sparse deltas with
scipy.sparse, and merging with numpy's mean and a hand-written sum.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.metrics.pairwise import cosine_similarity as sk_cosine

from snippets import specialists
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=150, deadline=None, derandomize=True, database=None)


def nonzero_rows(m: int, d: int) -> st.SearchStrategy[np.ndarray]:
    return arrays(-5.0, 5.0, (m, d)).filter(lambda E: bool(np.all(np.linalg.norm(E, axis=1) > 1e-2)))


@DETERMINISTIC
@given(st.integers(1, 6).flatmap(lambda m: st.integers(1, 5).flatmap(
    lambda d: st.tuples(nonzero_rows(m, d), nonzero_rows(1, d)))))
def test_route_picks_the_sklearn_cosine_argmax(case: tuple[np.ndarray, np.ndarray]) -> None:
    E, q = case
    reference = sk_cosine(q, E)[0]
    np.testing.assert_allclose(specialists.task_similarities(q[0], E), reference, atol=1e-12)
    chosen = specialists.route(q[0], E)
    # The chosen specialist attains the maximum (ties may be broken either way by rounding).
    assert reference[chosen] == pytest.approx(reference.max(), abs=1e-12)


@DETERMINISTIC
@given(st.integers(1, 5).flatmap(lambda m: st.tuples(nonzero_rows(m, 3), nonzero_rows(4, 3))))
def test_route_batch_agrees_with_route(case: tuple[np.ndarray, np.ndarray]) -> None:
    E, Q = case
    assert list(specialists.route_batch(Q, E)) == [specialists.route(q, E) for q in Q]


def test_route_ignores_the_length_of_embeddings() -> None:
    E = np.array([[1.0, 0.0], [0.6, 0.8], [-0.8, 0.6]])
    assert specialists.route([0.5, 0.9], E) == 1
    # A very long embedding pointing elsewhere does not win under cosine (it would under a dot product).
    E_long = E.copy()
    E_long[0] *= 100.0
    assert specialists.route([0.5, 0.9], E_long) == 1
    assert int(np.argmax(E_long @ np.array([0.5, 0.9]))) == 0


def test_route_breaks_ties_towards_the_lower_index() -> None:
    assert specialists.route([1.0, 1.0], [[1.0, 0.0], [0.0, 1.0]]) == 0


@DETERMINISTIC
@given(st.integers(1, 10).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.integers(0, n - 1), min_size=0, max_size=6), arrays(-3.0, 3.0, n))))
def test_sparse_delta_matches_scipy_sparse(case: tuple[int, list[int], np.ndarray]) -> None:
    n, idx, base = case
    values = np.linspace(-1.0, 1.0, len(idx))
    reference = np.asarray(sparse.coo_matrix((values, (np.zeros(len(idx), int), idx)), shape=(1, n)).todense())[0]
    np.testing.assert_allclose(specialists.densify(idx, values, n), reference)
    np.testing.assert_allclose(specialists.apply_delta(base, idx, values), base + reference, atol=1e-12)


def test_apply_delta_leaves_the_base_untouched() -> None:
    base = np.ones(3)
    specialists.apply_delta(base, [2], [0.25])
    np.testing.assert_array_equal(base, np.ones(3))


def test_storage_counts() -> None:
    assert specialists.storage(1e9, 100, 0.005) == (1.5e9, 1e11)
    assert specialists.storage(10, 3, 0.0) == (10.0, 30.0)


@DETERMINISTIC
@given(st.integers(1, 5).flatmap(lambda m: st.integers(1, 4).flatmap(
    lambda n: st.tuples(arrays(-3.0, 3.0, n), arrays(-3.0, 3.0, (m, n))))))
def test_merge_at_one_over_m_is_the_mean(case: tuple[np.ndarray, np.ndarray]) -> None:
    base, finetuned = case
    M = finetuned.shape[0]
    np.testing.assert_allclose(specialists.merge(base, finetuned, 1.0 / M), finetuned.mean(axis=0), atol=1e-12)
    np.testing.assert_allclose(specialists.merge(base, finetuned, 0.0), base)
    by_hand = base.copy()
    for row in finetuned:
        by_hand = by_hand + 0.7 * (row - base)
    np.testing.assert_allclose(specialists.merge(base, finetuned, 0.7), by_hand, atol=1e-12)


def test_negating_a_task_vector_moves_away_from_the_task() -> None:
    base, tuned = np.array([0.0, 0.0]), np.array([[1.0, 2.0]])
    np.testing.assert_allclose(specialists.merge(base, tuned, -1.0), [-1.0, -2.0])


def test_toy_merge_best_lambda_is_below_one_half() -> None:
    # The figure's claim: on the toy problem the joint loss along the merge line is lowest
    # below the plain average, and lambda = 1 is worse than the average.
    tuned = specialists.toy_finetune()
    lams = np.linspace(0.0, 1.3, 131)
    losses = np.array([specialists.toy_joint_loss(specialists.merge(specialists.TOY_BASE, tuned, lam)) for lam in lams])
    best = lams[np.argmin(losses)]
    assert 0.25 < best < 0.5
    loss = lambda lam: specialists.toy_joint_loss(specialists.merge(specialists.TOY_BASE, tuned, lam))  # noqa: E731
    assert loss(1.0) > loss(0.5) > loss(best)
