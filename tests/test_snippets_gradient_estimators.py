"""Gaussian score-function and reparameterization gradient estimators: densities and scores agree
with scipy, both estimators are unbiased, and the exact variances match simulation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

from snippets import gradient_estimators as ge
from tests.support.strategies import arrays, floats

DETERMINISTIC = settings(max_examples=60, deadline=None, derandomize=True, database=None)


@DETERMINISTIC
@given(st.integers(1, 5), st.data(), floats(0.05, 5.0))
def test_log_density_matches_scipy(k: int, data: st.DataObject, sigma: float) -> None:
    mu = data.draw(arrays(-5.0, 5.0, k))
    x = data.draw(arrays(-10.0, 10.0, (3, k)))
    expected = stats.multivariate_normal(mu, sigma**2 * np.eye(k)).logpdf(x)
    np.testing.assert_allclose(ge.gaussian_log_density(x, mu, sigma), expected, rtol=1e-10, atol=1e-10)


@DETERMINISTIC
@given(st.integers(1, 4), st.data(), floats(0.2, 3.0))
def test_scores_are_gradients_of_the_log_density(k: int, data: st.DataObject, sigma: float) -> None:
    mu = data.draw(arrays(-3.0, 3.0, k))
    x = data.draw(arrays(-5.0, 5.0, k))
    numeric_mu = optimize.approx_fprime(mu, lambda m: ge.gaussian_log_density(x, m, sigma), 1e-6)
    np.testing.assert_allclose(ge.gaussian_score_mu(x, mu, sigma), numeric_mu, rtol=1e-4, atol=1e-4)
    h = 1e-6
    numeric_sigma = (ge.gaussian_log_density(x, mu, sigma + h) - ge.gaussian_log_density(x, mu, sigma - h)) / (2 * h)
    assert ge.gaussian_score_sigma(x, mu, sigma) == pytest.approx(numeric_sigma, rel=1e-5, abs=1e-5)


def test_scores_have_mean_zero() -> None:
    x = ge.gaussian_draws([1.0, -2.0], 0.7, 400_000, seed=3)
    assert np.all(np.abs(ge.gaussian_score_mu(x, [1.0, -2.0], 0.7).mean(axis=0)) < 0.01)
    assert abs(ge.gaussian_score_sigma(x, [1.0, -2.0], 0.7).mean()) < 0.01


def test_expected_square_norm_matches_simulation_and_noncentral_chi2() -> None:
    mu, sigma = np.array([1.0, 2.0, 3.0]), 0.5
    x = ge.gaussian_draws(mu, sigma, 400_000, seed=1)
    assert ge.square_norm(x).mean() == pytest.approx(ge.expected_square_norm(mu, sigma), rel=2e-3)
    # ||x||^2 / sigma^2 is noncentral chi-squared with k degrees of freedom and noncentrality ||mu||^2 / sigma^2
    law = stats.ncx2(df=3, nc=float(mu @ mu) / sigma**2)
    assert ge.expected_square_norm(mu, sigma) == pytest.approx(sigma**2 * law.mean(), rel=1e-12)


def test_both_estimators_are_unbiased_on_the_example() -> None:
    e = ge.example_estimates(n=400_000, seed=5)
    truth_mu = 2 * np.array(ge.EXAMPLE_MU)
    for key in ("sf_mu", "rp_mu"):
        standard_error = e[key].std(axis=0) / np.sqrt(e[key].shape[0])
        assert np.all(np.abs(e[key].mean(axis=0) - truth_mu) < 5 * standard_error), key
    for key in ("sf_sigma", "rp_sigma"):
        standard_error = e[key].std() / np.sqrt(e[key].size)
        assert abs(e[key].mean() - 2 * 3 * ge.EXAMPLE_SIGMA) < 5 * standard_error, key


@pytest.mark.parametrize("mu, sigma", [(0.0, 1.0), (2.0, 0.7), (-1.5, 0.3)])
def test_one_dimensional_variance_matches_quadrature(mu: float, sigma: float) -> None:
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)  # exact for polynomials up to degree 79
    weights = weights / weights.sum()
    g = (mu + sigma * nodes) ** 2 * nodes / sigma
    exact = float(weights @ g**2 - (weights @ g) ** 2)
    assert ge.score_function_mu_var_1d(mu, sigma) == pytest.approx(exact, rel=1e-10)
    assert float(weights @ g) == pytest.approx(2 * mu, abs=1e-10)


def test_per_coordinate_variance_matches_simulation() -> None:
    e = ge.example_estimates(n=1_000_000, seed=9)
    np.testing.assert_allclose(e["sf_mu"].var(axis=0), ge.score_function_mu_var(ge.EXAMPLE_MU, ge.EXAMPLE_SIGMA),
                               rtol=0.03)
    np.testing.assert_allclose(e["rp_mu"].var(axis=0), 4 * ge.EXAMPLE_SIGMA**2, rtol=0.01)
    assert e["rp_sigma"].var() == pytest.approx(4 * 14 + 8 * 3 * ge.EXAMPLE_SIGMA**2, rel=0.01)


def test_variance_ratios_quoted_on_the_page() -> None:
    mu_ratio, sigma_ratio = ge.variance_ratio(n=1_000_000, seed=0)
    assert mu_ratio == pytest.approx(3022.25 / 3, rel=0.05)
    assert 95 < sigma_ratio < 125  # "about 109"


def test_zero_noise_draws_are_the_mean() -> None:
    np.testing.assert_array_equal(ge.gaussian_draws([1.0, 2.0], 0.0, 3, seed=0), [[1.0, 2.0]] * 3)
