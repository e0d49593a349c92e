"""One build of the site, seen from the engine: the state the hooks drive.

Created afresh for every build (``mkdocs serve`` rebuilds included), it owns
the math renderer, the problem log and the one pool of worker processes that
runs all project Python (figures and formula checks). It never imports MkDocs
nor any snippet module: the hooks pass it paths and HTML and get HTML and
problems back. ``session`` is a dict the hooks keep across ``mkdocs serve``
rebuilds (failed figures and checks, not run again until their inputs change).
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import secrets
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from .checks.build import CheckBuild
from .citations.build import CitationBuild
from .checks.domain import domain_tex
from .checks.jobs import CheckResult
from .figures.build import FigureBuild
from .figures.snippet_source import SnippetIndex
from .figures.settings import FigureSettings
from .formula_marks import (
    COVERAGE_SRC_URI,
    CoveragePart,
    MarkView,
    PageFormulas,
    coverage_cell,
    coverage_overview_markdown,
    coverage_part_markdown,
    coverage_parts,
    coverage_summary,
    mark_html,
    mark_view,
    read_page,
    strip_check_blocks,
)
from .formulacheck.blocks import CheckBlock
from .formulacheck.status import CHECKED, DOCTEST, FormulaStatus, clear_source_index
from .equations.build import EquationBuild
from .equations.syntax import REFERENCE
from .glossary.build import GlossaryBuild
from .layout import (
    COPY_TEX_JS,
    KATEX_ASSET_DIR,
    SITE_CSS,
    SITE_JS,
    ProjectLayout,
    content_files,
    katex_assets,
    site_assets,
)
from .glossary.frontmatter import body_first_line, without_front_matter
from .glossary.theme_meta import theme_meta
from .macros import read_macros
from .markdown_bounds import bound_markdown
from .incremental import digest, neighbours, sidebar_digests, stale_pages
from .memo import Memo
from .navigation import NavPlan, plan_nav
from .notebook_page import exclude_chrome_from_search, markdown_at_file_lines, without_front_matter_cell
from .mathrender import MathRenderer, RenderRequest, typeset_notebook, typeset_page
from .mathrender.heading_labels import HeadingLabel, heading_labels
from .mathrender.page_math import report_leaks
from .mathrender.slots import FormulaSlots
from .open_graph import with_open_graph
from .template_cache import MemoryBytecodeCache
from .page_safety import defuse_markdown, refuse_script_urls
from .page_source import MAX_PAGE_BYTES, read_source, readable_notebooks
from .problems import Problem, ProblemLog, run_guarded
from .search.page_markup import mark_for_index, point_to_worker
from .search.pagefind_run import BackgroundIndex, index_site
from .search.stub_index import write_stub_index
from .glossary.search_aliases import name_words
from .source_pages import source_href, source_pages
from .workers.pool import SharedPool


CLIENT_MATH_SCRIPT = "assets/katex-init.js"


class SiteBuild:
    def __init__(self, layout: ProjectLayout, session: dict | None = None) -> None:
        self.layout = layout
        self.problems = ProblemLog()
        self._reported = 0
        self.macros, macro_problems = read_macros(layout.macros_path) if layout.macros_path else ({}, [])
        for problem in macro_problems:
            self.problems.add(problem)
        self.renderer = MathRenderer(layout.katex_dir, self.macros, layout.cache_dir / "katex.sqlite3")
        self._slots = FormulaSlots()
        self.pool = SharedPool()
        memory = session
        self.session = session
        self.memo = Memo(None if session is None else session.setdefault("memo", {}))
        self._snippets = snippets_digest(layout.root)
        # Read once, shared by figures, checks and marks (and by serve rebuilds while snippets/ is unchanged).
        snippets = self.memo.get(("snippet index", str(layout.root), self._snippets), lambda: SnippetIndex(layout.root))
        clear_source_index(snippets)
        self._fingerprints: dict[str, str] = {}
        self.figures = FigureBuild(
            layout.root, layout.cache_dir / "figures", self.problems, pool=self.pool,
            failures=None if memory is None else memory.setdefault("figure_failures", {}), index=snippets,
            memo=self.memo,
        )
        self.checks = CheckBuild(
            layout.root, layout.cache_dir / "checks", self.problems, self.macros, self.pool,
            failures=None if memory is None else memory.setdefault("check_failures", {}), index=snippets,
            memo=self.memo,
        )
        self.checks.memo_inputs = digest([self._snippets, json.dumps(self.macros, sort_keys=True)])
        self._summary_slot = f"<!--grimoire-coverage-summary:{secrets.token_hex(6)}-->"
        self.glossary = GlossaryBuild(layout.root, self.renderer, self.problems)
        self.equations = EquationBuild(self.renderer, self.problems, self._page_title, self.memo)
        self.checks.equation_of = self.equations.equation_name
        self.citations = CitationBuild(layout.root, self.problems, lambda: self.glossary.urls)
        self._noticed = 0
        self.formulas: dict[str, PageFormulas] = {}  # src path -> formula-check statuses
        self._by_path: dict[str, PageFormulas] = {}  # the same, by display path
        self._sources: dict[Path, str] = {}
        self.fail_fast = False
        self._content: frozenset[str] = frozenset()
        self._unreadable: set[Path] = set()  # notebooks whose formulas cannot be checked, reported once
        self._generated: dict[str, str] = {}  # site path -> text of the pages and scripts the build makes
        self._coverage_parts: dict[str, CoveragePart] = {}  # site path -> the formulas one coverage part lists
        self._background: BackgroundIndex | None = None  # mkdocs serve: this build's indexing, stopped by close()

    def source(self, path: Path) -> str:
        """A source file's text, read once per build (several stages read every page)."""
        if path not in self._sources:
            limit = MAX_PAGE_BYTES if path.suffix == ".md" else None
            self._sources[path], found = read_source(path, self._display_path(path, path.name), limit)
            for problem in found:
                self.problems.add(problem)
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
            return [SITE_JS, *katex, CLIENT_MATH_SCRIPT, COPY_TEX_JS]
        return [SITE_JS, COPY_TEX_JS]

    def plan_files(self) -> tuple[list[str], list[tuple[Path, str]], list[tuple[str, str]]]:
        """Reads every content page once, then says what the site is made of.

        Returns the content paths, the static assets ((source file, site path))
        and the generated pages and scripts ((site path, text)).
        """
        content = readable_notebooks(self.content_files(), lambda rel: self.source(self.layout.root / rel), self.problems)
        self.glossary.load(content, self.source, self.memo)
        self.citations.load(self.glossary.glossary.registry.terms, self.source, self.memo)
        self.read_formula_checks(content)
        self.equations.collect((src, self._display_path(self.layout.root / src, src), self.source(self.layout.root / src))
                               for src in content if src.endswith(".md"))
        assets = katex_assets(self.layout.katex_dir, self.layout.math_mode) + site_assets()
        self._content = frozenset(content)
        generated = [self.glossary.index_page(), *self.glossary.section_indexes(), *self.coverage_pages(),
                     *source_pages(self.layout.root, self.problems)]
        generated += self.citations.generated_pages()
        self._generated = dict(generated)
        script = self.client_math_script()
        if script is not None:
            generated.append((CLIENT_MATH_SCRIPT, script))
        return content, assets, generated

    def term_titles(self) -> dict[str, str]:
        """Each content page's title, by its site path."""
        return {t.src_uri: t.meta.title for t in self.glossary.glossary.registry.terms}

    def navigation(self, pages: list[str]) -> NavPlan:
        """The sidebar order and prev/next chains of a site made of ``pages`` (see ``navigation``)."""
        titles = self.term_titles()
        titles.update((uri, part.title) for uri, part in self._coverage_parts.items())
        return plan_nav(pages, titles, self._content)

    def page_fingerprints(self, pages: Mapping[str, Path | None], plan: NavPlan, settings: str) -> dict[str, str]:
        """Each page's fingerprint: a digest of everything its HTML shows (see ``incremental``).

        ``pages`` maps each page's site source path to its file (None for a page
        the build makes); ``settings`` is the text of the site's configuration.
        """
        registry = self.glossary.glossary.registry
        titles = {t.src_uri: t.meta.title for t in registry.terms}

        def label(uri: str) -> str:
            return titles.get(uri, uri)

        def term_text(uri: str) -> str:
            term = registry.by_src_uri.get(uri)
            if term is None:
                return uri
            formula = self.glossary.glossary.formulas.get(term.slug, "")
            return f"{uri}\t{term.meta.title}\t{term.meta.summary}\t{formula}"

        forward: dict[str, list[str]] = {}  # page -> pages it links to (the inverse of backlinks)
        for slug, referrers in self.glossary.glossary.backlinks.items():
            target = registry.by_slug.get(slug)
            for referrer in referrers:
                forward.setdefault(referrer.src_uri, []).append(target.src_uri if target else slug)
        # The tags page lists the titles of the tagged pages rendered in the same build: a change to either
        # renders every page again.
        tags = digest(f"{t.src_uri}\t{t.meta.title}\t{'|'.join(t.meta.tags)}" for t in registry.terms if t.meta.tags)
        everywhere = digest([settings, self.macros_text(), engine_digest(), tags])
        sidebar = sidebar_digests(plan.nav, label)
        footer = neighbours((plan.reading, plan.authoring), label)
        bibliography = digest([self.bibliography_text()])  # hashed once, not once per citing page
        fingerprints = {}
        for uri, path in pages.items():
            text = self._generated.get(uri, "") if path is None else self.source(path)
            part = self._coverage_parts.get(uri)
            if uri == COVERAGE_SRC_URI or part is not None:
                text = ""  # its Markdown holds this build's placeholders; what it shows is added below
            term = registry.by_src_uri.get(uri)
            shown = self._display_path(path, uri) if path is not None else uri
            parts = [everywhere, uri, text, sidebar.get(uri, ""), footer.get(uri, "")]
            if term is not None:
                parts += ["links", *sorted(term_text(u) for u in forward.get(uri, []))]
                parts += ["used in", *(term_text(r.src_uri) for r in self.glossary.glossary.backlinks.get(term.slug, []))]
                parts += ["related", *(term_text(r.src_uri) for r in self.glossary.glossary.related.get(term.slug, []))]
            parts += ["checks", *self.checks.keys_of(shown), "figures", *self.figures.keys_of(shown)]
            if "@" in text:  # may cite: the entries' formatting comes from references.bib
                parts.append(bibliography)
            parts += [self.source(self.layout.root / target) for target in cross_page_targets(text, self._content)]
            if uri == COVERAGE_SRC_URI:  # the parts, and every formula's status and check for the counts
                parts += [repr((page.path, page.statuses, self.checks.keys_of(page.path)))
                          for page in self.formulas.values()]
                parts += [repr((p.src_uri, [page.path for page in p.pages])) for p in self._coverage_parts.values()]
            elif part is not None:  # its formulas with their status and their check's result
                parts += [part.title, *(repr((page.path, page.statuses, page.latex, self.checks.keys_of(page.path)))
                                        for page in part.pages)]
            fingerprints[uri] = digest(parts)
        return fingerprints

    def pages_to_render(self, fingerprints: dict[str, str]) -> tuple[set[str], set[str]]:
        """(pages whose fingerprint changed or is new, pages gone since the last build of the session).

        Outside ``mkdocs serve`` (no session) every page is rendered and none is gone.
        """
        previous = self.session.get("fingerprints") if self.session is not None else None
        self._fingerprints = fingerprints
        return stale_pages(previous, fingerprints), set(previous or ()) - set(fingerprints)

    def remember_rendered(self) -> None:
        """At the end of a build: the fingerprints and parsed pages the next ``mkdocs serve`` rebuild reuses."""
        self.memo.finish()
        if self.session is not None:
            self.session["fingerprints"] = self._fingerprints

    @staticmethod
    def template_cache() -> MemoryBytecodeCache:
        """A cache of compiled theme templates, for the serve session to keep (see ``template_cache``)."""
        return MemoryBytecodeCache()

    def macros_text(self) -> str:
        path = self.layout.macros_path
        return path.read_text("utf-8", errors="replace") if path is not None and path.is_file() else ""

    def bibliography_text(self) -> str:
        path = self.layout.root / "references.bib"
        return path.read_text("utf-8", errors="replace") if path.is_file() else ""

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
        if abs_src_path is not None:
            shown = self._display_path(abs_src_path, src_path)
            html, refused = refuse_script_urls(html, shown, self.source(abs_src_path))
            for problem in refused:
                self.problems.add(problem)
        if self.layout.math_mode == "client":
            return html
        if abs_src_path is None:
            return typeset_page(html, generated, src_path, self.renderer, self.problems, self._slots.park)
        source = self.source(abs_src_path)
        path = self._display_path(abs_src_path, src_path)
        page = self.formulas.get(src_path)

        def mark(line: int | None) -> str:
            status = page.status_at(line) if page else None
            if status is None:
                return ""
            if status.status in (CHECKED, DOCTEST):  # this build's result goes in when the page is written
                return self.checks.placeholder(path, status.line)
            return mark_html(self._mark_view(path, src_path, status, None), status.line)

        def numbered(line: int | None) -> tuple[str, tuple[str, ...]] | None:
            display = self.equations.display(src_path, line)
            return None if display is None else (display.tex, display.labels)

        if abs_src_path.suffix == ".ipynb":
            html = exclude_chrome_from_search(without_front_matter_cell(html, source))
            return typeset_notebook(html, source, path, self.renderer, self.problems, self._slots.park,
                                    mark, self.check_text(abs_src_path))
        html = typeset_page(html, source, path, self.renderer, self.problems, self._slots.park, mark, numbered)
        report_leaks(html, source, path, self.problems)
        return html

    def check_text(self, path: Path) -> str | None:
        """The text the formula checker reads: a page's Markdown, or a notebook's at its file lines.

        None for a notebook not laid out one source line per JSON line (reported once).
        """
        if path.suffix != ".ipynb":
            return self.source(path)
        text = markdown_at_file_lines(self.source(path))
        if text is None and path not in self._unreadable:
            self._unreadable.add(path)
            self.problems.add(Problem(self._display_path(path, path.name), None,
                                      "the notebook's formulas cannot be checked: it is not saved one source line "
                                      "per JSON line", hint="save it from Jupyter, or with nbformat.write"))
        return text

    def read_formula_checks(self, content: list[str]) -> None:
        """Reads every content page's check blocks (for marks, coverage, missing blocks); notebooks too."""
        for src_path in content:
            if src_path.endswith((".md", ".ipynb")):
                text = self.check_text(self.layout.root / src_path)
                if text is None:
                    continue
                # What a formula's mark says depends on the snippets it names (does the function exist?).
                page, problems = self.memo.get(("formulas", src_path, text, self._snippets),
                                               lambda: read_page(src_path, src_path, text, self.layout.root))
                self.formulas[src_path] = page
                self._by_path[page.path] = page
                for problem in problems:
                    self.problems.add(problem)

    def coverage_pages(self) -> list[tuple[str, str]]:
        """(site path, Markdown) of the formula coverage page and of its parts, which list every formula
        with this build's result."""

        def cell(page: PageFormulas, status: FormulaStatus) -> str:
            if status.status in (CHECKED, DOCTEST):
                return self.checks.placeholder(page.path, status.line, style="coverage")
            return coverage_cell(self._mark_view(page.path, page.src_uri, status, None))

        titles = self.term_titles()
        pages = [self.formulas[uri] for uri in sorted(self.formulas)]
        parts = coverage_parts(pages, lambda page: titles.get(page.src_uri) or page.path)
        self._coverage_parts = {part.src_uri: part for part in parts}
        # Every display formula of the site is listed: typeset in one batch (one cache query per few
        # hundred formulas), not one by one.
        park = self._display_parker(page.latex.get(s.line, "") for page in pages for s in page.statuses)
        return [(COVERAGE_SRC_URI, coverage_overview_markdown(parts, self._summary_slot)),
                *((part.src_uri, coverage_part_markdown(part, cell, park)) for part in parts)]

    def _mark_view(self, path: str, src_path: str, status: FormulaStatus, result: CheckResult | None,
                   details: bool = True) -> MarkView:
        """``details=False``: the state only (no domain typeset), for counting."""
        item = self.checks.item(path, status.line)
        block = item.block if item is not None else None
        domain = domain_tex(block, item.formula.latex) if details and isinstance(block, CheckBlock) and item else ""
        experiment = getattr(block, "reason", None)
        typeset = self._typeset_inline if details else str
        equation = self.equations.equation_name(path, status.line, result.step_line if result else None)
        return mark_view(status, result, path, src_path, source_href, typeset, domain, experiment, equation)

    def _typeset_inline(self, tex: str) -> str:
        (result,) = self.renderer.render([RenderRequest(tex, False)])
        if result.html is None:
            return f"<code>{html_lib.escape(tex)}</code>"
        return result.html

    def _render_result(self, path: str, line: int, result: CheckResult | None, style: str) -> str:
        page = self._by_path.get(path)
        status = page.status_at(line) if page else None
        if status is None or page is None:
            return ""
        view = self._mark_view(path, page.src_uri, status, result)
        return coverage_cell(view) if style == "coverage" else mark_html(view, line)

    def _coverage_summary(self) -> str:
        states = []
        for page in self.formulas.values():
            for status in page.statuses:
                result = self.checks.result(page.path, status.line)
                states.append(self._mark_view(page.path, page.src_uri, status, result, details=False).state)
        return html_lib.escape(coverage_summary(states))

    def _display_parker(self, formulas: Iterable[str]) -> Callable[[str], str]:
        """Typesets ``formulas`` (display TeX) at once; the function returned parks one of them in a page."""
        distinct = list(dict.fromkeys(formulas))
        typeset = dict(zip(distinct, self.renderer.render([RenderRequest(tex, True) for tex in distinct])))

        def park(tex: str) -> str:
            result = typeset.get(tex) or self.renderer.render([RenderRequest(tex, True)])[0]
            if result.html is None:  # reported where the formula stands
                return f"<code>{html_lib.escape(tex)}</code>"
            return f'<div class="arithmatex">{self._slots.park(result.html)}</div>'

        return park

    def link_terms(self, markdown: str, src_path: str, abs_src_path: Path) -> str:
        """Markdown pages: term references become links; term pages get their backlinks."""
        if abs_src_path.suffix != ".md":
            return markdown
        source = self.source(abs_src_path)
        markdown = without_front_matter(markdown, source)
        markdown, hazards = defuse_markdown(markdown, self._display_path(abs_src_path, src_path), body_first_line(source))
        for problem in hazards:
            self.problems.add(problem)
        markdown = strip_check_blocks(markdown)
        shown = self._display_path(abs_src_path, src_path)
        markdown = self.equations.link(markdown, src_path, shown, body_first_line(source))
        markdown = self.glossary.link(markdown, src_path, shown, source)
        markdown, references = self.citations.link(markdown, src_path, shown, source)
        markdown, long_blocks = bound_markdown(markdown, shown, body_first_line(source))
        for problem in long_blocks:
            self.problems.add(problem)
        # What the engine writes comes after the bounds on what the author wrote.
        generated = self.glossary.sections(src_path) + references
        return markdown.rstrip() + generated if generated else markdown

    def heading_labels(self, html: str) -> dict[str, HeadingLabel]:
        """The sidebar labels of the typeset page's headings with math, by heading id."""
        return heading_labels(html, self._slots.holds_formula) if self._slots.holds_formula(html) else {}

    def anchor_ids(self, src_path: str) -> list[str]:
        """Ids the typeset page holds that its Markdown did not (equation labels), for MkDocs' link validation."""
        return self.equations.anchor_ids(src_path)

    def finish_page(self, output: str, src_path: str) -> str:
        """The page's final HTML: typeset formulas and term and equation cards in place.

        Both go in only now, after the search plugin has indexed the page.
        """
        cards = self.glossary.cards(src_path) + self.equations.cards(src_path)
        if cards:
            output = output.replace("</article>", cards + "</article>", 1)
        output = self.citations.finish(output, src_path)
        output = self._slots.fill(output)
        output = self.checks.fill(output, self._render_result)
        if src_path == COVERAGE_SRC_URI and self._summary_slot in output:
            output = output.replace(self._summary_slot, self._coverage_summary(), 1)
        return output

    def configure_figures(self, options: Mapping[str, object] | None) -> None:
        """Figure settings (mkdocs.yml ``extra: grimoire:`` and the environment)."""
        settings, errors = FigureSettings.read(options)
        for error in errors:
            self.problems.add(Problem("mkdocs.yml", None, f"extra.grimoire: {error}"))
        self.fail_fast = settings.fail_fast
        self.figures.settings = settings
        self.figures.source_href = source_href
        self.pool.workers, self.pool.grace = settings.workers, settings.grace
        self.checks.timeout = settings.check_timeout
        self.checks.enabled = settings.checks
        if not settings.checks:
            self.problems.add(Problem("mkdocs.yml", None, "formula checks are off (GRIMOIRE_CHECKS=off): "
                                      "every mark says the formula was not checked in this build",
                                      hint="unset GRIMOIRE_CHECKS to run them"))

    def start_jobs(self, pages: Iterable[tuple[str, Path]]) -> None:
        """Queues every formula check and the drawing of every figure of ``pages`` ((src path, file) pairs).

        They run in the worker pool while MkDocs renders the pages.
        """
        pages = [(self._display_path(p, src), p) for src, p in pages]
        checked = [(path, self.check_text(p)) for path, p in pages if p.suffix in (".md", ".ipynb")]
        self.checks.start((path, text) for path, text in checked if text is not None)
        self.figures.start(pages, self.source)

    def embed_figures(self, html: str, src_path: str, abs_src_path: Path) -> str:
        """Markdown pages: each ``figure:`` image becomes a figure awaiting its drawing."""
        if abs_src_path.suffix != ".md":
            return html
        source = self.source(abs_src_path)
        return self.figures.embed(html, self._display_path(abs_src_path, src_path), source, src_path)

    def fill_figures(self, html: str, src_path: str, abs_src_path: Path) -> str:
        """The final page HTML with its drawings inlined."""
        return self.figures.fill(html, self._display_path(abs_src_path, src_path))

    def finish_jobs(self) -> None:
        """Waits for every check and drawing, reports what failed, and stops the workers."""
        self.checks.finish()
        self.figures.finish()
        self.pool.close(kill=False)

    def page_source(self, abs_src_path: Path) -> str:
        """A page's text as MkDocs should read it (decoded, bounded; see ``page_source``)."""
        return self.source(abs_src_path)

    def theme_meta(self, meta: Mapping[str, object], src_path: str = "") -> dict[str, object]:
        """A page's front matter as the theme and plugins may show it (see ``glossary.theme_meta``).

        A notebook's comes from its front matter cell, which MkDocs does not read.
        """
        term = self.glossary.glossary.registry.by_src_uri.get(src_path) if src_path.endswith(".ipynb") else None
        if term is not None:
            m = term.meta
            meta = {"title": m.title, "summary": m.summary, "aliases": list(m.aliases), "tags": list(m.tags),
                    "related": list(m.related)}
        return theme_meta(meta)

    def search_markup(self, output: str, src_path: str, title: str, meta: Mapping[str, object]) -> str:
        """The final page marked for the search indexer and wired to Grimoire's search worker (``search``).

        A page whose front matter says ``search: {exclude: true}`` (Material's
        switch: the snippet source pages, formula coverage) is not indexed.
        """
        term = self.glossary.glossary.registry.by_src_uri.get(src_path)
        names = name_words([term.meta.title, *term.meta.aliases]) if term is not None else []
        search = meta.get("search")
        indexed = True
        if not (isinstance(search, Mapping) and search.get("exclude") is True):
            output, indexed = mark_for_index(output, term.meta.title if term is not None else title, names)
        output, wired = point_to_worker(output)
        if not (indexed and wired):
            missing = " and ".join(what for what, ok in (("Material's <article>", indexed),
                                                         ("Material's search worker in __config", wired)) if not ok)
            self.problems.add(Problem(src_path, None, f"the page cannot be searched: its HTML has no {missing}",
                                      hint="a theme override may have changed Material's base.html; "
                                           "keep its <article class=\"md-content__inner md-typeset\"> and __config"))
        return output

    def search_worker(self, output: str) -> str:
        """A theme page (404.html) wired to Grimoire's search worker; it is not indexed."""
        return point_to_worker(output)[0]

    def finish_search(self, site_dir: Path, report: Callable[[list[Problem]], None] | None = None) -> None:
        """After Material wrote its index: cut it to a stub, then index the site with Pagefind.

        With ``report`` (``mkdocs serve``) indexing runs in the background and
        its problems go to ``report``; a newer build stops it. Else the build
        waits for it and its problems are the build's.
        """
        for problem in write_stub_index(site_dir):
            self.problems.add(problem)
        if report is None:
            for problem in index_site(self.layout.pagefind_dir, site_dir, copy_dir=self._search_copy_dir(site_dir)):
                self.problems.add(problem)
            return
        if self._background is None:
            self._background = BackgroundIndex(self.layout.pagefind_dir, report)
        self._background.start(site_dir, copy_dir=self._search_copy_dir(site_dir))

    def _search_copy_dir(self, site_dir: Path) -> Path:
        """Where Pagefind's lean copy of ``site_dir`` goes: one folder per site, so two builds never share one."""
        return self.layout.cache_dir / "search-copy" / hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:16]

    def open_graph(self, output: str, meta: Mapping[str, object], title: str, url: str | None, home: bool) -> str:
        """The page with Open Graph tags from its (escaped) title and summary (see ``open_graph``)."""
        return with_open_graph(output, meta, title, url, home)

    def new_notices(self) -> list[Problem]:
        """Notices (never failing the build) since the last call: an uncited bibliography entry."""
        fresh = self.citations.notices[self._noticed :]
        self._noticed = len(self.citations.notices)
        return fresh

    def guarded(self, src_path: str, stage: str, step: Callable[[], str], fallback: str) -> str:
        """``step()``; a bug in it becomes one problem and an error box in the page, and the build goes on."""
        return run_guarded(self.problems, src_path, stage, step, fallback)

    def new_problems(self) -> list[Problem]:
        """Problems logged since the last call, for the hooks to print as they come."""
        fresh = self.problems.problems[self._reported :]
        self._reported = len(self.problems.problems)
        return fresh

    def close(self) -> None:
        if self._background is not None:  # a newer build starts, or the session ends: its index would be stale
            self._background.stop()
        self.pool.close(kill=True)
        self.renderer.close()

    def _page_title(self, src_uri: str) -> str | None:
        term = self.glossary.glossary.registry.by_src_uri.get(src_uri)
        return term.meta.title if term is not None else None

    def _display_path(self, abs_src_path: Path, src_path: str) -> str:
        """The path an author opens: relative to the project root when it is inside it."""
        def display() -> str:
            try:
                return abs_src_path.resolve().relative_to(self.layout.root.resolve()).as_posix()
            except ValueError:
                return src_path

        # Resolving asks the file system about every folder on the way: once per serve session.
        return self.memo.get(("display path", str(abs_src_path), src_path), display)


def cross_page_targets(text: str, content: frozenset[str]) -> list[str]:
    """Content pages whose equations ``text`` refers to (``\\eqref{derivations/x#eq:y}``), sorted."""
    found = {f"{m.group('target').split('#')[0].strip()}.md" for m in REFERENCE.finditer(text) if "#" in m.group("target")}
    return sorted(found & content)


def engine_digest() -> str:
    """A digest of the engine's own files (code, scripts, styles): a change renders every page again."""
    root = Path(__file__).resolve().parent
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".js", ".mjs", ".css"))
    return digest(f"{p.relative_to(root).as_posix()}\n{p.read_text('utf-8', errors='replace')}" for p in files)


def snippets_digest(root: Path) -> str:
    """A digest of every file under ``snippets/``: what a formula's check key and mark can depend on."""
    base = root / "snippets"
    files = sorted(p for p in base.rglob("*.py") if p.is_file()) if base.is_dir() else []
    return digest(f"{p.relative_to(base).as_posix()}\n{p.read_text('utf-8', errors='replace')}" for p in files)
