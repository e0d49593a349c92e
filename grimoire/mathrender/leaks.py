"""Finds TeX that escaped typesetting in a page's HTML.

Markdown can swallow a formula before arithmatex sees it: a ``<`` followed
by a letter inside ``$$ ... $$`` starts what Python-Markdown takes for an
HTML tag, and the formula reaches the page as raw text with no error. So
after typesetting, the visible text of every page is searched for TeX
delimiters and commands, and each find is a build problem.

Both steps are linear in the page: the pattern has no two unbounded
quantifiers that can trade characters (``[^$]*?x[^$]*?`` took quadratic time
on a long line with one ``$`` and many ``_``), and the HTML parser treats a
malformed ``<![...`` as the bogus comment browsers see, where ``html.parser``
raises ``AssertionError``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Text inside these is code or KaTeX's own MathML annotation, not prose.
_SKIPPED_TAGS = {"code", "pre", "script", "style", "annotation", "textarea", "template"}
RAW_TEX = re.compile(
    r"\$\$"  # a display delimiter
    r"|\$[^$\s][^$\\^_{}]*[\\^_{}][^$]*\$"  # $...$ holding TeX-looking characters
    r"|\\\(|\\\)|\\\[|\\\]"  # arithmatex/LaTeX delimiters
    r"|\\(?:frac|sum|mathrm|operatorname|left|right|begin)\b"
)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.text.append(data)

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # "<![x]": a bogus comment up to the next ">"
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "".join(parser.text)


def leaked_tex(html: str, limit: int | None = None) -> list[tuple[str, str]]:
    """(TeX from the find on, the find in context) for visible text no renderer touched.

    At most ``limit`` finds (all when None).
    """
    text = visible_text(html)
    found = []
    for m in RAW_TEX.finditer(text):
        if limit is not None and len(found) >= limit:
            break
        found.append((text[m.start() : m.end() + 30], text[max(0, m.start() - 30) : m.end() + 30]))
    return found


def raw_tex(html: str) -> list[str]:
    """Snippets of visible text that look like TeX no renderer touched."""
    return [context for _, context in leaked_tex(html)]
