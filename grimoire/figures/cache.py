"""On-disk store of drawn figures: one SVG file per cache key.

Lives in ``<root>/.cache/grimoire/figures/``, outside every watched source
folder. Each entry starts with a comment holding the sha256 of the rest, so a
truncated or edited entry is detected and drawn again. Entries are written
to a temporary file in the same folder and moved into place with
``os.replace``, so a reader never sees half an entry.

Eviction is least-recently-used: a hit touches its entry, and opening the
cache removes entries no build used for ``max_age`` seconds, then the oldest
beyond ``max_bytes``, and temporary files a killed build left behind. A
cache folder that cannot be written (removed mid-build, made a file) costs a
warning and the drawing is used uncached; it is never a build failure.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from pathlib import Path

from ..cache_files import discard, write_atomic

log = logging.getLogger("grimoire.cache")
MAX_AGE = 30 * 24 * 3600
MAX_BYTES = 256 * 1024 * 1024
_STALE_TEMPORARY = 3600

_HEADER = re.compile(r"<!-- grimoire-figure sha256=(?P<digest>[0-9a-f]{64}) -->\n")


class FigureCache:
    def __init__(self, directory: Path, max_age: float = MAX_AGE, max_bytes: int = MAX_BYTES) -> None:
        self.directory = directory
        self.max_age = max_age
        self.max_bytes = max_bytes
        self._evict()

    def _evict(self) -> None:
        try:
            entries = [(e.stat().st_mtime, e.stat().st_size, Path(e.path), e.name) for e in os.scandir(self.directory)]
        except OSError:  # no cache yet
            return
        now = time.time()
        kept = []
        for mtime, size, path, name in entries:
            if name.startswith(".tmp-"):
                if now - mtime > _STALE_TEMPORARY:
                    self._discard(path)
            elif name.endswith(".svg"):
                if now - mtime > self.max_age:
                    self._discard(path)
                else:
                    kept.append((mtime, size, path))
        total = sum(size for _, size, _ in kept)
        for _, size, path in sorted(kept):  # least recently used first
            if total <= self.max_bytes:
                break
            self._discard(path)
            total -= size

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.svg"

    def load(self, key: str) -> str | None:
        """The SVG stored under ``key``; None when absent or corrupt (a corrupt entry is removed)."""
        path = self.path(key)
        try:
            text = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            self._discard(path)
            return None
        m = _HEADER.match(text)
        body = text[m.end() :] if m else ""
        if not m or hashlib.sha256(body.encode("utf-8")).hexdigest() != m.group("digest"):
            self._discard(path)
            return None
        try:
            os.utime(path)  # used by this build: last to be evicted
        except OSError:
            pass
        return body

    def store(self, key: str, svg: str) -> None:
        """Writes the entry atomically (temporary file, then ``os.replace``); a failure is only a warning."""
        try:
            self._write(key, svg)
        except OSError as error:
            log.warning("Grimoire: cannot write the figure cache %s (%s); the figure is drawn again next build", self.directory, error)

    def _write(self, key: str, svg: str) -> None:
        digest = hashlib.sha256(svg.encode("utf-8")).hexdigest()
        write_atomic(self.path(key), f"<!-- grimoire-figure sha256={digest} -->\n{svg}".encode())

    @staticmethod
    def _discard(path: Path) -> None:
        discard(path)
