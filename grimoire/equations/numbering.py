"""A page's equation labels: their numbers, and each labelled display as KaTeX should typeset it.

Numbers run 1, 2, ... over the page's labels in source order. A display
with one ``\\label`` gets one number (``\\tag{n}`` at its end). In a display
that is one ``aligned`` block, a ``\\label`` inside a row numbers that row:
KaTeX refuses a second ``\\tag`` in ``aligned`` but takes one per row of
``align*``, which lays the rows out the same way, so such a block is typeset
as ``align*`` with a tag on each labelled row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..formulacheck.extract import extract_formulas
from ..problems import Problem
from .syntax import LABEL, NAME

_WHOLE_ALIGNED = re.compile(r"\s*\\begin\{aligned\}(?P<body>.*)\\end\{aligned\}\s*", re.DOTALL)
# What changes nesting depth in TeX, and the row break; "\\{" and "\\}" are escaped braces.
_TEX_TOKEN = re.compile(r"\\(?:begin|end)\b|\\\\|\\.|[{}]")
LABEL_HINT = "write \\label{eq:name}: 'eq:' then letters, digits, '-', '_' or '.'"


@dataclass(frozen=True)
class Equation:
    label: str
    number: int
    line: int  # the source line of its \label
    formula_line: int  # the line of its display's opening $$


@dataclass(frozen=True)
class NumberedDisplay:
    """A display formula holding labels: what to typeset and which rows carry which number."""

    formula_line: int
    latex_line: int
    tex: str  # as KaTeX should typeset it: labels gone, \tag{n} in their place
    labels: tuple[str, ...]  # in order; the display's anchors
    rows: tuple[tuple[int, int, int], ...]  # (first line, last line, number) of each numbered part

    def number_at(self, line: int | None) -> int | None:
        """The number of the part holding ``line`` (a failing step's line); the only number if just one."""
        if len(self.rows) == 1:
            return self.rows[0][2]
        for first, last, number in self.rows:
            if line is not None and first <= line <= last:
                return number
        return None


@dataclass
class PageEquations:
    src_uri: str
    path: str  # project-relative, for messages
    equations: dict[str, Equation] = field(default_factory=dict)
    displays: dict[int, NumberedDisplay] = field(default_factory=dict)  # by the line its TeX starts

    def display_at(self, tex_line: int | None) -> NumberedDisplay | None:
        """The labelled display whose TeX starts on ``tex_line`` (a line found in the page's HTML)."""
        return None if tex_line is None else self.displays.get(tex_line)

    def display_opening(self, formula_line: int) -> NumberedDisplay | None:
        return next((d for d in self.displays.values() if d.formula_line == formula_line), None)


def split_rows(body: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the rows of an aligned body: split at ``\\\\`` outside braces and environments."""
    rows, start, depth = [], 0, 0
    for m in _TEX_TOKEN.finditer(body):
        token = m.group()
        if token in ("{", "\\begin"):
            depth += 1
        elif token in ("}", "\\end"):
            depth -= 1
        elif token == "\\\\" and depth == 0:
            rows.append((start, m.start()))
            start = m.end()
    rows.append((start, len(body)))
    return rows


def number_page(text: str, src_uri: str, path: str) -> tuple[PageEquations, list[Problem]]:
    """The page's numbered equations and displays, and the problems of its labels (``path:line``)."""
    page = PageEquations(src_uri, path)
    problems: list[Problem] = []
    for formula in extract_formulas(text, path, keep_labels=True):
        latex = formula.latex
        found = list(LABEL.finditer(latex))
        if not found:
            continue

        def line_of(offset: int) -> int:
            return formula.latex_line + latex.count("\n", 0, offset)

        valid: list[re.Match[str]] = []
        for m in found:
            name = m.group("name").strip()
            if not NAME.fullmatch(name):
                problems.append(Problem(path, line_of(m.start()), f"malformed equation label \\label{{{name}}}",
                                        hint=LABEL_HINT))
            elif name in page.equations:
                first = page.equations[name]
                problems.append(Problem(path, line_of(m.start()), f"duplicate equation label {name}",
                                        f"{name} already labels equation ({first.number}) at line {first.line}",
                                        "give each equation of a page its own label"))
            elif any(v.group("name").strip() == name for v in valid):
                problems.append(Problem(path, line_of(m.start()), f"duplicate equation label {name}",
                                        hint="give each equation of a page its own label"))
            else:
                valid.append(m)
        display, more = _number_display(formula.line, formula.latex_line, latex, valid, page, line_of, path)
        problems += more
        if display is not None:
            page.displays[formula.latex_line] = display
    return page, problems


def _number_display(formula_line: int, latex_line: int, latex: str, labels: list[re.Match[str]],
                    page: PageEquations, line_of, path: str) -> tuple[NumberedDisplay | None, list[Problem]]:
    problems: list[Problem] = []
    stripped = LABEL.sub("", latex)
    aligned = _WHOLE_ALIGNED.fullmatch(latex)
    in_rows = aligned is not None and any(aligned.start("body") <= m.start() < aligned.end("body") for m in labels)
    if not labels:
        return NumberedDisplay(formula_line, latex_line, stripped, (), ()), problems

    def add(m: re.Match[str]) -> int:
        name = m.group("name").strip()
        number = len(page.equations) + 1
        page.equations[name] = Equation(name, number, line_of(m.start()), formula_line)
        return number

    if not in_rows:
        if len(labels) > 1:
            problems.append(Problem(path, line_of(labels[1].start()), "a display formula takes one \\label",
                                    hint="to number the steps of a derivation, make the formula one aligned block "
                                    "and put one \\label in each row to number"))
        number = add(labels[0])
        last = line_of(len(latex))
        return NumberedDisplay(formula_line, latex_line, f"{stripped.rstrip()} \\tag{{{number}}}",
                               (labels[0].group("name").strip(),), ((latex_line, last, number),)), problems
    assert aligned is not None
    outside = [m for m in labels if not aligned.start("body") <= m.start() < aligned.end("body")]
    for m in outside:
        problems.append(Problem(path, line_of(m.start()), "a \\label outside the aligned block of a formula "
                                "whose rows are labelled", hint="label the rows, or the whole formula, not both"))
    body_start = aligned.start("body")
    rows_tex, numbered, names = [], [], []
    for start, end in split_rows(aligned.group("body")):
        row = latex[body_start + start : body_start + end]
        inside = [m for m in labels if body_start + start <= m.start() < body_start + end]
        text = LABEL.sub("", row)
        if inside:
            if len(inside) > 1:
                problems.append(Problem(path, line_of(inside[1].start()), "a row of an aligned block takes one \\label",
                                        hint="split the row, or drop one label"))
            number = add(inside[0])
            names.append(inside[0].group("name").strip())
            # The row's lines are those of its text, not of the line break before it.
            first = body_start + start + len(row) - len(row.lstrip())
            last = body_start + start + len(row.rstrip())
            numbered.append((line_of(first), line_of(max(first, last - 1)), number))
            text = f"{text.rstrip()} \\tag{{{number}}}"
        rows_tex.append(text)
    tex = "\\begin{align*}" + "\\\\".join(rows_tex) + "\\end{align*}"
    return NumberedDisplay(formula_line, latex_line, tex, tuple(names), tuple(numbered)), problems
