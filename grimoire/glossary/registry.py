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
        for term in self.terms:
            for name in term.names:
                self._claim(name, term)

    def _claim(self, name: str, term: Term) -> None:
        key = normalize(name)
        owner = self._by_key.get(key)
        if owner is None:
            self._by_key[key] = term
            self._spelling[key] = name
        elif owner is not term:
            self.problems.append(
                Problem(
                    term.meta.path,
                    term.meta.lines.get("aliases") if name in term.meta.aliases else term.meta.lines.get("title"),
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
