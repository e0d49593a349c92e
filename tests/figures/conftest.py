"""Fixtures for figure tests: a throw-away project with its own snippets/ folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from grimoire.figures.jobs import DrawJob, DrawOutcome
from grimoire.figures.worker import draw

STYLE = """\
figure.figsize: 3, 2
text.color: 333333
axes.prop_cycle: cycler('color', ['5e35b1', 'e65100'])
"""


@pytest.fixture
def project(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Writes ``{relative path: text}`` under a fresh project root (with snippets/__init__.py)."""
    root = tmp_path / "project"

    def make(files: dict[str, str]) -> Path:
        (root / "snippets").mkdir(parents=True, exist_ok=True)
        init = root / "snippets" / "__init__.py"
        if not init.exists():
            init.write_text("", "utf-8")
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
        return root

    return make


@pytest.fixture
def draw_in_process() -> Callable[..., DrawOutcome]:
    """Runs the worker's ``draw`` in this process (SIGALRM time limit included)."""

    def run(root: Path, target: str, timeout: float = 20.0) -> DrawOutcome:
        module, _, function = target.rpartition(".")
        style = root / "snippets" / "figure_style.mplstyle"
        job = DrawJob("key", str(root), module, function, str(style) if style.is_file() else None, timeout)
        return draw(job)

    return run


def line_of(root: Path, rel: str, needle: str) -> int:
    """1-based line of the first line of ``rel`` containing ``needle``."""
    for number, line in enumerate((root / rel).read_text("utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {rel}")
