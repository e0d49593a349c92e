"""The cache key of a formula check: a digest of everything its result can depend on.

Inputs: the page path and the formula's line (results name them), the
formula's TeX, its block (kind and text, with its line), the site macros,
the requested number of examples, the source of every snippet module the
block binds and of every snippet module those import (transitively), the
versions of numpy, scipy, hypothesis and of the libraries those modules
import, the Python version, and the checker's own version (a digest of the
engine code that runs in the worker). A block whose bindings cannot be read
statically depends on every snippet module.
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
from functools import cache
from pathlib import Path

from ..figures.cache_key import library_versions
from ..figures.snippet_source import ModuleSource, SnippetIndex
from ..formulacheck.bindings import PROJECT_PACKAGE, dotted_names
from ..formulacheck.blocks import Binding, CheckBlock, DoctestBlock
from ..formulacheck.pages import Item

# Bump when results change in a way the source digest would miss.
CHECKER_VERSION = "1"
ALWAYS_VERSIONED = ("numpy", "scipy", "hypothesis")
_ENGINE = Path(__file__).resolve().parent.parent
# The code a checking worker loads (tests/test_checker_version.py keeps the list complete). Not the main
# process's planning, storing and marking (checks/build.py, cache.py, domain.py): a change there would
# otherwise run every check of the site again.
_CHECKER_CODE = ("formulacheck", "checks/__init__.py", "checks/cache_key.py", "checks/jobs.py", "checks/worker.py",
                 "workers", "macros.py", "markdown_text.py", "equations/__init__.py", "equations/syntax.py",
                 "layout.py", "notebook_page.py", "page_source.py", "problems.py", "yaml_text.py")


def bound_modules(item: Item, index: SnippetIndex) -> list[str] | None:
    """The snippet modules (dotted, relative to ``snippets``) the block names; None if it cannot tell."""
    block = item.block
    if isinstance(block, CheckBlock):
        sources = [entry.python for entry in block.entries if isinstance(entry, Binding)]
        trees = [_parse(source, "eval") for source in sources]
    elif isinstance(block, DoctestBlock):
        code = "\n".join(line.strip()[4:] for line in block.source.splitlines()
                         if line.strip().startswith((">>> ", "... ")))
        trees = [_parse(code, "exec")]
    else:
        return []
    if any(tree is None for tree in trees):
        return None
    names: set[str] = set()
    for tree in trees:
        assert tree is not None
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == PROJECT_PACKAGE:
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names if alias.name.split(".")[0] == PROJECT_PACKAGE)
        names.update(d for d in dotted_names(tree) if d.split(".")[0] == PROJECT_PACKAGE)
    modules: set[str] = set()
    for dotted in names:
        parts = dotted.split(".")[1:]
        found = next((".".join(parts[:cut]) for cut in range(len(parts), 0, -1)
                      if index.module(".".join(parts[:cut])) is not None), None)
        if found is None:
            return None  # a name the static reading cannot place: depend on everything
        modules.add(found)
    return sorted(modules)


def check_key(item: Item, macros: dict[str, str], index: SnippetIndex, examples: int | None) -> str:
    names = bound_modules(item, index)
    if names is None:
        names = index.module_names()
    closure: dict[str, ModuleSource] = {}
    for name in names:
        for module in index.closure(name):
            closure[module.rel_path] = module
    packages = set(ALWAYS_VERSIONED)
    for module in closure.values():
        packages.update(module.external_imports)
    formula = item.formula
    raw = formula.block
    blob = json.dumps({
        "page": formula.path,
        "line": formula.line,
        "tex": formula.latex,
        "block": None if raw is None else [raw.kind, raw.body, raw.line],
        "macros": sorted(macros.items()),
        "examples": examples,
        "sources": sorted((path, module.digest) for path, module in closure.items()),
        "versions": sorted(library_versions(packages).items()),
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "checker": checker_version(),
    }, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@cache
def checker_version() -> str:
    """A digest of the engine code that runs a check (the checker, this package, the workers)."""
    h = hashlib.sha256(CHECKER_VERSION.encode())
    for name in _CHECKER_CODE:
        target = _ENGINE / name
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for path in files:
            h.update(path.relative_to(_ENGINE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _parse(source: str, mode: str) -> ast.AST | None:
    try:
        return ast.parse(source, mode=mode)
    except SyntaxError:
        return None
