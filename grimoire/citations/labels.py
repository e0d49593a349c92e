"""Author-year labels ("Vaswani et al., 2017"), written on pybtex's label-style API.

pybtex ships numeric and alphabetic label styles only, and the third-party
``pybtex-author-year-label`` package has not been maintained since 2020, so
this module adds the author-year labels of pandoc's default style (Chicago
author-date): one surname, two joined by "and", three or more as "First et
al." (also when the list ends in BibTeX's ``and others``). Two works with one
label get "a", "b", ... after the year, in the bibliography's sort order.
Names and years are LaTeX in BibTeX (``K{\\"u}ttler``, ``{\\L}ukasz``):
pybtex's LaTeX reader turns them into text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from string import ascii_lowercase

from functools import cache

from pybtex.backends import BaseBackend
from pybtex.database import Entry, Person
from pybtex.plugin import find_plugin
from pybtex.richtext import BaseText, Text
from pybtex.style.labels import BaseLabelStyle


@dataclass(frozen=True)
class AuthorYear:
    names: str  # "Vaswani et al."
    year: str  # "2017", or "2022a" when two works share the label

    @property
    def parenthetical(self) -> str:
        return f"{self.names}, {self.year}"

    @property
    def narrative(self) -> str:
        return f"{self.names} ({self.year})"


@cache
def _text_backend() -> BaseBackend:
    # `render_as("text")` looks the backend up among installed entry points on every call, which
    # costs more than formatting the whole bibliography.
    return find_plugin("pybtex.backends", "text")()


def plain(text: BaseText) -> str:
    return text.render(_text_backend())


def latex_text(value: str) -> str:
    """A BibTeX field as plain text: accents decoded, protecting braces dropped."""
    return plain(Text.from_latex(value))


def _is_others(person: Person) -> bool:
    return person.last_names == ["others"] and not person.first_names


def surname(person: Person) -> str:
    """"van Merwijk" for "Chris van Merwijk": the von part and the last name."""
    parts = person.rich_prelast_names + person.rich_last_names
    return " ".join(plain(part) for part in parts)


def names_label(entry: Entry) -> str:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    real = [p for p in persons if not _is_others(p)]
    if not real:
        return "Anonymous"
    if len(real) == 1 and len(persons) == 1:
        return surname(real[0])
    if len(real) == 2 and len(persons) == 2:
        return f"{surname(real[0])} and {surname(real[1])}"
    return f"{surname(real[0])} et al."


def author_year_labels(sorted_entries: Iterable[Entry]) -> list[AuthorYear]:
    """One label per entry, in the order given (the bibliography's sort order)."""
    entries = list(sorted_entries)
    bases = [(names_label(e), latex_text(e.fields.get("year", "n.d.")).strip() or "n.d.") for e in entries]
    shared = Counter(bases)
    seen: Counter[tuple[str, str]] = Counter()
    labels = []
    for base in bases:
        names, year = base
        if shared[base] > 1:
            year += ascii_lowercase[seen[base] % 26]
            seen[base] += 1
        labels.append(AuthorYear(names, year))
    return labels


class AuthorYearLabelStyle(BaseLabelStyle):
    """The labels above as a pybtex label style (``Style(label_style=AuthorYearLabelStyle)``)."""

    def format_labels(self, sorted_entries: Iterable[Entry]) -> Iterator[str]:
        for label in author_year_labels(sorted_entries):
            yield label.parenthetical
