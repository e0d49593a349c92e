"""Reference entries as HTML, formatted by pybtex's "plain" style, and as BibTeX.

pybtex's style lays out each entry type, sorts by author, year and title, and
reads the LaTeX in fields (accents, protecting braces) as text; this module
supplies the author-year labels (``labels``) and an HTML backend whose text
is safe both as HTML and as Markdown (pages put references into Markdown)
and whose link targets are escaped (pybtex's own backend writes them into
``href`` as they are).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from pybtex.backends.html import Backend
from pybtex.database import BibliographyData, Entry
from pybtex.exceptions import PybtexError
from pybtex.style.formatting.plain import Style

from ..markdown_text import markdown_escape
from ..problems import Problem
from .bibfile import BibFile
from .labels import AuthorYear, AuthorYearLabelStyle, author_year_labels, latex_text


class SafeHtmlBackend(Backend):
    """pybtex's HTML backend with text escaped for Markdown too and link targets escaped."""

    def format_str(self, text: str) -> str:
        return markdown_escape(text)

    def format_protected(self, text: str) -> str:
        return text  # braces in BibTeX protect letter case; no markup needed for it

    @staticmethod
    def format_href(url: str, text: str, external: bool = False) -> str:
        return f'<a href="{html.escape(url)}">{text}</a>' if text else ""


@dataclass(frozen=True)
class Reference:
    key: str
    label: AuthorYear
    html: str  # the formatted entry
    order: int  # position in the bibliography's sort order
    entry: Entry

    @property
    def year(self) -> str:
        return latex_text(self.entry.fields.get("year", "")).strip()

    @property
    def title(self) -> str:
        return latex_text(self.entry.fields.get("title", "")).strip()

    @property
    def venue(self) -> str:
        for name in ("journal", "booktitle", "howpublished", "publisher", "institution", "school"):
            if self.entry.fields.get(name):
                return latex_text(self.entry.fields[name]).strip()
        return ""

    def links(self) -> list[tuple[str, str]]:
        """(text, address) of the work's arXiv page, DOI and URL, those it has."""
        fields = self.entry.fields
        found = []
        if fields.get("eprint"):
            found.append((f"arXiv:{fields['eprint']}", f"https://arxiv.org/abs/{fields['eprint']}"))
        if fields.get("doi"):
            found.append((f"doi:{fields['doi']}", f"https://doi.org/{fields['doi']}"))
        if fields.get("url"):
            found.append(("Web page", fields["url"]))
        return found

    def bibtex(self) -> str:
        """The entry as BibTeX (pybtex's writer), for the "Cite" control of paper pages."""
        return BibliographyData(entries={self.key: self.entry}).to_string("bibtex").strip() + "\n"


def reference_style() -> Style:
    return Style(label_style=AuthorYearLabelStyle)


def format_references(bib: BibFile, path: str) -> tuple[dict[str, Reference], list[Problem]]:
    """Every entry of ``bib`` formatted, by key; entries pybtex cannot format are problems."""
    style = reference_style()
    backend = SafeHtmlBackend()
    entries = style.sort([e for key, e in bib.data.entries.items() if key not in bib.broken])
    references: dict[str, Reference] = {}
    problems = []
    for order, (entry, label) in enumerate(zip(entries, author_year_labels(entries))):
        try:
            formatted = style.format_entry(label.parenthetical, entry)
        except (PybtexError, AttributeError, KeyError) as error:
            missing = getattr(error, "field_name", None)
            what = f"lacks '{missing}', which a @{entry.type} entry needs" if missing else f"cannot be formatted: {error}"
            if isinstance(error, AttributeError):
                what = f"has type @{entry.type}, which pybtex's style does not know"
            problems.append(Problem(path, bib.lines.get(entry.key), f"entry '{entry.key}' {what}",
                                    hint="see the BibTeX entry types: article, inproceedings, misc, book, ..."))
            continue
        text = " ".join(formatted.text.render(backend).split("\n"))  # one line: it goes into Markdown
        references[entry.key] = Reference(entry.key, label, text, order, entry)
    return references, problems
