from grimoire.glossary.frontmatter import read_meta, split_front_matter

GOOD = """---
title: Cross-entropy
summary: >
  Expected surprise when outcomes
  of p are scored with q.
aliases: [CE, log loss]
tags: [Information theory, LLM]
related:
  - entropy
  - kl-divergence
---

# Cross-entropy
"""


def test_good_front_matter_is_read_with_lines() -> None:
    meta, problems = read_meta("glossary/ce.md", GOOD)
    assert problems == []
    assert meta is not None
    assert meta.title == "Cross-entropy"
    assert meta.summary == "Expected surprise when outcomes of p are scored with q."
    assert meta.aliases == ("CE", "log loss") and meta.related == ("entropy", "kl-divergence")
    assert meta.lines["aliases"] == 6 and meta.related_lines == (9, 10)


def test_body_starts_after_the_closing_dashes() -> None:
    assert split_front_matter(GOOD)[1] == 12
    assert split_front_matter("# no front matter") == (None, 1)


def test_unknown_key_names_file_line_and_closest_key() -> None:
    _, problems = read_meta("g.md", "---\ntitle: T\nsummary: S.\nalias: [x]\n---\n")
    (p,) = problems
    assert (p.location, p.message, p.hint) == ("g.md:4", "unknown front matter key 'alias'", "did you mean 'aliases'?")


def test_missing_title_and_summary() -> None:
    _, problems = read_meta("g.md", "---\ntags: [A]\n---\n")
    assert [p.message for p in problems] == ["front matter lacks 'title'", "front matter lacks 'summary'"]


def test_tags_are_in_sentence_case() -> None:
    _, problems = read_meta("g.md", "---\ntitle: T\nsummary: S.\ntags:\n  - Loss functions\n  - information theory\n---\n")
    (p,) = problems
    assert (p.line, p.message) == (6, "tag 'information theory' does not start with a capital letter")
    assert p.hint == "tags are in sentence case: write 'Information theory'"


def test_wrong_types() -> None:
    _, problems = read_meta("g.md", "---\ntitle: [a]\nsummary: S.\naliases: MoE\ntags: [1]\n---\n")
    assert [(p.line, p.message) for p in problems] == [
        (2, "'title' must be non-empty text, got list"),
        (4, "'aliases' must be a list of text items"),
        (5, "'tags' must be a list of text items"),
    ]


def test_no_front_matter_and_bad_yaml() -> None:
    assert read_meta("g.md", "# T\n")[1][0].message == "page has no front matter"
    (p,) = read_meta("g.md", "---\ntitle: [unclosed\nsummary: x\n---\n")[1]
    assert p.message.startswith("front matter is not valid YAML")


def test_material_keys_are_accepted() -> None:
    _, problems = read_meta("g.md", "---\ntitle: T\nsummary: S.\nhide: [toc]\nsearch: {boost: 2}\n---\n")
    assert problems == []


def test_summary_must_be_one_sentence() -> None:
    _, problems = read_meta("g.md", "---\ntitle: T\nsummary: One thing. Another thing.\n---\n")
    (p,) = problems
    assert (p.location, p.message) == ("g.md:3", "the summary has more than one sentence")
    assert read_meta("g.md", "---\ntitle: T\nsummary: Uses e.g. numbers like 0.5 in one sentence.\n---\n")[1] == []


def test_body_first_line_skips_the_blank_lines_mkdocs_drops() -> None:
    from grimoire.glossary.frontmatter import body_first_line

    assert body_first_line(GOOD) == 13  # "# Cross-entropy" after one blank line
    assert body_first_line("# T\n") == 1
