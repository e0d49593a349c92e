"""What a reader sees of the formula checks: a mark under each display formula,
and a page listing every formula of the site with its status.

The statuses come from ``formulacheck.status`` (read from the page and its
check blocks, no check is run at build time; the test suite runs them). A
formula without a block, or with a block that cannot be read, is a build
problem, so coverage cannot silently erode.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .formulacheck.extract import extract_formulas
from .formulacheck.status import CHECKED, DOCTEST, INVALID, MISSING, NOCHECK, FormulaStatus, formula_statuses
from .problems import Problem

COVERAGE_SRC_URI = "formulas.md"
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


def read_page(src_uri: str, path: str, text: str) -> tuple[PageFormulas, list[Problem]]:
    statuses = formula_statuses(text, path)
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


def mark_html(status: FormulaStatus, src_uri: str, href: SourceHref) -> str:
    """The small mark under a display formula."""
    css = f"grimoire-check grimoire-check--{status.status}"
    anchor = f'id="formula-{status.line}"'
    label = _LABEL[status.status]
    if status.status == CHECKED:
        what = _implementations_html(status, src_uri, href)
        domain = html.escape(status.domain)
        body = f"✓ {label} against {what} on {domain}"
        tip = "Evaluated from this LaTeX and compared with the implementation on random inputs"
    elif status.status == DOCTEST:
        what = _implementations_html(status, src_uri, href)
        body = f"✓ {label}" + (f": {what}" if what else "")
        tip = "A statement checked by a worked example or a Monte Carlo run in the test suite"
    else:
        body = f"○ {label}"
        tip = status.reason or ""
    return f'<div {anchor} class="{css}" title="{html.escape(tip)}" tabindex="0">{body}</div>'


def coverage_markdown(
    pages: Sequence[PageFormulas], href: SourceHref, typeset: Callable[[str], str]
) -> str:
    """The formula coverage page; ``typeset`` turns display TeX into page HTML."""
    counts = Counter(s.status for p in pages for s in p.statuses)
    total = sum(counts.values())
    lines = [
        "---",
        "title: Formula coverage",
        "summary: Every display formula of the site and how it is checked against its implementation.",
        "search:",
        "  exclude: true",
        "---",
        "",
        "# Formula coverage",
        "",
        f"{total} display formulas: {counts[CHECKED]} checked against their implementation on generated "
        f"inputs, {counts[DOCTEST]} checked by example, {counts[NOCHECK]} not checked (each with its reason)"
        + (f", {counts[MISSING] + counts[INVALID]} without a usable check block" if counts[MISSING] + counts[INVALID] else "")
        + ".",
        "",
        "A checked formula is evaluated from the LaTeX shown on its page and compared with the Python in "
        "`snippets/` on many inputs drawn by hypothesis; `make test` runs every check.",
    ]
    for page in pages:
        if not page.statuses:
            continue
        lines += ["", f"## {html.escape(page.path)}", "", '<table class="grimoire-coverage">',
                  "<thead><tr><th>Line</th><th>Formula</th><th>Status</th></tr></thead>", "<tbody>"]
        target = "../" + page.src_uri[: -len(".md")] + "/"
        for s in page.statuses:
            tex = page.latex.get(s.line, "")
            if s.status in (CHECKED, DOCTEST):
                what = _implementations_html(s, COVERAGE_SRC_URI, href)
                detail = f"{_LABEL[s.status]}: {what}" + (f" on {html.escape(s.domain)}" if s.status == CHECKED else "")
            else:
                detail = f"{_LABEL[s.status]}: {html.escape(s.reason or '')}"
            lines.append(
                f'<tr class="grimoire-coverage--{s.status}"><td><a href="{target}#formula-{s.line}">{s.line}</a></td>'
                f"<td>{typeset(tex)}</td><td>{detail}</td></tr>"
            )
        lines += ["</tbody>", "</table>"]
    return "\n".join(lines) + "\n"
