"""Optimizers and solvers: elastic net against scikit-learn, Broyden and BFGS against scipy,
gradient flow against an ODE solver, Adam/AdamW and dropout against their defining properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize
from sklearn.linear_model import ElasticNet

from snippets import dropout, optimizers, quasi_newton, regularization
from tests.support.strategies import arrays, floats, regression_problems

DETERMINISTIC = settings(max_examples=40, deadline=None, derandomize=True, database=None)


# --- Elastic net ---------------------------------------------------------------------


@DETERMINISTIC
@given(arrays(-5.0, 5.0, st.integers(1, 8)), floats(0.0, 5.0), floats(0.0, 1.0))
def test_elastic_net_penalty_is_sklearns(w: np.ndarray, alpha: float, l1_ratio: float) -> None:
    documented = alpha * l1_ratio * np.linalg.norm(w, 1) + 0.5 * alpha * (1 - l1_ratio) * np.linalg.norm(w) ** 2
    assert regularization.elastic_net_penalty(w, alpha, l1_ratio) == pytest.approx(documented, rel=1e-12, abs=1e-12)


@DETERMINISTIC
@given(regression_problems(), floats(0.01, 2.0), floats(0.05, 1.0))  # sklearn's duality gap misjudges l1_ratio ~ 0
def test_elastic_net_cd_matches_sklearn(problem: tuple[np.ndarray, np.ndarray], alpha: float, l1_ratio: float) -> None:
    X, y = problem
    model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    ours = regularization.elastic_net_cd(X, y, alpha, l1_ratio)
    np.testing.assert_allclose(ours, model.coef_, atol=1e-7)
    # both minimize the same objective; ours is never worse than scikit-learn's answer
    assert regularization.elastic_net_objective(X, y, ours, alpha, l1_ratio) <= \
        regularization.elastic_net_objective(X, y, model.coef_, alpha, l1_ratio) + 1e-12


@DETERMINISTIC
@given(regression_problems(), floats(0.01, 2.0))
def test_elastic_net_limits_are_lasso_and_ridge(problem: tuple[np.ndarray, np.ndarray], alpha: float) -> None:
    X, y = problem
    n = X.shape[0]
    np.testing.assert_allclose(regularization.elastic_net_cd(X, y, alpha, 1.0), regularization.lasso_cd(X, y, alpha))
    # (1/2n)||r||^2 + (alpha/2)||w||^2 is ridge with lam = n alpha
    np.testing.assert_allclose(regularization.elastic_net_cd(X, y, alpha, 0.0), regularization.ridge(X, y, n * alpha),
                               atol=1e-9)


def test_elastic_net_shares_weight_between_identical_features_where_lasso_does_not_have_to() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal(50)
    X = np.stack([x, x, rng.standard_normal(50)], axis=1)
    y = 2.0 * x + rng.standard_normal(50) * 0.1
    w = regularization.elastic_net_cd(X, y, 0.1, 0.5)
    assert w[0] == pytest.approx(w[1], rel=1e-9) and w[0] > 0.5


# --- Broyden and Newton ----------------------------------------------------------------


@DETERMINISTIC
@given(arrays(-3.0, 3.0, (3, 3)), arrays(-2.0, 2.0, 3), arrays(-5.0, 5.0, 3))
def test_broyden_update_satisfies_the_secant_condition(J: np.ndarray, s: np.ndarray, dF: np.ndarray) -> None:
    s = s + np.where(s >= 0, 0.5, -0.5)  # a nonzero step
    J_new = quasi_newton.broyden_update(J, s, dF)
    np.testing.assert_allclose(J_new @ s, dF, atol=1e-9)
    orthogonal = np.cross(s, [1.0, 2.0, 3.0])  # orthogonal to s: J acts on it as before
    np.testing.assert_allclose(J_new @ orthogonal, J @ orthogonal, atol=1e-9)


def test_broyden_finds_the_root_scipy_finds() -> None:
    x0 = np.array([1.5, 1.5])
    ours = quasi_newton.broyden(quasi_newton.example_system, x0, tol=1e-12).x
    reference = optimize.root(quasi_newton.example_system, x0, method="broyden1", tol=1e-12)
    assert reference.success
    np.testing.assert_allclose(ours, reference.x, atol=1e-9)
    np.testing.assert_allclose(ours, [1.0, 1.0], atol=1e-10)


@DETERMINISTIC
@given(arrays(-2.0, 2.0, 3))
def test_finite_difference_jacobian_matches_scipy_and_the_exact_one(x: np.ndarray) -> None:
    x2 = x[:2]
    ours = quasi_newton.finite_difference_jacobian(quasi_newton.example_system, x2)
    reference = optimize.approx_fprime(x2, quasi_newton.example_system, 1e-7)
    np.testing.assert_allclose(ours, reference, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(ours, quasi_newton.example_jacobian(x2), rtol=1e-5, atol=1e-4)


def test_solvers_report_failure_instead_of_returning_a_non_root() -> None:
    no_root = lambda x: x**2 + 1.0  # noqa: E731
    with pytest.raises(RuntimeError, match="broyden"):
        quasi_newton.broyden(no_root, [0.5], maxiter=20)
    with pytest.raises(RuntimeError, match="newton"):
        quasi_newton.newton(no_root, lambda x: np.diag(2.0 * x), [0.5], maxiter=20)


def test_broyden_starting_from_the_identity_still_converges() -> None:
    run = quasi_newton.broyden(quasi_newton.example_system, [1.5, 1.5], J0=np.eye(2), tol=1e-12)
    np.testing.assert_allclose(run.x, [1.0, 1.0], atol=1e-10)


# --- BFGS -----------------------------------------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 4), st.data())
def test_bfgs_update_keeps_symmetry_positive_definiteness_and_the_secant_condition(n: int, data: st.DataObject) -> None:
    A = data.draw(arrays(-1.0, 1.0, (n, n)))
    B = A @ A.T + np.eye(n)
    s = data.draw(arrays(-2.0, 2.0, n)) + 0.3
    y = B @ s  # y^T s = s^T B s > 0
    H = quasi_newton.bfgs_update(np.eye(n), s, y)
    np.testing.assert_allclose(H, H.T, atol=1e-12)
    np.testing.assert_allclose(H @ y, s, rtol=1e-8, atol=1e-10)
    assert np.all(np.linalg.eigvalsh(H) > 0)


def test_bfgs_update_refuses_negative_curvature() -> None:
    with pytest.raises(ValueError, match="y\\^T s > 0"):
        quasi_newton.bfgs_update(np.eye(2), [1.0, 0.0], [-1.0, 0.0])


@pytest.mark.parametrize("x0", [[-1.2, 1.0], [2.0, -1.0], [0.0, 0.0]])
def test_bfgs_reaches_scipys_minimizer_of_rosenbrock(x0: list[float]) -> None:
    ours = quasi_newton.bfgs(optimize.rosen, optimize.rosen_der, x0, tol=1e-9)
    reference = optimize.minimize(optimize.rosen, x0, jac=optimize.rosen_der, method="BFGS", options={"gtol": 1e-9})
    np.testing.assert_allclose(ours.x, reference.x, atol=1e-6)
    np.testing.assert_allclose(ours.x, [1.0, 1.0], atol=1e-7)


def test_bfgs_on_a_quadratic_learns_the_inverse_hessian() -> None:
    A = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 2.0]])
    b = np.array([1.0, -2.0, 0.5])
    run = quasi_newton.bfgs(lambda x: 0.5 * x @ A @ x - b @ x, lambda x: A @ x - b, np.zeros(3), tol=1e-10)
    np.testing.assert_allclose(run.x, np.linalg.solve(A, b), atol=1e-9)
    assert len(run.iterates) - 1 <= 10


# --- Gradient descent and gradient flow -------------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 3), st.data(), floats(0.01, 2.0))
def test_quadratic_gradient_flow_matches_an_ode_solver(n: int, data: st.DataObject, t: float) -> None:
    M = data.draw(arrays(-1.0, 1.0, (n, n)))
    A = M @ M.T + 0.5 * np.eye(n)
    theta0 = data.draw(arrays(-3.0, 3.0, n))
    solution = integrate.solve_ivp(lambda _, th: -A @ th, (0.0, t), theta0, rtol=1e-10, atol=1e-12, t_eval=[t])
    np.testing.assert_allclose(optimizers.quadratic_gradient_flow(A, theta0, t), solution.y[:, -1], atol=1e-7)
    np.testing.assert_allclose(optimizers.quadratic_gradient_flow(A, theta0, 0.0), theta0)  # the flow starts at theta_0


def test_gradient_descent_error_to_the_flow_shrinks_with_the_step() -> None:
    A = np.diag([1.0, 5.0])
    theta0 = np.array([1.0, 1.0])
    exact = optimizers.quadratic_gradient_flow(A, theta0, 1.0)
    errors = [np.linalg.norm(optimizers.gradient_descent(lambda th: A @ th, theta0, eta, round(1 / eta))[-1] - exact)
              for eta in (0.04, 0.004)]
    assert errors[1] < errors[0] / 5  # first order: ten times smaller step, about ten times smaller error


# --- Adam and AdamW ------------------------------------------------------------------


@DETERMINISTIC
@given(st.lists(st.tuples(floats(0.1, 5.0), st.booleans()), min_size=1, max_size=15), floats(0.001, 1000.0))
def test_adam_steps_do_not_depend_on_the_gradient_scale(entries: list[tuple[float, bool]], scale: float) -> None:
    grads = np.array([size if positive else -size for size, positive in entries])  # nonzero, so eps = 0 is safe
    plain = optimizers.adam_history(grads, 0.0, lr=0.01, eps=0.0)
    scaled = optimizers.adam_history(scale * grads, 0.0, lr=0.01, eps=0.0)
    np.testing.assert_allclose(scaled.theta, plain.theta, rtol=1e-9, atol=1e-12)


@DETERMINISTIC
@given(arrays(-5.0, 5.0, (6, 2)), floats(0.0, 0.5))
def test_adam_history_and_adam_step_agree(grads: np.ndarray, decay: float) -> None:
    history = optimizers.adam_history(grads, np.array([0.5, -1.0]), lr=0.05, weight_decay=decay)
    w, m, v = np.array([0.5, -1.0]), np.zeros(2), np.zeros(2)
    for t, g in enumerate(grads, start=1):
        w, m, v = optimizers.adamw_step(w, g, m, v, t, lr=0.05, weight_decay=decay)
        np.testing.assert_allclose(history.theta[t], w)
        np.testing.assert_allclose(history.m[t], m)
        np.testing.assert_allclose(history.v[t], v)


def test_adamw_decay_is_the_same_for_every_gradient_scale_but_l2_is_not() -> None:
    decoupled = [optimizers.effective_decay(s, weight_decay=0.01) for s in (0.01, 1.0, 100.0)]
    np.testing.assert_allclose(decoupled, decoupled[0], rtol=1e-6)  # the same for every scale ...
    assert decoupled[0] == pytest.approx(0.01, rel=0.01)  # ... and the coefficient (w shrinks a little over the run)
    l2 = [optimizers.effective_decay(s, l2=0.005) for s in (1.0, 10.0)]
    np.testing.assert_allclose(l2, [0.01, 0.001], rtol=0.2)  # about 2 l2 / scale


# --- Dropout ------------------------------------------------------------------------


def test_inverted_dropout_preserves_the_expectation_and_the_test_time_output() -> None:
    x = np.linspace(-2.0, 3.0, 8)
    outputs = np.array([dropout.dropout(x, 0.3, rng=seed) for seed in range(20_000)])
    np.testing.assert_allclose(outputs.mean(axis=0), x, atol=0.05)
    assert set(np.unique(outputs[:, 1] / x[1]).round(9)) == {0.0, round(1 / 0.7, 9)}
    np.testing.assert_array_equal(dropout.dropout(x, 0.3, training=False), x)


def test_classic_and_inverted_dropout_agree_in_expectation() -> None:
    x = np.array([1.0, -2.0, 4.0])
    classic = np.mean([dropout.dropout_classic(x, 0.8, rng=seed) for seed in range(20_000)], axis=0)
    np.testing.assert_allclose(classic, dropout.dropout_classic(x, 0.8, training=False), atol=0.05)


def test_dropout_edges() -> None:
    x = np.array([1.0, 2.0])
    np.testing.assert_array_equal(dropout.dropout(x, 0.0, rng=0), x)
    with pytest.raises(ValueError, match="p_drop"):
        dropout.dropout(x, 1.0, rng=0)


def test_dropout_masks_keep_units_with_the_keep_probability() -> None:
    r = dropout.dropout_mask(200_000, 0.2, rng=0)
    assert set(np.unique(r).tolist()) == {0.0, 1.0}
    assert r.mean() == pytest.approx(0.8, abs=0.005)
    y = np.arange(1.0, 6.0)
    np.testing.assert_array_equal(dropout.dropout_classic(y, 0.8, mask=[1, 0, 1, 1, 0]), [1.0, 0.0, 3.0, 4.0, 0.0])
