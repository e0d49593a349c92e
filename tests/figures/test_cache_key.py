"""The cache key changes with every input of a drawing, and with nothing else."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from grimoire.figures import cache_key
from grimoire.figures.cache_key import key_inputs
from grimoire.figures.references import FigureTarget
from grimoire.figures.snippet_source import SnippetIndex

FILES = {
    "snippets/plots.py": """
        import numpy as np
        from snippets.helpers import curve

        def wave():
            from matplotlib.figure import Figure
            return Figure()
        """,
    "snippets/helpers.py": """
        from . import deep

        def curve(x):
            return deep.scale * x
        """,
    "snippets/deep.py": "scale = 2.0\n",
    "snippets/unrelated.py": "import scipy\n\ndef other():\n    pass\n",
    "snippets/figure_style.mplstyle": "font.size: 10\n",
    "glossary/page.md": "# Page\n\n![Alt](figure:plots.wave \"Caption\")\n",
}
TARGET = FigureTarget("plots", "wave")


def key(root: Path, target: FigureTarget = TARGET) -> str:
    """A fresh read of the project, as every build does."""
    return key_inputs(SnippetIndex(root), target, root / "snippets" / "figure_style.mplstyle").digest()


def edit(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text("utf-8") + text, "utf-8")


@pytest.fixture
def root(project) -> Path:
    return project(FILES)


def test_the_closure_is_the_module_its_local_imports_and_the_package(root: Path) -> None:
    inputs = key_inputs(SnippetIndex(root), TARGET, None)
    assert [path for path, _ in inputs.sources] == [
        "snippets/__init__.py",
        "snippets/deep.py",
        "snippets/helpers.py",
        "snippets/plots.py",
    ]
    assert {"matplotlib", "numpy"} <= set(inputs.versions)
    assert "scipy" not in inputs.versions  # only imported by an unrelated module


@pytest.mark.parametrize(
    "rel",
    ["snippets/plots.py", "snippets/helpers.py", "snippets/deep.py", "snippets/__init__.py",
     "snippets/figure_style.mplstyle"],
)
def test_editing_an_input_changes_the_key(root: Path, rel: str) -> None:
    before = key(root)
    edit(root, rel, "\n# edited\n")
    assert key(root) != before


@pytest.mark.parametrize("rel", ["snippets/unrelated.py", "glossary/page.md", "snippets/notes.txt"])
def test_editing_anything_else_leaves_the_key_alone(root: Path, rel: str) -> None:
    (root / rel).touch()
    before = key(root)
    edit(root, rel, "\n# edited\n")
    (root / "snippets" / "new_module.py").write_text("x = 1\n", "utf-8")
    assert key(root) == before


def test_adding_a_style_file_changes_the_key(root: Path) -> None:
    (root / "snippets" / "figure_style.mplstyle").unlink()
    without = key(root)
    (root / "snippets" / "figure_style.mplstyle").write_text("font.size: 10\n", "utf-8")
    assert key(root) != without


def test_each_figure_of_a_module_has_its_own_key(root: Path) -> None:
    assert key(root) != key(root, FigureTarget("plots", "other"))


def test_library_python_and_renderer_versions_change_the_key(root: Path) -> None:
    inputs = key_inputs(SnippetIndex(root), TARGET, None)
    digest = inputs.digest()
    assert digest == key_inputs(SnippetIndex(root), TARGET, None).digest()
    for changed in (
        replace(inputs, versions={**inputs.versions, "matplotlib": "0.0.1"}),
        replace(inputs, versions={**inputs.versions, "numpy": "0.0.1"}),
        replace(inputs, renderer=inputs.renderer + "x"),
        replace(inputs, python="2.7"),
    ):
        assert changed.digest() != digest


def test_versions_of_the_imports_of_the_closure_are_keyed(project) -> None:
    root = project({"snippets/plots.py": "import scipy.special\n\ndef wave():\n    pass\n"})
    versions = key_inputs(SnippetIndex(root), TARGET, None).versions
    assert set(versions) >= {"matplotlib", "numpy", "scipy"}


def test_the_renderer_version_covers_the_worker_code(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache_key.renderer_version()
    cache_key.renderer_version.cache_clear()
    monkeypatch.setattr(cache_key, "RENDERER_VERSION", cache_key.RENDERER_VERSION + "-next")
    try:
        assert cache_key.renderer_version() != before
    finally:
        cache_key.renderer_version.cache_clear()
