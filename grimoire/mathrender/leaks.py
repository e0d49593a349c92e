"""Finds TeX that escaped typesetting in a page's HTML.

Markdown can swallow a formula before arithmatex sees it: a ``<`` followed
by a letter inside ``$$ ... $$`` starts what Python-Markdown takes for an
HTML tag, and the formula reaches the page as raw text with no error. So
after typesetting, the visible text of every page is searched for TeX
delimiters and commands, and each find is a build problem.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Text inside these is code or KaTeX's own MathML annotation, not prose.
_SKIPPED_TAGS = {"code", "pre", "script", "style", "annotation", "textarea", "template"}
RAW_TEX = re.compile(
    r"\$\$"  # a display delimiter
    r"|\$[^$\s][^$]*?[\\^_{}][^$]*?\$"  # $...$ holding TeX-looking characters
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


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "".join(parser.text)


def leaked_tex(html: str) -> list[tuple[str, str]]:
    """(TeX from the find on, the find in context) for visible text no renderer touched."""
    text = visible_text(html)
    return [(text[m.start() : m.end() + 30], text[max(0, m.start() - 30) : m.end() + 30]) for m in RAW_TEX.finditer(text)]


def raw_tex(html: str) -> list[str]:
    """Snippets of visible text that look like TeX no renderer touched."""
    return [context for _, context in leaked_tex(html)]
