"""Front matter as MkDocs and Material show it: text escaped, malformed values dropped.

MkDocs puts the front matter ``title`` into the nav, the ``<title>`` and the
search index as HTML, and Material writes ``description``, ``subtitle`` and
tag names into pages and ``tags.json`` unescaped (its templates run without
autoescaping). Escaping there would mean patching the theme; instead the
page's metadata is replaced before any template or plugin reads it: each text
value HTML-escaped once (MkDocs' own titles are HTML too, so every template
shows it right), each value Material would misread (a list under
``description``, an alias bomb, a path under ``icon``) dropped. The problems
themselves are reported from ``frontmatter.read_meta``.

A page without a ``description`` gets its ``summary`` as one, so Material's
``<meta name="description">`` (and the Open Graph tags, see
``grimoire.open_graph``) describe the page, not the site.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from .frontmatter import MATERIAL_TYPES, is_text, is_text_list


def theme_meta(meta: Mapping[str, object]) -> dict[str, object]:
    """``meta`` with every text value escaped for HTML and every value of the wrong type left out."""
    safe: dict[str, object] = {}
    for key, value in meta.items():
        if not isinstance(key, str):
            continue
        if key in MATERIAL_TYPES:
            if not MATERIAL_TYPES[key][0](value):
                continue
            safe[key] = _escaped(value)
        elif isinstance(value, (bool, int, float)) or is_text(value) or is_text_list(value):
            safe[key] = _escaped(value)
    summary = meta.get("summary")
    if "description" not in safe and is_text(summary):
        safe["description"] = html.escape(" ".join(str(summary).split()))
    return safe


def _escaped(value: object) -> object:
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, list):
        return [html.escape(v) if isinstance(v, str) else v for v in value]
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if isinstance(v, (bool, int, float))}
    return value
