"""Typesets the Markdown-cell formulas of a notebook page rendered by mkdocs-jupyter.

nbconvert leaves math in Markdown cells as HTML-escaped ``$tex$`` and
``$$tex$$`` text for MathJax, and its template adds MathJax (and a mermaid
loader) from a CDN. Here the formulas are taken from the cell sources with
nbconvert's own math grammar (``MarkdownWithMath``), so what is typeset is
exactly what nbconvert delimited and an escaped ``\\$`` is never mistaken for
math; each is then found, in order, inside its cell's HTML and replaced by
KaTeX output. Scripts that load from another host are removed.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from ..problems import ProblemLog
from .page_math import FoundFormula, identity, locate_lines, splice, typeset
from .renderer import MathRenderer

_CELL_START = re.compile(r'<div class="jp-Cell jp-(?P<kind>\w+)Cell\b')
_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_EXTERNAL = re.compile(r"""(?:src\s*=\s*["']?|import\s*\(\s*["'`]|["'`])(?:https?:)?//""", re.I)
_EMPTY_SRC = re.compile(r"""\bsrc\s*=\s*(?:""|'')""")
_MATHJAX_COMMENT = re.compile(
    r"<!-- (?:Load mathjax|MathJax configuration|End of mathjax configuration|End of mermaid configuration) -->"
)


@dataclass(frozen=True)
class CellFormula:
    tex: str
    display: bool


class _RecordingRenderer(IPythonRenderer):  # type: ignore[misc]
    """Renders like nbconvert but remembers every formula it meets."""

    def __init__(self) -> None:
        super().__init__(escape=False)
        self.formulas: list[CellFormula] = []

    def block_math(self, body: str) -> str:
        self.formulas.append(CellFormula(body, True))
        return super().block_math(body)

    def inline_math(self, body: str) -> str:
        self.formulas.append(CellFormula(body, False))
        return super().inline_math(body)

    def latex_environment(self, name: str, body: str) -> str:
        self.formulas.append(CellFormula(f"\\begin{{{name}}}{body}\\end{{{name}}}", True))
        return super().latex_environment(name, body)


def cell_formulas(source: str) -> list[CellFormula]:
    renderer = _RecordingRenderer()
    MarkdownWithMath(renderer=renderer).render(source)
    return renderer.formulas


def markdown_cell_sources(notebook_text: str) -> list[tuple[int, str]]:
    """(1-based cell number, source) of every Markdown cell."""
    cells = json.loads(notebook_text).get("cells", [])
    out = []
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            out.append((number, "".join(source) if isinstance(source, list) else source))
    return out


def _delimited(formula: CellFormula) -> list[str]:
    """How nbconvert writes the formula into HTML, most likely first."""
    body = html_lib.escape(formula.tex, quote=False)
    if formula.tex.startswith("\\begin{"):
        return [body]
    return [f"$${body}$$"] if formula.display else [f"${body}$"]


def strip_external_scripts(html: str) -> str:
    """Removes every script that loads code from another host (MathJax, mermaid).

    An empty ``src`` is the MathJax loader with its URL blanked by mkdocs-jupyter.
    """

    def keep(m: re.Match[str]) -> str:
        attrs, body = m.group("attrs"), m.group("body")
        if (
            "mathjax" in attrs.lower()
            or _EMPTY_SRC.search(attrs)
            or _EXTERNAL.search(attrs)
            or _EXTERNAL.search(body)
        ):
            return ""
        return m.group(0)

    return _MATHJAX_COMMENT.sub("", _SCRIPT.sub(keep, html))


def typeset_notebook(
    html: str,
    notebook_text: str,
    path: str,
    renderer: MathRenderer,
    problems: ProblemLog,
    place: Callable[[str, str], str] = identity,
    after_display: Callable[[int | None], str] | None = None,
    line_source: str | None = None,
) -> str:
    """The notebook page HTML with its Markdown-cell math typeset and CDN scripts removed.

    ``place`` is as for ``page_math.typeset_page``. ``after_display`` gives
    the HTML to put after each display formula (its check mark) from the
    line where its TeX starts in ``line_source``, the notebook's Markdown at
    its file lines (``notebook_page.markdown_at_file_lines``). nbconvert puts
    display math inside a paragraph, so the mark goes after that paragraph.
    """
    html = strip_external_scripts(html)
    starts = [m.start() for m in _CELL_START.finditer(html)]
    kinds = [m.group("kind") for m in _CELL_START.finditer(html)]
    bounds = list(zip(starts, starts[1:] + [len(html)]))
    markdown_regions = [b for b, kind in zip(bounds, kinds) if kind == "Markdown"]
    sources = markdown_cell_sources(notebook_text)

    found: list[FoundFormula] = []
    lines: list[int | None] = []
    cells: list[int] = []
    for (cell_number, source), (start, end) in zip(sources, markdown_regions):
        formulas = cell_formulas(source)
        cursor = start
        for formula, line in zip(formulas, locate_lines(source, [f.tex for f in formulas])):
            for needle in _delimited(formula):
                pos = html.find(needle, cursor, end)
                if pos >= 0:
                    found.append(FoundFormula(pos, pos + len(needle), formula.tex.strip(), formula.display))
                    lines.append(line)
                    cells.append(cell_number)
                    cursor = pos + len(needle)
                    break
    if not found:
        return html

    rendered = typeset(found, lines, path, renderer, problems, cells)
    bodies = [place(body, "" if f.display else f.tex) for f, body in zip(found, rendered)]
    if after_display is None or line_source is None:
        return splice(html, found, bodies)
    file_lines = locate_lines(line_source, [f.tex for f in found])
    marks: list[tuple[int, str]] = []  # (offset in html, mark): after the paragraph holding the formula
    for i, formula in enumerate(found):
        mark = after_display(file_lines[i]) if formula.display else ""
        if mark:
            stop = found[i + 1].start if i + 1 < len(found) else len(html)
            close = html.find("</p>", formula.end, stop)
            marks.append((close + len("</p>") if close >= 0 else formula.end, mark))
    # Formulas (replaced) and marks (inserted), in the order of their offsets in the original html.
    events = sorted([(f.start, 0, i) for i, f in enumerate(found)] + [(at, 1, j) for j, (at, _) in enumerate(marks)])
    out = []
    cursor = 0
    for at, kind, index in events:
        if kind == 0:
            out += [html[cursor:at], bodies[index]]
            cursor = found[index].end
        else:
            out += [html[cursor:at], marks[index][1]]
            cursor = at
    out.append(html[cursor:])
    return "".join(out)
