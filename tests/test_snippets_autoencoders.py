"""PCA and linear autoencoders: the snippets agree with scikit-learn, scipy and numpy, edge cases
included (k = d, repeated eigenvalues, where only subspaces can be compared)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import subspace_angles
from scipy.optimize import approx_fprime
from sklearn.decomposition import PCA

from snippets import autoencoders as ae
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=40, deadline=None, derandomize=True, database=None)


def gaussian_rows(variances: list[float], n: int, seed: int) -> np.ndarray:
    """``n`` rows with the given variances along a random orthonormal basis."""
    rng = np.random.default_rng(seed)
    basis, _ = np.linalg.qr(rng.standard_normal((len(variances), len(variances))))
    return (rng.standard_normal((n, len(variances))) * np.sqrt(variances)) @ basis.T + rng.normal(size=len(variances))


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_pca_matches_sklearn(k: int) -> None:
    X = gaussian_rows([5.0, 3.0, 2.0, 0.5], 200, seed=k)
    components, variance, mean = ae.pca(X, k)
    reference = PCA(n_components=k).fit(X)
    np.testing.assert_allclose(variance, reference.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(mean, reference.mean_, atol=1e-12)
    # Signs are arbitrary: compare the projectors onto the spans.
    np.testing.assert_allclose(components.T @ components, reference.components_.T @ reference.components_, atol=1e-9)


@DETERMINISTIC
@given(st.integers(1, 4), st.integers(2, 9), st.data())
def test_pca_variance_and_reconstruction_match_sklearn(d: int, n: int, data: st.DataObject) -> None:
    X = data.draw(arrays(-5.0, 5.0, (n, d)))
    k = data.draw(st.integers(1, min(d, n)))
    _, variance, _ = ae.pca(X, k)
    with warnings.catch_warnings():  # sklearn divides by the total variance, 0 for constant data
        warnings.simplefilter("ignore", RuntimeWarning)
        reference = PCA(n_components=k, svd_solver="full").fit(X)
    np.testing.assert_allclose(variance, reference.explained_variance_, rtol=1e-8, atol=1e-9)
    rebuilt = reference.inverse_transform(reference.transform(X))
    expected = float(np.sum((X - rebuilt) ** 2))
    assert ae.pca_reconstruction_error(X, k) == pytest.approx(expected, rel=1e-8, abs=1e-8)


def test_pca_with_k_equal_to_d_reconstructs_exactly() -> None:
    X = gaussian_rows([2.0, 1.0, 0.3], 30, seed=0)
    assert ae.pca_reconstruction_error(X, 3) == pytest.approx(0.0, abs=1e-20 + 1e-10)
    components, _, _ = ae.pca(X, 3)
    np.testing.assert_allclose(components.T @ components, np.eye(3), atol=1e-12)


def test_repeated_eigenvalues_compare_subspaces_not_vectors() -> None:
    """Two equal top variances: the top-2 subspace is determined, its basis is not."""
    rng = np.random.default_rng(1)
    basis, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    S = basis @ np.diag([4.0, 4.0, 1.0]) @ basis.T
    values, U = ae.top_eigenvectors(S, 2)
    np.testing.assert_allclose(values, [4.0, 4.0])
    np.testing.assert_allclose(ae.principal_angles(U, basis[:, :2]), [0.0, 0.0], atol=1e-7)


@DETERMINISTIC
@given(st.integers(2, 5), st.data())
def test_principal_angles_match_scipy(d: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(1, d))
    l = data.draw(st.integers(1, d))
    A = data.draw(arrays(-2.0, 2.0, (d, k))) + np.eye(d, k) * 5
    B = data.draw(arrays(-2.0, 2.0, (d, l))) + np.eye(d, l)[::-1] * 5
    np.testing.assert_allclose(ae.principal_angles(A, B), np.sort(subspace_angles(A, B)), atol=1e-7)


def test_gradients_match_finite_differences() -> None:
    rng = np.random.default_rng(2)
    X = rng.standard_normal((4, 7))
    W1, W2 = rng.standard_normal((2, 4)), rng.standard_normal((4, 2))
    for wd in (0.0, 0.3):
        g1, g2 = ae.linear_ae_gradients(W1, W2, X, wd)
        n1 = approx_fprime(W1.ravel(), lambda w: ae.linear_ae_loss(w.reshape(2, 4), W2, X, wd), 1e-7)
        n2 = approx_fprime(W2.ravel(), lambda w: ae.linear_ae_loss(W1, w.reshape(4, 2), X, wd), 1e-7)
        np.testing.assert_allclose(g1.ravel(), n1, rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(g2.ravel(), n2, rtol=1e-4, atol=1e-4)


def test_trained_autoencoder_subspace_matches_sklearn_pca() -> None:
    X = ae.demo_data(d=6, n=400, seed=0)
    lam = np.linalg.eigvalsh(X @ X.T)[::-1]
    W1, W2, _ = ae.train_linear_ae(X, 3, 3000, 0.1 / lam[0], seed=4)
    reference = PCA(n_components=3).fit(X.T)
    assert ae.principal_angles(W2, reference.components_.T).max() < 1e-6
    assert ae.linear_ae_loss(W1, W2, X) == pytest.approx(lam[3:].sum(), rel=1e-8)


def test_full_width_autoencoder_learns_the_identity() -> None:
    """k = d: nothing has to be discarded, so training reaches zero loss and W2 W1 = I."""
    X = ae.demo_data(d=4, n=200, seed=3)
    lam = np.linalg.eigvalsh(X @ X.T)[::-1]
    W1, W2, _ = ae.train_linear_ae(X, 4, 6000, 0.1 / lam[0], seed=0)
    assert ae.linear_ae_loss(W1, W2, X) < 1e-8
    np.testing.assert_allclose(W2 @ W1, np.eye(4), atol=1e-4)


def test_optimal_encoder_is_the_pseudo_inverse() -> None:
    W2 = np.random.default_rng(5).standard_normal((5, 2))
    np.testing.assert_allclose(ae.optimal_encoder(W2), np.linalg.pinv(W2), atol=1e-12)


def test_imbalance_drift_is_first_order_in_the_step() -> None:
    """Gradient flow conserves W1 W1^T - W2^T W2; gradient descent run to a fixed time drifts by O(lr)."""
    X = ae.demo_data(6, 400, 0) / np.sqrt(400)
    drifts = []
    for lr in (0.02, 0.01):
        W1, W2, history = ae.train_linear_ae(X, 2, int(4.0 / lr), lr, init_scale=0.5, seed=1, record_every=10**9)
        drifts.append(np.linalg.norm(ae.imbalance(W1, W2) - ae.imbalance(*history[0])))
    assert 1.8 < drifts[0] / drifts[1] < 2.2
    assert drifts[0] < 0.05


def test_weight_decay_reaches_the_symmetric_optimum() -> None:
    X = ae.demo_data(6, 400, 0) / np.sqrt(400)
    W1, W2, _ = ae.train_linear_ae(X, 2, 4000, 0.02, weight_decay=0.5, init_scale=0.5, seed=1)
    expected_W1, expected_W2 = ae.weight_decay_optimum(X @ X.T, 2, 0.5)
    # Both are optima; compare the products (the signs of the columns are free).
    np.testing.assert_allclose(W2 @ W1, expected_W2 @ expected_W1, atol=1e-9)
    np.testing.assert_allclose(W1, W2.T, atol=1e-10)
    for gradient in ae.linear_ae_gradients(W1, W2, X, 0.5):
        assert np.abs(gradient).max() < 1e-10


@DETERMINISTIC
@given(st.integers(1, 4), st.data())
def test_balanced_factors_attain_twice_the_nuclear_norm(d: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(1, d))
    M = data.draw(arrays(-2.0, 2.0, (d, k))) @ data.draw(arrays(-2.0, 2.0, (k, d)))
    W1, W2 = ae.balanced_factors(M, k)
    np.testing.assert_allclose(W2 @ W1, M, atol=1e-9)
    np.testing.assert_allclose(W1 @ W1.T, W2.T @ W2, atol=1e-9)
    assert ae.nuclear_norm(M) == pytest.approx(np.linalg.norm(M, "nuc"), rel=1e-9, abs=1e-12)
    assert np.sum(W1**2) + np.sum(W2**2) == pytest.approx(2 * np.linalg.norm(M, "nuc"), rel=1e-9, abs=1e-9)


def test_denoising_optimum_matches_sklearn_regression_of_clean_on_noisy() -> None:
    from sklearn.linear_model import LinearRegression

    Sigma = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 0.3]])
    rng = np.random.default_rng(7)
    x = rng.multivariate_normal(np.zeros(3), Sigma, size=200_000)
    noisy = x + 0.8 * rng.standard_normal(x.shape)
    fitted = LinearRegression(fit_intercept=False).fit(noisy, x).coef_
    np.testing.assert_allclose(fitted, ae.denoising_optimum(Sigma, 0.64), atol=0.02)


def test_denoising_optimum_minimises_the_risk() -> None:
    Sigma = np.array([[2.0, 0.5], [0.5, 1.0]])
    best = ae.denoising_optimum(Sigma, 0.5)
    rng = np.random.default_rng(8)
    for _ in range(20):
        other = best + 0.1 * rng.standard_normal((2, 2))
        assert ae.denoising_risk(other, Sigma, 0.5) > ae.denoising_risk(best, Sigma, 0.5)
    # Without noise the optimum is the identity.
    np.testing.assert_allclose(ae.denoising_optimum(Sigma, 0.0), np.eye(2), atol=1e-12)
