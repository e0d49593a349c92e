"""What the site shows next to each display formula: how (and whether) it is checked.

``formula_statuses(text)`` is pure: it reads a page's Markdown and the
blocks, without running any check, and returns per display formula its
line, status, the implementation functions its block names (with their
source file and line, for a link), the input domain in words, and the
reason of a nocheck.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from dataclasses import dataclass
from pathlib import Path

from grimoire.formulacheck.bindings import PROJECT_PACKAGE, dotted_names
from grimoire.formulacheck.blocks import Binding, CheckBlock, DoctestBlock, NocheckBlock, Sampler
from grimoire.formulacheck.pages import items_of_text, project_root
from grimoire.formulacheck.tokens import STYLES, WORDS

CHECKED, DOCTEST, NOCHECK, MISSING, INVALID = "checked", "doctest", "nocheck", "missing", "invalid"
_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "ell": "ℓ", "infty": "∞", "mid": "|", "lnot": "¬",
    "top": "ᵀ", "cdot": "·", "times": "×", "le": "≤", "ge": "≥",
}
FIXED = "the values written in the formula"


@dataclass(frozen=True)
class Implementation:
    """A function the check calls: dotted name, and its source file (relative to the project) and line."""

    name: str
    path: str | None
    line: int | None


@dataclass(frozen=True)
class FormulaStatus:
    line: int
    status: str  # checked, doctest, nocheck, missing, or invalid (a block that cannot be read)
    implementations: tuple[Implementation, ...]
    domain: str
    reason: str | None  # the nocheck reason, or for an invalid block the error


def readable(latex: str) -> str:
    """LaTeX names and bounds in plain Unicode: ``\\Sigma_{21}`` -> Σ_21."""
    text = re.sub(r"\\([A-Za-z]+)\*?",
                  lambda m: _GREEK.get(m.group(1), "" if m.group(1) in STYLES | WORDS else m.group(1)), latex)
    return re.sub(r"[{}]", "", text).strip()


def describe_sampler(sampler: Sampler) -> str:
    name = readable(sampler.name)
    args = [readable(arg) for arg in sampler.args]
    low, high = readable(sampler.low or ""), readable(sampler.high or "")
    power = {"vector": args[0] if args else "", "col": f"({' × '.join(args + ['1'])})",
             "matrix": f"({' × '.join(args)})"}.get(sampler.kind)
    if sampler.kind == "int":
        return f"{name} ∈ {low}..{high}"
    if sampler.kind == "real":
        return f"{name} ∈ [{low}, {high}]"
    if power is not None:
        return f"{name} ∈ [{low}, {high}]^{power}"
    return {
        "simplex": f"{name} a probability vector of length {args[0]}",
        "invertible": f"{name} an invertible {args[0]} × {args[0]} matrix",
        "spd": f"{name} a symmetric positive definite {args[0]} × {args[0]} matrix",
    }[sampler.kind]


def describe_domain(block: CheckBlock) -> str:
    parts = [describe_sampler(entry) for entry in block.entries if isinstance(entry, Sampler)]
    parts += [f"{readable(r.name)} ∈ {readable(r.low)}..{readable(r.high)}" for r in block.options.indices]
    return ", ".join(parts) or FIXED


def implementation(dotted: str) -> Implementation | None:
    """Resolve ``snippets.module.function`` to its source location; ``None`` if it is not a function."""
    module_name, _, attribute = dotted.rpartition(".")
    try:
        target = getattr(importlib.import_module(module_name), attribute)
        source = inspect.getsourcefile(target)
        line = inspect.getsourcelines(target)[1]
    except (ImportError, AttributeError, TypeError, OSError):
        return None
    path = Path(source).resolve() if source else None
    root = project_root().resolve()
    shown = path.relative_to(root).as_posix() if path and path.is_relative_to(root) else (str(path) if path else None)
    return Implementation(dotted, shown, line)


def _doctest_names(source: str) -> list[str]:
    code = "\n".join(line.strip()[4:] for line in source.splitlines() if line.strip().startswith((">>> ", "... ")))
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names = [f"{node.module}.{alias.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             and node.module and node.module.split(".")[0] == PROJECT_PACKAGE for alias in node.names]
    return names + [d for d in dotted_names(tree) if d.split(".")[0] == PROJECT_PACKAGE]


def _implementations(dotted: list[str]) -> tuple[Implementation, ...]:
    found = [implementation(name) for name in dict.fromkeys(dotted)]
    return tuple(item for item in found if item is not None)


def formula_statuses(text: str, path: str = "<page>") -> list[FormulaStatus]:
    """Per display formula of the Markdown ``text``: line, status, implementations, domain, reason."""
    statuses: list[FormulaStatus] = []
    for item in items_of_text(text, path):
        line = item.formula.line
        block = item.block
        if item.error is not None:
            statuses.append(FormulaStatus(line, INVALID, (), "", item.error.render()))
        elif block is None:
            statuses.append(FormulaStatus(line, MISSING, (), "", None))
        elif isinstance(block, NocheckBlock):
            statuses.append(FormulaStatus(line, NOCHECK, (), "", block.reason))
        elif isinstance(block, DoctestBlock):
            statuses.append(FormulaStatus(line, DOCTEST, _implementations(_doctest_names(block.source)), "", None))
        else:
            dotted = [d for entry in block.entries if isinstance(entry, Binding)
                      for d in _binding_names(entry.python)]
            statuses.append(FormulaStatus(line, CHECKED, _implementations(dotted), describe_domain(block), None))
    return statuses


def _binding_names(python: str) -> list[str]:
    try:
        tree = ast.parse(python, mode="eval")
    except SyntaxError:
        return []
    return [d for d in dotted_names(tree) if d.split(".")[0] == PROJECT_PACKAGE]
