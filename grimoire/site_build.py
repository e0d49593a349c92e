"""One build of the site, seen from the engine: the state the hooks drive.

Created afresh for every build (``mkdocs serve`` rebuilds included), it owns
the math renderer and the problem log. It never imports MkDocs: the hooks pass
it paths and HTML and get HTML and problems back.
"""

from __future__ import annotations

import html as html_lib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from .figures.build import FigureBuild
from .figures.settings import FigureSettings
from .formula_marks import (
    COVERAGE_SRC_URI,
    PageFormulas,
    coverage_markdown,
    mark_html,
    read_page,
    strip_check_blocks,
)
from .glossary.build import GlossaryBuild
from .layout import (
    KATEX_ASSET_DIR,
    SITE_CSS,
    SITE_JS,
    ProjectLayout,
    content_files,
    katex_assets,
    site_assets,
)
from .macros import load_macros
from .mathrender import MathRenderer, RenderRequest, typeset_notebook, typeset_page
from .mathrender.page_math import report_leaks
from .mathrender.slots import FormulaSlots
from .problems import Problem, ProblemLog
from .source_pages import source_href, source_pages


CLIENT_MATH_SCRIPT = "assets/katex-init.js"


class SiteBuild:
    def __init__(self, layout: ProjectLayout) -> None:
        self.layout = layout
        self.problems = ProblemLog()
        self._reported = 0
        self.macros = load_macros(layout.macros_path) if layout.macros_path else {}
        self.renderer = MathRenderer(layout.katex_dir, self.macros, layout.cache_dir / "katex.sqlite3")
        self._slots = FormulaSlots()
        self.figures = FigureBuild(layout.root, layout.cache_dir / "figures", self.problems)
        self.glossary = GlossaryBuild(layout.root, self.renderer, self.problems)
        self.formulas: dict[str, PageFormulas] = {}  # src path -> formula-check statuses
        self._sources: dict[Path, str] = {}
        self.fail_fast = False

    def source(self, path: Path) -> str:
        """A source file's text, read once per build (several stages read every page)."""
        if path not in self._sources:
            self._sources[path] = path.read_text(encoding="utf-8")
        return self._sources[path]

    def content_files(self) -> list[str]:
        return content_files(self.layout.root)

    def stylesheets(self) -> list[str]:
        """Site paths of the stylesheets every page links."""
        return [f"{KATEX_ASSET_DIR}/katex.min.css", SITE_CSS]

    def scripts(self) -> list[str]:
        """Site paths of the scripts every page loads (KaTeX's only for client-side math)."""
        if self.layout.math_mode == "client":
            katex = [f"{KATEX_ASSET_DIR}/katex.min.js", f"{KATEX_ASSET_DIR}/auto-render.min.js"]
            return [SITE_JS, *katex, CLIENT_MATH_SCRIPT]
        return [SITE_JS]

    def plan_files(self) -> tuple[list[str], list[tuple[Path, str]], list[tuple[str, str]]]:
        """Reads every content page once, then says what the site is made of.

        Returns the content paths, the static assets ((source file, site path))
        and the generated pages and scripts ((site path, text)).
        """
        content = self.content_files()
        self.glossary.load(content, self.source)
        self.read_formula_checks(content)
        assets = katex_assets(self.layout.katex_dir, self.layout.math_mode) + site_assets()
        generated = [self.glossary.index_page(), self.coverage_page(), *source_pages(self.layout.root)]
        script = self.client_math_script()
        if script is not None:
            generated.append((CLIENT_MATH_SCRIPT, script))
        return content, assets, generated

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

    def typeset(self, html: str, src_path: str, abs_src_path: Path | None, generated: str = "") -> str:
        """The page's HTML with every formula typeset; problems go to the log.

        ``generated`` is the Markdown of a page the build made (no source file).
        Formulas come back as placeholders; ``finish_page`` puts them in.
        """
        if self.layout.math_mode == "client":
            return html
        if abs_src_path is None:
            return typeset_page(html, generated, src_path, self.renderer, self.problems, self._slots.park)
        source = self.source(abs_src_path)
        path = self._display_path(abs_src_path, src_path)
        if abs_src_path.suffix == ".ipynb":
            return typeset_notebook(html, source, path, self.renderer, self.problems, self._slots.park)
        page = self.formulas.get(src_path)

        def mark(line: int | None) -> str:
            status = page.status_at(line) if page else None
            return mark_html(status, src_path, source_href) if status else ""

        html = typeset_page(html, source, path, self.renderer, self.problems, self._slots.park, mark)
        report_leaks(html, source, path, self.problems)
        return html

    def read_formula_checks(self, content: list[str]) -> None:
        """Reads every content page's check blocks (for marks, coverage, missing blocks)."""
        for src_path in content:
            if src_path.endswith(".md"):
                text = self.source(self.layout.root / src_path)
                page, problems = read_page(src_path, src_path, text)
                self.formulas[src_path] = page
                for problem in problems:
                    self.problems.add(problem)

    def coverage_page(self) -> tuple[str, str]:
        """(site path, Markdown) of the page listing every formula with its check status."""
        return COVERAGE_SRC_URI, coverage_markdown(list(self.formulas.values()), source_href, self._park_display)

    def _park_display(self, tex: str) -> str:
        (result,) = self.renderer.render([RenderRequest(tex, True)])
        if result.html is None:  # reported where the formula stands
            return f"<code>{html_lib.escape(tex)}</code>"
        return f'<div class="arithmatex">{self._slots.park(result.html)}</div>'

    def link_terms(self, markdown: str, src_path: str, abs_src_path: Path) -> str:
        """Markdown pages: term references become links; term pages get their backlinks."""
        if abs_src_path.suffix != ".md":
            return markdown
        source = self.source(abs_src_path)
        markdown = strip_check_blocks(markdown)
        return self.glossary.link(markdown, src_path, self._display_path(abs_src_path, src_path), source)

    def finish_page(self, output: str, src_path: str) -> str:
        """The page's final HTML: typeset formulas and term cards in place.

        Both go in only now, after the search plugin has indexed the page.
        """
        cards = self.glossary.cards(src_path)
        if cards:
            output = output.replace("</article>", cards + "</article>", 1)
        return self._slots.fill(output)

    def configure_figures(self, options: Mapping[str, object] | None) -> None:
        """Figure settings (mkdocs.yml ``extra: grimoire:`` and the environment)."""
        settings, errors = FigureSettings.read(options)
        for error in errors:
            self.problems.add(Problem("mkdocs.yml", None, f"extra.grimoire: {error}"))
        self.fail_fast = settings.fail_fast
        self.figures.settings = settings
        self.figures.source_href = source_href

    def start_figures(self, pages: Iterable[tuple[str, Path]]) -> None:
        """Queues the drawing of every figure the pages reference ((src path, file) pairs)."""
        self.figures.start(((self._display_path(p, src), p) for src, p in pages), self.source)

    def embed_figures(self, html: str, src_path: str, abs_src_path: Path) -> str:
        """Markdown pages: each ``figure:`` image becomes a figure awaiting its drawing."""
        if abs_src_path.suffix != ".md":
            return html
        source = self.source(abs_src_path)
        return self.figures.embed(html, self._display_path(abs_src_path, src_path), source, src_path)

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
