"""Evaluate a formula's AST with numpy, on the values drawn and bound for one example.

Subscripts are strict indexing (1-based unless ``@base 0``); an unbounded
``\\sum_j`` runs over the axis that ``j`` indexes in its body. Subtrees that
depend on no index variable are computed once per example (a ``softmax(x)``
under a free index ``i`` is not recomputed for every ``i``).
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Iterator

import numpy as np

from grimoire.formulacheck import operations as ops
from grimoire.formulacheck.errors import EvaluationError
from grimoire.formulacheck.nodes import (
    BigOp, BinOp, Binom, Call, Factorial, Frac, Func, Index, Name, Neg, Node, Num, Power, Ref,
    Transpose, Tuple, Word,
)

CONSTANTS = {"e": math.e, "\\pi": math.pi, "\\infty": math.inf}
KRONECKER = "\\delta"  # unbound \delta_{ij} is the Kronecker delta


def kronecker_indices(node: Node) -> list[Node] | None:
    """The two subscripts of an unbound ``\\delta_{ij}`` (the Kronecker delta), else ``None``."""
    if not (isinstance(node, Index) and isinstance(node.base, Name) and node.base.name == KRONECKER):
        return None
    pair = node.indices if len(node.indices) == 2 else node.factors
    return pair if pair is not None and len(pair) == 2 else None


def is_kronecker(node: Node) -> bool:
    return kronecker_indices(node) is not None


def dependencies(root: Node) -> dict[Node, frozenset[str]]:
    """For every node, the index variables (unbound names) its value depends on."""
    table: dict[Node, frozenset[str]] = {}

    def visit(node: Node) -> frozenset[str]:
        inner = frozenset().union(*(visit(child) for child in node.children()))
        if is_kronecker(node):
            inner = inner - {KRONECKER}
        if isinstance(node, Name) and node.name not in CONSTANTS:
            inner = inner | {node.name}
        if isinstance(node, Ref):
            inner = inner | set(node.letters)
        if isinstance(node, BigOp):
            inner = inner - set(node.indices) | _bound_dependencies(node, table)
        table[node] = inner
        return inner

    visit(root)
    return table


def _bound_dependencies(node: BigOp, table: dict[Node, frozenset[str]]) -> frozenset[str]:
    parts = [table[part] for part in (node.lower, node.upper, node.excluded) if part is not None]
    return frozenset().union(*parts)


def subscript_uses(root: Node, name: str) -> Iterator[Index]:
    """Every Index node where ``name`` alone is a subscript, outside sums that rebind it."""
    if isinstance(root, BigOp) and name in root.indices:
        return
    if isinstance(root, Index) and not is_kronecker(root):
        candidates = root.indices + (root.factors or [])
        if any(isinstance(p, Name) and p.name == name for p in candidates):
            yield root
    for child in root.children():
        yield from subscript_uses(child, name)


def effective_indices(node: Index, base: Any) -> list[Node]:
    """The subscripts of ``node`` for this base: ``A_{ij}`` is two indices on a matrix, ``x_{2i}`` one on a vector."""
    if node.factors is None or callable(base) or np.ndim(base) != len(node.factors):
        return node.indices
    # A column vector reads x_{2i} as one subscript; a one-row matrix still reads A_{ij} as two.
    vector_like = np.ndim(base) == 2 and 1 in np.shape(base)
    return node.indices if vector_like and any(isinstance(f, Num) for f in node.factors) else node.factors


def label(node: Node) -> str:
    """A short spelling of a subscript for messages (``t-1``)."""
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Ref):
        return node.key
    if isinstance(node, Num):
        return f"{node.value:g}"
    if isinstance(node, Neg):
        return f"-{label(node.operand)}"
    if isinstance(node, BinOp):
        op = {"mul": " ", "cdot": " \\cdot ", "times": " \\times ", "odot": " \\odot "}.get(node.op, node.op)
        return f"{label(node.left)}{op}{label(node.right)}"
    return "a subscript"


class Evaluator:
    """Evaluates nodes for one example: ``refs`` maps bound keys to values."""

    def __init__(self, refs: dict[str, Any], base: int, deps: dict[Node, frozenset[str]]) -> None:
        self.refs = refs
        self.base = base
        self.deps = deps
        self.indices: dict[str, int] = {}
        self.index_names: set[str] = set()  # free indices of the relation being checked
        self.cache: dict[Node, Any] = {}

    def evaluate(self, node: Node) -> Any:
        cacheable = not self.deps.get(node, frozenset())
        if cacheable and node in self.cache:
            return self.cache[node]
        result = self._compute(node)
        if cacheable:
            self.cache[node] = result
        return result

    def infer_range(self, name: str, *bodies: Node) -> range:
        """The values of index ``name``: the axis it subscripts in ``bodies``, which must be unique."""
        lengths: set[int] = set()
        for body in bodies:
            for node in subscript_uses(body, name):
                if not self.deps.get(node.base, frozenset()) <= set(self.indices):
                    continue
                base = self.evaluate(node.base)
                indices = effective_indices(node, base)
                axes = [axis for axis, p in enumerate(indices) if isinstance(p, Name) and p.name == name]
                if axes:
                    lengths.add(ops.index_positions(base, len(indices))[axes[0]])
        for body in bodies:
            for ref in (n for n in body.walk() if isinstance(n, Ref) and name in n.letters):
                value = self.refs[ref.key]
                letters = [l for l in ref.letters if l == name or l in self.indices or l in self.index_names]
                if not callable(value) and np.ndim(value) >= len(letters):
                    lengths.add(ops.index_positions(value, len(letters))[letters.index(name)])
        if not lengths:
            raise EvaluationError(
                f"cannot tell which values {name} takes: it never subscripts an array on its own; "
                f"give bounds (\\sum_{{{name}=1}}^{{n}}) or add '@index {name} a..b'")
        if len(lengths) > 1:
            raise EvaluationError(f"{name} subscripts axes of different lengths {sorted(lengths)}")
        length = lengths.pop()
        return range(self.base, self.base + length)

    def integer(self, node: Node, what: str) -> int:
        result = self.evaluate(node)
        if np.ndim(result) != 0 or not float(result).is_integer():
            raise EvaluationError(f"{what} must be an integer, got {result!r}")
        return int(result)

    def assignments(self, node: BigOp) -> Iterator[dict[str, int]]:
        if node.lower is not None and node.upper is not None:
            if len(node.indices) != 1:
                raise EvaluationError("bounds on a sum over several indices are ambiguous")
            lo = self.integer(node.lower, "a lower bound")
            hi = self.integer(node.upper, "an upper bound")
            ranges = [range(lo, hi + 1)]
        else:
            ranges = [self.infer_range(name, node.body) for name in node.indices]
        excluded = None if node.excluded is None else self.evaluate(node.excluded)
        for combination in itertools.product(*ranges):
            if excluded is not None and combination[0] == excluded:
                continue
            yield dict(zip(node.indices, combination))

    def big_operator(self, node: BigOp) -> Any:
        saved = dict(self.indices)
        total: Any = None
        try:
            for assignment in self.assignments(node):
                self.indices.update(assignment)
                term = self.evaluate(node.body)
                if total is None:
                    total = term
                elif node.op == "sum":
                    total = ops.add(total, term, "+")
                elif node.op == "prod":
                    total = ops.multiply(total, term, "odot")
                else:
                    total = ops.extremum([total, term], node.op)
        finally:
            self.indices = saved
        if total is None:
            if node.op in ("max", "min"):
                raise EvaluationError(f"\\{node.op} over an empty range")
            return 0.0 if node.op == "sum" else 1.0
        return total

    def _compute(self, node: Node) -> Any:
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Ref):
            return self.reference(node)
        if isinstance(node, Tuple):
            items = [self.evaluate(item) for item in node.items]
            if any(np.ndim(item) != 0 or callable(item) for item in items):
                raise EvaluationError("a vector (a, b, c) must list numbers")
            return np.array(items, dtype=np.float64)
        if isinstance(node, Name):
            if node.name in self.indices:
                return float(self.indices[node.name])
            if node.name in CONSTANTS:
                return CONSTANTS[node.name]
            raise EvaluationError(f"{node.name} has no value here")
        if isinstance(node, Word):
            raise EvaluationError(f"\\mathrm{{{node.text}}} has no value")
        if isinstance(node, Neg):
            return ops.negate(self.evaluate(node.operand))
        if isinstance(node, BinOp):
            left, right = self.evaluate(node.left), self.evaluate(node.right)
            if node.op in "+-":
                return ops.add(left, right, node.op)
            if node.op == "/":
                return ops.divide(left, right)
            return ops.multiply(left, right, node.op)
        if isinstance(node, Frac):
            return ops.divide(self.evaluate(node.numerator), self.evaluate(node.denominator))
        if isinstance(node, Power):
            return ops.power(self.evaluate(node.base), self.evaluate(node.exponent))
        if isinstance(node, Transpose):
            return ops.transpose(self.evaluate(node.operand))
        if isinstance(node, Index):
            pair = kronecker_indices(node)
            if pair is not None:
                first, second = (self.evaluate(position) for position in pair)
                return 1.0 if first == second else 0.0
            base = self.evaluate(node.base)
            indices = effective_indices(node, base)
            positions = [self.evaluate(position) for position in indices]
            return ops.index(base, positions, self.base, [label(p) for p in indices])
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Func):
            return self.function(node)
        if isinstance(node, BigOp):
            return self.big_operator(node)
        if isinstance(node, Factorial):
            return ops.factorial(self.evaluate(node.operand))
        if isinstance(node, Binom):
            return ops.binomial(self.evaluate(node.n), self.evaluate(node.k))
        raise EvaluationError(f"cannot evaluate {type(node).__name__}")

    def reference(self, node: Ref) -> Any:
        """A bound value; the unbound letters of its name that are indices here subscript it."""
        value = self.refs[node.key]
        active = [letter for letter in node.letters if letter in self.indices]
        if not active or callable(value) or np.ndim(value) == 0:
            return value
        return ops.index(value, [float(self.indices[letter]) for letter in active], self.base, active)

    def call(self, node: Call) -> Any:
        function = self.evaluate(node.callee)
        if not callable(function):
            raise EvaluationError("a value that is not a function is called")
        args = [self.evaluate(arg) for arg in node.args]
        try:
            result = function(*args)
        except EvaluationError:
            raise
        except Exception as error:  # the implementation under test may raise anything
            name = getattr(function, "__qualname__", repr(function))
            raise EvaluationError(f"{name} raised {type(error).__name__}: {error}") from error
        return ops.value(result)

    def function(self, node: Func) -> Any:
        if node.name == "norm":
            order: Any = None
            if isinstance(node.option, Name) and node.option.name in ("F", "\\infty"):
                order = "F" if node.option.name == "F" else "inf"
            elif node.option is not None:
                order = self.evaluate(node.option)
            return ops.norm(self.evaluate(node.args[0]), order)
        args = [self.evaluate(arg) for arg in node.args]
        if node.name in ("max", "min"):
            return ops.extremum(args, node.name)
        if len(args) != 1:
            raise EvaluationError(f"\\{node.name} takes one argument, got {len(args)}")
        if node.name == "abs":
            return ops.absolute(args[0])
        option = None if node.option is None else self.evaluate(node.option)
        return ops.elementwise(node.name, args[0], option)
