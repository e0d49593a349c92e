"""A check's plain examples depend on what it says, never on where it is."""

from __future__ import annotations

from grimoire.formulacheck.pages import items_of_text, site_macros
from grimoire.formulacheck.prepare import prepare
from grimoire.formulacheck.runner import example_seed
from tests.formulacheck.conftest import page

SOFTMAX = (r"\softmax(x)_i = \frac{e^{x_i}}{\sum_{j=1}^{n} e^{x_j}}",
           "n : int 1..8\nx : vector(n) -30..30\n\\mathrm{softmax} := snippets.activations.softmax")


def seed(text: str, name: str) -> int:
    item = items_of_text(text, name)[0]
    assert item.error is None, item.error
    return example_seed(prepare(item.formula, item.block, site_macros()))  # type: ignore[arg-type]


def test_a_moved_renamed_or_copied_check_draws_the_same_examples() -> None:
    here = seed(page(*SOFTMAX), "glossary/softmax.md")
    assert seed(page(*SOFTMAX), "glossary/softmax-copy.md") == here
    assert seed("# Title\n\nA new paragraph above.\n\n" + page(*SOFTMAX).split("\n", 1)[1], "glossary/softmax.md") == here


def test_another_formula_or_binding_draws_other_examples() -> None:
    here = seed(page(*SOFTMAX), "glossary/softmax.md")
    assert seed(page(SOFTMAX[0].replace("\\sum", "1 + \\sum"), SOFTMAX[1]), "glossary/softmax.md") != here
    assert seed(page(SOFTMAX[0], SOFTMAX[1].replace("softmax\n", "log_softmax\n").replace(
        ":= snippets.activations.softmax", ":= snippets.activations.log_softmax")), "glossary/softmax.md") != here
