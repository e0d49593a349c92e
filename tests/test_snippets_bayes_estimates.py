"""MAP estimate and posterior mean of the Beta-binomial model agree with scipy.stats.beta."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

from snippets import bayes_estimates
from tests.support.strategies import floats

DETERMINISTIC = settings(max_examples=60, deadline=None, derandomize=True, database=None)


@DETERMINISTIC
@given(st.integers(1, 40), st.data(), floats(1.1, 8.0), floats(1.1, 8.0))
def test_map_is_the_mode_and_mean_is_scipys(m: int, data: st.DataObject, a: float, b: float) -> None:
    k = data.draw(st.integers(0, m))
    posterior = stats.beta(a + k, b + m - k)
    mode = optimize.minimize_scalar(lambda p: -posterior.logpdf(p), bounds=(1e-9, 1 - 1e-9), method="bounded",
                                    options={"xatol": 1e-10}).x
    assert bayes_estimates.beta_binomial_map(k, m, a, b) == pytest.approx(mode, abs=1e-6)
    assert bayes_estimates.beta_binomial_mean(k, m, a, b) == pytest.approx(posterior.mean(), rel=1e-12)


def test_map_refuses_a_posterior_without_an_interior_mode() -> None:
    with pytest.raises(ValueError):
        bayes_estimates.beta_binomial_map(0, 3, 1.0, 1.0)   # Beta(1, 4): density largest at 0
    assert bayes_estimates.beta_binomial_map(3, 10, 1.0, 1.0) == pytest.approx(0.3)  # flat prior: the MLE
