"""The generated Bibliography and Papers index pages, and the header of a paper page.

Page titles and tags are an author's plain text: they go into generated
Markdown as ``markdown_literal``. Reference text comes from ``formatting``,
already safe as HTML and as Markdown. Links between pages are Markdown links
to source paths, which MkDocs checks and turns into URLs.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby

from ..markdown_text import markdown_literal
from .formatting import Reference
from .render import anchor

BIBLIOGRAPHY_SRC_URI = "bibliography/index.md"
PAPERS_SRC_URI = "papers/index.md"


@dataclass(frozen=True)
class PageRef:
    """A content page, as the generated pages link to it."""

    src_uri: str
    title: str
    tags: tuple[str, ...] = ()


def _link(page: PageRef, from_src_uri: str) -> str:
    href = posixpath.relpath(page.src_uri, posixpath.dirname(from_src_uri))
    return f"[{markdown_literal(page.title)}]({href})"


def bibliography_markdown(references: Mapping[str, Reference], cited_by: Mapping[str, list[PageRef]],
                          papers: Mapping[str, PageRef]) -> str:
    """Every work of ``references.bib``, in bibliography order, with the pages citing it."""
    lines = [
        "---",
        "title: Bibliography",
        "summary: Every work the site cites, with the pages that cite it.",
        "---",
        "",
        "# Bibliography",
        "",
        f"{len(references)} works, from `references.bib`. Each lists the pages that cite it.",
        "",
    ]
    for ref in sorted(references.values(), key=lambda r: r.order):
        where = [_link(p, BIBLIOGRAPHY_SRC_URI) for p in cited_by.get(ref.key, [])]
        extra = []
        if ref.key in papers:
            extra.append("Paper summary: " + _link(papers[ref.key], BIBLIOGRAPHY_SRC_URI))
        extra.append(("Cited in: " + ", ".join(where)) if where else "Cited by no page yet.")
        lines.append(
            f'- <span class="grimoire-ref" id="{anchor(ref.key)}"></span>{ref.html}<br>'
            f'<span class="grimoire-ref__cited">{" · ".join(extra)}</span>'
        )
    return "\n".join(lines) + "\n"


def papers_markdown(papers: Mapping[str, PageRef], references: Mapping[str, Reference]) -> str:
    """The paper pages by year (newest first) and by topic (their tags)."""
    entries = sorted(
        ((references[key], page) for key, page in papers.items() if key in references),
        key=lambda rp: (-int(rp[0].year or 0), rp[0].order),
    )
    lines = [
        "---",
        "title: Papers",
        "summary: Summaries of papers, one a page, by year and by topic.",
        "---",
        "",
        "# Papers",
        "",
        "One page per paper: the question it asks, its method and its evidence. "
        "Every work the site cites is in the [Bibliography](../bibliography/index.md).",
    ]

    def item(ref: Reference, page: PageRef) -> str:
        return f"- {_link(page, PAPERS_SRC_URI)} — {markdown_literal(ref.label.narrative)}"

    if not entries:
        return "\n".join(lines + ["", "No paper pages yet."]) + "\n"
    lines += ["", "## By year"]
    for year, group in groupby(entries, key=lambda rp: rp[0].year):
        lines += ["", f"### {markdown_literal(year)}", ""]
        lines += [item(ref, page) for ref, page in group]
    lines += ["", "## By topic"]
    topics: dict[str, list[tuple[Reference, PageRef]]] = {}
    for ref, page in entries:
        for tag in page.tags or ("Untagged",):
            topics.setdefault(tag, []).append((ref, page))
    for tag in sorted(topics, key=str.casefold):
        lines += ["", f"### {markdown_literal(tag)}", ""]
        lines += [item(ref, page) for ref, page in topics[tag]]
    return "\n".join(lines) + "\n"


def paper_header(ref: Reference) -> str:
    """The header of a paper page: full reference, venue and year, links, and a "Cite" control with the BibTeX."""
    venue = " · ".join(html.escape(part) for part in (ref.venue, ref.year) if part)
    links = " · ".join(f'<a href="{html.escape(url)}">{html.escape(text)}</a>' for text, url in ref.links())
    parts = [
        '<div class="grimoire-paper">',
        f'<p class="grimoire-paper__reference">{ref.html}</p>',
        f'<p class="grimoire-paper__venue">{venue}</p>' if venue else "",
        f'<p class="grimoire-paper__links">{links}</p>' if links else "",
        '<details class="grimoire-paper__cite"><summary>Cite</summary>',
        f'<pre><code class="language-bibtex">{html.escape(ref.bibtex())}</code></pre>',
        "</details>",
        "</div>",
    ]
    return "\n".join(p for p in parts if p)
