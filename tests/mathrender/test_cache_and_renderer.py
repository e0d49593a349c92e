"""The render cache and the renderer in front of it."""

from __future__ import annotations

from pathlib import Path

from grimoire.mathrender.cache import RenderCache, render_key, settings_digest
from grimoire.mathrender.katex_process import RenderRequest
from grimoire.mathrender.renderer import KATEX_OPTIONS, MathRenderer
from tests.conftest import KATEX_DIR

BASE = settings_digest("0.19.1", dict(KATEX_OPTIONS), {"\\R": "\\mathbb{R}"})


def test_key_depends_on_tex_display_and_settings() -> None:
    key = render_key("x", False, BASE)
    assert render_key("x", False, BASE) == key
    assert render_key("y", False, BASE) != key
    assert render_key("x", True, BASE) != key
    assert render_key("x", False, settings_digest("0.19.0", dict(KATEX_OPTIONS), {"\\R": "\\mathbb{R}"})) != key
    assert render_key("x", False, settings_digest("0.19.1", {**KATEX_OPTIONS, "maxSize": 5}, {"\\R": "\\mathbb{R}"})) != key
    assert render_key("x", False, settings_digest("0.19.1", dict(KATEX_OPTIONS), {"\\R": "\\mathbf{R}"})) != key


def test_settings_digest_ignores_dict_order() -> None:
    a = settings_digest("1", {"a": 1, "b": 2}, {"\\x": "1", "\\y": "2"})
    b = settings_digest("1", {"b": 2, "a": 1}, {"\\y": "2", "\\x": "1"})
    assert a == b


def test_cache_persists_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "c" / "katex.sqlite3"
    cache = RenderCache(path)
    cache.put_many({"k1": "<b>1</b>", "k2": "<b>2</b>"})
    cache.close()
    reopened = RenderCache(path)
    assert reopened.get_many(["k1", "k2", "k3"]) == {"k1": "<b>1</b>", "k2": "<b>2</b>"}
    reopened.close()


def test_cache_lookup_of_more_keys_than_sqlite_parameters(tmp_path: Path) -> None:
    cache = RenderCache(None)
    cache.put_many({f"k{i}": str(i) for i in range(1500)})
    assert len(cache.get_many(f"k{i}" for i in range(2000))) == 1500


def test_warm_render_does_not_start_node(tmp_path: Path) -> None:
    requests = [RenderRequest(r"\frac{1}{2}", True), RenderRequest(r"x_i", False)]
    cold = MathRenderer(KATEX_DIR, {}, tmp_path / "k.sqlite3")
    cold_html = [r.html for r in cold.render(requests)]
    assert cold.stats.rendered == 2
    cold.close()

    warm = MathRenderer(KATEX_DIR, {}, tmp_path / "k.sqlite3")
    warm_html = [r.html for r in warm.render(requests)]
    assert warm_html == cold_html
    assert warm.stats.cache_hits == 2 and warm.stats.rendered == 0
    assert warm._process is None  # noqa: SLF001 - the point of a warm build
    warm.close()


def test_duplicate_formulas_render_once(tmp_path: Path) -> None:
    renderer = MathRenderer(KATEX_DIR, {}, None)
    results = renderer.render([RenderRequest("x", False)] * 5 + [RenderRequest("x", True)])
    assert renderer.stats.rendered == 2
    assert len({r.html for r in results[:5]}) == 1 and results[5].html != results[0].html
    renderer.close()


def test_failures_and_warnings_are_not_cached(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    requests = [RenderRequest(r"\nope", False), RenderRequest("é", False)]
    first = MathRenderer(KATEX_DIR, {}, path)
    first.render(requests)
    first.close()
    second = MathRenderer(KATEX_DIR, {}, path)
    again = second.render(requests)
    assert second.stats.cache_hits == 0
    assert again[0].error is not None and again[1].warnings
    second.close()


def test_macros_change_the_output_and_the_cache_entry(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    bold = MathRenderer(KATEX_DIR, {"\\V": "\\mathbf{v}"}, path)
    (a,) = bold.render([RenderRequest(r"\V", False)])
    bold.close()
    italic = MathRenderer(KATEX_DIR, {"\\V": "v"}, path)
    (b,) = italic.render([RenderRequest(r"\V", False)])
    assert italic.stats.cache_hits == 0
    assert a.html != b.html
    italic.close()
