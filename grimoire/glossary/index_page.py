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
