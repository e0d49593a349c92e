"""Dropout as generalised ridge, linear purification, ridge attention and Sherman-Morrison:
the snippets agree with numpy, scipy and scikit-learn, edge cases included."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import linalg, optimize
from sklearn.linear_model import Ridge

from snippets import ridge_forms as rf
from tests.support.strategies import arrays, floats, regression_problems

DETERMINISTIC = settings(max_examples=60, deadline=None, derandomize=True, database=None)


# --- Dropout on the inputs ------------------------------------------------------------


@DETERMINISTIC
@given(regression_problems(), floats(0.05, 1.0))
def test_dropout_solution_minimises_the_closed_form_loss(problem: tuple[np.ndarray, np.ndarray], p: float) -> None:
    X, y = problem
    w = rf.dropout_ridge_solution(X, y, p)
    found = optimize.minimize(lambda v: rf.dropout_expected_loss(X, y, v, p), np.zeros(X.shape[1]),
                              method="BFGS", options={"gtol": 1e-10}).x
    assert rf.dropout_expected_loss(X, y, w, p) <= rf.dropout_expected_loss(X, y, found, p) + 1e-7
    np.testing.assert_allclose(w, found, rtol=1e-4, atol=1e-4)


@DETERMINISTIC
@given(regression_problems())
def test_keep_probability_one_is_least_squares(problem: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = problem
    np.testing.assert_allclose(rf.dropout_ridge_solution(X, y, 1.0), np.linalg.lstsq(X, y, rcond=None)[0],
                               rtol=1e-8, atol=1e-8)
    assert np.all(rf.dropout_penalty_weights(X, 1.0) == 0.0)


def test_equal_column_norms_make_dropout_plain_ridge() -> None:
    rng = np.random.default_rng(3)
    X = rng.standard_normal((30, 4))
    X /= np.linalg.norm(X, axis=0)  # every column of norm 1
    y = rng.standard_normal(30)
    p = 0.6
    sklearn_ridge = Ridge(alpha=(1 - p) / p, fit_intercept=False).fit(X, y).coef_
    np.testing.assert_allclose(rf.dropout_ridge_solution(X, y, p), sklearn_ridge, rtol=1e-10, atol=1e-12)


def test_monte_carlo_dropout_loss_matches_closed_form() -> None:
    X, y = rf.dropout_example()
    w = np.array([0.5, -1.0, 0.3, 0.8, -0.2])
    losses = rf.inverted_dropout_losses(X, y, w, 0.5, 200_000, rng=7)
    standard_error = losses.std() / np.sqrt(losses.size)
    assert abs(losses.mean() - rf.dropout_expected_loss(X, y, w, 0.5)) < 5 * standard_error


def test_dropout_training_converges_to_generalised_ridge() -> None:
    X, y = rf.dropout_example()
    w = rf.dropout_ridge_solution(X, y, 0.5)
    trained = rf.dropout_trained_weights(X, y, 0.5, 5000, rng=11)
    assert np.max(np.abs(trained - w)) < 0.02 * np.max(np.abs(w))
    # and it is not plain ridge with the average penalty: the per-column weights matter
    plain = Ridge(alpha=float(rf.dropout_penalty_weights(X, 0.5).mean()), fit_intercept=False).fit(X, y).coef_
    assert np.max(np.abs(trained - plain)) > 5 * np.max(np.abs(trained - w))


def test_the_dropout_page_experiment() -> None:
    """The numbers the dropout page states: p = 0.7, 10^5 masks within 1%, 2,000 masks within 2%."""
    X, y = rf.dropout_example()
    w = rf.dropout_ridge_solution(X, y, 0.7)
    losses = rf.inverted_dropout_losses(X, y, w, 0.7, 100_000, rng=0)
    assert abs(losses.mean() / rf.dropout_expected_loss(X, y, w, 0.7) - 1) < 0.01
    trained = rf.dropout_trained_weights(X, y, 0.7, 2000, rng=1)
    assert np.max(np.abs(trained - w)) < 0.02 * np.max(np.abs(w))


def test_zero_weights_have_zero_penalty() -> None:
    X, y = rf.dropout_example()
    assert rf.dropout_expected_loss(X, y, np.zeros(5), 0.3) == pytest.approx(float(y @ y), rel=1e-12)


# --- Linear purification ---------------------------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 5), st.integers(1, 6), st.data(), floats(0.01, 10.0))
def test_purifier_closed_form_matches_svd_and_augmented_lstsq(m: int, n: int, data: st.DataObject, lam: float) -> None:
    X = data.draw(arrays(-3.0, 3.0, (m, n)))
    W = rf.purifier(X, lam)
    np.testing.assert_allclose(W, rf.purifier_svd(X, lam), rtol=1e-8, atol=1e-9)
    # each row of W is a ridge regression with design X^T: stacked least squares [X^T; sqrt(lam) I]
    design = np.vstack([X.T, np.sqrt(lam) * np.eye(m)])
    for i in range(m):
        target = np.concatenate([X[i], np.zeros(m)])
        np.testing.assert_allclose(W[i], np.linalg.lstsq(design, target, rcond=None)[0], rtol=1e-7, atol=1e-8)


@DETERMINISTIC
@given(st.integers(1, 5), st.integers(1, 6), st.data(), floats(0.01, 10.0))
def test_purifier_eigenvalues_are_the_shrinkage_factors(m: int, n: int, data: st.DataObject, lam: float) -> None:
    X = data.draw(arrays(-3.0, 3.0, (m, n)))
    W = rf.purifier(X, lam)
    expected = np.sort(rf.shrinkage_factors(rf.padded_singular_values(X), lam))
    np.testing.assert_allclose(np.sort(linalg.eigvalsh((W + W.T) / 2)), expected, atol=1e-9)
    np.testing.assert_allclose(W, W.T, atol=1e-9)


def test_purifier_edge_cases() -> None:
    assert np.all(rf.purifier(np.zeros((3, 4)), 1.0) == 0.0)  # no data: keep nothing
    X = np.random.default_rng(0).standard_normal((3, 10))
    np.testing.assert_allclose(rf.purifier(X, 1e-10), np.eye(3), atol=1e-8)  # full rank, no penalty: identity
    assert np.max(np.abs(rf.purifier(X, 1e12))) < 1e-9  # huge penalty: nothing kept
    np.testing.assert_allclose(rf.shrinkage_factors([3.0, 1.0, 0.1], 1.0), [0.9, 0.5, 0.01 / 1.01], rtol=1e-12)


def test_purification_denoises_a_noisy_low_rank_matrix() -> None:
    clean, noisy = rf.noisy_low_rank(m=30, n=200, rank=3, noise=0.3, seed=0)
    W = rf.purifier(noisy, 100.0)
    error_before = np.linalg.norm(noisy - clean) / np.linalg.norm(clean)
    error_after = np.linalg.norm(W @ noisy - clean) / np.linalg.norm(clean)
    assert error_after < 0.5 * error_before
    assert 0.09 < error_before < 0.11 and 0.03 < error_after < 0.045  # the figures the page quotes
    gradient = -2 * (noisy - W @ noisy) @ noisy.T + 2 * 100.0 * W
    assert np.linalg.norm(gradient) < 1e-8 * np.linalg.norm(noisy) ** 2


def test_purifier_is_stationary_and_beats_perturbations() -> None:
    X = np.random.default_rng(5).standard_normal((4, 7))
    lam = 2.0
    W = rf.purifier(X, lam)
    gradient = -2 * (X - W @ X) @ X.T + 2 * lam * W
    assert np.linalg.norm(gradient) < 1e-10
    best = rf.purification_objective(W, X, lam)
    rng = np.random.default_rng(6)
    assert all(rf.purification_objective(W + 1e-3 * rng.standard_normal(W.shape), X, lam) > best for _ in range(20))
    s = rf.padded_singular_values(X)
    assert best == pytest.approx(float(np.sum(lam * s**2 / (s**2 + lam))), rel=1e-10)


# --- Ridge attention and Sherman-Morrison -------------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 8), st.integers(1, 4), st.integers(1, 3), st.data(), floats(0.01, 10.0))
def test_ridge_attention_matches_sklearn(n: int, d: int, dv: int, data: st.DataObject, lam: float) -> None:
    K = data.draw(arrays(-3.0, 3.0, (n, d)))
    V = data.draw(arrays(-3.0, 3.0, (n, dv)))
    Q = data.draw(arrays(-3.0, 3.0, (2, d)))
    model = Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(K, V)
    np.testing.assert_allclose(rf.ridge_map(K, V, lam), np.atleast_2d(model.coef_), rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(rf.ridge_attention(K, V, Q, lam), model.predict(Q).reshape(2, dv), rtol=1e-7, atol=1e-8)
    # the kernel (n x n) form gives the same weights
    kernel_form = Q @ K.T @ np.linalg.inv(K @ K.T + lam * np.eye(n))
    np.testing.assert_allclose(rf.ridge_attention_weights(K, Q, lam), kernel_form, rtol=1e-6, atol=1e-8)


@DETERMINISTIC
@given(st.integers(1, 8), st.data())
def test_sherman_morrison_matches_direct_inverse(d: int, data: st.DataObject) -> None:
    A = data.draw(arrays(-1.0, 1.0, (d, d)))
    M = A @ A.T + np.eye(d)  # symmetric positive definite
    u = data.draw(arrays(-3.0, 3.0, d))
    v = data.draw(arrays(-3.0, 3.0, d))
    denominator = 1 + v @ np.linalg.solve(M, u)
    if abs(denominator) < 1e-3:
        return  # nearly singular update: compared separately below
    np.testing.assert_allclose(rf.sherman_morrison(np.linalg.inv(M), u, v), np.linalg.inv(M + np.outer(u, v)),
                               rtol=1e-6, atol=1e-8)


def test_sherman_morrison_edge_cases() -> None:
    M_inv = np.linalg.inv(np.array([[2.0, 1.0], [1.0, 3.0]]))
    np.testing.assert_array_equal(rf.sherman_morrison(M_inv, [0.0, 0.0], [1.0, 2.0]), M_inv)  # no change
    with pytest.raises(ZeroDivisionError):
        rf.sherman_morrison(np.eye(2), [1.0, 0.0], [-1.0, 0.0])  # I - e1 e1^T is singular
    np.testing.assert_allclose(rf.sherman_morrison([[0.5]], [1.0], [2.0]), [[1 / 4]], rtol=1e-15)  # 1x1: 1/(2+2)


def test_streaming_ridge_matches_batch_at_every_step() -> None:
    rng = np.random.default_rng(1)
    K, V = rng.standard_normal((60, 6)), rng.standard_normal((60, 2))
    for t, W in enumerate(rf.streaming_ridge(K, V, 0.3), start=1):
        batch = Ridge(alpha=0.3, fit_intercept=False, solver="cholesky").fit(K[:t], V[:t]).coef_
        np.testing.assert_allclose(W, batch, rtol=1e-7, atol=1e-9)


@DETERMINISTIC
@given(arrays(-100.0, 100.0, st.integers(1, 20)))
def test_running_mean_matches_cumulative_sums(x: np.ndarray) -> None:
    np.testing.assert_allclose(rf.running_mean(x), np.cumsum(x) / np.arange(1, x.size + 1), rtol=1e-9, atol=1e-9)


def test_running_mean_of_vectors() -> None:
    x = np.arange(12.0).reshape(4, 3)
    np.testing.assert_allclose(rf.running_mean(x)[-1], x.mean(axis=0))
