"""Property-based fuzz of the page pipeline: no crash, no hang, every problem with a line.

Hypothesis writes Markdown pages out of the pieces authors (and their
mistakes) are made of: math delimiters, backslashes, term references, HTML
comments, figure references, code fences, raw HTML, unicode and long lines.
Each page goes through the engine's stages in build order (front matter,
term links, Markdown with the site's extensions, typesetting, leak and URL
scans, placeholders), as ``SiteBuild`` drives them, with a per-example
deadline and a fixed seed so ``make test`` stays bounded and repeatable.
"""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grimoire.glossary.frontmatter import body_first_line, read_meta, without_front_matter
from grimoire.glossary.references import link_terms
from grimoire.glossary.registry import Term, TermRegistry
from grimoire.glossary.theme_meta import theme_meta
from grimoire.mathrender.page_math import report_leaks, typeset_page
from grimoire.mathrender.renderer import MathRenderer
from grimoire.mathrender.slots import FormulaSlots
from grimoire.page_safety import defuse_markdown, refuse_script_urls
from grimoire.problems import ProblemLog
from tests.conftest import KATEX_DIR
from tests.robustness.conftest import front

PIECES = [
    "$", "$$", "\\", "\\$", "[[", "]]", "|", "<!--", "-->", "`", "```", "~~~", "\n", "\n\n", " ",
    "x", "a_b", "^2", "{", "}", "\\frac{1}{2}", "\\alpha", "\\nope", "<", ">", "<b>", "</b>", "<div>",
    "</div>", "<![x]", "&amp;", "&lt;", "é", "∑", "😀", "\u200b", "\t", "[[softmax]]", "[[KL|the KL]]",
    "[[|x]]", "[[missing]]", "![alt](figure:mod.fn \"cap\")", "[x](javascript:alert(1))", "# Heading",
    "- item", "> quote", "    code", "!!! note", "<!-- check\nx : int 1..3\n-->", "<!-- nocheck: r -->",
    "<!--grimoire-math:0-->", "$$\n\\sum_i x_i\n$$", "*", "_", "---", "{ .cls }",
]
# Python-Markdown's own link parser is quadratic in unclosed "[" (about 10 s for 12 KB of "[[a"),
# so that shape stays short here; the engine's scans are linear in all of them.
LONG_LINE = st.one_of(
    st.builds(lambda piece, n: piece * n, st.sampled_from(["a_b ", "$x$ ", "\\$ ", "` ", "<!-- "]), st.integers(100, 600)),
    st.builds(lambda n: "[[a" * n, st.integers(10, 80)),
)
BODY = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8), LONG_LINE), max_size=40).map("".join)
EXTENSIONS = ["toc", "admonition", "attr_list", "md_in_html", "footnotes", "tables", "pymdownx.superfences", "pymdownx.arithmatex"]
CONFIG = {"pymdownx.arithmatex": {"generic": True}}

STATS = {"pages": 0, "problems": 0, "without_line": 0}


@pytest.fixture(scope="module")
def renderer():
    r = MathRenderer(KATEX_DIR, {"\\R": "\\mathbb{R}"}, None)
    yield r
    r.close()
    print(f"\nfuzz: {STATS['pages']} pages, {STATS['problems']} problems, {STATS['without_line']} without a line")


def _registry() -> TermRegistry:
    terms = []
    for slug, title, aliases in (("softmax", "Softmax", ("soft argmax",)), ("kl-divergence", "KL divergence", ("KL",))):
        meta, _ = read_meta(f"glossary/{slug}.md", front(title, extra=f"aliases: [{', '.join(aliases)}]\n"))
        assert meta is not None
        terms.append(Term(slug, f"glossary/{slug}.md", meta))
    return TermRegistry(terms)


REGISTRY = _registry()


def build_page(source: str, renderer: MathRenderer) -> ProblemLog:
    """One page through the engine's stages, in build order; returns its problems."""
    path = "glossary/fuzz.md"
    problems = ProblemLog()
    meta, found = read_meta(path, source)
    for p in found:
        problems.add(p)
    theme_meta({"title": meta.title if meta else "", "tags": list(meta.tags) if meta else []})
    first = body_first_line(source)
    md_text = without_front_matter(source, source)
    md_text, found = defuse_markdown(md_text, path, first)
    for p in found:
        problems.add(p)
    md_text, found = link_terms(md_text, path, path, first, REGISTRY)
    for p in found:
        problems.add(p)
    html = markdown.markdown(md_text, extensions=EXTENSIONS, extension_configs=CONFIG)
    html, found = refuse_script_urls(html, path, source)
    for p in found:
        problems.add(p)
    slots = FormulaSlots()
    html = typeset_page(html, source, path, renderer, problems, slots.park)
    report_leaks(html, source, path, problems)
    slots.fill(html)
    return problems


@settings(
    max_examples=120,
    deadline=10_000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(body=BODY, with_front=st.booleans())
def test_any_page_builds_and_every_problem_has_a_line(renderer: MathRenderer, body: str, with_front: bool) -> None:
    source = (front("Fuzz") if with_front else "") + body
    problems = build_page(source, renderer)
    STATS["pages"] += 1
    STATS["problems"] += len(problems)
    without = [p for p in problems.problems if p.line is None]
    STATS["without_line"] += len(without)
    assert without == [], [p.format() for p in without]
    lines = source.count("\n") + 1
    assert all(1 <= p.line <= lines for p in problems.problems if p.line is not None)


def test_a_real_build_of_every_piece_at_once_reports_problems_with_lines_and_no_traceback(hostile_site) -> None:
    pages = {
        "glossary/softmax.md": front("Softmax", extra="aliases: [soft argmax]\n") + "# Softmax\n\nFine.\n",
        "glossary/kl-divergence.md": front("KL divergence", extra="aliases: [KL]\n") + "# KL\n\nFine.\n",
        "glossary/all.md": front("All") + "# All\n\n" + " ".join(PIECES) + "\n",
        "glossary/lines.md": front("Lines") + "# Lines\n\n" + "\n".join(PIECES) + "\n",
        "glossary/long.md": front("Long") + "# Long\n\n" + "a_b $x_{1}$ \\$ [[KL]] <!-- " * 2000 + "\n",
    }
    result = hostile_site(pages)
    assert result.returncode != 0 and "Traceback" not in result.log
    warnings = [line for line in result.log.splitlines() if line.startswith("WARNING")]
    assert warnings and all(re.match(r"WARNING -  [\w/.-]+:\d+: ", w) for w in warnings), warnings
