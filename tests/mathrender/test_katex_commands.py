"""Typo hints consider KaTeX's own commands as well as the site macros."""

from __future__ import annotations

from grimoire.layout import REPOSITORY_ROOT
from grimoire.mathrender.diagnostics import math_problem
from grimoire.mathrender.katex_commands import katex_commands
from grimoire.mathrender.katex_process import RenderResult

KATEX = REPOSITORY_ROOT / "node_modules" / "katex"
SITE_MACROS = {"\\sg": "\\operatorname{sg}", "\\softmax": "\\operatorname{softmax}"}


def refused(tex: str, name: str) -> RenderResult:
    return RenderResult(html=None, error=f"KaTeX parse error: Undefined control sequence: {name} at position 1: …")


def test_katex_commands_come_from_the_pinned_bundle() -> None:
    commands = katex_commands(KATEX)
    assert {"\\sigma", "\\frac", "\\mathbb", "\\operatorname"} <= commands
    assert "\\sigmaa" not in commands and "\\softmax" not in commands


def test_a_typo_of_a_katex_command_suggests_the_command() -> None:
    problem = math_problem("p.md", 3, "\\sigmaa(x)", False, refused("\\sigmaa(x)", "\\sigmaa"), SITE_MACROS,
                           katex_commands(KATEX))
    assert problem.hint.startswith("did you mean \\sigma")
    assert "macros.yml" not in problem.hint  # \sigma is KaTeX's, not a site macro


def test_a_typo_of_a_site_macro_still_points_to_macros_yml() -> None:
    problem = math_problem("p.md", 3, "\\softmaxx(x)", False, refused("\\softmaxx(x)", "\\softmaxx"), SITE_MACROS,
                           katex_commands(KATEX))
    assert problem.hint.startswith("did you mean \\softmax")
    assert "macros.yml" in problem.hint


def test_without_a_readable_bundle_there_are_no_commands(tmp_path) -> None:
    assert katex_commands(tmp_path) == frozenset()
