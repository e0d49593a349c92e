"""On-disk store of formula-check results: one small JSON file per cache key.

Lives in ``<root>/.cache/grimoire/checks/``. An entry holds the sha256 of
its body, so a truncated or edited entry is detected, removed and the check
runs again; a missing folder is made again. Entries are written to a
temporary file and moved into place with ``os.replace``. Only results that
do not depend on the machine or the moment are stored (``jobs.CACHEABLE``):
a timeout or a crash is tried again by the next build.

Entries are evicted by age of last use: loading an entry refreshes its
modification time, and ``prune`` removes entries a build did not use that
have not been used for ``max_idle`` seconds (a day by default), so the
folder holds what the site needs plus at most a day of churn.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from ..cache_files import discard, write_atomic
from .jobs import CACHEABLE, CheckResult

MAX_IDLE = 24 * 3600.0


class ResultCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.used: set[str] = set()

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def load(self, key: str) -> CheckResult | None:
        path = self.path(key)
        try:
            envelope = json.loads(path.read_bytes().decode("utf-8"))
            body = envelope["body"]
            if hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest() != envelope["sha256"]:
                raise ValueError("checksum")
            result = CheckResult.from_json(key, body)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            self._discard(path)
            return None
        self.used.add(key)
        try:
            os.utime(path)
        except OSError:
            pass
        return result

    def store(self, result: CheckResult) -> None:
        if result.kind not in CACHEABLE:
            return
        body = result.to_json()
        envelope = {"sha256": hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest(), "body": body}
        try:
            write_atomic(self.path(result.key), json.dumps(envelope, sort_keys=True).encode("utf-8"))
        except OSError:
            return  # a cache that cannot be written costs time, never the build
        self.used.add(result.key)

    def prune(self, max_idle: float = MAX_IDLE) -> int:
        """Removes entries this build did not use and nobody used for ``max_idle`` seconds."""
        removed = 0
        cutoff = time.time() - max_idle
        try:
            entries = list(self.directory.glob("*.json"))
        except OSError:
            return 0
        for path in entries:
            if path.stem in self.used:
                continue
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed

    @staticmethod
    def _discard(path: Path) -> None:
        discard(path)
