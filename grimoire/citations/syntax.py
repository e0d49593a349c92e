"""Citations in Markdown, in pandoc's syntax: where they are and what they cite.

- ``[@key]``, ``[@a; @b]``, ``[see @key, p. 5]``, ``[-@key]``: a bracketed
  (parenthetical) citation; every ``;``-separated item holds one ``@key``
  with an optional prefix before it and suffix (a locator) after it.
  Brackets that do not parse as citations stay text, as in pandoc.
- ``@key``: a narrative citation ("@vaswani2017 show" -> "Vaswani et al.
  (2017) show"); the ``@`` must not follow a letter or digit (an e-mail).

Keys follow pandoc: a letter, digit or ``_``, then letters, digits and
internal punctuation (``:.#$%&-+?<>~/``); a final "." is the sentence's.
Nothing is read inside code, math, HTML comments and tags, inline links,
bare URLs or e-mail addresses, and ``\\@`` is a literal at sign. Every
offset and line of the text is kept, so problems name the line an author
opens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..glossary.references import opaque_spans
from ..markdown_text import blank, blank_code, blank_spans

KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])?"
# A bracket holding an "@" (single newlines allowed: wrapped prose), not a link "[...](", "[...][", "[...]:".
_BRACKET = re.compile(r"(?<![\\!])\[(?P<body>(?:[^\[\]\n]|\n(?![ \t]*\n))*?@(?:[^\[\]\n]|\n(?![ \t]*\n))*?)\](?![(\[:])")
_ITEM = re.compile(rf"^(?P<prefix>[^@]*?)(?<![^\s])(?P<minus>-)?@(?P<key>{KEY})(?P<suffix>[^@]*)$", re.DOTALL)
_NARRATIVE = re.compile(rf"(?<![\w\\@.+\-/:])@(?P<key>{KEY})")
# Where an "@" is no citation: inline links (text and target), reference definitions, HTML tags and autolinks, bare URLs, e-mail addresses, attribute lists.
_NOT_PROSE = re.compile(
    r"\[[^\[\]\n]*\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)"
    r"|<[A-Za-z/!][^<>\n]*>"
    r"|\b(?:https?|ftp|mailto):[^\s<>\"')\]]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\{[:#. ][^{}\n]*\}"
    r"|^[ ]{0,3}\[[^\[\]\n]*\]:.*$",  # a link reference definition
    re.MULTILINE,
)


@dataclass(frozen=True)
class CiteItem:
    key: str
    line: int  # 1-based, within the text given
    prefix: str = ""  # Markdown, as written ("see")
    suffix: str = ""  # Markdown, as written (", p. 5")
    suppress_author: bool = False  # [-@key]: the year only


@dataclass(frozen=True)
class Citation:
    start: int
    end: int
    items: tuple[CiteItem, ...]
    narrative: bool = False


def citable_text(markdown: str) -> str:
    """``markdown`` with everything a citation cannot sit in blanked (offsets and lines kept)."""
    code_free = blank_code(markdown)
    prose = blank_spans(code_free, opaque_spans(code_free))
    prose = prose.replace("\\@", "  ")
    return _NOT_PROSE.sub(blank, prose)


def find_citations(markdown: str) -> list[Citation]:
    """Every citation of ``markdown``, in order."""
    prose = citable_text(markdown)
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for m in _BRACKET.finditer(prose):
        items = _bracket_items(markdown, prose, m.start("body"), m.end("body"))
        if items:
            found.append(Citation(m.start(), m.end(), tuple(items)))
            taken.append((m.start(), m.end()))
    rest = blank_spans(prose, taken)
    for m in _NARRATIVE.finditer(rest):
        line = rest.count("\n", 0, m.start()) + 1
        found.append(Citation(m.start(), m.end(), (CiteItem(m.group("key"), line),), narrative=True))
    found.sort(key=lambda c: c.start)
    return found


def _bracket_items(markdown: str, prose: str, start: int, end: int) -> list[CiteItem] | None:
    items = []
    pos = start
    for part in prose[start:end].split(";"):
        m = _ITEM.match(part)
        if m is None:
            return None  # not a citation: the bracket stays text
        line = prose.count("\n", 0, pos + m.start("key")) + 1
        prefix = markdown[pos + m.start("prefix") : pos + m.end("prefix")]
        suffix = markdown[pos + m.start("suffix") : pos + m.end("suffix")]
        items.append(CiteItem(m.group("key"), line, " ".join(prefix.split()), " ".join(suffix.split()), bool(m.group("minus"))))
        pos += len(part) + 1
    return items
