"""Numbered equations through the real hooks: tags, anchors, links across pages, cards, errors at file:line."""

from __future__ import annotations

import re

import pytest

from tests.support.pagefind_index import indexed_text

pytestmark = pytest.mark.slow

STEPS = r"""
---
title: Steps
summary: A derivation in steps.
---

# Steps

By \eqref{eq:chain}, and as the squares page says in \eqref{glossary/squares#eq:squares}:

$$
\begin{aligned}
a &= 2 \label{eq:start} \\
&= 1 + 1 \label{eq:chain}
\end{aligned}
$$
<!-- nocheck: numbering under test -->

Equation \ref{eq:start} starts it; `\eqref{eq:not-a-reference}` is code.
"""


def labelled_squares(project, formula: str = "S(x) = \\sum_{i=1}^{n} x_i^2") -> None:
    page = project.root / "glossary/squares.md"
    text = page.read_text("utf-8").replace("S(x) = \\sum_{i=1}^{n} x_i^2", formula + " \\label{eq:squares}")
    page.write_text(text + "\nSee \\eqref{derivations/steps#eq:chain} for steps.\n", "utf-8")


def test_equations_are_numbered_anchored_and_linked_across_pages(project) -> None:
    labelled_squares(project)
    project.write("derivations/steps.md", STEPS)
    result = project.build()
    assert result.returncode == 0, result.log
    assert "anchor" not in result.log  # MkDocs' link validation knows the equations' ids
    steps = result.page("derivations/steps/index.html")
    assert re.search(r'<div class="arithmatex" id="eq:start"><span class="grimoire-eq-anchor" id="eq:chain">', steps)
    assert '<a class="grimoire-eqref" data-card="grimoire-eqcard-0" href="#eq:chain">(2)</a>' in steps
    assert re.search(r'<a class="grimoire-eqref" data-card="grimoire-eqcard-1" '
                     r'href="\.\./\.\./glossary/squares/#eq:squares">\(1\)</a>', steps)
    assert '<a class="grimoire-eqref" data-card="grimoire-eqcard-2" href="#eq:start">1</a>' in steps
    assert "<code>\\eqref{eq:not-a-reference}</code>" in steps
    cards = re.search(r'<div class="grimoire-cards" hidden>(.*?)</div>\s*</article>', steps, re.S)
    assert cards, steps
    assert "Equation (1) in Sum of squares" in cards.group(1) and "Equation (2)</p>" in cards.group(1)
    assert cards.group(1).count('class="katex-display"') == 3 and "\\label" not in steps
    squares = result.page("glossary/squares/index.html")
    assert '<div class="arithmatex" id="eq:squares">' in squares
    assert 'href="../../derivations/steps/#eq:chain">(2)</a>' in squares
    assert "grimoire-check--passed" in squares  # the checker reads the labelled formula
    index = indexed_text(result.site_dir)
    assert "By (2), and as the squares page says in (1)" in index and "\\eqref{eq:chain}" not in index


def test_every_equation_error_is_reported_at_its_line_with_the_closest_names(project) -> None:
    labelled_squares(project)
    project.write("derivations/steps.md", STEPS + r"""
$$
b = 3 \label{eq:start}
$$
<!-- nocheck: a duplicate label -->

$$
c = 4 \label{start}
$$
<!-- nocheck: a malformed label -->

By \eqref{eq:chian}, \eqref{glossary/sqaures#eq:squares}, \eqref{glossary/squares#eq:square} and $\eqref{eq:start}$.
""")
    result = project.build()
    assert result.returncode != 0
    log = result.log
    expected = [
        "derivations/steps.md:21: duplicate equation label eq:start",
        "derivations/steps.md:26: malformed equation label \\label{start}",
        "derivations/steps.md:30: \\eqref{eq:chian}: this page has no equation labelled eq:chian",
        "hint: closest labels: eq:chain",
        "derivations/steps.md:30: \\eqref{glossary/sqaures#eq:squares}: no page glossary/sqaures",
        "hint: closest pages: glossary/squares",
        "derivations/steps.md:30: \\eqref{glossary/squares#eq:square}: glossary/squares.md has no equation "
        "labelled eq:square",
        "hint: closest labels: eq:squares",
        "derivations/steps.md:30: KaTeX cannot typeset this inline formula: Undefined control sequence: \\eqref",
        "write \\eqref{eq:name} in running text",
    ]
    missing = [part for part in expected if part not in log]
    assert not missing, (missing, log)
    assert "equation (1) at line 12" in log
    assert log.count("Grimoire: 6 problems in 1 file") == 1, log


def test_a_failing_check_of_a_numbered_equation_names_its_number(project) -> None:
    labelled_squares(project, "S(x) = \\sum_{i=1}^{n} x_i^3")
    project.write("derivations/steps.md", STEPS)
    result = project.build()
    assert result.returncode != 0
    assert "glossary/squares.md:8: formula check failed at step 1 (equation (1)): " in result.log, result.log
    loose = project.build(strict=False)
    assert "check failed at step 1 (equation (1))" in loose.page("glossary/squares/index.html")
