"""RNN snippets against numpy/scipy and finite differences: states, Jacobian products, matrix powers and the
spectral radius (vanishing for rho < 1, exploding for rho > 1, norm-preserving for orthogonal W)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import linalg

from snippets import rnn
from snippets.convolution import numerical_gradient


def test_linear_states_match_the_closed_form() -> None:
    rng = np.random.default_rng(0)
    n, m, T = 4, 2, 6
    W, U = rng.standard_normal((n, n)) / 2, rng.standard_normal((n, m))
    xs, h0 = rng.standard_normal((T, m)), rng.standard_normal(n)
    expected = np.linalg.matrix_power(W, T) @ h0 + sum(
        np.linalg.matrix_power(W, T - t) @ U @ xs[t - 1] for t in range(1, T + 1))
    np.testing.assert_allclose(rnn.final_state(W, U, xs, h0, linear=True), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("t", [0, 2, 5])
def test_jacobian_product_matches_finite_differences(t: int) -> None:
    rng = np.random.default_rng(1)
    n, m, T = 3, 2, 6
    W, U = rng.standard_normal((n, n)), rng.standard_normal((n, m))
    xs, h0 = rng.standard_normal((T, m)), rng.standard_normal(n)
    states = rnn.rnn_states(W, U, xs, h0)
    analytic = rnn.state_jacobian(W, states, t, T)
    numeric = np.stack([numerical_gradient(lambda h: rnn.rnn_states(W, U, xs[t:], h)[-1][i], states[t])
                        for i in range(n)])
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_jacobian_norms_along_a_trajectory_are_the_products() -> None:
    rng = np.random.default_rng(2)
    n, T = 4, 8
    W, U = rng.standard_normal((n, n)), rng.standard_normal((n, 2))
    xs, h0 = rng.standard_normal((T, 2)), np.zeros(n)
    states = rnn.rnn_states(W, U, xs, h0)
    norms = rnn.tanh_jacobian_norms(W, U, xs, h0)
    for back in range(T + 1):
        assert norms[back] == pytest.approx(np.linalg.norm(rnn.state_jacobian(W, states, T - back, T), 2), rel=1e-12)


def test_tanh_jacobian_norm_is_bounded_by_the_weight_norm_power() -> None:
    rng = np.random.default_rng(3)
    W, U = rng.standard_normal((5, 5)), rng.standard_normal((5, 2))
    norms = rnn.tanh_jacobian_norms(W, U, rng.standard_normal((12, 2)), rng.standard_normal(5))
    bound = np.linalg.norm(W, 2) ** np.arange(13)
    assert np.all(norms <= bound * (1 + 1e-12))


@pytest.mark.parametrize("rho, expected", [(0.9, 0.9**50), (1.1, 1.1**50)])
def test_symmetric_powers_follow_the_spectral_radius(rho: float, expected: float) -> None:
    W = rnn.with_spectral_radius(16, rho, seed=4, symmetric=True)
    eigenvalues = np.linalg.eigvalsh(W)
    assert np.max(np.abs(eigenvalues)) == pytest.approx(rho, rel=1e-12)
    assert rnn.power_norms(W, 50)[-1] == pytest.approx(expected, rel=1e-10)
    assert 0.9**50 == pytest.approx(5.15e-3, rel=1e-3) and 1.1**50 == pytest.approx(117.39, rel=1e-4)


def test_orthogonal_recurrence_preserves_the_gradient_norm() -> None:
    Q, _ = np.linalg.qr(np.random.default_rng(5).standard_normal((8, 8)))
    assert rnn.spectral_radius(Q) == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(rnn.power_norms(Q, 100), 1.0, rtol=1e-10)


def test_gelfand_limit_on_a_random_matrix() -> None:
    W = rnn.with_spectral_radius(64, 0.95, seed=0)
    assert rnn.power_norms(W, 200)[-1] ** (1 / 200) == pytest.approx(0.95, rel=0.05)


def test_spectral_radius_matches_scipy() -> None:
    W = np.random.default_rng(6).standard_normal((7, 7))
    assert rnn.spectral_radius(W) == pytest.approx(np.max(np.abs(linalg.eigvals(W))), rel=1e-12)


def test_non_normal_matrix_shows_transient_growth_above_its_spectral_radius() -> None:
    W = np.array([[0.5, 4.0], [0.0, 0.5]])  # rho = 0.5, but the norm of a power first grows
    norms = rnn.power_norms(W, 40)
    assert norms[2] > 1.0 > 0.5**2
    assert norms[40] < 1e-6


def test_scaled_orthogonal_has_equal_singular_values_and_attains_the_bound() -> None:
    W = rnn.scaled_orthogonal(5, 0.8, seed=7)
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), 0.8, rtol=1e-12)
    states = rnn.rnn_states(W, np.ones((5, 1)), np.zeros((9, 1)), np.zeros(5))
    assert np.linalg.norm(rnn.state_jacobian(W, states, 0, 9), 2) == pytest.approx(0.8**9, rel=1e-10)
