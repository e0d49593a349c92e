"""Keeps typeset formulas out of a page until its final HTML is written.

KaTeX HTML is bulky (MathML, TeX annotations, layout spans). Every plugin
that reads the page content between ``on_page_content`` and the final HTML,
the search indexer above all, would parse it and index TeX as text. So the
page carries a comment placeholder per formula, which parsers skip, and the
formula goes back in when the page is written (``on_post_page``). That keeps
the search index free of formula noise and measured about a third off a warm
build of the pilot site.

An inline formula is part of its sentence, though: without it a search
result reads "from a distribution , but you score ...". So an inline
formula's placeholder carries its TeX source as ``<code>`` text (whitespace
collapsed) for the indexer, and that text goes when the formula goes in.
Display formulas stand apart and stay out of the index.

Each build draws a random token for its placeholders, so a placeholder an
author writes into a page (or one left from another build) is never taken
for a formula: it stays the HTML comment it is.
"""

from __future__ import annotations

import html as html_lib
import re
import secrets

SEARCH_TEXT_CLASS = "grimoire-search-text"


class FormulaSlots:
    def __init__(self, token: str | None = None) -> None:
        self._bodies: list[str] = []
        # Every page's formulas are held until its HTML is written, and the cache hands each page its own
        # copy of a formula's HTML: one copy per distinct formula keeps a big site's build small.
        self._distinct: dict[str, str] = {}
        self._token = token or secrets.token_hex(8)
        self._slot = re.compile(
            rf'<!--grimoire-math:{self._token}:(\d+)-->(?:<code class="{SEARCH_TEXT_CLASS}">[^<]*</code>)?'
        )

    def park(self, body: str, search_text: str = "") -> str:
        """Store a typeset formula; return the placeholder to put in its place.

        ``search_text`` (an inline formula's TeX) is what the search index sees there.
        """
        self._bodies.append(self._distinct.setdefault(body, body))
        slot = f"<!--grimoire-math:{self._token}:{len(self._bodies) - 1}-->"
        text = " ".join(search_text.split())
        return slot + (f'<code class="{SEARCH_TEXT_CLASS}">{html_lib.escape(text)}</code>' if text else "")

    def holds_formula(self, html: str) -> bool:
        """Whether ``html`` has a placeholder of this build."""
        return f"<!--grimoire-math:{self._token}:" in html

    def fill(self, html: str) -> str:
        """Put every parked formula back into ``html``."""

        def body(m: re.Match[str]) -> str:
            index = int(m.group(1))
            return self._bodies[index] if index < len(self._bodies) else m.group(0)

        return self._slot.sub(body, html)
