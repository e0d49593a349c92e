"""Issue item 2: KaTeX work per formula and per page is bounded; its cache does not grow without bound."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from grimoire.mathrender.cache import RenderCache
from grimoire.mathrender.katex_process import KatexProcess, RenderRequest
from grimoire.mathrender.limits import MathLimits
from grimoire.mathrender.page_math import typeset_page
from grimoire.mathrender.renderer import KATEX_OPTIONS, MathRenderer
from grimoire.problems import ProblemLog
from tests.conftest import KATEX_DIR

# Three nested \defs: under maxExpand, yet seconds of KaTeX work and a megabyte of HTML.
NESTED_DEFS = r"\def\a{" + "x_{y}^{z}" * 30 + r"}\def\b{" + r"\a" * 9 + r"}\def\c{" + r"\b" * 9 + "}" + r"\c" * 9


def test_a_formula_over_its_time_limit_fails_and_the_next_renders_in_a_fresh_process() -> None:
    with KatexProcess(KATEX_DIR, dict(KATEX_OPTIONS), {}, MathLimits(seconds_per_formula=1)) as katex:
        before, slow, after = katex.render(
            [RenderRequest("a", False), RenderRequest(NESTED_DEFS, False), RenderRequest("b", False)]
        )
        assert before.html is not None and after.html is not None and ">b<" in after.html
        assert slow.html is None and "took more than 1 seconds to typeset" in (slow.error or "")
        assert katex.restarts == 1


def test_output_over_the_limit_is_an_error_not_a_page() -> None:
    limits = MathLimits(max_html_chars=20_000)
    with KatexProcess(KATEX_DIR, dict(KATEX_OPTIONS), {}, limits) as katex:
        big, small = katex.render([RenderRequest(r"\def\a{xyzxyz}" + r"\a" * 200, False), RenderRequest("x", False)])
    assert big.html is None and "characters of HTML, over the limit of 20000" in (big.error or "")
    assert small.html is not None


def test_a_megabyte_formula_never_reaches_katex_and_the_message_is_short(tmp_path: Path) -> None:
    renderer = MathRenderer(KATEX_DIR, {}, None)
    tex = "a_b+" * 250_000
    html = f'<p><span class="arithmatex">\\({tex}\\)</span></p>'
    problems = ProblemLog()
    out = typeset_page(html, f"intro\n${tex}$\n", "g.md", renderer, problems)
    (problem,) = problems.problems
    assert problem.line == 2 and "1000000 characters of TeX, over the limit of 20000" in problem.message
    assert len(problem.format()) < 2_000 and len(out) < 5_000
    assert renderer._process is None  # noqa: SLF001 - KaTeX never started
    renderer.close()


def test_a_page_beyond_its_formula_budget_reports_once_and_shows_the_rest_as_tex() -> None:
    renderer = MathRenderer(KATEX_DIR, {}, None, MathLimits(max_formulas_per_page=3))
    html = "".join(f'<p><span class="arithmatex">\\(x_{i}\\)</span></p>' for i in range(5))
    source = "\n".join(f"$x_{i}$" for i in range(5))
    problems = ProblemLog()
    out = typeset_page(html, source, "g.md", renderer, problems)
    (problem,) = problems.problems
    assert problem.line == 4 and "the page has 5 formulas, over the limit of 3" in problem.message
    assert out.count('class="katex"') == 3 and out.count("grimoire-math-error") == 2
    renderer.close()


def test_rows_no_recent_build_used_are_evicted(tmp_path: Path) -> None:
    path = tmp_path / "katex.sqlite3"
    first = RenderCache(path, keep_builds=2)
    first.put_many({"old": "<b>old</b>", "kept": "<b>kept</b>"})
    first.close()
    for _ in range(3):  # three builds that use only "kept"
        cache = RenderCache(path, keep_builds=2)
        assert cache.get_many(["kept"]) == {"kept": "<b>kept</b>"}
        cache.close()
    last = RenderCache(path, keep_builds=2)
    assert last.get_many(["old", "kept"]) == {"kept": "<b>kept</b>"}
    last.close()


def test_the_least_recently_used_rows_go_first_beyond_the_size_bound(tmp_path: Path) -> None:
    path = tmp_path / "katex.sqlite3"
    for key in ("a", "b", "c"):  # one build each
        cache = RenderCache(path, max_bytes=2500)
        cache.put_many({key: key * 1000})
        cache.close()
    cache = RenderCache(path, max_bytes=2500)
    assert set(cache.get_many(["a", "b", "c"])) == {"b", "c"}
    cache.close()


def test_a_cache_from_an_older_grimoire_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "katex.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE renders (key TEXT PRIMARY KEY, html TEXT NOT NULL)")
    db.execute("INSERT INTO renders VALUES ('k', 'v')")
    db.commit()
    db.close()
    cache = RenderCache(path)
    cache.put_many({"k2": "v2"})
    assert cache.get_many(["k", "k2"]) == {"k2": "v2"}
    cache.close()
