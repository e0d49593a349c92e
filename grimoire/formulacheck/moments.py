"""Random variables of a check block, and the expectations, variances and covariances over them.

A block declares ``X ~ normal(\\mu, \\sigma^2)`` (a distribution of this
module, with LaTeX parameters over earlier names and an optional shape
``vector(n)``, ``col(n)`` or ``matrix(r, c)`` of iid entries), or
``Y ~ python`` / ``W_s, W_t ~ python``: draws made by project code, which
sees ``samples`` (how many) and ``seed`` besides the earlier names and
returns an array whose first axis runs over the draws (a last axis of
length k for k names).

``\\E``, ``\\Var``, ``\\Cov`` and ``\\operatorname{sd}`` are computed:

- exactly, by summing over the support, when every random variable they
  involve is a declared scalar with a discrete distribution whose joint
  support (cut where the tail mass is below 1e-17) has at most
  ``MAX_SUPPORT`` points;
- by adaptive quadrature (``scipy.integrate.quad`` against the
  ``scipy.stats`` density) for one declared continuous scalar;
- otherwise by seeded Monte Carlo over ``@samples`` draws (default
  ``DEFAULT_SAMPLES``, at most ``MAX_SAMPLES`` and ``MAX_VALUES`` numbers
  in all). The runner then re-evaluates the relation on ``BATCHES``
  disjoint batches of the draws and accepts a difference of up to
  ``Z_SCORE`` standard errors of the batch means.

Variances and covariances of draws use the unbiased (n - 1) estimator.
A moment inside a derivative or a sum over a set variable is refused: its
draws would ignore the shifted input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
from scipy import stats

from grimoire.formulacheck.calculus import integral
from grimoire.formulacheck.errors import EvaluationError
from grimoire.formulacheck.nodes import Moment, Node, Ref
from grimoire.formulacheck.vectorized import Sampled

if TYPE_CHECKING:
    from grimoire.formulacheck.evaluator import Evaluator

DEFAULT_SAMPLES = 20_000
MAX_SAMPLES = 200_000
MAX_VALUES = 8_000_000  # numbers drawn per example, over all random variables: 64 MB
MAX_SUPPORT = 100_000
BATCHES = 20
Z_SCORE = 6.0
SEED = 20_240_601
TAIL = 1e-17


@dataclass(frozen=True)
class Family:
    """A distribution: its parameters, how to draw it, and its scipy.stats law for exact moments."""

    parameters: tuple[str, ...]
    draw: Callable[[np.random.Generator, list[Any], tuple[int, ...], int], np.ndarray]
    law: Callable[[list[Any], int], Any] | None  # a frozen scipy.stats distribution
    discrete: bool


def _scalar(value: Any, what: str) -> float:
    if callable(value) or np.ndim(value) != 0:
        raise EvaluationError(f"the {what} must be a number")
    return float(value)


def _probability(value: Any, what: str = "probability") -> float:
    p = _scalar(value, what)
    if not 0.0 <= p <= 1.0:
        raise EvaluationError(f"the {what} {p:g} is outside [0, 1]")
    return p


def _simplex(value: Any) -> np.ndarray:
    p = np.ravel(np.asarray(value, dtype=np.float64))
    if p.size == 0 or np.any(p < 0) or abs(p.sum() - 1.0) > 1e-9:
        raise EvaluationError("categorical(p) needs probabilities p >= 0 that sum to 1")
    return p / p.sum()


def _variance(value: Any) -> float:
    v = _scalar(value, "variance")
    if v < 0:
        raise EvaluationError(f"a variance cannot be negative, got {v:g}")
    return v


def _count(value: Any) -> int:
    n = _scalar(value, "number of trials")
    if not n.is_integer() or n < 0:
        raise EvaluationError(f"the number of trials must be a whole number, got {n:g}")
    return int(n)


def _interval(a: Any, b: Any) -> tuple[float, float]:
    low, high = _scalar(a, "lower end"), _scalar(b, "upper end")
    if not low < high:
        raise EvaluationError(f"uniform(a, b) needs a < b, got {low:g}, {high:g}")
    return low, high


def _categorical_law(p: list[Any], base: int) -> Any:
    probabilities = _simplex(p[0])
    return stats.rv_discrete(values=(np.arange(probabilities.size) + base, probabilities))


FAMILIES: dict[str, Family] = {
    "normal": Family(("mean", "variance"),
                     lambda rng, p, size, base: rng.normal(_scalar(p[0], "mean"), math.sqrt(_variance(p[1])), size),
                     lambda p, base: stats.norm(_scalar(p[0], "mean"), math.sqrt(_variance(p[1]))), False),
    "uniform": Family(("a", "b"), lambda rng, p, size, base: rng.uniform(*_interval(*p), size),
                      lambda p, base: stats.uniform(_interval(*p)[0], _interval(*p)[1] - _interval(*p)[0]), False),
    "exponential": Family(("rate",), lambda rng, p, size, base: rng.exponential(1.0 / _scalar(p[0], "rate"), size),
                          lambda p, base: stats.expon(scale=1.0 / _scalar(p[0], "rate")), False),
    "bernoulli": Family(("p",), lambda rng, p, size, base: (rng.random(size) < _probability(p[0])).astype(np.float64),
                        lambda p, base: stats.bernoulli(_probability(p[0])), True),
    "binomial": Family(("n", "p"), lambda rng, p, size, base: rng.binomial(_count(p[0]), _probability(p[1]), size)
                       .astype(np.float64), lambda p, base: stats.binom(_count(p[0]), _probability(p[1])), True),
    "poisson": Family(("mean",), lambda rng, p, size, base: rng.poisson(_scalar(p[0], "mean"), size)
                      .astype(np.float64), lambda p, base: stats.poisson(_scalar(p[0], "mean")), True),
    "categorical": Family(("p",), lambda rng, p, size, base: (rng.choice(_simplex(p[0]).size, size, p=_simplex(p[0]))
                                                              + base).astype(np.float64), _categorical_law, True),
}


@dataclass(frozen=True)
class RandomSpec:
    """A prepared declaration: the keys it binds, and a family with parameter nodes or project code."""

    keys: tuple[str, ...]
    family: str | None
    parameters: tuple[Node, ...]
    shape_kind: str | None
    shape_args: tuple[Node, ...]
    code: Any = None  # a CompiledBinding that draws the values
    index: int = 0  # the declaration's position, which seeds its draws


@dataclass
class RandomContext:
    """The random variables of one example: their parameters, draws, and the Monte Carlo state."""

    specs: dict[str, RandomSpec]
    evaluate: Callable[[Node], Any]  # evaluates a parameter over the example's drawn values
    run_code: Callable[[Any, int, int], Any]  # runs a spec's code with samples and seed
    samples: int
    base: int
    window: slice = field(default_factory=lambda: slice(None))
    # > 0: a Monte Carlo moment is the Sampled value of its moments over this many disjoint batches of the draws
    batches: int = 0
    used_monte_carlo: bool = False
    exact: dict[tuple[int, tuple[tuple[str, float], ...]], Any] = field(default_factory=dict)
    _draws: dict[str, np.ndarray] = field(default_factory=dict)
    _drawn_values: int = 0

    def parameters(self, spec: RandomSpec) -> list[Any]:
        return [self.evaluate(node) for node in spec.parameters]

    def shape(self, spec: RandomSpec) -> tuple[int, ...]:
        sizes = []
        for node in spec.shape_args:
            size = _scalar(self.evaluate(node), "size")
            if not size.is_integer() or size < 1:
                raise EvaluationError(f"the size of a random vector must be a positive whole number, got {size:g}")
            sizes.append(int(size))
        if spec.shape_kind is None:
            return ()
        return {"vector": (sizes[0],), "col": (sizes[0], 1)}.get(spec.shape_kind, tuple(sizes))

    def draws(self, key: str) -> np.ndarray:
        """All draws of ``key``: an array whose first axis runs over the ``samples`` draws."""
        if key not in self._draws:
            spec = self.specs[key]
            if spec.code is not None:
                values = np.asarray(self.run_code(spec.code, self.samples, SEED + spec.index), dtype=np.float64)
                if len(spec.keys) > 1:
                    if values.ndim < 2 or values.shape[-1] != len(spec.keys):
                        raise EvaluationError(f"the code drawing {', '.join(spec.keys)} must return an array of shape "
                                              f"(samples, {len(spec.keys)}), got {values.shape}")
                    parts = [values[..., i] for i in range(len(spec.keys))]
                else:
                    parts = [values]
                for name, part in zip(spec.keys, parts):
                    if part.shape[:1] != (self.samples,):
                        raise EvaluationError(f"the code drawing {name} returned {part.shape[:1] or 'no'} draws, "
                                              f"not samples = {self.samples}")
                    self._draws[name] = part
            else:
                shape = self.shape(spec)
                size = (self.samples,) + shape
                self._count(int(np.prod(size)))
                rng = np.random.default_rng(SEED + spec.index)
                self._draws[key] = np.asarray(FAMILIES[spec.family].draw(  # type: ignore[index]
                    rng, self.parameters(spec), size, self.base), dtype=np.float64)
        return self._draws[key]

    def _count(self, values: int) -> None:
        self._drawn_values += values
        if self._drawn_values > MAX_VALUES:
            raise EvaluationError(f"the random variables need more than {MAX_VALUES} numbers per example; "
                                  "lower @samples or the sizes")

    def support(self, keys: list[str]) -> tuple[dict[str, np.ndarray], np.ndarray] | None:
        """The joint support of independent declared discrete scalars, with probabilities; None if too big."""
        grids: list[tuple[np.ndarray, np.ndarray]] = []
        total = 1
        for key in keys:
            spec = self.specs[key]
            if not _declared_scalar(spec) or not FAMILIES[spec.family].discrete:  # type: ignore[index]
                return None
            law = FAMILIES[spec.family].law(self.parameters(spec), self.base)  # type: ignore[index, misc]
            low, high = law.support()
            high = min(high, law.isf(TAIL)) if math.isinf(high) else high
            if high - low + 1 > MAX_SUPPORT:
                return None
            points = np.arange(low, high + 1, dtype=np.float64)
            grids.append((points, law.pmf(points)))
            total *= points.size
            if total > MAX_SUPPORT:
                return None
        points = np.meshgrid(*(g[0] for g in grids), indexing="ij")
        weights = np.prod(np.meshgrid(*(g[1] for g in grids), indexing="ij"), axis=0).ravel()
        return {key: m.ravel() for key, m in zip(keys, points)}, weights / weights.sum()

    def continuous_law(self, keys: list[str]) -> Any | None:
        if len(keys) != 1:
            return None
        spec = self.specs[keys[0]]
        if not _declared_scalar(spec) or FAMILIES[spec.family].discrete:  # type: ignore[index]
            return None
        return FAMILIES[spec.family].law(self.parameters(spec), self.base)  # type: ignore[index, misc]


def _declared_scalar(spec: RandomSpec) -> bool:
    """A scalar with a distribution of ``FAMILIES`` (not drawn by code): one whose law scipy knows."""
    return spec.code is None and spec.shape_kind is None


def random_keys(node: Node, specs: dict[str, RandomSpec]) -> list[str]:
    return list(dict.fromkeys(n.key for n in node.walk() if isinstance(n, Ref) and n.key in specs))


def reduce(kind: str, values: list[Any], weights: np.ndarray | None) -> Any:
    """The moment ``kind`` of draws (``Sampled``) or of constants, weighted for an exact support."""
    def mean(v: Any) -> Any:
        if not isinstance(v, Sampled):
            return v
        if weights is None:
            return np.mean(v.data, axis=0)
        return np.tensordot(weights, v.data, axes=(0, 0))

    def centred_product(a: Any, b: Any) -> Any:
        if not isinstance(a, Sampled) and not isinstance(b, Sampled):
            return np.zeros(np.broadcast_shapes(np.shape(a), np.shape(b)))
        da = a.data - mean(a) if isinstance(a, Sampled) else np.zeros_like(b.data)
        db = b.data - mean(b) if isinstance(b, Sampled) else np.zeros_like(a.data)
        product = Sampled(da * db)
        count = product.count
        correction = count / (count - 1.0) if weights is None and count > 1 else 1.0
        return mean(product) * correction

    for v in values:
        if callable(v):
            raise EvaluationError(f"\\{kind} of a function; apply it to arguments")
    if kind == "E":
        result = mean(values[0])
    elif kind == "Cov":
        if np.shape(mean(values[0])) != () or np.shape(mean(values[1])) != ():
            raise EvaluationError("\\Cov takes two numbers; for vectors, write \\Cov(x_i, y_j)")
        result = centred_product(values[0], values[1])
    else:
        result = centred_product(values[0], values[0])
        if kind == "sd":
            result = np.sqrt(result)
    return float(result) if np.ndim(result) == 0 else np.asarray(result, dtype=np.float64)


def moment(evaluator: "Evaluator", node: Moment) -> Any:
    """The value of ``\\E[...]``, ``\\Var(...)``, ``\\Cov(..., ...)`` or ``\\operatorname{sd}(...)`` here."""
    context = evaluator.context.random
    specs = context.specs if context is not None else {}
    keys = random_keys(node, specs)
    if not keys:
        return reduce(node.kind, [evaluator.evaluate(arg) for arg in node.args], None)
    assert context is not None
    if evaluator.overrides:
        # Draws and exact moments are made from the example's own values; a shifted input would be ignored.
        raise EvaluationError(f"\\{node.kind} inside a derivative or over a set variable cannot be evaluated yet")
    if any(isinstance(evaluator.refs.get(key), Sampled) for key in keys):
        if context.batches:
            raise NestedInBatches  # its draws would be all of them, not the outer moment's batch
        # Inside another moment: reduce over the same draws (or the same exact support).
        return reduce(node.kind, [evaluator.evaluate(arg) for arg in node.args], evaluator.weights)
    cache_key = (id(node), tuple(sorted(evaluator.indices.items())))
    if cache_key in context.exact:
        return context.exact[cache_key]
    support = context.support(keys)
    if support is not None:
        values, weights = support
        child = evaluator.child({key: Sampled(values[key]) for key in keys}, weights)
        result = reduce(node.kind, [child.evaluate(arg) for arg in node.args], weights)
        context.exact[cache_key] = result
        return result
    law = context.continuous_law(keys)
    if law is not None and not any(isinstance(n, Moment) for arg in node.args for n in arg.walk()):
        result = _quadrature(evaluator, node, keys[0], law)
        context.exact[cache_key] = result
        return result
    context.used_monte_carlo = True
    child = evaluator.child({key: Sampled(context.draws(key)[context.window]) for key in keys}, None)
    values = [child.evaluate(arg) for arg in node.args]
    if context.batches:
        return Sampled(np.stack([np.asarray(reduce(node.kind, [_batch(v, b, context.batches) for v in values], None))
                                 for b in range(context.batches)]))
    return reduce(node.kind, values, None)


class NestedInBatches(Exception):
    """A moment inside a moment met while moments are taken by batch: the caller evaluates batch by batch."""


def _batch(value: Any, batch: int, batches: int) -> Any:
    """The draws of ``value`` in one of ``batches`` equal, disjoint batches (a constant stays itself)."""
    if not isinstance(value, Sampled):
        return value
    size = value.count // batches
    return Sampled(value.data[batch * size:(batch + 1) * size])


def _quadrature(evaluator: "Evaluator", node: Moment, key: str, law: Any) -> Any:
    low, high = law.support()

    def expect(function: Callable[[float], Any]) -> float:
        return integral(lambda x: function(x) * law.pdf(x), float(low), float(high))

    def at(arg: Node) -> Callable[[float], Any]:
        def value(x: float) -> Any:
            result = evaluator.child({key: x}, None).evaluate(arg)
            if np.ndim(result) != 0 or callable(result):
                raise EvaluationError(f"\\{node.kind} of {'a function' if callable(result) else 'an array'} over a "
                                      "continuous variable: take it entry by entry")
            return float(result)
        return value

    first = at(node.args[0])
    m1 = expect(first)
    if node.kind == "E":
        return m1
    second = at(node.args[-1])
    m2 = m1 if len(node.args) == 1 else expect(second)
    result = expect(lambda x: (first(x) - m1) * (second(x) - m2))
    return math.sqrt(result) if node.kind == "sd" else result
