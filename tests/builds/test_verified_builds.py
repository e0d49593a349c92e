"""The build runs every formula check: the mark under a formula is the result of the build that made it."""

from __future__ import annotations

import re

import pytest

from tests.support.pagefind_index import indexed_text

pytestmark = pytest.mark.slow

WRONG = "S(x) = \\sum_{i=1}^{n} x_i^2"


def test_a_passing_check_shows_a_tick_with_its_details_out_of_the_search_index(project) -> None:
    result = project.build()
    assert result.returncode == 0, result.log
    page = result.page("glossary/squares/index.html")
    mark = re.search(r'<div class="grimoire-check grimoire-check--passed" id="formula-8" data-search-exclude>.*?</div>', page, re.S)
    assert mark, page
    assert "✓" in mark.group(0) and "square_sum" in mark.group(0)
    assert 'class="katex"' in mark.group(0)  # the domain, typeset in the formula's own notation
    assert "n \\in" not in mark.group(0) or "x" in mark.group(0)
    text = indexed_text(result.site_dir)
    assert "sum of the squares" in text  # the page is indexed, its mark is not
    assert "square_sum" not in text and "Checked in this build" not in text
    coverage = result.page("formulas/index.html")
    assert "1 display formulas, results of this build: 1 checked from their LaTeX" in coverage
    assert "1 formula check: 0 cached, 1 run, 0 failed" in result.log


def test_a_domain_names_only_what_the_formula_shows(project) -> None:
    # n (the vector length) is not written in the formula: the mark gives its range instead.
    project.write("glossary/squares.md", (project.root / "glossary/squares.md").read_text("utf-8")
                  .replace("\\sum_{i=1}^{n} x_i^2", "\\sum_{i} x_i^2"))
    result = project.build()
    assert result.returncode == 0, result.log
    mark = re.search(r'id="formula-8-details">(.*?)</span></div>', result.page("glossary/squares/index.html"), re.S)
    assert mark
    annotation = " ".join(re.findall(r'<annotation encoding="application/x-tex">(.*?)</annotation>', mark.group(1)))
    assert "1\\text{ to }6" in annotation and "[-5, 5]" in annotation
    assert not re.search(r"(?<![A-Za-z\\])n(?![A-Za-z])", annotation.replace("\\text{ to }", " ")), annotation


def test_a_wrong_formula_fails_the_strict_build_with_its_counterexample(project) -> None:
    page = project.root / "glossary/squares.md"
    page.write_text(page.read_text("utf-8").replace(WRONG, WRONG.replace("x_i^2", "x_i^3")), "utf-8")
    result = project.build()
    assert result.returncode != 0
    assert "glossary/squares.md:8: formula check failed" in result.log, result.log
    for part in ("inputs:", "left  =", "right =", "x ="):
        assert part in result.log, result.log
    assert result.log.count("Grimoire: 1 problem in 1 file") == 1

    loose = project.build(strict=False)
    html = loose.page("glossary/squares/index.html")
    assert "grimoire-check--failed" in html and "✗" in html and "left  =" in html
    assert "grimoire-check--passed" not in html


def test_a_warm_build_runs_no_check_and_a_snippet_edit_reruns_only_its_checks(project) -> None:
    project.write("snippets/cubes.py", "def cube(v):\n    return v ** 3\n")
    project.write("glossary/cube.md", """
        ---
        title: Cube
        summary: A number times itself twice.
        ---

        # Cube

        $$
        c(v) = v \\cdot v \\cdot v
        $$
        <!-- check
        v : real -3..3
        c := snippets.cubes.cube
        -->
        """)
    first = project.build()
    assert "2 formula checks: 0 cached, 2 run, 0 failed" in first.log, first.log
    warm = project.build()
    assert "2 formula checks: 2 cached, 0 run, 0 failed" in warm.log, warm.log
    with (project.root / "snippets/cubes.py").open("a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    edited = project.build()
    assert "2 formula checks: 1 cached, 1 run, 0 failed" in edited.log, edited.log


def test_a_check_that_hangs_is_stopped_and_reported(project) -> None:
    project.write("snippets/squares.py", "import time\n\n\ndef square_sum(x):\n    time.sleep(60)\n")
    result = project.build(env={"GRIMOIRE_CHECK_TIMEOUT": "1"})
    assert result.returncode != 0
    assert "glossary/squares.md:8: formula check timed out" in result.log, result.log
    assert "check_timeout" in result.log  # the hint says how to raise the limit


def test_a_worker_that_dies_is_reported_never_a_tick(project) -> None:
    project.write("snippets/squares.py", "import os\n\n\ndef square_sum(x):\n    os._exit(3)\n")
    result = project.build(strict=False)
    assert "glossary/squares.md:8: the worker running this formula check died" in result.log, result.log
    html = result.page("glossary/squares/index.html")
    assert "grimoire-check--crashed" in html and "grimoire-check--passed" not in html


@pytest.mark.parametrize(
    ("block", "line", "message"),
    [
        ("n : int 1..6\nx : vector(n) -5..5\nS := snippets.squares.square_summ", 14, "has no attribute 'square_summ'"),
        ("n : int 1..6\nx : vector(n) -5..5\nS := snippets.squares.square_sum(", 14, "does not parse"),
        ("n : int 1..6\nx : vektor(n) -5..5\nS := snippets.squares.square_sum", 13, "vektor"),
        ("n : int 1..6\nS := snippets.squares.square_sum", 9, "x"),
    ],
    ids=["misspelt-function", "binding-syntax", "unknown-sampler", "unbound-symbol"],
)
def test_a_block_that_cannot_run_is_a_problem_at_its_line(project, block, line, message) -> None:
    text = (project.root / "glossary/squares.md").read_text("utf-8")
    start, end = text.index("<!-- check\n") + len("<!-- check\n"), text.index("-->")
    project.write("glossary/squares.md", text[:start] + block + "\n" + text[end:])
    result = project.build(strict=False)
    problems = [ln for ln in result.log.splitlines() if "glossary/squares.md:" in ln]
    assert problems, result.log
    assert message in result.log, result.log
    assert any(f"glossary/squares.md:{line}:" in ln for ln in problems), problems
    html = result.page("glossary/squares/index.html")
    assert "grimoire-check--passed" not in html and "✗" in html


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import sys\nsys.exit(0)\n", "SystemExit"),
        ("raise ValueError('broken at import')\n", "snippets/squares.py:4"),
        ("def oops(:\n    pass\n", "snippets/squares.py:4"),
    ],
    ids=["sys-exit", "raises", "syntax-error"],
)
def test_snippet_code_that_breaks_at_import_is_a_problem_not_a_traceback(project, code, expected) -> None:
    with (project.root / "snippets/squares.py").open("a", encoding="utf-8") as f:
        f.write("\n" + code)
    result = project.build()
    assert result.returncode != 0
    assert "glossary/squares.md:8:" in result.log and expected in result.log, result.log
    assert "Traceback (most recent call last)" not in result.log.split("glossary/squares.md:8:")[0]
    assert "Grimoire: 1 problem in 1 file" in result.log


def test_the_build_process_never_imports_a_snippet(project) -> None:
    # Imported in the MkDocs process, this module would stop the build with a traceback.
    project.write("snippets/squares.py", """
        import multiprocessing

        if multiprocessing.parent_process() is None:
            raise RuntimeError("a snippet module was imported in the build process")


        def square_sum(x):
            return sum(v * v for v in x)
        """)
    result = project.build()
    assert result.returncode == 0, result.log


def test_bound_code_that_writes_into_the_project_is_refused_with_its_line(project) -> None:
    project.write("snippets/squares.py", """
        def square_sum(x):
            open("stray.txt", "w").write("x")
            return sum(v * v for v in x)
        """)
    # The working directory is a scratch folder: this relative write is harmless and allowed.
    result = project.build()
    assert result.returncode == 0, result.log
    assert not list(project.root.rglob("stray.txt"))
    project.write("snippets/squares.py", f"""
        def square_sum(x):
            open({str(project.root / 'snippets' / 'stray.txt')!r}, "w").write("x")
            return sum(v * v for v in x)
        """)
    result = project.build()
    assert result.returncode != 0
    assert "formula check refused" in result.log and "snippets/squares.py:2" in result.log, result.log
    assert not (project.root / "snippets/stray.txt").exists()
