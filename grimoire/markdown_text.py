"""Markdown source seen as prose: code blanked out, line numbers kept.

Several readers of page sources (figure references, term references, formula
blocks, defining formulas) must ignore what sits in code. They all call
``blank_code``, so "what counts as code" is decided in one place.

Scans are linear in the text: a code span closes at the next backtick run of
the same length (as in CommonMark and Python-Markdown), found through a table
of runs rather than a regex whose lazy search from every unclosed run to the
end of the page was quadratic.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})")
# Each character that can start Markdown or HTML (markup, a link, emphasis,
# math, an attribute list, an entity) as a numeric character reference:
# Markdown passes references through untouched, and the reader still sees the
# character itself. Others (".", "-", ":") only matter at the start of a line.
_LITERAL = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()<>&#!|$~^="})

_TICKS = re.compile(r"`+")
_NOT_NEWLINE = re.compile(r"[^\n]")


def blank(match: re.Match[str]) -> str:
    """The matched text with every character but newlines turned into a space."""
    return _NOT_NEWLINE.sub(" ", match.group(0))


def code_span_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each code span: a backtick run up to the next run of the same length."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    following: list[int | None] = [None] * len(runs)  # next run of the same length
    seen: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        following[i] = seen.get(length)
        seen[length] = i
    spans = []
    i = 0
    while i < len(runs):
        j = following[i]
        if j is None:
            i += 1
            continue
        spans.append((runs[i][0], runs[j][1]))
        i = j + 1
    return spans


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each (start, end) span blanked (newlines kept); spans in order, disjoint."""
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def blank_code(source: str, spans: bool = True) -> str:
    """``source`` with fenced code blocks (and code spans) blanked, every offset and line kept.

    A fence closes on a line opening with the same character, at least as long
    (CommonMark), so a ```` block may show ``` inside it. A fence that never
    closes is no code block (pymdownx.superfences renders what follows it as
    Markdown), so it blanks nothing.

    >>> blank_code("a `x` b\\n```\\n$$y$$\\n```\\nc")
    'a     b\\n   \\n     \\n   \\nc'
    >>> blank_code("```\\n$$y$$")
    '```\\n$$y$$'
    """
    original = source.split("\n")
    lines = list(original)
    fence: str | None = None
    opened = 0
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is None and m:
            fence, opened = m.group("fence"), i
            lines[i] = " " * len(line)
        elif fence is not None:
            if m and m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence):
                fence = None
            lines[i] = " " * len(line)
    if fence is not None:  # never closed: the rest is not code after all
        lines[opened:] = original[opened:]
    text = "\n".join(lines)
    return blank_spans(text, code_span_bounds(text)) if spans else text


def markdown_escape(text: str) -> str:
    """``text`` with every character Markdown or HTML could read as markup written as a character reference.

    Unlike ``markdown_literal`` it keeps the spacing (for pieces of a longer text).

    >>> markdown_escape(" *a* & <b> ")
    ' &#42;a&#42; &#38; &#60;b&#62; '
    """
    return text.translate(_LITERAL)


def markdown_literal(text: str) -> str:
    """``text`` written so Markdown renders exactly it, as text (for front-matter text in generated pages).

    >>> markdown_literal("<b>x</b> [a](b)")
    '&#60;b&#62;x&#60;/b&#62; &#91;a&#93;&#40;b&#41;'
    """
    return " ".join(text.split()).translate(_LITERAL)
