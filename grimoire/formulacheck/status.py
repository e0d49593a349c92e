"""What the site shows next to each display formula: how (and whether) it is checked.

``formula_statuses(text)`` is pure: it reads a page's Markdown and the
blocks, without running any check, and returns per display formula its
line, status, the implementation functions its block names (with their
source file and line, for a link), the input domain in words, and the
reason of a nocheck.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from grimoire.figures.snippet_source import SnippetIndex
from grimoire.formulacheck.bindings import PROJECT_PACKAGE, dotted_names
from grimoire.formulacheck.blocks import Binding, CheckBlock, DoctestBlock, NocheckBlock, RandomVariable, Sampler
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


def describe_sampler(sampler: Sampler | RandomVariable) -> str:
    if isinstance(sampler, RandomVariable):
        names = ", ".join(readable(n) for n in sampler.names)
        if sampler.family is None:
            return f"{names} drawn by the project code {sampler.python}"
        shape = f" ({sampler.shape} of {' × '.join(readable(a) for a in sampler.shape_args)}, iid entries)" \
            if sampler.shape else ""
        return f"{names} ~ {sampler.family}({', '.join(readable(p) for p in sampler.parameters)}){shape}"
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
        "ints": f"{name} a vector of {args[0]} whole numbers in {low}..{high}",
        "distinct": f"{name} a vector of {args[0]} distinct whole numbers in {low}..{high}",
    }[sampler.kind]


def describe_domain(block: CheckBlock) -> str:
    parts = [describe_sampler(entry) for entry in block.entries if isinstance(entry, (Sampler, RandomVariable))]
    parts += [f"{readable(r.name)} ∈ {readable(r.low)}..{readable(r.high)}" for r in block.options.indices]
    return ", ".join(parts) or FIXED


def implementation(dotted: str, root: Path | None = None) -> Implementation | None:
    """Where ``snippets.module.function`` is defined, read from the source without importing it.

    The build never imports a snippet module in its own process (they run in
    workers), so the link comes from the module's text. ``None`` when no
    snippet module matches; the line is ``None`` for a name that is not a
    top-level ``def``.
    """
    index = _snippet_index(root or project_root())
    parts = dotted.split(".")
    if parts[0] != PROJECT_PACKAGE:
        return None
    for cut in range(len(parts) - 1, 0, -1):
        module = index.module(".".join(parts[1:cut]))
        if module is None or not module.syntax_ok or cut == 1:
            continue
        attribute = parts[cut] if cut < len(parts) else ""
        return Implementation(dotted, module.rel_path, module.functions.get(attribute))
    return None


_INDEXES: dict[Path, SnippetIndex] = {}


def _snippet_index(root: Path) -> SnippetIndex:
    if root not in _INDEXES:
        _INDEXES[root] = SnippetIndex(root)
    return _INDEXES[root]


def clear_source_index(index: SnippetIndex | None = None) -> None:
    """Forget the snippet sources read so far (a new build reads them afresh).

    ``index``: the build's own reading of its snippets, used from now on (read once, shared).
    """
    _INDEXES.clear()
    if index is not None:
        _INDEXES[index.root] = index


def _doctest_names(source: str) -> list[str]:
    code = "\n".join(line.strip()[4:] for line in source.splitlines() if line.strip().startswith((">>> ", "... ")))
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names = [f"{node.module}.{alias.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             and node.module and node.module.split(".")[0] == PROJECT_PACKAGE for alias in node.names]
    return names + [d for d in dotted_names(tree) if d.split(".")[0] == PROJECT_PACKAGE]


def _implementations(dotted: list[str], root: Path | None = None) -> tuple[Implementation, ...]:
    found = [implementation(name, root) for name in dict.fromkeys(dotted)]
    return tuple(item for item in found if item is not None)


def formula_statuses(text: str, path: str = "<page>", root: Path | None = None) -> list[FormulaStatus]:
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
            statuses.append(FormulaStatus(line, DOCTEST, _implementations(_doctest_names(block.source), root), "", None))
        else:
            dotted = [d for entry in block.entries if isinstance(entry, Binding) or
                      isinstance(entry, RandomVariable) and entry.python for d in _binding_names(entry.python or "")]
            statuses.append(FormulaStatus(line, CHECKED, _implementations(dotted, root), describe_domain(block), None))
    return statuses


def _binding_names(python: str) -> list[str]:
    try:
        tree = ast.parse(python, mode="eval")
    except SyntaxError:
        return []
    return [d for d in dotted_names(tree) if d.split(".")[0] == PROJECT_PACKAGE]
