"""µP, spectral-condition and unit-scaled µP snippets: against numpy/scipy (spectral norms, SVD,
Adam's first step), against exact identities (rank-one sign and orthogonal updates), and the width
scalings the pages state; zero gradient entries and rectangular layers included."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import polar

from snippets import mup
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=30, deadline=None, derandomize=True, database=None)


@DETERMINISTIC
@given(st.integers(1, 6), st.integers(1, 6), st.data())
def test_rms_operator_norm_is_rescaled_spectral_norm(m: int, n: int, data: st.DataObject) -> None:
    A = data.draw(arrays(-3.0, 3.0, (m, n)))
    assert mup.rms_operator_norm(A) == pytest.approx(np.sqrt(n / m) * np.linalg.norm(A, 2), rel=1e-9, abs=1e-9)
    x = data.draw(arrays(-3.0, 3.0, n))
    if mup.rms(x) > 1e-100:  # the RMS of a denormal-sized vector underflows to 0
        assert mup.rms(A @ x) / mup.rms(x) <= mup.rms_operator_norm(A) * (1 + 1e-9) + 1e-12


@DETERMINISTIC
@given(arrays(-3.0, 3.0, st.integers(1, 6)), arrays(-3.0, 3.0, st.integers(1, 6)), st.floats(0.01, 2.0))
def test_aligned_sign_update_moves_every_output_by_l1_norm(delta: np.ndarray, x: np.ndarray, lr: float) -> None:
    change = mup.sign_update(mup.linear_loss_gradient(delta, x), lr) @ x
    np.testing.assert_allclose(change, -lr * np.sign(delta) * np.abs(x).sum(), rtol=1e-12, atol=1e-12)


def test_sign_update_of_zero_gradient_entries_is_zero() -> None:
    G = mup.linear_loss_gradient([1.0, 0.0], [2.0, 0.0, -1.0])
    np.testing.assert_array_equal(mup.sign_update(G, 1.0), [[-1.0, -0.0, 1.0], [-0.0, -0.0, -0.0]])
    np.testing.assert_array_equal(mup.adam_first_update(G, 1.0), mup.sign_update(G, 1.0))  # 0/0 -> 0


@DETERMINISTIC
# entries below 1e-100 are set to 0: Adam with eps = 0 squares them, and g^2 underflows to 0
@given(arrays(-5.0, 5.0, (3, 4)).map(lambda G: np.where(np.abs(G) < 1e-100, 0.0, G)), st.floats(1e-3, 1e3))
def test_updates_ignore_the_scale_of_the_gradient(G: np.ndarray, alpha: float) -> None:
    np.testing.assert_array_equal(mup.sign_update(alpha * G, 0.1), mup.sign_update(G, 0.1))
    np.testing.assert_allclose(mup.adam_first_update(alpha * G, 0.1), mup.adam_first_update(G, 0.1), atol=1e-12)
    if np.linalg.matrix_rank(G) == 3:
        np.testing.assert_allclose(mup.muon_update(alpha * G, 0.1), mup.muon_update(G, 0.1), atol=1e-9)


def test_muon_update_is_scipys_polar_factor() -> None:
    G = np.random.default_rng(0).standard_normal((6, 4))
    np.testing.assert_allclose(mup.muon_update(G, 2.0), -2.0 * polar(G)[0], atol=1e-12)


@pytest.mark.parametrize("d_in,d_out", [(4096, 256), (256, 1024), (1000, 7)])
def test_unit_scaled_bounds(d_in: int, d_out: int) -> None:
    rng = np.random.default_rng(1)
    x, delta = rng.standard_normal(d_in), rng.standard_normal(d_out)
    G = mup.linear_loss_gradient(delta, x)
    sign = mup.rms(mup.unit_scaled_output_change(G, x, "sign"))
    muon = mup.rms(mup.unit_scaled_output_change(G, x, "muon"))
    assert sign <= np.sqrt(d_in) * mup.rms(x) * (1 + 1e-12)
    assert sign / (np.sqrt(d_in) * mup.rms(x)) == pytest.approx(np.abs(x).sum() / (np.sqrt(d_in) * np.linalg.norm(x)))
    assert muon == pytest.approx(mup.rms(x) / np.sqrt(d_out), rel=1e-12)


def test_sign_change_matches_sqrt_two_over_pi() -> None:
    ratio = mup.unit_scaled_change_rms(4096, 256, "sign") / np.sqrt(4096)
    assert ratio == pytest.approx(np.sqrt(2 / np.pi), rel=0.03)


def test_init_rms_and_update_slopes() -> None:
    assert mup.init_output_rms(1024, 64, 1.0) / 32 == pytest.approx(1.0, rel=0.03)
    assert mup.init_output_rms(1024, 64, 1 / 1024) == pytest.approx(1.0, rel=0.03)
    widths = [256, 1024, 4096]
    aligned = [mup.rms(mup.aligned_sign_change(d, 256)) for d in widths]
    assert mup.loglog_slope(widths, aligned) == pytest.approx(1.0, abs=0.05)


def test_spectral_init_and_rank_one_update() -> None:
    for n_out, n_in in [(1000, 1000), (1000, 250), (250, 1000)]:
        sigma = mup.spectral_init_std(n_out, n_in)
        assert mup.gaussian_spectral_norm(n_out, n_in, sigma) == pytest.approx(np.sqrt(n_out / n_in), rel=0.05)
    rng = np.random.default_rng(2)
    h, u = rng.standard_normal(30), rng.standard_normal(50)
    dW = mup.rank_one_spectral_update(h, u)
    assert np.linalg.norm(dW, 2) == pytest.approx(np.sqrt(50 / 30), rel=1e-12)
    assert np.linalg.norm(dW @ h) == pytest.approx(np.sqrt(50 / 30) * np.linalg.norm(h), rel=1e-12)


def test_spectral_scaled_update_norm() -> None:
    G = np.random.default_rng(3).standard_normal((40, 10))
    assert np.linalg.norm(mup.spectral_scaled_update(G, 0.3), 2) == pytest.approx(0.3 * 2.0, rel=1e-12)


def test_feature_change_width_scaling() -> None:
    spectral = [mup.feature_change(n, "spectral")[1] for n in (128, 1024)]
    fixed = [mup.feature_change(n, "sign")[1] for n in (128, 1024)]
    assert max(spectral) / min(spectral) < 2
    assert fixed[1] / fixed[0] > 5
    with pytest.raises(ValueError):
        mup.feature_change(64, "sgd")


def test_aligned_sign_change_at_4096_and_adam_equals_sign() -> None:
    change = mup.aligned_sign_change(4096, 64, lr=1.0, seed=0)
    np.testing.assert_allclose(np.abs(change), np.abs(change[0]), rtol=1e-12)
    assert np.abs(change[0]) / 4096 == pytest.approx(np.sqrt(2 / np.pi), rel=0.03)
    assert mup.unit_scaled_change_rms(4096, 256, "adam") == pytest.approx(
        mup.unit_scaled_change_rms(4096, 256, "sign"), rel=1e-12)
