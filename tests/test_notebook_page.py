"""Notebook pages: front matter cell, search furniture, Markdown at file lines for the checker."""

from __future__ import annotations

import json

import nbformat

from grimoire.formulacheck.pages import items_of_text
from grimoire.layout import REPOSITORY_ROOT
from grimoire.notebook_page import (
    exclude_chrome_from_search,
    front_matter_text,
    markdown_at_file_lines,
    without_front_matter_cell,
)


def notebook(*cells) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nbformat.writes(nb)


FRONT = nbformat.v4.new_raw_cell("---\ntitle: T\nsummary: S.\n---")
BODY = nbformat.v4.new_markdown_cell("# T\n\n$$\nx = 1\n$$\n<!-- check\nx := 1\n@identity\n-->\n")
CODE = nbformat.v4.new_code_cell("print('$$ not math $$')")


def test_markdown_sits_at_the_lines_of_the_file() -> None:
    text = notebook(FRONT, BODY, CODE)
    at_lines = markdown_at_file_lines(text)
    assert at_lines is not None and at_lines.count("\n") == text.count("\n")
    file_lines = text.split("\n")
    for i, line in enumerate(at_lines.split("\n")):
        if line:  # every kept line is a Markdown cell's line, decoded, where the file holds it
            assert json.loads(file_lines[i].strip().removesuffix(",")).removesuffix("\n") == line
    assert "not math" not in at_lines and "title:" not in at_lines  # code and raw cells are not Markdown
    (item,) = items_of_text(at_lines, "nb.ipynb")
    assert file_lines[item.formula.line - 1].strip() == '"$$\\n",'


def test_a_notebook_not_saved_line_by_line_is_none() -> None:
    text = json.dumps(json.loads(notebook(FRONT, BODY)))  # one long line
    assert markdown_at_file_lines(text) is None


def test_front_matter_cell_is_read_and_not_shown() -> None:
    text = notebook(FRONT, BODY)
    yaml_text, line = front_matter_text(text)
    assert yaml_text.startswith("---\ntitle: T") and text.split("\n")[line - 1].strip().startswith('"---')
    html = '<div class="jp-Notebook">\n---\ntitle: T\nsummary: S.\n---<div class="jp-Cell">'
    assert "title:" not in without_front_matter_cell(html, text)


def test_prompts_and_copy_notices_are_kept_out_of_search() -> None:
    html = '<div class="jp-InputPrompt jp-InputArea-prompt">In [1]:</div><div class="zeroclipboard-container">'
    out = exclude_chrome_from_search(html)
    assert out.count("data-search-exclude") == 2


def test_the_sites_notebooks_are_laid_out_for_the_checker() -> None:
    for path in sorted((REPOSITORY_ROOT / "glossary").glob("*.ipynb")):
        assert markdown_at_file_lines(path.read_text("utf-8")) is not None, path
