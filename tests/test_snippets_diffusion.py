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


# --- guidance --------------------------------------------------------------------------

from scipy import special  # noqa: E402

from snippets import guidance  # noqa: E402


def _mixture_logpdf(x: np.ndarray, means: np.ndarray, variances: np.ndarray, weights: np.ndarray) -> float:
    terms = [np.log(w) + stats.multivariate_normal(m, v * np.eye(len(m))).logpdf(x)
             for m, v, w in zip(means, variances, weights)]
    return float(special.logsumexp(terms))


@DETERMINISTIC
@given(arrays(-3.0, 3.0, 2), st.integers(0, 1000))
def test_mixture_density_and_score_match_scipy(x: np.ndarray, seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 5))
    means, variances, weights = rng.normal(size=(k, 2)), rng.uniform(0.2, 2.0, k), rng.uniform(0.1, 1.0, k)
    weights = weights / weights.sum()
    assert guidance.gmm_log_density(x, means, variances, weights) == pytest.approx(
        _mixture_logpdf(x, means, variances, weights), rel=1e-9, abs=1e-9)
    h = 1e-5
    numeric = [(_mixture_logpdf(x + h * e, means, variances, weights)
                - _mixture_logpdf(x - h * e, means, variances, weights)) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(guidance.gmm_score(x, means, variances, weights), numeric, rtol=1e-5, atol=1e-6)


@DETERMINISTIC
@given(arrays(-4.0, 4.0, 2), st.integers(0, 1000), st.floats(0.2, 3.0))
def test_class_posterior_is_a_log_softmax_and_its_gradient_is_exact(x: np.ndarray, seed: int, sigma2: float) -> None:
    means = np.random.default_rng(seed).normal(size=(3, 2))
    logits = -0.5 * np.sum((x - means) ** 2, axis=1) / sigma2
    np.testing.assert_allclose(guidance.class_log_posterior(x, means, sigma2), special.log_softmax(logits), atol=1e-12)
    h = 1e-6
    for y in range(3):
        numeric = [(guidance.class_log_posterior(x + h * e, means, sigma2)[y]
                    - guidance.class_log_posterior(x - h * e, means, sigma2)[y]) / (2 * h) for e in np.eye(2)]
        np.testing.assert_allclose(guidance.class_log_posterior_grad(x, y, means, sigma2), numeric, rtol=1e-5, atol=1e-6)


def test_clip_guidance_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(2)
    A, x, g = rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=3)
    h = 1e-6
    numeric = [(np.tanh(A @ (x + h * e)) @ g - np.tanh(A @ (x - h * e)) @ g) / (2 * h) for e in np.eye(4)]
    np.testing.assert_allclose(guidance.clip_guidance_grad(x, A, g), numeric, rtol=1e-6, atol=1e-8)


def test_guided_mean_with_matrix_and_scalar_covariance() -> None:
    mu, grad = np.array([1.0, -1.0]), np.array([0.5, 2.0])
    np.testing.assert_allclose(guidance.classifier_guided_mean(mu, 0.3 * np.eye(2), grad, 2.0),
                               guidance.classifier_guided_mean(mu, 0.3, grad, 2.0))
    np.testing.assert_array_equal(guidance.classifier_guided_mean(mu, np.eye(2), grad, 0.0), mu)


def test_cfg_endpoints() -> None:
    u, c = np.array([0.1, -0.3]), np.array([0.7, 0.2])
    np.testing.assert_array_equal(guidance.cfg_epsilon(u, c, 0.0), u)
    np.testing.assert_allclose(guidance.cfg_epsilon(u, c, 1.0), c)


def test_unguided_and_conditional_samplers_reproduce_their_distributions() -> None:
    # s = 0 samples the whole toy mixture and s = 1 the class-1 mixture: compare means and covariances.
    for s, cls in ((0.0, None), (1.0, 1)):
        x = guidance.guided_sample(s, n=4000, rng=3)
        means, variances, weights = guidance.toy_mixture(cls)
        mean = weights @ means
        second = sum(w * (np.outer(m, m) + v * np.eye(2)) for m, v, w in zip(means, variances, weights))
        np.testing.assert_allclose(x.mean(axis=0), mean, atol=0.06)
        np.testing.assert_allclose(np.cov(x.T), second - np.outer(mean, mean), atol=0.08)


def test_stronger_guidance_raises_adherence_and_lowers_spread() -> None:
    one = guidance.sample_statistics(guidance.guided_sample(1.0, n=1500))
    five = guidance.sample_statistics(guidance.guided_sample(5.0, n=1500))
    assert five[0] > one[0] + 0.05
    assert five[1] < 0.9 * one[1]


# --- GLIDE in-painting input -----------------------------------------------------------

from snippets import glide  # noqa: E402


def test_inpaint_input_stacks_seven_channels() -> None:
    rng = np.random.default_rng(0)
    xt, x0 = rng.normal(size=(3, 4, 5)), rng.normal(size=(3, 4, 5))
    mask = (rng.random((4, 5)) > 0.5).astype(float)
    z = glide.inpaint_input(xt, x0, mask)
    assert z.shape == (7, 4, 5)
    np.testing.assert_array_equal(z[:3], xt)
    np.testing.assert_array_equal(z[3:6][:, mask == 1], 0.0)          # the hole is erased
    np.testing.assert_array_equal(z[3:6][:, mask == 0], x0[:, mask == 0])  # the rest is kept
    np.testing.assert_array_equal(z[6], mask)
    np.testing.assert_array_equal(glide.inpaint_input(xt, x0, mask[None]), z)  # (1, H, W) mask accepted


def test_inpaint_input_edge_masks_and_errors() -> None:
    xt, x0 = np.ones((3, 2, 2)), 2 * np.ones((3, 2, 2))
    np.testing.assert_array_equal(glide.inpaint_input(xt, x0, np.zeros((2, 2)))[3:6], x0)  # nothing to fill
    np.testing.assert_array_equal(glide.inpaint_input(xt, x0, np.ones((2, 2)))[3:6], 0.0)  # fill everything
    with pytest.raises(ValueError):
        glide.inpaint_input(xt, x0, np.full((2, 2), 0.5))
    with pytest.raises(ValueError):
        glide.inpaint_input(np.ones((4, 2, 2)), np.ones((4, 2, 2)), np.zeros((2, 2)))
