"""Index batches and Monte Carlo batch moments are optimisations: they never change a check's verdict or report.

Each formula is checked twice on the same seeded examples, once with index
batches and once with the one-value-at-a-time loop only; the outcome (pass,
or the exact failure message) must be the same, and the batched run must
really have batched (so the test fails if batching silently stops).
"""

from __future__ import annotations

from typing import Callable

import pytest

from grimoire.formulacheck import index_batch, runner
from grimoire.formulacheck.errors import CheckFailure

CASES = {
    "softmax, free index and sum": (
        r"\softmax(x)_i = \frac{e^{x_i}}{\sum_{j=1}^{n} e^{x_j}}",
        "n : int 1..8\nx : vector(n) -30..30\n\\mathrm{softmax} := snippets.activations.softmax", True),
    "softmax with a wrong denominator": (
        r"\softmax(x)_i = \frac{e^{x_i}}{1 + \sum_{j=1}^{n} e^{x_j}}",
        "n : int 2..8\nx : vector(n) -30..30\n\\mathrm{softmax} := snippets.activations.softmax", False),
    "Kronecker delta under a sum": (
        r"\sum_{j=1}^{n} \delta_{ij} x_j = x_i", "n : int 1..6\nx : vector(n) -5..5\n@identity", True),
    "Kronecker delta, wrong side": (
        r"\sum_{j=1}^{n} \delta_{ij} x_j = 2 x_i", "n : int 2..6\nx : vector(n) -5..5\n@identity", False),
    "nested sums over a matrix": (
        r"\sum_{i=1}^{n} \sum_{j=1}^{m} A_{ij} = \sum_{j=1}^{m} \sum_{i=1}^{n} A_{ij}",
        "n : int 1..5\nm : int 1..5\nA : matrix(n, m) -3..3\n@identity", True),
    "an inner bound that depends on the outer index": (
        r"\sum_{i=1}^{n} \sum_{j=1}^{i} A_{ij} = \sum_{i=1}^{n} \sum_{j=1}^{n} A_{ij}",
        "n : int 2..5\nA : matrix(n, n) 0.5..3\n@identity", False),
    "maximum over an index": (
        r"\max_{i} x_i \ge x_j", "n : int 1..8\nx : vector(n) -5..5\n@identity", True),
    "maximum, wrong way round": (
        r"\max_{i} x_i \le x_j", "n : int 2..8\nx : vector(n) -5..5\n@identity", False),
    "cases under a sum": (
        r"\sum_{i=1}^{n} \begin{cases} x_i & x_i > 0 \\ 0 & \text{otherwise} \end{cases} = \sum_{i=1}^{n} \max(x_i, 0)",
        "n : int 1..8\nx : vector(n) -5..5\n@identity", True),
    "a 1x1 matrix against a sum": (
        r"x^\top y = \sum_{i=1}^{n} x_i y_i", "n : int 1..6\nx : col(n) -2..2\ny : col(n) -2..2\n@identity", True),
    "a subscript beyond its axis": (
        r"\sum_{i=1}^{n+1} x_i = 0", "n : int 2..6\nx : vector(n) -2..2\n@identity", False),
    "a product over an index": (
        r"\prod_{i=1}^{n} e^{x_i} = e^{\sum_{i=1}^{n} x_i}", "n : int 1..6\nx : vector(n) -2..2\n@identity", True),
}


def _outcome(check: Callable[..., None], latex: str, block: str) -> str:
    try:
        check(latex, block, 25)
    except CheckFailure as failure:
        return f"failed: {failure}"
    return "passed"


@pytest.mark.parametrize("name", CASES)
def test_index_batches_never_change_the_outcome(name: str, check: Callable[..., None],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    latex, block, holds = CASES[name]
    batched: list[int] = []
    batch_of = index_batch.batch_of
    monkeypatch.setattr(index_batch, "_verdicts", type(index_batch._verdicts)())
    monkeypatch.setattr(index_batch, "batch_of", lambda *a: batched.append(1) or batch_of(*a))
    with_batches = _outcome(check, latex, block)
    assert batched, "no index batch was even tried"
    monkeypatch.setattr(index_batch, "batchable", lambda *roots: False)
    one_by_one = _outcome(check, latex, block)
    assert with_batches == one_by_one
    assert (with_batches == "passed") == holds, with_batches


RANDOM = "\\mu : real 1..2\nX ~ normal(\\mu, 1)\nY ~ normal(\\mu, 4)\n@identity"
MONTE_CARLO = {
    "independent factors": (r"\E[X Y] = \E[X] \E[Y]", RANDOM, True),
    "a wrong product of means": (r"\E[X Y] = 1.2 \E[X] \E[Y]", RANDOM, False),
    "a variance of a product": (r"\Var(X Y) = \E[X^2] \E[Y^2] - \E[X]^2 \E[Y]^2", RANDOM, True),
}


@pytest.mark.parametrize("name", MONTE_CARLO)
def test_batch_moments_give_the_tolerance_of_batch_by_batch_evaluation(
        name: str, check: Callable[..., None], monkeypatch: pytest.MonkeyPatch) -> None:
    latex, block, holds = MONTE_CARLO[name]
    tolerances: list[tuple[float, str]] = []
    tolerance = runner._monte_carlo_tolerance
    monkeypatch.setattr(runner, "_monte_carlo_tolerance", lambda *a: tolerances.append(tolerance(*a)) or tolerances[-1])
    batched = _outcome(check, latex, block)
    at_once = list(tolerances)

    tolerances.clear()
    monkeypatch.setattr(runner, "_batch_differences", lambda *a: (_ for _ in ()).throw(RuntimeError("no batches")))
    one_by_one = _outcome(check, latex, block)
    assert at_once and len(at_once) == len(tolerances)
    for (fast, _), (slow, _) in zip(at_once, tolerances):
        assert fast == pytest.approx(slow, rel=1e-9, abs=1e-12)
    assert batched == one_by_one
    assert (batched == "passed") == holds, batched
