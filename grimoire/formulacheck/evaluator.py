"""Evaluate a formula's AST with numpy, on the values drawn and bound for one example.

Subscripts are strict indexing (1-based unless ``@base 0``); an unbounded
``\\sum_j`` runs over the axis that ``j`` indexes in its body. Subtrees that
depend on no index variable are computed once per example (a ``softmax(x)``
under a free index ``i`` is not recomputed for every ``i``). Integrals,
limits and argmax bind a letter like a sum's index; derivatives evaluate
their body at shifted values of a bound name (re-running the bindings that
depend on it, through ``Context.rebind``); moments evaluate theirs on
``Sampled`` draws of the random variables (``moments``), with the lifted
operations of ``vectorized``; numerical routines are in ``calculus``. A
sum over an index takes all the index's values at once where it can
(``index_batch``), and one at a time otherwise.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from grimoire.formulacheck import calculus, index_batch
from grimoire.formulacheck import vectorized as ops
from grimoire.formulacheck.errors import EvaluationError
from grimoire.formulacheck.moments import RandomContext, moment
from grimoire.formulacheck.nodes import (
    ArgOp, BigOp, BinOp, Binom, Call, Cases, Condition, Derivative, Factorial, Frac, Func, Index, Indicator,
    Integral, Limit, Moment, Name, Neg, Node, Num, Power, Ref, Transpose, Tuple, Word,
)
from grimoire.formulacheck.vectorized import Sampled

CONSTANTS = {"e": math.e, "\\pi": math.pi, "\\infty": math.inf}
# Subscripts that name a norm rather than give its order: \|A\|_F (Frobenius), \|x\|_\infty.
NORM_NAMES = ("F", "\\infty")
_NONE: frozenset[str] = frozenset()
RANDOM = "~"  # dependency marker of a random variable: '~X' for the bound name X


def bound_variable(node: Node) -> str | None:
    """The letter that an integral, limit or argmax binds in its body, like a sum's index."""
    if isinstance(node, (Integral, Limit)):
        return node.variable
    if isinstance(node, ArgOp):
        return node.index
    return None


def scope_parts(node: Node) -> list[Node]:
    """The parts of a binding node evaluated outside its letter's scope (bounds, target, domain)."""
    if isinstance(node, BigOp):
        return [p for p in (node.lower, node.upper, node.excluded, node.domain) if p is not None]
    if isinstance(node, Integral):
        return [node.lower, node.upper]
    if isinstance(node, Limit):
        return [node.target]
    if isinstance(node, ArgOp):
        return [node.domain] if node.domain is not None else []
    return []


@dataclass
class Context:
    """What an example offers beyond its values: re-running bindings for a shifted input, random variables,
    and the numerical methods used so far (which set the relation's tolerance)."""

    rebind: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    random: RandomContext | None = None
    members: dict[str, list[Any]] = field(default_factory=dict)  # set variables (NAME \\in SET): their members
    numeric: set[str] = field(default_factory=set)
# Scores this close are a tie: argmax is then the set of tied candidates (see ``Evaluator.ties``).
TIE_RTOL, TIE_ATOL = 1e-9, 1e-12
KRONECKER = "\\delta"  # unbound \delta_{ij} is the Kronecker delta


def kronecker_indices(node: Node) -> list[Node] | None:
    """The two subscripts of an unbound ``\\delta_{ij}`` (the Kronecker delta), else ``None``."""
    if not (isinstance(node, Index) and isinstance(node.base, Name) and node.base.name == KRONECKER):
        return None
    pair = node.indices if len(node.indices) == 2 else node.factors
    return pair if pair is not None and len(pair) == 2 else None


def is_kronecker(node: Node) -> bool:
    return kronecker_indices(node) is not None


def dependencies(root: Node, random: frozenset[str] = frozenset()) -> dict[Node, frozenset[str]]:
    """For every node, the index variables (unbound names) and random variables (``~X``) its value depends on."""
    table: dict[Node, frozenset[str]] = {}

    def visit(node: Node) -> frozenset[str]:
        inner = frozenset().union(*(visit(child) for child in node.children()))
        if is_kronecker(node):
            inner = inner - {KRONECKER}
        if isinstance(node, Name) and node.name not in CONSTANTS:
            inner = inner | {node.name}
        if isinstance(node, Ref):
            inner = inner | set(node.letters) | ({RANDOM + node.key} if node.key in random else set())
        if isinstance(node, BigOp):
            inner = inner - set(node.indices) | _bound_dependencies(node, table)
        elif (letter := bound_variable(node)) is not None:
            inner = inner - {letter} | _bound_dependencies(node, table)
        if isinstance(node, Moment):
            inner = frozenset(name for name in inner if not name.startswith(RANDOM))
        table[node] = inner
        return inner

    visit(root)
    return table


def _bound_dependencies(node: Node, table: dict[Node, frozenset[str]]) -> frozenset[str]:
    return frozenset().union(*(table[part] for part in scope_parts(node)))


def subscript_uses(root: Node, name: str) -> Iterator[Index]:
    """Every Index node where ``name`` alone is a subscript, outside sums that rebind it."""
    if isinstance(root, BigOp) and name in root.indices or bound_variable(root) == name:
        return
    if isinstance(root, Index) and not is_kronecker(root):
        candidates = root.indices + (root.factors or [])
        if any(isinstance(p, Name) and p.name == name for p in candidates):
            yield root
    for child in root.children():
        yield from subscript_uses(child, name)


def effective_indices(node: Index, base: Any) -> list[Node]:
    """The subscripts of ``node`` for this base: ``A_{ij}`` is two indices on a matrix, ``x_{2i}`` one on a vector."""
    shape = base.shape if isinstance(base, Sampled) else np.shape(base)
    if node.factors is None or callable(base) or len(shape) != len(node.factors):
        return node.indices
    # A column vector reads x_{2i} as one subscript; a one-row matrix still reads A_{ij} as two.
    vector_like = len(shape) == 2 and 1 in shape
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

    def __init__(self, refs: dict[str, Any], base: int, deps: dict[Node, frozenset[str]],
                 context: Context | None = None) -> None:
        self.refs = refs
        self.base = base
        self.deps = deps
        self.context = context or Context()
        self.indices: dict[str, float] = {}
        self.index_names: set[str] = set()  # free indices of the relation being checked
        self.cache: dict[Node, Any] = {}
        self.weights: np.ndarray | None = None  # probabilities of the draws, when they are an exact support
        self.derivatives: dict[tuple[Node, str, tuple[int, ...]], Any] = {}  # whole values, by entry moved
        self.overrides: dict[str, Any] = {}  # bound values replaced here: shifted by a derivative, or a set's member
        # argmax/argmin node -> every best candidate at its last evaluation: argmax is a set when scores tie
        self.ties: dict[Node, list[Any]] = {}

    def child(self, overrides: dict[str, Any], weights: np.ndarray | None) -> "Evaluator":
        """An evaluator at the same indices with some bound values replaced."""
        child = Evaluator({**self.refs, **overrides}, self.base, self.deps, self.context)
        child.indices = dict(self.indices)
        child.index_names = self.index_names
        child.weights = weights
        child.overrides = self.overrides
        return child

    def replaced(self, key: str, value: Any) -> "Evaluator":
        """An evaluator where the input ``key`` is ``value`` and the bindings that read it are re-run."""
        overrides = {**self.overrides, key: value}
        refs = self.context.rebind(overrides) if self.context.rebind else {**self.refs, key: value}
        child = self.child(refs, self.weights)
        child.overrides = overrides
        return child

    def evaluate(self, node: Node) -> Any:
        cacheable = not self.deps.get(node, _NONE)
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
                if not callable(value) and len(ops.shape_of(value)) >= len(letters):
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
            if hi - lo > calculus.SERIES_TERMS:
                raise EvaluationError(f"a sum of more than {calculus.SERIES_TERMS} terms is too long to evaluate")
            ranges = [range(lo, hi + 1)]
        else:
            ranges = [self.infer_range(name, node.body) for name in node.indices]
        excluded = None if node.excluded is None else self.evaluate(node.excluded)
        if type(excluded) is Sampled:
            raise EvaluationError("an excluded index value must be one number here")
        for combination in itertools.product(*ranges):
            if excluded is not None and combination[0] == excluded:
                continue
            yield dict(zip(node.indices, combination))

    def over_members(self, key: str, body: Node) -> Iterator[tuple[Any, Any]]:
        """Each member of the set variable ``key`` with ``body`` evaluated there (dependent bindings re-run)."""
        for member in self.context.members[key]:
            yield member, self.replaced(key, member).evaluate(body)

    def big_operator(self, node: BigOp) -> Any:
        """A sum, product, max or min: over a set variable's members, a written set (``\\sum_{t \\in S}``),
        bounds, or the axis the index subscripts."""
        terms: Iterable[Any] | None = None
        if any(index in self.context.members for index in node.indices):
            if len(node.indices) != 1 or node.lower is not None or node.excluded is not None:
                raise EvaluationError("a sum over a set variable takes that one variable, without bounds")
            terms = (term for _, term in self.over_members(node.indices[0], node.body))
        elif node.domain is not None:
            domain = self.evaluate(node.domain)
            if callable(domain) or isinstance(domain, Sampled) or np.ndim(domain) > 1:
                raise EvaluationError(f"\\{node.op}_{{{node.indices[0]} \\in S}} runs over a vector of numbers; "
                                      "for vectors as members, declare a set variable (NAME \\in SET)")
            value = self.at(node.indices[0], node.body)
            terms = (value(float(member)) for member in np.ravel(domain))
        if terms is not None:
            total: Any = None
            for term in terms:
                total = term if total is None else (ops.add(total, term, "+") if node.op == "sum" else
                                                    ops.multiply(total, term, "odot") if node.op == "prod" else
                                                    ops.extremum([total, term], node.op))
            if total is None and node.op in ("max", "min"):
                raise EvaluationError(f"\\{node.op} over an empty set")
            return total if total is not None else (0.0 if node.op == "sum" else 1.0)
        if node.upper is not None and node.lower is not None and node.op == "sum":
            upper = self.evaluate(node.upper)
            if np.ndim(upper) == 0 and not callable(upper) and math.isinf(float(upper)) and float(upper) > 0:
                return self.series(node)
        if self.batching() and set(node.indices) & self.deps.get(node.body, frozenset()) \
                and index_batch.batchable(node.body):
            batched = self.batched_total(node)
            if batched is not None:
                return batched
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

    def batching(self) -> bool:
        """Whether an index may take all its values at once here: no random draws, no batch already."""
        return self.context.random is None and not any(type(v) is Sampled for v in self.indices.values())

    def batched_total(self, node: BigOp) -> Any:
        """The big operator over all its index values in one batch (``index_batch``); ``None``: loop instead."""
        saved = dict(self.indices)
        try:
            combinations = [tuple(a[name] for name in node.indices) for a in self.assignments(node)]
        except Exception:  # noqa: BLE001 - the loop finds the same ranges and reports what is wrong
            return None
        if len(combinations) < 2:
            return None
        try:
            self.indices.update(index_batch.batch_of(list(node.indices), combinations))
            total = index_batch.reduce(node.op, self.evaluate(node.body), len(combinations))
        except Exception:  # noqa: BLE001 - the loop re-evaluates and reports whatever went wrong
            total = None
        finally:
            self.indices = saved
        if total is None:
            index_batch.give_up(node.body)
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
                position = self.indices[node.name]
                return position if type(position) is Sampled else float(position)
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
            if node.op == "otimes":
                return ops.kronecker(left, right)
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
                if type(first) is Sampled or type(second) is Sampled:
                    return ops.compare(first, second, "=")
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
        if isinstance(node, Moment):
            return moment(self, node)
        if isinstance(node, Derivative):
            self.context.numeric.add("derivative")
            return self.derivative_of_entry(node) if self.entry_of_whole(node) else \
                self.derivative(node.body, node.variables)
        if isinstance(node, Integral):
            return self.integral(node)
        if isinstance(node, Limit):
            return self.limit(node)
        if isinstance(node, (Cases, Condition, Indicator)):
            return self.logic(node)
        if isinstance(node, ArgOp):
            return self.arg_operator(node)
        if isinstance(node, Factorial):
            return ops.factorial(self.evaluate(node.operand))
        if isinstance(node, Binom):
            return ops.binomial(self.evaluate(node.n), self.evaluate(node.k))
        raise EvaluationError(f"cannot evaluate {type(node).__name__}")

    def reference(self, node: Ref) -> Any:
        """A bound value; the unbound letters of its name that are indices here subscript it."""
        if node.key not in self.refs:
            if node.key in self.context.members:
                raise EvaluationError(f"{node.key} ranges over a set: use it inside a sum, \\argmax or \\argmin "
                                      "over it")
            if self.context.random is None or node.key not in self.context.random.specs:
                raise EvaluationError(f"{node.key} has no value outside the sum or \\argmax over its set")
            raise EvaluationError(f"{node.key} is a random variable: use it inside \\E[...], \\Var(...) or \\Cov(...)")
        value = self.refs[node.key]
        active = [letter for letter in node.letters if letter in self.indices]
        if not active or callable(value) or isinstance(value, Sampled) or np.ndim(value) == 0:
            return value
        return ops.index(value, [self.indices[letter] for letter in active], self.base, active)

    def call(self, node: Call) -> Any:
        function = self.evaluate(node.callee)
        if not callable(function):
            raise EvaluationError("a value that is not a function is called")
        args = [self.evaluate(arg) for arg in node.args]
        if any(isinstance(arg, Sampled) for arg in args):
            return ops.per_draw(lambda *values: self.apply(function, list(values)), *args)
        return self.apply(function, args)

    def apply(self, function: Any, args: list[Any]) -> Any:
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
            if isinstance(node.option, Name) and node.option.name in NORM_NAMES:
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

    def series(self, node: BigOp) -> Any:
        self.context.numeric.add("series")
        start = self.integer(node.lower, "a lower bound")  # type: ignore[arg-type]
        name = node.indices[0]
        saved = dict(self.indices)
        excluded = None if node.excluded is None else self.evaluate(node.excluded)

        def term(k: int) -> Any:
            if excluded is not None and k == excluded:
                return 0.0
            self.indices[name] = k
            return self.evaluate(node.body)

        try:
            return calculus.series(term, start)
        finally:
            self.indices = saved

    def at(self, letter: str, body: Node) -> Callable[[float], Any]:
        """``body`` as a function of the letter that an integral or a limit binds."""
        def value(x: float) -> Any:
            saved = self.indices.get(letter)
            self.indices[letter] = x
            try:
                result = self.evaluate(body)
            finally:
                if saved is None:
                    del self.indices[letter]
                else:
                    self.indices[letter] = saved
            if callable(result) or isinstance(result, Sampled):
                raise EvaluationError("the body of an integral or a limit must be a number or an array")
            return result
        return value

    def real(self, node: Node, what: str) -> float:
        result = self.evaluate(node)
        if callable(result) or isinstance(result, Sampled) or np.ndim(result) != 0:
            raise EvaluationError(f"{what} must be a number")
        return float(result)

    def integral(self, node: Integral) -> Any:
        self.context.numeric.add("integral")
        lower, upper = self.real(node.lower, "a lower bound"), self.real(node.upper, "an upper bound")
        return calculus.integral(self.at(node.variable, node.body), lower, upper)

    def limit(self, node: Limit) -> Any:
        self.context.numeric.add("limit")
        return calculus.limit(self.at(node.variable, node.body), self.real(node.target, "a limit's target"), node.side)

    def entry_of_whole(self, node: Derivative) -> bool:
        """``\\partial f(x)_i / \\partial x_j``: an entry of a value that no index changes, so that one derivative
        of the whole value serves every ``i``."""
        body = node.body
        return (isinstance(body, Index) and len(node.variables) == 1 and not is_kronecker(body)
                and not self.deps.get(body.base, frozenset()))

    def derivative_of_entry(self, node: Derivative) -> Any:
        body = node.body
        assert isinstance(body, Index)
        key, positions, _ = self.slot(node.variables[0])
        cache_key = (body.base, key, tuple(positions))
        if cache_key not in self.derivatives:
            self.derivatives[cache_key] = self.derivative(body.base, node.variables)
        whole = self.derivatives[cache_key]
        indices = effective_indices(body, whole)
        return ops.index(whole, [self.evaluate(p) for p in indices], self.base, [label(p) for p in indices])

    def derivative(self, body: Node, variables: list[Node]) -> Any:
        """``body`` differentiated with respect to ``variables[0]``, then the rest (a second derivative)."""
        if not variables:
            return self.evaluate(body)
        key, positions, whole = self.slot(variables[0])
        start = self.refs[key]
        if callable(start) or isinstance(start, Sampled):
            raise EvaluationError(f"cannot differentiate with respect to {key}, which is not a number or an array")
        flat = np.ravel(np.asarray(start, dtype=np.float64))
        outputs: list[Any] = []

        def shifted(delta: np.ndarray) -> np.ndarray:
            point = flat.copy()
            point[positions] += delta
            moved: Any = point.reshape(np.shape(start)) if np.ndim(start) else float(point[0])
            result = self.replaced(key, moved).derivative(body, variables[1:])
            if callable(result) or isinstance(result, Sampled):
                raise EvaluationError("only numbers and arrays can be differentiated")
            outputs.append(np.shape(result))
            return np.ravel(np.asarray(result, dtype=np.float64))

        jacobian = calculus.jacobian(shifted, np.zeros(len(positions)), outer=len(variables) > 1)
        shape = outputs[0]
        if not whole and len(positions) == 1 or np.ndim(start) == 0:
            return ops.value(jacobian[:, 0].reshape(shape))  # with respect to one number: the body's shape
        if shape in ((), (1,), (1, 1)):
            return ops.value(jacobian[0].reshape(np.shape(start)) if whole else jacobian[0])  # a gradient
        return ops.value(jacobian)  # a Jacobian: outputs by inputs

    def slot(self, variable: Node) -> tuple[str, list[int], bool]:
        """The bound name a derivative is taken with respect to, the flat positions of the entries that move,
        and whether they are all of it."""
        if isinstance(variable, Ref):
            if variable.key not in self.refs:  # a random variable or a set variable: no value to move
                raise EvaluationError(f"cannot differentiate with respect to {variable.key}: only an input the "
                                      "block draws or binds has a value to vary")
            value = self.refs[variable.key]
            size = int(np.size(value)) if value is not None and not callable(value) else 1
            return variable.key, list(range(size)), True
        assert isinstance(variable, Index) and isinstance(variable.base, Ref)
        key = variable.base.key
        value = self.refs.get(key)
        if value is None or callable(value) or np.ndim(value) == 0:
            raise EvaluationError(f"cannot take an entry of {key}, which is not an array")
        template = np.arange(np.size(value), dtype=np.float64).reshape(np.shape(value))
        indices = effective_indices(variable, value)
        chosen = ops.index(template, [self.evaluate(p) for p in indices], self.base, [label(p) for p in indices])
        return key, [int(p) for p in np.ravel(chosen)], False

    def logic(self, node: Node) -> Any:
        """Conditions (1 or 0), indicators, and cases (the value of the first row whose condition holds)."""
        if isinstance(node, Condition):
            return ops.compare(self.evaluate(node.left), self.evaluate(node.right), node.op)
        if isinstance(node, Indicator):
            truth = self.evaluate(node.condition)
            if isinstance(node.condition, Condition):
                return truth
            return ops.compare(truth, 0.0, "ne")
        assert isinstance(node, Cases)
        conditions: list[Any] = []
        values: list[Any] = []
        for value, condition in zip(node.values, node.conditions):
            truth = 1.0 if condition is None else self.evaluate(condition)
            if isinstance(truth, Sampled) or any(isinstance(c, Sampled) for c in conditions):
                rest = [1.0 if c is None else self.evaluate(c) for c in node.conditions[len(conditions) + 1:]]
                all_conditions = conditions + [truth] + rest
                all_values = values + [self.evaluate(v) for v in node.values[len(values):]]
                return ops.select(all_conditions, all_values, None)
            if np.ndim(truth) != 0 or callable(truth):
                raise EvaluationError("a condition of cases must be a number (true where it is not 0)")
            if truth != 0:
                return self.evaluate(value)
            conditions.append(truth)
            values.append(None)
        raise EvaluationError("no row of cases applies here (add a last row with \\text{otherwise})")

    def arg_operator(self, node: ArgOp) -> Any:
        """The first candidate that maximises (or minimises) the body: a member of a set variable, of the
        written set, or a position along the axis that the index subscripts. Every candidate whose score
        ties with the best is kept in ``self.ties``: a relation ``x = \\argmax ...`` holds for any of them."""
        if node.index in self.context.members:
            scored = list(self.over_members(node.index, node.body))
        else:
            if node.domain is not None:
                domain = self.evaluate(node.domain)
                if callable(domain) or isinstance(domain, Sampled) or np.ndim(domain) > 1 or np.size(domain) == 0:
                    raise EvaluationError(f"\\{node.op} runs over a non-empty vector of candidates")
                candidates = [float(c) for c in np.ravel(domain)]
            else:
                candidates = [float(c) for c in self.infer_range(node.index, node.body)]
            value = self.at(node.index, node.body)
            scored = [(candidate, value(candidate)) for candidate in candidates]
        signed_scores: list[tuple[float, Any]] = []
        for candidate, score in scored:
            if callable(score) or isinstance(score, Sampled) or np.ndim(score) != 0:
                raise EvaluationError(f"\\{node.op} needs a number to compare for each candidate")
            signed = float(score) if node.op == "argmax" else -float(score)
            if math.isnan(signed):
                raise EvaluationError(f"\\{node.op}: the value at {candidate} is not a number")
            signed_scores.append((signed, candidate))
        if not signed_scores:
            raise EvaluationError(f"\\{node.op} over an empty set")
        top = max(signed for signed, _ in signed_scores)
        best = [c for signed, c in signed_scores if math.isclose(signed, top, rel_tol=TIE_RTOL, abs_tol=TIE_ATOL)]
        self.ties[node] = best
        return best[0]
