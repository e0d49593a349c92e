"""Issue item 3: front-matter text is escaped wherever it reaches HTML, JSON or an attribute.

A tiny site takes its titles, summaries, aliases, tags, descriptions and
subtitles from a list of XSS payloads; no payload may appear as written
anywhere under ``site/``, and no page may carry a script URL or an event
handler attribute the theme did not put there.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

from grimoire.page_safety import refuse_script_urls
from tests.support.pagefind_index import indexed_pages

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "</title><script>alert(4)</script>",
    "<a href=\"javascript:alert(5)\">x</a>",
    "[click](javascript:alert(6))",
    '{ onclick="alert(7)" }',
    "<iframe src=javascript:alert(8)></iframe>",
    "&lt;script&gt;alert(9)&lt;/script&gt;",
    "<style>body{display:none}</style>",
    "<!-- comment --> -->",
    "$\\href{javascript:alert(10)}{x}$",
    "`<b>code</b>`",
    "\u2028<b>line separator</b>",
    "<details open ontoggle=alert(11)>",
]


class _Attributes(HTMLParser):
    """Every tag attribute a browser would see: event handlers and script URLs are the danger."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dangerous: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            url = "".join((value or "").split()).lower()
            if name.startswith("on") or (name in ("href", "src", "action") and url.startswith("javascript:")):
                self.dangerous.append((tag, name, value or ""))


def dangerous_attributes(html: str) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(html)
    parser.close()
    return parser.dangerous


def _page(i: int, payload: str) -> str:
    meta = {
        "title": f"Term {i} {payload}",
        "summary": f"Summary {i} {payload}",
        "aliases": [f"alias {i} {payload}"],
        "tags": [f"Tag {i} {payload}"],  # sentence case, as tags must be
        "description": f"Description {i} {payload}",
        "subtitle": f"Subtitle {i} {payload}",
    }
    lines = "".join(f"{key}: {json.dumps(value)}\n" for key, value in meta.items())
    return f"---\n{lines}---\n\n# Term {i}\n\nPlain body.\n"


def test_no_payload_from_front_matter_reaches_the_site_unescaped(hostile_site) -> None:
    files = {f"glossary/term-{i}.md": _page(i, p) for i, p in enumerate(PAYLOADS)}
    files["pages/index.md"] = "# Home\n\n" + " ".join(f"[[term-{i}]]" for i in range(len(PAYLOADS))) + "\n"
    result = hostile_site(files, plugins="  - tags\n")
    assert result.returncode == 0, result.log
    written = {p: p.read_text("utf-8") for p in result.site_dir.rglob("*") if p.suffix in (".html", ".json", ".xml")}
    assert any("Term 3 " in text for text in written.values())  # the payload pages are there
    for path, text in written.items():
        for payload in PAYLOADS:
            if any(c in payload for c in "<>\"'&"):
                assert payload not in text, (path, payload)
        if path.suffix == ".html":
            assert dangerous_attributes(text) == [], path
    # A term's title and aliases: escaped in the page's search metadata, plain data in the index (the worker escapes).
    page1 = result.page("glossary/term-1/index.html")
    assert '<meta data-pagefind-meta="names[content]" content="[&quot;Term 1 \\&quot;&gt;&lt;img src=x' in page1
    names = [json.loads(p["meta"]["names"]) for p in indexed_pages(result.site_dir).values() if "names" in p["meta"]]
    assert ["Term 1 \"><img src=x onerror=alert(2)>", "alias 1 \"><img src=x onerror=alert(2)>"] in names
    home = result.page("index.html")
    assert '<p class="grimoire-card__title">Term 0 &lt;script&gt;alert(1)&lt;/script&gt;</p>' in home


def test_script_urls_in_page_bodies_are_refused_at_their_line(hostile_site) -> None:
    body = "# Links\n\nFine [ok](https://example.org).\n\nBad [x](javascript:alert(1)).\n\n<a href=' JaVaScRiPt:alert(2)'>y</a>\n"
    result = hostile_site({"glossary/links.md": "---\ntitle: Links\nsummary: Links.\n---\n\n" + body})
    assert result.returncode != 0
    assert "glossary/links.md:10: script URLs are not allowed on this site: javascript:alert(1)" in result.log
    assert "glossary/links.md:12: script URLs are not allowed on this site" in result.log
    page = result.page("glossary/links/index.html")
    assert dangerous_attributes(page) == [] and 'href="https://example.org"' in page


def test_entity_and_whitespace_disguises_are_still_script_urls() -> None:
    html, problems = refuse_script_urls('<a href="java&#x09;script&colon;alert(1)">x</a><img src=JaVaScRiPt:x>', "p.md", "")
    assert html == '<a href="#">x</a><img src="#">' and len(problems) == 2
