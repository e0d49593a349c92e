"""The snippets agree with scipy wherever scipy has the same function, on hypothesis-drawn inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import special, stats

from snippets import activations, attention, averages, distributions, information, random_walks
from tests.support.strategies import floats

DETERMINISTIC = settings(max_examples=200, deadline=None, derandomize=True, database=None)


def vectors(low: float, high: float, max_size: int = 10) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, st.integers(1, max_size), elements=floats(low, high))


def matrices(low: float, high: float) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=floats(low, high))


def simplices(max_size: int = 10) -> st.SearchStrategy[np.ndarray]:
    return vectors(0.0, 1.0, max_size).filter(lambda w: w.sum() > 0).map(lambda w: w / w.sum())


@DETERMINISTIC
@given(matrices(-700.0, 700.0), st.sampled_from([0, 1, -1]))
def test_softmax_matches_scipy(x: np.ndarray, axis: int) -> None:
    np.testing.assert_allclose(activations.softmax(x, axis=axis), special.softmax(x, axis=axis), rtol=1e-12, atol=1e-300)


@DETERMINISTIC
@given(matrices(-700.0, 700.0))
def test_log_softmax_matches_scipy(x: np.ndarray) -> None:
    np.testing.assert_allclose(activations.log_softmax(x), special.log_softmax(x, axis=-1), rtol=1e-12, atol=1e-12)


@DETERMINISTIC
@given(vectors(-30.0, 30.0))
def test_softmax_jacobian_matches_finite_differences(x: np.ndarray) -> None:
    step = 1e-6
    numeric = np.stack([(activations.softmax(x + step * e) - activations.softmax(x - step * e)) / (2 * step)
                        for e in np.eye(len(x))], axis=1)
    np.testing.assert_allclose(activations.softmax_jacobian(x), numeric, atol=1e-8)
    np.testing.assert_allclose(activations.softmax_jacobian(s=activations.softmax(x)), activations.softmax_jacobian(x))


@DETERMINISTIC
@given(vectors(-5.0, 5.0))
def test_hardmax_is_the_low_temperature_limit_of_softmax(x: np.ndarray) -> None:
    x = np.round(x, 1)  # ties are the interesting case; a coarse grid makes them common
    np.testing.assert_allclose(activations.hardmax(x), activations.softmax(x / 1e-4), atol=1e-12)


@DETERMINISTIC
@given(simplices(), st.sampled_from([None, 2.0, 10.0]))
def test_entropy_matches_scipy(p: np.ndarray, base: float | None) -> None:
    assert information.entropy(p, base=base) == pytest.approx(stats.entropy(p, base=base), rel=1e-12, abs=1e-12)


@DETERMINISTIC
@given(st.integers(1, 8).flatmap(lambda n: st.tuples(simplices(n).filter(lambda p: len(p) == n),
                                                     simplices(n).filter(lambda q: len(q) == n))))
def test_kl_and_cross_entropy_match_scipy(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    assert information.kl_divergence(p, q) == pytest.approx(float(special.rel_entr(p, q).sum()), rel=1e-12, abs=1e-12)
    expected_cross = float(-special.xlogy(p, q).sum())
    assert information.cross_entropy(p, q) == pytest.approx(expected_cross, rel=1e-12, abs=1e-12)


@DETERMINISTIC
@given(floats(0.0, 1.0))
def test_surprise_is_minus_log(p: float) -> None:
    expected = np.inf if p == 0 else -np.log(p)
    assert information.surprise(p) == pytest.approx(expected, rel=1e-15)


@DETERMINISTIC
@given(st.integers(0, 200).flatmap(lambda n: st.tuples(st.just(n), st.integers(-2, n + 2))), floats(0.0, 1.0))
def test_binomial_pmf_matches_scipy(nk: tuple[int, int], p: float) -> None:
    n, k = nk
    assert distributions.binomial_pmf(k, n, p) == pytest.approx(stats.binom.pmf(k, n, p), rel=1e-9, abs=1e-300)


@DETERMINISTIC
@given(st.integers(0, 1000).flatmap(lambda n: st.tuples(st.just(n), st.integers(-2, n + 2))))
def test_binomial_coefficient_matches_scipy(nk: tuple[int, int]) -> None:
    n, k = nk
    assert distributions.binomial_coefficient(n, k) == pytest.approx(special.comb(n, k), rel=1e-9)


@DETERMINISTIC
@given(st.integers(0, 3000), floats(0.0, 2000.0))
def test_poisson_pmf_matches_scipy(x: int, mu: float) -> None:
    assert distributions.poisson_pmf(x, mu) == pytest.approx(stats.poisson.pmf(x, mu), rel=1e-9, abs=1e-300)


@DETERMINISTIC
@given(vectors(1e-3, 1e3))
def test_geometric_and_harmonic_means_match_scipy(x: np.ndarray) -> None:
    assert averages.geometric_mean(x) == pytest.approx(stats.gmean(x), rel=1e-12)
    assert averages.harmonic_mean(x) == pytest.approx(stats.hmean(x), rel=1e-12)
    assert averages.arithmetic_mean(x) == pytest.approx(float(np.mean(x)), rel=1e-12)


@DETERMINISTIC
@given(vectors(-10.0, 10.0, 30), floats(0.0, 1.0), st.one_of(st.none(), floats(-10.0, 10.0)))
def test_ema_matches_its_recurrence(x: np.ndarray, alpha: float, initial: float | None) -> None:
    previous = x[0] if initial is None else initial
    expected = []
    for value in x:
        previous = alpha * value + (1 - alpha) * previous
        expected.append(previous)
    np.testing.assert_allclose(averages.ema(x, alpha, initial=initial), expected, rtol=1e-12, atol=1e-12)


@DETERMINISTIC
@given(floats(-5.0, 5.0), st.integers(1, 50), floats(0.0, 0.999))
def test_bias_corrected_ema_of_a_constant_is_the_constant(c: float, n: int, beta: float) -> None:
    np.testing.assert_allclose(averages.ema_bias_corrected(np.full(n, c), beta), c, rtol=1e-9, atol=1e-12)


def test_random_walk_moments_match_the_step_formulas() -> None:
    steps = random_walks.random_walk_steps(400_000, 1.5, 0.3, rng=1)
    assert steps.mean() == pytest.approx(random_walks.step_mean(1.5, 0.3), abs=0.01)
    assert steps.var() == pytest.approx(random_walks.step_variance(1.5, 0.3), rel=0.01)
    np.testing.assert_allclose(random_walks.random_walk(50, 1.5, 0.3, rng=2),
                               np.cumsum(random_walks.random_walk_steps(50, 1.5, 0.3, rng=2)))


def test_brownian_increments_have_variance_dt() -> None:
    ends = np.array([random_walks.brownian_path(2.0, 8, rng=seed)[1][-1] for seed in range(4000)])
    assert ends.var() == pytest.approx(2.0, rel=0.1)


@DETERMINISTIC
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 6), st.data())
def test_attention_matches_scipy_softmax(n: int, m: int, d: int, data: st.DataObject) -> None:
    q = data.draw(hnp.arrays(np.float64, (n, d), elements=floats(-3, 3)))
    k = data.draw(hnp.arrays(np.float64, (m, d), elements=floats(-3, 3)))
    v = data.draw(hnp.arrays(np.float64, (m, 2), elements=floats(-3, 3)))
    expected = special.softmax(q @ k.T / np.sqrt(d), axis=-1) @ v
    np.testing.assert_allclose(attention.scaled_dot_product_attention(q, k, v), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("d", "mu", "sigma"), [(16, 0.0, 1.0), (8, 0.5, 2.0), (4, -1.0, 0.5)])
def test_qk_variance_monte_carlo_matches_theory(d: int, mu: float, sigma: float) -> None:
    estimate = attention.qk_variance_mc(d, 200_000, mu=mu, sigma=sigma, seed=3)
    assert estimate == pytest.approx(attention.qk_variance_theory(d, mu, sigma), rel=0.05)
