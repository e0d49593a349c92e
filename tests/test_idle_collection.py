"""Garbage collection between serve rebuilds: survivors frozen, the replaced model freed at the next pause."""

from __future__ import annotations

import gc
import weakref

from grimoire.idle_collection import IdleCollector


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> Node:
    a, b = Node(), Node()
    a.other, b.other = b, a  # freed only by a collection, as MkDocs' pages and files are
    return a


def finish_and_wait(collector: IdleCollector) -> None:
    collector.rebuild_finished()
    timer = collector._timer
    assert timer is not None
    timer.join(10)
    assert not timer.is_alive()


def test_survivors_are_frozen_and_a_dropped_model_is_freed_at_the_next_pause() -> None:
    collector = IdleCollector(delay=0.0)
    try:
        model = cycle()
        alive = weakref.ref(model)
        finish_and_wait(collector)
        assert gc.get_freeze_count() > 0
        assert gc.is_tracked(model) and alive() is model  # a live model is kept, frozen
        del model  # the next rebuild replaces it
        gc.collect()
        assert alive() is not None  # frozen: no collection during the rebuild walks it or frees it
        finish_and_wait(collector)
        assert alive() is None  # freed once the rebuild is over
    finally:
        collector.close()
    assert gc.get_freeze_count() == 0


def test_a_rebuild_that_starts_first_cancels_the_pending_collection() -> None:
    collector = IdleCollector(delay=30.0)
    try:
        collector.rebuild_finished()
        timer = collector._timer
        assert timer is not None and timer.is_alive()
        collector.rebuild_started()
        timer.join(5)
        assert not timer.is_alive() and collector._timer is None
        assert gc.get_freeze_count() == 0  # it never ran
    finally:
        collector.close()
