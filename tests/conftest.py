"""Shared fixtures: the project root, the pinned KaTeX, and a tiny-site builder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from grimoire.layout import REPOSITORY_ROOT
from grimoire.macros import default_macros_path, load_macros
from grimoire.mathrender.katex_process import KatexProcess
from grimoire.mathrender.renderer import KATEX_OPTIONS

KATEX_DIR = REPOSITORY_ROOT / "node_modules" / "katex"
MKDOCS = Path(sys.executable).with_name("mkdocs")


@pytest.fixture(scope="session")
def project_root() -> Path:
    return REPOSITORY_ROOT


@pytest.fixture(scope="session")
def site_macros() -> dict[str, str]:
    return load_macros(default_macros_path())


@pytest.fixture(scope="session")
def katex(site_macros: dict[str, str]):
    with KatexProcess(KATEX_DIR, dict(KATEX_OPTIONS), site_macros) as process:
        yield process


@dataclass
class BuildResult:
    returncode: int
    log: str
    site_dir: Path

    def page(self, path: str) -> str:
        return (self.site_dir / path).read_text(encoding="utf-8")


def run_mkdocs_build(config_dir: Path, site_dir: Path, strict: bool = True,
                     env: dict[str, str] | None = None, quiet: bool = False) -> BuildResult:
    """`mkdocs build` (``-q`` when ``quiet``) of the site configured in ``config_dir``, in a subprocess
    (``env`` added to ours)."""
    args = [str(MKDOCS), "build", "--site-dir", str(site_dir), "-f", str(config_dir / "mkdocs.yml")]
    if strict:
        args.append("--strict")
    if quiet:
        args.append("-q")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    proc = subprocess.run(args, cwd=config_dir, capture_output=True, text=True, env=env, timeout=300)
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, site_dir)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real site, built once per test session with --strict."""
    result = run_mkdocs_build(REPOSITORY_ROOT, tmp_path_factory.mktemp("real") / "site")
    assert result.returncode == 0, result.log
    return result


TINY_CONFIG = """\
site_name: Tiny
docs_dir: pages
theme:
  name: material
  font: false
hooks:
  - {hooks}
plugins:
  - search
markdown_extensions:
  - admonition
  - pymdownx.arithmatex:
      generic: true
"""


@pytest.fixture
def tiny_site(tmp_path: Path):
    """Writes a tiny Grimoire site into a temporary folder and builds it."""

    def make(files: dict[str, str], macros: str | None = None) -> BuildResult:
        (tmp_path / "mkdocs.yml").write_text(
            TINY_CONFIG.format(hooks=REPOSITORY_ROOT / "build_hooks" / "hooks.py"), "utf-8"
        )
        (tmp_path / "pages").mkdir(exist_ok=True)
        if macros is not None:
            (tmp_path / "macros.yml").write_text(macros, "utf-8")
        for rel, text in files.items():
            target = tmp_path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text).lstrip(), "utf-8")
        return run_mkdocs_build(tmp_path, tmp_path / "site")

    return make
