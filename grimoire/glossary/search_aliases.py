"""Adds each term's names (title and aliases) to Material's search index, as a field of their own.

Material for MkDocs indexes every field named in its search ``fields``
setting; mkdocs.yml gives ``names`` the highest boost, so searching a term's
name or an abbreviation (KL, log loss) ranks its page first. The title is in
the field too: were only aliases there, a page whose alias merely contains a
word of the query ("Shannon entropy") would outrank the page the whole query
names ("cross-entropy", which the search splits into "cross" and "entropy").
A name whose first word is a single letter ("p value") is also indexed
joined into one word ("pvalue"): Material searches each query word as a
prefix, so "p" alone matches words on many pages, and the joined word,
found on this page only, keeps the named page first.
Material writes the index in its own ``on_post_build``; this runs after it.
Material's search shows index fields as HTML, so names go in HTML-escaped
like its own text.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

FIELD = "names"
# Where Material's search (mkdocs.yml `separator`) splits a name into words.
_WORD_BREAK = re.compile(r"[\s\-,:!=\[\]()\"/'\u2019]+")


def name_words(names: list[str]) -> list[str]:
    """The names as written, and those whose first word is one letter joined into one word."""
    joined = []
    for name in names:
        words = [w for w in _WORD_BREAK.split(name.casefold()) if w]
        if len(words) > 1 and len(words[0]) == 1 and "".join(words) not in joined:
            joined.append("".join(words))
    return [*names, *joined]


def add_names(index_path: Path, names_by_url: dict[str, list[str]]) -> int:
    """Adds a ``names`` field to each page-level entry; returns how many were changed."""
    data = json.loads(index_path.read_text("utf-8"))
    changed = 0
    for doc in data.get("docs", []):
        names = names_by_url.get(doc.get("location", ""))
        if names:
            doc[FIELD] = " ".join(html.escape(name) for name in name_words(names))
            changed += 1
    index_path.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
    return changed
