"""The formula coverage listing in parts: bounded parts, in page order, in the author's part of the sidebar."""

from __future__ import annotations

import yaml

from grimoire.formula_marks import (
    PART_FORMULAS,
    PageFormulas,
    coverage_overview_markdown,
    coverage_part_markdown,
    coverage_parts,
)
from grimoire.formulacheck.status import FormulaStatus
from grimoire.navigation import AUTHOR_SECTION, COVERAGE_PARTS_TITLE, leaves, plan_nav


def page(path: str, formulas: int) -> PageFormulas:
    statuses = [FormulaStatus(4 * i + 1, "nocheck", (), "", "notation") for i in range(formulas)]
    return PageFormulas(path, path, statuses, {s.line: f"x_{{{s.line}}}" for s in statuses})


def test_parts_hold_at_most_the_limit_in_page_order_and_a_larger_page_stands_alone() -> None:
    pages = [page(f"glossary/p{i:03}.md", 7) for i in range(40)] + [page("glossary/zz-big.md", PART_FORMULAS + 5),
                                                                    page("glossary/zz-none.md", 0)]
    parts = coverage_parts(pages, lambda p: p.path)
    listed = [p.path for part in parts for p in part.pages]
    assert listed == [p.path for p in pages if p.statuses]  # every page with formulas once, in order
    assert all(part.formula_count <= PART_FORMULAS for part in parts if len(part.pages) > 1)
    assert parts[-1].pages == (pages[40],) and parts[-1].title == "Formulas: glossary/zz-big.md"
    # Greedy: a part is full when the next page does not fit.
    assert all(a.formula_count + len(b.pages[0].statuses) > PART_FORMULAS for a, b in zip(parts, parts[1:]))
    assert [part.src_uri for part in parts] == [f"formulas/{n}.md" for n in range(1, len(parts) + 1)]


def test_a_part_lists_its_formulas_with_links_and_takes_its_title_as_plain_text() -> None:
    title = 'Say "hi": *not* <b>bold</b>'
    (part,) = coverage_parts([page("glossary/a.md", 2)], lambda p: title)
    text = coverage_part_markdown(part, lambda p, s: f"cell-{s.line}", lambda tex: f"<div>{tex}</div>")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == f"Formulas: {title}" and front["search"] == {"exclude": True}
    heading = next(line for line in text.splitlines() if line.startswith("# "))
    assert "<b>" not in heading and "*not*" not in heading
    assert '<a href="../../glossary/a/#formula-1">1</a>' in text and "<div>x_{5}</div>" in text and "cell-5" in text
    assert "[All parts of the formula coverage](../formulas.md)" in text
    overview = coverage_overview_markdown([part], "SUMMARY")
    assert "SUMMARY" in overview and '<a href="1/">1</a>' in overview and "<td>2</td>" in overview


def test_parts_sit_in_the_authors_part_of_the_sidebar_in_number_order_and_in_runs() -> None:
    parts = [f"formulas/{n}.md" for n in range(1, 101)]
    titles = {uri: f"Formulas: part {int(uri[9:-3]):03}" for uri in parts}
    plan = plan_nav(["index.md", "formulas.md", "snippets/a.md", *reversed(parts)], titles, frozenset())
    author = next(item[AUTHOR_SECTION] for item in plan.nav if isinstance(item, dict) and AUTHOR_SECTION in item)
    assert author[0] == "formulas.md"
    runs = author[1][COVERAGE_PARTS_TITLE]
    assert all(isinstance(run, dict) and len(next(iter(run.values()))) <= 40 for run in runs)
    assert leaves(runs) == parts  # 2 before 10
    assert plan.authoring == ["formulas.md", *parts, "snippets/a.md"]
    assert not set(parts) & set(plan.reading)
