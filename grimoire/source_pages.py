"""Pages that publish the snippet modules' source, so the site links to its own code.

Every figure (and every checked formula) names the function behind it; the
link goes to a generated page showing that module with numbered, anchored
lines. That works offline and on any static host, and needs no repository
host (whose API Material would call from every page once ``repo_url`` is set).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from .page_source import read_source
from .problems import ProblemLog

SOURCE_SECTION = "snippets"


def source_page_uri(module_path: str) -> str:
    """``snippets/activations.py`` -> ``snippets/activations.md`` (the page's site path)."""
    return module_path[: -len(".py")] + ".md"


def page_url(src_uri: str) -> str:
    """The directory-style URL MkDocs gives a page: ``glossary/softmax.md`` -> ``glossary/softmax/``."""
    stem = src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri.rsplit(".", 1)[0]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    return stem if not stem or stem.endswith("/") else stem + "/"


def source_href(module_path: str, line: int | None, from_src_uri: str) -> str:
    """A relative link from the page at ``from_src_uri`` to ``line`` of the module's source page."""
    target = page_url(source_page_uri(module_path))
    base = page_url(from_src_uri) or "."
    href = posixpath.relpath(target, base) + "/"
    return href + ("" if line is None else f"#__codelineno-0-{line}")


def _fence(code: str) -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", code)), default=2)
    return "`" * (longest + 1)


def source_markdown(module_path: str, code: str) -> str:
    doc = re.match(r'\s*(?:"""|\'\'\')(.*?)(?:\n\s*\n|"""|\'\'\')', code, re.DOTALL)
    intro = " ".join(doc.group(1).split()) if doc else ""
    fence = _fence(code)
    return "\n".join(
        [
            "---",
            f"title: {module_path}",
            "hide: [toc]",  # no headings to list; the code gets the width
            "search:",
            "  exclude: true",
            "---",
            "",
            f"# `{module_path}`",
            "",
            intro,
            "",
            f'{fence}python linenums="1"',
            code.rstrip("\n"),
            fence,
            "",
        ]
    )


def source_pages(root: Path, problems: ProblemLog | None = None) -> list[tuple[str, str]]:
    """(site path, Markdown) of a page per snippet module, sorted.

    A module that is not UTF-8 is shown with U+FFFD for each bad byte, and
    the problem (file and line) goes to ``problems``.
    """
    pages = []
    for path in sorted((root / SOURCE_SECTION).glob("*.py")):
        if path.name == "__init__.py":
            continue
        rel = path.relative_to(root).as_posix()
        code, found = read_source(path, rel, max_bytes=None)
        for problem in found:
            if problems is not None:
                problems.add(problem)
        pages.append((source_page_uri(rel), source_markdown(rel, code)))
    return pages
