"""The site's navigation: what a reader sees in which order, and what is the author's.

MkDocs draws the sidebar from its ``nav`` setting and links each page to the
one before and after it in that same list (``page.previous_page`` and
``next_page``), so deciding the order here, before MkDocs builds the nav,
keeps the sidebar and the footer in agreement. The plan is:

- the reader's part: the home page, then each content section (Glossary,
  Derivations, Papers, any other in name order) with its ``index.md`` first
  and its pages by title, each section's generated pages (a bibliography)
  after its content pages, then the other top-level pages (Tags, ...) by name;
- the author's part, one section at the end: the formula coverage, its parts
  (the formulas of a few pages each, in runs when there are many) and the
  snippet source pages. Its pages form a prev/next chain of their own, so a
  reader paging through the glossary never lands on them.

A section of more than ``GROUP_SIZE`` written pages is grouped by the first
letter of their titles (A, B, ..., and "#" for titles that start with no
letter, first), and a letter of more than ``GROUP_SIZE`` pages into runs of
consecutive titles ("Softmax – Surprise"). With Material's
``navigation.prune`` a page then carries the section's groups as one link
each and only its own group's pages, so its HTML stays the same size however
large the site grows (every page once carried every link of the sidebar:
1 MB of HTML per page at 500 pages, 10 MB at 5,000). The section's index
page (the glossary's A-Z list) stays first, as the way in.
"""

from __future__ import annotations

import math
import posixpath
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .formula_marks import COVERAGE_PART_DIR, COVERAGE_SRC_URI
from .glossary.registry import normalize
from .source_pages import SOURCE_SECTION

HOME = "index.md"
# Content sections in reading order; any other section follows, by name.
SECTION_ORDER = ("glossary", "derivations", "papers")
AUTHOR_SECTION = "For authors"
SOURCE_SECTION_TITLE = "Snippet source"
COVERAGE_PARTS_TITLE = "Formulas by page"
# Most links one group of the sidebar shows: a section (or letter) with more pages is split.
GROUP_SIZE = 40
OTHER_INITIAL = "#"

NavItem = str | dict[str, list["NavItem"]]


@dataclass(frozen=True)
class NavPlan:
    nav: list[NavItem]  # MkDocs' ``nav`` setting
    reading: list[str]  # the reader's pages (src paths), in sidebar order
    authoring: list[str]  # the author's pages, in sidebar order


def is_author_page(src_uri: str) -> bool:
    return src_uri == COVERAGE_SRC_URI or src_uri.startswith((COVERAGE_PART_DIR + "/", SOURCE_SECTION + "/"))


def section_title(section: str) -> str:
    return section.replace("-", " ").replace("_", " ").capitalize()


def plan_nav(pages: Sequence[str], titles: Mapping[str, str], content: frozenset[str] | set[str]) -> NavPlan:
    """The navigation of a site made of ``pages`` (src paths).

    ``titles`` holds the titles the build knows (front matter of content
    pages); other pages sort by file name. ``content`` are the authors'
    source pages; a section's other (generated) pages follow them.
    """

    def key(src_uri: str) -> tuple[str, str]:
        return normalize(title_of(src_uri, titles)), src_uri

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
        children = [*index, *grouped(written, titles), *generated]
        nav.append({section_title(section): children})
        reading += leaves(children)
    top.sort(key=key)
    nav += top
    reading += top

    coverage = [u for u in author if u == COVERAGE_SRC_URI]
    # Parts in their listing order (formulas/2.md before formulas/10.md), in runs when there are many.
    parts = sorted((u for u in author if u.startswith(COVERAGE_PART_DIR + "/")), key=part_number)
    sources = sorted(u for u in author if u not in coverage and u not in parts)
    if author:
        group: list[NavItem] = list(coverage)
        if parts:
            group.append({COVERAGE_PARTS_TITLE: runs(parts, titles, GROUP_SIZE)})
        if sources:
            group.append({SOURCE_SECTION_TITLE: grouped(sources, titles)})
        nav.append({AUTHOR_SECTION: group})
    return NavPlan(nav, reading, coverage + parts + sources)


def part_number(src_uri: str) -> tuple[int, str]:
    stem = posixpath.splitext(posixpath.basename(src_uri))[0]
    return (int(stem) if stem.isdigit() else 0), src_uri


def title_of(src_uri: str, titles: Mapping[str, str]) -> str:
    """A page's title as the sidebar sorts it: its known title, else its file name."""
    return titles.get(src_uri) or posixpath.splitext(posixpath.basename(src_uri))[0]


def initial(title: str) -> str:
    """The letter a title files under: 'Élan' under E, '2-D' and 'ε-greedy' under '#'."""
    first = unicodedata.normalize("NFKD", title.strip())[:1].upper()
    return first if "A" <= first <= "Z" else OTHER_INITIAL


def grouped(pages: list[str], titles: Mapping[str, str], size: int = GROUP_SIZE) -> list[NavItem]:
    """``pages`` (in sidebar order) as they appear in the sidebar: as they are when there are at most
    ``size``, else in letter groups, and a letter of more than ``size`` pages in runs of titles."""
    if len(pages) <= size:
        return list(pages)
    letters: dict[str, list[str]] = {}
    for src_uri in pages:
        letters.setdefault(initial(title_of(src_uri, titles)), []).append(src_uri)
    order = sorted(letters, key=lambda letter: (letter != OTHER_INITIAL, letter))
    return [{letter: runs(letters[letter], titles, size)} for letter in order]


def runs(pages: list[str], titles: Mapping[str, str], size: int) -> list[NavItem]:
    """``pages`` as they are, or in about equal runs of consecutive titles, none longer than ``size``;
    runs of runs when even the runs are more than ``size``."""
    if len(pages) <= size:
        return list(pages)
    count = math.ceil(len(pages) / size)
    while count > size:  # more than size^2 pages: runs of runs
        count = math.ceil(count / size)
    bounds = [round(i * len(pages) / count) for i in range(count + 1)]
    items: list[NavItem] = []
    for start, end in zip(bounds, bounds[1:]):
        members = pages[start:end]
        label = f"{title_of(members[0], titles)} – {title_of(members[-1], titles)}"
        items.append({label: runs(members, titles, size)})
    return items


def leaves(items: Sequence[NavItem]) -> list[str]:
    """The pages of nav ``items`` in sidebar order: the reading order."""
    found: list[str] = []
    for item in items:
        if isinstance(item, str):
            found.append(item)
        else:
            for children in item.values():
                found += leaves(children)
    return found
