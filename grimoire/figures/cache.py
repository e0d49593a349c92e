"""On-disk store of drawn figures: one SVG file per cache key.

Lives in ``<root>/.cache/grimoire/figures/``, outside every watched source
folder. Each entry starts with a comment holding the sha256 of the rest, so a
truncated or edited entry is detected and drawn again. Entries are written
to a temporary file in the same folder and moved into place with
``os.replace``, so a reader never sees half an entry.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_HEADER = re.compile(r"<!-- grimoire-figure sha256=(?P<digest>[0-9a-f]{64}) -->\n")


class FigureCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

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
        return body

    def store(self, key: str, svg: str) -> None:
        """Writes the entry atomically (temporary file, then ``os.replace``)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(svg.encode("utf-8")).hexdigest()
        data = f"<!-- grimoire-figure sha256={digest} -->\n{svg}".encode()
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".svg", dir=self.directory)
        os.fchmod(fd, 0o644)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.path(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @staticmethod
    def _discard(path: Path) -> None:
        try:
            path.unlink()
        except OSError:
            pass
