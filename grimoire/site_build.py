"""One build of the site, seen from the engine: the state the hooks drive.

Created afresh for every build (``mkdocs serve`` rebuilds included), it owns
the math renderer and the problem log. It never imports MkDocs: the hooks pass
it paths and HTML and get HTML and problems back.
"""

from __future__ import annotations

from pathlib import Path

from .layout import ProjectLayout, content_files, katex_assets, site_assets
from .macros import load_macros
from .mathrender import MathRenderer, typeset_notebook, typeset_page
from .problems import Problem, ProblemLog


class SiteBuild:
    def __init__(self, layout: ProjectLayout) -> None:
        self.layout = layout
        self.problems = ProblemLog()
        self._reported = 0
        macros = load_macros(layout.macros_path) if layout.macros_path else {}
        self.renderer = MathRenderer(layout.katex_dir, macros, layout.cache_dir / "katex.sqlite3")

    def content_files(self) -> list[str]:
        return content_files(self.layout.root)

    def static_assets(self) -> list[tuple[Path, str]]:
        return katex_assets(self.layout.katex_dir) + site_assets()

    def typeset(self, html: str, src_path: str, abs_src_path: Path) -> str:
        """The page's HTML with every formula typeset; problems go to the log."""
        source = abs_src_path.read_text(encoding="utf-8")
        path = self._display_path(abs_src_path, src_path)
        if abs_src_path.suffix == ".ipynb":
            return typeset_notebook(html, source, path, self.renderer, self.problems)
        return typeset_page(html, source, path, self.renderer, self.problems)

    def new_problems(self) -> list[Problem]:
        """Problems logged since the last call, for the hooks to print as they come."""
        fresh = self.problems.problems[self._reported :]
        self._reported = len(self.problems.problems)
        return fresh

    def close(self) -> None:
        self.renderer.close()

    def _display_path(self, abs_src_path: Path, src_path: str) -> str:
        """The path an author opens: relative to the project root when it is inside it."""
        try:
            return abs_src_path.resolve().relative_to(self.layout.root.resolve()).as_posix()
        except ValueError:
            return src_path
