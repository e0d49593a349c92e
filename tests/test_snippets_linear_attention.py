"""snippets.linear_attention against independent references.

References: scikit-learn's ``polynomial_kernel`` (degree 2, gamma 1, coef0 1)
and ``PolynomialFeatures`` (the same monomials up to scaling), scipy's softmax
for the exponential similarity, and brute-force masked sums for the causal
recurrence; tolerances as stated on derivations/linear-attention-complexity.md.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special
from sklearn.metrics.pairwise import polynomial_kernel
from sklearn.preprocessing import PolynomialFeatures

from snippets import linear_attention as la
from tests.support.strategies import arrays

FEW = settings(max_examples=40, deadline=None, derandomize=True, database=None)


def test_feature_map_reproduces_the_polynomial_kernel_at_d_8() -> None:
    rng = np.random.default_rng(0)
    q, k = rng.normal(size=(2, 8))
    assert la.poly2_features(q).shape == (45,)
    assert la.poly2_features(q) @ la.poly2_features(k) == pytest.approx((q @ k + 1) ** 2, abs=1e-10)


@FEW
@given(st.integers(1, 5), st.integers(1, 4), st.data())
def test_kernel_matches_scikit_learn(n: int, d: int, data: st.DataObject) -> None:
    Q, K = data.draw(arrays(-3, 3, (n, d))), data.draw(arrays(-3, 3, (n + 1, d)))
    reference = polynomial_kernel(Q, K, degree=2, gamma=1.0, coef0=1.0)
    np.testing.assert_allclose(la.poly2_kernel(Q, K), reference, rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(la.poly2_features(Q) @ la.poly2_features(K).T, reference, rtol=1e-9, atol=1e-9)


def test_feature_dimension_matches_scikit_learns_monomial_count() -> None:
    for d in range(1, 10):
        assert la.poly2_feature_dimension(d) == PolynomialFeatures(degree=2).fit(np.zeros((1, d))).n_output_features_
        assert la.poly2_features(np.zeros(d)).shape == (la.poly2_feature_dimension(d),)


def test_linearised_equals_quadratic_kernel_attention_at_n_200() -> None:
    rng = np.random.default_rng(1)
    Q, K, V = rng.normal(size=(200, 8)), rng.normal(size=(200, 8)), rng.normal(size=(200, 4))
    np.testing.assert_allclose(la.linear_attention(Q, K, V), la.kernel_attention(Q, K, V, la.poly2_kernel),
                               rtol=1e-9, atol=1e-9)


def test_causal_recurrence_equals_masked_sums() -> None:
    rng = np.random.default_rng(2)
    Q, K, V = rng.normal(size=(50, 8)), rng.normal(size=(50, 8)), rng.normal(size=(50, 4))
    weights = np.tril(la.poly2_kernel(Q, K))
    masked = np.array([weights[i, : i + 1] @ V[: i + 1] / weights[i, : i + 1].sum() for i in range(50)])
    np.testing.assert_allclose(la.causal_linear_attention(Q, K, V), masked, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(la.kernel_attention(Q, K, V, la.poly2_kernel, causal=True), masked, rtol=1e-9)
    # Edge case: the first token sees only itself, so its output is its own value.
    np.testing.assert_allclose(la.causal_linear_attention(Q, K, V)[0], V[0], rtol=1e-12)


def test_exponential_similarity_is_softmax_attention_and_elu_features_are_positive() -> None:
    rng = np.random.default_rng(3)
    Q, K, V = rng.normal(size=(6, 4)), rng.normal(size=(7, 4)), rng.normal(size=(7, 2))
    out = la.kernel_attention(Q, K, V, lambda q, k: np.exp(q @ k.T / 2.0))
    np.testing.assert_allclose(out, special.softmax(Q @ K.T / 2.0, axis=-1) @ V, rtol=1e-12)
    phi = la.elu_features(rng.normal(scale=10, size=(100, 4)))
    assert np.all(phi > 0)
    np.testing.assert_allclose(la.linear_attention(Q, K, V, la.elu_features),
                               la.kernel_attention(Q, K, V, lambda q, k: la.elu_features(q) @ la.elu_features(k).T),
                               rtol=1e-12)


def test_counted_costs_cross_where_stated() -> None:
    n_star = la.crossover_length(64, 2145, 64)
    assert n_star == pytest.approx(2 * 2145 * 65 / 128) and round(n_star) == 2179
    assert la.softmax_attention_macs(n_star, 64, 64) == pytest.approx(la.linear_attention_macs(n_star, 2145, 64))
    assert la.crossover_length(64, 64, 64) == 65.0
