"""Hover cards of equation references: the equation's number, page and typeset formula.

They are the glossary's cards (``glossary.cards``, shown by ``term-cards.js``):
one inert ``<template>`` per equation the page cites, its id in the link's
``data-card``. The formula is KaTeX HTML made at build time.
"""

from __future__ import annotations

import html


def card_id(index: int) -> str:
    """The template id of the page's ``index``-th cited equation (term cards are ``grimoire-card-<slug>``)."""
    return f"grimoire-eqcard-{index}"


def equation_card(index: int, number: int, page_title: str | None, formula_html: str | None) -> str:
    """``page_title``: the cited page's title when it is another page, else None."""
    title = f"Equation ({number})" + (f" in {page_title}" if page_title else "")
    parts = [f'<template id="{card_id(index)}">', f'<p class="grimoire-card__title">{html.escape(title)}</p>']
    if formula_html:
        parts.append(f'<div class="grimoire-card__formula">{formula_html}</div>')
    parts.append("</template>")
    return "".join(parts)
