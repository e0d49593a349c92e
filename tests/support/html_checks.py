"""Checks on built HTML: raw TeX that escaped typesetting, assets loaded from elsewhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Text inside these is code or KaTeX's own MathML annotation, not prose.
_SKIPPED_TAGS = {"code", "pre", "script", "style", "annotation", "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
RAW_TEX = re.compile(
    r"\$\$"  # a display delimiter
    r"|\$[^$\s][^$]*?[\\^_{}][^$]*?\$"  # $...$ holding TeX-looking characters
    r"|\\\(|\\\)|\\\[|\\\]"  # arithmatex/LaTeX delimiters
    r"|\\(?:frac|sum|mathrm|operatorname|left|right|begin)\b"
)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.resources: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.resources.append(("script", a["src"] or ""))
        if tag == "link" and "stylesheet" in (a.get("rel") or "") and a.get("href"):
            self.resources.append(("stylesheet", a["href"] or ""))
        if tag == "img" and a.get("src"):
            self.resources.append(("img", a["src"] or ""))
        if tag in _SKIPPED_TAGS:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.text.append(data)


def collect(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    return c


def raw_tex(html: str) -> list[str]:
    """Snippets of visible text that look like TeX no renderer touched."""
    text = "".join(collect(html).text)
    return [text[max(0, m.start() - 30) : m.end() + 30] for m in RAW_TEX.finditer(text)]


def remote_resources(html: str) -> list[str]:
    """Scripts, stylesheets and images the page would fetch from another host."""
    return [
        f"{kind} {url}"
        for kind, url in collect(html).resources
        if re.match(r"^(?:[a-z]+:)?//", url, re.I)
    ]
