"""The cache key of a figure: a digest of everything that can change its SVG.

Inputs: the figure's name (module and function), the source of its module and
of every snippet module it imports (transitively, within ``snippets/``), the
style file, the versions of the libraries those modules import (matplotlib
and numpy always), the Python version and the renderer's own version (a
constant plus a digest of the engine code that runs in the worker). Nothing
else goes in: pages, captions, alt text, unrelated snippet modules and
settings such as the time limit do not change a drawing.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .references import FigureTarget
from .snippet_source import SnippetIndex

# Bump when the renderer changes its output in a way its source digest would miss.
RENDERER_VERSION = "1"
# Engine modules whose code runs in the worker and shapes the SVG.
_RENDERER_MODULES = ("figures/worker.py", "figures/svg.py", "figures/svg_markers.py", "figures/style.py",
                     "figures/jobs.py", "workers/snippet_loader.py", "workers/sandbox.py", "workers/tracebacks.py")
ALWAYS_VERSIONED = ("matplotlib", "numpy")


@dataclass(frozen=True)
class KeyInputs:
    target: str
    sources: Sequence[tuple[str, str]]  # (path relative to the root, sha256 of the bytes)
    style: str | None  # sha256 of the style file, None without one
    versions: Mapping[str, str] = field(default_factory=dict)  # distribution -> version
    renderer: str = ""
    python: str = f"{sys.version_info.major}.{sys.version_info.minor}"

    def digest(self) -> str:
        blob = json.dumps(
            {
                "target": self.target,
                "sources": sorted(map(list, self.sources)),
                "style": self.style,
                "versions": dict(sorted(self.versions.items())),
                "renderer": self.renderer,
                "python": self.python,
            },
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def key_inputs(index: SnippetIndex, target: FigureTarget, style_path: Path | None) -> KeyInputs:
    """The inputs of ``target``'s drawing, read from disk (its module must exist)."""
    modules = index.closure(target.module)
    packages: set[str] = set(ALWAYS_VERSIONED)
    for module in modules:
        packages.update(module.external_imports)
    style = None
    if style_path is not None and style_path.is_file():
        style = hashlib.sha256(style_path.read_bytes()).hexdigest()
    return KeyInputs(
        target=target.name,
        sources=[(m.rel_path, m.digest) for m in modules],
        style=style,
        versions=library_versions(packages),
        renderer=renderer_version(),
    )


def figure_key(index: SnippetIndex, target: FigureTarget, style_path: Path | None) -> str:
    return key_inputs(index, target, style_path).digest()


def library_versions(packages: Iterable[str]) -> dict[str, str]:
    """``{import name: distribution version}`` for the third-party packages among ``packages``.

    Standard-library modules are left out (the Python version covers them), as
    are names no installed distribution provides.
    """
    found = {}
    for name in sorted(set(packages)):
        version = _version(name)
        if version is not None:
            found[name] = version
    return found


@cache
def _version(import_name: str) -> str | None:
    if import_name in sys.stdlib_module_names:
        return None
    try:
        return importlib.metadata.version(import_name)
    except importlib.metadata.PackageNotFoundError:
        pass
    for dist in _distributions().get(import_name, []):
        try:
            return f"{dist}=={importlib.metadata.version(dist)}"
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


@cache
def _distributions() -> Mapping[str, list[str]]:
    return importlib.metadata.packages_distributions()


@cache
def renderer_version() -> str:
    here = Path(__file__).parent.parent
    h = hashlib.sha256(RENDERER_VERSION.encode())
    for name in _RENDERER_MODULES:
        h.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    return h.hexdigest()[:16]
