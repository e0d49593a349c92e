"""Where citations are in Markdown (pandoc's syntax), and where they are not."""

from __future__ import annotations

import pytest

from grimoire.citations.syntax import find_citations


def cited(markdown: str) -> list[tuple[str, list[str], bool]]:
    return [(markdown[c.start : c.end], [i.key for i in c.items], c.narrative) for c in find_citations(markdown)]


def test_bracketed_multiple_and_narrative_citations() -> None:
    text = "As [@vaswani2017] and [@hu2021; @dettmers2023] show, @lewis2020 paired them."
    assert cited(text) == [
        ("[@vaswani2017]", ["vaswani2017"], False),
        ("[@hu2021; @dettmers2023]", ["hu2021", "dettmers2023"], False),
        ("@lewis2020", ["lewis2020"], True),
    ]


def test_prefix_locator_and_suppressed_author() -> None:
    (c,) = find_citations("[see @vaswani2017, sec. 3.2]")
    (item,) = c.items
    assert (item.prefix, item.key, item.suffix, item.suppress_author) == ("see", "vaswani2017", ", sec. 3.2", False)
    (c,) = find_citations("Berkson [-@berkson1944] coined it.")
    assert c.items[0].suppress_author


def test_a_sentence_end_is_not_part_of_the_key_and_lines_are_counted() -> None:
    text = "First line.\nSecond, as shown by @shazeer2017.\n[wrapped\n@wei2022]"
    found = find_citations(text)
    assert [(c.items[0].key, c.items[0].line) for c in found] == [("shazeer2017", 2), ("wei2022", 4)]


@pytest.mark.parametrize(
    "text",
    [
        "Write to someone@example.com today.",
        "Inline `@code2020` and fenced:\n```\n[@fenced2020]\n```\n",
        "Math $x @y$ and $$\n[@math2020]\n$$\n",
        "<!-- check\n@examples 30\n[@comment2020]\n-->",
        "See https://example.com/@user2020 and <https://x.org/@a>.",
        "A [link with @key2020](https://example.com) and a [@ref2020](https://example.com).",
        "A literal \\@escaped2020 at sign.",
        "[not a citation @ all] and [x@y]",
        "[@defined2020]: https://example.com",
        'Raw <span data-x="@attr2020">html</span>.',
    ],
)
def test_no_citation_where_pandoc_would_not_read_one(text: str) -> None:
    assert find_citations(text) == []


def test_a_bracket_with_a_non_citation_item_stays_text_around_a_narrative_citation() -> None:
    # As in pandoc: the brackets are text, the "@key" inside them still cites.
    assert cited("[@a2020; just words]") == [("@a2020", ["a2020"], True)]
