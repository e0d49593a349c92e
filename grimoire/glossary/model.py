"""Reads every content page once before the build renders any: terms, backlinks, formulas.

Backlinks need every page's references before the first term page is
rendered, so they come from this pre-pass over the sources, not from
rendering.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from ..equations.syntax import LABEL
from ..memo import Memo
from ..markdown_text import blank_code
from ..notebook_page import front_matter_text, markdown_text
from ..problems import Problem
from .frontmatter import PageMeta, body_text, read_meta
from .references import Reference, find_references
from .registry import Term, TermRegistry

_DISPLAY = re.compile(r"^[ \t]*\$\$(.+?)\$\$", re.DOTALL | re.MULTILINE)


@dataclass
class Glossary:
    registry: TermRegistry
    backlinks: dict[str, list[Term]] = field(default_factory=dict)  # slug -> referring pages
    formulas: dict[str, str] = field(default_factory=dict)  # slug -> first display formula
    related: dict[str, list[Term]] = field(default_factory=dict)  # slug -> its `related` terms, in order
    problems: list[Problem] = field(default_factory=list)

    def terms_in(self, section: str) -> list[Term]:
        return [t for t in self.registry.terms if t.section == section]


def first_display_formula(body: str) -> str | None:
    """The first ``$$...$$`` formula outside fenced code: a term's defining formula (without its ``\\label``)."""
    m = _DISPLAY.search(blank_code(body, spans=False))
    return LABEL.sub("", body[m.start(1) : m.end(1)]).strip() if m else None


def _read_file(path: Path) -> str:
    return path.read_text("utf-8")


def _notebook_meta(rel: str, text: str) -> tuple[PageMeta | None, list[Problem], str]:
    """A notebook's front matter (its first raw cell), problems at file lines, and its Markdown."""
    yaml_text, first_line = front_matter_text(text)
    if not yaml_text:
        return None, [
            Problem(rel, 1, "notebook has no front matter",
                    hint="make its first cell a raw cell holding ---, title: ..., summary: ..., --- (as in a page)")
        ], markdown_text(text)
    meta, found = read_meta(rel, yaml_text)
    shift = first_line - 1
    found = [replace(p, line=p.line + shift) if p.line is not None else p for p in found]
    if meta is not None:
        meta = replace(
            meta,
            lines={k: v + shift for k, v in meta.lines.items()},
            related_lines=tuple(v + shift for v in meta.related_lines),
            alias_lines=tuple(v + shift for v in meta.alias_lines),
        )
    return meta, found, markdown_text(text)


@dataclass(frozen=True)
class PageFacts:
    """What the glossary reads from one Markdown page: a function of its text alone."""

    meta: PageMeta
    problems: list[Problem]
    formula: str | None  # its first display formula
    references: list[Reference]  # its [[term]] references


def _page_facts(rel: str, text: str) -> PageFacts:
    meta, found = read_meta(rel, text)
    if meta is None:
        # Still reachable by its slug, so one bad front matter is reported
        # once and not again as every reference to the page.
        meta = PageMeta(path=rel, title=PurePosixPath(rel).stem, summary="")
    body = body_text(text)
    return PageFacts(meta, found, first_display_formula(body), find_references(body))


def load_glossary(root: Path, content: list[str], read: Callable[[Path], str] = _read_file,
                  memo: Memo | None = None) -> Glossary:
    """The glossary of the pages among ``content`` (paths relative to ``root``): Markdown and notebooks.

    ``read`` gives a file's text (a build passes its cache of sources); ``memo`` keeps parsed front
    matter across ``mkdocs serve`` rebuilds.
    """
    memo = memo or Memo()
    problems: list[Problem] = []
    terms: list[Term] = []
    bodies: dict[str, str] = {}  # notebooks' Markdown
    page_facts: dict[str, PageFacts] = {}  # Markdown pages'
    for rel in content:
        if rel.endswith(".ipynb"):
            meta, found, body = _notebook_meta(rel, read(root / rel))
            problems += found
            terms.append(Term(PurePosixPath(rel).stem, rel, meta or PageMeta(path=rel, title=PurePosixPath(rel).stem, summary="")))
            bodies[rel] = body
            continue
        if not rel.endswith(".md"):
            continue
        text = read(root / rel)
        # Parsed once per text: a `mkdocs serve` rebuild parses only the pages that changed.
        facts = memo.get(("glossary page", rel, text), lambda: _page_facts(rel, text))
        problems += facts.problems
        terms.append(Term(PurePosixPath(rel).stem, rel, facts.meta))
        page_facts[rel] = facts

    registry = TermRegistry(terms)
    glossary = Glossary(registry, problems=problems + registry.problems)
    # A set, not a scan of the list: a term used on thousands of pages has thousands of referrers.
    linked: set[tuple[str, str]] = set()  # (target slug, referrer's src_uri)

    def add_backlink(target: Term, referrer: Term) -> None:
        if (target.slug, referrer.src_uri) not in linked:
            linked.add((target.slug, referrer.src_uri))
            glossary.backlinks.setdefault(target.slug, []).append(referrer)

    for term in registry.terms:
        for i, name in enumerate(term.meta.related):
            target = registry.resolve(name)
            if target is not None and target is not term:
                # A related term is linked from the page, so it lists the page under "Used in".
                related = glossary.related.setdefault(term.slug, [])
                if all(known is not target for known in related):
                    related.append(target)
                add_backlink(target, term)
            if target is None:
                close = registry.suggest(name)
                lines = term.meta.related_lines
                glossary.problems.append(
                    Problem(
                        term.meta.path,
                        lines[i] if i < len(lines) else term.meta.lines.get("related"),
                        f"related term '{name}' has no page",
                        hint=("closest terms: " + ", ".join(close)) if close else "remove it, or write its page",
                    )
                )
        facts = page_facts.get(term.src_uri)
        formula = facts.formula if facts is not None else first_display_formula(bodies[term.src_uri])
        if formula is not None:
            glossary.formulas[term.slug] = formula
        # mkdocs-jupyter renders a notebook's Markdown itself: [[references]] there are not links.
        references = facts.references if facts is not None else []
        for ref in references:
            target = None if ref.malformed else registry.resolve(ref.target)
            if target is not None and target is not term:
                add_backlink(target, term)
    for referrers in glossary.backlinks.values():
        referrers.sort(key=lambda t: t.meta.title.casefold())
    return glossary
