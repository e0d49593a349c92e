"""Reads ``references.bib`` with pybtex: its entries, the line of each, and its problems.

pybtex parses; this module only maps what pybtex reports to problems at
``references.bib:line`` (a syntax error, a repeated key, a duplicate field)
and checks what the site needs of every entry: an author (or editor), a
title and a four-digit year for the author-year label, and links that are
links (``url`` over http(s), ``doi`` starting ``10.``, an arXiv ``eprint``).
Parsing goes on after an error, so every malformed entry of the file is
reported in one build. The line of each entry comes from pybtex's own
low-level parser (where each ``@`` command starts), not from a second
reading of the file by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pybtex.errors
from pybtex.database import BibliographyData, BibliographyDataError, Entry
from pybtex.database.input.bibtex import DuplicateField, LowLevelParser, Parser
from pybtex.exceptions import PybtexError
from pybtex.scanner import PybtexSyntaxError

from ..problems import Problem

BIB_NAME = "references.bib"
_YEAR = re.compile(r"^\d{4}$")
_URL = re.compile(r"^https?://[^\s\"'<>]+$")
_DOI = re.compile(r"^10\.\d{4,9}/[^\s\"'<>]+$")
_EPRINT = re.compile(r"^[A-Za-z0-9.\-/]+$")


@dataclass
class BibFile:
    data: BibliographyData
    lines: dict[str, int] = field(default_factory=dict)  # key (as written) -> line of its "@"
    broken: set[str] = field(default_factory=set)  # keys of entries with a syntax error: reported, not used
    problems: list[Problem] = field(default_factory=list)

    def entry(self, key: str) -> Entry | None:
        """The entry of ``key`` (BibTeX keys ignore case, as in pybtex)."""
        return self.data.entries.get(key)

    def line(self, key: str) -> int | None:
        entry = self.entry(key)
        return self.lines.get(entry.key) if entry is not None else None


def _entry_lines(text: str) -> list[tuple[str, int]]:
    """(key, line) of every entry, in file order, duplicates included."""
    parser = LowLevelParser(text, handle_error=lambda error: None)
    found = []
    for command, body in parser:
        if command.lower() in ("string", "preamble") or not body or body[0] is None:
            continue
        found.append((body[0], text.count("\n", 0, parser.command_start) + 1))
    return found


def read_bib(text: str, path: str = BIB_NAME) -> BibFile:
    """The bibliography of ``text`` and every problem in it, each at ``path:line``."""
    with pybtex.errors.capture() as errors:  # collect pybtex's errors instead of raising the first
        data = Parser().parse_string(text)
    occurrences = _entry_lines(text)
    bib = BibFile(data)
    first_line: dict[str, int] = {}
    for key, line in occurrences:
        if key.casefold() in first_line:
            bib.problems.append(
                Problem(path, line, f"entry key '{key}' is used twice (first at line {first_line[key.casefold()]})",
                        hint="rename one of them; BibTeX keys ignore case")
            )
        else:
            first_line[key.casefold()] = line
            bib.lines[key] = line
    for error in errors:
        problem = _problem(error, path, bib)
        if problem is not None:
            bib.problems.append(problem)
            if isinstance(error, PybtexSyntaxError) and error.lineno is not None:
                # The entry the error is in: the last one starting at or before its line.
                starts = [key for key, line in occurrences if line <= error.lineno]
                if starts:
                    bib.broken.add(starts[-1])
    for key, entry in data.entries.items():
        if key not in bib.broken:
            bib.problems += _check_entry(path, bib.lines.get(key), key, entry)
    return bib


def _problem(error: PybtexError, path: str, bib: BibFile) -> Problem | None:
    if isinstance(error, PybtexSyntaxError):
        context = error.get_context() or ""
        message = str(error).split(": ", 1)[-1]
        return Problem(path, error.lineno, f"malformed entry: {message}", detail=context,
                       hint="each entry is @type{key, field = {value}, ...} with balanced braces")
    if isinstance(error, DuplicateField):
        key = next((k for k in bib.lines if f"key {k} " in str(error)), None)
        return Problem(path, bib.lines.get(key) if key else None, f"malformed entry: {error}",
                       hint="keep one of the two fields")
    if isinstance(error, BibliographyDataError) and "repeated" in str(error):
        return None  # reported above, with its line
    return Problem(path, None, f"pybtex: {error}")


def _check_entry(path: str, line: int | None, key: str, entry: Entry) -> list[Problem]:
    problems = []
    if not entry.persons.get("author") and not entry.persons.get("editor"):
        problems.append(Problem(path, line, f"entry '{key}' has no author (or editor)",
                                hint="the author-year label needs one: author = {First Last and Other Name}"))
    if not entry.fields.get("title", "").strip():
        problems.append(Problem(path, line, f"entry '{key}' has no title"))
    year = entry.fields.get("year", "").strip()
    if not _YEAR.match(year):
        problems.append(Problem(path, line, f"entry '{key}' needs a four-digit year, got {year!r}",
                                hint="write year = {2017}"))
    checks = (("url", _URL, "an http(s) address"), ("doi", _DOI, "a DOI such as 10.3115/1073083.1073135, without https://doi.org/"),
              ("eprint", _EPRINT, "an arXiv identifier such as 1706.03762"))
    for name, pattern, expected in checks:
        value = entry.fields.get(name)
        if value is not None and not pattern.match(value.strip()):
            problems.append(Problem(path, line, f"entry '{key}': {name} must be {expected}, got {value!r}"))
    return problems
