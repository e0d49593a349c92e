"""On-disk cache of rendered formulas, in one SQLite file.

The key is a digest of everything that can change KaTeX's output: the TeX,
display mode, options, macros and the KaTeX version. One file rather than a
file per formula keeps a warm lookup of thousands of formulas to a single
query (markdown-katex's per-formula directory scan made warm builds quadratic).
Writes happen in one transaction after a batch renders, so an interrupted
build leaves no half-written entry.

Each opening of the cache is a build generation; every row remembers the last
generation that used it. Opening evicts rows no build of the last
``keep_builds`` used, then the least recently used rows beyond ``max_bytes``,
so the file does not grow without bound as formulas are edited.

The cache is disposable: a file that is corrupt, truncated or removed during a
build is logged as a warning and started afresh (in memory when the folder
cannot be written), never a build failure.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

log = logging.getLogger("grimoire.cache")

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS renders (key TEXT PRIMARY KEY, html TEXT NOT NULL, used INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
)
_CHUNK = 500  # stays under SQLite's limit on bound parameters
KEEP_BUILDS = 20
MAX_BYTES = 256 * 1024 * 1024

T = TypeVar("T")


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

    def __init__(self, path: Path | None, keep_builds: int = KEEP_BUILDS, max_bytes: int = MAX_BYTES) -> None:
        self.path = path
        self.keep_builds = keep_builds
        self.max_bytes = max_bytes
        self._touched: set[str] = set()  # hits to record as used by this generation, at close
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as error:
            self._reset(error)

    def _open(self) -> sqlite3.Connection:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(":memory:" if self.path is None else str(self.path))
        try:
            # A cache: losing the last writes to a power cut is fine, an fsync per page is not.
            db.execute("PRAGMA synchronous = OFF")
            columns = {row[1] for row in db.execute("PRAGMA table_info(renders)")}
            if columns and "used" not in columns:  # written by an older Grimoire
                db.execute("DROP TABLE renders")
            for statement in _SCHEMA:
                db.execute(statement)
            row = db.execute("SELECT value FROM state WHERE name = 'generation'").fetchone()
            self.generation = (row[0] if row else 0) + 1
            with db:
                db.execute("INSERT OR REPLACE INTO state VALUES ('generation', ?)", (self.generation,))
                self._evict(db)
        except BaseException:
            db.close()
            raise
        return db

    def _evict(self, db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM renders WHERE used <= ?", (self.generation - 1 - self.keep_builds,))
        total = 0
        for used, size in db.execute(
            "SELECT used, SUM(LENGTH(html)) FROM renders GROUP BY used ORDER BY used DESC"
        ).fetchall():
            total += size
            if total > self.max_bytes:
                db.execute("DELETE FROM renders WHERE used <= ?", (used,))
                break

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(keys))

        def lookup() -> dict[str, str]:
            found: dict[str, str] = {}
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                found.update(self._db.execute(f"SELECT key, html FROM renders WHERE key IN ({marks})", chunk))
            return found

        found = self._guarded(lookup, dict)
        self._touched.update(found)
        return found

    def put_many(self, entries: Mapping[str, str]) -> None:
        if not entries:
            return

        def write() -> None:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO renders (key, html, used) VALUES (?, ?, ?)",
                    [(k, v, self.generation) for k, v in entries.items()],
                )

        self._guarded(write, lambda: None)

    def close(self) -> None:
        touched = list(self._touched)

        def record_use() -> None:
            with self._db:
                for start in range(0, len(touched), _CHUNK):
                    chunk = touched[start : start + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    self._db.execute(
                        f"UPDATE renders SET used = ? WHERE key IN ({marks})", [self.generation, *chunk]
                    )

        if touched:
            self._guarded(record_use, lambda: None)
        self._touched.clear()
        self._db.close()

    def _guarded(self, operation: Callable[[], T], fallback: Callable[[], T]) -> T:
        """Runs ``operation``; if the file is broken, runs it again on a fresh cache, else ``fallback``."""
        try:
            return operation()
        except sqlite3.DatabaseError as error:
            self._reset(error)
        try:
            return operation()
        except sqlite3.DatabaseError as error:
            self.path = None  # a fresh file failed too: memory for the rest of this build
            self._reset(error)
            return fallback()

    def _reset(self, error: sqlite3.DatabaseError) -> None:
        """A new, empty cache in place of a broken one (in memory if the file cannot be made)."""
        old = getattr(self, "_db", None)
        if old is not None:
            old.close()
        self._touched.clear()
        locked = "locked" in str(error)  # another build holds it: leave the file alone
        log.warning(
            "Grimoire: the formula cache %s is unusable (%s); %s",
            self.path,
            error,
            "using a cache in memory for this build" if locked else "starting it afresh",
        )
        if self.path is not None and not locked:
            try:
                for suffix in ("", "-journal", "-wal", "-shm"):
                    self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
                self._db = self._open()
                return
            except (OSError, sqlite3.DatabaseError) as again:
                log.warning("Grimoire: cannot recreate %s (%s); using a cache in memory", self.path, again)
        self.path = None
        self._db = self._open()
