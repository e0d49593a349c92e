"""Imports ``snippets`` modules from a project's files, fresh, in a worker process.

A meta-path finder placed first maps ``snippets`` and ``snippets.*`` to
``<root>/snippets/``, whatever other ``snippets`` package is installed, and
compiles each module from its source with its real file name (no bytecode
cache), so tracebacks point at ``snippets/<module>.py:<line>`` and an edit is
always seen. ``isolated`` sets previously imported snippet modules aside.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.machinery
import linecache
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

PACKAGE = "snippets"


class SnippetLoader(importlib.abc.Loader):
    def __init__(self, path: Path | None) -> None:
        self.path = path  # None: a package without __init__.py

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        if self.path is None:
            return
        source = self.path.read_text(encoding="utf-8")
        code = compile(source, str(self.path), "exec", dont_inherit=True)
        exec(code, module.__dict__)

    def get_source(self, fullname: str) -> str | None:
        return None if self.path is None else self.path.read_text(encoding="utf-8")


class SnippetFinder(importlib.abc.MetaPathFinder):
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def find_spec(self, fullname, path=None, target=None):  # type: ignore[override]
        if fullname != PACKAGE and not fullname.startswith(PACKAGE + "."):
            return None
        parts = fullname.split(".")[1:]
        base = self.directory.joinpath(*parts)
        init = base / "__init__.py"
        if not parts or init.is_file():
            file = init if init.is_file() else None
            spec = importlib.machinery.ModuleSpec(
                fullname, SnippetLoader(file), origin=str(file) if file else None, is_package=True
            )
            spec.submodule_search_locations = [str(base)]
        elif base.with_suffix(".py").is_file():
            file = base.with_suffix(".py")
            spec = importlib.machinery.ModuleSpec(fullname, SnippetLoader(file), origin=str(file))
        else:
            return None
        spec.has_location = file is not None
        return spec


@contextlib.contextmanager
def isolated(root: Path) -> Iterator[SnippetFinder]:
    """While active, ``import snippets.x`` loads ``<root>/snippets/x.py`` afresh.

    Snippet modules imported before are set aside and put back afterwards, so
    drawing in-process (tests) leaves the interpreter as it found it.
    """
    saved = {n: m for n, m in sys.modules.items() if n == PACKAGE or n.startswith(PACKAGE + ".")}
    forget()
    finder = SnippetFinder(root / PACKAGE)
    sys.meta_path.insert(0, finder)
    importlib.invalidate_caches()
    linecache.checkcache()
    try:
        yield finder
    finally:
        sys.meta_path[:] = [f for f in sys.meta_path if f is not finder]
        forget()
        sys.modules.update(saved)
        importlib.invalidate_caches()


def forget() -> None:
    """Removes every imported snippet module, so the next import runs its file again."""
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def import_snippet(module: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{module}")
