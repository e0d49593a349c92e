"""Notebook pages as a reader meets them: front matter like any page, Jupyter's furniture out of search.

mkdocs-jupyter renders each code cell with its ``In [n]:`` prompt and a copy
button whose hidden notice says "Copied!"; Material's search would index both
as text, so a notebook's result would start "In [1]: Copied!". They are
marked ``data-search-exclude`` (Material's switch for leaving an element out
of the index) and still shown on the page.
"""

from __future__ import annotations

import json
import re

# The opening tags of the prompts and of the copy button's container, as nbconvert writes them.
_CHROME = re.compile(r'<div class="(?:jp-InputPrompt|jp-OutputPrompt|zeroclipboard-container)\b[^"]*"')


def exclude_chrome_from_search(html: str) -> str:
    return _CHROME.sub(lambda m: m.group(0) + " data-search-exclude", html)


# --- Front matter -------------------------------------------------------------
# A notebook is a glossary page like any other, so it declares the same front
# matter. It sits where Quarto and Jupytext put it: a first raw cell holding
# the YAML between --- lines. nbconvert does not render raw cells in HTML, so
# the reader never sees it. Lines are those of the .ipynb file (nbformat
# writes one source line per JSON line), so problems point where an author edits.


def front_matter_text(notebook_text: str) -> tuple[str, int]:
    """The text of the notebook's front matter cell (or ""), and the file line its first line is on."""
    try:
        notebook = json.loads(notebook_text)
    except ValueError:  # reported by page_source.notebook_problem
        return "", 1
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not cells or not isinstance(cells[0], dict) or cells[0].get("cell_type") != "raw":
        return "", 1
    source = cells[0].get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    if not text.startswith("---"):
        return "", 1
    first = next((i for i, line in enumerate(notebook_text.split("\n")) if '"---' in line), 0)
    return text if text.endswith("\n") else text + "\n", first + 1


def markdown_text(notebook_text: str) -> str:
    """The notebook's Markdown cells, one after another (for its defining formula)."""
    try:
        notebook = json.loads(notebook_text)
    except ValueError:
        return ""
    parts = []
    for cell in notebook.get("cells", []) if isinstance(notebook, dict) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            parts.append("".join(source) if isinstance(source, list) else str(source))
    return "\n\n".join(parts)


def without_front_matter_cell(html: str, notebook_text: str) -> str:
    """The notebook page without its front matter cell, which nbconvert writes out verbatim."""
    try:
        cells = json.loads(notebook_text).get("cells") or []
        source = cells[0].get("source", "") if cells[0].get("cell_type") == "raw" else ""
    except (ValueError, AttributeError, IndexError):
        return html
    text = "".join(source) if isinstance(source, list) else str(source)
    start = html.find('<div class="jp-Notebook"')
    if not text.startswith("---") or start < 0:
        return html
    at = html.find(text, start)
    return html if at < 0 else html[:at] + html[at + len(text) :]


# --- Formula checks -------------------------------------------------------------
# A notebook's display formulas carry check blocks in their Markdown cells, as
# on a page. The checker reads Markdown by line, so a notebook is handed to it
# as the Markdown of its cells placed at the lines of the .ipynb file where
# nbformat wrote them (every other line blank): checks, marks and problems
# then all name the line an author opens.

_SOURCE_OPEN = re.compile(r'^\s*"source": \[\s*$')


def markdown_at_file_lines(notebook_text: str) -> str | None:
    """The Markdown cells' lines at their .ipynb lines, others blank; None if the file is not laid out so.

    nbformat (Jupyter, ``nbformat.write``) writes each source line on a JSON
    line of its own; a notebook saved otherwise (one long line) is None.
    """
    try:
        cells = json.loads(notebook_text).get("cells") or []
    except (ValueError, AttributeError):
        return None
    lines = notebook_text.split("\n")
    opens = [i for i, line in enumerate(lines) if _SOURCE_OPEN.match(line)]
    with_lists = [c for c in cells if isinstance(c, dict) and isinstance(c.get("source"), list) and c["source"]]
    if len(opens) != len(with_lists):
        return None
    out = [""] * len(lines)
    for cell, at in zip(with_lists, opens):
        for j, text in enumerate(cell["source"]):
            index = at + 1 + j
            try:
                written = json.loads(lines[index].strip().removesuffix(","))
            except (IndexError, ValueError):
                return None
            if written != text:
                return None
            if cell.get("cell_type") == "markdown":
                out[index] = text.removesuffix("\n")
    return "\n".join(out)
