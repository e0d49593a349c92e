"""The snippets against trusted libraries on edge cases, and the fixes from the expert review.

References: sympy (exact integers and exact eigen-structure), scipy, numpy and
scikit-learn. Edge cases: zeros, ties, length 0 and 1, huge and tiny
magnitudes, defective matrices, parameters outside the domain.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import special, stats
from sklearn.linear_model import Lasso, Ridge
from sklearn.metrics import accuracy_score, mean_squared_error

from snippets import (activations, averages, distributions, information, linear_algebra, losses, probability,
                      regularization, sequence_labeling)
from tests.support.strategies import arrays as vectors, floats

DETERMINISTIC = settings(max_examples=150, deadline=None, derandomize=True, database=None)
FEW = settings(max_examples=60, deadline=None, derandomize=True, database=None)


# --- Eigenvectors: exact counts from sympy --------------------------------------------


def exact_eigenvector_count(A: np.ndarray) -> int:
    """Independent real eigenvectors of an integer matrix, in exact rational arithmetic.

    For each irreducible factor f of the characteristic polynomial, f(A) has
    kernel dimension deg(f) times the geometric multiplicity shared by all
    roots of f (they are Galois conjugates, and the linear factors of f are
    coprime); only the real roots count.
    """
    M = sympy.Matrix(np.asarray(A, dtype=np.int64).tolist())
    n = M.shape[0]
    lam = sympy.Symbol("lam")
    total = 0
    for factor, _ in sympy.factor_list(M.charpoly(lam).as_expr(), lam)[1]:
        poly = sympy.Poly(factor, lam)
        real_roots = sympy.count_roots(poly)
        if real_roots == 0:
            continue
        f_of_A = sympy.zeros(n, n)
        for c in poly.all_coeffs():  # Horner's rule
            f_of_A = f_of_A * M + c * sympy.eye(n)
        total += real_roots * (n - f_of_A.rank()) // poly.degree()
    return total


def test_exact_reference_agrees_with_sympy_eigenvects() -> None:
    for A in ([[1, -1], [4, 5]], [[2, -2, -1], [1, -1, -1], [1, -1, 1]], [[0, -1], [1, 0]], [[2, 0], [0, 2]],
              [[1, 2, 0], [0, 1, 0], [0, 0, 3]]):
        M = sympy.Matrix(A)
        expected = sum(len(vectors_) for value, _, vectors_ in M.eigenvects() if value.is_real)
        assert exact_eigenvector_count(np.array(A)) == expected


@pytest.mark.parametrize(("A", "count"), [
    ([[1.0, -1.0], [4.0, 5.0]], 1),  # double eigenvalue 3, one eigenvector: numpy splits it into 3 +- 3e-8 i
    ([[2.0, -2.0, -1.0], [1.0, -1.0, -1.0], [1.0, -1.0, 1.0]], 2),  # eigenvalues 0 and 1 (double, defective)
])
def test_independent_eigenvector_count_of_defective_non_triangular_matrices(A: list, count: int) -> None:
    assert exact_eigenvector_count(np.array(A)) == count
    assert linear_algebra.independent_eigenvector_count(A) == count


@FEW
@given(st.integers(1, 4).flatmap(lambda n: hnp.arrays(np.int64, (n, n), elements=st.integers(-3, 3))))
def test_independent_eigenvector_count_matches_exact_arithmetic(A: np.ndarray) -> None:
    assert linear_algebra.independent_eigenvector_count(A.astype(np.float64)) == exact_eigenvector_count(A)


@st.composite
def similar_to_jordan_forms(draw: st.DrawFn) -> np.ndarray:
    """P J P^-1 with J in Jordan form and P a unimodular integer matrix, so that the result has integer entries."""
    n = draw(st.integers(2, 5))
    sizes: list[int] = []
    while sum(sizes) < n:
        sizes.append(draw(st.integers(1, n - sum(sizes))))
    J = np.zeros((n, n), dtype=np.int64)
    start = 0
    for size in sizes:
        value = draw(st.integers(-3, 3))
        for i in range(start, start + size):
            J[i, i] = value
            if i + 1 < start + size:
                J[i, i + 1] = 1
        start += size
    P = np.eye(n, dtype=np.int64)
    for _ in range(draw(st.integers(0, 6))):  # elementary row operations keep det P = 1
        i, j = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        E = np.eye(n, dtype=np.int64)
        E[i, j] = draw(st.integers(-2, 2))
        P = P @ E
    P_inv = np.round(np.linalg.inv(P)).astype(np.int64)
    assert np.array_equal(P @ P_inv, np.eye(n, dtype=np.int64))
    return P @ J @ P_inv


@FEW
@given(similar_to_jordan_forms(), st.sampled_from([1.0, 1e-100, 1e100, 3.7e-5]))
def test_independent_eigenvector_count_of_disguised_jordan_forms(A: np.ndarray, scale: float) -> None:
    # scaling changes no eigenvector, so huge and tiny magnitudes must give the same count
    assert linear_algebra.independent_eigenvector_count(A * scale) == exact_eigenvector_count(A)


def test_independent_eigenvector_count_edge_cases() -> None:
    count = linear_algebra.independent_eigenvector_count
    assert count(np.zeros((0, 0))) == 0
    assert count([[0.0]]) == 1 and count([[-7.0]]) == 1
    assert count(np.eye(5)) == 5
    assert count(np.diag([1.0, 1.0 + 1e-6])) == 2  # close but distinct eigenvalues
    assert count([[1.0, -1e-4], [1e-4, 1.0]]) == 0  # a slight rotation: a complex pair
    assert count([[1e300, 1e300], [0.0, 1e300]]) == 1  # a huge shear


def test_power_iteration_page_example_rates() -> None:
    """The page's worked example: direction error shrinks by 1/3 per step, eigenvalue error by about 1/9."""
    A = np.array([[2.0, 1.0], [1.0, 2.0]])
    v = np.array([1.0, 0.0])
    tangents, errors = [], []
    for _ in range(4):
        v = linear_algebra.power_iteration_step(A, v)
        tangents.append(abs(v[0] - v[1]) / abs(v[0] + v[1]))  # tan of the angle to (1, 1)
        errors.append(3.0 - linear_algebra.rayleigh_quotient(A, v))
    np.testing.assert_allclose(tangents, [1 / 3, 1 / 9, 1 / 27, 1 / 81], rtol=1e-12)
    np.testing.assert_allclose([3 - e for e in errors], [2.8, 2.976, 2.997, 2.9997], atol=5e-4)
    ratios = np.array(errors[1:]) / np.array(errors[:-1])
    np.testing.assert_allclose(ratios, 1 / 9, rtol=0.1)


# --- Binomial coefficient: exact integers ---------------------------------------------


def test_binomial_coefficient_is_exact_where_log_space_is_not() -> None:
    assert int(distributions.binomial_coefficient(60, 20)) == math.comb(60, 20) == 4191844505805495


@DETERMINISTIC
@given(st.integers(0, 1100).flatmap(lambda n: st.tuples(st.just(n), st.integers(-3, n + 3))))
def test_binomial_coefficient_matches_sympy_exactly(nk: tuple[int, int]) -> None:
    n, k = nk
    exact = int(sympy.binomial(n, k)) if 0 <= k <= n else 0
    expected = float(exact) if exact < 2**1024 else math.inf  # correctly rounded, or past the float range
    assert distributions.binomial_coefficient(n, k) == expected
    assert distributions.binomial_coefficient(float(n), float(k)) == expected


def test_binomial_coefficient_vectorized_huge_and_non_integer() -> None:
    n = np.arange(0, 80)
    np.testing.assert_array_equal(distributions.binomial_coefficient(n, n // 2),
                                  [float(math.comb(int(m), int(m) // 2)) for m in n])
    assert distributions.binomial_coefficient(10**18, 2) == float(math.comb(10**18, 2))
    assert distributions.binomial_coefficient(10**18, 5 * 10**17) == math.inf
    assert distributions.binomial_coefficient(2000, 1000) == math.inf == special.comb(2000, 1000)
    for n_, k_ in ((5.5, 2.0), (10.25, 3.5), (0.5, 0.25)):
        assert distributions.binomial_coefficient(n_, k_) == pytest.approx(special.comb(n_, k_), rel=1e-12)


# --- Parameters outside the domain -----------------------------------------------------


@pytest.mark.parametrize(("n", "p"), [(2.5, 0.5), (-1, 0.5), (np.nan, 0.5), (np.inf, 0.5), (4, 1.5), (4, -0.1),
                                      (4, np.nan), ([3, 2.5], 0.5)])
def test_binomial_pmf_rejects_invalid_parameters(n: object, p: float) -> None:
    assert np.any(np.isnan(stats.binom.pmf(1, n, p)))  # scipy's answer: NaN (where the parameters are invalid)
    with pytest.raises(ValueError):
        distributions.binomial_pmf(1, n, p)


@pytest.mark.parametrize("mu", [-1.0, np.nan])
def test_poisson_pmf_rejects_invalid_mean(mu: float) -> None:
    assert np.isnan(stats.poisson.pmf(1, mu))
    with pytest.raises(ValueError):
        distributions.poisson_pmf(1, mu)


@pytest.mark.parametrize(("p", "q"), [([0.5, 0.25], [0.5, 0.5]), ([1.5, -0.5], [0.5, 0.5]), ([0.5, 0.5], [0.5, 0.25]),
                                      ([0.5, 0.5], [1.5, -0.5]), ([[0.5, 0.5], [0.2, 0.2]], [0.5, 0.5])])
def test_kl_divergence_rejects_non_distributions(p: list, q: list) -> None:
    with pytest.raises(ValueError):
        information.kl_divergence(p, q)


@pytest.mark.parametrize("x", [[-1.0, 2.0], [[1.0, 2.0], [3.0, -4.0]]])
def test_harmonic_mean_rejects_negative_entries(x: list) -> None:
    with pytest.raises(ValueError):
        averages.harmonic_mean(x)
    with pytest.raises(ValueError):
        averages.harmonic_mean([1.0, 2.0], weights=[1.0, -1.0])


def test_harmonic_mean_with_a_zero_is_zero_like_scipy() -> None:
    for x in ([0.0, 4.0], [0.0], [3.0, 0.0, 0.0]):
        assert averages.harmonic_mean(x) == stats.hmean(x) == 0.0
    assert averages.harmonic_mean([0.0, 4.0], weights=[1.0, 3.0]) == 0.0  # scipy agrees, with a warning
    assert averages.harmonic_mean([0.0, 4.0], weights=[0.0, 3.0]) == 4.0  # a zero weight leaves the entry out


def test_ema_of_an_empty_sequence_is_empty() -> None:
    for result in (averages.ema([], 0.5), averages.ema([], 0.5, initial=0.0), averages.ema_bias_corrected([], 0.9)):
        assert isinstance(result, np.ndarray) and result.shape == (0,)
    assert averages.ema(np.zeros((3, 0)), 0.5).shape == (3, 0)
    with pytest.raises(ValueError):
        averages.ema(1.0, 0.5)


def test_ema_of_length_one_is_the_value() -> None:
    assert averages.ema([7.0], 0.3).tolist() == [7.0]
    assert averages.ema_bias_corrected([7.0], 0.9) == pytest.approx([7.0], rel=1e-15)


@DETERMINISTIC
@given(vectors(-1e6, 1e6, st.integers(1, 30)), floats(0.01, 1.0))
def test_ema_matches_the_pandas_ewm_formulas(x: np.ndarray, alpha: float) -> None:
    """pandas documents ewm(alpha).mean() as sum_i (1-alpha)^i x_(t-i) / sum_i (1-alpha)^i (adjust=True, the
    default) and as the recursion started at x_1 (adjust=False); pandas itself is not installed here."""
    t = len(x)
    weights = (1 - alpha) ** np.arange(t)
    adjusted = [weights[: s + 1] @ x[s::-1] / weights[: s + 1].sum() for s in range(t)]
    np.testing.assert_allclose(averages.ema_bias_corrected(x, 1 - alpha), adjusted, rtol=1e-9, atol=1e-9)
    recursive = [x[0]]
    for value in x[1:]:
        recursive.append((1 - alpha) * recursive[-1] + alpha * value)
    np.testing.assert_allclose(averages.ema(x, alpha), recursive, rtol=1e-9, atol=1e-9)


# --- Lasso: convergence and scikit-learn ------------------------------------------------


def test_lasso_cd_warns_when_it_stops_unconverged() -> None:
    X = np.array([[1.0, 0.9], [0.9, 1.0], [1.0, 1.0]])  # correlated columns: many sweeps needed
    y = np.array([1.0, 2.0, 3.0])
    with pytest.warns(regularization.ConvergenceWarning, match="did not converge"):
        w = regularization.lasso_cd(X, y, 0.01, max_sweeps=3)
    assert w.shape == (2,)
    converged = regularization.lasso_cd(X, y, 0.01)  # the default limit converges: no warning (warnings are errors)
    assert regularization.lasso_objective(X, y, converged, 0.01) < regularization.lasso_objective(X, y, w, 0.01)


@st.composite
def regression_problems(draw: st.DrawFn, max_p: int = 4) -> tuple[np.ndarray, np.ndarray]:
    p = draw(st.integers(1, max_p))
    m = draw(st.integers(0, 5))
    top = draw(vectors(-1.0, 1.0, (p, p))) + (p + 1.0) * np.eye(p)  # well conditioned, no zero column
    X = np.vstack([top, draw(vectors(-1.0, 1.0, (m, p)))])
    return X, draw(vectors(-5.0, 5.0, p + m))


@DETERMINISTIC
@given(regression_problems(), floats(1e-3, 5.0))
def test_lasso_cd_matches_scikit_learn(problem: tuple[np.ndarray, np.ndarray], alpha: float) -> None:
    X, y = problem
    reference = Lasso(alpha=alpha, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y).coef_
    np.testing.assert_allclose(regularization.lasso_cd(X, y, alpha), reference, atol=1e-7)


def test_lasso_cd_edge_cases_match_scikit_learn() -> None:
    X = np.array([[1.0, 0.0, 2.0], [2.0, 0.0, 4.0], [3.0, 0.0, 6.1]])  # a zero column and two near-collinear ones
    y = np.array([1.0, 2.0, 3.5])
    for alpha in (0.1, 10.0, 1e6):
        ours = regularization.lasso_cd(X, y, alpha)
        theirs = Lasso(alpha=alpha, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y).coef_
        np.testing.assert_allclose(ours, theirs, atol=1e-9)
        assert ours[1] == 0.0 == theirs[1]
    # a small penalty on near-collinear columns: coordinate descent crawls, and now says so
    with pytest.warns(regularization.ConvergenceWarning):
        ours = regularization.lasso_cd(X, y, 1e-3)
    theirs = Lasso(alpha=1e-3, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y).coef_
    assert regularization.lasso_objective(X, y, ours, 1e-3) == pytest.approx(
        regularization.lasso_objective(X, y, theirs, 1e-3), rel=1e-6)
    assert ours[1] == 0.0 == theirs[1]
    one = regularization.lasso_cd([[2.0]], [3.0], 0.5)  # one sample, one feature
    np.testing.assert_allclose(one, Lasso(alpha=0.5, fit_intercept=False).fit([[2.0]], [3.0]).coef_, atol=1e-12)


@DETERMINISTIC
@given(st.integers(1, 6), st.integers(1, 6), st.data(), st.sampled_from([1e-8, 1e-3, 1.0, 100.0, 1e8]))
def test_ridge_matches_scikit_learn(n: int, p: int, data: st.DataObject, lam: float) -> None:
    X = data.draw(vectors(-3.0, 3.0, (n, p)))
    y = data.draw(vectors(-5.0, 5.0, n))
    condition = np.linalg.cond(X.T @ X + lam * np.eye(p))
    reference = Ridge(alpha=lam, fit_intercept=False, solver="svd").fit(X, y).coef_
    # ridge solves the normal equations, so its error grows like eps * cond(X^T X + lam I)
    scale = max(1.0, float(np.abs(reference).max()))
    np.testing.assert_allclose(regularization.ridge(X, y, lam), reference, rtol=0,
                               atol=(1e-12 + 10 * np.finfo(float).eps * condition) * scale)


# --- Softmax, information and means on edge cases ----------------------------------------


@pytest.mark.parametrize("x", [[0.0], [5.0, 5.0, 5.0], [1e300, 1e300], [-1e300, -1e300, 0.0], [1e-300, -1e-300],
                               [0.0, 1e9], [-np.inf, 0.0, 1.0], [3.0, 3.0, -2.0], [1e307, -1e307]])
def test_softmax_edge_cases_match_scipy(x: list) -> None:
    np.testing.assert_allclose(activations.softmax(x), special.softmax(x), rtol=1e-12, atol=0)
    with np.errstate(divide="ignore"):  # scipy takes log(0) on the way for -inf logits
        reference = special.log_softmax(x)
    np.testing.assert_allclose(activations.log_softmax(x), reference, rtol=1e-12, atol=0)


def test_softmax_of_an_empty_vector_raises_like_scipy() -> None:
    for f in (activations.softmax, special.softmax):
        with pytest.raises(ValueError):
            f(np.array([]))


@pytest.mark.parametrize(("p", "q"), [([1.0], [1.0]), ([0.0, 1.0], [0.5, 0.5]), ([0.5, 0.5], [0.0, 1.0]),
                                      ([1e-300, 1.0 - 1e-300], [0.5, 0.5]), ([0.5, 0.5], [1e-300, 1.0 - 1e-300]),
                                      ([0.25] * 4, [0.25] * 4), ([1.0, 0.0, 0.0], [0.0, 0.0, 1.0])])
def test_information_edge_cases_match_scipy(p: list, q: list) -> None:
    pp, qq = np.array(p), np.array(q)
    assert information.entropy(pp) == pytest.approx(float(special.entr(pp).sum()), rel=1e-12, abs=1e-300)
    assert information.kl_divergence(pp, qq) == pytest.approx(float(special.rel_entr(pp, qq).sum()), rel=1e-12,
                                                              abs=1e-300)
    with np.errstate(divide="ignore"):
        expected_cross = float(-special.xlogy(pp, qq).sum())
    assert information.cross_entropy(pp, qq) == pytest.approx(expected_cross, rel=1e-12, abs=1e-300)
    assert information.kl_divergence(pp, qq, base=2) == pytest.approx(stats.entropy(pp, qq, base=2), rel=1e-12,
                                                                      abs=1e-300)


@pytest.mark.parametrize("x", [[2.0], [1e300] * 3, [1e-300] * 3, [1e-300, 1e300], [5.0, 5.0], [1e-3, 1e3, 1.0]])
def test_means_on_edge_magnitudes_match_scipy(x: list) -> None:
    values = np.array(x)
    assert averages.geometric_mean(values) == pytest.approx(stats.gmean(values), rel=1e-12)
    assert averages.arithmetic_mean(values) == pytest.approx(float(np.mean(values)), rel=1e-12)
    if np.all(1.0 / values < np.inf) and np.sum(1.0 / values) < np.inf:
        assert averages.harmonic_mean(values) == pytest.approx(stats.hmean(values), rel=1e-12)


@DETERMINISTIC
@given(st.integers(1, 8).flatmap(lambda n: st.tuples(vectors(1e-3, 1e3, n), vectors(0.0, 5.0, n))))
def test_weighted_harmonic_mean_matches_scipy(pair: tuple[np.ndarray, np.ndarray]) -> None:
    x, w = pair
    if w.sum() == 0:
        return
    assert averages.harmonic_mean(x, weights=w) == pytest.approx(stats.hmean(x, weights=w), rel=1e-12)


# --- Distributions at the edges of their parameters ----------------------------------------


@pytest.mark.parametrize(("x", "n", "p"), [(0, 0, 0.5), (0, 5, 0.0), (5, 5, 1.0), (3, 5, 0.0), (3, 5, 1.0),
                                           (0, 10**6, 1e-6), (500_000, 10**6, 0.5), (10**6, 10**6, 0.999),
                                           (1, 1, 1e-300), (2, 3, 1 - 1e-16)])
def test_binomial_pmf_edge_cases_match_scipy(x: int, n: int, p: float) -> None:
    assert distributions.binomial_pmf(x, n, p) == pytest.approx(stats.binom.pmf(x, n, p), rel=1e-8, abs=1e-300)


@pytest.mark.parametrize(("x", "mu"), [(0, 0.0), (3, 0.0), (0, 1e-300), (10**6, 1e6), (0, 700.0), (2, 1e-8)])
def test_poisson_pmf_edge_cases_match_scipy(x: int, mu: float) -> None:
    assert distributions.poisson_pmf(x, mu) == pytest.approx(stats.poisson.pmf(x, mu), rel=1e-8, abs=1e-300)


# --- Losses and token accuracy against scikit-learn -------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 20).flatmap(lambda n: st.tuples(vectors(-1e6, 1e6, n), vectors(-1e6, 1e6, n))))
def test_mse_matches_scikit_learn(pair: tuple[np.ndarray, np.ndarray]) -> None:
    y, y_hat = pair
    assert losses.mse(y, y_hat) == pytest.approx(mean_squared_error(y, y_hat), rel=1e-12, abs=1e-300)


TAG = st.sampled_from(["O", "B-PER", "I-PER", "B-LOC"])


@DETERMINISTIC
@given(st.integers(1, 15).flatmap(lambda n: st.tuples(st.lists(TAG, min_size=n, max_size=n),
                                                       st.lists(TAG, min_size=n, max_size=n))))
def test_token_accuracy_matches_scikit_learn(pair: tuple[list[str], list[str]]) -> None:
    gold, pred = pair
    assert sequence_labeling.token_accuracy(gold, pred) == pytest.approx(accuracy_score(gold, pred), rel=1e-15)


# --- Bayes' theorem against exact rational arithmetic -------------------------------------------


@DETERMINISTIC
@given(*(st.fractions(0, 1, max_denominator=50) for _ in range(3)))
def test_bayes_matches_exact_fractions(prior: Fraction, likelihood: Fraction, likelihood_not: Fraction) -> None:
    evidence = prior * likelihood + (1 - prior) * likelihood_not
    args = (float(prior), float(likelihood), float(likelihood_not))
    assert probability.total_probability(*args) == pytest.approx(float(evidence), rel=1e-14, abs=1e-300)
    if evidence > 0:
        assert probability.bayes_posterior(*args) == pytest.approx(float(prior * likelihood / evidence), rel=1e-14,
                                                                   abs=1e-300)
    if prior < 1 and likelihood_not > 0:
        odds = prior / (1 - prior) * likelihood / likelihood_not
        assert probability.posterior_odds(*args) == pytest.approx(float(odds), rel=1e-14, abs=1e-300)
