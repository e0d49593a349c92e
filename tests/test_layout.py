"""Which files make up the content, and the static assets shipped with the site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grimoire.layout import ProjectLayout, content_files, katex_assets
from grimoire.macros import MacroFileError, load_macros
from grimoire.problems import Problem, ProblemLog
from tests.conftest import KATEX_DIR


def touch(root: Path, *paths: str) -> None:
    for rel in paths:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", "utf-8")


def test_content_files_are_sections_markdown_and_notebooks_sorted(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "glossary/b.md", "glossary/a.md", "glossary/nb.ipynb", "glossary/sub/c.md",
        "derivations/d.md", "glossary/notes.txt", "glossary/.hidden.md",
        "glossary/.ipynb_checkpoints/nb-checkpoint.ipynb", "snippets/x.md", "other/e.md",
    )
    assert content_files(tmp_path) == [
        "derivations/d.md", "glossary/a.md", "glossary/b.md", "glossary/nb.ipynb", "glossary/sub/c.md",
    ]


def test_missing_sections_give_no_content(tmp_path: Path) -> None:
    assert content_files(tmp_path) == []


def test_layout_for_a_config_dir(tmp_path: Path) -> None:
    layout = ProjectLayout.for_config_dir(tmp_path)
    assert layout.macros_path is None and layout.cache_dir == tmp_path / ".cache" / "grimoire"
    (tmp_path / "macros.yml").write_text("'\\x': 'y'\n")
    assert ProjectLayout.for_config_dir(tmp_path).macros_path == tmp_path / "macros.yml"


def test_every_font_the_katex_stylesheet_names_is_shipped() -> None:
    assets = katex_assets(KATEX_DIR)
    shipped = {dest for _, dest in assets}
    css = (KATEX_DIR / "dist" / "katex.min.css").read_text("utf-8")
    named = set(re.findall(r"url\((fonts/[^)]+)\)", css))
    assert named, "the stylesheet names its fonts"
    assert {f"assets/katex/{n}" for n in named} <= shipped


def test_macros_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "macros.yml"
    bad.write_text("R: '\\mathbb{R}'\n")
    with pytest.raises(MacroFileError, match="not a control sequence"):
        load_macros(bad)
    bad.write_text("'\\R': [1, 2]\n")
    with pytest.raises(MacroFileError, match="must expand to a string"):
        load_macros(bad)


def test_site_macros_file_loads(site_macros: dict[str, str]) -> None:
    assert site_macros["\\R"] == "\\mathbb{R}"
    assert site_macros["\\norm"] == "\\left\\lVert #1 \\right\\rVert"


def test_problem_format_and_summary() -> None:
    log = ProblemLog()
    log.add(Problem("glossary/a.md", 3, "bad thing", detail="x\n^", hint="fix it"))
    log.add(Problem("glossary/nb.ipynb", 2, "other", cell=4))
    assert log.problems[0].format() == "glossary/a.md:3: bad thing\n    x\n    ^\n  hint: fix it"
    assert log.problems[1].location == "glossary/nb.ipynb [cell 4, line 2]"
    assert log.summary() == "2 problems in 2 files"
