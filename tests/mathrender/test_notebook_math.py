"""Notebook pages: Markdown-cell math typeset by KaTeX, CDN scripts removed."""

from __future__ import annotations

import nbformat
import pytest
from mkdocs_jupyter import convert

from grimoire.macros import default_macros_path, load_macros
from grimoire.mathrender.notebook_math import (
    cell_formulas,
    strip_external_scripts,
    typeset_notebook,
)
from grimoire.mathrender.renderer import MathRenderer
from grimoire.problems import ProblemLog
from tests.conftest import KATEX_DIR


def make_notebook(tmp_path, *markdown_cells: str) -> tuple[str, str]:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cells = [nbformat.v4.new_markdown_cell(src) for src in markdown_cells]
    cells.insert(1, nbformat.v4.new_code_cell("s = '$x$ and $$y$$'\nprint(s)"))
    cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="$x$ and $$y$$\n")]
    nb.cells = cells
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return convert.nb2html(str(path), execute=False), path.read_text("utf-8")


@pytest.fixture(scope="module")
def renderer():
    r = MathRenderer(KATEX_DIR, load_macros(default_macros_path()), None)
    yield r
    r.close()


def test_cell_formulas_follow_nbconvert_grammar() -> None:
    source = "Inline $a<b$, escaped \\$5, code `$c$`.\n\n$$\n\\frac{1}{2}\n$$\n\n\\begin{align} x &= 1 \\end{align}"
    found = [(f.tex.strip(), f.display) for f in cell_formulas(source)]
    assert found == [("a<b", False), ("\\frac{1}{2}", True), ("\\begin{align} x &= 1 \\end{align}", True)]


def test_markdown_math_is_typeset_and_code_outputs_are_untouched(tmp_path, renderer) -> None:
    html, text = make_notebook(
        tmp_path,
        "# T\n\nInline $x^2 < 3$ costs \\$5.\n\n$$\n\\softmax(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}\n$$",
        "More: $\\KL(p \\| q)$.",
    )
    problems = ProblemLog()
    out = typeset_notebook(html, text, "glossary/nb.ipynb", renderer, problems)
    assert not problems.problems
    assert out.count('class="katex"') == 3
    assert out.count('class="katex-display"') == 1
    assert "costs $5." in out  # an escaped dollar stays a dollar
    assert "$x$ and $$y$$" in out  # code output is not math
    assert "$x^2" not in out and "$$\n\\softmax" not in out


def test_cdn_and_mathjax_scripts_are_removed(tmp_path, renderer) -> None:
    html, text = make_notebook(tmp_path, "Plain $x$.")
    assert "mathjax" in html.lower() and "cdnjs" in html  # what mkdocs-jupyter emits
    out = typeset_notebook(html, text, "nb.ipynb", renderer, ProblemLog())
    assert "mathjax" not in out.lower()
    assert "cdnjs" not in out and "//cdn" not in out
    assert "clipboard-copy" in out  # local, inline scripts stay


def test_strip_keeps_local_scripts() -> None:
    html = (
        '<script src="https://cdn.example/x.js"></script><script>var a = 1;</script>'
        '<script type="module">await import("https://cdn.example/m.mjs")</script>'
        '<script src=""> </script><script src="local.js"></script>'
    )
    assert strip_external_scripts(html) == '<script>var a = 1;</script><script src="local.js"></script>'


def test_errors_name_the_cell_and_line(tmp_path, renderer) -> None:
    html, text = make_notebook(tmp_path, "Intro $x$.", "Fine.\n\nBroken $\\nope$ here.")
    problems = ProblemLog()
    out = typeset_notebook(html, text, "glossary/nb.ipynb", renderer, problems)
    (problem,) = problems.problems
    # cell 1 markdown, cell 2 code, cell 3 markdown (the broken one)
    assert problem.location == "glossary/nb.ipynb [cell 3, line 3]"
    assert "Undefined control sequence: \\nope" in problem.message
    assert 'class="grimoire-math-error"' in out
