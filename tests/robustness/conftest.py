"""Tiny sites with hostile or careless input, built in a temporary folder through the real hooks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPOSITORY_ROOT, TINY_CONFIG, BuildResult, run_mkdocs_build

JUPYTER = """\
  - mkdocs-jupyter:
      execute: false
      include: ["*.ipynb"]
      ignore: ["*.md"]
      include_requirejs: false
"""


def front(title: str, summary: str = "A page for this test.", extra: str = "") -> str:
    return f"---\ntitle: {title}\nsummary: {summary}\n{extra}---\n\n"


@pytest.fixture
def hostile_site(tmp_path: Path):
    """Writes files (text is dedented, bytes are written as they are) and builds the site strictly.

    ``plugins`` is YAML added under ``plugins:`` (after search). Calling it
    again rebuilds the same folder, so caches carry over.
    """

    def make(
        files: dict[str, str | bytes], macros: str | None = None, plugins: str = "", fresh: bool = True
    ) -> BuildResult:
        config = TINY_CONFIG.format(hooks=REPOSITORY_ROOT / "build_hooks" / "hooks.py")
        (tmp_path / "mkdocs.yml").write_text(config.replace("  - search\n", "  - search\n" + plugins), "utf-8")
        (tmp_path / "pages").mkdir(exist_ok=True)
        if not (tmp_path / "pages" / "index.md").exists():
            (tmp_path / "pages" / "index.md").write_text("# Home\n", "utf-8")
        if macros is not None:
            (tmp_path / "macros.yml").write_text(macros, "utf-8")
        for rel, content in files.items():
            target = tmp_path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(textwrap.dedent(content).lstrip(), "utf-8")
        return run_mkdocs_build(tmp_path, tmp_path / "site")

    make.root = tmp_path  # type: ignore[attr-defined]
    return make
