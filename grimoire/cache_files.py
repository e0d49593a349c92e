"""File operations shared by the on-disk caches (figures, formula-check results).

An entry is written to a temporary file in its folder and moved into place
with ``os.replace``, so a reader never sees half an entry; an entry that
cannot be removed is left for the next eviction.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(target: Path, data: bytes) -> None:
    """Writes ``data`` to ``target`` (its folder made if missing) all at once; raises ``OSError``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
    os.fchmod(fd, 0o644)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def discard(path: Path) -> None:
    """Removes ``path`` if it can; a cache entry that stays is not an error."""
    try:
        path.unlink()
    except OSError:
        pass
