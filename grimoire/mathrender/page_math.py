"""Typesets the formulas of a Markdown page's HTML with KaTeX.

pymdownx.arithmatex (generic mode) has already protected each formula from
Markdown and left it as ``<span class="arithmatex">\\(tex\\)</span>`` or
``<div class="arithmatex">\\[tex\\]</div>``, HTML-escaped. This module swaps
each for KaTeX's HTML, keeping arithmatex's wrapper element so Material's
styles for it (horizontal scrolling of wide display math) still apply.

Line numbers come from the page's source text: formulas are found there in
order, so the n-th occurrence of a formula maps to its n-th source position.
"""

from __future__ import annotations

import bisect
import html as html_lib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..problems import ProblemLog
from ..problems import Problem
from .diagnostics import DETAIL_CHARS, math_problem, shorten, warning_problem
from .katex_commands import katex_commands
from .katex_process import RenderRequest
from .leaks import leaked_tex
from .renderer import MathRenderer

ARITHMATEX = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.*?)\\\)</span>'
    r'|<div class="arithmatex">\\\[(?P<display>.*?)\\\]</div>',
    re.DOTALL,
)

ERROR_CLASS = "grimoire-math-error"
_NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class FoundFormula:
    start: int  # span of the placeholder in the HTML
    end: int
    tex: str
    display: bool


def find_formulas(html: str) -> list[FoundFormula]:
    found = []
    for m in ARITHMATEX.finditer(html):
        display = m.group("display") is not None
        tex = html_lib.unescape(m.group("display") if display else m.group("inline")).strip()
        found.append(FoundFormula(m.start(), m.end(), tex, display))
    return found


def locate_lines(source: str, texs: Sequence[str]) -> list[int | None]:
    """The 1-based source line where each formula starts, searched in order.

    A formula that does not occur verbatim (say, an indented multi-line formula
    inside an admonition) is looked up by its first line instead, then with
    HTML entities, and failing all that placed at the previous formula's line.
    """
    lines: list[int | None] = []
    cursor = 0
    newlines = [m.start() for m in _NEWLINE.finditer(source)]  # line of an offset by bisection, not a count from 0
    for tex in texs:
        pos = -1
        first = tex.split("\n", 1)[0].strip()
        # As written, as its first line, as an author writes '&' and '<' with entities.
        for needle in (tex, first, html_lib.escape(first, quote=False)):
            if not needle:
                continue
            pos = source.find(needle, cursor)
            if pos < 0:
                pos = source.find(needle)
            if pos >= 0:
                break
        if pos < 0:  # rewritten beyond recognition: formulas come in order, so where the last one was
            lines.append(bisect.bisect_left(newlines, max(cursor - 1, 0)) + 1)
            continue
        cursor = pos + 1
        lines.append(bisect.bisect_left(newlines, pos) + 1)
    return lines


def error_html(tex: str, display: bool, message: str) -> str:
    """What a reader sees in place of a formula KaTeX refused (under `mkdocs serve`)."""
    tag = "div" if display else "span"
    return (
        f'<{tag} class="{ERROR_CLASS}" title="{html_lib.escape(message)}">'
        f"<code>{html_lib.escape(shorten(tex, 5 * DETAIL_CHARS))}</code></{tag}>"
    )


def typeset(
    found: Sequence[FoundFormula],
    lines: Sequence[int | None],
    path: str,
    renderer: MathRenderer,
    problems: ProblemLog,
    cells: Sequence[int] | None = None,
) -> list[str]:
    """KaTeX HTML for each formula; a refused formula is logged and shown as its TeX.

    ``cells`` gives each formula's notebook cell, for problems in notebooks.
    A page may hold ``limits.max_formulas_per_page`` formulas and
    ``limits.max_html_chars_per_page`` of their HTML; the rest are shown as TeX.
    """
    limits = renderer.limits
    results = renderer.render([RenderRequest(f.tex, f.display) for f in found[: limits.max_formulas_per_page]])
    out: list[str] = []
    budget = limits.max_html_chars_per_page
    over: str | None = None  # why the rest of the page is not typeset
    for i, formula in enumerate(found):
        line = lines[i]
        cell = None if cells is None else cells[i]
        result = results[i] if i < len(results) else None
        if over is None:
            if result is None:
                over = f"the page has {len(found)} formulas, over the limit of {limits.max_formulas_per_page}"
            elif result.html is not None and len(result.html) > budget:
                over = f"the page's typeset formulas exceed {limits.max_html_chars_per_page} characters of HTML"
            if over is not None:
                problems.add(
                    Problem(
                        path,
                        line,
                        f"{over}; formulas from here on are shown as TeX",
                        hint="split the page into several pages",
                        cell=cell,
                    )
                )
        if over is not None or result is None:
            out.append(error_html(formula.tex, formula.display, over or ""))
            continue
        if result.html is not None:
            budget -= len(result.html)
        for warning in result.warnings:
            problems.add(replace(warning_problem(path, line, formula.tex, warning), cell=cell))
        if result.html is None:
            problem = math_problem(path, line, formula.tex, formula.display, result, renderer.macros,
                                   katex_commands(renderer.katex_dir))
            problems.add(replace(problem, cell=cell))
            out.append(error_html(formula.tex, formula.display, problem.message))
        else:
            out.append(result.html)
    return out


def splice(html: str, found: Sequence[FoundFormula], bodies: Sequence[str]) -> str:
    """``html`` with each found formula's span replaced by its body."""
    pieces = []
    last = 0
    for formula, body in zip(found, bodies):
        pieces.append(html[last : formula.start])
        pieces.append(body)
        last = formula.end
    pieces.append(html[last:])
    return "".join(pieces)


def identity(body: str, search_text: str = "") -> str:
    return body


def typeset_page(
    html: str,
    source: str,
    path: str,
    renderer: MathRenderer,
    problems: ProblemLog,
    place: Callable[[str, str], str] = identity,
    after_display: Callable[[int | None], str] | None = None,
    numbered: Callable[[int | None], tuple[str, Sequence[str]] | None] | None = None,
) -> str:
    """The page HTML with every arithmatex formula replaced by KaTeX output.

    ``place`` decides what goes into the page for each typeset formula: the
    HTML itself by default, or a placeholder (see ``slots.FormulaSlots``); it
    is given the HTML and, for an inline formula, its TeX (for search).
    ``after_display`` gives HTML to put after each display formula, from the
    source line where its TeX starts (the formula-check marks). ``numbered``
    gives, from that line, a labelled display's TeX to typeset instead (its
    labels made tags) and its anchor ids (see ``grimoire.equations``).
    """
    found = find_formulas(html)
    if not found:
        return html
    lines = locate_lines(source, [f.tex for f in found])
    anchors: list[Sequence[str]] = [()] * len(found)
    if numbered is not None:
        for i, (formula, line) in enumerate(zip(found, lines)):
            numbering = numbered(line) if formula.display else None
            if numbering is not None:
                found[i] = replace(formula, tex=numbering[0])
                anchors[i] = numbering[1]
    rendered = typeset(found, lines, path, renderer, problems)
    bodies = []
    for formula, line, body, ids in zip(found, lines, rendered, anchors):
        tag = "div" if formula.display else "span"
        after = after_display(line) if after_display is not None and formula.display else ""
        # The display carries its first label as id (the target of page/#eq:name); the
        # other rows' labels of an aligned block are anchors at its top.
        own = f' id="{html_lib.escape(ids[0])}"' if ids else ""
        extra = "".join(f'<span class="grimoire-eq-anchor" id="{html_lib.escape(i)}"></span>' for i in ids[1:])
        search_text = "" if formula.display else formula.tex
        bodies.append(f'<{tag} class="arithmatex"{own}>{extra}{place(body, search_text)}</{tag}>{after}')
    return splice(html, found, bodies)



MAX_LEAKS_REPORTED = 20  # per page; one more problem says how many were left out


def report_leaks(html: str, source: str, path: str, problems: ProblemLog) -> None:
    """A problem for each piece of TeX left untypeset in ``html`` (see ``leaks``).

    Each is placed at the first source line, from the previous find on, that
    holds the longest stretch of it still found there (Markdown may have
    changed the rest), or at least its delimiter or command.
    """
    found = leaked_tex(html, limit=MAX_LEAKS_REPORTED + 1)
    cursor = 0
    for tex, context in found[:MAX_LEAKS_REPORTED]:
        pos = -1
        for size in (len(tex), 12, 4, 2, 1):
            pos = source.find(tex[:size], cursor)
            if pos < 0:
                pos = source.find(tex[:size])
            if pos >= 0:
                break
        if pos >= 0:
            cursor = pos + 1
        problems.add(
            Problem(
                path,
                # Markdown may have rewritten every character (an escape, an entity): then the last find's line.
                source.count("\n", 0, pos if pos >= 0 else cursor) + 1,
                "TeX reached the page untypeset",
                detail=context.strip(),
                hint="inside math write \\lt for '<' (Markdown reads '<' before a letter as an HTML tag); "
                "put TeX shown as text in `code`",
            )
        )
    if len(found) > MAX_LEAKS_REPORTED:
        problems.add(
            Problem(
                path,
                source.count("\n", 0, cursor) + 1,
                f"more untypeset TeX after the {MAX_LEAKS_REPORTED} finds above (not listed)",
                hint="fix the finds above and build again",
            )
        )
