"""What each built page tells the search: its indexed body, its names, and which worker answers queries.

Pagefind indexes only elements marked ``data-pagefind-body`` once any page has
one, so marking Material's article leaves out the header, the sidebars, the
footer and every page without an article (Material's 404). A term's names
(title, aliases, and "p value" joined as "pvalue", see
``glossary.search_aliases``) go in a ``<meta>`` element of the head as
Pagefind metadata, a JSON list: metadata is searched and boosted by its
field weight, is never part of a result's excerpt, and a ``<meta>`` element
is neither shown nor read out. Each name also goes in as one key word
(``name_key``): Pagefind weighs a field as a whole, so at thousands of pages
the page named "Tikhonov regularization" can rank below many whose names
merely hold both words; the worker looks the query's key up too, which
finds the page of that exact name whatever its rank. Values are HTML-escaped: front matter is text, never markup.

Material's main script starts the search worker named by ``search`` in the
page's ``<script id="__config">``; ``point_to_worker`` names Grimoire's
worker there instead, keeping the prefix Material wrote (relative to the
page, or absolute on the 404 page).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Sequence

from ..layout import SEARCH_WORKER_JS

NAMES_FIELD = "names"
TITLE_FIELD = "title"
KEYS_FIELD = "keys"
# A name as one word no reader types, so that searching for it finds only the pages of that exact
# name: the end mark keeps a longer name ("KL c1") from matching as a prefix ("KL").
KEY_START, KEY_END = "zqn", "zqx"

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"(?=[\s>])')
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
_MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js\Z")


def meta_tag(field: str, value: str) -> str:
    """A Pagefind metadata element: ``field`` is the key, ``value`` the text (escaped here)."""
    return f'<meta data-pagefind-meta="{field}[content]" content="{html.escape(value, quote=True)}">'


def mark_for_index(page_html: str, title: str, names: Sequence[str]) -> tuple[str, bool]:
    """The page with its article marked as the indexed body and its title and names as metadata.

    Returns the page and whether it had Material's article (a page without
    one stays out of the index).
    """
    marked, found = _ARTICLE.subn(lambda m: m.group(0) + " data-pagefind-body", page_html, count=1)
    if not found:
        return page_html, False
    tags = []
    if title.strip():
        # Set, not left to Pagefind's first-h1 guess, which would keep the heading's "¶" link.
        tags.append(meta_tag(TITLE_FIELD, title.strip()))
    if names:
        # A JSON list: the worker reads the names back one by one, to put a page whose name is the query first.
        tags.append(meta_tag(NAMES_FIELD, json.dumps(list(names), ensure_ascii=False)))
        tags.append(meta_tag(KEYS_FIELD, " ".join(dict.fromkeys(name_key(name) for name in names))))
    if tags:
        marked, heads = _HEAD_END.subn(lambda m: "".join(tags) + m.group(0), marked, count=1)
        if not heads:
            return page_html, False
    return marked, True


def name_key(name: str) -> str:
    """``name`` as the worker looks it up: its letters and digits, lower case, between the key marks.

    The worker makes the same key of the query (``nameKey`` in the worker script).
    """
    letters = "".join(ch for ch in name.lower() if unicodedata.category(ch)[0] in "LN")
    return f"{KEY_START}{letters}{KEY_END}"


def point_to_worker(page_html: str) -> tuple[str, bool]:
    """The page with Material's ``__config.search`` naming Grimoire's worker.

    Returns the page and whether the config named Material's worker (False:
    the page has no such config, or the theme changed how it names it).
    """
    match = _CONFIG.search(page_html)
    if match is None:
        return page_html, False
    try:
        config = json.loads(match.group(2))
    except ValueError:
        return page_html, False
    worker = config.get("search") if isinstance(config, dict) else None
    if not isinstance(worker, str) or not _MATERIAL_WORKER.search(worker):
        return page_html, False
    config["search"] = _MATERIAL_WORKER.sub(SEARCH_WORKER_JS, worker)
    text = _html_safe_json(config)
    return page_html[: match.start(2)] + text + page_html[match.end(2) :], True


def _html_safe_json(value: object) -> str:
    """JSON as Jinja's ``tojson`` writes it (keys sorted; <, >, & and ' as escapes), safe inside <script>."""
    text = json.dumps(value, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")
