"""What a page's fingerprint follows: the part of the sidebar Material draws on it, and its memoised parsing."""

from __future__ import annotations

from grimoire.incremental import sidebar_digests, stale_pages
from grimoire.memo import Memo

NAV = [
    "index.md",
    {"Glossary": ["glossary/index.md",
                  {"A": ["glossary/a1.md", "glossary/a2.md"]},
                  {"B": ["glossary/b1.md", "glossary/b2.md"]}]},
    {"Derivations": ["derivations/d1.md"]},
]


def _digests(titles: dict[str, str]):
    return sidebar_digests(NAV, lambda uri: titles.get(uri, uri))


def test_a_title_shows_in_its_own_group_and_not_in_a_pruned_one() -> None:
    before = _digests({})
    after = _digests({"glossary/a2.md": "A renamed page"})
    changed = {page for page in before if before[page] != after[page]}
    # a2 is listed only where group A is open: on A's pages. B's pages draw A as one link, to a1.
    assert changed == {"glossary/a1.md", "glossary/a2.md"}


def test_a_group_link_follows_its_first_page_everywhere() -> None:
    before = _digests({})
    after = _digests({"glossary/a1.md": "First page renamed"})
    # The title of a1 is drawn in group A only, but every page links group A to a1: the link's target
    # is unchanged, so only A's pages change.
    assert {p for p in before if before[p] != after[p]} == {"glossary/a1.md", "glossary/a2.md"}


def test_section_entries_are_drawn_on_every_page() -> None:
    before = _digests({})
    after = _digests({"derivations/d1.md": "A derivation"})
    assert all(before[p] != after[p] for p in before)


def test_stale_pages_are_the_new_and_the_changed() -> None:
    assert stale_pages(None, {"a": "1", "b": "2"}) == {"a", "b"}
    assert stale_pages({"a": "1", "b": "2"}, {"a": "1", "b": "3", "c": "4"}) == {"b", "c"}


def test_the_memo_keeps_what_the_last_build_used() -> None:
    store: dict = {}
    calls = []

    def work(x: str) -> str:
        calls.append(x)
        return x.upper()

    first = Memo(store)
    assert first.get(("k", "a"), lambda: work("a")) == "A"
    assert first.get(("k", "b"), lambda: work("b")) == "B"
    first.finish()
    second = Memo(store)
    assert second.get(("k", "a"), lambda: work("a")) == "A"
    second.finish()
    assert calls == ["a", "b"] and list(store) == [("k", "a")]


def test_the_memo_looks_again_for_what_was_not_found() -> None:
    # A cache miss (a check not run yet) is looked up again by the next build; a hit is kept.
    store: dict = {}
    disk: dict[str, str] = {}
    looked: list[str] = []

    def load(key: str) -> str | None:
        looked.append(key)
        return disk.get(key)

    first = Memo(store)
    assert first.find(("result", "k"), lambda: load("k")) is None
    first.finish()
    disk["k"] = "passed"
    second = Memo(store)
    assert second.find(("result", "k"), lambda: load("k")) == "passed"
    second.finish()
    third = Memo(store)
    assert third.find(("result", "k"), lambda: load("k")) == "passed"
    assert looked == ["k", "k"]
