"""The lean copy Pagefind reads: the indexed text, metadata and headings of the pages as built, in less HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grimoire.search.lean_copy import lean_page, write_lean_copy
from grimoire.search.pagefind_run import index_site
from tests.conftest import BuildResult
from tests.search.test_pagefind_run import PAGE, PAGEFIND
from tests.support.pagefind_index import indexed_pages


def test_a_page_keeps_its_head_and_article_and_empties_what_is_never_indexed() -> None:
    page = PAGE.replace("</p>", '<svg viewBox="0 0 1 1"><text>axis</text></svg></p>', 1)
    lean = lean_page(page)
    assert lean is not None
    assert lean.startswith('<!doctype html><html lang="en"><head><title>x</title>')
    assert 'data-pagefind-meta="names[content]"' in lean
    assert "Navigation words" not in lean  # outside the article
    assert '<svg viewBox="0 0 1 1"></svg>' in lean and "axis" not in lean
    assert '<span class="katex-html" aria-hidden="true"></span>' in lean and "GLYPHS" not in lean
    assert "<semantics><annotation" in lean and "<mi>P</mi>" not in lean  # the TeX stays, MathML goes
    assert '<template id="c"></template>' in lean and "card words" not in lean
    assert "checked mark" in lean  # Pagefind's own selectors still leave it out


def test_nested_katex_spans_are_emptied_whole_and_an_unclosed_one_is_left() -> None:
    article = ('<article class="a" data-pagefind-body><span class="katex-html" aria-hidden="true">'
               '<span class="base"><span>x</span></span><span>y</span></span> after</article>')
    lean = lean_page("<html><head></head><body>" + article + "</body></html>")
    assert lean is not None and '<span class="katex-html" aria-hidden="true"></span> after</article>' in lean
    unclosed = '<article data-pagefind-body><span class="katex-html">x<span>y</article>'
    assert unclosed in (lean_page("<head></head>" + unclosed) or "")


def test_a_page_without_an_indexed_article_is_not_copied(tmp_path: Path) -> None:
    assert lean_page("<html><head></head><body><p>404</p></body></html>") is None
    site = tmp_path / "site"
    (site / "kl").mkdir(parents=True)
    (site / "kl" / "index.html").write_text(PAGE, "utf-8")
    (site / "404.html").write_text("<html><head></head><body>Not found</body></html>", "utf-8")
    (site / "pagefind").mkdir()
    (site / "pagefind" / "x.html").write_text(PAGE, "utf-8")  # the index's own output is never copied
    copy = tmp_path / "copy"
    (copy / "stale").mkdir(parents=True)  # a page gone since the last copy goes too
    assert write_lean_copy(site, copy) == 1
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file()) == ["kl/index.html"]


@pytest.mark.slow
def test_the_real_site_indexes_the_same_from_its_lean_copy(real_site: BuildResult, tmp_path: Path) -> None:
    # The build indexed its lean copy; index the pages as built and compare what a reader's search gets.
    as_built = tmp_path / "site"
    shutil.copytree(real_site.site_dir, as_built, ignore=shutil.ignore_patterns("pagefind"))
    assert index_site(PAGEFIND, as_built, timeout=300) == []
    lean, full = indexed_pages(real_site.site_dir), indexed_pages(as_built)
    assert len(full) > 100 and lean.keys() == full.keys()
    for url, page in full.items():
        assert lean[url]["content"] == page["content"], url
        assert lean[url]["meta"] == page["meta"], url
        headings = [a for a in page["anchors"] if a["element"] in ("h1", "h2", "h3", "h4", "h5", "h6")]
        assert [a for a in lean[url]["anchors"] if a["element"] in ("h1", "h2", "h3", "h4", "h5", "h6")] == headings
