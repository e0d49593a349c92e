"""The engine's navigation plan: reader sections in order, the author's pages apart."""

from __future__ import annotations

from grimoire.navigation import AUTHOR_SECTION, plan_nav

PAGES = [
    "index.md", "tags.md", "formulas.md", "bibliography.md",
    "snippets/losses.md", "snippets/activations.md",
    "derivations/attention-scaling.md", "derivations/index.md",
    "papers/vaswani-2017.md", "papers/index.md",
    "glossary/softmax-temperature.ipynb", "glossary/softmax.md", "glossary/index.md", "glossary/argmax.md",
]
TITLES = {
    "glossary/softmax.md": "Softmax",
    "glossary/softmax-temperature.ipynb": "Softmax temperature",
    "glossary/argmax.md": "Argmax",
    "derivations/attention-scaling.md": "Why attention divides by the square root of d",
    "papers/vaswani-2017.md": "Attention is all you need",
}
CONTENT = frozenset(TITLES)


def test_reader_sections_come_in_reading_order_with_their_index_first() -> None:
    plan = plan_nav(PAGES, TITLES, CONTENT)
    assert plan.nav[0] == "index.md"
    sections = [next(iter(item)) for item in plan.nav if isinstance(item, dict)]
    assert sections == ["Glossary", "Derivations", "Papers", AUTHOR_SECTION]
    glossary = plan.nav[1]["Glossary"]
    # By title, not by file name: "Softmax" before "Softmax temperature", the notebook among the pages.
    assert glossary == ["glossary/index.md", "glossary/argmax.md", "glossary/softmax.md", "glossary/softmax-temperature.ipynb"]
    # Other top-level reader pages (a bibliography, tags) follow the sections.
    assert plan.nav[4:6] == ["bibliography.md", "tags.md"]


def test_prev_next_chains_keep_the_authors_pages_apart() -> None:
    plan = plan_nav(PAGES, TITLES, CONTENT)
    assert plan.authoring == ["formulas.md", "snippets/activations.md", "snippets/losses.md"]
    assert not set(plan.authoring) & set(plan.reading)
    assert sorted(plan.reading + plan.authoring) == sorted(PAGES)
    # The reading chain is the sidebar order, flattened.
    flat = []
    for item in plan.nav:
        if isinstance(item, str):
            flat.append(item)
        elif next(iter(item)) != AUTHOR_SECTION:
            flat += next(iter(item.values()))
    assert plan.reading == flat


def test_generated_pages_of_a_section_follow_its_written_pages() -> None:
    pages = ["papers/index.md", "papers/bibliography.md", "papers/zeta.md", "papers/alpha.md"]
    titles = {"papers/zeta.md": "Zeta", "papers/alpha.md": "Alpha"}
    plan = plan_nav(pages, titles, frozenset(titles))
    assert plan.nav == [{"Papers": ["papers/index.md", "papers/alpha.md", "papers/zeta.md", "papers/bibliography.md"]}]


def _walk(items, depth=0):
    """(depth, item) of every entry of a nav list, in sidebar order."""
    for item in items:
        yield depth, item
        if isinstance(item, dict):
            yield from _walk(next(iter(item.values())), depth + 1)


def _big_glossary(count: int, prefix: str = "") -> tuple[list[str], dict[str, str]]:
    pages = ["glossary/index.md"]
    titles = {}
    for i in range(count):
        word = chr(ord("a") + i % 26) + f"{prefix}term {i:05d}"
        pages.append(f"glossary/{word.replace(' ', '-')}.md")
        titles[pages[-1]] = word.capitalize()
    return pages, titles


def test_a_small_section_is_a_flat_list() -> None:
    pages, titles = _big_glossary(40)
    plan = plan_nav(pages, titles, frozenset(titles))
    assert all(isinstance(item, str) for item in plan.nav[0]["Glossary"])


def test_a_large_section_is_grouped_by_letter_after_its_index() -> None:
    pages, titles = _big_glossary(41 * 5)
    pages.append("glossary/2-d-rotation.md")
    titles["glossary/2-d-rotation.md"] = "2-D rotation"
    plan = plan_nav(pages, titles, frozenset(titles))
    glossary = plan.nav[0]["Glossary"]
    assert glossary[0] == "glossary/index.md"
    letters = [next(iter(group)) for group in glossary[1:]]
    assert letters == ["#"] + [chr(ord("A") + i) for i in range(26)]
    assert glossary[2]["A"][0] == "glossary/aterm-00000.md"
    # The sidebar, flattened, is the reading order.
    assert [item for _, item in _walk(plan.nav) if isinstance(item, str)] == plan.reading


def test_a_large_letter_is_split_into_runs_and_no_group_exceeds_the_limit() -> None:
    from grimoire.navigation import GROUP_SIZE

    for count in (GROUP_SIZE * 3, 5000, GROUP_SIZE ** 2 * 3):
        pages = ["glossary/index.md"] + [f"glossary/s{i:06d}.md" for i in range(count)]
        titles = {p: f"Softmax {i:06d}" for i, p in enumerate(pages[1:])}
        plan = plan_nav(pages, titles, frozenset(titles))
        entries = list(_walk(plan.nav))
        for _, item in entries:
            if isinstance(item, dict):
                assert len(next(iter(item.values()))) <= max(GROUP_SIZE, 27 + 1), next(iter(item))
        leaves = [item for _, item in entries if isinstance(item, str)]
        assert leaves == plan.reading and len(leaves) == count + 1
        runs = next(iter(plan.nav[0]["Glossary"][1].values()))
        # A run is labelled by its first and last titles.
        first_run = runs[0]
        label, members = next(iter(first_run.items()))
        flat = [item for _, item in _walk(members) if isinstance(item, str)]
        assert label == f"{titles[flat[0]]} – {titles[flat[-1]]}"
