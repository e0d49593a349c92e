"""Term references in Markdown: ``[[softmax]]`` or ``[[softmax|the softmax]]``.

Double brackets cannot be mistaken for an ordinary Markdown link and read
well in raw Markdown. The target is a slug, title or alias (see
``registry.normalize``); the link text is what the author wrote (after the
``|`` when there is one). Code, math and HTML comments are left alone.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..markdown_text import blank, blank_code
from ..problems import Problem
from .registry import Term, TermRegistry

REFERENCE = re.compile(r"\[\[(?P<target>[^\[\]|\n]+?)(?:\|(?P<text>[^\[\]\n]+?))?\]\]")

# Besides code, regions where [[...]] is not a reference, blanked before searching.
_OPAQUE = re.compile(
    r"<!--.*?-->"  # HTML comments (check blocks)
    r"|\$\$.*?\$\$"  # display math
    r"|(?<![\\$])\$[^$\n]+?(?<!\\)\$",  # inline math
    re.DOTALL,
)


@dataclass(frozen=True)
class Reference:
    start: int
    end: int
    line: int  # 1-based, within the text given
    target: str
    text: str


def find_references(markdown: str) -> list[Reference]:
    prose = _OPAQUE.sub(blank, blank_code(markdown))
    found = []
    for m in REFERENCE.finditer(prose):
        target = m.group("target").strip()
        text = (m.group("text") or target).strip()
        found.append(Reference(m.start(), m.end(), prose.count("\n", 0, m.start()) + 1, target, text))
    return found


def link_for(term: Term, text: str, from_src_uri: str) -> str:
    """A Markdown link to ``term`` from the page at ``from_src_uri``, marked as a term link."""
    href = posixpath.relpath(term.src_uri, posixpath.dirname(from_src_uri) or ".")
    text = text.replace("[", "\\[").replace("]", "\\]")
    return f'[{text}]({href}){{ .grimoire-term data-term="{term.slug}" }}'


def unknown_reference(path: str, line: int, ref: Reference, registry: TermRegistry) -> Problem:
    close = registry.suggest(ref.target)
    return Problem(
        path,
        line,
        f"unknown term [[{ref.target}]]",
        hint=("closest terms: " + ", ".join(close)) if close else "no term has a similar name; check the spelling",
    )


def link_terms(
    markdown: str,
    from_src_uri: str,
    path: str,
    first_line: int,
    registry: TermRegistry,
    on_link: Callable[[Term], None] = lambda term: None,
) -> tuple[str, list[Problem]]:
    """``markdown`` with every term reference turned into a link.

    ``first_line`` is the source line of the Markdown's first line (front
    matter shifts it), so problems name the line an author opens.
    """
    problems: list[Problem] = []
    pieces: list[str] = []
    last = 0
    for ref in find_references(markdown):
        term = registry.resolve(ref.target)
        pieces.append(markdown[last : ref.start])
        if term is None:
            problems.append(unknown_reference(path, first_line + ref.line - 1, ref, registry))
            pieces.append(markdown[ref.start : ref.end])
        else:
            on_link(term)
            pieces.append(link_for(term, ref.text, from_src_uri))
        last = ref.end
    pieces.append(markdown[last:])
    return "".join(pieces), problems
