"""Reading an author's file as text: bad bytes and oversized files become problems.

Every stage reads pages (and snippet modules) as UTF-8 text. A file that is
not UTF-8 would stop the build with a bare ``UnicodeDecodeError`` naming
neither the file nor the line, so it is decoded with U+FFFD in place of each
bad byte and reported at the line of the first. A page over ``MAX_PAGE_BYTES``
is cut at a line end before any stage sees it, so the work every stage does
on a page (Markdown, math, term links, scans) stays bounded. The text is
handed to MkDocs too (``on_page_read_source``), so every stage and MkDocs
count the same lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .problems import Problem, ProblemLog

MAX_PAGE_BYTES = 2 * 1024 * 1024  # a long page of the pilot site is about 10 KB


def decode_source(path: str, data: bytes, max_bytes: int | None = None) -> tuple[str, list[Problem]]:
    """The text of a file's bytes (UTF-8, a leading BOM dropped as MkDocs does), and its problems."""
    problems: list[Problem] = []
    if max_bytes is not None and len(data) > max_bytes:
        cut = data.rfind(b"\n", 0, max_bytes) + 1 or max_bytes
        problems.append(
            Problem(
                path,
                data.count(b"\n", 0, cut) + 1,
                f"the file is {len(data) / 1e6:.1f} MB, over the limit of {max_bytes / 1e6:.1f} MB; "
                "only the part before this line is built",
                hint="split it into several pages",
            )
        )
        data = data[:cut]
    try:
        return _text(data.decode("utf-8")), problems
    except UnicodeDecodeError as error:
        offset = error.start
        line = data.count(b"\n", 0, offset) + 1
        column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        problems.append(
            Problem(
                path,
                line,
                f"the file is not valid UTF-8: byte 0x{data[offset]:02x} at column {column} "
                "(each bad byte is shown as \ufffd)",
                hint="save the file as UTF-8 (a Latin-1 'é' is the byte 0xe9)",
            )
        )
        return _text(data.decode("utf-8", errors="replace")), problems


def _text(decoded: str) -> str:
    """As MkDocs reads a file: no byte-order mark, every line ending a plain newline."""
    return decoded.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_source(file: Path, path: str, max_bytes: int | None = MAX_PAGE_BYTES) -> tuple[str, list[Problem]]:
    """The text of ``file`` (shown as ``path`` in problems), and its problems."""
    try:
        data = file.read_bytes()
    except OSError as error:
        return "", [Problem(path, None, f"cannot read the file: {error.strerror or error}")]
    return decode_source(path, data, max_bytes)


def notebook_problem(path: str, text: str) -> Problem | None:
    """Why nbformat (and so mkdocs-jupyter) cannot read this notebook; None when it can."""
    import nbformat  # only builds with notebooks pay for importing it

    try:
        json.loads(text)  # for the line of a syntax error, which nbformat does not keep
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except json.JSONDecodeError as error:
        return Problem(path, error.lineno, f"the notebook is not valid JSON: {error.msg}", hint=_NOTEBOOK_HINT)
    except Exception as error:  # nbformat raises many kinds for a malformed notebook
        reason = getattr(error, "message", None) or str(error) or type(error).__name__
        return Problem(path, 1, f"the notebook is not a valid Jupyter notebook: {reason[:300]}", hint=_NOTEBOOK_HINT)
    return None


_NOTEBOOK_HINT = "open and save it in Jupyter, or restore it from version control; it is left out of the site"


def readable_notebooks(content: list[str], read: Callable[[str], str], problems: ProblemLog) -> list[str]:
    """``content`` without the notebooks mkdocs-jupyter cannot read (each one a problem).

    mkdocs-jupyter would stop the whole build with a traceback on one.
    """
    kept = []
    for rel in content:
        problem = notebook_problem(rel, read(rel)) if rel.endswith(".ipynb") else None
        if problem is None:
            kept.append(rel)
        else:
            problems.add(problem)
    return kept
