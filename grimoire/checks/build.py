"""The formula checks of one site build: plan, run in the shared pool, mark, report.

``CheckBuild`` is driven by ``SiteBuild``:

1. ``start(pages)``, once the page list is known: reads each page's
   display formulas and blocks, computes each check's cache key, takes
   stored results and queues the rest in the shared worker pool, so checks
   run while MkDocs renders pages.
2. ``placeholder(path, line)``, while a page is typeset: a comment that
   stands for the mark of the formula opening on ``line``.
3. ``fill(html, render)``, when the page is written: waits for that page's
   results and puts each mark in (``render(path, line, result, style)``
   makes its HTML; the coverage page uses another style). The search index never sees a mark: it is built before.
4. ``finish()``: waits for every result, stores the new ones, reports every
   failure as a problem at ``file:line`` (in page and line order), prunes
   results no build has used for a day, and releases the workers.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..figures.snippet_source import SnippetIndex
from ..formulacheck.blocks import CheckBlock, DoctestBlock
from ..formulacheck.pages import Item, items_of_text
from ..memo import Memo
from ..problems import Problem, ProblemLog
from ..workers.pool import SharedPool
from . import jobs
from .cache import ResultCache
from .cache_key import check_key
from .jobs import CheckJob, CheckResult

TIMEOUT_DEFAULT = 30.0


@dataclass
class CheckStats:
    checks: int = 0
    cached: int = 0
    run: int = 0
    failed: int = 0
    seconds: float = 0.0  # wall time the build spent on checks (waiting included)


@dataclass
class _Planned:
    path: str
    item: Item
    key: str
    result: CheckResult | None = None
    queued: bool = False


@dataclass
class CheckBuild:
    root: Path
    cache_dir: Path
    problems: ProblemLog
    macros: dict[str, str]
    pool: SharedPool
    timeout: float = TIMEOUT_DEFAULT
    examples: int | None = None
    # Failed results by key, kept across `mkdocs serve` rebuilds (see FigureBuild.failures).
    failures: dict[str, CheckResult] | None = None
    enabled: bool = True  # False: plan nothing (benchmarks); every mark then says "not checked"
    index: SnippetIndex | None = None  # the build's reading of snippets/, shared with the figures
    # (path, formula line, failing step's line) -> "equation (4)" when that formula is numbered.
    equation_of: Callable[[str, int, int | None], str | None] | None = None
    stats: CheckStats = field(default_factory=CheckStats)
    # Pages' checks and keys kept across `mkdocs serve` rebuilds, under a digest of what keys read
    # besides the page (snippet sources, macros, examples).
    memo: Memo | None = None
    memo_inputs: str = ""

    def __post_init__(self) -> None:
        self.index = self.index or SnippetIndex(self.root)
        self.memo = self.memo or Memo()  # without a serve session's store, it saves repeats within the build
        self.cache = ResultCache(self.cache_dir)
        self._planned: dict[tuple[str, int], _Planned] = {}
        self._page_keys: dict[str, list[str]] = {}
        self._token = secrets.token_hex(6)
        self._slot = re.compile(rf"<!--grimoire-check:{self._token}:(\d+)-->")
        self._slots: list[tuple[str, int, str]] = []
        self._reported = False

    # -- 1. plan ------------------------------------------------------------------

    def start(self, pages: Iterable[tuple[str, str]]) -> None:
        """Plans the checks of ``pages`` ((display path, Markdown text) pairs)."""
        if not self.enabled:
            return
        began = time.perf_counter()
        for path, text in pages:
            for item, key in self.memo.get(("checks", path, text, self.memo_inputs), lambda: self._keyed(path, text)):
                self._plan(path, item, key)
        self.stats.seconds += time.perf_counter() - began

    def _keyed(self, path: str, text: str) -> list[tuple[Item, str]]:
        """The page's checks with their cache keys (nocheck, missing and unreadable blocks are reported
        from the page itself)."""
        return [(item, check_key(item, self.macros, self.index, self.examples)) for item in items_of_text(text, path)
                if isinstance(item.block, (CheckBlock, DoctestBlock))]

    def _plan(self, path: str, item: Item, key: str) -> None:
        planned = _Planned(path, item, key)
        self._planned[(path, item.formula.line)] = planned
        self._page_keys.setdefault(path, []).append(key)
        self.stats.checks += 1
        # A stored result never changes (its key holds every input): a serve session reads it from disk once.
        planned.result = self.memo.find(("check result", key), lambda: self.cache.load(key))
        if planned.result is None and self.failures is not None:
            planned.result = self.failures.get(key)
        if planned.result is not None:
            self.stats.cached += 1
            return
        job = CheckJob(key, str(self.root), item, dict(self.macros), self.examples, self.timeout)
        self.pool.get().submit(job)
        planned.queued = True

    def keys_of(self, path: str) -> list[str]:
        """The cache keys of the checks planned on the page at ``path``: what its marks depend on."""
        return self._page_keys.get(path, [])

    # -- 2. and 3. marks ------------------------------------------------------------

    def placeholder(self, path: str, line: int, style: str = "mark") -> str:
        """A comment standing for the result of the check at ``path:line``, rendered in ``style``."""
        self._slots.append((path, line, style))
        return f"<!--grimoire-check:{self._token}:{len(self._slots) - 1}-->"

    def item(self, path: str, line: int) -> Item | None:
        planned = self._planned.get((path, line))
        return None if planned is None else planned.item

    def result(self, path: str, line: int) -> CheckResult | None:
        """The result of the check of the formula opening on ``line`` (waiting for it); None if unplanned."""
        planned = self._planned.get((path, line))
        if planned is None:
            return None
        return self._resolve(planned).result

    def fill(self, html: str, render: Callable[[str, int, CheckResult | None, str], str]) -> str:
        if "<!--grimoire-check:" not in html:
            return html
        began = time.perf_counter()

        def mark(m: re.Match[str]) -> str:
            index = int(m.group(1))
            if index >= len(self._slots):
                return m.group(0)
            path, line, style = self._slots[index]
            return render(path, line, self.result(path, line), style)

        html = self._slot.sub(mark, html)
        self.stats.seconds += time.perf_counter() - began
        return html

    # -- 4. finish ------------------------------------------------------------------

    def finish(self) -> None:
        began = time.perf_counter()
        for planned in self._planned.values():
            self._resolve(planned)
        if not self._reported:
            self._reported = True
            for (path, _), planned in sorted(self._planned.items()):
                assert planned.result is not None
                if not planned.result.ok:
                    self.stats.failed += 1
                    equation = self.equation_of and self.equation_of(path, planned.item.formula.line,
                                                                     planned.result.step_line)
                    self.problems.add(problem(path, planned.result, equation))
            # Once per `mkdocs serve` session (the memo keeps that it ran): it reads every entry's file.
            self.memo.get(("check cache pruned", str(self.cache.directory)), self.cache.prune)
        self.stats.seconds += time.perf_counter() - began

    def summary(self) -> str:
        s = self.stats
        return (f"{s.checks} formula check{'s' if s.checks != 1 else ''}: {s.cached} cached, {s.run} run, "
                f"{s.failed} failed; {s.seconds:.2f} s waiting on checks")

    def _resolve(self, planned: _Planned) -> _Planned:
        if not planned.queued:
            return planned
        planned.queued = False
        result: CheckResult = self.pool.get().result(planned.key)
        planned.result = result
        self.stats.run += 1
        self.cache.store(result)
        if not result.ok and self.failures is not None:
            self.failures[planned.key] = result
        return planned


_HEADLINE = {
    jobs.FAILED: "formula check failed",
    jobs.INVALID: "check block cannot run",
    jobs.TIMEOUT: "formula check timed out",
    jobs.CRASHED: "the worker running this formula check died",
    jobs.REFUSED: "formula check refused: the bound code tried to change a project file",
}


def split_message(path: str, result: CheckResult) -> tuple[str, str]:
    """(first line without its ``path:line:`` prefix, the remaining lines) of a result's message."""
    first, _, rest = result.message.partition("\n")
    first = re.sub(rf"^{re.escape(path)}:\d+: ", "", first)
    return first, rest


def problem(path: str, result: CheckResult, equation: str | None = None) -> Problem:
    """The build problem of a result that is not a pass; ``equation`` ("equation (4)") names a numbered formula."""
    first, rest = split_message(path, result)
    headline = _HEADLINE.get(result.kind, result.kind)
    if first.startswith("formula check failed"):
        first = first[len("formula check failed") :].lstrip(": ")
    step = f" at step {result.step}" if result.step else ""
    step += f" ({equation})" if equation else ""
    message = f"{headline}{step}" + (f": {first}" if first else "")
    detail = "\n".join(line[2:] if line.startswith("  ") else line for line in rest.splitlines())
    if result.output.strip():
        detail += ("\n" if detail else "") + "printed:\n" + result.output.strip()
    return Problem(path, result.line, message, detail, result.hint)
