"""Citations and a page's References section as HTML, put into the page's Markdown.

A citation becomes raw inline HTML: a link to the entry in the page's
References section (``#ref-KEY``), with an id of its own (``cite-KEY-N``) for
the entry's back-links, and, when the work has a paper page, a second small
link to it. Label text is escaped for HTML and for Markdown; the prefix and
suffix an author wrote stay Markdown. Keys reach attributes escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

from ..markdown_text import markdown_escape
from .formatting import Reference
from .syntax import Citation, CiteItem

REFERENCES_HEADING = "## References { #references }"
_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def anchor(key: str) -> str:
    """The id of a key's entry: ``ref-`` and the key with characters unsafe in a fragment replaced."""
    return "ref-" + _ANCHOR_UNSAFE.sub("-", key)


def paper_link(href: str | None) -> str:
    if href is None:
        return ""
    return f'<sup class="grimoire-cite__paper"><a href="{html.escape(href)}">summary</a></sup>'


class CitationWriter:
    """Writes one page's citations, numbering each key's occurrences for the back-links."""

    def __init__(self, references: Mapping[str, Reference], paper_href: Callable[[str], str | None]) -> None:
        self.references = references
        self.paper_href = paper_href
        self.occurrences: dict[str, int] = {}  # key -> citations of it so far on this page

    def _link(self, ref: Reference, text: str) -> str:
        n = self.occurrences.get(ref.key, 0) + 1
        self.occurrences[ref.key] = n
        key = html.escape(ref.key)
        cid = f"cite-{anchor(ref.key)[4:]}-{n}"
        return (
            f'<a class="grimoire-cite" id="{cid}" href="#{anchor(ref.key)}" data-cite="{key}">'
            f"{markdown_escape(text)}</a>{paper_link(self.paper_href(ref.key))}"
        )

    def _item(self, item: CiteItem) -> str:
        ref = self.references[item.key]
        text = ref.label.year if item.suppress_author else ref.label.parenthetical
        prefix = item.prefix + " " if item.prefix else ""
        suffix = item.suffix
        if suffix and suffix[0] not in ",;:.":
            suffix = " " + suffix
        return prefix + self._link(ref, text) + suffix

    def write(self, citation: Citation) -> str:
        """The HTML of one citation whose keys are all known."""
        if citation.narrative:
            (item,) = citation.items
            return self._link(self.references[item.key], self.references[item.key].label.narrative)
        return "(" + "; ".join(self._item(item) for item in citation.items) + ")"


def references_section(cited: list[Reference], occurrences: Mapping[str, int],
                       paper_href: Callable[[str], str | None]) -> str:
    """The Markdown of a page's References section: its works in bibliography order, with back-links."""
    items = []
    for ref in sorted(cited, key=lambda r: r.order):
        backs = " ".join(
            f'<a href="#cite-{anchor(ref.key)[4:]}-{n}" aria-label="back to citation {n}">↩</a>'
            for n in range(1, occurrences.get(ref.key, 0) + 1)
        )
        paper = paper_href(ref.key)
        summary = f' <a class="grimoire-ref__paper" href="{html.escape(paper)}">Paper summary</a>' if paper else ""
        items.append(
            f'<li class="grimoire-ref" id="{anchor(ref.key)}"><span class="grimoire-ref__text">{ref.html}</span>'
            f'{summary} <span class="grimoire-ref__back">{backs}</span></li>'
        )
    return "\n\n" + REFERENCES_HEADING + "\n\n" + '<ul class="grimoire-references">\n' + "\n".join(items) + "\n</ul>\n"
