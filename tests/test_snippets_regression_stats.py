"""Regularization, eigenvectors, losses, high-dimensional geometry and the binomial test:
the snippets agree with numpy/scipy or with brute-force and closed-form references."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import optimize, spatial, special, stats

from snippets import geometry, hypothesis_tests, linear_algebra, losses, regularization
from tests.support.strategies import arrays as vectors, floats, regression_problems

DETERMINISTIC = settings(max_examples=100, deadline=None, derandomize=True, database=None)


def lasso_reference(X: np.ndarray, y: np.ndarray, alpha: float) -> np.ndarray:
    """Brute-force lasso: split w = u - v with u, v >= 0, a smooth bound-constrained problem."""
    n, p = X.shape

    def objective(z: np.ndarray) -> tuple[float, np.ndarray]:
        w = z[:p] - z[p:]
        r = X @ w - y
        grad_w = X.T @ r / n
        return float(r @ r / (2 * n) + alpha * z.sum()), np.concatenate([grad_w + alpha, -grad_w + alpha])

    result = optimize.minimize(objective, np.zeros(2 * p), jac=True, method="L-BFGS-B",
                               bounds=[(0, None)] * (2 * p), options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000})
    return result.x[:p] - result.x[p:]


# --- Penalties and soft-thresholding ---------------------------------------------


@DETERMINISTIC
@given(vectors(-10.0, 10.0, st.integers(1, 8)), floats(0.0, 5.0))
def test_penalties_match_numpy_norms(w: np.ndarray, lam: float) -> None:
    assert regularization.l1_penalty(w, lam) == pytest.approx(lam * np.linalg.norm(w, 1), rel=1e-12, abs=1e-12)
    assert regularization.l2_penalty(w, lam) == pytest.approx(lam * np.linalg.norm(w) ** 2, rel=1e-12, abs=1e-12)


@DETERMINISTIC
@given(floats(-5.0, 5.0), floats(0.0, 3.0))
def test_soft_threshold_is_the_proximal_step_of_the_l1_norm(v: float, t: float) -> None:
    # brute force: minimize (w - v)^2 / 2 + t |w| numerically
    reference = optimize.minimize_scalar(lambda w: 0.5 * (w - v) ** 2 + t * abs(w), bounds=(-6, 6),
                                         method="bounded", options={"xatol": 1e-10}).x
    assert regularization.soft_threshold(v, t) == pytest.approx(reference, abs=1e-6)


def test_soft_threshold_gives_exact_zeros_and_keeps_shape() -> None:
    out = regularization.soft_threshold(np.array([[0.5, -0.5], [2.0, -3.0]]), 1.0)
    assert out.shape == (2, 2)
    assert np.array_equal(out, [[0.0, 0.0], [1.0, -2.0]])
    assert not np.signbit(out[0]).any()


# --- Lasso --------------------------------------------------------------------------


@DETERMINISTIC
@given(regression_problems(), floats(0.0, 3.0))
def test_lasso_cd_matches_a_bound_constrained_reference(problem: tuple[np.ndarray, np.ndarray], alpha: float) -> None:
    X, y = problem
    w = regularization.lasso_cd(X, y, alpha)
    reference = lasso_reference(X, y, alpha)
    # the objective is what both minimize; coordinate descent is never worse
    assert regularization.lasso_objective(X, y, w, alpha) <= regularization.lasso_objective(X, y, reference, alpha) + 1e-10
    np.testing.assert_allclose(w, reference, atol=1e-5)


@DETERMINISTIC
@given(regression_problems(), floats(0.01, 3.0))
def test_lasso_cd_satisfies_the_optimality_conditions(problem: tuple[np.ndarray, np.ndarray], alpha: float) -> None:
    X, y = problem
    n = X.shape[0]
    w = regularization.lasso_cd(X, y, alpha)
    correlation = X.T @ (y - X @ w) / n
    active = w != 0
    np.testing.assert_allclose(correlation[active], alpha * np.sign(w[active]), atol=1e-9)
    assert np.all(np.abs(correlation[~active]) <= alpha + 1e-9)


@DETERMINISTIC
@given(st.integers(1, 5), st.integers(0, 6), st.data(), floats(0.0, 2.0))
def test_lasso_with_orthogonal_design_soft_thresholds_least_squares(p: int, extra: int, data: st.DataObject,
                                                                    alpha: float) -> None:
    n = p + extra
    A = data.draw(vectors(-1.0, 1.0, (n, p)))
    Q = np.linalg.qr(A)[0]  # orthonormal columns, whatever A is
    y = data.draw(vectors(-5.0, 5.0, n))
    ols = np.linalg.lstsq(Q, y, rcond=None)[0]
    # X^T X = I: threshold n alpha (scikit-learn's 1/(2n) scaling) ...
    np.testing.assert_allclose(regularization.lasso_cd(Q, y, alpha), regularization.soft_threshold(ols, n * alpha),
                               atol=1e-10)
    # ... and X^T X = n I: threshold alpha
    X = np.sqrt(n) * Q
    ols = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(regularization.lasso_cd(X, y, alpha), regularization.soft_threshold(ols, alpha),
                               atol=1e-10)


@DETERMINISTIC
@given(regression_problems())
def test_lasso_without_penalty_is_least_squares(problem: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = problem
    np.testing.assert_allclose(regularization.lasso_cd(X, y, 0.0), np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-8)


def test_lasso_zero_column_and_large_penalty() -> None:
    X = np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 0.0]])
    y = np.array([1.0, 2.0, 3.5])
    assert regularization.lasso_cd(X, y, 0.1)[1] == 0.0
    alpha_max = np.max(np.abs(X.T @ y)) / X.shape[0]  # the smallest alpha that zeroes everything
    assert np.all(regularization.lasso_cd(X, y, alpha_max) == 0.0)
    assert regularization.lasso_cd(X, y, 0.99 * alpha_max)[0] > 0.0


@DETERMINISTIC
@given(regression_problems(), vectors(-3.0, 3.0, 4))
def test_coordinate_targets_match_their_definition(problem: tuple[np.ndarray, np.ndarray], w_full: np.ndarray) -> None:
    X, y = problem
    n, p = X.shape
    w = w_full[:p]
    expected = [X[:, j] @ (y - X @ w + X[:, j] * w[j]) / n for j in range(p)]
    np.testing.assert_allclose(regularization.coordinate_targets(X, y, w), expected, atol=1e-10)


def test_lasso_path_warm_starts_agree_with_cold_starts() -> None:
    X, y = regularization.path_data()
    alphas = np.array([2.0, 0.5, 0.1, 0.01])
    path = regularization.coefficient_paths(X, y, alphas, "lasso")
    cold = np.array([regularization.lasso_cd(X, y, a) for a in alphas])
    np.testing.assert_allclose(path, cold, atol=1e-9)
    assert np.count_nonzero(path[0]) < np.count_nonzero(path[-1])  # fewer features at larger penalty
    with pytest.raises(ValueError):
        regularization.coefficient_paths(X, y, alphas, "elastic")


# --- Ridge --------------------------------------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 6), st.integers(1, 6), st.data(), floats(1e-3, 100.0))
def test_ridge_matches_lstsq_on_the_augmented_system(n: int, p: int, data: st.DataObject, lam: float) -> None:
    X = data.draw(vectors(-3.0, 3.0, (n, p)))
    y = data.draw(vectors(-5.0, 5.0, n))
    X_aug, y_aug = regularization.ridge_augmented(X, y, lam)
    reference = np.linalg.lstsq(X_aug, y_aug, rcond=None)[0]
    np.testing.assert_allclose(regularization.ridge(X, y, lam), reference, rtol=1e-7, atol=1e-9)


@DETERMINISTIC
@given(st.integers(1, 6), st.integers(1, 6), st.data(), floats(1e-2, 100.0))
def test_ridge_matches_the_svd_shrinkage_formula(n: int, p: int, data: st.DataObject, lam: float) -> None:
    X = data.draw(vectors(-3.0, 3.0, (n, p)))
    y = data.draw(vectors(-5.0, 5.0, n))
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    reference = Vt.T @ (s / (s**2 + lam) * (U.T @ y))
    np.testing.assert_allclose(regularization.ridge(X, y, lam), reference, rtol=1e-7, atol=1e-9)


@DETERMINISTIC
@given(st.integers(1, 6), st.integers(1, 6), st.data(), floats(1e-2, 100.0))
def test_ridge_minimizes_its_objective(n: int, p: int, data: st.DataObject, lam: float) -> None:
    X = data.draw(vectors(-3.0, 3.0, (n, p)))
    y = data.draw(vectors(-5.0, 5.0, n))
    direction = data.draw(vectors(-1.0, 1.0, p))
    w = regularization.ridge(X, y, lam)
    gradient = 2 * X.T @ (X @ w - y) + 2 * lam * w
    np.testing.assert_allclose(gradient, 0.0, atol=1e-8)
    assert regularization.ridge_objective(X, y, w, lam) <= regularization.ridge_objective(X, y, w + direction, lam) + 1e-9


def test_ridge_handles_more_features_than_samples() -> None:
    X = np.array([[1.0, 2.0, 3.0]])  # X^T X is singular; lam > 0 makes the system solvable
    w = regularization.ridge(X, [6.0], lam=1.0)
    np.testing.assert_allclose(w, X[0] * 6.0 / (X[0] @ X[0] + 1.0))


# --- Optimizer steps: L2 penalty versus weight decay --------------------------------


@DETERMINISTIC
@given(vectors(-5.0, 5.0, 4), vectors(-5.0, 5.0, 4), floats(1e-4, 0.5), floats(0.0, 1.0))
def test_l2_penalty_equals_weight_decay_for_plain_sgd(w: np.ndarray, g: np.ndarray, lr: float, lam: float) -> None:
    np.testing.assert_allclose(regularization.sgd_step(w, g, lr, l2=lam),
                               regularization.sgd_step(w, g, lr, weight_decay=2 * lam), rtol=1e-12, atol=1e-12)


def test_adam_step_matches_a_written_out_reference() -> None:
    rng = np.random.default_rng(0)
    w = rng.standard_normal(3)
    m = v = np.zeros(3)
    ref_w, ref_m, ref_v = w.copy(), np.zeros(3), np.zeros(3)
    for t in range(1, 6):
        g = rng.standard_normal(3)
        w, m, v = regularization.adam_step(w, g, m, v, t, lr=0.01, weight_decay=0.1)
        ref_m = 0.9 * ref_m + 0.1 * g
        ref_v = 0.999 * ref_v + 0.001 * g * g
        step = (ref_m / (1 - 0.9**t)) / (np.sqrt(ref_v / (1 - 0.999**t)) + 1e-8)
        ref_w = ref_w - 0.01 * step - 0.01 * 0.1 * ref_w
        np.testing.assert_allclose(w, ref_w, rtol=1e-12)


def test_l2_penalty_is_not_weight_decay_for_adam() -> None:
    w = np.array([1.0, 1.0])
    g = np.array([0.0, 10.0])  # the second weight has a large data gradient
    zeros = np.zeros(2)
    lr, lam = 0.01, 0.05
    with_l2 = regularization.adam_step(w, g, zeros, zeros, 1, lr, l2=lam)[0]
    decoupled = regularization.adam_step(w, g, zeros, zeros, 1, lr, weight_decay=2 * lam)[0]
    assert not np.allclose(with_l2, decoupled)
    # AdamW shrinks both weights by the same lr * weight_decay * w on top of the Adam step
    plain = regularization.adam_step(w, g, zeros, zeros, 1, lr)[0]
    np.testing.assert_allclose(plain - decoupled, lr * 2 * lam * w)


# --- Eigenvalues ----------------------------------------------------------------------


@st.composite
def dominant_matrices(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(1, 5))
    P = draw(vectors(-1.0, 1.0, (n, n))) + (n + 1.0) * np.eye(n)
    others = draw(vectors(-1.0, 1.0, n))
    top = draw(st.sampled_from([-3.0, 3.0]))
    return P @ np.diag(np.concatenate([[top], others[1:]])) @ np.linalg.inv(P)


@DETERMINISTIC
@given(dominant_matrices())
def test_power_iteration_matches_numpy_eig(A: np.ndarray) -> None:
    lam, v = linear_algebra.power_iteration(A)
    values, vectors_ = np.linalg.eig(A)
    k = np.argmax(np.abs(values))
    assert lam == pytest.approx(values[k].real, rel=1e-9)
    reference = vectors_[:, k].real / np.linalg.norm(vectors_[:, k].real)
    assert abs(abs(v @ reference) - 1.0) < 1e-9  # the same direction, up to sign
    assert np.linalg.norm(v) == pytest.approx(1.0)


@DETERMINISTIC
@given(dominant_matrices(), vectors(0.5, 2.0, 5))
def test_power_iteration_step_and_rayleigh_quotient(A: np.ndarray, v_full: np.ndarray) -> None:
    v = v_full[: A.shape[0]]
    step = linear_algebra.power_iteration_step(A, v)
    np.testing.assert_allclose(step * np.linalg.norm(A @ v), A @ v, rtol=1e-12, atol=1e-12)
    assert linear_algebra.rayleigh_quotient(A, v) == pytest.approx(v @ A @ v / (v @ v), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(("A", "count"), [
    (np.zeros((3, 3)), 3),
    (np.ones((3, 3)), 3),  # rank 1, three independent eigenvectors
    (np.array([[2.0, 1.0, 0.0], [0.0, 2.0, 1.0], [0.0, 0.0, 2.0]]), 1),  # one Jordan block
    (np.diag([1.0, 1.0, 5.0]), 3),
    (np.array([[0.0, -1.0], [1.0, 0.0]]), 0),
    (np.array([[1.0, 1.0], [0.0, 1.0]]), 1),
])
def test_independent_eigenvector_count(A: np.ndarray, count: int) -> None:
    assert linear_algebra.independent_eigenvector_count(A) == count
    assert count <= A.shape[0]


@DETERMINISTIC
@given(hnp.arrays(np.float64, (3, 3), elements=st.integers(-3, 3).map(float)))
def test_independent_eigenvector_count_never_exceeds_n(A: np.ndarray) -> None:
    count = linear_algebra.independent_eigenvector_count(A)
    assert 0 <= count <= 3
    values = np.linalg.eigvals(A)
    if np.all(np.abs(values.imag) < 1e-9) and len(np.unique(np.round(values.real, 6))) == 3:
        assert count == 3  # distinct real eigenvalues: diagonalizable over the reals


# --- Losses ------------------------------------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 10), st.data())
def test_mse_and_gaussian_nll_match_numpy_and_scipy(n: int, data: st.DataObject) -> None:
    y = data.draw(vectors(-1e3, 1e3, n))
    y_hat = data.draw(vectors(-1e3, 1e3, n))
    sigma = data.draw(floats(0.1, 10.0))
    np.testing.assert_allclose(losses.squared_error(y, y_hat), np.square(np.subtract(y, y_hat)), rtol=1e-12)
    assert losses.mse(y, y_hat) == pytest.approx(np.mean((y - y_hat) ** 2), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(losses.gaussian_nll(y, y_hat, sigma), -stats.norm.logpdf(y, loc=y_hat, scale=sigma),
                               rtol=1e-10, atol=1e-10)


def test_mse_averages_over_the_last_axis() -> None:
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(losses.mse(y, np.zeros_like(y)), [2.5, 12.5])


@DETERMINISTIC
@given(floats(-20.0, 20.0))
def test_sigmoid_output_gradients_match_finite_differences(z: float) -> None:
    h = 1e-6

    def ce(x: float) -> float:
        return float(-np.log(special.expit(x)))

    def se(x: float) -> float:
        return float((1.0 - special.expit(x)) ** 2)

    grad_ce, grad_se = losses.sigmoid_output_gradients(z)
    assert grad_ce == pytest.approx((ce(z + h) - ce(z - h)) / (2 * h), abs=1e-7)
    assert grad_se == pytest.approx((se(z + h) - se(z - h)) / (2 * h), abs=1e-7)


# --- Geometry ----------------------------------------------------------------------


@pytest.mark.parametrize("d", [1, 2, 3, 4, 7, 20, 60])
def test_ball_volume_and_ratio_match_scipy_gamma(d: int) -> None:
    volume = np.pi ** (d / 2) / special.gamma(d / 2 + 1)
    assert geometry.ball_volume(d) == pytest.approx(volume, rel=1e-12)
    assert geometry.ball_volume(d, 0.7) == pytest.approx(volume * 0.7**d, rel=1e-12)
    assert geometry.ball_to_cube_ratio(d) == pytest.approx(volume / 2.0**d, rel=1e-12)


def test_ball_volume_recursion_and_large_d() -> None:
    d = np.arange(3, 200)
    np.testing.assert_allclose(geometry.ball_volume(d), 2 * np.pi / d * geometry.ball_volume(d - 2), rtol=1e-10)
    ratio = geometry.ball_to_cube_ratio(np.arange(1, 300))  # down to about 1e-300, no overflow on the way
    assert np.all(ratio > 0) and np.all(np.diff(ratio) < 0)


@DETERMINISTIC
@given(st.integers(2, 12), st.integers(1, 6), st.data())
def test_pairwise_distances_match_scipy_pdist(n: int, d: int, data: st.DataObject) -> None:
    points = data.draw(vectors(-10.0, 10.0, (n, d)))
    np.testing.assert_allclose(geometry.pairwise_distances(points), spatial.distance.pdist(points), rtol=1e-12,
                               atol=1e-12)


def test_distance_contrast_shrinks_with_dimension() -> None:
    contrasts = [np.median([geometry.distance_contrast(50, d, rng) for _ in range(5)])
                 for d, rng in ((2, 0), (20, 1), (200, 2), (2000, 3))]
    assert all(a > b for a, b in zip(contrasts, contrasts[1:]))


@pytest.mark.parametrize("d", [1, 10, 300])
def test_squared_distance_moments(d: int) -> None:
    mean, sd = geometry.squared_distance_stats(d, 40_000, rng=d)
    assert mean == pytest.approx(d / 6, rel=0.02)
    assert sd == pytest.approx(np.sqrt(7 * d / 180), rel=0.03)


# --- Binomial test -------------------------------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 40), st.data(), st.sampled_from(["two-sided", "greater", "less"]))
def test_binomial_pvalue_matches_scipy_binomtest(n: int, data: st.DataObject, alternative: str) -> None:
    k = data.draw(st.integers(0, n))
    p0 = data.draw(st.one_of(st.sampled_from([0.5, 0.25, 0.75, 1 / 3, 0.1]), floats(0.01, 0.99)))
    expected = stats.binomtest(k, n, p0, alternative=alternative).pvalue
    assert hypothesis_tests.binomial_test_pvalue(k, n, p0, alternative) == pytest.approx(expected, rel=1e-9, abs=1e-14)


def test_binomial_pvalue_ties_and_errors() -> None:
    # a fair coin: k and n - k are equally likely, so both tails count
    assert hypothesis_tests.binomial_test_pvalue(3, 10, 0.5) == pytest.approx(2 * stats.binom.cdf(3, 10, 0.5))
    # p0 = 1/4, n = 3: P(0) = P(1) = 27/64 on paper; the observed 0 includes outcome 1
    assert hypothesis_tests.binomial_test_pvalue(0, 3, 0.25) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        hypothesis_tests.binomial_test_pvalue(5, 4, 0.5)
    with pytest.raises(ValueError):
        hypothesis_tests.binomial_test_pvalue(1, 4, 0.5, alternative="bigger")


@DETERMINISTIC
@given(st.integers(1, 40), floats(0.05, 0.95), floats(0.001, 0.5))
def test_rejection_rate_never_exceeds_the_level(n: int, p0: float, level: float) -> None:
    rate = hypothesis_tests.rejection_rate(n, p0, level)
    assert 0.0 <= rate <= level + 1e-12
    # the same sum, with scipy's p-values and pmf (skip levels that equal a p-value to rounding)
    pvalues = np.array([stats.binomtest(k, n, p0).pvalue for k in range(n + 1)])
    assume(np.all(np.abs(pvalues - level) > 1e-9 * level))
    pmf = stats.binom.pmf(np.arange(n + 1), n, p0)
    rejected = pvalues <= level
    assert rate == pytest.approx(pmf[rejected].sum(), abs=1e-12)


# --- Figures -------------------------------------------------------------------------


@pytest.mark.parametrize("figure", [
    regularization.constraint_shapes, regularization.regularization_paths, linear_algebra.eigen_directions,
    losses.loss_vs_true_class_probability, geometry.dimensionality_curse, hypothesis_tests.binomial_pvalue_regions,
])
def test_figures_draw(figure) -> None:  # noqa: ANN001
    fig = figure()
    assert len(fig.axes) >= 2
    assert all(ax.has_data() for ax in fig.axes)
