"""Newton–Schulz orthogonalisation against scipy's polar decomposition and numpy's SVD,
including rectangular, rank-deficient and zero matrices, and its flop counts against a loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import polar

from snippets import newton_schulz as ns
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=30, deadline=None, derandomize=True, database=None)


def _well_conditioned(rng: np.random.Generator, m: int, n: int) -> np.ndarray:
    """A matrix with singular values spread in [0.5, 2] and random singular vectors."""
    U, _ = np.linalg.qr(rng.standard_normal((m, min(m, n))))
    V, _ = np.linalg.qr(rng.standard_normal((n, min(m, n))))
    return U @ np.diag(np.linspace(0.5, 2.0, min(m, n))) @ V.T


@pytest.mark.parametrize("shape", [(6, 6), (9, 4), (4, 9), (1, 5), (5, 1)])
def test_cubic_limit_is_scipys_polar_factor(shape: tuple[int, int]) -> None:
    G = _well_conditioned(np.random.default_rng(1), *shape)
    X = ns.newton_schulz(G, steps=40, coeffs=ns.CUBIC, normalize="fro")
    # scipy's polar(G) = (U_p, P) with G = U_p P (side="right"): U_p = U V^T for full rank
    expected, _ = polar(G)
    np.testing.assert_allclose(X, expected, atol=1e-10)


def test_rank_deficient_input_converges_to_the_partial_isometry() -> None:
    rng = np.random.default_rng(2)
    G = rng.standard_normal((8, 2)) @ rng.standard_normal((2, 5))  # rank 2, 8 x 5
    # 30 steps: enough for the non-zero values; rounding-level "zeros" grow by 1.5 per step
    X = ns.newton_schulz(G, steps=30, coeffs=ns.CUBIC)
    U, s, Vt = np.linalg.svd(G, full_matrices=False)
    np.testing.assert_allclose(X, U[:, :2] @ Vt[:2], atol=1e-8)
    np.testing.assert_allclose(np.linalg.svd(X, compute_uv=False), [1, 1, 0, 0, 0], atol=1e-8)
    np.testing.assert_allclose(ns.polar_factor(G), X, atol=1e-8)
    # ... and given enough steps the rounding errors are orthogonalised too
    assert np.linalg.svd(ns.newton_schulz(G, steps=120, coeffs=ns.CUBIC), compute_uv=False).min() > 0.99
    # scipy's factor is a full isometry here (it must pick directions for the null space): not ours
    assert np.linalg.norm(polar(G)[0] - X) > 0.5


def test_zero_matrix_stays_zero() -> None:
    np.testing.assert_array_equal(ns.newton_schulz(np.zeros((3, 4))), np.zeros((3, 4)))


@DETERMINISTIC
@given(st.integers(1, 6), st.integers(1, 6), st.data())
def test_one_step_is_the_polynomial_of_the_singular_values(m: int, n: int, data: st.DataObject) -> None:
    X = data.draw(arrays(-1.0, 1.0, (m, n)))
    coeffs = data.draw(st.sampled_from([ns.CUBIC, ns.MUON_QUINTIC, (0.3, 2.0, -1.0)]))
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    np.testing.assert_allclose(ns.ns_step(X, coeffs), U @ np.diag(ns.ns_polynomial(s, coeffs)) @ Vt, atol=1e-10)


def test_tall_and_wide_forms_are_the_same_matrix() -> None:
    X = np.random.default_rng(3).standard_normal((7, 3)) / 5
    a, b, c = ns.MUON_QUINTIC
    left = a * X + b * (X @ X.T) @ X + c * np.linalg.matrix_power(X @ X.T, 2) @ X
    np.testing.assert_allclose(ns.ns_step(X, ns.MUON_QUINTIC), left, atol=1e-12)
    np.testing.assert_allclose(ns.ns_step(X.T, ns.MUON_QUINTIC), left.T, atol=1e-12)


def test_quintic_band_after_five_steps_and_square_exception() -> None:
    for shape in [(256, 128), (128, 512)]:
        low, high = ns.quintic_band(shape)
        assert 0.65 < low < 0.7 and 1.1 < high < 1.15
    assert ns.quintic_band((256, 256))[0] < 0.2  # a tiny smallest singular value is not lifted in 5 steps


def test_quintic_is_not_a_converger() -> None:
    G = np.random.default_rng(4).standard_normal((64, 32))
    s = np.linalg.svd(ns.newton_schulz(G, steps=50), compute_uv=False)
    assert s.max() - s.min() > 0.3  # still in the band, never at 1


def _loop_matmul_flops(m: int, p: int, n: int) -> int:
    flops = 0
    for _ in range(m * n):
        flops += p + (p - 1)  # p products summed with p - 1 additions
    return flops


@pytest.mark.parametrize("m,p,n", [(1, 1, 1), (2, 3, 4), (5, 1, 7), (8, 8, 2)])
def test_matmul_flops_matches_loop(m: int, p: int, n: int) -> None:
    assert ns.matmul_flops(m, p, n) == _loop_matmul_flops(m, p, n)


def test_step_flops_leading_order_and_side_ratio() -> None:
    m, n = 64, 1024
    assert ns.ns_step_flops(m, n) / (4 * m * m * n + 2 * m**3) == pytest.approx(1.0, rel=0.02)
    assert ns.ns_step_flops(m, n, quintic=False) / (4 * m * m * n) == pytest.approx(1.0, rel=0.02)
    assert ns.ns_step_flops(512, 4096, quintic=False) / ns.ns_step_flops(4096, 512, quintic=False) == \
        pytest.approx(1 / 8, rel=0.01)


def test_thirty_cubic_steps_on_a_gaussian_matrix_reach_the_polar_factor() -> None:
    G = np.random.default_rng(0).standard_normal((256, 128))
    X = ns.newton_schulz(G, steps=30, coeffs=ns.CUBIC, normalize="2")
    assert np.linalg.norm(X - polar(G)[0]) < 1e-8
    assert np.abs(np.linalg.svd(X, compute_uv=False) - 1).max() < 1e-12
    assert ns.quintic_singular_values((256, 128)).min() == pytest.approx(ns.quintic_band((256, 128))[0])
