"""A tiny project with a snippet module and a checked formula, built through the real hooks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grimoire.layout import REPOSITORY_ROOT
from tests.conftest import TINY_CONFIG, BuildResult, run_mkdocs_build

SQUARES = """
def square_sum(x):
    return sum(v * v for v in x)
"""

PAGE = """
---
title: Sum of squares
summary: The sum of the squares of a vector's entries.
---

# Sum of squares

$$
S(x) = \\sum_{i=1}^{n} x_i^2
$$
<!-- check
n : int 1..6
x : vector(n) -5..5
S := snippets.squares.square_sum
-->
"""


class Project:
    """A tiny site on disk: write files, build it, read its pages."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "pages").mkdir(parents=True, exist_ok=True)
        (root / "snippets").mkdir(exist_ok=True)
        (root / "snippets" / "__init__.py").write_text("", "utf-8")
        config = TINY_CONFIG.format(hooks=REPOSITORY_ROOT / "build_hooks" / "hooks.py")
        config += "watch:\n  - glossary\n  - snippets\n"
        (root / "mkdocs.yml").write_text(config, "utf-8")
        (root / "pages" / "index.md").write_text("# Home\n", "utf-8")

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), "utf-8")
        return path

    def build(self, strict: bool = True, env: dict[str, str] | None = None) -> BuildResult:
        return run_mkdocs_build(self.root, self.root / "site", strict=strict, env=env)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project(tmp_path / "tiny")
    p.write("snippets/squares.py", SQUARES)
    p.write("glossary/squares.md", PAGE)
    return p
