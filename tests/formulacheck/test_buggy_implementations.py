"""Plausible bugs planted in the implementations are caught by the fixture formulas' checks."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import snippets.activations
import snippets.attention
import snippets.averages
import snippets.distributions
import snippets.information
import snippets.random_walks
from grimoire.formulacheck.blocks import CheckBlock
from grimoire.formulacheck.errors import CheckFailure
from grimoire.formulacheck.pages import Item, site_macros
from grimoire.formulacheck.prepare import prepare
from grimoire.formulacheck.runner import run_check
from scipy.special import gammaln
from snippets import activations, averages, distributions, information, random_walks

Items = Callable[[str], dict[int, Item]]


def softmax_wrong_axis(x: Any, axis: int = -1) -> Any:
    return activations.softmax(x, axis=0)


def entropy_in_bits(p: Any, base: float | None = None) -> Any:
    return information.entropy(p, base=2)


def ema_off_by_one(x: Any, alpha: float, initial: float | None = None) -> Any:
    values = np.asarray(x, dtype=float)
    shifted = averages.ema(values, alpha, initial)
    return np.concatenate([values[:1], shifted[:-1]])  # EMA_t reported at t + 1


def kl_reversed(p: Any, q: Any, base: float | None = None) -> Any:
    return information.kl_divergence(q, p, base)


def binomial_off_by_one(x: Any, n: Any, p: Any) -> Any:
    return distributions.binomial_coefficient(n, x) * p**x * (1 - p) ** (n - x + 1)


def poisson_without_factorial_shift(x: Any, mu: Any) -> Any:
    return np.exp(x * np.log(mu) - mu - gammaln(np.maximum(x, 1)))


def geometric_is_arithmetic(x: Any, axis: int = -1) -> Any:
    return averages.arithmetic_mean(x, axis)


def harmonic_with_n_minus_one(x: Any, axis: int = -1, weights: Any = None) -> Any:
    values = np.asarray(x, dtype=float)
    return (len(values) - 1) / np.sum(1 / values) if len(values) > 1 else float(values[0])


def step_variance_without_four(delta: float, pi: float) -> float:
    return delta**2 * pi * (1 - pi)


def attention_unscaled(Q: Any, K: Any, V: Any) -> Any:
    return activations.softmax(np.asarray(Q) @ np.asarray(K).T) @ np.asarray(V)


def bias_correction_off_by_one(x: Any, beta: float) -> Any:
    raw = averages.ema(x, 1 - beta, initial=0.0)
    return raw / (1 - beta ** np.arange(2, len(raw) + 2))


def log_softmax_in_bits(x: Any, axis: int = -1) -> Any:
    return activations.log_softmax(x, axis) / np.log(2)


def jacobian_sign_error(x: Any = None, *, s: Any = None) -> Any:
    probs = activations.softmax(x)
    return probs[:, None] * (np.eye(len(probs)) + probs[None, :])


def walk_starting_at_zero(n: int, delta: float, pi: float, rng: Any = None, include_start: bool = False) -> Any:
    return random_walks.random_walk(n, delta, pi, rng, include_start=True)[:-1]


def surprise_natural(p: Any, base: float | None = None) -> Any:
    return information.surprise(p)


def cross_entropy_swapped(p: Any, q: Any, base: float | None = None) -> Any:
    return information.cross_entropy(q, p, base)


BUGS = [
    ("softmax.md", 16, snippets.activations, "softmax", softmax_wrong_axis, "softmax over the wrong axis"),
    ("information.md", 11, snippets.information, "entropy", entropy_in_bits, "log base 2 instead of e"),
    ("averages.md", 3, snippets.averages, "ema", ema_off_by_one, "EMA shifted by one step"),
    ("information.md", 32, snippets.information, "kl_divergence", kl_reversed, "KL arguments swapped"),
    ("distributions.md", 3, snippets.distributions, "binomial_pmf", binomial_off_by_one, "exponent off by one"),
    ("distributions.md", 22, snippets.distributions, "poisson_pmf", poisson_without_factorial_shift, "gammaln(x) for x!"),
    ("averages.md", 36, snippets.averages, "geometric_mean", geometric_is_arithmetic, "arithmetic for geometric"),
    ("averages.md", 45, snippets.averages, "harmonic_mean", harmonic_with_n_minus_one, "n - 1 in the numerator"),
    ("walks.md", 12, snippets.random_walks, "step_variance", step_variance_without_four, "missing factor 4"),
    ("walks.md", 36, snippets.attention, "scaled_dot_product_attention", attention_unscaled, "no 1/sqrt(d)"),
    ("averages.md", 25, snippets.averages, "ema_bias_corrected", bias_correction_off_by_one, "1 - beta^(t+1)"),
    ("softmax.md", 26, snippets.activations, "log_softmax", log_softmax_in_bits, "log base 2"),
    ("softmax.md", 35, snippets.activations, "softmax_jacobian", jacobian_sign_error, "sign of s_i s_j"),
    ("walks.md", 24, snippets.random_walks, "random_walk", walk_starting_at_zero, "S_0..S_(n-1)"),
    ("information.md", 3, snippets.information, "surprise", surprise_natural, "base ignored"),
    ("information.md", 20, snippets.information, "cross_entropy", cross_entropy_swapped, "arguments swapped"),
]


@pytest.mark.parametrize(("page", "line", "module", "name", "buggy", "bug"), BUGS, ids=[f"{b[3]}: {b[5]}" for b in BUGS])
def test_planted_bug_is_caught(fixture_items: Items, monkeypatch: pytest.MonkeyPatch, page: str, line: int,
                               module: Any, name: str, buggy: Callable[..., Any], bug: str) -> None:
    item = fixture_items(page)[line]
    assert isinstance(item.block, CheckBlock)
    run_check(prepare(item.formula, item.block, site_macros()))  # the real implementation passes
    monkeypatch.setattr(module, name, buggy)
    with pytest.raises(CheckFailure):
        run_check(prepare(item.formula, item.block, site_macros()))
