"""Keeps Python-Markdown's work on a page close to linear, whatever the page holds.

Python-Markdown processes the inline patterns of a paragraph by rebuilding
the paragraph's text at every match, so a paragraph of length L with M
matches costs O(M x L): one 1 MB line of ``a_b $x$`` took 79 s, measured.
And it tries every ``[`` as the start of a link, scanning forward for its
``]``: 8 KB of ``[a`` took 8 s. So, before Markdown runs, one linear pass:

- a paragraph (a run of lines between blank lines, code aside) of more
  than ``MAX_BLOCK`` characters is a problem at its line, and is shown as an
  indented code block (no extra line, so later lines keep their numbers)
  instead of being parsed; so is everything after the first ``MAX_BLOCKS``
  paragraphs (Python-Markdown's block parser takes time quadratic in their
  number: 250,000 one-line paragraphs took 48 s);
- an HTML comment that is never closed (a ``<!--`` after the last ``-->``)
  is a problem at its line and is written as text: MkDocs' raw-HTML scan
  (``html.parser``) rescans to the end of the page for every one of them
  (a 1 MB line of ``<!-- [[a]]`` took 100 s);
- the brackets of each paragraph are paired with a stack, and every ``[``
  with no ``]`` after it in its paragraph, or nested more than ``MAX_DEPTH``
  deep, is written as ``&#91;`` (the same character to a reader): neither
  can start a link, so the page reads the same.

Code (fenced and inline) and math (``$...$``, ``$$...$$``) are left as they
are. Python-Markdown offers no hook to bound its own scanning, which is why
this is done on the source. With it a 1 MB page of any shape measured at
most a few seconds in Markdown.
"""

from __future__ import annotations

import re

from .markdown_text import blank_code
from .problems import Problem

MAX_BLOCK = 16_000  # characters of prose in one paragraph (a long paragraph has about 2,000)
MAX_BLOCKS = 5_000  # paragraphs in one page; Python-Markdown's block parser is quadratic in their number
MAX_DEPTH = 3  # [![alt](src)](href) nests two; nothing in Markdown needs more
ENTITY = "&#91;"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_COMMENT_OPEN = re.compile(r"<!--")


def _math_mask(block: str, offset: int, mask: bytearray) -> None:
    """Marks in ``mask`` the characters of ``block`` (at ``offset``) inside ``$...$`` or ``$$...$$``."""
    i, n = 0, len(block)
    opened: int | None = None
    kind = ""
    retried = False
    while i < n:
        c = block[i]
        if c == "\\":
            i += 2
            continue
        if c != "$":
            i += 1
            continue
        token = "$$" if block.startswith("$$", i) else "$"
        if opened is None:
            opened, kind = i, token
        elif token == kind:
            for k in range(opened, i + len(token)):
                mask[offset + k] = 1
            opened = None
        i += len(token)
        if i >= n and opened is not None and not retried:
            # An unclosed delimiter is text: scan again from just after it (once per paragraph).
            retried, i, opened = True, opened + len(kind), None


def _blocks(masked: str) -> list[tuple[int, int]]:
    """(start, end) of each run of lines between blank lines (code is blank in ``masked``)."""
    separators = list(_BLANK_LINE.finditer(masked))
    starts = [0] + [m.end() for m in separators]
    ends = [m.start() for m in separators] + [len(masked)]
    return list(zip(starts, ends))


def _bracket_escapes(markdown: str, masked: str, blocks: list[tuple[int, int]]) -> list[int]:
    """Offsets of the ``[`` that cannot open a link, in the given blocks."""
    math = bytearray(len(markdown))
    for start, end in blocks:
        block = masked[start:end]
        if "$" in block:
            _math_mask(block, start, math)
    escape: list[int] = []
    for start, end in blocks:
        stack: list[int] = []
        i = start
        while i < end:
            c = masked[i]
            if c == "\\":
                i += 2
                continue
            if math[i]:
                i += 1
                continue
            if c == "[":
                if len(stack) >= MAX_DEPTH:
                    escape.append(i)
                else:
                    stack.append(i)
            elif c == "]" and stack:
                stack.pop()
            i += 1
        escape.extend(stack)
    return escape


def defuse_brackets(markdown: str) -> str:
    """``markdown`` with every ``[`` that cannot open a link written as ``&#91;``.

    >>> defuse_brackets("a [link](x) and [b and [[c")
    'a [link](x) and &#91;b and &#91;&#91;c'
    >>> defuse_brackets("`[code` and $[0, 1)$ stay")
    '`[code` and $[0, 1)$ stay'
    >>> defuse_brackets("[a\\n\\nb]")
    '&#91;a\\n\\nb]'
    """
    return bound_markdown(markdown, "", 1)[0]


def _as_code(text: str) -> str:
    """``text`` as one indented code block, with no line added or removed.

    Blank lines get a no-break space, so that Python-Markdown keeps the text
    one block (it would otherwise split it, and its block parser is
    quadratic in the number of blocks); it shows as a space.
    """
    return "\n".join("    " + (row if row.strip() else "\u00a0") for row in text.split("\n"))


def _prose_size(masked_block: str) -> int:
    return len(masked_block) - masked_block.count(" ") - masked_block.count("\n")


def bound_markdown(markdown: str, path: str, first_line: int) -> tuple[str, list[Problem]]:
    """``markdown`` made safe for Python-Markdown (see the module docstring), and a problem per long paragraph.

    ``first_line`` is the source line of the Markdown's first line.
    """
    if "[" not in markdown and "<!--" not in markdown and len(markdown) <= MAX_BLOCK:
        return markdown, []
    masked = blank_code(markdown)
    blocks = [(s, e) for s, e in _blocks(masked) if _prose_size(masked[s:e])]
    problems: list[Problem] = []
    plain: list[tuple[int, int]] = []  # ranges shown as an indented code block
    if len(blocks) > MAX_BLOCKS:
        cut = blocks[MAX_BLOCKS][0]
        problems.append(Problem(path, first_line + markdown.count("\n", 0, cut),
                                f"the page has {len(blocks):,} paragraphs, more than can be formatted "
                                f"({MAX_BLOCKS:,}); from here on it is shown as plain text",
                                hint="split the page, or join short paragraphs"))
        blocks = blocks[:MAX_BLOCKS]
        plain.append((cut, len(markdown)))
    for s, e in blocks:
        if _prose_size(masked[s:e]) > MAX_BLOCK:
            problems.append(Problem(
                path, first_line + markdown.count("\n", 0, s),
                f"paragraph of {e - s:,} characters is too long to format (at most {MAX_BLOCK:,}); "
                "it is shown as plain text", hint="split it into paragraphs with blank lines"))
            plain.append((s, e))
    last_close = masked.rfind("-->")
    unclosed = [m.start() for m in _COMMENT_OPEN.finditer(masked, max(last_close, 0))]
    if unclosed:
        problems.append(Problem(path, first_line + markdown.count("\n", 0, unclosed[0]),
                                "this HTML comment is never closed: `<!--` without `-->`; it is shown as text",
                                hint="close it with -->, or write &lt;!-- for the text"))
    problems.sort(key=lambda p: p.line or 0)
    shown_plain = set(plain)
    chars: dict[int, str] = {i: ENTITY for i in _bracket_escapes(
        markdown, masked, [b for b in blocks if b not in shown_plain])}
    # In the plain-text blocks (code) an entity would show as written; a zero-width joiner shows nothing.
    for i in unclosed:
        chars[i] = "<\u200d" if any(s <= i < e for s, e in plain) else "&lt;"
    if not chars and not plain:
        return markdown, problems

    def replaced(start: int, end: int) -> str:
        inside = sorted(i for i in chars if start <= i < end) if chars else []
        pieces, last = [], start
        for i in inside:
            pieces += [markdown[last:i], chars[i]]
            last = i + 1
        pieces.append(markdown[last:end])
        return "".join(pieces)

    pieces, last = [], 0
    for start, end in sorted(plain):
        pieces += [replaced(last, start), _as_code(replaced(start, end))]
        last = end
    pieces.append(replaced(last, len(markdown)))
    return "".join(pieces), problems
