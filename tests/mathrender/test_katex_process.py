"""The Node bridge: real KaTeX output, errors with positions, pipelining, safety limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from grimoire.mathrender.katex_process import (
    KatexProcess,
    KatexUnavailable,
    RenderRequest,
    katex_version,
)
from grimoire.mathrender.renderer import KATEX_OPTIONS
from tests.conftest import KATEX_DIR


def test_version_is_the_pinned_npm_package(katex: KatexProcess, project_root: Path) -> None:
    import json

    lock = json.loads((project_root / "package-lock.json").read_text())
    assert katex.version == lock["packages"]["node_modules/katex"]["version"]
    assert katex.version == katex_version(KATEX_DIR)


def test_display_and_inline_output_carry_html_and_mathml(katex: KatexProcess) -> None:
    inline, display = katex.render(
        [RenderRequest(r"x^2", False), RenderRequest(r"\frac{a}{b}", True)]
    )
    assert inline.html is not None and inline.html.startswith('<span class="katex">')
    assert display.html is not None and display.html.startswith('<span class="katex-display">')
    for result in (inline, display):
        assert "<math" in result.html and "katex-html" in result.html
        assert result.error is None


def test_site_macros_are_expanded(katex: KatexProcess) -> None:
    (result,) = katex.render([RenderRequest(r"\R", False)])
    assert result.html is not None
    assert '<mi mathvariant="double-struck">R</mi>' in result.html


def test_undefined_command_reports_message_and_position(katex: KatexProcess) -> None:
    (result,) = katex.render([RenderRequest(r"a + \softmaxx(x)", False)])
    assert result.html is None
    assert result.error is not None and "Undefined control sequence: \\softmaxx" in result.error
    assert result.position == 4


def test_results_come_back_in_order_for_a_large_pipelined_batch(katex: KatexProcess) -> None:
    requests = [RenderRequest(f"x_{{{i}}}", i % 3 == 0) for i in range(2000)]
    results = katex.render(requests)
    assert len(results) == 2000
    for i in (0, 1, 999, 1999):
        assert f">{i}<" in (results[i].html or "").replace("</mn><mn>", "")


def test_gdef_in_one_formula_does_not_leak_into_the_next(katex: KatexProcess) -> None:
    first, second = katex.render(
        [RenderRequest(r"\gdef\leaky{1}\leaky", False), RenderRequest(r"\leaky", False)]
    )
    assert first.error is None
    assert second.error is not None and "\\leaky" in second.error


@pytest.mark.parametrize("tex", [r"\href{javascript:alert(1)}{x}", r"\url{https://example.com}"])
def test_commands_needing_trust_are_refused(katex: KatexProcess, tex: str) -> None:
    (result,) = katex.render([RenderRequest(tex, False)])
    assert result.html is None and result.error is not None and "trust is off" in result.error


def test_macro_expansion_is_bounded(katex: KatexProcess) -> None:
    (result,) = katex.render([RenderRequest(r"\def\loop{\loop}\loop", False)])
    assert result.error is not None and "Too many expansions" in result.error


def test_sizes_are_bounded(katex: KatexProcess) -> None:
    (result,) = katex.render([RenderRequest(r"\rule{100em}{100em}", False)])
    assert result.html is not None
    rendered = result.html.split('class="katex-html"', 1)[1]  # past the TeX annotation
    assert "100em" not in rendered and "border-top-width:10em" in rendered


def test_strict_mode_warnings_are_returned(katex: KatexProcess) -> None:
    (result,) = katex.render([RenderRequest("é", False)])
    assert result.html is not None
    assert any("unicodeTextInMathMode" in w for w in result.warnings)


def test_missing_katex_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KatexUnavailable, match="npm ci"):
        KatexProcess(tmp_path / "nowhere", dict(KATEX_OPTIONS), {})
