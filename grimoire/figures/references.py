"""Figure references in Markdown: ``![Alt text](figure:module.function "Caption")``.

A reference is an ordinary Markdown image whose address uses the ``figure:``
scheme; it names a figure function in ``snippets/<module>.py``. This module
finds references in a page's source text (for their line numbers) and parses
their targets. It reads text only: nothing here imports or runs snippets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..markdown_text import blank_code

SCHEME = "figure:"
PACKAGE = "snippets"

_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
_TARGET = re.compile(rf"{_IDENTIFIER}(?:\.{_IDENTIFIER})+")
# ![alt](figure:target "caption") with an optional 'caption' or no caption at all.
_REFERENCE = re.compile(
    r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\]"
    r"\(\s*<?figure:(?P<target>[^\s)>]*)>?"
    r"(?:\s+(?:\"(?P<dq>(?:[^\"\\]|\\.)*)\"|'(?P<sq>(?:[^'\\]|\\.)*)'))?\s*\)",
    re.DOTALL,
)


@dataclass(frozen=True)
class FigureTarget:
    """``module.function``: the function ``function`` in ``snippets/<module as path>.py``."""

    module: str
    function: str

    @property
    def name(self) -> str:
        return f"{self.module}.{self.function}"

    @property
    def module_path(self) -> str:
        """Path of the module's file relative to the project root (POSIX style)."""
        return f"{PACKAGE}/{self.module.replace('.', '/')}.py"


def parse_target(text: str) -> FigureTarget | None:
    """The target named by ``text`` (what follows ``figure:``), None when malformed.

    >>> parse_target("activations.softmax_temperatures")
    FigureTarget(module='activations', function='softmax_temperatures')
    >>> parse_target("softmax") is None, parse_target("a.b-c") is None
    (True, True)
    """
    if not _TARGET.fullmatch(text):
        return None
    module, _, function = text.rpartition(".")
    return FigureTarget(module, function)


@dataclass(frozen=True)
class SourceReference:
    """A reference as written in a page's source: target text, 1-based line, alt, caption."""

    target: str
    line: int
    alt: str
    caption: str | None


def find_references(source: str) -> list[SourceReference]:
    """Every figure reference in ``source``, in order, skipping code blocks and code spans.

    >>> [r.line for r in find_references('Text\\n\\n![A plot](figure:m.f "Cap")\\n')]
    [3]
    >>> find_references("```\\n![A](figure:m.f)\\n```\\n`![A](figure:m.g)`")
    []
    """
    masked = blank_code(source)
    found = []
    for m in _REFERENCE.finditer(masked):
        caption = m.group("dq") if m.group("dq") is not None else m.group("sq")
        found.append(
            SourceReference(
                target=m.group("target"),
                line=masked.count("\n", 0, m.start()) + 1,
                alt=_unescape(m.group("alt")).strip(),
                caption=None if caption is None else _unescape(caption),
            )
        )
    return found


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)
