"""One build's equation work, driven by ``SiteBuild``.

Order within a build: ``collect`` (every page's labels and numbers, before
any page renders, so a reference may cite another page), then per page
``link`` (Markdown: references become links), ``display`` (while typesetting:
a labelled formula's tagged TeX and anchors) and ``cards`` (final HTML).
``equation_name`` names the equation of a failing formula check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..memo import Memo
from ..mathrender.katex_process import RenderRequest
from ..mathrender.renderer import MathRenderer
from ..problems import ProblemLog
from ..glossary.cards import cards_block
from .cards import card_id, equation_card
from .numbering import NumberedDisplay, PageEquations, number_page
from .references import Resolved, link_references, page_key


class EquationBuild:
    def __init__(self, renderer: MathRenderer, problems: ProblemLog,
                 title_of: Callable[[str], str | None] = lambda src_uri: None, memo: Memo | None = None) -> None:
        self.memo = memo or Memo()  # numbered pages, kept across `mkdocs serve` rebuilds
        self.renderer = renderer
        self.problems = problems
        self.title_of = title_of  # a page's title, for cards citing another page
        self.pages: dict[str, PageEquations] = {}  # page key (path without .md) -> its equations
        self._by_src: dict[str, PageEquations] = {}
        self._by_path: dict[str, PageEquations] = {}
        self._cited: dict[str, list[Resolved]] = {}  # src_uri -> equations it cites, in order

    def collect(self, pages: Iterable[tuple[str, str, str]]) -> None:
        """Numbers every page's equations ((src path, display path, Markdown text) triples)."""
        for src_uri, path, text in pages:
            page, problems = self.memo.get(("equations", src_uri, path, text), lambda: number_page(text, src_uri, path))
            self.pages[page_key(src_uri)] = page
            self._by_src[src_uri] = page
            self._by_path[path] = page
            for problem in problems:
                self.problems.add(problem)

    def link(self, markdown: str, src_uri: str, path: str, first_line: int) -> str:
        """The page's Markdown with every equation reference a link (or "(??)" and a problem)."""
        here = self._by_src.get(src_uri) or PageEquations(src_uri, path)
        cited: list[Resolved] = []
        index: dict[tuple[str, str], int] = {}  # (page, label) -> its card's index: one card per equation

        def card(resolved: Resolved) -> str:
            key = (resolved.page.src_uri, resolved.equation.label)
            if key not in index:
                index[key] = len(cited)
                cited.append(resolved)
            return card_id(index[key])

        markdown, problems = link_references(markdown, src_uri, path, first_line, here, self.pages, card)
        for problem in problems:
            self.problems.add(problem)
        self._cited[src_uri] = cited
        return markdown

    def display(self, src_uri: str, tex_line: int | None) -> NumberedDisplay | None:
        """The labelled display formula whose TeX starts on ``tex_line`` of the page, if any."""
        page = self._by_src.get(src_uri)
        return None if page is None else page.display_at(tex_line)

    def anchor_ids(self, src_uri: str) -> list[str]:
        """The page's equation labels: the ids its typeset displays carry."""
        page = self._by_src.get(src_uri)
        return [] if page is None else list(page.equations)

    def cards(self, src_uri: str) -> str:
        """The hidden block of card templates of the equations the page cites ("" if none)."""
        templates = []
        for index, resolved in enumerate(self._cited.get(src_uri, [])):
            display = resolved.page.display_opening(resolved.equation.formula_line)
            formula = None
            if display is not None:
                (result,) = self.renderer.render([RenderRequest(display.tex, True)])
                formula = result.html  # a failure is reported where the formula stands
            other = resolved.page.src_uri != src_uri
            title = (self.title_of(resolved.page.src_uri) or resolved.page.path) if other else None
            templates.append(equation_card(index, resolved.equation.number, title, formula))
        return cards_block(templates)

    def equation_name(self, path: str, formula_line: int, step_line: int | None) -> str | None:
        """"equation (4)" for the display opening on ``formula_line`` (the row of ``step_line``), if numbered."""
        page = self._by_path.get(path)
        display = page.display_opening(formula_line) if page is not None else None
        number = display.number_at(step_line) if display is not None else None
        return None if number is None else f"equation ({number})"
