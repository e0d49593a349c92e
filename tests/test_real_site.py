"""The real site, built with --strict: typeset everywhere, self-contained, reproducible."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import BuildResult, run_mkdocs_build
from tests.support.html_checks import raw_tex, remote_resources

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(real_site: BuildResult) -> BuildResult:
    return real_site


def html_pages(site: Path) -> list[Path]:
    # 404.html is Material's and carries no content.
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def test_strict_build_has_no_warnings(built: BuildResult) -> None:
    assert "WARNING" not in built.log, built.log


def test_every_content_page_is_built(built: BuildResult, project_root: Path) -> None:
    from grimoire.layout import content_files

    for src in content_files(project_root):
        stem = src.rsplit(".", 1)[0]
        assert (built.site_dir / stem / "index.html").is_file(), src


def test_no_raw_tex_survives(built: BuildResult) -> None:
    leaks = {}
    for page in html_pages(built.site_dir):
        found = raw_tex(page.read_text("utf-8"))
        if found:
            leaks[str(page.relative_to(built.site_dir))] = found[:3]
    assert not leaks, leaks


def test_every_page_links_the_local_katex_css(built: BuildResult) -> None:
    for page in html_pages(built.site_dir):
        html = page.read_text("utf-8")
        assert re.search(r'<link[^>]+href="(?:\.\./)*assets/katex/katex\.min\.css"', html), page


def test_nothing_is_loaded_from_another_host(built: BuildResult) -> None:
    offenders = {}
    for page in html_pages(built.site_dir):
        html = page.read_text("utf-8")
        found = remote_resources(html)
        if found or "mathjax" in html.lower():
            offenders[str(page.relative_to(built.site_dir))] = found or ["mathjax"]
    assert not offenders, offenders


def test_no_page_draws_through_svg_use_elements(built: BuildResult) -> None:
    # Chromium gives each <use> a shadow tree; 4,524 scatter markers made a page take 15 s to load.
    offenders = {}
    for page in html_pages(built.site_dir):
        count = page.read_text("utf-8").count("<use")
        if count:
            offenders[str(page.relative_to(built.site_dir))] = count
    assert not offenders, offenders


def test_formulas_are_typeset_on_content_pages(built: BuildResult) -> None:
    softmax = (built.site_dir / "glossary/softmax/index.html").read_text("utf-8")
    assert softmax.count('class="katex-display"') >= 3
    notebook = (built.site_dir / "glossary/softmax-temperature/index.html").read_text("utf-8")
    assert 'class="katex"' in notebook


def test_rebuild_gives_identical_bytes(built: BuildResult, project_root: Path, tmp_path: Path) -> None:
    again = run_mkdocs_build(project_root, tmp_path / "site")
    assert again.returncode == 0, again.log
    first = {p.relative_to(built.site_dir): p.read_bytes() for p in built.site_dir.rglob("*") if p.is_file()}
    second = {p.relative_to(again.site_dir): p.read_bytes() for p in again.site_dir.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    differing = sorted(str(k) for k in first if first[k] != second[k])
    assert not differing, differing
    shutil.rmtree(again.site_dir)


def test_search_index_holds_no_formula_noise(built: BuildResult) -> None:
    from tests.support.pagefind_index import indexed_pages

    pages = indexed_pages(built.site_dir)
    assert len(pages) > 20
    # A formula is indexed as its TeX, so its sentence reads whole; neither its glyphs nor its MathML.
    attention = pages["/derivations/attention-scaling/"]["content"]
    assert "the factor 1/\\sqrt{d} comes from" in attention
    noisy = [url for url, page in pages.items() if re.search(r"grimoire-math|katex|\$\$|¶|\u200b", page["content"])]
    assert not noisy, noisy
    # Pages Material's search left out stay out: snippet source and formula coverage.
    assert not [url for url in pages if url.startswith(("/snippets/", "/formulas/"))]
    assert "/glossary/softmax-temperature/" in pages  # notebooks are pages like any other


def test_no_formula_placeholder_is_left(built: BuildResult) -> None:
    for page in html_pages(built.site_dir):
        assert "grimoire-math:" not in page.read_text("utf-8"), page


def test_the_attention_derivation_cites_its_numbered_equations(built: BuildResult) -> None:
    html = built.page("derivations/attention-scaling/index.html")
    ids = re.findall(r'<div class="arithmatex" id="(eq:[^"]+)">', html)
    assert len(ids) >= 8 and len(set(ids)) == len(ids)
    references = re.findall(r'<a class="grimoire-eqref" data-card="([^"]+)" href="#(eq:[^"]+)">\((\d+)\)</a>', html)
    assert len(references) >= 8 and {target for _, target, _ in references} <= set(ids)
    for card, _, number in references:  # each reference has its card, titled with its number
        assert re.search(rf'<template id="{card}"><p class="grimoire-card__title">Equation \({number}\)</p>', html)
    assert "Combining Steps" not in html and "\\eqref" not in html and "\\label" not in html
