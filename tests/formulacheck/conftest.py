"""Helpers shared by the formula-checker tests: build a one-formula page, check it, evaluate LaTeX."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from grimoire.formulacheck.evaluator import Evaluator, dependencies
from grimoire.formulacheck.names import bound_name, substitute
from grimoire.formulacheck.pages import Item, items_of_page, items_of_text, site_macros
from grimoire.formulacheck.parser import Parser
from grimoire.formulacheck.prepare import prepare
from grimoire.formulacheck.runner import run_check
from grimoire.formulacheck.tokens import expand_macros, tokenize

FIXTURES = Path(__file__).parent / "fixtures"


def page(latex: str, block: str, kind: str = "check") -> str:
    """A Markdown page whose line 3 holds ``latex`` (line 2 is the opening $$)."""
    return f"# Test page\n$$\n{latex}\n$$\n<!-- {kind}\n{block}\n-->\n"


def check_text(text: str, examples: int | None = 30, name: str = "test.md") -> None:
    """Prepare and run the first formula of ``text``; raises FormulaError or CheckFailure."""
    item = items_of_text(text, name)[0]
    if item.error is not None:
        raise item.error
    run_check(prepare(item.formula, item.block, site_macros()), examples)  # type: ignore[arg-type]


@pytest.fixture
def check() -> Callable[..., None]:
    def run(latex: str, block: str, examples: int | None = 30) -> None:
        check_text(page(latex, block), examples)
    return run


def _evaluate(latex: str, base: int = 1, callables: tuple[str, ...] = (), **values: Any) -> Any:
    """Evaluate one LaTeX expression with single-token names bound to ``values`` (\\alpha as alpha)."""
    macros = site_macros()
    keys = {}
    refs = {}
    for python, value in values.items():
        latex_name = python if len(python) == 1 or python in ("d_v",) else "\\" + python
        keys[bound_name(latex_name, macros).signature] = latex_name
        refs[latex_name] = value
    tokens, _ = substitute(tokenize(expand_macros(latex, macros)), keys)
    parser = Parser(tokens, {keys[bound_name(c if len(c) == 1 else "\\" + c, macros).signature] for c in callables},
                    lambda offset: None)
    node = parser.expression()
    assert parser.peek() is None, f"unparsed tokens in {latex}"
    return Evaluator(refs, base, dependencies(node)).evaluate(node)


def _fixture_items(name: str) -> dict[int, Item]:
    return {item.formula.line: item for item in items_of_page(FIXTURES / name, FIXTURES.parent.parent.parent)}


@pytest.fixture
def evaluate() -> Callable[..., Any]:
    return _evaluate


@pytest.fixture
def fixture_items() -> Callable[[str], dict[int, Item]]:
    return _fixture_items


@pytest.fixture
def check_page_text() -> Callable[..., None]:
    return check_text


@pytest.fixture
def make_page() -> Callable[..., str]:
    return page
