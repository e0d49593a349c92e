"""The command behind ``make check PAGES=...`` and the mutation tool's command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from grimoire.formulacheck import mutation
from grimoire.formulacheck.__main__ import main

FIXTURES = Path(__file__).parent / "fixtures"


def test_passing_pages_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(FIXTURES / "softmax.md"), str(FIXTURES / "walks.md")]) == 0
    out = capsys.readouterr().out
    assert "ok   tests/formulacheck/fixtures/softmax.md:5 (check" in out
    assert "(nocheck, nocheck: notation for the space the inputs live in)" in out
    assert out.strip().endswith("checked from their own LaTeX: 10 of 12 (83.3%)\nformulas: 12 passed, 0 failed")


def test_failures_and_missing_blocks_exit_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "bad.md"
    page.write_text("$$\nH(p) = \\sum_i p_i \\log p_i\n$$\n<!-- check\nn : int 1..4\np : simplex(n)\n"
                    "H(p) := snippets.information.entropy(p)\n-->\n\n$$\nx = 1\n$$\n")
    assert main([str(page), "-q"]) == 1
    out = capsys.readouterr().out
    assert "bad.md:1: formula check failed: the sides differ" in out
    assert "bad.md:10: display formula without a check block" in out
    assert out.strip().endswith("formulas: 0 passed, 2 failed")


def test_bench_prints_time_per_formula(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(FIXTURES / "distributions.md"), "--bench", "-q"]) == 0
    out = capsys.readouterr().out
    assert "seconds  kind     formula" in out and "ms per formula on average" in out


def test_directories_are_expanded_and_unknown_pages_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit, match="no such page"):
        main(["no/such/page.md"])


def test_mutation_tool_prints_kill_rates(capsys: pytest.CaptureFixture[str]) -> None:
    assert mutation.main([str(FIXTURES / "distributions.md"), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "tests/formulacheck/fixtures/distributions.md: " in out
    assert "overall: " in out and "(100.0%)" in out
