"""Find the display formulas of a Markdown page and the block that follows each one.

A display formula is a ``$$ ... $$`` block starting a line (after any
indentation); ``$$`` inside fenced code or inside an unrelated HTML comment
does not count. The block is the first HTML comment after the closing
``$$``, blank lines allowed in between. Line numbers are 1-based.

Equation labels (``\\label{eq:name}``, see ``grimoire.equations``) are
blanked out of ``latex``, lines and columns kept: they name the formula for
references and are no part of what it states.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..equations.syntax import blank_labels
from ..markdown_text import blank_code

_BLOCK_KIND = re.compile(r"^<!--\s*(check-doctest|check|nocheck)(?=[\s:]|-->|$)[ \t]*:?")


@dataclass(frozen=True)
class RawBlock:
    kind: str  # check, check-doctest or nocheck
    body: str
    line: int  # the line of '<!--'
    body_line: int  # the line where ``body`` starts


@dataclass(frozen=True)
class DisplayFormula:
    path: str
    line: int  # the line of the opening $$
    latex: str
    latex_line: int  # the line where ``latex`` starts
    block: RawBlock | None
    stray_comment: int | None = None  # line of a following comment that is not a check block


def _comment(lines: list[str], start: int) -> tuple[str, int]:
    """The text of the HTML comment opening on ``lines[start]`` and the index of its last line."""
    first = lines[start].strip()
    end = start
    closed = "-->" in first[4:]
    while not closed and end + 1 < len(lines):  # linear: only each new line is searched
        end += 1
        closed = "-->" in lines[end]
    return "\n".join([first, *lines[start + 1 : end + 1]]), end


def _block_after(lines: list[str], after: int) -> tuple[RawBlock | None, int | None, int]:
    """The block following a formula that closes before ``lines[after]``; also where to resume."""
    index = after
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or not lines[index].strip().startswith("<!--"):
        return None, None, after
    text, end = _comment(lines, index)
    match = _BLOCK_KIND.match(text)
    if not match:
        return None, index + 1, end + 1
    body = text[match.end() :]
    body = body[: body.rfind("-->")]
    body_line = index + 1
    if body.lstrip(" \t").startswith("\n"):
        # The body starts on the line after the keyword: keep lines aligned for error messages.
        body = body.lstrip(" \t")[1:]
        body_line = index + 2
    return RawBlock(match.group(1), body, index + 1, body_line), None, end + 1


def extract_formulas(text: str, path: str, keep_labels: bool = False) -> list[DisplayFormula]:
    """The page's display formulas in order; ``keep_labels``: their TeX as written, labels included."""
    lines = blank_code(text, spans=False).splitlines()
    formulas: list[DisplayFormula] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if stripped.startswith("<!--"):
            index = _comment(lines, index)[1] + 1
            continue
        if not stripped.startswith("$$"):
            index += 1
            continue
        opening = index
        rest = stripped[2:]
        if rest.rstrip().endswith("$$") and rest.strip() != "":
            latex, latex_line, close = rest.rstrip()[:-2], opening + 1, opening
        else:
            body = [rest] if rest.strip() else []
            latex_line = opening + 1 if rest.strip() else opening + 2
            close = opening + 1
            while close < len(lines) and not lines[close].rstrip().endswith("$$"):
                body.append(lines[close])
                close += 1
            if close < len(lines):
                body.append(lines[close].rstrip()[:-2])
            latex = "\n".join(body)
        if not keep_labels:
            latex = blank_labels(latex)
        block, stray, index = _block_after(lines, close + 1)
        formulas.append(DisplayFormula(path, opening + 1, latex, latex_line, block, stray))
    return formulas
