"""One build of the site, seen from the engine: the state the hooks drive.

Created afresh for every build (``mkdocs serve`` rebuilds included), it owns
the math renderer and the problem log. It never imports MkDocs: the hooks pass
it paths and HTML and get HTML and problems back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from .figures.build import FigureBuild
from .figures.settings import FigureSettings
from .layout import ProjectLayout, content_files, katex_assets, site_assets
from .macros import load_macros
from .mathrender import MathRenderer, typeset_notebook, typeset_page
from .mathrender.slots import FormulaSlots
from .problems import Problem, ProblemLog


class SiteBuild:
    def __init__(self, layout: ProjectLayout) -> None:
        self.layout = layout
        self.problems = ProblemLog()
        self._reported = 0
        self.macros = load_macros(layout.macros_path) if layout.macros_path else {}
        self.renderer = MathRenderer(layout.katex_dir, self.macros, layout.cache_dir / "katex.sqlite3")
        self._slots = FormulaSlots()
        self.figures = FigureBuild(layout.root, layout.cache_dir / "figures", self.problems)
        self.fail_fast = False

    def content_files(self) -> list[str]:
        return content_files(self.layout.root)

    def static_assets(self) -> list[tuple[Path, str]]:
        return katex_assets(self.layout.katex_dir, self.layout.math_mode) + site_assets()

    def client_math_script(self) -> str | None:
        """For client-side math only: the script that runs KaTeX's auto-render."""
        if self.layout.math_mode != "client":
            return None
        options = {
            "delimiters": [
                {"left": "\\(", "right": "\\)", "display": False},
                {"left": "\\[", "right": "\\]", "display": True},
            ],
            "macros": self.macros,
        }
        return (
            "document$.subscribe(() => renderMathInElement(document.body, "
            + json.dumps(options, sort_keys=True)
            + "));\n"
        )

    def typeset(self, html: str, src_path: str, abs_src_path: Path) -> str:
        """The page's HTML with every formula typeset; problems go to the log.

        Formulas come back as placeholders; ``finish_page`` puts them in.
        """
        if self.layout.math_mode == "client":
            return html
        source = abs_src_path.read_text(encoding="utf-8")
        path = self._display_path(abs_src_path, src_path)
        if abs_src_path.suffix == ".ipynb":
            return typeset_notebook(html, source, path, self.renderer, self.problems, self._slots.park)
        return typeset_page(html, source, path, self.renderer, self.problems, self._slots.park)

    def finish_page(self, output: str) -> str:
        """The page's final HTML, with its typeset formulas in place."""
        return self._slots.fill(output)

    def configure_figures(
        self, options: Mapping[str, object] | None, repo_url: str | None, edit_uri: str | None
    ) -> None:
        """Figure settings (mkdocs.yml ``extra: grimoire:`` and the environment) and source links."""
        settings, errors = FigureSettings.read(options)
        for error in errors:
            self.problems.add(Problem("mkdocs.yml", None, f"extra.grimoire: {error}"))
        self.fail_fast = settings.fail_fast
        self.figures.settings = settings
        self.figures.repo_url = repo_url or None
        m = re.match(r"(?:edit|blob|tree)/([^/]+)/", edit_uri or "")
        self.figures.branch = m.group(1) if m else "main"

    def start_figures(self, pages: Iterable[tuple[str, Path]]) -> None:
        """Queues the drawing of every figure the pages reference ((src path, file) pairs)."""
        self.figures.start((self._display_path(p, src), p) for src, p in pages)

    def embed_figures(self, html: str, src_path: str, abs_src_path: Path) -> str:
        """Markdown pages: each ``figure:`` image becomes a figure awaiting its drawing."""
        if abs_src_path.suffix != ".md":
            return html
        source = abs_src_path.read_text(encoding="utf-8")
        return self.figures.embed(html, self._display_path(abs_src_path, src_path), source)

    def fill_figures(self, html: str, src_path: str, abs_src_path: Path) -> str:
        """The final page HTML with its drawings inlined."""
        return self.figures.fill(html, self._display_path(abs_src_path, src_path))

    def finish_figures(self) -> None:
        self.figures.finish()

    def new_problems(self) -> list[Problem]:
        """Problems logged since the last call, for the hooks to print as they come."""
        fresh = self.problems.problems[self._reported :]
        self._reported = len(self.problems.problems)
        return fresh

    def close(self) -> None:
        self.figures.close()
        self.renderer.close()

    def _display_path(self, abs_src_path: Path, src_path: str) -> str:
        """The path an author opens: relative to the project root when it is inside it."""
        try:
            return abs_src_path.resolve().relative_to(self.layout.root.resolve()).as_posix()
        except ValueError:
            return src_path
