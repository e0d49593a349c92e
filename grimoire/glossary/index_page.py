"""The generated A-Z index of the glossary: every term, and every alias under its own letter.

Titles, summaries and aliases are an author's plain text, never Markdown or
HTML: they go in as ``markdown_literal`` so no front matter becomes markup.
"""

from __future__ import annotations

import posixpath
from itertools import groupby

from ..markdown_text import markdown_literal
from .registry import Term, normalize

INDEX_SRC_URI = "glossary/index.md"


def _letter(name: str) -> str:
    first = next((c for c in normalize(name) if c.isalnum()), "#")
    return first.upper() if first.isalpha() else "#"


def index_markdown(terms: list[Term]) -> str:
    entries: list[tuple[str, str]] = []  # (sort key, Markdown line)
    for term in terms:
        href = posixpath.relpath(term.src_uri, posixpath.dirname(INDEX_SRC_URI))
        title = markdown_literal(term.meta.title)
        entries.append((normalize(term.meta.title), f"- [{title}]({href}) — {markdown_literal(term.meta.summary)}"))
        listed = {normalize(term.meta.title)}
        for alias in term.meta.aliases:
            # "Bayes rule" and "Bayes' rule" name the same entry: list the first spelling only.
            if normalize(alias) not in listed:
                listed.add(normalize(alias))
                entries.append((normalize(alias), f"- {markdown_literal(alias)} → [{title}]({href})"))
    entries.sort()
    lines = [
        "---",
        "title: Glossary A–Z",
        "summary: Every glossary term, with its aliases and abbreviations listed under their own letter.",
        "---",
        "",
        "# Glossary A–Z",
        "",
        f"{len(terms)} terms. Aliases and abbreviations point to the term they name.",
    ]
    for letter, group in groupby(entries, key=lambda e: _letter(e[0])):
        lines += ["", f"## {letter}", ""]
        lines += [line for _, line in group]
    return "\n".join(lines) + "\n"


# Sections whose index page lists each page with its summary (the glossary has the A-Z above).
SECTION_INDEXES = {
    "derivations": (
        "Derivations",
        "Every derivation on the site, one result a page, each with its one-line summary.",
        "One result a page, derived one step at a time; each display formula is marked with how it is checked.",
    ),
}


def section_index_markdown(section: str, terms: list[Term]) -> tuple[str, str]:
    """(site path, Markdown) of a section's index: each page's title, linked, and its one-line summary."""
    title, summary, intro = SECTION_INDEXES[section]
    src_uri = f"{section}/index.md"
    lines = ["---", f"title: {title}", f"summary: {summary}", "---", "", f"# {title}", "", intro, ""]
    for term in sorted(terms, key=lambda t: normalize(t.meta.title)):
        href = posixpath.relpath(term.src_uri, section)
        lines.append(f"- [{markdown_literal(term.meta.title)}]({href}) — {markdown_literal(term.meta.summary)}")
    return src_uri, "\n".join(lines) + "\n"
