"""The site's navigation: what a reader sees in which order, and what is the author's.

MkDocs draws the sidebar from its ``nav`` setting and links each page to the
one before and after it in that same list (``page.previous_page`` and
``next_page``), so deciding the order here, before MkDocs builds the nav,
keeps the sidebar and the footer in agreement. The plan is:

- the reader's part: the home page, then each content section (Glossary,
  Derivations, Papers, any other in name order) with its ``index.md`` first
  and its pages by title, each section's generated pages (a bibliography)
  after its content pages, then the other top-level pages (Tags, ...) by name;
- the author's part, one section at the end: the formula coverage and the
  snippet source pages. Its pages form a prev/next chain of their own, so a
  reader paging through the glossary never lands on them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .formula_marks import COVERAGE_SRC_URI
from .glossary.registry import normalize
from .source_pages import SOURCE_SECTION

HOME = "index.md"
# Content sections in reading order; any other section follows, by name.
SECTION_ORDER = ("glossary", "derivations", "papers")
AUTHOR_SECTION = "For authors"
SOURCE_SECTION_TITLE = "Snippet source"

NavItem = str | dict[str, list["NavItem"]]


@dataclass(frozen=True)
class NavPlan:
    nav: list[NavItem]  # MkDocs' ``nav`` setting
    reading: list[str]  # the reader's pages (src paths), in sidebar order
    authoring: list[str]  # the author's pages, in sidebar order


def is_author_page(src_uri: str) -> bool:
    return src_uri == COVERAGE_SRC_URI or src_uri.startswith(SOURCE_SECTION + "/")


def section_title(section: str) -> str:
    return section.replace("-", " ").replace("_", " ").capitalize()


def plan_nav(pages: Sequence[str], titles: Mapping[str, str], content: frozenset[str] | set[str]) -> NavPlan:
    """The navigation of a site made of ``pages`` (src paths).

    ``titles`` holds the titles the build knows (front matter of content
    pages); other pages sort by file name. ``content`` are the authors'
    source pages; a section's other (generated) pages follow them.
    """

    def key(src_uri: str) -> tuple[str, str]:
        name = posixpath.splitext(posixpath.basename(src_uri))[0]
        return normalize(titles.get(src_uri, name)), src_uri

    sections: dict[str, list[str]] = {}
    top: list[str] = []
    author: list[str] = []
    for src_uri in pages:
        if is_author_page(src_uri):
            author.append(src_uri)
        elif "/" in src_uri:
            sections.setdefault(src_uri.split("/", 1)[0], []).append(src_uri)
        elif src_uri != HOME:
            top.append(src_uri)

    nav: list[NavItem] = [HOME] if HOME in pages else []
    reading = list(nav)
    order = sorted(sections, key=lambda s: (SECTION_ORDER.index(s) if s in SECTION_ORDER else len(SECTION_ORDER), s))
    for section in order:
        members = sections[section]
        index = [u for u in members if u == f"{section}/index.md"]
        written = sorted((u for u in members if u in content and u not in index), key=key)
        generated = sorted((u for u in members if u not in content and u not in index), key=key)
        children = index + written + generated
        nav.append({section_title(section): list(children)})
        reading += children
    top.sort(key=key)
    nav += top
    reading += top

    coverage = [u for u in author if u == COVERAGE_SRC_URI]
    sources = sorted(u for u in author if u not in coverage)
    if author:
        group: list[NavItem] = list(coverage)
        if sources:
            group.append({SOURCE_SECTION_TITLE: list(sources)})
        nav.append({AUTHOR_SECTION: group})
    return NavPlan(nav, reading, coverage + sources)
