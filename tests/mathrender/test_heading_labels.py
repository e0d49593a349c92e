"""Headings with math: the sidebar's table of contents shows them typeset, never as raw TeX."""

from __future__ import annotations

import json
import re

from grimoire.mathrender.heading_labels import heading_labels
from grimoire.mathrender.slots import FormulaSlots
from tests.robustness.conftest import JUPYTER, front, hostile_site  # noqa: F401  (a fixture)
from tests.support.html_checks import raw_tex


def test_a_heading_with_a_formula_is_labelled_by_its_id_without_its_permalink() -> None:
    slots = FormulaSlots("t0")
    formula = slots.park("<span class=katex>N</span>", "n = 1")
    html = (
        f'<h2 id="the-case">The case {formula} &amp; more<a class="headerlink" href="#the-case">¶</a></h2>'
        '<p>text</p><h3 id="plain">No math here</h3>'
        f'<h3 id="nb">Cell {formula}<a class="anchor-link" href="#nb">¶</a></h3>'
    )
    labels = heading_labels(html, slots.holds_formula)
    assert set(labels) == {"the-case", "nb"}
    assert labels["the-case"].html == f"The case {formula} &amp; more"
    assert labels["the-case"].text == "The case n = 1 &amp; more"
    assert slots.fill(labels["nb"].html) == "Cell <span class=katex>N</span>"


def test_a_placeholder_of_another_build_is_not_a_formula() -> None:
    ours, theirs = FormulaSlots("ours"), FormulaSlots("theirs")
    html = f'<h2 id="x">Written {theirs.park("X")}</h2>'
    assert heading_labels(html, ours.holds_formula) == {}


def test_a_heading_never_reaches_past_the_next_heading_tag() -> None:
    # So an unclosed heading costs one scan to the next heading, not one to the end of the page.
    slots = FormulaSlots("t1")
    formula = slots.park("F")
    html = f'<h2 id="open">left open {formula} <h3 id="closed">closed {formula}</h3>'
    labels = heading_labels(html * 3, slots.holds_formula)
    assert list(labels) == ["closed"]
    assert labels["closed"].html == f"closed {formula}"


def test_headings_with_math_are_typeset_in_the_sidebar_of_pages_and_notebooks(hostile_site) -> None:
    notebook = {
        "cells": [
            {"cell_type": "raw", "metadata": {}, "source": ["---\n", "title: Nb\n", "summary: A notebook.\n", "---"]},
            {"cell_type": "markdown", "metadata": {},
             "source": ["# Nb\n", "\n", "## The step $k = 2$ of $x^2$\n", "\n", "Text.\n", "\n", "## Plain\n"]},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    result = hostile_site(
        {
            "glossary/term.md": front("Term")
            + "# Term\n\n## The case $n = 1$ and $a < b$\n\nText.\n\n### Plain heading\n\nMore.\n",
            "glossary/nb.ipynb": json.dumps(notebook, indent=1),
        },
        plugins=JUPYTER,
    )
    assert result.returncode == 0, result.log
    for page in ("glossary/term/index.html", "glossary/nb/index.html"):
        html = result.page(page)
        sidebar = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>\s*</div>', html, re.S)
        assert sidebar is not None, page
        assert sidebar.group(0).count('class="katex"') == 2, page
        assert "Plain" in sidebar.group(0), page
        assert not raw_tex(html), (page, raw_tex(html))
    # The sub-list of a heading is labelled with its text, each formula as its TeX.
    assert 'aria-label="The case n = 1 and a &lt; b"' in result.page("glossary/term/index.html")
