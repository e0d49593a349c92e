"""What the source of ``snippets/`` says, read without running it.

For each snippet module: its text and digest, the top-level names it binds
(with the line of each ``def``), the other snippet modules it imports and the
third-party packages it imports. The cache key, the source links and the
"no such function" checks all come from here, so a warm build never imports
a snippet.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .references import PACKAGE


@dataclass(frozen=True)
class ModuleSource:
    """One snippet module (or package ``__init__``) as read from disk."""

    name: str  # dotted, relative to the package: "activations", "sub.module"; "" is the package
    path: Path
    rel_path: str  # relative to the project root, POSIX style: "snippets/activations.py"
    digest: str  # sha256 of the file's bytes
    is_package: bool
    syntax_ok: bool
    functions: dict[str, int] = field(default_factory=dict)  # top-level def -> line of `def`
    bound: frozenset[str] = frozenset()  # every top-level name (defs, classes, assignments, imports)
    local_imports: frozenset[str] = frozenset()  # names of other snippet modules it imports
    external_imports: frozenset[str] = frozenset()  # top-level names of other imported packages


class SnippetIndex:
    """The snippet modules under ``<root>/snippets``, read lazily and memoised for one build."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.directory = root / PACKAGE
        self._modules: dict[str, ModuleSource | None] = {}

    def module(self, name: str) -> ModuleSource | None:
        """The module ``name`` ("" for the package itself), None when there is no such file."""
        if name not in self._modules:
            self._modules[name] = self._read(name)
        return self._modules[name]

    def closure(self, name: str) -> list[ModuleSource]:
        """``name``, every snippet module it imports (transitively), and the package
        ``__init__`` files that importing them runs; sorted by name."""
        seen: dict[str, ModuleSource] = {}
        todo = [name]
        while todo:
            current = todo.pop()
            for candidate in (*_parents(current), current):
                if candidate in seen:
                    continue
                module = self.module(candidate)
                if module is None:
                    continue
                seen[candidate] = module
                todo.extend(module.local_imports)
        return [seen[n] for n in sorted(seen)]

    def module_names(self) -> list[str]:
        """Every importable module under ``snippets/`` (for "did you mean" hints)."""
        if not self.directory.is_dir():
            return []
        names = []
        for path in sorted(self.directory.rglob("*.py")):
            rel = path.relative_to(self.directory).with_suffix("")
            if path.name == "__init__.py" or any(p.startswith((".", "_")) for p in rel.parts):
                continue
            names.append(".".join(rel.parts))
        return names

    def _read(self, name: str) -> ModuleSource | None:
        parts = name.split(".") if name else []
        base = self.directory.joinpath(*parts)
        if (base / "__init__.py").is_file():
            path, is_package = base / "__init__.py", True
        elif parts and base.with_suffix(".py").is_file():
            path, is_package = base.with_suffix(".py"), False
        else:
            return None
        data = path.read_bytes()
        rel_path = path.relative_to(self.root).as_posix()
        digest = hashlib.sha256(data).hexdigest()
        try:
            tree = ast.parse(data, filename=str(path))
        except (SyntaxError, ValueError):
            return ModuleSource(name, path, rel_path, digest, is_package, syntax_ok=False)
        package = name if is_package else name.rpartition(".")[0]
        local, external = _imports(tree, package)
        return ModuleSource(
            name,
            path,
            rel_path,
            digest,
            is_package,
            syntax_ok=True,
            functions=_functions(tree),
            bound=_bound_names(tree),
            local_imports=frozenset(n for n in local if n != name and self._exists(n)),
            external_imports=frozenset(external),
        )

    def _exists(self, name: str) -> bool:
        return self.module(name) is not None


def _parents(name: str) -> list[str]:
    """The packages whose ``__init__`` runs before ``name``: "", "a", "a.b" for "a.b.c"."""
    parts = name.split(".") if name else []
    return [".".join(parts[:i]) for i in range(len(parts))]


def _functions(tree: ast.Module) -> dict[str, int]:
    return {
        node.name: node.lineno
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def _bound_names(tree: ast.Module) -> frozenset[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return frozenset(names)


def _imports(tree: ast.Module, package: str) -> tuple[set[str], set[str]]:
    """(snippet modules, other top-level packages) imported anywhere in ``tree``.

    ``package`` is the dotted name, relative to ``snippets``, of the package
    the module lives in ("" for a module directly in ``snippets/``). Names
    that may be either a submodule or an attribute (``from snippets.a import
    b``) are returned as both; the caller keeps the ones that exist.
    """
    local: set[str] = set()
    external: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                _classify(alias.name, local, external)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".") if package else []
                if node.level - 1 > len(parts):
                    continue
                base = parts[: len(parts) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
                full = f"{PACKAGE}.{stem}" if stem else PACKAGE
            else:
                full = node.module or ""
            _classify(full, local, external)
            if full == PACKAGE or full.startswith(PACKAGE + "."):
                for alias in node.names:
                    if alias.name != "*":
                        _classify(f"{full}.{alias.name}", local, external)
    return local, external


def _classify(full: str, local: set[str], external: set[str]) -> None:
    if full == PACKAGE:
        local.add("")
    elif full.startswith(PACKAGE + "."):
        parts = full.split(".")[1:]
        local.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    elif full and full != "__future__":
        external.add(full.split(".")[0])
