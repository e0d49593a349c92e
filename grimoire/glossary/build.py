"""One build's glossary work, driven by ``SiteBuild``: links, backlinks, cards, index.

Order within a build: ``load`` (all sources, before any page renders), then
per page ``link`` (Markdown) and ``cards`` (final HTML). A term's names reach
the search through ``search.page_markup``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..markdown_text import markdown_literal
from ..mathrender.katex_process import RenderRequest
from ..mathrender.renderer import MathRenderer
from ..problems import ProblemLog
from ..memo import Memo
from .cards import card_template, cards_block
from .frontmatter import body_first_line
from .index_page import INDEX_SRC_URI, SECTION_INDEXES, index_markdown, section_index_markdown
from .model import Glossary, load_glossary
from .references import link_for, link_terms
from .registry import Term, TermRegistry

RELATED_HEADING = "## Related { #related }"
USED_IN_HEADING = "## Used in { #used-in }"
# Many pages can use a term: the list flows into columns (grimoire.css) instead of running down the page.
USED_IN_OPEN = '<div class="grimoire-used-in" markdown>'


class GlossaryBuild:
    def __init__(self, root: Path, renderer: MathRenderer, problems: ProblemLog) -> None:
        self.root = root
        self.renderer = renderer
        self.problems = problems
        self.glossary = Glossary(TermRegistry([]))
        self.urls: dict[str, str] = {}  # src_uri -> page URL
        self._linked: dict[str, list[Term]] = {}  # src_uri -> terms the page links to
        self._formula_html: dict[str, str | None] = {}

    def load(self, content: list[str], read: Callable[[Path], str], memo: Memo | None = None) -> None:
        self.glossary = load_glossary(self.root, content, read, memo)
        for problem in self.glossary.problems:
            self.problems.add(problem)

    def index_page(self) -> tuple[str, str]:
        """(site path, Markdown) of the generated A-Z index."""
        return INDEX_SRC_URI, index_markdown(self.glossary.terms_in("glossary"))

    def section_indexes(self) -> list[tuple[str, str]]:
        """(site path, Markdown) of each generated section index (derivations: each result with its summary)."""
        pages = []
        for section in SECTION_INDEXES:
            terms = self.glossary.terms_in(section)
            if terms and f"{section}/index.md" not in self.glossary.registry.by_src_uri:
                pages.append(section_index_markdown(section, terms))
        return pages

    def link(self, markdown: str, src_uri: str, display_path: str, source: str) -> str:
        """The page's Markdown with term references linked (its generated sections come from ``sections``)."""
        first_line = body_first_line(source)
        linked: list[Term] = []
        markdown, problems = link_terms(
            markdown, src_uri, display_path, first_line, self.glossary.registry, linked.append
        )
        for problem in problems:
            self.problems.add(problem)
        term = self.glossary.registry.by_src_uri.get(src_uri)
        linked += self.glossary.related.get(term.slug, []) if term else []
        self._linked[src_uri] = list(dict.fromkeys(linked))
        return markdown

    def sections(self, src_uri: str) -> str:
        """A term page's generated Markdown: its Related terms and the pages it is Used in.

        The engine writes it, so the bounds on what an author writes (``markdown_bounds``) do not
        apply: "Used in" grows with the site, one list item per page, and a list's items are parsed
        one by one.
        """
        term = self.glossary.registry.by_src_uri.get(src_uri)
        if term is None:
            return ""
        markdown = ""
        related = self.glossary.related.get(term.slug, [])
        if related:
            # The front matter's `related` is the one source of the section: each term with its summary.
            items = [f"- {link_for(r, r.meta.title, src_uri)} — {markdown_literal(r.meta.summary)}" for r in related]
            markdown += "\n\n" + RELATED_HEADING + "\n\n" + "\n".join(items) + "\n"
        referrers = self.glossary.backlinks.get(term.slug, [])
        if referrers:
            # No hover cards for "Used in": a term used on thousands of pages would carry thousands of cards.
            items = [f"- {link_for(r, r.meta.title, src_uri)}" for r in referrers]
            markdown += "\n\n" + USED_IN_HEADING + "\n\n" + USED_IN_OPEN + "\n\n" + "\n".join(items) + "\n\n</div>\n"
        return markdown

    def cards(self, src_uri: str) -> str:
        """The hidden card templates for the terms this page links to."""
        terms = self._linked.get(src_uri, [])
        return cards_block([card_template(t, self._formula(t)) for t in terms])

    def _formula(self, term: Term) -> str | None:
        """The term's defining formula, typeset (cached); None when it has none or it fails."""
        if term.slug not in self._formula_html:
            tex = self.glossary.formulas.get(term.slug)
            html = None
            if tex is not None:
                (result,) = self.renderer.render([RenderRequest(tex, True)])
                html = result.html  # a failure is reported where the formula stands
            self._formula_html[term.slug] = html
        return self._formula_html[term.slug]
