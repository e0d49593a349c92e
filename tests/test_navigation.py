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
