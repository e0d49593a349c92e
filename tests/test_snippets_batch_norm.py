"""Batch-norm snippets against numpy statistics and finite differences: per-channel moments over B x H x W,
the backward pass through the batch statistics, and the layout of feature and image tensors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets import batch_norm as bn
from snippets.convolution import numerical_gradient
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=40, deadline=None, derandomize=True, database=None)


def test_cnn_statistics_are_per_channel_over_batch_and_space() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 5.0, size=(8, 4, 5, 5))
    y = bn.normalize(x)
    mean, var = y.mean(axis=(0, 2, 3)), y.var(axis=(0, 2, 3))
    assert np.all(np.abs(mean) < 1e-12)
    _, raw_var = bn.batch_stats(x)
    np.testing.assert_allclose(var, raw_var / (raw_var + bn.EPS), rtol=1e-12)
    assert np.all(np.abs(var - 1) < 1e-3)
    # the same numbers as normalising the (B*H*W, C) matrix of channel values feature by feature
    flat = x.transpose(0, 2, 3, 1).reshape(-1, 4)
    np.testing.assert_allclose(bn.normalize(flat).reshape(8, 5, 5, 4).transpose(0, 3, 1, 2), y, rtol=1e-12, atol=1e-12)


def test_batch_stats_match_numpy_on_features() -> None:
    x = np.random.default_rng(1).standard_normal((16, 3))
    mean, var = bn.batch_stats(x)
    np.testing.assert_allclose(mean, np.mean(x, axis=0), rtol=1e-12)
    np.testing.assert_allclose(var, np.var(x, axis=0, ddof=0), rtol=1e-12)


def test_a_constant_feature_is_mapped_to_beta() -> None:
    y = bn.batch_norm(np.full((5, 1), 7.0), [3.0], [0.5])
    np.testing.assert_allclose(y, 0.5)


def test_gamma_and_beta_restore_the_identity() -> None:
    x = np.random.default_rng(2).normal(2.0, 3.0, size=(10, 2))
    mean, var = bn.batch_stats(x)
    np.testing.assert_allclose(bn.batch_norm(x, np.sqrt(var + bn.EPS), mean), x, rtol=1e-12, atol=1e-12)


@DETERMINISTIC
@given(st.integers(2, 6), st.integers(1, 3), st.floats(1e-3, 1.0))
def test_backward_matches_finite_differences(n: int, c: int, eps: float) -> None:
    rng = np.random.default_rng(n * 10 + c)
    x, g = rng.standard_normal((n, c)) * 2, rng.standard_normal((n, c))
    gamma, beta = rng.standard_normal(c), rng.standard_normal(c)
    dx, dgamma, dbeta = bn.batch_norm_backward(x, g, gamma, eps=eps)
    np.testing.assert_allclose(dx, numerical_gradient(lambda v: bn.batch_norm_loss(v, gamma, beta, g, eps=eps), x),
                               rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(dgamma, numerical_gradient(lambda v: bn.batch_norm_loss(x, v, beta, g, eps=eps), gamma),
                               rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dbeta, g.sum(axis=0), rtol=1e-12)


def test_backward_on_an_image_tensor_matches_finite_differences_and_projects_out_the_mean() -> None:
    rng = np.random.default_rng(3)
    x, g = rng.standard_normal((2, 3, 2, 2)), rng.standard_normal((2, 3, 2, 2))
    gamma, beta = rng.standard_normal(3), rng.standard_normal(3)
    dx, _, _ = bn.batch_norm_backward(x, g, gamma)
    np.testing.assert_allclose(dx, numerical_gradient(lambda v: bn.batch_norm_loss(v, gamma, beta, g), x),
                               rtol=1e-5, atol=1e-7)
    assert np.all(np.abs(dx.sum(axis=(0, 2, 3))) < 1e-10)


@pytest.mark.parametrize("eps", [0.0, 1e-5, 0.5])
def test_gradient_along_x_hat_is_of_order_eps(eps: float) -> None:
    rng = np.random.default_rng(4)
    x, g = rng.standard_normal((9, 1)), rng.standard_normal((9, 1))
    gamma = np.array([1.7])
    dx, dgamma, _ = bn.batch_norm_backward(x, g, gamma, eps=eps)
    x_hat = bn.normalize(x, eps=eps)
    var = x.var()
    expected = eps * gamma[0] * dgamma[0] / (var + eps) ** 1.5
    assert float(np.sum(x_hat * dx)) == pytest.approx(expected, abs=1e-12)


@DETERMINISTIC
@given(arrays(-10.0, 10.0, st.tuples(st.integers(1, 4), st.integers(1, 6))))
def test_layer_norm_uses_one_example_at_a_time(x: np.ndarray) -> None:
    y = bn.layer_norm(x)
    np.testing.assert_allclose(y[:1], bn.layer_norm(x[:1]), rtol=1e-12, atol=1e-12)
    assert np.all(np.abs(y.mean(axis=1)) < 1e-9)
