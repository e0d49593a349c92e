"""The experiments of derivations/attention-scaling.md: Monte Carlo moments of attention scores, and softmax entropy.

The references are scipy (``scipy.stats.entropy``, ``scipy.special.softmax``)
and plain numpy statistics of fresh draws, never the snippets' own formulas.
The tolerances are the ones the page states.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special, stats

from snippets import attention


def test_unit_variance_dot_products_have_variance_d_and_scaled_variance_one() -> None:
    dots = attention.qk_dot_products(64, 200_000, seed=1)
    assert abs(np.var(dots) / 64 - 1) < 0.02
    assert abs(np.var(dots / np.sqrt(64)) - 1) < 0.02
    assert abs(np.mean(dots)) < 0.1


def test_a_non_zero_mean_shifts_the_mean_and_adds_to_the_variance() -> None:
    dots = attention.qk_dot_products(16, 200_000, mu=0.5, seed=2)
    assert abs(np.mean(dots) / 4 - 1) < 0.02
    assert abs(np.var(dots) / 24 - 1) < 0.03


def test_the_spread_within_a_row_averages_d_sigma2_sigma2_plus_mu2() -> None:
    # 20 = 16 * 1 * (1 + 0.25), below the unconditional 24: the row's shared mean does not count.
    assert abs(attention.row_score_variance(16, mu=0.5) / 20 - 1) < 0.02
    assert abs(attention.row_score_variance(64, queries=500, keys=2000, seed=3) / 64 - 1) < 0.03


def test_row_variance_is_numpys_variance_of_each_row() -> None:
    scores = attention.query_key_scores(8, 5, 40, mu=0.3, sigma=1.5, seed=4)
    assert attention.row_score_variance(8, 5, 40, mu=0.3, sigma=1.5, seed=4) == pytest.approx(
        np.mean([np.var(row, ddof=1) for row in scores]), rel=1e-12)


def test_softmax_entropy_matches_scipy_and_saturates_without_scaling() -> None:
    scores = attention.query_key_scores(512, 256, 128, seed=0)
    reference = np.mean(stats.entropy(special.softmax(scores / np.sqrt(512), axis=-1), axis=-1))
    assert attention.mean_softmax_entropy(512) == pytest.approx(reference, rel=1e-10)
    unscaled = attention.mean_softmax_entropy(512, scale=False)
    scaled = attention.mean_softmax_entropy(512)
    assert unscaled < 1.5 and 3.5 < scaled < np.log(128)


def test_one_key_has_zero_entropy() -> None:
    # Edge case: a row of one key is one-hot whatever the scale.
    assert attention.mean_softmax_entropy(4, keys=1) == 0.0
