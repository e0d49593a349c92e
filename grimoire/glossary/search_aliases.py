"""Adds each term's aliases to Material's search index, as a field of their own.

Material for MkDocs indexes every field named in its search ``fields``
setting; mkdocs.yml gives ``aliases`` the highest boost, so searching an
abbreviation (KL, log loss) ranks its term's page first. Material writes the
index in its own ``on_post_build``; this runs after it. Material's search
shows index fields as HTML, so aliases go in HTML-escaped like its own text.
"""

from __future__ import annotations

import html
import json
from pathlib import Path


def add_aliases(index_path: Path, aliases_by_url: dict[str, list[str]]) -> int:
    """Adds an ``aliases`` field to each page-level entry; returns how many were changed."""
    data = json.loads(index_path.read_text("utf-8"))
    changed = 0
    for doc in data.get("docs", []):
        names = aliases_by_url.get(doc.get("location", ""))
        if names:
            doc["aliases"] = " ".join(html.escape(name) for name in names)
            changed += 1
    index_path.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
    return changed
