"""Markdown source seen as prose: code blanked out, line numbers kept.

Several readers of page sources (figure references, term references, formula
blocks, defining formulas) must ignore what sits in code. They all call
``blank_code``, so "what counts as code" is decided in one place.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?P<ticks>`+)(?:.+?)(?P=ticks)", re.DOTALL)


def blank(match: re.Match[str]) -> str:
    """The matched text with every character but newlines turned into a space."""
    return re.sub(r"[^\n]", " ", match.group(0))


def blank_code(source: str, spans: bool = True) -> str:
    """``source`` with fenced code blocks (and code spans) blanked, every offset and line kept.

    A fence closes on a line opening with the same character, at least as long
    (CommonMark), so a ```` block may show ``` inside it.

    >>> blank_code("a `x` b\\n```\\n$$y$$\\n```\\nc")
    'a     b\\n   \\n     \\n   \\nc'
    """
    lines = source.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group("fence")
            lines[i] = " " * len(line)
        elif fence is not None:
            if m and m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence):
                fence = None
            lines[i] = " " * len(line)
    text = "\n".join(lines)
    return _CODE_SPAN.sub(blank, text) if spans else text
