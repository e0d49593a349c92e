"""What a page body may contain, enforced where Markdown and HTML meet.

A page body is Markdown with raw HTML: an author's tool, trusted like the
rest of the repository. Two things are still refused, each a problem at its
line:

* ``javascript:`` (and ``vbscript:``, ``data:text/html``) URLs in links,
  images, forms and frames: they run script when a reader clicks, so they are
  replaced by ``#`` in the page.
* ``<![`` that is not ``<![CDATA[``: MkDocs' and Python's HTML parsers stop
  with an ``AssertionError`` on it, so it is written as text (``&lt;![``),
  even in code, which MkDocs parses too.

Both scans are linear regular expressions over the page.
"""

from __future__ import annotations

import html
import re

from .problems import Problem

_MARKED_SECTION = re.compile(r"<!\[(?!CDATA\[)", re.IGNORECASE)
_URL_ATTRIBUTE = re.compile(
    r"""(?P<name>\b(?:href|src|action|formaction|xlink:href|data|poster|background)\s*=\s*)"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^\s>"']+)""",
    re.IGNORECASE,
)
_SCRIPT_SCHEME = re.compile(r"^(?:javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")  # browsers skip these inside "java\tscript:"


def defuse_markdown(markdown: str, path: str, first_line: int) -> tuple[str, list[Problem]]:
    """``markdown`` with each ``<![`` written as text, and a problem for each.

    Code too: MkDocs parses the Markdown for HTML before any code block is
    set aside, and a fence that never closes is no code block at all.
    ``first_line`` is the source line of the Markdown's first line.
    """
    prose = markdown
    problems = [
        Problem(
            path,
            first_line + prose.count("\n", 0, m.start()),
            "'<![' starts an HTML marked section the HTML parser cannot read",
            hint="write &lt;![ for the text, or put it in a code block",
        )
        for m in _MARKED_SECTION.finditer(prose)
    ]
    if not problems:
        return markdown, []
    starts = [m.start() for m in _MARKED_SECTION.finditer(prose)]
    pieces, last = [], 0
    for start in starts:
        pieces += [markdown[last:start], "&lt;!["]
        last = start + 3
    pieces.append(markdown[last:])
    return "".join(pieces), problems


def is_script_url(value: str) -> bool:
    url = _IGNORED_IN_SCHEME.sub("", html.unescape(value.strip("\"'")))
    return bool(_SCRIPT_SCHEME.match(url)) and ":" in url


def refuse_script_urls(page_html: str, path: str, source: str) -> tuple[str, list[Problem]]:
    """``page_html`` with every script URL replaced by ``#``, and a problem for each (at its source line)."""
    problems: list[Problem] = []
    cursor = 0

    def replace(m: re.Match[str]) -> str:
        nonlocal cursor
        value = m.group("value")
        if not is_script_url(value):
            return m.group(0)
        raw = value.strip("\"'")
        shown = html.unescape(raw)
        pos = -1
        for needle in (raw[:20], shown[:20], raw[:4]):  # as written, as read, its scheme's start
            pos = source.find(needle, cursor)
            if pos < 0:
                pos = source.find(needle)
            if pos >= 0:
                cursor = pos + 1
                break
        problems.append(
            Problem(
                path,
                source.count("\n", 0, pos) + 1 if pos >= 0 else None,
                f"script URLs are not allowed on this site: {shown[:60]}",
                hint="link to a page or an https:// address; put scripts in the site's own assets",
            )
        )
        return f'{m.group("name")}"#"'

    return _URL_ATTRIBUTE.sub(replace, page_html), problems
