"""On-disk cache of rendered formulas, in one SQLite file.

The key is a digest of everything that can change KaTeX's output: the TeX,
display mode, options, macros and the KaTeX version. One file rather than a
file per formula keeps a warm lookup of thousands of formulas to a single
query (markdown-katex's per-formula directory scan made warm builds quadratic).
Writes happen in one transaction after a batch renders, so an interrupted
build leaves no half-written entry.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

_SCHEMA = "CREATE TABLE IF NOT EXISTS renders (key TEXT PRIMARY KEY, html TEXT NOT NULL)"
_CHUNK = 500  # stays under SQLite's limit on bound parameters


def render_key(tex: str, display: bool, settings_digest: str) -> str:
    """The cache key of one formula under a settings digest (see ``settings_digest``)."""
    h = hashlib.sha256()
    h.update(settings_digest.encode())
    h.update(b"\x00D" if display else b"\x00I")
    h.update(tex.encode("utf-8"))
    return h.hexdigest()


def settings_digest(katex_version: str, options: Mapping, macros: Mapping[str, str]) -> str:
    """A digest of everything besides the formula that shapes KaTeX's output."""
    blob = json.dumps(
        {"katex": katex_version, "options": options, "macros": macros},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class RenderCache:
    """Maps cache keys to KaTeX HTML; ``path=None`` keeps it in memory only."""

    def __init__(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(":memory:" if path is None else str(path))
        self._db.execute(_SCHEMA)

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, html FROM renders WHERE key IN ({marks})", chunk)
            found.update(rows)
        return found

    def put_many(self, entries: Mapping[str, str]) -> None:
        if entries:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO renders (key, html) VALUES (?, ?)", entries.items()
                )

    def close(self) -> None:
        self._db.close()
