"""Fermi estimates and growth fits (snippets.forecasting) against numpy and scipy references."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from snippets import forecasting as fc
from tests.support.strategies import arrays, floats

DETERMINISTIC = settings(max_examples=150, deadline=None, derandomize=True, database=None)


@DETERMINISTIC
@given(st.integers(2, 15).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 200), min_size=n, max_size=n, unique=True), arrays(-3.0, 3.0, n))),
    floats(0.5, 40.0))
def test_doubling_time_matches_numpy_polyfit(case: tuple[list[int], np.ndarray], true_td: float) -> None:
    t = np.array(case[0], dtype=float)
    c = fc.exponential_growth(t, 2.0, true_td) * np.exp2(case[1])
    slope, intercept = np.polyfit(t, np.log2(c), 1)
    assert fc.log2_fit(t, c) == pytest.approx((slope, intercept), rel=1e-8, abs=1e-8)
    if abs(slope) > 1e-9:
        assert fc.doubling_time(t, c) == pytest.approx(1.0 / slope, rel=1e-7)


def test_doubling_time_of_exact_series_and_edge_cases() -> None:
    t = np.linspace(0, 60, 13)
    assert fc.doubling_time(t, fc.exponential_growth(t, 5.0, 3.4)) == pytest.approx(3.4)
    assert fc.doubling_time([0, 1, 2], [4.0, 4.0, 4.0]) == float("inf")
    assert fc.doubling_time([0, 1, 2], [4.0, 2.0, 1.0]) == pytest.approx(-1.0)  # halving every step


def test_growth_time() -> None:
    assert fc.growth_time(2.0, 3.4) == pytest.approx(3.4)
    assert fc.growth_time(300_000, 3.4) == pytest.approx(61.86, abs=0.01)
    assert fc.growth_time(1.0, 3.4) == 0.0


def test_fermi_monte_carlo_matches_the_analytic_lognormal() -> None:
    mu, sigma = fc.piano_example()
    m, s = fc.fermi_lognormal(mu, sigma)
    draws = fc.fermi_monte_carlo(mu, sigma, 200_000, rng=1)
    reference = stats.lognorm(s=s, scale=np.exp(m))
    # Kolmogorov-Smirnov distance of 200,000 draws from the true law is about 1/sqrt(n) ~ 0.002.
    assert stats.kstest(draws, reference.cdf).statistic < 0.01
    assert np.median(draws) == pytest.approx(75.0, rel=0.02)
    assert fc.lognormal_mean(m, s) == pytest.approx(reference.mean())
    assert fc.lognormal_interval(m, s) == pytest.approx((reference.ppf(0.05), reference.ppf(0.95)))


@DETERMINISTIC
@given(st.integers(1, 6).flatmap(lambda k: st.tuples(arrays(-3.0, 3.0, k), arrays(0.0, 2.0, k))))
def test_log_variances_add(case: tuple[np.ndarray, np.ndarray]) -> None:
    mu, sigma = case
    m, s = fc.fermi_lognormal(mu, sigma)
    assert m == pytest.approx(mu.sum(), abs=1e-12)
    assert s**2 == pytest.approx(np.sum(sigma**2), abs=1e-12)


def test_monte_carlo_is_seeded() -> None:
    np.testing.assert_array_equal(fc.fermi_monte_carlo([0.0], [1.0], 5, rng=3), fc.fermi_monte_carlo([0.0], [1.0], 5, rng=3))


def test_synthetic_series_fit_is_close_to_its_generator() -> None:
    months, values = fc.synthetic_compute_series()
    assert 2.5 < fc.doubling_time(months, values) < 4.5
