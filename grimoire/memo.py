"""Results of pure work kept across ``mkdocs serve`` rebuilds, keyed by every input of the work."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """Results of pure work on a page's text (front matter, check blocks and their cache keys, citations),
    kept across ``mkdocs serve`` rebuilds in ``store``, keyed by everything the work reads.

    A rebuild then parses only the pages that changed. The entries a build did not use are dropped at its
    end (``finish``), so the store holds one build's worth. Without a store (``mkdocs build``) it only
    saves repeated work within the build.
    """

    def __init__(self, store: dict[Hashable, Any] | None = None) -> None:
        self.store: dict[Hashable, Any] = store if store is not None else {}
        self.used: dict[Hashable, Any] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key not in self.used:
            self.used[key] = self.store[key] if key in self.store else compute()
        return self.used[key]

    def find(self, key: Hashable, look_up: Callable[[], T | None]) -> T | None:
        """As ``get``, for a look-up that may find nothing yet (a cache miss): a None is not kept,
        so the next build looks again."""
        if key in self.used:
            return self.used[key]
        found = self.store[key] if key in self.store else look_up()
        if found is not None:
            self.used[key] = found
        return found

    def finish(self) -> None:
        self.store.clear()
        self.store.update(self.used)
