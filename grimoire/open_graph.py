"""Open Graph tags: a shared link previews the page's own title and summary.

Material writes ``<meta name="description">`` from ``page.meta.description``
(which ``glossary.theme_meta`` fills from the summary) but no Open Graph tags
without its social plugin, which draws cards with online fonts. These tags go
into ``<head>`` of every page: ``og:title``, ``og:description``, ``og:type``
and, when ``site_url`` is set, ``og:url``. Front matter is data: every value
is unescaped once and escaped once, so text MkDocs already escaped and text
it did not come out the same, and nothing in it becomes markup.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from .html_text import attribute_text


def open_graph_tags(title: str, description: str | None, url: str | None, home: bool) -> str:
    tags = [
        ("og:type", "website" if home else "article"),
        ("og:title", attribute_text(title)),
    ]
    if description:
        tags.append(("og:description", attribute_text(description)))
    if url:
        tags.append(("og:url", html.escape(url, quote=True)))
    return "".join(f'<meta property="{name}" content="{value}">' for name, value in tags)


def with_open_graph(output: str, meta: Mapping[str, object], title: str, url: str | None, home: bool) -> str:
    """``output`` (a whole page) with its Open Graph tags at the end of ``<head>``."""
    head_end = output.find("</head>")
    if head_end < 0:
        return output
    page_title = meta.get("title") if isinstance(meta.get("title"), str) else title
    description = meta.get("description") if isinstance(meta.get("description"), str) else None
    tags = open_graph_tags(str(page_title or ""), description, url, home)
    return output[:head_end] + tags + "\n" + output[head_end:]
