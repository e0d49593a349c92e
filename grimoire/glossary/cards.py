"""Hover cards: the summary and defining formula of each term a page links to.

Each page carries one ``<template>`` per term it links to; the site script
``term-cards.js`` shows it next to a term link on hover or keyboard focus.
Templates are inert (not rendered, not read aloud) until shown.
"""

from __future__ import annotations

import html

from .registry import Term


def card_template(term: Term, formula_html: str | None) -> str:
    parts = [
        f'<template id="grimoire-card-{term.slug}">',
        f'<p class="grimoire-card__title">{html.escape(term.meta.title)}</p>',
        f'<p class="grimoire-card__summary">{html.escape(term.meta.summary)}</p>',
    ]
    if formula_html:
        parts.append(f'<div class="grimoire-card__formula">{formula_html}</div>')
    parts.append("</template>")
    return "".join(parts)


def cards_block(templates: list[str]) -> str:
    return f'<div class="grimoire-cards" hidden>{"".join(templates)}</div>' if templates else ""
