"""What Pagefind reads: a lean copy of each indexed page, made in the indexing process.

Pagefind's memory grows with the HTML it parses, including what its exclude
selectors then leave out. On the real site copied 20 times (5,040 pages, 992
MB of HTML) it peaked at 1,494 MB reading the pages as built and at 1,158 MB
reading this copy; on the 5,781-page scale bench site, 1,664 MB and 1,565 MB
(there the number of pages dominates). So Pagefind indexes a copy of the
site where each page keeps its ``<head>``
(title, language, Pagefind metadata) and its article (``data-pagefind-body``),
and where the heavy parts of the article that are never indexed are emptied,
their elements kept so that the page's structure and anchors stay the same:

- ``<svg>`` (figures, icons);
- ``<template>`` (hover cards);
- a formula's MathML except its TeX annotation, which is what a formula is
  indexed as;
- KaTeX's typeset glyphs (``<span class="katex-html">``).

The rest of each page (header, sidebars, footer, scripts) is dropped:
Pagefind indexes only ``data-pagefind-body`` elements once a page has one.
Pages without one are not copied. The indexed text, metadata and heading
anchors are those of the pages as built (``tests/search/test_lean_copy.py``
compares Pagefind's fragments of both on the real site).

The elements emptied are the engine's and KaTeX's own output, so patterns do
here what an HTML parser would do at many times the cost (Python's parser
reads about 10 MB/s; a site of 5,000 pages has 1.3 GB of HTML).

Run as ``python -m grimoire.search.lean_copy SITE COPY -- PAGEFIND ARGS...``:
it writes the copy of ``SITE`` into ``COPY`` (emptied first), then replaces
itself with the Pagefind command, so stopping this process stops the indexer.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

_HEAD = re.compile(r"\A.*?</head\s*>", re.DOTALL | re.IGNORECASE)
_ARTICLE = re.compile(r"<article\b[^>]*\sdata-pagefind-body[\s>].*</article>", re.DOTALL)
_SVG = re.compile(r"(<svg\b[^>]*>).*?</svg>", re.DOTALL)
_TEMPLATE = re.compile(r"(<template\b[^>]*>).*?</template>", re.DOTALL)
_SEMANTICS = re.compile(r"(<semantics>).*?(<annotation\b)", re.DOTALL)
_KATEX_HTML = re.compile(r'<span class="katex-html"[^>]*>')
_SPAN = re.compile(r"<span\b|</span>")


def lean_page(html: str) -> str | None:
    """The page as Pagefind needs it (see the module docstring); None if it has nothing to index."""
    article = _ARTICLE.search(html)
    head = _HEAD.search(html)
    if article is None or head is None:
        return None
    body = article.group(0)
    body = _SVG.sub(r"\1</svg>", body)
    body = _TEMPLATE.sub(r"\1</template>", body)
    body = _SEMANTICS.sub(r"\1\2", body)
    body = _empty_spans(body, _KATEX_HTML)
    return f"{head.group(0)}<body>{body}</body></html>"


def _empty_spans(html: str, opening: re.Pattern[str]) -> str:
    """``html`` with the content of every span ``opening`` matches removed (nested spans counted)."""
    kept: list[str] = []
    position = 0
    for match in opening.finditer(html):
        if match.start() < position:
            continue  # inside a span already emptied
        depth = 1
        for tag in _SPAN.finditer(html, match.end()):
            depth += 1 if tag.group(0) == "<span" else -1
            if depth == 0:
                kept.append(html[position : match.end()])
                position = tag.start()
                break
        else:
            break  # unclosed: left as it is
    kept.append(html[position:])
    return "".join(kept)


def write_lean_copy(site_dir: Path, copy_dir: Path) -> int:
    """Writes the lean copy of every indexed page of ``site_dir`` into ``copy_dir``; the number of pages."""
    shutil.rmtree(copy_dir, ignore_errors=True)
    written = 0
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir)
        if relative.parts[0] == "pagefind":
            continue
        lean = lean_page(page.read_text("utf-8", errors="replace"))
        if lean is None:
            continue
        target = copy_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(lean, "utf-8")
        written += 1
    return written


def main(argv: Sequence[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print("usage: python -m grimoire.search.lean_copy SITE COPY -- PAGEFIND ARGS...", file=sys.stderr)
        return 2
    write_lean_copy(Path(argv[0]), Path(argv[1]))
    command = list(argv[3:])
    sys.stdout.flush()
    os.execv(command[0], command)  # the same process: a stop or the parent's death reaches the indexer
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
