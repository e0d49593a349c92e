"""Term references in Markdown: ``[[softmax]]`` or ``[[softmax|the softmax]]``.

Double brackets cannot be mistaken for an ordinary Markdown link and read
well in raw Markdown. The target is a slug, title or alias (see
``registry.normalize``); the link text is what the author wrote (after the
``|`` when there is one). Code, math and HTML comments are left alone.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..markdown_text import blank_code, blank_spans
from ..problems import Problem
from .registry import Term, TermRegistry

MAX_PROBLEMS_PER_PAGE = 20  # then one problem counts the rest: a log of 70,000 helps no one
# Anything in double brackets on one line; an empty target or text is reported, not ignored.
REFERENCE = re.compile(r"\[\[(?P<inner>[^\[\]\n]*)\]\]")

# Besides code, regions where [[...]] is not a reference, blanked before searching:
# HTML comments (check blocks), display math and inline math ("$" not after "\\" or "$").
_OPENER = re.compile(r"<!--|\$\$|(?<![\\$])\$")
_INLINE_BODY = re.compile(r"[^$\n]*")


def opaque_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each comment and formula, in one pass.

    A comment or display formula that never closes is not one; once a closer
    is known to be missing, later openers do not search for it again, so an
    unclosed ``<!--`` repeated down a long page costs linear time.
    """
    spans: list[tuple[int, int]] = []
    unclosed_after: dict[str, int] = {}  # closer -> an offset after which it does not occur
    pos = 0
    while (m := _OPENER.search(text, pos)) is not None:
        opener = m.group()
        end = -1
        if opener == "$":
            stop = _INLINE_BODY.match(text, m.end()).end()
            if stop < len(text) and text[stop] == "$" and stop > m.end() and text[stop - 1] != "\\":
                end = stop + 1
        else:
            closer = "-->" if opener == "<!--" else "$$"
            if m.end() < unclosed_after.get(closer, len(text) + 1):
                found = text.find(closer, m.end())
                if found < 0:
                    unclosed_after[closer] = m.end()
                else:
                    end = found + len(closer)
        if end < 0:
            pos = m.start() + 1
        else:
            spans.append((m.start(), end))
            pos = end
    return spans


@dataclass(frozen=True)
class Reference:
    start: int
    end: int
    line: int  # 1-based, within the text given
    target: str
    text: str
    malformed: bool = False  # "[[]]", "[[|x]]" or "[[x|]]"


def find_references(markdown: str) -> list[Reference]:
    code_free = blank_code(markdown)
    prose = blank_spans(code_free, opaque_spans(code_free))
    found = []
    line, counted = 1, 0
    for m in REFERENCE.finditer(prose):
        target, bar, text = m.group("inner").partition("|")
        target, text = target.strip(), (text if bar else target).strip()
        line += prose.count("\n", counted, m.start())  # counted once, however many references
        counted = m.start()
        found.append(Reference(m.start(), m.end(), line, target, text, malformed=not (target and text)))
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


def unknown_html(ref: Reference, close: list[str]) -> str:
    """The reference shown in red where it stands, with the closest terms (as broken formulas are).

    ``mkdocs build`` fails on it anyway; under ``mkdocs serve`` the author sees it in place.
    Author text, so escaped; brackets as entities so Markdown reads no link.
    """

    def text(s: str) -> str:
        return html.escape(s).replace("[", "&#91;").replace("]", "&#93;").replace("|", "&#124;")

    hint = f"unknown term; closest: {', '.join(close)}" if close else "unknown term; no term has a similar name"
    return (
        f'<span class="grimoire-term-error" title="{text(hint)}">&#91;&#91;{text(ref.target)}&#93;&#93;'
        f' <small>({text(hint)})</small></span>'
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
    unreported = 0
    for ref in find_references(markdown):
        if len(problems) >= MAX_PROBLEMS_PER_PAGE and (ref.malformed or registry.resolve(ref.target) is None):
            unreported += 1
            continue  # left as written
        term = None if ref.malformed else registry.resolve(ref.target)
        pieces.append(markdown[last : ref.start])
        if ref.malformed:
            problems.append(
                Problem(
                    path,
                    first_line + ref.line - 1,
                    f"empty term reference {markdown[ref.start : ref.end]}",
                    hint="write [[term]] or [[term|link text]], both parts non-empty",
                )
            )
            pieces.append(markdown[ref.start : ref.end])
        elif term is None:
            problem = unknown_reference(path, first_line + ref.line - 1, ref, registry)
            problems.append(problem)
            pieces.append(unknown_html(ref, registry.suggest(ref.target)))
        else:
            on_link(term)
            pieces.append(link_for(term, ref.text, from_src_uri))
        last = ref.end
    pieces.append(markdown[last:])
    if unreported:
        problems.append(
            Problem(path, problems[-1].line, f"{unreported} more term references like these (not listed)")
        )
    return "".join(pieces), problems
