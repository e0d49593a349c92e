"""The real site's citations: every mention of a paper is a citation, and the bibliography lists them all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grimoire.citations.bibfile import read_bib
from grimoire.citations.syntax import citable_text
from grimoire.layout import content_files
from tests.conftest import BuildResult

pytestmark = pytest.mark.slow

# "Lewis et al. (2020)", "(Hu et al., 2021)", "Bengio, Léonard and Courville (2013)": a mention written by hand.
HAND_WRITTEN = re.compile(r"\bet al\.,? \(?(?:19|20)\d\d|[A-Z][a-z]+ \((?:19|20)\d\d\)|[A-Z][a-z]+, (?:19|20)\d\d\)")


def test_no_page_mentions_a_work_without_citing_it(project_root: Path) -> None:
    for rel in content_files(project_root):
        if rel.endswith(".md"):
            prose = citable_text((project_root / rel).read_text("utf-8"))
            assert not HAND_WRITTEN.search(prose), (rel, HAND_WRITTEN.search(prose))


def test_every_entry_is_cited_and_listed_in_the_bibliography(real_site: BuildResult, project_root: Path) -> None:
    bib = read_bib((project_root / "references.bib").read_text("utf-8"))
    assert bib.problems == []
    assert "is cited by no page" not in real_site.log
    page = (real_site.site_dir / "bibliography" / "index.html").read_text("utf-8")
    for key in bib.data.entries:
        entry = re.search(rf'id="ref-{key}".*?</li>', page, re.DOTALL)
        assert entry and "Cited in: <a" in entry.group(), key


def test_the_attention_derivation_cites_vaswani_and_links_the_paper_page(real_site: BuildResult) -> None:
    page = (real_site.site_dir / "derivations" / "attention-scaling" / "index.html").read_text("utf-8")
    assert 'data-cite="vaswani2017">Vaswani et al. &#40;2017&#41;</a>' in page
    assert 'href="../../papers/attention-is-all-you-need/">summary</a>' in page
    assert 'id="ref-vaswani2017"' in page and "arxiv.org/abs/1706.03762" in page
    papers = (real_site.site_dir / "papers" / "index.html").read_text("utf-8")
    assert 'href="attention-is-all-you-need/">Attention Is All You Need</a>' in papers


def test_copy_tex_is_shipped_from_the_pinned_katex(real_site: BuildResult, project_root: Path) -> None:
    shipped = real_site.site_dir / "assets" / "katex" / "contrib" / "copy-tex.min.js"
    pinned = project_root / "node_modules" / "katex" / "dist" / "contrib" / "copy-tex.min.js"
    assert shipped.read_bytes() == pinned.read_bytes()
    home = (real_site.site_dir / "index.html").read_text("utf-8")
    assert 'src="assets/katex/contrib/copy-tex.min.js"' in home
