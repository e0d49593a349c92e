"""The toy emergence model against scipy.stats.binom and simulation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from snippets import emergence
from tests.support.strategies import floats

DETERMINISTIC = settings(max_examples=100, deadline=None, derandomize=True, database=None)


@DETERMINISTIC
@given(floats(0.0, 1.0), st.integers(1, 40))
def test_exact_match_is_binomial_all_correct(p: float, L: int) -> None:
    assert emergence.exact_match(p, L) == pytest.approx(stats.binom.pmf(L, L, p), rel=1e-9, abs=1e-300)
    assert emergence.expected_token_errors(p, L) == pytest.approx(L - stats.binom.mean(L, p), rel=1e-9, abs=1e-9)


def test_simulation_agrees_with_the_formula() -> None:
    for p, L in ((0.9, 10), (0.5, 3), (0.99, 30)):
        assert emergence.simulate_exact_match(p, L, n=200_000, rng=1) == pytest.approx(p**L, abs=0.005)


def test_edges() -> None:
    assert emergence.exact_match(1.0, 50) == 1.0
    assert emergence.exact_match(0.0, 1) == 0.0
    assert emergence.expected_token_errors(1.0, 7) == 0.0
    assert emergence.per_token_accuracy(1e7, c=1e7, alpha=-0.3) == pytest.approx(np.exp(-1.0))


def test_per_token_accuracy_is_smooth_and_exact_match_is_sharp() -> None:
    # The property the page's figure illustrates: per-token accuracy rises steadily, while exact match of a
    # 30-token answer stays below 0.1% up to 1e9 parameters and then rises from 10% to 50% within two decades.
    N = np.logspace(7, 13, 601)
    p = emergence.per_token_accuracy(N)
    assert np.all(np.diff(p) > 0)
    em = emergence.exact_match(p, 30)
    low, high = np.log10(N[np.argmax(em > 0.1)]), np.log10(N[np.argmax(em > 0.5)])
    assert high - low < 2.0
    assert em[np.searchsorted(N, 1e9)] < 0.001
