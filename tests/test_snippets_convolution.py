"""Convolution snippets against scipy and against finite differences: values, output sizes, receptive fields,
weight and input gradients, pooling gradients, and the weight-gradient variance."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from snippets import convolution as conv
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=60, deadline=None, derandomize=True, database=None)


@st.composite
def image_and_kernel(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    k = draw(st.integers(1, 4))
    n = draw(st.integers(k, 9))
    return draw(arrays(-5.0, 5.0, (n, n))), draw(arrays(-5.0, 5.0, (k, k)))


@DETERMINISTIC
@given(image_and_kernel(), st.integers(0, 3), st.integers(1, 6))
def test_correlate2d_matches_scipy_with_padding_and_stride(pair: tuple[np.ndarray, np.ndarray], p: int, s: int) -> None:
    x, w = pair
    reference = signal.correlate2d(np.pad(x, p), w, mode="valid")[::s, ::s]
    out = conv.correlate2d(x, w, stride=s, padding=p)
    np.testing.assert_allclose(out, reference, rtol=1e-12, atol=1e-9)
    assert out.shape[0] == conv.conv_output_size(x.shape[0], w.shape[0], p=p, s=s)


def test_stride_larger_than_the_kernel_skips_pixels() -> None:
    x = np.arange(49.0).reshape(7, 7)
    out = conv.correlate2d(x, np.ones((1, 1)), stride=3)
    np.testing.assert_array_equal(out, x[::3, ::3])
    assert out.shape == (3, 3) and conv.conv_output_size(7, 1, s=3) == 3


def test_a_kernel_larger_than_the_input_gives_an_empty_output() -> None:
    assert conv.correlate2d(np.ones((2, 2)), np.ones((3, 3))).size == 0
    assert conv.conv_output_size(2, 3) == 0
    assert conv.correlate2d(np.ones((2, 2)), np.ones((3, 3)), padding=1).shape == (2, 2)


@DETERMINISTIC
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(3, 10))
def test_dilated_correlation_equals_a_kernel_with_zeros_inserted(k: int, d: int, s: int, n: int) -> None:
    rng = np.random.default_rng(k * 100 + d * 10 + s)
    span = d * (k - 1) + 1
    x = rng.standard_normal((n + span, n + span))
    w = rng.standard_normal((k, k))
    spread = np.zeros((span, span))
    spread[::d, ::d] = w
    np.testing.assert_allclose(conv.correlate2d(x, w, stride=s, dilation=d),
                               signal.correlate2d(x, spread, mode="valid")[::s, ::s], rtol=1e-12, atol=1e-10)


def test_conv2d_sums_scipy_correlations_over_channels() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 8, 8))
    w, b = rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    out = conv.conv2d(x, w, b, stride=2, padding=1)
    for o in range(4):
        reference = sum(signal.correlate2d(np.pad(x[c], 1), w[o, c], mode="valid") for c in range(3))[::2, ::2] + b[o]
        np.testing.assert_allclose(out[o], reference, rtol=1e-12, atol=1e-12)
    assert out.shape == (4, 4, 4)


def test_parameter_count_from_the_arrays() -> None:
    assert conv.layer_parameter_count(3, 16, 5) == conv.conv_param_count(5, 3, 16) == 1216
    assert conv.conv_param_count(3, 64, 64, bias=False) == 36864


def test_receptive_field_closed_form_against_tracing() -> None:
    rng = np.random.default_rng(1)
    for _ in range(200):
        L = int(rng.integers(1, 7))
        k, s, d = rng.integers(1, 6, L), rng.integers(1, 4, L), rng.integers(1, 4, L)
        assert conv.receptive_field(k, s, d)[-1] == conv.receptive_field_extent(k, s, d)
    assert conv.receptive_field([1, 1]).tolist() == [1, 1, 1]  # 1x1 kernels never widen the field


def test_delta_response_is_the_receptive_field_squared() -> None:
    assert conv.delta_response_support(3, 3) == 49
    assert conv.delta_response_support(2, 5, size=21) == 81


@DETERMINISTIC
@given(image_and_kernel())
def test_weight_and_input_gradients_match_finite_differences(pair: tuple[np.ndarray, np.ndarray]) -> None:
    x, w = pair
    m = x.shape[0] - w.shape[0] + 1
    g = np.random.default_rng(x.shape[0]).standard_normal((m, m))
    np.testing.assert_allclose(conv.conv_weight_grad(x, g), conv.numerical_gradient(lambda v: conv.conv_loss(x, v, g), w),
                               rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(conv.conv_input_grad(g, w), conv.numerical_gradient(lambda v: conv.conv_loss(v, w, g), x),
                               rtol=1e-6, atol=1e-6)


def test_input_gradient_is_scipy_full_convolution() -> None:
    rng = np.random.default_rng(2)
    g, w = rng.standard_normal((5, 5)), rng.standard_normal((3, 3))
    np.testing.assert_allclose(conv.conv_input_grad(g, w), signal.convolve2d(g, w, mode="full"), rtol=1e-12, atol=1e-12)


def test_pooling_gradients_match_finite_differences() -> None:
    rng = np.random.default_rng(3)
    x = rng.permutation(16).reshape(4, 4).astype(float)  # distinct values: the max of each window is unique
    g = rng.standard_normal((2, 2))
    numeric_max = conv.numerical_gradient(lambda v: float(np.sum(conv.max_pool(v) * g)), x, h=1e-3)
    numeric_avg = conv.numerical_gradient(lambda v: float(np.sum(conv.avg_pool(v) * g)), x, h=1e-3)
    dmax = conv.max_pool_backward(x, g)
    np.testing.assert_allclose(dmax, numeric_max, atol=1e-9)
    np.testing.assert_allclose(conv.avg_pool_backward(g), numeric_avg, atol=1e-9)
    assert np.count_nonzero(dmax) == 4 and sorted(dmax[dmax != 0]) == sorted(g.ravel())


def test_pooling_leaves_the_gradient_of_an_uncovered_border_at_zero() -> None:
    x = np.arange(25.0).reshape(5, 5)
    assert conv.max_pool_backward(x, np.ones((2, 2)))[4].tolist() == [0.0] * 5
    assert conv.avg_pool_backward(np.ones((2, 2)), shape=(5, 5))[:, 4].tolist() == [0.0] * 5


def test_weight_gradient_variance_is_m_squared() -> None:
    draws = conv.weight_grad_samples(10, 3, 50_000, sigma_x=1.5, sigma_g=0.5, seed=0)
    expected = 8**2 * 1.5**2 * 0.5**2
    assert draws.var() == pytest.approx(expected, rel=0.03)
    assert abs(draws.mean()) < 0.05 * np.sqrt(expected)
