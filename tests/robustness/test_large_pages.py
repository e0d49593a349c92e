"""A 1 MB page of any shape builds (Python-Markdown is kept close to linear: grimoire.markdown_bounds).

Each shape below once took minutes (or did not finish in five) through
Python-Markdown or MkDocs' raw-HTML scan. The build's own time limit here is
the subprocess timeout of ``run_mkdocs_build``: a hang fails the test; the
times themselves are measured, not asserted (``make bench`` territory).
"""

from __future__ import annotations

import re

import pytest

from .conftest import front

pytestmark = pytest.mark.slow

SHAPES = {
    "comments-paragraphs": ("<!-- [[a]] \n\n", "never closed"),
    "brackets-line": ("[a", "too long to format"),
    "math-paragraphs": ("a_b $x$ \n\n", "more than can be formatted"),
}


def test_one_megabyte_pages_build_and_say_why_they_are_shown_as_text(hostile_site) -> None:
    files = {
        f"glossary/{name}.md": front(name) + f"# {name}\n\n" + unit * (1_000_000 // len(unit)) + "\n"
        for name, (unit, _) in SHAPES.items()
    }
    result = hostile_site(files)
    assert result.returncode != 0
    for name, (_, message) in SHAPES.items():
        assert re.search(rf"glossary/{name}\.md:\d+: [^\n]*{message}", result.log), (name, result.log[-3000:])
    assert "Traceback" not in result.log
    page = result.page("glossary/brackets-line/index.html")
    assert "<pre><code>" in page and "[a[a[a" in page  # shown as text, as written


def test_brackets_that_cannot_open_a_link_read_the_same(hostile_site) -> None:
    body = "A [link](https://example.org) and [an open bracket, and $[0, 1)$ in math.\n"
    result = hostile_site({"glossary/b.md": front("B") + "# B\n\n" + body})
    assert result.returncode == 0, result.log
    html = result.page("glossary/b/index.html")
    assert '<a href="https://example.org">link</a> and [an open bracket' in html.replace("&#91;", "[")
    assert "[0, 1)" in html  # the TeX annotation of the typeset formula keeps its bracket
