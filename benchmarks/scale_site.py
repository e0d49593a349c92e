"""Bigger copies of the real site, for the scale benchmark (``benchmarks.scale_bench``).

A site of N pages is the project copied into a scratch folder with its
glossary pages cloned until the site has N pages: each clone gets a new slug
and title and no aliases (two pages may not share a name), and keeps the
body, front matter and all, so its formulas, checks, figures, citations and
term links are those of a real page. Clone k of ``softmax.md`` is
``softmax-ck.md``, titled "Softmax (ck)" (a plain number could be another
page's alias: "ROUGE-1").
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import yaml

from grimoire.layout import CONTENT_SECTIONS, REPOSITORY_ROOT, content_files

# What a build reads besides the content sections; nothing else is copied.
PROJECT_FILES = ("mkdocs.yml", "macros.yml", "references.bib")
PROJECT_DIRS = ("pages", "snippets", *CONTENT_SECTIONS)
ENGINE_DIRS = ("grimoire", "build_hooks")  # linked, not copied: the copy runs this repository's engine
_TITLE = re.compile(r"^title:[^\n]*$", re.M)
_ALIASES = re.compile(r"^aliases:[^\n]*\n", re.M)
_HEADING = re.compile(r"^# [^\n]*$", re.M)


def page_count(root: Path) -> int:
    """Pages the site will have: content pages plus the generated and home pages."""
    generated = len(list((root / "pages").rglob("*.md")))
    return len(content_files(root)) + generated


def clone_page(text: str, number: int) -> str:
    """A glossary page's Markdown as clone ``number``: new title, no aliases, same body."""
    end = text.index("\n---", 4)
    front, body = text[: end + 1], text[end + 1 :]
    title = _TITLE.search(front)
    if title is None:
        raise ValueError("a glossary page without a title in its front matter")
    name = yaml.safe_load(title.group(0))["title"]
    new = f"{name} (c{number})"
    front = _TITLE.sub(lambda _: f"title: {json.dumps(new)}", front, count=1)  # JSON strings are YAML
    front = _ALIASES.sub("", front)
    body = _HEADING.sub(lambda _: f"# {new}", body, count=1)
    return front + body


def make_site(dest: Path, pages: int, source: Path = REPOSITORY_ROOT) -> int:
    """Writes a project of about ``pages`` pages into ``dest``; returns its page count.

    The real site's pages come first; clones of its Markdown glossary pages
    (in name order, round after round) fill the rest.
    """
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        if (source / name).is_file():
            shutil.copy2(source / name, dest / name)
    for name in PROJECT_DIRS:
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    for name in ENGINE_DIRS:
        (dest / name).symlink_to(source / name, target_is_directory=True)
    originals = sorted((dest / "glossary").glob("*.md"))
    originals = [p for p in originals if p.name != "index.md"]
    texts = [(p.stem, p.read_text("utf-8")) for p in originals]
    count = page_count(dest)
    number = 1
    while count < pages:
        for slug, text in texts:
            if count >= pages:
                break
            (dest / "glossary" / f"{slug}-c{number}.md").write_text(clone_page(text, number), "utf-8")
            count += 1
        number += 1
    return count
