"""Checks on built HTML: raw TeX that escaped typesetting, assets loaded from elsewhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from grimoire.mathrender.leaks import RAW_TEX, raw_tex

__all__ = ["RAW_TEX", "raw_tex", "remote_resources"]


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.found.append(("script", a["src"] or ""))
        if tag == "link" and "stylesheet" in (a.get("rel") or "") and a.get("href"):
            self.found.append(("stylesheet", a["href"] or ""))
        if tag == "img" and a.get("src"):
            self.found.append(("img", a["src"] or ""))


def remote_resources(html: str) -> list[str]:
    """Scripts, stylesheets and images the page would fetch from another host."""
    parser = _Resources()
    parser.feed(html)
    return [f"{kind} {url}" for kind, url in parser.found if re.match(r"^(?:[a-z]+:)?//", url, re.I)]
