"""Material's ``search/search_index.json`` cut down to its config: no documents.

Material's main script still fetches this file on every page load and posts
it to the search worker; Grimoire's worker answers from Pagefind instead, so
the documents (the full text of the site, megabytes at a few thousand pages)
are dropped. The config stays: the main script reads its ``separator`` to
highlight the searched words on the page a result opens (``search.highlight``).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..problems import Problem

INDEX_PATH = "search/search_index.json"


def write_stub_index(site_dir: Path) -> list[Problem]:
    """Rewrites the index Material wrote as its config alone; no index (search plugin off) is no problem."""
    path = site_dir / INDEX_PATH
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text("utf-8"))
        config = data["config"] if isinstance(data, dict) and isinstance(data.get("config"), dict) else None
    except (OSError, ValueError) as error:
        config, reason = None, str(error)
    else:
        reason = "it has no config object"
    if config is None:
        return [Problem(INDEX_PATH, None, f"Material's search index cannot be read: {reason}",
                        hint="check the search plugin's settings in mkdocs.yml")]
    path.write_text(json.dumps({"config": config, "docs": []}, sort_keys=True, separators=(",", ":")), "utf-8")
    return []
