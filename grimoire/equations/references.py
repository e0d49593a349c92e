"""Equation references in running text: ``\\eqref{eq:name}``, ``\\ref{eq:name}``, ``\\eqref{page#eq:name}``.

Found where term references are (``glossary.references``): code spans and
blocks, HTML comments (check blocks) and math are blanked first, so a
reference never fires inside them. Inside math KaTeX reports ``\\eqref`` as
an unknown command, with a hint to move it out. Each reference becomes a
Markdown link marked for the hover card; an unresolved one becomes "(??)",
as in LaTeX, and a problem at its line with the closest labels or pages.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..glossary.references import opaque_spans
from ..markdown_text import blank_code, blank_spans
from ..problems import Problem
from .numbering import LABEL_HINT, Equation, PageEquations
from .syntax import LABEL, REFERENCE, parse_target

MAX_PROBLEMS_PER_PAGE = 20


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    line: int  # 1-based, within the text given
    kind: str  # eqref, ref or label (a \label in running text)
    target: str


@dataclass(frozen=True)
class Resolved:
    page: PageEquations
    equation: Equation


def find_in_prose(markdown: str) -> list[Found]:
    """Every ``\\eqref``, ``\\ref`` and stray ``\\label`` outside code, comments and math, in order."""
    code_free = blank_code(markdown)
    prose = blank_spans(code_free, opaque_spans(code_free))
    hits = [(m.start(), m.end(), m.group("kind"), m.group("target")) for m in REFERENCE.finditer(prose)]
    hits += [(m.start(), m.end(), "label", m.group("name")) for m in LABEL.finditer(prose)]
    found, line, counted = [], 1, 0
    for start, end, kind, target in sorted(hits):
        line += prose.count("\n", counted, start)
        counted = start
        found.append(Found(start, end, line, kind, target))
    return found


def page_key(src_uri: str) -> str:
    """How a reference names a page: its path from the project root without ``.md``."""
    return src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri


def resolve(ref: Found, here: PageEquations, pages: Mapping[str, PageEquations], path: str,
            line: int) -> Resolved | Problem:
    """The equation ``ref`` names, or the problem saying why it names none."""
    written = f"\\{ref.kind}{{{ref.target}}}"
    parsed = parse_target(ref.target)
    if parsed is None:
        return Problem(path, line, f"malformed equation reference {written}",
                       hint="write \\eqref{eq:name}, or \\eqref{derivations/page#eq:name} for another page's "
                       "equation; " + LABEL_HINT)
    page_name, label = parsed
    target = here if page_name is None else pages.get(page_name)
    if target is None:
        close = difflib.get_close_matches(page_name or "", sorted(pages), n=3, cutoff=0.5)
        return Problem(path, line, f"{written}: no page {page_name}",
                       hint=("closest pages: " + ", ".join(close)) if close else
                       "name the page by its path from the project root, without .md (derivations/attention-scaling)")
    equation = target.equations.get(label)
    if equation is None:
        close = difflib.get_close_matches(label, sorted(target.equations), n=3, cutoff=0.5)
        where = "this page" if target is here else target.path
        if close:
            hint = "closest labels: " + ", ".join(close)
        elif target.equations:
            hint = "labels on that page: " + ", ".join(sorted(target.equations)[:8])
        else:
            hint = f"{where} labels no equation; label one with \\label{{{label}}} inside its $$ ... $$"
        return Problem(path, line, f"{written}: {where} has no equation labelled {label}", hint=hint)
    return Resolved(target, equation)


def link(resolved: Resolved, kind: str, from_src_uri: str, card_id: str) -> str:
    """The Markdown link of a resolved reference: "(3)" for ``\\eqref``, "3" for ``\\ref``."""
    number = resolved.equation.number
    text = f"({number})" if kind == "eqref" else str(number)
    href = f"#{resolved.equation.label}"
    if resolved.page.src_uri != from_src_uri:
        href = posixpath.relpath(resolved.page.src_uri, posixpath.dirname(from_src_uri) or ".") + href
    return f'[{text}]({href}){{ .grimoire-eqref data-card="{card_id}" }}'


def link_references(markdown: str, from_src_uri: str, path: str, first_line: int, here: PageEquations,
                    pages: Mapping[str, PageEquations], card_id: Callable[[Resolved], str]) -> tuple[str, list[Problem]]:
    """``markdown`` with each reference linked; ``first_line``: the source line of its first line."""
    problems: list[Problem] = []
    pieces: list[str] = []
    last = 0
    unreported = 0
    for ref in find_in_prose(markdown):
        line = first_line + ref.line - 1
        if ref.kind == "label":
            outcome: Resolved | Problem = Problem(
                path, line, f"\\label{{{ref.target}}} outside a display formula",
                hint="put the \\label inside the $$ ... $$ of the equation it names")
        else:
            outcome = resolve(ref, here, pages, path, line)
        pieces.append(markdown[last : ref.start])
        if isinstance(outcome, Problem):
            if len(problems) < MAX_PROBLEMS_PER_PAGE:
                problems.append(outcome)
            else:
                unreported += 1
            pieces.append("" if ref.kind == "label" else "(??)" if ref.kind == "eqref" else "??")
        else:
            pieces.append(link(outcome, ref.kind, from_src_uri, card_id(outcome)))
        last = ref.end
    pieces.append(markdown[last:])
    if unreported:
        problems.append(Problem(path, problems[-1].line, f"{unreported} more equation references like these "
                                "(not listed)"))
    return "".join(pieces), problems
