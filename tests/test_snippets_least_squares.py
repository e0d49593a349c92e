"""Least squares by gradient descent, the pseudoinverse and ridge's Bayesian faces: the snippets agree with
numpy.linalg (lstsq, pinv, eigvalsh), scipy.linalg (pinv, eigh) and sklearn.linear_model.Ridge."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import linalg
from sklearn.linear_model import Ridge

from snippets import least_squares as ls
from snippets.regularization import ridge
from tests.support.strategies import arrays, floats, regression_problems

DETERMINISTIC = settings(max_examples=60, deadline=None, derandomize=True, database=None)


# --- Gradient descent ---------------------------------------------------------------


@DETERMINISTIC
@given(regression_problems(), arrays(-3.0, 3.0, 4))
def test_gradient_matches_finite_differences(problem: tuple[np.ndarray, np.ndarray], w: np.ndarray) -> None:
    X, y = problem
    w = w[: X.shape[1]]
    eps = 1e-6
    numeric = np.array([(ls.ls_loss(X, y, w + eps * e) - ls.ls_loss(X, y, w - eps * e)) / (2 * eps)
                        for e in np.eye(X.shape[1])])
    np.testing.assert_allclose(ls.ls_gradient(X, y, w), numeric, rtol=1e-6, atol=1e-6)


@DETERMINISTIC
@given(regression_problems())
def test_step_size_limit_is_two_over_the_largest_eigenvalue(problem: tuple[np.ndarray, np.ndarray]) -> None:
    X, _ = problem
    largest = linalg.eigh(X.T @ X / X.shape[0], eigvals_only=True)[-1]
    assert ls.step_size_limit(X) == pytest.approx(2.0 / largest, rel=1e-10)


def test_gd_converges_below_the_limit_to_lstsq_and_diverges_above() -> None:
    X, y = ls.step_size_problem()
    limit = ls.step_size_limit(X)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    below = ls.gd_least_squares(X, y, 0.95 * limit, 2000)[-1]
    np.testing.assert_allclose(below, w_star, rtol=1e-9, atol=1e-9)
    above = ls.gd_least_squares(X, y, 1.05 * limit, 400)[-1]
    assert np.linalg.norm(above - w_star) > 1e6
    # exactly at the limit the top eigen-direction flips sign every step without shrinking
    at = ls.gd_least_squares(X, y, limit, 2001)
    top = np.linalg.eigh(ls.hessian(X))[1][:, -1]
    e = (at - w_star) @ top
    assert abs(e[-1]) == pytest.approx(abs(e[0]), rel=1e-6) and np.sign(e[-1]) == -np.sign(e[-2])


@DETERMINISTIC
@given(regression_problems(), floats(0.01, 0.5), st.integers(0, 30))
def test_closed_form_iterate_matches_the_loop(problem: tuple[np.ndarray, np.ndarray], frac: float, t: int) -> None:
    X, y = problem
    lr = frac * ls.step_size_limit(X)
    w0 = np.linspace(-1.0, 1.0, X.shape[1])
    np.testing.assert_allclose(ls.gd_closed_form(X, y, lr, t, w0), ls.gd_least_squares(X, y, lr, t, w0)[-1],
                               rtol=1e-8, atol=1e-8)


def test_optimal_step_minimises_the_worst_contraction_on_a_grid() -> None:
    rng = np.random.default_rng(5)
    X = rng.standard_normal((5, 5))
    grid = np.linspace(1e-4, ls.step_size_limit(X), 20001)
    values = linalg.eigh(ls.hessian(X), eigvals_only=True)
    worst = np.max(np.abs(1 - grid[:, None] * values[None, :]), axis=1)
    assert grid[np.argmin(worst)] == pytest.approx(ls.optimal_step(X), rel=1e-2)


# --- Pseudoinverse -----------------------------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 6), st.integers(0, 10_000))
def test_pseudoinverse_matches_numpy_and_scipy(m: int, n: int, rank: int, seed: int) -> None:
    # rank-deficient, tall, wide and zero matrices: a product of thin random factors
    rng = np.random.default_rng(seed)
    r = min(rank, m, n)
    A = rng.standard_normal((m, r)) @ rng.standard_normal((r, n))
    P = ls.pseudoinverse(A)
    np.testing.assert_allclose(P, np.linalg.pinv(A), atol=1e-8)
    np.testing.assert_allclose(P, linalg.pinv(A), atol=1e-8)
    # the four Penrose conditions
    np.testing.assert_allclose(A @ P @ A, A, atol=1e-8)
    np.testing.assert_allclose(P @ A @ P, P, atol=1e-8)
    np.testing.assert_allclose((A @ P).T, A @ P, atol=1e-8)
    np.testing.assert_allclose((P @ A).T, P @ A, atol=1e-8)


def test_pseudoinverse_edge_cases() -> None:
    assert ls.pseudoinverse(np.zeros((2, 3))).shape == (3, 2)
    assert not ls.pseudoinverse(np.zeros((2, 3))).any()
    assert ls.pseudoinverse(np.zeros((0, 3))).shape == (3, 0)
    np.testing.assert_allclose(ls.pseudoinverse([[4.0]]), [[0.25]])
    # a singular value below the cutoff counts as zero, as in numpy
    A = np.diag([1.0, 1e-20])
    np.testing.assert_allclose(ls.pseudoinverse(A), np.linalg.pinv(A))
    np.testing.assert_allclose(ls.pseudoinverse(A, rtol=1e-3), np.diag([1.0, 0.0]))
    B = np.diag([1.0, 1e-4])
    np.testing.assert_allclose(ls.pseudoinverse(B, rtol=1e-3), np.linalg.pinv(B, rcond=1e-3))


@DETERMINISTIC
@given(st.integers(1, 5), st.integers(0, 5), st.integers(0, 10_000))
def test_min_norm_solution_is_pinv_and_lstsq(n: int, extra: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, n + extra))
    y = rng.standard_normal(n)
    w = ls.min_norm_solution(X, y)
    np.testing.assert_allclose(w, np.linalg.pinv(X) @ y, rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(w, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(ls.null_space_projector(X) @ w, 0.0, atol=1e-8)


def test_gd_from_zero_reaches_pinv_and_from_elsewhere_another_interpolant() -> None:
    X, y = ls.wide_problem()
    lr = 0.5 * ls.step_size_limit(X)
    w_pinv = np.linalg.pinv(X) @ y
    w = ls.gd_least_squares(X, y, lr, 20_000)[-1]
    assert np.linalg.norm(w - w_pinv) < 1e-8
    # other interpolants: the same plus random null-space vectors; all fit, all are longer
    others = w + np.random.default_rng(1).standard_normal((1000, X.shape[1])) @ ls.null_space_projector(X)
    assert np.all(np.abs(others @ X.T - y) < 1e-8)
    assert np.all(np.linalg.norm(others, axis=1) > np.linalg.norm(w))
    w0 = np.random.default_rng(9).standard_normal(X.shape[1])
    v = ls.gd_least_squares(X, y, lr, 20_000, w0)[-1]
    assert np.linalg.norm(X @ v - y) < 1e-8
    assert np.linalg.norm(v - w_pinv) == pytest.approx(np.linalg.norm(ls.null_space_projector(X) @ w0), abs=1e-8)
    assert np.linalg.norm(v) > np.linalg.norm(w_pinv) + 1.0


def test_sgd_from_zero_stays_in_the_row_space_and_reaches_pinv() -> None:
    X, y = ls.wide_problem(10, 30, seed=4)
    R2 = np.max(np.sum(X**2, axis=1))
    path = ls.sgd_least_squares(X, y, 1.0 / R2, 50_000, rng=1)
    assert np.max(np.linalg.norm(path @ ls.null_space_projector(X), axis=1)) < 1e-10
    assert np.linalg.norm(path[-1] - np.linalg.pinv(X) @ y) < 1e-6


# --- Input noise as ridge -----------------------------------------------------------


def test_noise_averaged_loss_is_the_ridge_loss() -> None:
    rng = np.random.default_rng(0)
    X, y, w = rng.standard_normal((30, 5)), rng.standard_normal(30), rng.standard_normal(5)
    sigma = 0.3
    mean = ls.noisy_losses(X, y, w, sigma, 20_000, rng=1).mean()
    r = X @ w - y
    assert mean == pytest.approx(r @ r + 30 * sigma**2 * w @ w, rel=0.01)


def test_noise_trained_solution_approaches_ridge_with_lambda_n_sigma_squared() -> None:
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((30, 3)), rng.standard_normal(30)
    w = ls.noise_trained_solution(X, y, 0.5, 4000, rng=3)
    np.testing.assert_allclose(w, ridge(X, y, 30 * 0.25), rtol=0.02, atol=0.005)


# --- Ridge as a posterior -----------------------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 6), st.integers(1, 6), floats(0.05, 5.0), floats(0.2, 4.0), st.integers(0, 10_000))
def test_map_is_sklearn_ridge_with_alpha_noise_over_prior_variance(n: int, d: int, noise_var: float,
                                                                   prior_var: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((n, d)), rng.standard_normal(n)
    # sklearn's Ridge minimises ||y - Xw||^2 + alpha ||w||^2 (no 1/n): alpha is lambda itself
    reference = Ridge(alpha=noise_var / prior_var, fit_intercept=False, solver="svd").fit(X, y).coef_
    np.testing.assert_allclose(ls.ridge_map(X, y, noise_var, prior_var), reference, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(ls.posterior_moments(X, y, noise_var, prior_var)[0], reference, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(ls.conditional_mean_by_conditioning(X, y, noise_var, prior_var), reference,
                               rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(ls.map_estimate(X, y, noise_var, prior_var), reference, rtol=1e-5, atol=1e-6)


def test_log_posterior_is_a_normalised_density_peaking_at_ridge() -> None:
    X, y = np.array([[1.0], [0.5]]), np.array([1.0, -0.3])
    grid = np.linspace(-6, 6, 20001)
    density = np.exp([ls.log_posterior(X, y, [v], 0.7, 1.3) for v in grid])
    assert np.trapezoid(density, grid) == pytest.approx(1.0, rel=1e-8)
    assert grid[np.argmax(density)] == pytest.approx(ls.ridge_map(X, y, 0.7, 1.3)[0], abs=1e-3)


def test_regression_of_w_on_y_recovers_the_ridge_operator() -> None:
    rng = np.random.default_rng(7)
    X = rng.standard_normal((4, 3))
    W, Y = ls.sample_weights_and_targets(X, 0.5, 200_000, seed=8)
    A = ls.regression_coefficients(W, Y)
    np.testing.assert_allclose(A, X.T @ np.linalg.inv(X @ X.T + 0.5 * np.eye(4)), atol=0.02)
