"""Strict builds of tiny sites with references.bib: citations, References, Bibliography, paper pages, meta tags."""

from __future__ import annotations

import re

BIB = r"""
@inproceedings{vaswani2017,
  author = {Ashish Vaswani and Noam Shazeer and Niki Parmar},
  title = {Attention Is All You Need},
  booktitle = {Advances in Neural Information Processing Systems 30},
  year = {2017},
  eprint = {1706.03762}
}

@misc{hu2021,
  author = {Edward J. Hu and Yelong Shen},
  title = {{LoRA}: Low-Rank Adaptation of Large Language Models},
  year = {2021},
  eprint = {2106.09685}
}

@misc{unused1999,
  author = {Nobody Cites},
  title = {An Entry No Page Cites},
  year = {1999}
}
"""

TERM = """\
---
title: Attention
summary: Attention weighs values by how well their keys match a query, "quoted" & <b>escaped</b>.
tags: [Attention]
---

# Attention

Scaled attention [see @vaswani2017, sec. 3.2] was popularised by @vaswani2017; adapters
such as LoRA [@hu2021] came later. Code `[@notacitation]` is left alone.
"""

PAPER = """\
---
title: Attention Is All You Need
summary: The paper that introduced the Transformer.
kind: paper
cite: vaswani2017
tags: [Attention, Transformers]
---

# Attention Is All You Need

@vaswani2017 replaced recurrence with attention.
"""


def test_citations_references_bibliography_papers_and_meta_tags(tiny_site) -> None:
    result = tiny_site({
        "references.bib": BIB,
        "pages/index.md": "---\ntitle: Home\nsummary: A tiny site.\n---\n\n# Home\n",
        "glossary/attention.md": TERM,
        "papers/attention-is-all-you-need.md": PAPER,
    })
    assert result.returncode == 0, result.log
    # An uncited entry is reported but does not fail the strict build: it is logged at INFO.
    assert re.search(r"INFO\s+-\s+references\.bib:16: warning: entry 'unused1999' is cited by no page", result.log)

    page = result.page("glossary/attention/index.html")
    assert re.search(r'\(see <a class="grimoire-cite" id="cite-vaswani2017-1" href="#ref-vaswani2017" '
                     r'data-cite="vaswani2017">Vaswani et al., 2017</a><sup class="grimoire-cite__paper">'
                     r'<a href="../../papers/attention-is-all-you-need/">summary</a></sup>, sec. 3.2\)', page)
    assert ">Vaswani et al. &#40;2017&#41;</a>" in page  # narrative
    assert ">Hu and Shen, 2021</a>)" in page
    assert "<code>[@notacitation]</code>" in page
    references = page[page.index('id="references"'):]
    assert references.index('id="ref-hu2021"') < references.index('id="ref-vaswani2017"')
    assert 'href="https://arxiv.org/abs/1706.03762"' in references and "unused1999" not in references
    assert references.count('href="#cite-vaswani2017-') == 2
    assert 'href="#references"' in page  # a TOC entry

    # Meta tags: the page's own title and summary, escaped.
    described = 'Attention weighs values by how well their keys match a query, &quot;quoted&quot; &amp; &lt;b&gt;escaped&lt;/b&gt;.'
    assert f'<meta name="description" content="{described}">' in page
    assert f'<meta property="og:description" content="{described}">' in page
    assert '<meta property="og:title" content="Attention">' in page
    assert '<meta property="og:type" content="article">' in page
    assert "<b>escaped</b>" not in page.split("</head>")[0]

    paper = result.page("papers/attention-is-all-you-need/index.html")
    header = paper[paper.index('<div class="grimoire-paper">'):]
    assert paper.index("</h1>") < paper.index('<div class="grimoire-paper">')
    assert "Advances in Neural Information Processing Systems 30 · 2017" in header
    assert "<summary>Cite</summary>" in header and "@inproceedings{vaswani2017," in header
    assert "grimoire-cite__paper" not in paper  # no link from a paper page to itself

    bibliography = result.page("bibliography/index.html")
    assert "3 works" in bibliography
    entry = re.search(r'id="ref-vaswani2017".*?</li>', bibliography, re.DOTALL).group()
    assert 'href="../glossary/attention/">Attention</a>' in entry
    assert 'href="../papers/attention-is-all-you-need/">Attention Is All You Need</a>' in entry
    assert "Cited by no page yet." in re.search(r'id="ref-unused1999".*?</li>', bibliography, re.DOTALL).group()

    papers = result.page("papers/index.html")
    assert re.search(r'<h3 id="2017">2017</h3>\s*<ul>\s*<li><a href="attention-is-all-you-need/">Attention Is All You Need</a>', papers)
    assert '<h3 id="transformers">Transformers</h3>' in papers


def test_citation_problems_are_reported_at_file_and_line(tiny_site) -> None:
    bib = BIB + "\n@misc{broken,\n  author = {A B}\n  title = {T},\n  year = {2000}\n}\n"
    paper = PAPER.replace("cite: vaswani2017", "cite: vaswani2071")
    result = tiny_site({
        "references.bib": bib,
        "pages/index.md": "# Home\n",
        "glossary/attention.md": TERM.replace("LoRA [@hu2021]", "LoRA [@hu2012]"),
        "papers/attention-is-all-you-need.md": paper,
    })
    assert result.returncode != 0
    log = result.log
    assert "glossary/attention.md:10: unknown citation key @hu2012" in log and "closest keys: hu2021" in log
    assert "papers/attention-is-all-you-need.md:5: unknown citation key @vaswani2071" in log
    assert "closest keys: vaswani2017" in log
    assert re.search(r"references\.bib:2[34]: malformed entry: '}' expected", log)
    assert "Traceback" not in log
    assert log.count("Grimoire: 3 problems in 3 files") == 1
