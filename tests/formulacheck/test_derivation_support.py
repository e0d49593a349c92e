"""What surrounds the derivation notation: lifted operations, steps in outcomes, reasons, marks, site coverage."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from grimoire.formulacheck import operations as scalar
from grimoire.formulacheck import vectorized
from grimoire.formulacheck.blocks import CheckBlock, DoctestBlock
from grimoire.formulacheck.pages import items_of_page, items_of_text, site_macros, site_pages
from grimoire.formulacheck.runner import run_item
from grimoire.formulacheck.status import formula_statuses
from grimoire.formulacheck.vectorized import Sampled

RNG = np.random.default_rng(7)
DRAWS = 5


class Drawn:
    """Draws of an input for a test case: ``data[k]`` is draw ``k``."""

    def __init__(self, data: np.ndarray) -> None:
        self.data = data


def drawn(*shape: int) -> Drawn:
    return Drawn(RNG.normal(size=(DRAWS, *shape)))


def per_draw(function: Callable[..., Any], *args: Any) -> np.ndarray:
    """The reference: the scalar operation applied draw by draw."""
    return np.stack([np.asarray(function(*(a.data[k] if isinstance(a, Drawn) else a for a in args)), dtype=np.float64)
                     for k in range(DRAWS)])


def lifted(a: Any) -> Any:
    return Sampled(a.data) if isinstance(a, Drawn) else a


MATRIX = RNG.normal(size=(3, 3))
CASES = [
    ("add vectors", lambda a, b: scalar.add(a, b, "+"), lambda a, b: vectorized.add(a, b, "+"), (drawn(3), drawn(3))),
    ("subtract a constant", lambda a, b: scalar.add(a, b, "-"), lambda a, b: vectorized.add(a, b, "-"),
     (drawn(3), np.arange(3.0))),
    ("scalar times vector", lambda a, b: scalar.multiply(a, b, "mul"), lambda a, b: vectorized.multiply(a, b, "mul"),
     (drawn(), drawn(3))),
    ("matrix product", lambda a, b: scalar.multiply(a, b, "mul"), lambda a, b: vectorized.multiply(a, b, "mul"),
     (drawn(2, 3), MATRIX)),
    ("x^T y as 1x1", lambda a, b: scalar.multiply(scalar.transpose(a), b, "mul"),
     lambda a, b: vectorized.multiply(vectorized.transpose(a), b, "mul"), (drawn(3, 1), drawn(3, 1))),
    ("vector times matrix (per draw)", lambda a, b: scalar.multiply(a, b, "mul"),
     lambda a, b: vectorized.multiply(a, b, "mul"), (drawn(3), MATRIX)),
    ("hadamard", lambda a, b: scalar.multiply(a, b, "odot"), lambda a, b: vectorized.multiply(a, b, "odot"),
     (drawn(2, 2), drawn(2, 2))),
    ("divide", scalar.divide, vectorized.divide, (drawn(3), drawn())),
    ("power", scalar.power, vectorized.power, (drawn(), 3.0)),
    ("index", lambda a: scalar.index(a, [2.0, 1.0], 1, ["i", "j"]),
     lambda a: vectorized.index(a, [2.0, 1.0], 1, ["i", "j"]), (drawn(2, 3),)),
    ("index a column", lambda a: scalar.index(a, [3.0], 1, ["i"]), lambda a: vectorized.index(a, [3.0], 1, ["i"]),
     (drawn(3, 1),)),
    ("norm", lambda a: scalar.norm(a, None), lambda a: vectorized.norm(a, None), (drawn(4),)),
    ("l1 norm", lambda a: scalar.norm(a, 1.0), lambda a: vectorized.norm(a, 1.0), (drawn(4),)),
    ("exp", lambda a: scalar.elementwise("exp", a, None), lambda a: vectorized.elementwise("exp", a, None),
     (drawn(2),)),
    ("det", lambda a: scalar.elementwise("det", a, None), lambda a: vectorized.elementwise("det", a, None),
     (drawn(3, 3),)),
    ("trace", lambda a: scalar.elementwise("tr", a, None), lambda a: vectorized.elementwise("tr", a, None),
     (drawn(3, 3),)),
    ("max", lambda a, b: scalar.extremum([a, b], "max"), lambda a, b: vectorized.extremum([a, b], "max"),
     (drawn(), 0.0)),
    ("kronecker", scalar.kronecker, vectorized.kronecker, (drawn(2, 2), MATRIX)),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_lifted_operations_mean_the_same_draw_by_draw(case: tuple[str, Callable[..., Any], Callable[..., Any],
                                                                  tuple[Any, ...]]) -> None:
    _, reference, lifted_operation, args = case
    expected = per_draw(reference, *args)
    result = lifted_operation(*(lifted(a) for a in args))
    assert isinstance(result, Sampled)
    np.testing.assert_allclose(result.data.reshape(expected.shape), expected, rtol=1e-12, atol=1e-12)


def test_lifted_operations_leave_plain_values_to_the_scalar_ones() -> None:
    assert vectorized.add(1.0, 2.0, "+") == 3.0
    with pytest.raises(Exception, match="ambiguous"):
        vectorized.multiply(np.ones(3), np.ones(3), "mul")


PAGE = """# Page
$$
a = b \\le c
$$
<!-- check
a : real 0..1
b := a
c := snippets.activations.softmax([a])[0] - 2
-->
"""


def test_an_outcome_names_the_failing_step() -> None:
    outcome = run_item(items_of_text(PAGE, "p.md")[0], site_macros(), 5)
    assert not outcome.ok and outcome.step == 2
    assert "step 2 of 2: b \\le c" in outcome.message
    passing = run_item(items_of_text(PAGE.replace("- 2", "+ 1"), "p.md")[0], site_macros(), 5)
    assert passing.ok and passing.step is None


def test_a_doctest_without_reason_is_an_error_at_its_block() -> None:
    text = "# P\n$$\nx = 1\n$$\n<!-- check-doctest\n>>> 1\n1\n-->\n"
    item = items_of_text(text, "p.md")[0]
    assert item.error is not None and item.error.location is not None and item.error.location.line == 5
    assert "must say why" in item.error.message and item.error.hint and "check-doctest:" in item.error.hint
    reasoned = items_of_text(text.replace("check-doctest\n", "check-doctest: a claim about samples\n"), "p.md")[0]
    assert isinstance(reasoned.block, DoctestBlock) and reasoned.block.reason == "a claim about samples"


def test_the_site_marks_describe_random_variables_and_integer_samplers() -> None:
    text = r"""# P
$$
\Var(q^\top k) = d
$$
<!-- check
d : int 1..4
x : distinct(d) -5..5
q^\top k ~ snippets.attention.qk_dot_products(d, samples, seed=seed)
X ~ normal(0, \sigma^2) col(d)
-->
"""
    status = formula_statuses(text, "p.md")[0]
    # The wording belongs to status.py (how the site shows a domain); each declaration is described.
    for words in ("distinct whole numbers", "snippets.attention.qk_dot_products", "normal(0, σ^2)", "iid entries"):
        assert words in status.domain
    assert [i.name for i in status.implementations] == ["snippets.attention.qk_dot_products"]


def test_the_site_checks_at_least_97_percent_of_its_formulas_from_their_latex() -> None:
    items = [item for page in site_pages() for item in items_of_page(page)]
    checked = [item for item in items if isinstance(item.block, CheckBlock)]
    doctests = [item for item in items if isinstance(item.block, DoctestBlock)]
    assert len(checked) >= 0.97 * len(items), f"{len(checked)} of {len(items)}"
    assert all(item.block.reason for item in doctests)  # type: ignore[union-attr]
