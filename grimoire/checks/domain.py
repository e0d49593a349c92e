"""The inputs a check was run on, in the formula's own notation, as TeX for the mark.

A check block draws its inputs with samplers named by LaTeX fragments
(``\\hat{y} : real 0..1``), so the names are written back as they are and
typeset by KaTeX with the page's macros: ``\\hat{y}`` stays ŷ and ``P``
stays P. A sampler whose name does not appear in the formula (a vector
length ``n`` that the formula never mentions) is never named in the mark:
where another sampler's size or bound uses it, its range stands in
(``x`` of length 1 to 8), and it is not listed on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..formulacheck.blocks import CheckBlock, RandomVariable, Sampler

_COMMAND = re.compile(r"\\[A-Za-z]+")
_INTEGER = re.compile(r"-?\d+")


def visible(name: str, formula_tex: str) -> bool:
    """Whether the sampler name ``name`` is written in ``formula_tex``."""
    name = name.strip()
    if not name:
        return False
    if name.startswith("\\") and _COMMAND.fullmatch(name):
        return re.search(re.escape(name) + r"(?![A-Za-z])", formula_tex) is not None
    if re.fullmatch(r"[A-Za-z]", name):
        # a single letter, outside command names such as \sin or \mathrm
        without_commands = _COMMAND.sub(" ", formula_tex)
        return re.search(rf"(?<![A-Za-z]){name}(?![A-Za-z])", without_commands) is not None
    compact = re.sub(r"\s+", "", formula_tex)
    return re.sub(r"\s+", "", name) in compact


class _Names:
    """The ranges of hidden integer samplers, to stand in for their names."""

    def __init__(self, samplers: Iterable[Sampler], formula_tex: str) -> None:
        self.hidden: dict[str, tuple[str, str]] = {}
        for s in samplers:
            if not visible(s.name, formula_tex):
                self.hidden[s.name.strip()] = (self.low(s.low or "?"), self.high(s.high or "?"))

    def _sub(self, expr: str, which: int) -> str:
        expr = expr.strip()
        for name, bounds in self.hidden.items():
            if name in expr:
                if expr == name:
                    return bounds[which]
                expr = re.sub(rf"(?<![A-Za-z\\]){re.escape(name)}(?![A-Za-z])", f"({bounds[which]})", expr)
        return expr

    def low(self, expr: str) -> str:
        return self._sub(expr, 0)

    def high(self, expr: str) -> str:
        return self._sub(expr, 1)

    def size(self, expr: str) -> str:
        """A size argument: a hidden name becomes its range, ``1\\text{ to }8``."""
        expr = expr.strip()
        if expr in self.hidden:
            low, high = self.hidden[expr]
            return low if low == high else f"{low}\\text{{ to }}{high}"
        if any(name in expr for name in self.hidden):
            return f"{self.low(expr)}\\text{{ to }}{self.high(expr)}"
        return expr


def _integers(low: str, high: str) -> str:
    if _INTEGER.fullmatch(low) and _INTEGER.fullmatch(high) and int(high) - int(low) <= 2:
        return "\\{" + ", ".join(str(v) for v in range(int(low), int(high) + 1)) + "\\}"
    return f"\\{{{low}, \\dots, {high}\\}}"


def _shape(names: _Names, args: tuple[str, ...]) -> tuple[str, bool]:
    """TeX of a shape and whether a hidden size stood in (then it reads as words)."""
    hidden = any(arg.strip() in names.hidden or any(h in arg for h in names.hidden) for arg in args)
    return " \\times ".join(names.size(arg) for arg in args), hidden


def sampler_tex(sampler: Sampler, names: _Names) -> str | None:
    """TeX of one sampler's domain; None for a hidden sampler (never named in the mark)."""
    name = sampler.name.strip()
    if name in names.hidden:
        return None
    low, high = names.low(sampler.low or ""), names.high(sampler.high or "")
    box = f"[{low}, {high}]"
    kind, args = sampler.kind, sampler.args
    if kind == "int":
        return f"{name} \\in {_integers(low, high)}"
    if kind == "real":
        return f"{name} \\in {box}"
    if kind in ("vector", "col", "matrix"):
        dims = args + ("1",) if kind == "col" else args
        shape, hidden = _shape(names, dims)
        if hidden:
            what = {"vector": "a vector", "col": "a column", "matrix": "a matrix"}[kind]
            return f"{name}\\ \\text{{{what} of size }}{shape}\\text{{, entries in }}{box}"
        return f"{name} \\in {box}^{{{shape}}}"
    if kind in ("ints", "distinct"):
        what = "distinct whole numbers" if kind == "distinct" else "whole numbers"
        return f"{name}\\ \\text{{a vector of }}{names.size(args[0])}\\text{{ {what} in }}{_integers(low, high)}"
    if kind == "simplex":
        return f"{name}\\ \\text{{a probability vector of length }}{names.size(args[0])}"
    if kind in ("invertible", "spd"):
        size = names.size(args[0])
        what = "an invertible" if kind == "invertible" else "a symmetric positive definite"
        return f"{name}\\ \\text{{{what} }}{size} \\times {size}\\text{{ matrix}}"
    return None


def random_tex(variable: RandomVariable, names: _Names, formula_tex: str) -> str | None:
    """TeX of a random variable's law (``X \\sim \\operatorname{normal}(\\mu, \\sigma^2)``)."""
    shown = [n for n in variable.names if visible(n, formula_tex)]
    if not shown:
        return None
    who = ", ".join(shown)
    if variable.family is None:
        return f"{who}\\ \\text{{drawn by the project's code}}"
    params = ", ".join(names.low(p) if p.strip() not in names.hidden else names.size(p) for p in variable.parameters)
    shape = ""
    if variable.shape:
        shape = f"\\ \\text{{({variable.shape} of iid entries)}}"
    return f"{who} \\sim \\operatorname{{{variable.family}}}({params}){shape}"


def domain_tex(block: CheckBlock, formula_tex: str) -> str:
    """The domain of a check block as one TeX string ("" when every value is written in the formula)."""
    samplers = [e for e in block.entries if isinstance(e, Sampler)]
    names = _Names(samplers, formula_tex)
    parts = []
    for entry in block.entries:
        if isinstance(entry, Sampler):
            tex = sampler_tex(entry, names)
        elif isinstance(entry, RandomVariable):
            tex = random_tex(entry, names, formula_tex)
        else:
            continue
        if tex:
            parts.append(tex)
    for r in block.options.indices:
        if visible(r.name, formula_tex):
            parts.append(f"{r.name} \\in {_integers(names.low(r.low), names.high(r.high))}")
    return ",\\quad ".join(parts)
