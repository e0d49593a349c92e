"""The checks can fail: mutants of the LaTeX are caught, except mutants that are still true."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

import pytest

from grimoire.formulacheck.blocks import CheckBlock
from grimoire.formulacheck.errors import CheckFailure, FormulaError
from grimoire.formulacheck.mutation import mutants, run_mutants
from grimoire.formulacheck.pages import Item, site_macros
from grimoire.formulacheck.prepare import prepare
from grimoire.formulacheck.runner import run_check
from grimoire.formulacheck.tokens import expand_macros

Items = Callable[[str], dict[int, Item]]

# Mutants that leave a true statement: each with the reason it is not a hole.
EQUIVALENT = {
    # a weaker inequality that still holds: n \sum x_i >= H(x), and 2 (1/n) \sum x_i >= H(x)
    ("averages.md:45", "fraction"), ("averages.md:45", "digit"),
    # the softmax Jacobian is symmetric: J_ij = J_ji, and \delta_ij = \delta_ji
    ("softmax.md:35", "index"),
    # a weaker bound that still holds: p (1 - p) <= 4, and <= 2/4
    ("derivations.md:32", "fraction"), ("derivations.md:32", "digit"),
}
PAGES = ["softmax.md", "information.md", "distributions.md", "averages.md", "walks.md", "derivations.md"]


@pytest.mark.parametrize("page", PAGES)
def test_every_non_equivalent_mutant_is_killed(fixture_items: Items, page: str) -> None:
    survivors = []
    total = 0
    for item in fixture_items(page).values():
        if not isinstance(item.block, CheckBlock):
            continue
        results, problem = run_mutants(item)
        assert problem is None, problem
        total += len(results)
        short = item.id.rsplit("/", 1)[-1]
        survivors += [(short, r.mutant.operator, r.mutant.description) for r in results if not r.killed]
    unexplained = [s for s in survivors if (s[0], s[1]) not in EQUIVALENT]
    assert total > 10
    assert not unexplained, f"mutants that survived: {unexplained}"


def test_every_operator_kind_produces_mutants(fixture_items: Items) -> None:
    operators = set()
    for page in PAGES:
        for item in fixture_items(page).values():
            if isinstance(item.block, CheckBlock):
                bound = [entry.name for entry in item.block.entries if entry.name != "lhs"]
                expanded = expand_macros(item.formula.latex, site_macros())  # as run_mutants mutates it
                operators |= {m.operator for m in mutants(expanded, site_macros(), bound)}
    assert operators >= {"sign", "digit", "exponent", "fraction", "transpose", "sqrt", "index", "function",
                         "bounds", "limit", "relation", "operator", "derivative"}


@pytest.mark.parametrize(("latex", "expected"), [
    (r"\int_{0}^{a} f(t) \, dt", r"\int_{a}^{0} f(t) \, dt"),
    (r"\frac{\partial^2 f}{\partial X \partial y}", r"\frac{\partial^2 f}{\partial y \partial y}"),
    (r"\lim_{T \to 0^{+}} f(T)", r"\lim_{T \to 0^{-}} f(T)"),
    (r"\lim_{x \to 1} f(x)", r"\lim_{x \to (1+1)} f(x)"),
    (r"a \le b", r"a \ge  b"),
    (r"\mathbb{E}[X]", r"\operatorname{Var}[X]"),
    (r"\operatorname{Var}(X)", r"\mathbb{E}(X)"),
    (r"\operatorname*{arg\,max}_{j} x_j", r"\operatorname*{arg\,min}_{j} x_j"),
])
def test_derivation_notation_has_its_own_mutants(latex: str, expected: str) -> None:
    assert expected in [m.latex for m in mutants(latex, site_macros(), ["f", "X", "y"])]


def test_an_infinite_upper_bound_is_not_shifted() -> None:
    found = [m.latex for m in mutants(r"\sum_{k=0}^{\infty} a_k", site_macros(), ["a"])]
    assert not any("infty-1" in latex for latex in found)
    assert r"\sum_{k=0}^{n-1} a_k" in [m.latex for m in mutants(r"\sum_{k=0}^{n} a_k", site_macros(), ["a"])]


def test_bound_names_are_not_mutated() -> None:
    found = mutants(r"\Sigma_{21} + x_1", site_macros(), [r"\Sigma_{21}", "x"])
    assert all(r"\Sigma_{21}" in m.latex for m in found)
    assert any("x_{2}" in m.latex for m in found)


# Hand-made mutants of the fixture formulas, one per kind named in the issue.
HAND_MADE = [
    ("softmax.md", 5, "{e^{x_i}}", "{e^{-x_i}}", "sign flip"),
    ("softmax.md", 5, r"\frac{e^{x_i}}{\sum_{j=1}^{n} e^{x_j}}", r"\frac{\sum_{j=1}^{n} e^{x_j}}{e^{x_i}}", "swapped fraction"),
    ("softmax.md", 5, "e^{x_j}", "e^{2 x_j}", "digit change"),
    ("softmax.md", 5, "x_j}}", "x_{j}^2}}", "exponent change"),
    ("softmax.md", 16, r"\exp(X_{ik})", r"\exp(X_{ki})", "wrong axis (index swap)"),
    ("averages.md", 3, r"\mathrm{EMA}_{t-1}", r"\mathrm{EMA}_{t}", "index shift"),
    ("averages.md", 14, "(1-\\alpha)^{t-k}", "(1-\\alpha)^{t-k+1}", "exponent change"),
    ("averages.md", 25, r"1 - \beta^t", r"1 - \beta^{t-1}", "off-by-one exponent"),
    ("walks.md", 36, r"\frac{Q K^\top}{\sqrt{d}}", r"\frac{Q K^\top}{d}", "dropped square root"),
    ("walks.md", 36, r"Q K^\top", "Q K", "dropped transpose"),
    ("walks.md", 60, r"1 + v^\top A^{-1} u", r"1 - v^\top A^{-1} u", "sign flip in an identity"),
    ("walks.md", 60, r"A^{-1} - \frac", r"A^{-1} + \frac", "sign flip in an identity"),
    ("information.md", 3, r"-\log_2 p", r"-\log p", "log base"),
    ("information.md", 32, r"\log \frac{p_i}{q_i}", r"\log \frac{q_i}{p_i}", "swapped fraction in an inequality"),
    ("distributions.md", 3, "(1-p)^{n-k}", "(1-p)^{n-k-1}", "off-by-one"),
    ("distributions.md", 22, r"{x!}", r"{(x+1)!}", "off-by-one factorial"),
]


@pytest.mark.parametrize(("page", "line", "old", "new", "kind"), HAND_MADE, ids=[f"{h[0]}:{h[1]} {h[4]}" for h in HAND_MADE])
def test_hand_made_mutants_are_caught(fixture_items: Items, page: str, line: int, old: str, new: str, kind: str) -> None:
    item = fixture_items(page)[line]
    assert old in item.formula.latex
    assert isinstance(item.block, CheckBlock)
    run_check(prepare(item.formula, item.block, site_macros()))  # the original holds
    mutant = replace(item.formula, latex=item.formula.latex.replace(old, new))
    with pytest.raises((CheckFailure, FormulaError)):
        run_check(prepare(mutant, item.block, site_macros()))
