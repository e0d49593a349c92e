"""Garbage collection between ``mkdocs serve`` rebuilds instead of during them.

A serve session holds a whole site model: several hundred megabytes of
objects for a site of 5,000 pages. CPython's full collection walks all of them
(1 to 1.4 s at 5,781 pages, measured) and starts whenever enough new objects
have survived, which is during a rebuild, while the author waits for the page.
So after each rebuild, once the author has had a moment to see the page, one
full collection runs and everything that survives it is frozen
(``gc.freeze``): the collections during the next rebuild walk only what that
rebuild made. The next idle collection unfreezes first, so the model of a
rebuild that has been replaced is freed then (MkDocs' pages and files refer
to each other: only a collection frees them).
"""

from __future__ import annotations

import gc
import threading


class IdleCollector:
    def __init__(self, delay: float = 0.5) -> None:
        # Seconds after a rebuild: the browser, told at once, has fetched the page before the collection holds
        # the GIL, and an author rarely saves again this soon (a save that comes first cancels it).
        self.delay = delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def rebuild_started(self) -> None:
        """A rebuild starts: a collection not yet started is not needed now."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def rebuild_finished(self) -> None:
        """A rebuild ended: collect and freeze after ``delay`` seconds, unless another one starts first."""
        self.rebuild_started()
        self._timer = threading.Timer(self.delay, self._collect)
        self._timer.daemon = True
        self._timer.start()

    def close(self) -> None:
        """The session ends: nothing scheduled, nothing frozen."""
        self.rebuild_started()
        with self._lock:
            gc.unfreeze()

    def _collect(self) -> None:
        with self._lock:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
