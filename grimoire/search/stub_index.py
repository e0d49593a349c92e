"""Material's ``search/search_index.json`` cut down to its config: no documents.

Material's main script still fetches this file on every page load and posts
it to the search worker; Grimoire's worker answers from Pagefind instead, so
the documents (the full text of the site, megabytes at a few thousand pages)
are dropped. The config stays: the main script reads its ``separator`` to
highlight the searched words on the page a result opens (``search.highlight``).

``ConfigOnlyIndex`` stands in for Material's own index object, so its plugin
never parses a page (its HTML parser took a large share of each page's build
time); ``write_stub_index`` still cuts whatever index the plugin wrote, in
case the stand-in was not taken.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..problems import Problem

INDEX_PATH = "search/search_index.json"
# The config keys Material's index carries (``SearchIndex.generate_search_index``).
CONFIG_KEYS = ("lang", "separator", "pipeline", "fields")


def stub_text(config: Mapping[str, Any]) -> str:
    return json.dumps({"config": dict(config), "docs": []}, sort_keys=True, separators=(",", ":"))


class ConfigOnlyIndex:
    """Material's search index interface (``add_entry_from_context``, ``generate_search_index``) with no
    documents: the plugin's settings in, the stub out."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.config = {key: settings[key] for key in CONFIG_KEYS if key in settings}
        self.entries: list[object] = []

    def add_entry_from_context(self, page: object) -> None:
        """Pages are indexed by Pagefind after the build."""

    def generate_search_index(self, prev: object) -> str:
        return stub_text(self.config)


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
    path.write_text(stub_text(config), "utf-8")
    return []
