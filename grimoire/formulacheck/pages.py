"""The site's pages as lists of checkable formulas.

Pages are named by their path relative to the project root
(``glossary/softmax.md``), which is also how tests and errors name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grimoire.formulacheck.blocks import Block, parse_block
from grimoire.formulacheck.errors import FormulaError, Location
from grimoire.formulacheck.extract import DisplayFormula, extract_formulas
from grimoire.layout import CONTENT_SECTIONS
from grimoire.macros import default_macros_path, load_macros
from grimoire.notebook_page import markdown_at_file_lines



def project_root() -> Path:
    return default_macros_path().parent


def site_pages(root: Path | None = None) -> list[Path]:
    """Every page whose formulas must be checked, Markdown and notebooks, in a stable order."""
    base = root or project_root()
    return sorted(path for section in CONTENT_SECTIONS for suffix in ("*.md", "*.ipynb")
                  for path in (base / section).rglob(suffix) if ".ipynb_checkpoints" not in path.parts)


def page_name(path: Path, root: Path | None = None) -> str:
    base = (root or project_root()).resolve()
    resolved = path.resolve()
    return resolved.relative_to(base).as_posix() if resolved.is_relative_to(base) else path.as_posix()


@dataclass(frozen=True)
class Item:
    """A display formula with its parsed block, or the error that stops it being read."""

    formula: DisplayFormula
    block: Block | None
    error: FormulaError | None

    @property
    def location(self) -> Location:
        return Location(self.formula.path, self.formula.line)

    @property
    def id(self) -> str:
        return str(self.location)


def items_of_text(text: str, name: str) -> list[Item]:
    items: list[Item] = []
    for formula in extract_formulas(text, name):
        raw = formula.block
        if raw is None:
            items.append(Item(formula, None, None))
            continue
        try:
            block = parse_block(raw.kind, raw.body, Location(name, raw.line), Location(name, raw.body_line))
            items.append(Item(formula, block, None))
        except FormulaError as error:
            items.append(Item(formula, None, error))
    return items


def items_of_page(path: Path, root: Path | None = None) -> list[Item]:
    """A page's formulas; a notebook's are read from its Markdown cells, at their lines in the file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        text = markdown_at_file_lines(text) or ""
    return items_of_text(text, page_name(path, root))


def site_macros() -> dict[str, str]:
    return load_macros(default_macros_path())
