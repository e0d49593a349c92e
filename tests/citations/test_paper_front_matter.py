"""Paper pages' front matter: ``kind: paper`` and ``cite: KEY``, each needing the other."""

from __future__ import annotations

from grimoire.glossary.frontmatter import read_meta


def meta(extra: str):
    return read_meta("papers/p.md", f"---\ntitle: P\nsummary: S.\n{extra}---\n\n# P\n")


def test_a_paper_page_declares_kind_and_cite() -> None:
    page, problems = meta("kind: paper\ncite: vaswani2017\n")
    assert problems == [] and (page.kind, page.cite) == ("paper", "vaswani2017")
    assert page.lines["cite"] == 5


def test_wrong_or_lonely_kind_and_cite_are_problems_at_their_line() -> None:
    _, problems = meta("kind: article\n")
    assert [(p.line, p.message) for p in problems] == [(4, "'kind' must be one of: paper, got 'article'")]
    _, problems = meta("kind: paper\n")
    assert [(p.line, p.message) for p in problems] == [(4, "a paper page needs 'cite', its key in references.bib")]
    _, problems = meta("cite: vaswani2017\n")
    assert [(p.line, p.message) for p in problems] == [(4, "'cite' belongs to paper pages: add 'kind: paper'")]
    _, problems = meta("kind: paper\ncite: [a, b]\n")
    assert [(p.line, p.message) for p in problems] == [(5, "'cite' must be one key of references.bib, such as vaswani2017")]
