"""Strict builds of tiny sites with their own snippets/ folder, through the real hooks."""

from __future__ import annotations

import re

import pytest

SNIPPETS = {
    "snippets/__init__.py": "",
    "snippets/figure_style.mplstyle": "figure.figsize: 3, 2\ntext.color: 333333\n",
    "snippets/helpers.py": """
        import numpy as np


        def parabola(x):
            return np.asarray(x) ** 2
        """,
    # Same name as a module of the real site: the tiny site's own file must be used.
    "snippets/activations.py": """
        import numpy as np

        from snippets.helpers import parabola


        def tiny_only():
            from matplotlib.figure import Figure

            x = np.linspace(-1, 1, 21)
            fig = Figure()
            ax = fig.subplots()
            ax.plot(x, parabola(x), label="tiny parabola")
            ax.legend()
            return fig
        """,
    "snippets/failing.py": """
        import time


        def divide():
            return 1 / 0


        def slow():
            time.sleep(30)


        def not_a_figure():
            return [1, 2, 3]
        """,
}


def test_figures_are_drawn_inlined_and_cached_outside_the_sources(tiny_site) -> None:
    files = {
        **SNIPPETS,
        "pages/index.md": "# Home\n\nHello.\n",
        "glossary/term.md": """
            ---
            title: A term
            summary: A term for this test.
            ---

            # A term

            Some text.

            ![A parabola on minus one to one](figure:activations.tiny_only "The parabola $y = x^2$.")
            """,
    }
    result = tiny_site(files)
    assert result.returncode == 0, result.log
    html = result.page("glossary/term/index.html")
    figure = re.search(r'<figure class="grimoire-figure" data-search-exclude>.*?</figure>', html, re.DOTALL)
    assert figure, html
    figure_html = figure.group(0)
    assert 'role="img" aria-label="A parabola on minus one to one"' in figure_html
    assert "<svg " in figure_html and ">tiny parabola</text>" in figure_html
    assert 'class="katex"' in figure_html  # the caption's formula is typeset
    assert 'href="../../snippets/activations/#__codelineno-0-6"' in figure_html  # line of `def tiny_only`
    assert "<!--grimoire-figure" not in html
    root = result.site_dir.parent
    cached = list((root / ".cache" / "grimoire" / "figures").glob("*.svg"))
    assert len(cached) == 1
    written = {p.relative_to(root).as_posix() for p in (root / "snippets").rglob("*")}
    assert written == {f for f in SNIPPETS if f.startswith("snippets/")}  # no __pycache__, no output
    assert not list(result.site_dir.rglob("*.svg"))  # inlined, not copied

    again = tiny_site(files)  # warm: same bytes
    assert again.returncode == 0, again.log
    assert again.page("glossary/term/index.html") == html


def test_every_figure_failure_is_reported_then_the_build_fails_once(
    tiny_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRIMOIRE_FIGURE_TIMEOUT", "1")
    result = tiny_site(
        {
            **SNIPPETS,
            "pages/index.md": "# Home\n\n![Slow](figure:failing.slow)\n",
            "glossary/term.md": """
                ---
                title: A term
                summary: A term for this test.
                ---

                # A term

                ![Division](figure:failing.divide "Fails.")

                ![Typo](figure:activations.tiny_onyl)

                ![A list](figure:failing.not_a_figure)
                """,
        }
    )
    assert result.returncode != 0
    log = result.log
    assert (
        "glossary/term.md:8: figure `failing.divide` raised ZeroDivisionError: division by zero "
        "at snippets/failing.py:5"
    ) in log
    assert "snippets/failing.py:5 in divide" in log
    assert "glossary/term.md:10: figure `activations.tiny_onyl`: snippets/activations.py has no function" in log
    assert "did you mean `tiny_only`?" in log
    assert (
        "glossary/term.md:12: figure `failing.not_a_figure` (snippets/failing.py:12) returned list, "
        "not a matplotlib.figure.Figure"
    ) in log
    assert (
        "index.md:3: figure `failing.slow` (snippets/failing.py:8) took longer than its 1 s limit "
        "and was stopped at snippets/failing.py:9"
    ) in log
    assert log.count("Grimoire: 4 problems in 2 files") == 1


def test_fail_fast_stops_at_the_first_problem(tiny_site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIMOIRE_FAIL_FAST", "1")
    result = tiny_site(
        {
            **SNIPPETS,
            "pages/index.md": "# Home\n",
            "glossary/a.md": "---\ntitle: A\nsummary: Page A.\n---\n\n# A\n\n![Division](figure:failing.divide)\n",
            "glossary/b.md": "---\ntitle: B\nsummary: Page B.\n---\n\n# B\n\n![Division](figure:failing.divide)\n",
        }
    )
    assert result.returncode != 0
    assert result.log.count("raised ZeroDivisionError") == 1
    assert "stopping at the first problem" in result.log
