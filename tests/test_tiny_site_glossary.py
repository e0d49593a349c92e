"""Strict builds of tiny sites: term references, backlinks, cards, index, coverage."""

from __future__ import annotations

import re

PAGE = """
---
title: {title}
summary: About {title}.
aliases: [{aliases}]
related: [{related}]
---

# {title}

{body}
"""


def page(title: str, body: str, aliases: str = "", related: str = "") -> str:
    return PAGE.format(title=title, body=body, aliases=aliases, related=related)


def test_terms_link_backlink_card_and_index(tiny_site) -> None:
    result = tiny_site(
        {
            "pages/index.md": "# Home\n\nStart at [[KL]].\n",
            "glossary/kl-divergence.md": page(
                "KL divergence",
                "$$\nD = \\sum_x p_x\n$$\n<!-- nocheck: a notation example for this test -->\n",
                aliases="KL, relative entropy",
            ),
            "glossary/entropy.md": page("Entropy", "Compare with [[relative entropy|the divergence]].", related="kl-divergence"),
        }
    )
    assert result.returncode == 0, result.log
    entropy = result.page("glossary/entropy/index.html")
    assert '<a class="grimoire-term" data-term="kl-divergence" href="../kl-divergence/">the divergence</a>' in entropy
    assert '<template id="grimoire-card-kl-divergence">' in entropy and 'class="katex-display"' in entropy
    kl = result.page("glossary/kl-divergence/index.html")
    assert 'id="used-in"' in kl and 'href="../entropy/">Entropy</a>' in kl
    assert re.search(r'class="grimoire-check grimoire-check--nocheck".*?a notation example for this test', kl)
    index = result.page("glossary/index.html")
    assert 'relative entropy → <a href="kl-divergence/">KL divergence</a>' in index
    coverage = result.page("formulas/index.html")
    assert "1 display formulas, results of this build: 0 checked" in coverage
    assert "1 not checked (notation)" in coverage and '<a href="1/">1</a>' in coverage
    part = result.page("formulas/1/index.html")
    assert "a notation example for this test" in part and 'href="../../glossary/kl-divergence/#formula-' in part


def test_glossary_problems_are_all_reported_with_file_and_line(tiny_site) -> None:
    result = tiny_site(
        {
            "pages/index.md": "# Home\n",
            "glossary/a.md": page("Alpha", "See [[betta]] here.", aliases="shared"),
            "glossary/b.md": page("Beta", "$$\nx = 1\n$$\n", aliases="Shared"),
            "glossary/c.md": "---\ntitle: C\nsummary: S.\nalias: [x]\n---\n\n# C\n",
        }
    )
    assert result.returncode != 0
    log = result.log
    assert "glossary/b.md:4: 'Shared' names two pages: glossary/a.md and glossary/b.md" in log
    assert "glossary/c.md:4: unknown front matter key 'alias'" in log and "did you mean 'aliases'?" in log
    assert "glossary/a.md:10: unknown term [[betta]]" in log and "closest terms: Beta" in log
    assert "glossary/b.md:10: display formula has no check block" in log
    assert log.count("Grimoire: 4 problems in 3 files") == 1
    # The page was written all the same (as under `mkdocs serve`): the reference shows in red, in place.
    shown = result.page("glossary/a/index.html")
    assert '<span class="grimoire-term-error" title="unknown term; closest: Beta">' in shown
    assert "[[betta]]" not in shown


def test_a_less_than_sign_before_a_check_block_is_still_typeset(tiny_site) -> None:
    body = "Text.\n\n$$\nP(x_i \\mid x_{<i}) = 1\n$$\n<!-- nocheck: a test of the renderer -->\n\nAfter."
    result = tiny_site({"pages/index.md": "# Home\n", "glossary/p.md": page("P", body)})
    assert result.returncode == 0, result.log
    html = result.page("glossary/p/index.html")
    assert 'class="katex-display"' in html and "nocheck" not in html.split("grimoire-check")[0]


def test_tex_that_escapes_typesetting_is_a_build_problem(tiny_site) -> None:
    # Raw HTML swallows this formula whole: the build must say so, not ship raw TeX.
    body = "<div>\n$$\na_{<b} = \\frac{1}{2}\n$$\n</div>\n"
    result = tiny_site({"pages/index.md": "# Home\n", "glossary/p.md": page("P", body)})
    assert result.returncode != 0
    assert "glossary/p.md:11: TeX reached the page untypeset" in result.log


def test_used_in_grows_with_the_site_past_the_paragraph_bound(tiny_site) -> None:
    # The bound on a paragraph (markdown_bounds.MAX_BLOCK) is for what an author writes; the engine's
    # "Used in" list of a term used on every page of a big site is longer and must not trip it.
    users = {f"derivations/user-{k:03}.md": page(f"A long page title for the user page number {k:03} of this test",
                                                 "Uses [[Hub]].") for k in range(160)}
    result = tiny_site({"pages/index.md": "# Home\n", "glossary/hub.md": page("Hub", "The hub."), **users})
    assert result.returncode == 0, result.log
    hub = result.page("glossary/hub/index.html")
    used_in = hub[hub.index('id="used-in"'):]
    assert used_in.count("<li>") == 160 and "user page number 159" in used_in
    assert "too long to format" not in result.log
