"""Markdown to HTML snapshots: arithmatex output typeset by KaTeX.

Each ``tests/snapshots/math/NAME.md`` is converted with the site's Markdown
extensions and typeset; the result must equal ``NAME.html`` byte for byte.
Regenerate after an intended change with ``GRIMOIRE_UPDATE_SNAPSHOTS=1``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import markdown
import pytest

from grimoire.macros import default_macros_path, load_macros
from grimoire.mathrender.page_math import find_formulas, locate_lines, typeset_page
from grimoire.mathrender.renderer import MathRenderer
from grimoire.problems import ProblemLog
from tests.conftest import KATEX_DIR

SNAPSHOTS = Path(__file__).parent.parent / "snapshots" / "math"
UPDATE = os.environ.get("GRIMOIRE_UPDATE_SNAPSHOTS") == "1"


def to_html(source: str) -> str:
    md = markdown.Markdown(
        extensions=["admonition", "pymdownx.superfences", "pymdownx.arithmatex"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    return md.convert(source)


@pytest.fixture(scope="module")
def renderer():
    r = MathRenderer(KATEX_DIR, load_macros(default_macros_path()), None)
    yield r
    r.close()


@pytest.mark.parametrize("name", sorted(p.stem for p in SNAPSHOTS.glob("*.md")))
def test_snapshot(name: str, renderer: MathRenderer) -> None:
    source = (SNAPSHOTS / f"{name}.md").read_text("utf-8")
    problems = ProblemLog()
    html = typeset_page(to_html(source), source, f"{name}.md", renderer, problems)
    assert not problems.problems, [p.format() for p in problems.problems]
    expected_path = SNAPSHOTS / f"{name}.html"
    if UPDATE or not expected_path.exists():
        expected_path.write_text(html, "utf-8")
        if not UPDATE:
            pytest.fail(f"wrote new snapshot {expected_path.name}; review it and run again")
    assert html == expected_path.read_text("utf-8")


@pytest.mark.parametrize("name", sorted(p.stem for p in SNAPSHOTS.glob("*.md")))
def test_snapshot_has_no_placeholder_left(name: str, renderer: MathRenderer) -> None:
    source = (SNAPSHOTS / f"{name}.md").read_text("utf-8")
    html = typeset_page(to_html(source), source, f"{name}.md", renderer, ProblemLog())
    assert find_formulas(html) == []
    assert html.count('class="katex"') == len(find_formulas(to_html(source)))


def test_escaped_dollar_and_code_are_not_math(renderer: MathRenderer) -> None:
    source = (SNAPSHOTS / "inline_and_display.md").read_text("utf-8")
    html = typeset_page(to_html(source), source, "x.md", renderer, ProblemLog())
    assert "a price of $5 stay apart" in html
    assert "<code>$x$</code>" in html


def test_lines_are_found_in_order_even_for_repeated_formulas() -> None:
    source = "a $x$\n\nb\n\n$$\ny\n$$\n\nc $x$ again\n"
    assert locate_lines(source, ["x", "y", "x"]) == [1, 6, 9]


def test_indented_multiline_formula_is_located_by_its_first_line() -> None:
    source = "!!! note\n    $$\n    a = b\n    + c\n    $$\n"
    assert locate_lines(source, ["a = b\n+ c"]) == [3]


def test_a_formula_not_in_the_source_is_placed_at_the_previous_formulas_line() -> None:
    assert locate_lines("nothing here", ["x^2"]) == [1]
    assert locate_lines("a\n$y$\nb\n$c &amp; d$", ["y", "zzz", "c & d"]) == [2, 2, 4]


def test_bad_formulas_are_all_reported_with_lines(renderer: MathRenderer) -> None:
    source = "Good $x$.\n\nBad $\\nope$.\n\n$$\na = \\frac{1}{2\n$$\n"
    problems = ProblemLog()
    html = typeset_page(to_html(source), source, "glossary/bad.md", renderer, problems)
    located = [(p.location, p.message.split(":")[0]) for p in problems.problems]
    assert located == [
        ("glossary/bad.md:3", "KaTeX cannot typeset this inline formula"),
        ("glossary/bad.md:6", "KaTeX cannot typeset this display formula"),
    ]
    assert "Undefined control sequence: \\nope" in problems.problems[0].message
    assert problems.problems[0].detail == "\\nope\n^"
    assert 'class="grimoire-math-error"' in html and html.count('class="katex"') == 1


def test_multiline_error_points_at_the_offending_line(renderer: MathRenderer) -> None:
    source = "Intro.\n\n$$\n\\begin{aligned}\na &= b \\\\\nc &= \\oops\n\\end{aligned}\n$$\n"
    problems = ProblemLog()
    typeset_page(to_html(source), source, "d.md", renderer, problems)
    (problem,) = problems.problems
    assert problem.line == 6
    assert problem.detail.splitlines()[0] == "c &= \\oops"


def test_misspelt_macro_suggests_the_site_macro(renderer: MathRenderer) -> None:
    source = "$\\softmx(x)$\n"
    problems = ProblemLog()
    typeset_page(to_html(source), source, "p.md", renderer, problems)
    assert "did you mean \\softmax?" in problems.problems[0].hint
