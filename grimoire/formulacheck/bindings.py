"""The Python side of a check block: compile ``NAME := python`` and evaluate it.

A binding sees the Python names of the entries above it (``\\beta`` is
``beta``) plus ``np``, ``numpy``, ``math``, ``scipy`` and ``snippets``;
``snippets``/``scipy`` submodules it names are imported on first use. A
binding "calls project code" when it names something under ``snippets``;
it is a function binding when it evaluates, without any drawn input, to a
callable (``snippets.activations.softmax``, ``lambda v: ...``).
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import math
from dataclasses import dataclass
from types import CodeType, ModuleType
from typing import Any

import numpy as np

from grimoire.formulacheck.blocks import closest
from grimoire.formulacheck.errors import FormulaError, Location

PROJECT_PACKAGE = "snippets"
MODULE_ROOTS = ("snippets", "scipy", "numpy", "np", "math")


@dataclass(frozen=True)
class CompiledBinding:
    source: str
    code: CodeType
    names: frozenset[str]  # the free Python names it reads
    project_refs: tuple[str, ...]  # dotted names under snippets that it mentions
    is_function: bool


@functools.cache
def _libraries() -> tuple[tuple[str, Any], ...]:
    import scipy

    return (("np", np), ("numpy", np), ("math", math), ("scipy", scipy))


def base_namespace() -> dict[str, Any]:
    # ``snippets`` is looked up each time, never cached: a worker imports the
    # project's snippet modules afresh for every check (workers.snippet_loader).
    return dict(_libraries()) | {PROJECT_PACKAGE: importlib.import_module(PROJECT_PACKAGE)}


def _dotted(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def dotted_names(tree: ast.AST) -> list[str]:
    """Maximal dotted chains rooted at a module (``snippets.averages.ema``)."""
    chains: list[str] = []
    inner: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in inner:
            chain = _dotted(node)
            value = node.value
            while isinstance(value, ast.Attribute):
                inner.add(id(value))
                value = value.value
            if chain and chain.split(".")[0] in MODULE_ROOTS:
                chains.append(chain)
    return chains


def resolve(dotted: str, namespace: dict[str, Any], location: Location) -> Any:
    """Import and follow ``dotted``; a misspelt part is an error that suggests the closest name."""
    root, *parts = dotted.split(".")
    current: Any = namespace[root]
    for part in parts:
        if isinstance(current, ModuleType) and not hasattr(current, part):
            try:
                importlib.import_module(f"{current.__name__}.{part}")
            except ModuleNotFoundError:
                pass
        if not hasattr(current, part):
            options = [name for name in dir(current) if not name.startswith("_")]
            guess = closest(part, options)
            owner = getattr(current, "__name__", root)
            raise FormulaError(location, f"{owner} has no attribute '{part}'",
                               f"did you mean {owner}.{guess}?" if guess else None)
        current = getattr(current, part)
    return current


def _free_names(tree: ast.AST) -> set[str]:
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    loads = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    return loads - bound - set(dir(builtins))


def compile_binding(source: str, location: Location, available: dict[str, str]) -> CompiledBinding:
    """Compile ``source``; ``available`` maps the Python names of earlier entries to their LaTeX."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise FormulaError(location, f"the Python '{source}' does not parse: {error.msg}") from None
    namespace = base_namespace()
    names = frozenset(_free_names(tree))
    for name in sorted(names):
        if name not in namespace and name not in available:
            known = ", ".join(f"{py} ({latex})" for py, latex in available.items()) or "none"
            guess = closest(name, list(available) + list(namespace))
            raise FormulaError(location, f"the Python '{source}' uses '{name}', which is not defined above it",
                               (f"did you mean '{guess}'? " if guess else "") + f"names defined above: {known}")
    chains = dotted_names(tree)
    for chain in chains:
        resolve(chain, namespace, location)
    project = tuple(c for c in chains if c.split(".")[0] == PROJECT_PACKAGE)
    code = compile(tree, f"<{location}>", "eval")
    is_function = False
    if names <= set(namespace):
        try:
            is_function = callable(eval(code, namespace))  # noqa: S307 - the project's own check blocks
        except Exception as error:
            raise FormulaError(location, f"'{source}' raised {type(error).__name__}: {error}") from None
    return CompiledBinding(source, code, names, project, is_function)


def evaluate_binding(binding: CompiledBinding, values: dict[str, Any]) -> Any:
    namespace = base_namespace()
    namespace.update(values)
    return eval(binding.code, namespace)  # noqa: S307 - the project's own check blocks
