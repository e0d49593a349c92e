"""One build's figures, driven the way the hooks drive them (no MkDocs involved)."""

from __future__ import annotations

import re
from pathlib import Path

import markdown

from grimoire.figures.build import FigureBuild
from grimoire.figures.settings import FigureSettings
from grimoire.problems import ProblemLog

from .conftest import STYLE, line_of

SNIPPETS = {
    "snippets/figure_style.mplstyle": STYLE,
    "snippets/shared.py": "SLOPE = 2.0\n",
    "snippets/lines.py": """
        from snippets.shared import SLOPE


        def rising():
            from matplotlib.figure import Figure

            fig = Figure()
            fig.subplots().plot([0, 1], [0, SLOPE])
            return fig


        def broken():
            return 1 / 0
        """,
    "snippets/bars.py": """
        def bars():
            from matplotlib.figure import Figure

            fig = Figure()
            fig.subplots().bar([0, 1], [1, 2])
            return fig
        """,
}

PAGE = """\
# Page

![A rising line](figure:lines.rising "Slope $s = 2$ & more.")

![Bars](figure:bars.bars)

!!! note
    ![Again, inside an admonition](figure:lines.rising)
"""

BROKEN_PAGE = """\
# Broken

![Division](figure:lines.broken "Fails.")

![Typo](figure:lines.risin)

![Nowhere](figure:line.rising)

![](figure:bars.bars)

![Bad](figure:nodot)
"""


def build_pages(root: Path, pages: dict[str, str], **settings) -> tuple[FigureBuild, ProblemLog, dict[str, str]]:
    """Runs the four steps over ``pages`` (path -> Markdown); returns the final HTML per page."""
    problems = ProblemLog()
    build = FigureBuild(root, root / ".cache" / "grimoire" / "figures", problems, FigureSettings(**settings))
    for rel, text in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    build.start((rel, root / rel) for rel in pages)
    out = {}
    for rel, text in pages.items():
        html = markdown.markdown(
            text,
            extensions=["admonition", "pymdownx.arithmatex"],
            extension_configs={"pymdownx.arithmatex": {"generic": True}},
        )
        html = build.embed(html, rel, text)
        assert "<svg" not in html  # drawings wait for the final HTML
        out[rel] = build.fill(html, rel)
    build.finish()
    return build, problems, out


def test_figures_are_inlined_with_caption_alt_and_source(project) -> None:
    root = project(SNIPPETS)
    build, problems, out = build_pages(root, {"glossary/page.md": PAGE})
    assert not problems.problems
    html = out["glossary/page.md"]
    assert html.count('<figure class="grimoire-figure" data-search-exclude>') == 3 and html.count("<svg") == 3
    assert '<div class="grimoire-figure__drawing" role="img" aria-label="A rising line">' in html
    assert '<figcaption>Slope <span class="arithmatex">\\(s = 2\\)</span> &amp; more. ' in html
    rising = line_of(root, "snippets/lines.py", "def rising")
    assert f"<code>snippets/lines.py:{rising}</code>" in html
    assert "<p><figure" not in html  # a lone image's paragraph is replaced
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # the same figure twice on a page: distinct ids
    assert build.stats.drawn == 2 and build.stats.references == 3
    assert len(list((root / ".cache" / "grimoire" / "figures").glob("*.svg"))) == 2


def test_source_links_point_at_the_published_source(project) -> None:
    from grimoire.source_pages import source_href

    root = project(SNIPPETS)
    problems = ProblemLog()
    build = FigureBuild(root, root / ".cache", problems, source_href=source_href)
    (root / "p.md").write_text(PAGE, "utf-8")
    html = build.embed('<p><img alt="x" src="figure:bars.bars" /></p>', "glossary/p.md", PAGE)
    build.close()
    assert 'href="../../snippets/bars/#__codelineno-0-1"' in html


def test_a_warm_build_draws_nothing_and_an_edit_redraws_only_what_depends_on_it(project) -> None:
    root = project(SNIPPETS)
    pages = {"glossary/page.md": PAGE}
    cold, _, first = build_pages(root, pages)
    warm, _, second = build_pages(root, pages)
    assert (cold.stats.drawn, cold.stats.cached) == (2, 0)
    assert (warm.stats.drawn, warm.stats.cached) == (0, 2)
    assert warm.pool is None or warm.pool.started is None  # no worker process was started
    assert first == second

    shared = root / "snippets" / "shared.py"
    shared.write_text("SLOPE = 3.0\n", "utf-8")  # lines.rising imports it, bars.bars does not
    edited, _, third = build_pages(root, pages)
    assert (edited.stats.drawn, edited.stats.cached) == (1, 1)
    assert third != second


def test_a_corrupt_cache_entry_is_drawn_again(project) -> None:
    root = project(SNIPPETS)
    build_pages(root, {"glossary/page.md": PAGE})
    for entry in (root / ".cache" / "grimoire" / "figures").glob("*.svg"):
        entry.write_text(entry.read_text("utf-8")[:-50], "utf-8")
    again, problems, _ = build_pages(root, {"glossary/page.md": PAGE})
    assert (again.stats.drawn, again.stats.cached) == (2, 0) and not problems.problems


def test_every_failure_is_reported_at_its_page_line(project) -> None:
    root = project(SNIPPETS)
    _, problems, out = build_pages(root, {"derivations/broken.md": BROKEN_PAGE})
    messages = [p.format() for p in problems.problems]
    division = line_of(root, "snippets/lines.py", "return 1 / 0")
    assert len(messages) == 5, messages
    assert messages[0].startswith(
        "derivations/broken.md:3: figure `lines.broken` raised ZeroDivisionError: division by zero "
        f"at snippets/lines.py:{division}"
    )
    assert f"  snippets/lines.py:{division} in broken" in messages[0]
    assert messages[1].startswith("derivations/broken.md:5: figure `lines.risin`: snippets/lines.py has no function `risin`")
    assert "did you mean `rising`?" in messages[1]
    assert messages[2].startswith("derivations/broken.md:7: figure `line.rising`: there is no snippet module snippets/line.py")
    assert "did you mean `lines`?" in messages[2]
    assert messages[3].startswith("derivations/broken.md:9: figure `bars.bars` has no alt text")
    assert messages[4].startswith("derivations/broken.md:11: figure reference `figure:nodot` must name")
    assert out["derivations/broken.md"].count('<pre class="grimoire-figure-error">') == 4
    assert not (root / ".cache" / "grimoire" / "figures").exists() or len(
        list((root / ".cache" / "grimoire" / "figures").glob("*.svg"))
    ) == 1  # only bars.bars, which drew fine
