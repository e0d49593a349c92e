"""What a reader sees of the formula checks: a mark under each display formula,
and a page listing every formula of the site with the result of its check.

A mark joins the formula's static status (``formulacheck.status``: which
block, which implementation, read from the page without running anything)
with the result of its check in this build (``checks``): a "✓" only where
this build ran the check and it passed, a red "✗" with the counterexample
otherwise. The details (what it was checked against, on which inputs,
typeset in the formula's own notation) show on hover and keyboard focus.
A formula without a block, or with a block that cannot be read, is a build
problem, so coverage cannot silently erode.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .checks import jobs
from .checks.build import split_message
from .checks.jobs import CheckResult
from .formulacheck.extract import extract_formulas
from .formulacheck.status import CHECKED, DOCTEST, INVALID, MISSING, NOCHECK, FormulaStatus, formula_statuses
from .markdown_text import markdown_literal
from .problems import Problem

COVERAGE_SRC_URI = "formulas.md"
# The parts of the listing: formulas/<n>.md, at most PART_FORMULAS formulas each.
COVERAGE_PART_DIR = "formulas"
# Material's wrapper of Markdown tables: a wide table scrolls sideways on a phone instead of leaving the page.
SCROLL_OPEN = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
SCROLL_CLOSE = "</div></div>"
PART_FORMULAS = 25  # about 200 KB of HTML: a formula with its typeset result takes about 8 KB
_CHECK_BLOCK = re.compile(r"^[ \t]*<!--\s*(?:check-doctest|check|nocheck)\b.*?-->", re.DOTALL | re.MULTILINE)
_LABEL = {
    CHECKED: "checked",
    DOCTEST: "checked by example",
    NOCHECK: "not checked",
    MISSING: "no check block",
    INVALID: "unreadable check block",
}

# (module path, line, page site path) -> relative link to the source
SourceHref = Callable[[str, "int | None", str], str]


@dataclass(frozen=True)
class PageFormulas:
    src_uri: str
    path: str  # project-relative, for messages
    statuses: list[FormulaStatus]
    latex: dict[int, str]  # opening line -> TeX

    @functools.cached_property
    def _by_line(self) -> dict[int, FormulaStatus]:
        return {s.line: s for s in self.statuses}

    def status_at(self, tex_line: int | None) -> FormulaStatus | None:
        """The status of the formula whose TeX starts on ``tex_line`` (or whose $$ opens there)."""
        if tex_line is None:
            return None
        return self._by_line.get(tex_line - 1) or self._by_line.get(tex_line)


def strip_check_blocks(markdown: str) -> str:
    """``markdown`` without its check blocks, line count kept.

    They are for the checker, not the reader; left in, an HTML comment right
    after a formula holding ``<`` makes Markdown swallow the formula as raw HTML.
    """
    return _CHECK_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)


def read_page(src_uri: str, path: str, text: str, root: Path | None = None) -> tuple[PageFormulas, list[Problem]]:
    """The statuses of a page's formulas (``root``: the project whose snippets implement them)."""
    statuses = formula_statuses(text, path, root)
    latex = {f.line: f.latex for f in extract_formulas(text, path)}
    problems = []
    for s in statuses:
        if s.status == MISSING:
            problems.append(
                Problem(
                    path,
                    s.line,
                    "display formula has no check block",
                    hint="follow it with <!-- check ... -->, <!-- check-doctest ... --> or <!-- nocheck: reason -->",
                )
            )
        elif s.status == INVALID:
            problems.append(Problem(path, s.line, "check block cannot be read", detail=s.reason or ""))
    return PageFormulas(src_uri, path, statuses, latex), problems


def _implementations_html(status: FormulaStatus, src_uri: str, href: SourceHref) -> str:
    links = []
    for impl in status.implementations:
        short = html.escape(impl.name.rsplit(".", 1)[-1])
        if impl.path and impl.path.startswith("snippets/"):
            url = html.escape(href(impl.path, impl.line, src_uri))
            links.append(f'<a href="{url}" title="{html.escape(impl.name)}"><code>{short}</code></a>')
        else:
            links.append(f"<code>{short}</code>")
    return ", ".join(links)


# Typesets inline TeX (the domain of a check) into HTML for a mark.
Typeset = Callable[[str], str]


@dataclass(frozen=True)
class MarkView:
    """What a mark shows: its symbol, a short label, its state class and the details."""

    state: str  # passed, failed, nocheck, experiment, or a CheckResult kind
    symbol: str
    label: str
    details: str  # HTML


def mark_view(status: FormulaStatus, result: CheckResult | None, path: str, src_uri: str, href: SourceHref,
              typeset: Typeset, domain: str = "", experiment: str | None = None,
              equation: str | None = None) -> MarkView:
    """The mark of one display formula: its static status joined with this build's result.

    ``equation`` ("equation (4)") names a numbered formula in a failure's label.
    """
    what = _implementations_html(status, src_uri, href)
    if status.status in (MISSING, INVALID):
        return MarkView(status.status, "✗", _LABEL[status.status], html.escape(status.reason or ""))
    if status.status == NOCHECK:
        return MarkView("nocheck", "○", "not checked", html.escape(status.reason or ""))
    if result is None:  # a check no job was planned for: never a silent pass
        return MarkView("unchecked", "✗", "not checked in this build", "")
    if result.ok and status.status == DOCTEST:
        reason = html.escape(experiment or "a worked example run in this build")
        against = f" Code: {what}." if what else ""
        return MarkView("experiment", "✓", "checked by experiment", f"Checked by experiment: {reason}.{against}")
    if result.ok:
        on = f" on {typeset(domain)}" if domain else " on the values written in the formula"
        return MarkView("passed", "✓", "checked",
                        f"Checked in this build: evaluated from this LaTeX and compared with {what or 'the code'}"
                        f"{on}.")
    first, rest = split_message(path, result)
    step = f" at step {result.step}" if result.step else ""
    step += f" ({equation})" if equation else ""
    label = {jobs.FAILED: f"check failed{step}", jobs.INVALID: "check cannot run",
             jobs.TIMEOUT: "check timed out", jobs.CRASHED: "check crashed",
             jobs.REFUSED: "check refused"}.get(result.kind, result.kind)
    body = "\n".join(part for part in (first, rest) if part)
    details = f"<pre>{html.escape(body)}</pre>" + (f"<p>{html.escape(result.hint)}</p>" if result.hint else "")
    return MarkView(result.kind, "✗", label, details)


def mark_html(view: MarkView, line: int) -> str:
    """The small mark under a display formula; its details show on hover and keyboard focus."""
    anchor = f"formula-{line}"
    return (
        # Out of the search index: a mark's label and details are no answer to a query.
        f'<div class="grimoire-check grimoire-check--{view.state}" id="{anchor}" data-search-exclude>'
        f'<span class="grimoire-check__mark" tabindex="0" aria-describedby="{anchor}-details">'
        f'<span aria-hidden="true">{view.symbol}</span> <span class="grimoire-check__label">'
        f"{html.escape(view.label)}</span></span>"
        f'<span class="grimoire-check__details" role="tooltip" id="{anchor}-details">{view.details}</span>'
        "</div>"
    )


PASSING = frozenset({"passed", "experiment", "nocheck"})


@dataclass(frozen=True)
class CoveragePart:
    """One page of the coverage listing: consecutive content pages with at most ``PART_FORMULAS`` formulas
    between them (a page with more stands alone)."""

    src_uri: str
    title: str
    pages: tuple[PageFormulas, ...]

    @property
    def formula_count(self) -> int:
        return sum(len(p.statuses) for p in self.pages)


def coverage_parts(pages: Sequence[PageFormulas], titles: Callable[[PageFormulas], str]) -> list[CoveragePart]:
    """The pages that have formulas, in order, cut into parts of at most ``PART_FORMULAS`` formulas.

    One listing of every formula grows with the site (12 MB at 500 pages); parts keep each page of it
    about the size of a content page, and a change re-renders only its part.
    """
    groups: list[list[PageFormulas]] = []
    count = 0
    for page in (p for p in pages if p.statuses):
        if not groups or count + len(page.statuses) > PART_FORMULAS:
            groups.append([])
            count = 0
        groups[-1].append(page)
        count += len(page.statuses)
    parts = []
    for number, group in enumerate(groups, 1):
        first, last = titles(group[0]), titles(group[-1])
        span = first if len(group) == 1 else f"{first} – {last}"
        parts.append(CoveragePart(f"{COVERAGE_PART_DIR}/{number}.md", f"Formulas: {span}", tuple(group)))
    return parts


def _front_matter(title: str, summary: str) -> list[str]:
    # A part's title comes from authors' front matter: a JSON string is a YAML string, never read as syntax.
    return ["---", f"title: {json.dumps(title)}", f"summary: {summary}", "search:", "  exclude: true", "---", ""]


def coverage_overview_markdown(parts: Sequence[CoveragePart], summary: str) -> str:
    """The formula coverage page: this build's counts (``summary``, or a placeholder for them) and the parts."""
    lines = [
        *_front_matter("Formula coverage", "Every display formula of the site and the result of its check in "
                       "this build."),
        "# Formula coverage",
        "",
        summary,
        "",
        "A checked formula is evaluated from the LaTeX shown on its page and compared with the Python in "
        "`snippets/` on many inputs drawn by hypothesis; a statement checked by experiment runs a worked "
        "example or a seeded simulation. Every check runs as part of the build that made this page. "
        "The formulas are listed in parts, each a few pages of the site:",
        "",
        f'{SCROLL_OPEN}<table class="grimoire-coverage-parts">',
        "<thead><tr><th>Part</th><th>Pages</th><th>Formulas</th></tr></thead>",
        "<tbody>",
    ]
    for number, part in enumerate(parts, 1):
        first, last = part.pages[0].path, part.pages[-1].path
        names = html.escape(first) if len(part.pages) == 1 else (
            f"{html.escape(first)} – {html.escape(last)} ({len(part.pages)} pages)")
        lines.append(f'<tr><td><a href="{number}/">{number}</a></td><td>{names}</td>'
                     f"<td>{part.formula_count}</td></tr>")
    lines += ["</tbody>", f"</table>{SCROLL_CLOSE}"]
    return "\n".join(lines) + "\n"


def coverage_part_markdown(part: CoveragePart, cell: Callable[[PageFormulas, FormulaStatus], str],
                           typeset_display: Callable[[str], str]) -> str:
    """One part of the coverage listing.

    ``cell`` gives the status cell of a formula (this build's result, or a
    placeholder for it) and ``typeset_display`` turns display TeX into page HTML.
    """
    lines = [*_front_matter(part.title, "The display formulas of a few pages and the results of their checks "
                            "in this build."),
             f"# {markdown_literal(part.title)}", "", "[All parts of the formula coverage](../formulas.md)"]
    for page in part.pages:
        lines += ["", f"## {html.escape(page.path)}", "", f'{SCROLL_OPEN}<table class="grimoire-coverage">',
                  "<thead><tr><th>Line</th><th>Formula</th><th>Result</th></tr></thead>", "<tbody>"]
        target = "../../" + posixpath.splitext(page.src_uri)[0] + "/"
        for s in page.statuses:
            tex = page.latex.get(s.line, "")
            lines.append(
                f'<tr><td><a href="{target}#formula-{s.line}">{s.line}</a></td>'
                f"<td>{typeset_display(tex)}</td><td>{cell(page, s)}</td></tr>"
            )
        lines += ["</tbody>", f"</table>{SCROLL_CLOSE}"]
    return "\n".join(lines) + "\n"


def coverage_summary(states: Sequence[str]) -> str:
    """The counts line of the coverage page from every formula's mark state."""
    counts = Counter(states)
    total = len(states)
    failing = total - sum(counts[s] for s in PASSING)
    parts = [f"{counts['passed']} checked from their LaTeX against their implementation",
             f"{counts['experiment']} checked by experiment", f"{counts['nocheck']} not checked (notation)"]
    if failing:
        parts.append(f"{failing} failing or without a usable check")
    return f"{total} display formulas, results of this build: " + ", ".join(parts) + "."


def coverage_cell(view: MarkView) -> str:
    """A formula's result on the coverage page."""
    return (f'<span class="grimoire-coverage__state grimoire-coverage--{view.state}">{view.symbol} '
            f"{html.escape(view.label)}</span><br>{view.details}")
