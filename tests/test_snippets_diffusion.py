"""The diffusion and guidance snippets against independent references (scipy.stats, numpy, closed forms written here)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from snippets import diffusion
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=100, deadline=None, derandomize=True, database=None)


@DETERMINISTIC
@given(st.integers(1, 30).flatmap(lambda T: arrays(1e-4, 0.6, T)), st.floats(-4.0, 4.0))
def test_iterated_kernel_moments_equal_the_closed_form(betas: np.ndarray, x0: float) -> None:
    means, variances = diffusion.kernel_moments(x0, betas)
    abar = np.array([np.prod(1.0 - betas[: t + 1]) for t in range(len(betas))])
    np.testing.assert_allclose(means, np.sqrt(abar) * x0, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(variances, 1.0 - abar, rtol=1e-10, atol=1e-12)


def test_iterated_samples_follow_the_closed_form_marginal() -> None:
    # Kolmogorov-Smirnov against N(sqrt(abar) x0, 1 - abar): the step-by-step chain and the jump agree in law.
    betas = diffusion.linear_betas(200, 1e-3, 0.05)
    abar = diffusion.alpha_bar(betas)[-1]
    samples = diffusion.forward_iterate(np.full(20_000, 1.7), betas, rng=0)
    result = stats.kstest(samples, stats.norm(loc=np.sqrt(abar) * 1.7, scale=np.sqrt(1 - abar)).cdf)
    assert result.pvalue > 0.01
    # and a wrong marginal (the variance of the data ignored) is rejected
    wrong = stats.kstest(samples, stats.norm(loc=np.sqrt(abar) * 1.7, scale=0.5 * np.sqrt(1 - abar)).cdf)
    assert wrong.pvalue < 1e-6


def test_q_sample_edges() -> None:
    betas = np.array([0.2, 0.5])
    x0, eps = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    np.testing.assert_array_equal(diffusion.q_sample(x0, 0, betas, eps), x0)
    np.testing.assert_allclose(diffusion.q_sample(x0, 2, betas, eps), np.sqrt(0.4) * x0 + np.sqrt(0.6) * eps)
    # beta = 1 destroys the signal in one step
    np.testing.assert_allclose(diffusion.q_sample(x0, 1, [1.0], eps), eps)


def test_alpha_bar_of_the_ddpm_schedule() -> None:
    abar = diffusion.alpha_bar(diffusion.linear_betas())
    assert np.all(np.diff(abar) < 0)
    assert abar[-1] == pytest.approx(np.exp(np.sum(np.log1p(-np.linspace(1e-4, 0.02, 1000)))), rel=1e-12)


@pytest.mark.parametrize(("abar", "data_var"), [(0.9, 1.0), (0.5, 2.0), (0.05, 0.3)])
def test_optimal_noise_predictor_matches_regression(abar: float, data_var: float) -> None:
    # The best linear predictor of eps from x_t, fitted by least squares on samples, has the closed-form slope and error.
    rng = np.random.default_rng(4)
    x0 = np.sqrt(data_var) * rng.standard_normal(200_000)
    eps = rng.standard_normal(200_000)
    xt = np.sqrt(abar) * x0 + np.sqrt(1 - abar) * eps
    slope = np.dot(xt, eps) / np.dot(xt, xt)
    assert diffusion.gaussian_optimal_epsilon(1.0, abar, data_var) == pytest.approx(slope, rel=0.02)
    residual = np.mean((eps - slope * xt) ** 2)
    assert diffusion.gaussian_optimal_epsilon_mse(abar, data_var) == pytest.approx(residual, rel=0.02)
