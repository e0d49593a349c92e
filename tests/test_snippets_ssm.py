"""Linear state-space models: the recurrence, the kernel and the fast algorithms agree with each other
and with numpy and scipy, edge cases included (length-1 sequences, A = 0, p = 0, L = 0)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm
from scipy.signal import cont2discrete, fftconvolve

from snippets import ssm
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=50, deadline=None, derandomize=True, database=None)


def random_model(n: int, radius: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n))
    A *= radius / np.max(np.abs(np.linalg.eigvals(A)))
    return A, rng.standard_normal(n), rng.standard_normal(n)


@DETERMINISTIC
@given(st.integers(1, 4), st.integers(1, 30), st.data())
def test_recurrence_is_the_kernel_convolution(n: int, L: int, data: st.DataObject) -> None:
    A = data.draw(arrays(-1.0, 1.0, (n, n)))
    B, C = data.draw(arrays(-2.0, 2.0, n)), data.draw(arrays(-2.0, 2.0, n))
    u = data.draw(arrays(-3.0, 3.0, L))
    K = ssm.ssm_kernel(A, B, C, L)
    y = ssm.ssm_recurrence(A, B, C, u)
    scale = 1.0 + np.abs(y).max()
    np.testing.assert_allclose(y, np.convolve(u, K)[:L], atol=1e-9 * scale)
    np.testing.assert_allclose(y, ssm.causal_convolution(K, u), atol=1e-9 * scale)


def test_skip_term_adds_d_to_the_first_tap() -> None:
    A, B, C = random_model(3, 0.8, 0)
    u = np.random.default_rng(1).standard_normal(20)
    K = ssm.ssm_kernel(A, B, C, 20)
    K[0] += 0.7
    np.testing.assert_allclose(ssm.ssm_recurrence(A, B, C, u, D=0.7), np.convolve(u, K)[:20], atol=1e-12)


def test_length_one_sequence() -> None:
    A, B, C = random_model(3, 0.5, 2)
    assert ssm.ssm_recurrence(A, B, C, [2.0])[0] == pytest.approx(2.0 * C @ B)
    assert ssm.fft_convolution([3.0], [2.0])[0] == pytest.approx(6.0)
    K, rounds = ssm.kernel_by_doubling(A, B, C, 1)
    assert rounds == 0 and K[0] == pytest.approx(C @ B)


def test_zero_state_matrix_keeps_only_the_first_tap() -> None:
    _, B, C = random_model(3, 0.5, 3)
    K = ssm.ssm_kernel(np.zeros((3, 3)), B, C, 6)
    np.testing.assert_allclose(K, [C @ B, 0, 0, 0, 0, 0], atol=1e-15)
    u = np.arange(1.0, 7.0)
    np.testing.assert_allclose(ssm.ssm_recurrence(np.zeros((3, 3)), B, C, u), (C @ B) * u, atol=1e-12)


@pytest.mark.parametrize("L", [1, 2, 3, 7, 64, 1000, 4096])
def test_fft_convolution_matches_scipy_and_direct(L: int) -> None:
    rng = np.random.default_rng(L)
    K, u = rng.standard_normal(L), rng.standard_normal(L)
    fast = ssm.fft_convolution(K, u)
    np.testing.assert_allclose(fast, fftconvolve(K, u)[:L], atol=1e-10)
    if L <= 1000:
        np.testing.assert_allclose(fast, ssm.causal_convolution(K, u), atol=1e-10)


@pytest.mark.parametrize("L", [0, 1, 2, 3, 13, 64, 1000, 1023])
def test_repeated_squaring_power_and_count(L: int) -> None:
    A, _, _ = random_model(4, 0.999, L)
    power, products = ssm.matrix_power_by_squaring(A, L)
    reference = np.linalg.matrix_power(A, L)
    np.testing.assert_allclose(power, reference, rtol=1e-10, atol=1e-12)
    expected = 0 if L == 0 else int(np.floor(np.log2(L))) + bin(L).count("1") - 1
    assert products == expected


@pytest.mark.parametrize("L", [1, 2, 5, 16, 17, 300])
def test_doubling_kernel_matches_the_definition(L: int) -> None:
    A, B, C = random_model(4, 0.95, L)
    K, rounds = ssm.kernel_by_doubling(A, B, C, L)
    np.testing.assert_allclose(K, ssm.ssm_kernel(A, B, C, L), rtol=1e-10, atol=1e-12)
    assert rounds == int(np.ceil(np.log2(L)))


def test_diagonal_kernel_matches_the_dense_one_real_and_complex() -> None:
    rng = np.random.default_rng(4)
    a = rng.uniform(-0.99, 0.99, 5)
    B, C = rng.standard_normal(5), rng.standard_normal(5)
    np.testing.assert_allclose(ssm.kernel_diagonal(a, B, C, 40), ssm.ssm_kernel(np.diag(a), B, C, 40), atol=1e-12)
    # A complex-conjugate pair is a real rotation; its diagonal kernel is real up to rounding.
    z = 0.9 * np.exp(0.4j)
    complex_kernel = ssm.kernel_diagonal([z, np.conj(z)], [0.5, 0.5], [1.0, 1.0], 30)
    rotation = 0.9 * np.array([[np.cos(0.4), -np.sin(0.4)], [np.sin(0.4), np.cos(0.4)]])
    dense = ssm.ssm_kernel(rotation, [1.0, 0.0], [1.0, 0.0], 30)
    np.testing.assert_allclose(complex_kernel.real, dense, atol=1e-12)
    np.testing.assert_allclose(complex_kernel.imag, 0.0, atol=1e-12)


@pytest.mark.parametrize("L", [0, 1, 2, 13])
def test_identity_plus_rank_one_closed_form(L: int) -> None:
    p = np.random.default_rng(5).standard_normal(5)
    reference = np.linalg.matrix_power(np.eye(5) + np.outer(p, p), L)
    np.testing.assert_allclose(ssm.identity_plus_rank_one_power(p, L), reference, rtol=1e-12)
    np.testing.assert_allclose(ssm.identity_plus_rank_one_power(np.zeros(3), L), np.eye(3))


def test_bilinear_matches_scipy_cont2discrete() -> None:
    A, B, C = random_model(3, 1.5, 6)
    A_bar, B_bar = ssm.bilinear_discretize(A, B[:, None], 0.1)
    reference = cont2discrete((A, B[:, None], C[None, :], np.zeros((1, 1))), 0.1, method="bilinear")
    np.testing.assert_allclose(A_bar, reference[0], atol=1e-12)
    np.testing.assert_allclose(B_bar, reference[1], atol=1e-12)


def test_continuous_state_matches_the_closed_form_for_invertible_a() -> None:
    A, B, _ = random_model(3, 1.0, 7)
    A -= 2 * np.eye(3)  # keep it invertible
    t, u = 0.8, 1.7
    closed = np.linalg.solve(A, (expm(A * t) - np.eye(3)) @ B[:, None]) * u
    np.testing.assert_allclose(ssm.continuous_state(A, B, u, t), closed, atol=1e-12)


def test_cost_counts() -> None:
    assert ssm.fft_convolution_cost(1024) == (3 * 1024 * 11 + 2048, 23)
    assert ssm.recurrence_cost(64, 1024) == (1024 * (64 * 64 + 128), 1024)
    for L in range(1, 300):
        N = ssm.fft_size(L)
        assert N >= 2 * L - 1 and (N == 1 or N // 2 < 2 * L - 1) and N & (N - 1) == 0


def test_repeated_squaring_matches_sequential_products_at_l_1000() -> None:
    A, _, _ = ssm.random_stable_model(5, 0.999, 2)
    sequential = np.eye(5)
    for _ in range(1000):
        sequential = sequential @ A
    fast, products = ssm.matrix_power_by_squaring(A, 1000)
    assert products == 14
    assert np.linalg.norm(fast - sequential) <= 1e-10 * np.linalg.norm(sequential)
