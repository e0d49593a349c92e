"""Steepest-descent directions against numerical optimisation with scipy: a linear program over
the box (sign descent), a constrained minimisation over the Euclidean ball (gradient descent), and
a search over orthogonal matrices (the spectral norm, Muon); zero gradient entries included."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from scipy.linalg import expm

from snippets import steepest_descent as sd
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=25, deadline=None, derandomize=True, database=None)


@DETERMINISTIC
@given(arrays(-5.0, 5.0, st.integers(1, 10)))
def test_sign_descent_is_the_linear_program_optimum(g: np.ndarray) -> None:
    result = optimize.linprog(g, bounds=[(-1, 1)] * g.size, method="highs")
    ours = sd.steepest_direction(g, "linf")
    # HiGHS works to about 1e-7 on the objective (it may pick the wrong corner for |g_i| ~ 1e-8)
    assert result.fun == pytest.approx(-np.abs(g).sum(), abs=1e-6)
    assert sd.linear_on_ball(g, ours) == pytest.approx(result.fun, abs=1e-6)
    assert sd.linear_on_ball(g, ours) == pytest.approx(-sd.dual_norm(g, "linf"), abs=1e-12)
    # where g_i != 0 the optimum is unique, so the LP must agree entry by entry (entries the
    # LP solver's own tolerance treats as zero, |g_i| < 1e-6, are as free as exact zeros)
    nonzero = np.abs(g) > 1e-6
    np.testing.assert_allclose(result.x[nonzero], ours[nonzero], atol=1e-9)


def test_sign_descent_with_zero_entries_is_optimal_but_not_unique() -> None:
    g = np.array([2.0, 0.0, -1.0, 0.0])
    d = sd.steepest_direction(g, "linf")
    np.testing.assert_array_equal(d, [-1.0, 0.0, 1.0, 0.0])
    other = d.copy()
    other[[1, 3]] = [1.0, -0.4]  # any value in [-1, 1] on the zero entries is as good
    assert sd.linear_on_ball(g, other) == sd.linear_on_ball(g, d) == -3.0


@DETERMINISTIC
@given(arrays(-5.0, 5.0, st.integers(1, 6)).filter(lambda g: np.linalg.norm(g) > 0.1))
def test_l2_direction_is_the_constrained_minimum(g: np.ndarray) -> None:
    constraint = optimize.NonlinearConstraint(lambda d: d @ d, -np.inf, 1.0, jac=lambda d: 2 * d)
    start = np.full(g.size, 0.1 / np.sqrt(g.size))
    result = optimize.minimize(lambda d: g @ d, start, jac=lambda d: g, constraints=[constraint],
                               method="SLSQP", options={"ftol": 1e-14, "maxiter": 500})
    np.testing.assert_allclose(result.x, sd.steepest_direction(g, "l2"), atol=1e-6)
    assert result.fun == pytest.approx(-sd.dual_norm(g, "l2"), abs=1e-6)  # SLSQP may overstep the ball by ~1e-8


def test_zero_gradient_gives_zero_step() -> None:
    for norm, g in (("l2", np.zeros(3)), ("linf", np.zeros(3)), ("spectral", np.zeros((2, 3)))):
        np.testing.assert_array_equal(sd.steepest_direction(g, norm), np.zeros_like(g))
        assert sd.dual_norm(g, norm) == 0.0


def test_unknown_norm_is_an_error() -> None:
    with pytest.raises(ValueError):
        sd.steepest_direction([1.0], "l1")


def _best_orthogonal(G: np.ndarray, starts: int, rng: np.random.Generator) -> float:
    """min tr(G^T Q) over orthogonal Q = R expm(S - S^T), R = I or a reflection, by BFGS from random starts."""
    n = G.shape[0]
    iu = np.triu_indices(n, 1)
    best = np.inf
    for k in range(starts):
        R = np.eye(n)
        if k % 2:
            R[0, 0] = -1.0  # the other connected component of O(n)

        def objective(params: np.ndarray) -> float:
            S = np.zeros((n, n))
            S[iu] = params
            return float(np.sum(G * (R @ expm(S - S.T))))

        result = optimize.minimize(objective, rng.standard_normal(len(iu[0])), method="BFGS",
                                   options={"gtol": 1e-10})
        best = min(best, result.fun)
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_spectral_direction_beats_every_orthogonal_matrix(seed: int) -> None:
    rng = np.random.default_rng(seed)
    G = rng.standard_normal((4, 4))
    ours = sd.linear_on_ball(G, sd.steepest_direction(G, "spectral"))
    assert ours == pytest.approx(-sd.dual_norm(G, "spectral"), rel=1e-12)
    assert ours == pytest.approx(-np.linalg.svd(G, compute_uv=False).sum(), rel=1e-12)
    searched = _best_orthogonal(G, starts=6, rng=rng)
    assert searched >= ours - 1e-9  # nothing on the ball does better ...
    assert searched == pytest.approx(ours, abs=1e-6)  # ... and the search finds the same value


def test_spectral_direction_has_unit_spectral_norm_and_random_matrices_do_worse() -> None:
    rng = np.random.default_rng(5)
    G = rng.standard_normal((5, 3))
    D = sd.steepest_direction(G, "spectral")
    assert np.linalg.norm(D, 2) == pytest.approx(1.0, rel=1e-12)
    best = sd.linear_on_ball(G, D)
    for _ in range(200):
        E = rng.standard_normal((5, 3))
        E /= np.linalg.norm(E, 2)
        assert sd.linear_on_ball(G, E) >= best - 1e-12


def test_rank_deficient_spectral_direction() -> None:
    G = np.outer([1.0, 2.0, 2.0], [3.0, 4.0])  # rank one
    D = sd.steepest_direction(G, "spectral")
    np.testing.assert_allclose(D, -np.outer([1, 2, 2], [3, 4]) / 15.0, atol=1e-12)
    assert sd.linear_on_ball(G, D) == pytest.approx(-15.0)


@DETERMINISTIC
@given(arrays(-5.0, 5.0, st.integers(1, 6)), st.floats(0.01, 2.0))
def test_penalised_steps(g: np.ndarray, lr: float) -> None:
    np.testing.assert_allclose(sd.penalised_step(g, lr, "l2"), -lr * g, atol=1e-12)
    np.testing.assert_allclose(sd.penalised_step(g, lr, "linf"), -lr * np.abs(g).sum() * np.sign(g), atol=1e-12)


def test_brute_force_balls() -> None:
    points = sd.circle_points(1000)
    np.testing.assert_allclose(np.linalg.norm(points, axis=1), 1.0)
    corners = sd.cube_vertices(3)
    assert corners.shape == (8, 3) and len({tuple(c) for c in corners}) == 8
