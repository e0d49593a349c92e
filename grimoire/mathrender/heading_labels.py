"""Headings with math as the sidebar's table of contents shows them.

Python-Markdown's toc extension, and mkdocs-jupyter's copy of it for
notebooks, names each heading from its text before any formula is typeset,
so a heading "The case $n = 1$" reached the sidebar as raw TeX. Material
shows a table-of-contents item's ``typeset.title`` (HTML) in place of its
title when one is set; this module takes that HTML from the typeset heading
itself, keyed by the heading's id (the id the table of contents links to).
The formulas in it are still placeholders (``slots.FormulaSlots``): they are
filled with the rest of the page, sidebar included. The plain ``text``
(each formula as its TeX) is what the sidebar puts in an ``aria-label``.

Headings are found with a pattern, not a parser: the page's HTML comes from
Python-Markdown or nbconvert, and a heading never holds another heading.
The pattern is linear in the page, whatever an author writes into it.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..html_text import attribute_text

# A heading's content stops at the next heading tag, so an unclosed <h2> costs one scan, not one per heading.
_HEADING = re.compile(r"<h([1-6])\b([^>]*)>((?:[^<]|<(?!/?h[1-6]\b))*)</h\1\s*>", re.I)
_ID = re.compile(r'\bid="([^"]*)"')
# The pilcrow Python-Markdown (``headerlink``) and nbconvert (``anchor-link``) append to a heading.
_PERMALINK = re.compile(r'<a\b[^>]*\bclass="(?:headerlink|anchor-link)"[^>]*>.*?</a>', re.S)


@dataclass(frozen=True)
class HeadingLabel:
    html: str  # the heading's content, formulas as placeholders
    text: str  # the same as plain text, HTML-escaped, each formula as its TeX


def heading_labels(html: str, holds_formula: Callable[[str], bool]) -> dict[str, HeadingLabel]:
    """The label of every heading of ``html`` with an id and a formula, by id."""
    labels: dict[str, HeadingLabel] = {}
    for m in _HEADING.finditer(html):
        found = _ID.search(m.group(2))
        content = _PERMALINK.sub("", m.group(3)).strip()
        if found is None or not holds_formula(content):
            continue
        # An inline formula's placeholder carries its TeX as <code> text, which the tags leave behind.
        labels[html_lib.unescape(found.group(1))] = HeadingLabel(content, attribute_text(content))
    return labels
