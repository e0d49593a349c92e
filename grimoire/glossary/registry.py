"""The table of terms: every content page, findable by slug, title or alias.

Lookup is forgiving about what does not change meaning (case, spaces vs
hyphens, apostrophes) and strict about the rest: two pages claiming the same
name is an error naming both files, and an unknown name gets the closest
existing ones as suggestions.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..problems import Problem
from .frontmatter import PageMeta

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_]+")
_DROPPED = re.compile(r"['\u2019`]")


def normalize(name: str) -> str:
    """The lookup key of a name: 'Bayes’ theorem', 'bayes-theorem' -> 'bayes theorem'."""
    return _SEPARATORS.sub(" ", _DROPPED.sub("", name.casefold())).strip()


@dataclass(frozen=True)
class Term:
    slug: str
    src_uri: str  # site-relative source path, e.g. "glossary/softmax.md"
    meta: PageMeta

    @property
    def section(self) -> str:
        return PurePosixPath(self.src_uri).parts[0]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.meta.title, self.slug, *self.meta.aliases)


class TermRegistry:
    def __init__(self, terms: list[Term]) -> None:
        self.terms = sorted(terms, key=lambda t: normalize(t.meta.title))
        self.by_slug = {t.slug: t for t in self.terms}
        self.by_src_uri = {t.src_uri: t for t in self.terms}
        self._by_key: dict[str, Term] = {}
        self._spelling: dict[str, str] = {}  # key -> a name as written, for suggestions
        self.problems: list[Problem] = []
        self._claim_all()

    def _claim_all(self) -> None:
        """Gives each name to one page; every later claim on it is one problem at its own line.

        Titles and slugs are claimed before aliases, each in file order, so
        an alias that repeats another page's title is the one reported.
        """
        claims: list[tuple[int, str, str, Term, int | None]] = []
        for term in self.terms:
            title_line = term.meta.lines.get("title")
            claims += [(0, term.src_uri, term.meta.title, term, title_line), (0, term.src_uri, term.slug, term, title_line)]
            for i, alias in enumerate(term.meta.aliases):
                lines = term.meta.alias_lines
                claims.append((1, term.src_uri, alias, term, lines[i] if i < len(lines) else term.meta.lines.get("aliases")))
        claims.sort(key=lambda claim: claim[:2])
        reported: set[tuple[str, str]] = set()
        for _, _, name, term, line in claims:
            key = normalize(name)
            if not key:
                continue
            owner = self._by_key.get(key)
            if owner is None:
                self._by_key[key] = term
                self._spelling[key] = name
            elif owner is not term and (term.src_uri, key) not in reported:
                reported.add((term.src_uri, key))
                self.problems.append(
                    Problem(
                        term.meta.path,
                        line,
                        f"'{name}' names two pages: {owner.meta.path} and {term.meta.path}",
                        hint="keep the name on one page and remove it from the other's aliases",
                    )
                )

    def resolve(self, name: str) -> Term | None:
        return self._by_key.get(normalize(name))

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The closest existing names, as written on their pages."""
        keys = difflib.get_close_matches(normalize(name), list(self._by_key), n=n, cutoff=0.5)
        return [self._spelling[k] for k in keys]
