"""One build's citation work, driven by ``SiteBuild``.

Order within a build: ``load`` (before any page renders: reads
``references.bib``, every page's citations for the Bibliography, and the
paper pages), then per page ``link`` (Markdown: citations become links, the
References section is appended) and ``finish`` (final HTML: a paper page's
header). A project without ``references.bib`` has no citation pages, and a
citation in it is a problem.

Problems: an unknown key at ``page:line`` with the closest keys, each
problem of ``references.bib`` at its line. An entry no page cites is a
notice (logged at INFO, so ``mkdocs build --strict`` does not fail on it).
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..glossary.frontmatter import body_first_line, body_text
from ..memo import Memo
from ..glossary.registry import Term
from ..problems import Problem, ProblemLog
from .bibfile import BIB_NAME, BibFile, read_bib
from .formatting import Reference, format_references
from .pages import BIBLIOGRAPHY_SRC_URI, PAPERS_SRC_URI, PageRef, bibliography_markdown, paper_header, papers_markdown
from .render import CitationWriter, references_section
from .syntax import find_citations

MAX_PROBLEMS_PER_PAGE = 20


class CitationBuild:
    def __init__(self, root: Path, problems: ProblemLog, urls: Callable[[], Mapping[str, str]]) -> None:
        self.root = root
        self.problems = problems
        self.notices: list[Problem] = []  # reported, never failing the build
        self.urls = urls  # src_uri -> page URL, known once MkDocs has the files
        self.bib: BibFile | None = None
        self.references: dict[str, Reference] = {}
        self._memo = Memo()
        self.cited_by: dict[str, list[PageRef]] = {}  # key -> pages citing it
        self._citing: set[tuple[str, str]] = set()  # (key, src_uri) of cited_by: a work may be cited by thousands
        self.papers: dict[str, PageRef] = {}  # key -> its paper page
        self._paper_keys: dict[str, str] = {}  # paper page src_uri -> key

    @property
    def enabled(self) -> bool:
        return self.bib is not None

    def load(self, terms: Iterable[Term], read: Callable[[Path], str], memo: Memo | None = None) -> None:
        """Reads the bibliography and every page's citations and paper front matter.

        ``memo`` keeps the formatted bibliography and each page's citations across ``mkdocs serve`` rebuilds.
        """
        self._memo = memo = memo or Memo()
        path = self.root / BIB_NAME
        terms = list(terms)
        if path.is_file():
            text = read(path)
            self.bib, self.references, problems = memo.get(("bibliography", text), lambda: self._formatted(text))
            for problem in [*self.bib.problems, *problems]:
                self.problems.add(problem)
        for term in terms:
            self._read_page(term, read(self.root / term.src_uri))
        for refs in self.cited_by.values():
            refs.sort(key=lambda p: p.title.casefold())
        for ref in sorted(self.references.values(), key=lambda r: r.order):
            if ref.key not in self.cited_by and ref.key not in self.papers:
                self.notices.append(Problem(BIB_NAME, self.bib.lines.get(ref.key) if self.bib else None,
                                            f"warning: entry '{ref.key}' is cited by no page",
                                            hint="cite it as [@" + ref.key + "] or remove it"))

    @staticmethod
    def _formatted(text: str) -> tuple[BibFile, dict[str, Reference], list[Problem]]:
        bib = read_bib(text, BIB_NAME)
        references, problems = format_references(bib, BIB_NAME)
        return bib, references, problems

    def _read_page(self, term: Term, text: str) -> None:
        page = PageRef(term.src_uri, term.meta.title, term.meta.tags)
        if term.meta.kind == "paper" and term.meta.cite:
            key = self._known(term.meta.cite)
            if key is None:
                self.problems.add(self._unknown(term.meta.path, term.meta.lines.get("cite"), term.meta.cite))
            else:
                self.papers[key] = page
                self._paper_keys[term.src_uri] = key
        for citation in self._memo.get(("citations", text), lambda: find_citations(body_text(text))):
            for item in citation.items:
                key = self._known(item.key)
                if key is not None and (key, page.src_uri) not in self._citing:
                    self._citing.add((key, page.src_uri))
                    self.cited_by.setdefault(key, []).append(page)

    def _known(self, key: str) -> str | None:
        """The key as the bibliography spells it, or None."""
        entry = self.bib.entry(key) if self.bib else None
        return entry.key if entry is not None and entry.key in self.references else None

    def _unknown(self, path: str, line: int | None, key: str) -> Problem:
        if self.bib is None:
            return Problem(path, line, f"citation @{key}, but the project has no {BIB_NAME}",
                           hint=f"add the work to {BIB_NAME} at the top of the project")
        if self.bib.entry(key) is not None:  # in the file, but broken: reported there
            return Problem(path, line, f"@{key} cites an entry of {BIB_NAME} that could not be read",
                           hint=f"fix the entry at {BIB_NAME}:{self.bib.line(key)}")
        close = difflib.get_close_matches(key, list(self.references), n=3, cutoff=0.5)
        return Problem(path, line, f"unknown citation key @{key}",
                       hint=("closest keys: " + ", ".join(close)) if close else f"add an entry for it to {BIB_NAME}")

    def _href(self, target_src_uri: str, from_src_uri: str) -> str | None:
        urls = self.urls()
        if target_src_uri not in urls or from_src_uri not in urls:
            return None
        here = urls[from_src_uri]
        base = here if here.endswith("/") or not here else posixpath.dirname(here)
        return posixpath.relpath(urls[target_src_uri] or ".", base.rstrip("/") or ".") + (
            "/" if urls[target_src_uri].endswith("/") else ""
        )

    def link(self, markdown: str, src_uri: str, display_path: str, source: str) -> tuple[str, str]:
        """The page's Markdown with its citations written out, and its References section ("" if it cites nothing)."""
        first_line = body_first_line(source)
        own_paper = self._paper_keys.get(src_uri)

        def paper_href(key: str) -> str | None:
            page = self.papers.get(key)
            return self._href(page.src_uri, src_uri) if page is not None and key != own_paper else None

        writer = CitationWriter(self.references, paper_href)
        pieces, last, reported = [], 0, 0
        for citation in find_citations(markdown):
            unknown = [i for i in citation.items if self._known(i.key) is None]
            for item in unknown:
                if reported < MAX_PROBLEMS_PER_PAGE:
                    self.problems.add(self._unknown(display_path, first_line + item.line - 1, item.key))
                reported += 1
            if unknown:
                continue  # left as written
            canonical = [type(i)(self._known(i.key), i.line, i.prefix, i.suffix, i.suppress_author) for i in citation.items]
            pieces += [markdown[last : citation.start], writer.write(type(citation)(citation.start, citation.end, tuple(canonical), citation.narrative))]
            last = citation.end
        if reported > MAX_PROBLEMS_PER_PAGE:
            self.problems.add(Problem(display_path, None, f"{reported - MAX_PROBLEMS_PER_PAGE} more unknown citation keys (not listed)"))
        pieces.append(markdown[last:])
        markdown = "".join(pieces)
        if not writer.occurrences:
            return markdown, ""
        cited = [self.references[key] for key in writer.occurrences]
        return markdown, references_section(cited, writer.occurrences, paper_href)

    def generated_pages(self) -> list[tuple[str, str]]:
        """(site path, Markdown) of the Bibliography and the Papers index (none without ``references.bib``)."""
        if not self.enabled:
            return []
        return [
            (BIBLIOGRAPHY_SRC_URI, bibliography_markdown(self.references, self.cited_by, self.papers)),
            (PAPERS_SRC_URI, papers_markdown(self.papers, self.references)),
        ]

    def finish(self, output: str, src_uri: str) -> str:
        """A paper page's final HTML with its header (reference, venue, links, BibTeX) under the title."""
        key = self._paper_keys.get(src_uri)
        if key is None:
            return output
        article = output.find("<article")
        end = output.find("</h1>", article) if article >= 0 else -1
        if end < 0:
            return output
        end += len("</h1>")
        return output[:end] + paper_header(self.references[key]) + output[end:]


