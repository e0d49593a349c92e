"""The figures of one site build: plan, draw in the background, embed, report.

``FigureBuild`` is driven by the build in four steps:

1. ``start(pages)``, once the page list is known: finds every reference,
   checks it statically (module file, top-level name), computes its cache
   key, loads cached drawings and queues the rest for drawing in parallel.
   Drawing then overlaps with MkDocs rendering the pages.
2. ``embed(html, path, source)``, per page after Markdown: each ``figure:``
   image becomes a ``<figure>`` with a placeholder for its drawing.
3. ``fill(html, path)``, per page at the very end: waits for that page's
   drawings and inlines them (so search indexes captions, not tick labels);
   each failure becomes a problem at the page line of the reference and, in
   the page, a box with the message.
4. ``finish()``: stores what is left in the cache and stops the workers.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..memo import Memo
from ..problems import Problem, ProblemLog
from ..workers.pool import SharedPool
from . import html as figure_html
from . import jobs
from .cache import FigureCache
from .cache_key import figure_key
from .jobs import DrawJob, DrawOutcome
from .references import FigureTarget, SourceReference, find_references, parse_target
from .reports import figure_problem, warning_problem
from .settings import FigureSettings
from .snippet_source import SnippetIndex
from .style import style_path
from .svg import namespace_ids


@dataclass
class FigureStats:
    references: int = 0
    figures: int = 0  # distinct targets
    cached: int = 0
    drawn: int = 0
    failed: int = 0
    seconds: float = 0.0  # wall time the build spent in figure work (waiting included)


@dataclass
class _Plan:
    text: str  # what follows `figure:`
    target: FigureTarget | None
    module_path: str
    key: str | None = None
    def_line: int | None = None
    svg: str | None = None
    outcome: DrawOutcome | None = None  # a failure, static or from the worker
    candidates: tuple[str, ...] = ()
    queued: bool = False


@dataclass
class _Placement:
    path: str
    line: int | None
    text: str
    missing_alt: bool = False


@dataclass
class FigureBuild:
    root: Path
    cache_dir: Path
    problems: ProblemLog
    settings: FigureSettings = field(default_factory=FigureSettings)
    # (module path, line, page site path) -> link to the source, or None for a plain label
    source_href: Callable[[str, int | None, str], str] | None = None
    pool: SharedPool | None = None  # shared with the formula checks; made from settings when None
    # Failed outcomes by cache key, kept across `mkdocs serve` rebuilds: a failing function is not
    # run again until its key changes (what it wrote could otherwise trigger rebuild after rebuild).
    failures: dict[str, DrawOutcome] | None = None
    index: SnippetIndex | None = None  # the build's reading of snippets/, shared with the checks
    memo: Memo | None = None  # kept across `mkdocs serve` rebuilds: references by page text, drawings by key

    def __post_init__(self) -> None:
        self.index = self.index or SnippetIndex(self.root)
        self.memo = self.memo or Memo()
        self.cache = FigureCache(self.cache_dir)
        self.style = style_path(self.root)
        self.stats = FigureStats()
        self._own_pool = self.pool is None
        self._plans: dict[str, _Plan] = {}
        self._sources: dict[str, list[SourceReference]] = {}
        self._placements: dict[int, _Placement] = {}
        self._tokens = 0

    # -- the four steps ---------------------------------------------------------

    def start(self, pages: Iterable[tuple[str, Path]], read: Callable[[Path], str] | None = None) -> None:
        """Plans every reference of ``pages`` ((display path, file) pairs; Markdown only).

        ``read`` gives a file's text (a build passes its cache of sources).
        """
        began = time.perf_counter()
        for path, abs_path in pages:
            if abs_path.suffix != ".md":
                continue
            text = read(abs_path) if read is not None else abs_path.read_text(encoding="utf-8")
            refs = self.memo.get(("figure references", text), lambda: find_references(text))
            self._sources[path] = refs
            for ref in refs:
                self._plan(ref.target)
        self.stats.seconds += time.perf_counter() - began

    def keys_of(self, path: str) -> list[str]:
        """The cache keys of the figures the page at ``path`` references: what its drawings depend on."""
        return [self._plans[ref.target].key or ref.target for ref in self._sources.get(path, [])]

    def embed(self, html: str, path: str, source: str, page_uri: str | None = None) -> str:
        """``html`` with each ``figure:`` image replaced by a figure awaiting its drawing.

        ``page_uri`` is the page's site path, for source links (default ``path``).
        """
        images = figure_html.find_images(html)
        if not images:
            return html
        began = time.perf_counter()
        refs = self._sources.get(path)
        if refs is None:
            refs = self._sources[path] = find_references(source)
        lines = _match_lines([i.target for i in images], refs)
        pieces, last = [], 0
        for image, line in zip(images, lines):
            plan = self._plan(image.target)
            self.stats.references += 1
            self._tokens += 1
            self._placements[self._tokens] = _Placement(path, line, image.target, not image.alt)
            href = self.source_href(plan.module_path, plan.def_line, page_uri or path) if self.source_href else None
            source_link = figure_html.source_link_html(plan.module_path, plan.def_line, href)
            pieces.append(html[last : image.start])
            pieces.append(figure_html.figure_html(self._tokens, image.alt, image.caption, source_link))
            last = image.end
        pieces.append(html[last:])
        self.stats.seconds += time.perf_counter() - began
        return "".join(pieces)

    def fill(self, html: str, path: str) -> str:
        """``html`` with every placeholder replaced by its drawing (waiting for it if needed)."""
        if "<!--grimoire-figure:" not in html:
            return html
        began = time.perf_counter()
        seen: Counter[str] = Counter()

        def drawing(token: int) -> str:
            placement = self._placements.get(token)
            if placement is None:
                return ""
            if placement.missing_alt:  # reported here, so a page's problems come in line order
                self.problems.add(
                    Problem(
                        placement.path,
                        placement.line,
                        f"figure `{placement.text}` has no alt text",
                        hint="describe what the plot shows: ![Alt text](figure:module.function \"Caption\")",
                    )
                )
            plan = self._resolve(self._plans[placement.text])
            if plan.svg is not None:
                for warning in plan.outcome.warnings if plan.outcome else ():
                    self.problems.add(warning_problem(placement.path, placement.line, plan.text, warning))
                prefix = f"g{(plan.key or '')[:10]}"
                seen[prefix] += 1
                if seen[prefix] > 1:
                    prefix += f"-{seen[prefix]}"
                return figure_html.inline_svg(namespace_ids(plan.svg, prefix))
            assert plan.outcome is not None
            problem = figure_problem(
                placement.path,
                placement.line,
                plan.text,
                plan.module_path,
                plan.def_line,
                plan.outcome,
                plan.candidates,
                self.settings.timeout,
            )
            self.problems.add(problem)
            return figure_html.error_html(problem.format())

        html = figure_html.fill_placeholders(html, drawing)
        self.stats.seconds += time.perf_counter() - began
        return html

    def finish(self) -> None:
        """Waits for drawings no page asked for, caches them, and stops the workers."""
        began = time.perf_counter()
        for plan in self._plans.values():
            self._resolve(plan)
        self.close(kill=False)
        self.stats.seconds += time.perf_counter() - began

    def summary(self) -> str:
        """One line for the build log: what was drawn, what came from the cache."""
        s = self.stats
        return (
            f"{s.figures} figure{'s' if s.figures != 1 else ''}: {s.cached} cached, {s.drawn} drawn, "
            f"{s.failed} failed; {s.seconds:.2f} s waiting on figures"
        )

    def close(self, kill: bool = True) -> None:
        if self._own_pool and self.pool is not None:
            self.pool.close(kill=kill)

    # -- planning and drawing -------------------------------------------------

    def _plan(self, text: str) -> _Plan:
        plan = self._plans.get(text)
        if plan is not None:
            return plan
        target = parse_target(text)
        if target is None:
            plan = _Plan(text, None, "snippets/", outcome=DrawOutcome("", jobs.BAD_TARGET))
        else:
            plan = self._plan_target(text, target)
        self._plans[text] = plan
        self.stats.figures += 1
        return plan

    def _plan_target(self, text: str, target: FigureTarget) -> _Plan:
        plan = _Plan(text, target, target.module_path)
        module = self.index.module(target.module)
        if module is None:
            plan.outcome = DrawOutcome("", jobs.MISSING_MODULE)
            plan.candidates = tuple(self.index.module_names())
            return plan
        plan.module_path = module.rel_path
        if module.syntax_ok and target.function not in module.bound:
            plan.outcome = DrawOutcome("", jobs.MISSING_FUNCTION)
            plan.candidates = tuple(module.functions)
            return plan
        plan.def_line = module.functions.get(target.function)
        plan.key = figure_key(self.index, target, self.style)
        key = plan.key
        plan.svg = self.memo.find(("drawing", key), lambda: self.cache.load(key))
        if plan.svg is not None:
            self.stats.cached += 1
            return plan
        remembered = self.failures.get(plan.key) if self.failures is not None else None
        if remembered is not None:
            plan.outcome = remembered
            self.stats.failed += 1
            return plan
        if self.pool is None:
            self.pool = SharedPool(self.settings.workers, grace=self.settings.grace)
        self.pool.get().submit(
            DrawJob(
                key=plan.key,
                root=str(self.root),
                module=target.module,
                function=target.function,
                style_path=None if self.style is None else str(self.style),
                timeout=self.settings.timeout,
            )
        )
        plan.queued = True
        return plan

    def _resolve(self, plan: _Plan) -> _Plan:
        if not plan.queued or plan.key is None:
            return plan
        plan.queued = False
        assert self.pool is not None
        outcome = self.pool.get().result(plan.key)
        plan.outcome = outcome
        if outcome.ok and outcome.svg is not None:
            plan.svg = outcome.svg
            self.stats.drawn += 1
            if not outcome.warnings:  # drawn again next time, so the warning is seen again
                self.cache.store(plan.key, outcome.svg)
        else:
            self.stats.failed += 1
            if self.failures is not None:
                self.failures[plan.key] = outcome
        return plan


def _match_lines(targets: list[str], refs: list[SourceReference]) -> list[int | None]:
    """The source line of each rendered image: the n-th image of a target is its n-th reference."""
    by_target: dict[str, list[int]] = {}
    for ref in refs:
        by_target.setdefault(ref.target, []).append(ref.line)
    used: Counter[str] = Counter()
    lines: list[int | None] = []
    for target in targets:
        candidates = by_target.get(target, [])
        lines.append(candidates[used[target]] if used[target] < len(candidates) else None)
        used[target] += 1
    return lines
