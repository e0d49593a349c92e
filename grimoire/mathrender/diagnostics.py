"""Turns a KaTeX failure into a ``Problem`` that points at the source line."""

from __future__ import annotations

import difflib
import re

from ..problems import Problem
from .katex_process import RenderResult
from .limits import TOO_LARGE, TOO_LONG, TOO_SLOW

DETAIL_CHARS = 400  # a refused 1 MB formula must not become a 1 MB message

# KaTeX appends " at position N: <context with combining underlines>"; we show
# our own caret under the source line instead.
_POSITION_SUFFIX = re.compile(r" at position \d+: .*$", re.DOTALL)
_UNDEFINED = re.compile(r"Undefined control sequence: (\\[A-Za-z]+)")


def katex_message(error: str) -> str:
    """KaTeX's message without its prefix and its underlined context."""
    return _POSITION_SUFFIX.sub("", error.removeprefix("KaTeX parse error: ")).strip()


def math_problem(
    path: str,
    tex_line: int | None,
    tex: str,
    display: bool,
    result: RenderResult,
    macros: dict[str, str],
    commands: frozenset[str] = frozenset(),
) -> Problem:
    """A problem for a formula KaTeX refused, located at the offending line.

    ``commands`` are KaTeX's own (see ``katex_commands``): a typo gets the
    closest of them and of the site ``macros``.
    """
    message = katex_message(result.error or "")
    line = tex_line
    detail = tex
    if result.position is not None and 0 <= result.position <= len(tex):
        # Show the one source line KaTeX stopped on, with a caret under the spot.
        before = tex[: result.position]
        row = before.count("\n")
        column = len(before) - (before.rfind("\n") + 1)
        if line is not None:
            line += row
        detail = tex.split("\n")[row] + "\n" + " " * column + "^"
    detail = shorten(detail)
    kind = "display" if display else "inline"
    return Problem(
        path=path,
        line=line,
        message=f"KaTeX cannot typeset this {kind} formula: {message}",
        detail=detail,
        hint=_hint(message, macros, commands),
    )


_STRICT_PREFIX = "LaTeX-incompatible input and strict mode is set to 'warn': "


def shorten(text: str, limit: int = DETAIL_CHARS) -> str:
    """``text``, cut to ``limit`` characters with a note of how much was left out."""
    if len(text) <= limit:
        return text
    return text[:limit] + f" … ({len(text) - limit} more characters)"


def warning_problem(path: str, tex_line: int | None, tex: str, warning: str) -> Problem:
    """A problem for input KaTeX accepts but LaTeX would not (strict mode)."""
    return Problem(
        path=path,
        line=tex_line,
        message=f"KaTeX strict-mode warning: {warning.removeprefix(_STRICT_PREFIX)}",
        detail=shorten(tex),
        hint="write the formula in plain LaTeX (for text inside math use \\text{...})",
    )


def _hint(message: str, macros: dict[str, str], commands: frozenset[str] = frozenset()) -> str:
    undefined = _UNDEFINED.search(message)
    if undefined:
        name = undefined.group(1)
        if name in ("\\eqref", "\\ref"):
            return f"write {name}{{eq:name}} in running text, outside $...$ (README: Numbered equations)"
        if name == "\\label":
            return ("\\label{eq:name} numbers a display formula of a Markdown page ($$ on their own lines), "
                    "not inline math or a notebook's")
        # KaTeX has about a thousand commands: only close ones are worth naming.
        close = difflib.get_close_matches(name, sorted(set(macros) | commands), n=3, cutoff=0.75)
        if close:
            where = " (site macros live in macros.yml)" if any(c in macros for c in close) else ""
            return f"did you mean {' or '.join(close)}?{where}"
        return f"check the spelling of {name}, or define it in macros.yml"
    if "Expected '}'" in message or "Expected 'EOF'" in message or "Unexpected end" in message:
        return "check that every { has its }, and every \\left its \\right"
    if "trust is off" in message:
        return "write links and images in Markdown, outside the formula"
    if TOO_LONG in message or TOO_LARGE in message:
        return "split it into smaller formulas, or define fewer nested macros"
    if TOO_SLOW in message:
        return "look for macros that expand into many copies of each other (nested \\def)"
    if "maxExpand" in message or "Too many expansions" in message:
        return "a macro expands into itself; check the macro definitions"
    return "fix the TeX; KaTeX's supported functions are listed at katex.org/docs/supported"
