"""Strict builds of tiny sites in a temporary folder, through the real hooks."""

from __future__ import annotations

import re

def front(title: str) -> str:
    return f"---\ntitle: {title}\nsummary: A page for this test.\n---\n\n"


def test_tiny_site_builds_strict_with_typeset_math(tiny_site) -> None:
    result = tiny_site(
        {
            "pages/index.md": "# Home\n\nEuler: $e^{i\\pi} + 1 = 0$.\n",
            "glossary/term.md": """
                ---
                title: A term
                summary: A term for this test.
                ---

                # A term

                $$
                \\V^\\top \\V = \\norm{\\V}^2
                $$
                <!-- nocheck: only the typesetting is under test -->
                """,
        },
        macros="'\\V': '\\mathbf{v}'\n'\\norm': '\\left\\lVert #1 \\right\\rVert'\n",
    )
    assert result.returncode == 0, result.log
    home, term = result.page("index.html"), result.page("glossary/term/index.html")
    assert home.count('class="katex"') == 1
    assert 'class="katex-display"' in term and "mathbf" in term
    for html in (home, term):
        assert re.search(r'<link[^>]+href="[./]*assets/katex/katex\.min\.css"', html)
        assert "arithmatex\">\\(" not in html and "arithmatex\">\\[" not in html
    assert (result.site_dir / "assets/katex/fonts/KaTeX_Main-Regular.woff2").is_file()


def test_every_bad_formula_is_reported_then_the_build_fails_once(tiny_site) -> None:
    result = tiny_site(
        {
            "pages/index.md": "# Home\n\nFine $x$.\n",
            "glossary/one.md": front("One") + "# One\n\nLine eight: $\\badcommand$.\n",
            "derivations/two.md": front("Two") + "# Two\n\nText.\n\n$$\n\\frac{1}{2\n$$\n<!-- nocheck: typesetting test -->\n\nAnd $\\href{x}{y}$.\n",
        }
    )
    assert result.returncode != 0
    log = result.log
    assert "glossary/one.md:8: KaTeX cannot typeset this inline formula: Undefined control sequence: \\badcommand" in log
    assert "derivations/two.md:11: KaTeX cannot typeset this display formula" in log
    assert "derivations/two.md:15: KaTeX cannot typeset this inline formula: \\href is not allowed" in log
    assert log.count("Grimoire: 3 problems in 2 files") == 1
