"""DPO, IPO and the PsiPO objective against independent references (scipy.special, explicit loops)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from snippets import preferences
from tests.support.strategies import arrays, floats

DETERMINISTIC = settings(max_examples=150, deadline=None, derandomize=True, database=None)


@DETERMINISTIC
@given(floats(-200.0, 200.0), floats(0.01, 5.0))
def test_dpo_loss_is_minus_log_expit(h: float, beta: float) -> None:
    expected = -special.log_expit(beta * h)
    assert preferences.dpo_loss(h, beta) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_dpo_loss_extremes_stay_finite_and_keep_decreasing() -> None:
    h = np.array([-1e4, -50.0, 0.0, 50.0, 1e3])
    values = preferences.dpo_loss(h, 1.0)
    assert np.all(np.isfinite(values))
    assert np.all(np.diff(values) < 0)
    assert values[-1] > 0.0 or values[-1] == pytest.approx(0.0)


@DETERMINISTIC
@given(floats(-100.0, 100.0), floats(0.01, 10.0))
def test_ipo_loss_and_its_minimum(h: float, tau: float) -> None:
    target = 1 / (2 * tau)
    assert preferences.ipo_loss(h, tau) == pytest.approx((h - target) ** 2, rel=1e-12, abs=1e-12)
    assert preferences.ipo_loss(target, tau) == 0.0
    assert preferences.ipo_loss(h, tau) >= 0.0


@DETERMINISTIC
@given(arrays(0.001, 1.0, 4))
def test_log_ratio_difference(p: np.ndarray) -> None:
    pw, pl, rw, rl = p
    expected = np.log((pw * rl) / (pl * rw))
    assert preferences.log_ratio_difference(np.log(pw), np.log(pl), np.log(rw), np.log(rl)) == pytest.approx(
        expected, rel=1e-9, abs=1e-9)


@DETERMINISTIC
@given(st.integers(2, 5).flatmap(lambda n: st.tuples(arrays(-3.0, 3.0, n), arrays(0.01, 1.0, (3, n)))), floats(0.0, 2.0))
def test_psi_po_objective_matches_double_loop(data: tuple[np.ndarray, np.ndarray], tau: float) -> None:
    r, raw = data
    pi, mu, ref = (row / row.sum() for row in raw)
    n = len(r)
    P = special.expit(r[:, None] - r[None, :])
    for psi in (lambda q: q, special.logit):
        total = sum(pi[i] * mu[j] * psi(P[i, j]) for i in range(n) for j in range(n))
        kl = float(np.sum(special.rel_entr(pi, ref)))
        assert preferences.psi_po_objective(pi, mu, P, psi, tau, ref) == pytest.approx(total - tau * kl, rel=1e-9, abs=1e-9)


def test_logit_psi_objective_equals_rlhf_objective_up_to_a_constant() -> None:
    # With psi = logit and Bradley-Terry preferences, J(pi) = E_pi[r] - E_mu[r] - tau KL: RLHF's objective shifted.
    rng = np.random.default_rng(0)
    r = rng.normal(size=4)
    mu, ref = np.full(4, 0.25), np.array([0.1, 0.2, 0.3, 0.4])
    P = special.expit(r[:, None] - r[None, :])
    for pi in (np.array([0.7, 0.1, 0.1, 0.1]), np.array([0.25, 0.25, 0.25, 0.25])):
        rlhf = preferences.kl_regularized_objective(pi, ref, r, beta=0.3)
        assert preferences.psi_po_objective(pi, mu, P, special.logit, 0.3, ref) == pytest.approx(rlhf - mu @ r, rel=1e-9)
