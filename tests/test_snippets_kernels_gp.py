"""Kernels, Gaussian-process regression, norms, variance, k-NN and Bradley-Terry: the snippets
agree with scikit-learn, scipy and numpy, edge cases included."""

from __future__ import annotations

import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF
from sklearn.linear_model import LogisticRegression
from sklearn.metrics.pairwise import rbf_kernel as sklearn_rbf_kernel
from sklearn.neighbors import KNeighborsRegressor

from snippets import dispersion, gaussian_processes, kernels, nonparametric, norms, preferences
from tests.support.strategies import arrays, floats

DETERMINISTIC = settings(max_examples=60, deadline=None, derandomize=True, database=None)


@st.composite
def spaced_inputs(draw: st.DrawFn, max_n: int = 6) -> np.ndarray:
    """Distinct 1-D training inputs at least 0.5 apart, so that k(X, X) is well conditioned."""
    n = draw(st.integers(1, max_n))
    steps = draw(arrays(0.5, 2.0, n))
    return np.cumsum(steps) - 4.0


# --- Kernels ------------------------------------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 4), st.data(), floats(0.1, 5.0))
def test_rbf_kernel_matches_sklearn(n: int, m: int, d: int, data: st.DataObject, ell: float) -> None:
    X = data.draw(arrays(-5.0, 5.0, (n, d)))
    Y = data.draw(arrays(-5.0, 5.0, (m, d)))
    expected = sklearn_rbf_kernel(X, Y, gamma=1.0 / (2.0 * ell**2))
    np.testing.assert_allclose(kernels.rbf_kernel(X, Y, ell), expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(kernels.rbf_kernel(X, length_scale=ell), RBF(ell)(X), rtol=1e-9, atol=1e-12)


def test_rbf_kernel_edges() -> None:
    X = np.array([[1e8, -1e8], [1e8, -1e8]])  # equal far-away points: cancellation must not give k > 1
    K = kernels.rbf_kernel(X, length_scale=1.0)
    assert np.all(K <= 1.0) and np.allclose(K, 1.0)
    assert kernels.rbf_kernel([0.0], [50.0], length_scale=1.0)[0, 0] == 0.0  # underflows to 0, no warning or NaN
    with pytest.raises(ValueError, match="length_scale"):
        kernels.rbf_kernel([0.0], length_scale=0.0)


@DETERMINISTIC
@given(arrays(-10.0, 10.0, (4, 2)), arrays(-10.0, 10.0, (3, 2)))
def test_quadratic_features_reproduce_the_kernel(X: np.ndarray, Y: np.ndarray) -> None:
    explicit = kernels.quadratic_features(X) @ kernels.quadratic_features(Y).T
    np.testing.assert_allclose(explicit, kernels.quadratic_kernel(X, Y), rtol=1e-9, atol=1e-9)


def test_quadratic_features_refuse_other_dimensions() -> None:
    with pytest.raises(ValueError, match="2 dimensions"):
        kernels.quadratic_features(np.ones((2, 3)))


def test_two_rings_are_linearly_separable_after_the_feature_map() -> None:
    X, labels = kernels.two_rings()
    squared_radius = kernels.quadratic_features(X)[:, [0, 2]].sum(axis=1)  # linear in the features
    assert squared_radius[labels == 0].max() < 2.6 < squared_radius[labels == 1].min()


# --- Gaussian-process regression ---------------------------------------------------------


@DETERMINISTIC
@given(spaced_inputs(), st.data(), floats(0.3, 2.0), st.sampled_from([1e-10, 0.01, 0.5]))
def test_gp_posterior_matches_sklearn(X1: np.ndarray, data: st.DataObject, ell: float, noise: float) -> None:
    y1 = data.draw(arrays(-3.0, 3.0, X1.size))
    X2 = data.draw(arrays(-6.0, 6.0, st.integers(1, 5)))
    gpr = GaussianProcessRegressor(RBF(ell), alpha=noise, optimizer=None).fit(X1[:, None], y1)
    mean, cov = gpr.predict(X2[:, None], return_cov=True)
    ours_mean, ours_cov = gaussian_processes.gp_posterior(X1, y1, X2, ell, noise=noise)
    np.testing.assert_allclose(ours_mean, mean, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours_cov, cov, rtol=1e-6, atol=1e-8)


def test_noiseless_posterior_interpolates_and_noise_keeps_variance() -> None:
    X1 = np.array([-2.0, 0.0, 1.5])
    y1 = np.array([1.0, -0.5, 2.0])
    mean, cov = gaussian_processes.gp_posterior(X1, y1, X1, 1.0)
    np.testing.assert_allclose(mean, y1, atol=1e-9)
    np.testing.assert_allclose(np.diag(cov), 0.0, atol=1e-9)
    mean, cov = gaussian_processes.gp_posterior(X1, y1, X1, 1.0, noise=0.25)
    assert np.all(np.abs(mean - y1) > 1e-3) and np.all(np.diag(cov) > 0.05)


def test_far_from_the_data_the_posterior_is_the_prior() -> None:
    mean, cov = gaussian_processes.gp_posterior([0.0], [5.0], [100.0], 1.0,
                                                mean=lambda X: np.full(X.shape[0], 2.0))
    assert mean[0] == pytest.approx(2.0) and cov[0, 0] == pytest.approx(1.0)


def test_gp_weights_give_the_posterior_mean() -> None:
    X1, y1, X2 = np.array([-1.0, 0.5, 2.0]), np.array([0.3, -1.0, 0.8]), np.array([0.0, 3.0])
    alpha = gaussian_processes.gp_weights(X1, y1, 0.8, noise=0.1)
    expected = kernels.rbf_kernel(X2, X1, 0.8) @ alpha
    np.testing.assert_allclose(gaussian_processes.gp_posterior(X1, y1, X2, 0.8, noise=0.1)[0], expected)


def test_gp_prior_samples_have_the_kernel_covariance() -> None:
    x = np.array([0.0, 0.5, 2.0])
    draws = gaussian_processes.sample_gp_prior(x, gaussian_processes.rbf(1.0), 100_000, rng=3)
    np.testing.assert_allclose(np.cov(draws.T), kernels.rbf_kernel(x, x, 1.0), atol=0.015)
    np.testing.assert_allclose(draws.mean(axis=0), 0.0, atol=0.015)


# --- Norms and variance ----------------------------------------------------------------


@DETERMINISTIC
@given(arrays(-1e3, 1e3, st.tuples(st.integers(1, 4), st.integers(1, 6))))
def test_l2_norm_matches_numpy(x: np.ndarray) -> None:
    assert norms.l2_norm(x) == pytest.approx(np.linalg.norm(x), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(norms.l2_norm(x, axis=1), np.linalg.norm(x, axis=1), rtol=1e-12, atol=1e-12)


def test_l2_norm_edges() -> None:
    assert norms.l2_norm([]) == 0.0
    assert norms.l2_norm([0.0, 0.0]) == 0.0
    assert norms.l2_norm([1e200, 1e200]) == pytest.approx(np.sqrt(2.0) * 1e200, rel=1e-14)  # numpy gives inf
    assert norms.l2_norm([1e-200, 1e-200]) == pytest.approx(np.sqrt(2.0) * 1e-200, rel=1e-14)  # numpy gives 0


@DETERMINISTIC
@given(arrays(-100.0, 100.0, st.integers(1, 10)), st.sampled_from([1.0, 1.5, 2.0, 3.0, np.inf]))
def test_p_norm_matches_numpy(x: np.ndarray, p: float) -> None:
    assert norms.p_norm(x, p) == pytest.approx(np.linalg.norm(x, p), rel=1e-10, abs=1e-12)


def test_p_norm_refuses_p_below_one() -> None:
    with pytest.raises(ValueError, match="p >= 1"):
        norms.p_norm([1.0, 2.0], 0.5)


@DETERMINISTIC
@given(arrays(-1e3, 1e3, st.integers(2, 20)), st.sampled_from([0, 1]))
def test_variance_and_std_match_numpy_and_statistics(x: np.ndarray, ddof: int) -> None:
    assert dispersion.variance(x, ddof) == pytest.approx(np.var(x, ddof=ddof), rel=1e-9, abs=1e-9)
    assert dispersion.std(x, ddof) == pytest.approx(np.std(x, ddof=ddof), rel=1e-9, abs=1e-9)
    reference = statistics.pvariance(x.tolist()) if ddof == 0 else statistics.variance(x.tolist())
    assert dispersion.variance(x, ddof) == pytest.approx(reference, rel=1e-9, abs=1e-9)


def test_variance_edges() -> None:
    assert dispersion.variance([3.0]) == 0.0
    with pytest.raises(ValueError, match="ddof=1"):
        dispersion.variance([3.0], ddof=1)
    big = 1e9 + np.array([4.0, 7.0, 13.0, 16.0])  # the one-pass formula loses this to cancellation
    assert dispersion.variance(big, ddof=1) == pytest.approx(30.0, rel=1e-12)
    np.testing.assert_allclose(dispersion.variance(np.arange(12.0).reshape(3, 4), axis=1), np.var(
        np.arange(12.0).reshape(3, 4), axis=1))


def test_the_biased_variance_underestimates_by_n_minus_one_over_n() -> None:
    for n in (2, 3, 5):
        assert dispersion.mean_sample_variance(n, ddof=0) == pytest.approx((n - 1) / n, abs=0.01)
        assert dispersion.mean_sample_variance(n, ddof=1) == pytest.approx(1.0, abs=0.015)


# --- k-nearest neighbours -------------------------------------------------------------


@DETERMINISTIC
@given(st.integers(3, 15), st.data())
def test_knn_regression_matches_sklearn(n: int, data: st.DataObject) -> None:
    X = np.unique(data.draw(arrays(-5.0, 5.0, n)).round(3))  # distinct inputs: tie order is irrelevant
    y = data.draw(arrays(-5.0, 5.0, X.size))
    k = data.draw(st.integers(1, X.size))
    queries = np.array([-6.0, -0.0123, 0.4567, 6.0])
    expected = KNeighborsRegressor(n_neighbors=k).fit(X[:, None], y).predict(queries[:, None])
    distances = np.abs(X[None, :] - queries[:, None])
    kth = np.sort(distances, axis=1)
    unambiguous = (k == X.size) | (kth[:, k - 1] < kth[:, min(k, X.size - 1)])
    np.testing.assert_allclose(nonparametric.knn_regression(X, y, queries, k)[unambiguous], expected[unambiguous])


def test_knn_refuses_impossible_k() -> None:
    with pytest.raises(ValueError, match="k must be"):
        nonparametric.knn_regression([0.0, 1.0], [0.0, 1.0], 0.5, 3)


# --- Bradley-Terry ------------------------------------------------------------------


@DETERMINISTIC
@given(arrays(-800.0, 800.0, 6), arrays(-800.0, 800.0, 6))
def test_bradley_terry_probability_is_expit_of_the_difference(beta_i: np.ndarray, beta_j: np.ndarray) -> None:
    np.testing.assert_allclose(preferences.bradley_terry_probability(beta_i, beta_j), special.expit(beta_i - beta_j),
                               rtol=1e-12, atol=1e-300)


def test_fit_bradley_terry_matches_unpenalized_logistic_regression() -> None:
    wins = np.array([[0, 7, 3, 5], [3, 0, 6, 2], [7, 4, 0, 4], [5, 8, 6, 0]])
    rows, labels = [], []
    for i in range(4):
        for j in range(4):
            for _ in range(wins[i, j]):  # each win once in each orientation: the design is symmetric
                x = np.zeros(4)
                x[i], x[j] = 1.0, -1.0
                rows += [x, -x]
                labels += [1, 0]
    logistic = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12, max_iter=10_000)
    coef = logistic.fit(np.array(rows), labels).coef_[0]
    np.testing.assert_allclose(preferences.fit_bradley_terry(wins), coef - coef[0], atol=1e-5)


def test_fit_bradley_terry_refuses_an_undefeated_item() -> None:
    with pytest.raises(ValueError, match="no finite maximum-likelihood"):
        preferences.fit_bradley_terry([[0, 3], [0, 0]])
