"""Where things live in a Grimoire project, and which files make up its content.

Content is kept in top-level section folders (``glossary/``, ``derivations/``, ``papers/``)
rather than in MkDocs' ``docs_dir``; the hooks add these files to the build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

MathMode = Literal["server", "client"]

CONTENT_SECTIONS = ("glossary", "derivations", "papers")
CONTENT_SUFFIXES = frozenset({".md", ".ipynb"})
REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
KATEX_ASSET_DIR = "assets/katex"
SITE_CSS = "assets/grimoire.css"
SITE_JS = "assets/term-cards.js"
# Answers Material's search UI from Pagefind (see grimoire.search); no page loads it, Material's main script starts it.
SEARCH_WORKER_JS = "assets/search-worker.js"
# KaTeX's own copy-tex: copying a selection with typeset math copies its TeX (read from the MathML annotation).
COPY_TEX_JS = f"{KATEX_ASSET_DIR}/contrib/copy-tex.min.js"


@dataclass(frozen=True)
class ProjectLayout:
    """Paths of one project: the real site, or a tiny test site in a temporary folder."""

    root: Path
    katex_dir: Path
    cache_dir: Path
    macros_path: Path | None
    math_mode: MathMode = "server"
    # The search indexer, from this repository's node_modules as KaTeX is (installed by ``npm ci``).
    pagefind_dir: Path = REPOSITORY_ROOT / "node_modules" / "pagefind"

    @classmethod
    def for_config_dir(cls, root: Path) -> ProjectLayout:
        """The layout of a project whose mkdocs.yml is in ``root``.

        KaTeX comes from this repository's ``node_modules`` (installed by
        ``npm ci``), so a test site in a temporary folder uses the pinned one.
        ``GRIMOIRE_CACHE_DIR`` moves the cache (the benchmark uses its own);
        ``GRIMOIRE_MATH=client`` leaves math to KaTeX in the browser, which
        exists only as the benchmark's baseline.
        """
        macros = root / "macros.yml"
        mode = os.environ.get("GRIMOIRE_MATH", "server")
        if mode not in ("server", "client"):
            raise ValueError(f"GRIMOIRE_MATH must be 'server' or 'client', not {mode!r}")
        return cls(
            root=root,
            katex_dir=REPOSITORY_ROOT / "node_modules" / "katex",
            cache_dir=Path(os.environ.get("GRIMOIRE_CACHE_DIR") or root / ".cache" / "grimoire"),
            macros_path=macros if macros.is_file() else None,
            math_mode=mode,  # type: ignore[arg-type]
        )


def content_files(root: Path) -> list[str]:
    """Content paths relative to ``root`` (POSIX style), sorted for a stable build."""
    found = []
    for section in CONTENT_SECTIONS:
        base = root / section
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            rel = path.relative_to(root)
            if (
                path.is_file()
                and path.suffix in CONTENT_SUFFIXES
                and not any(part.startswith(".") for part in rel.parts)
            ):
                found.append(rel.as_posix())
    return sorted(found)


def katex_assets(katex_dir: Path, math_mode: MathMode = "server") -> list[tuple[Path, str]]:
    """(source file, site path) of the KaTeX stylesheet and the fonts it names.

    Client-side math also needs KaTeX's scripts; both modes ship its copy-tex.
    """
    dist = katex_dir / "dist"
    assets = [(dist / "katex.min.css", f"{KATEX_ASSET_DIR}/katex.min.css"), (dist / "contrib" / "copy-tex.min.js", COPY_TEX_JS)]
    if math_mode == "client":
        assets += [
            (dist / "katex.min.js", f"{KATEX_ASSET_DIR}/katex.min.js"),
            (dist / "contrib" / "auto-render.min.js", f"{KATEX_ASSET_DIR}/auto-render.min.js"),
        ]
    assets += [
        (font, f"{KATEX_ASSET_DIR}/fonts/{font.name}")
        for font in sorted((dist / "fonts").iterdir())
        if font.is_file()
    ]
    return assets


def site_assets() -> list[tuple[Path, str]]:
    """(source file, site path) of Grimoire's own stylesheet, script and search worker."""
    assets = Path(__file__).with_name("assets")
    return [(assets / "grimoire.css", SITE_CSS), (assets / "term-cards.js", SITE_JS),
            (assets / "search-worker.js", SEARCH_WORKER_JS)]
