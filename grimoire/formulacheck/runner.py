"""Run checks: draw inputs with hypothesis, evaluate both sides, and run check-doctests.

Each check runs as a hypothesis property over ``st.data()``: the block's
samplers are drawn in order (sizes first, so later bounds can use them),
bindings are evaluated, and every relation is compared at every value of
its free indices. Hypothesis shrinks a failure to a minimal example, whose
message names page:line, the step of the chain, the inputs, the index
position and both values.

A relation with a numerical derivative, integral, series or limit is
compared within ``calculus.NUMERIC_RTOL``/``NUMERIC_ATOL`` (or the block's
looser ``@tol``). A relation with a Monte Carlo moment is re-evaluated on
``moments.BATCHES`` disjoint batches of the draws (all batches in one
evaluation, each moment then being its batch moments); the difference of its
sides may be up to ``moments.Z_SCORE`` standard errors of the batch means.

The free indices of a relation are first evaluated as one batch
(``index_batch``); only if that batch cannot show the relation holding
everywhere does the loop visit each value, and report the first failure. A
check that draws nothing runs one example: every other would be the same.
"""

from __future__ import annotations

import doctest
import io
import itertools
import textwrap
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from grimoire.formulacheck import calculus, index_batch, moments
from grimoire.formulacheck import operations as ops
from grimoire.formulacheck.bindings import PROJECT_PACKAGE, evaluate_binding
from grimoire.formulacheck.blocks import CheckBlock, DoctestBlock, NocheckBlock
from grimoire.formulacheck.compare import disagreement
from grimoire.formulacheck.errors import CheckFailure, EvaluationError, FormulaError
from grimoire.formulacheck.evaluator import Context, Evaluator
from grimoire.formulacheck.pages import Item
from grimoire.formulacheck.prepare import Check, CheckedRelation, prepare
from grimoire.formulacheck.report import failure_message
from grimoire.formulacheck.plain_samplers import EDGE_EXAMPLES, plain_value
from grimoire.formulacheck.samplers import strategy

# Slow or large draws are expected here (matrices, many free indices); they are not test smells.
QUIET_HEALTH_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                       HealthCheck.large_base_example]


@dataclass
class Example:
    refs: dict[str, Any] = field(default_factory=dict)  # bound key -> value for the formula
    python: dict[str, Any] = field(default_factory=dict)  # Python name -> value for bindings
    shown: list[tuple[str, Any]] = field(default_factory=list)  # (LaTeX name, value) for reports


def _fail(check: Check, what: str, reason: str, example: Example, indices: dict[str, int] | None = None,
          values: tuple[Any, Any] | None = None, step: int | None = None) -> CheckFailure:
    line = check.relations[step - 1].location.line if step and step <= len(check.relations) else None
    return CheckFailure(failure_message(check.location, what, reason, example.shown, indices or {}, values),
                        step, line)


# pick(kind, evaluated sizes, low, high, label) -> a value: the plain draws of ``plain_samplers``.
Pick = Callable[[str, list[Any], Any, Any, str], Any]


def draw(check: Check, data: st.DataObject | None, pick: Pick | None = None) -> Example:
    """Draw the samplers and evaluate the bindings of ``check``, in block order.

    Values come from hypothesis (``data``) or, with ``pick``, from the plain seeded draws.
    """
    example = Example()
    # One evaluator for every bound: it reads ``example.refs`` as it grows, and a bound's value never changes.
    bounds = Evaluator(example.refs, check.options.base, check.deps)
    for entry in check.entries:
        if entry.random is not None or entry.members is not None or entry.deferred:
            continue  # drawn when a moment needs it, or evaluated for each member of a set
        try:
            if entry.sampler is not None:
                spec = entry.sampler
                args = [bounds.evaluate(arg) for arg in spec.args]
                low = None if spec.low is None else bounds.evaluate(spec.low)
                high = None if spec.high is None else bounds.evaluate(spec.high)
                chosen = strategy(spec.kind, args, low, high) if pick is None else (spec.kind, args, low, high)
            else:
                assert entry.binding is not None
                value = evaluate_binding(entry.binding, example.python)
                example.refs[entry.key] = ops.value(value)
        except Exception as error:  # the implementation under test may raise anything
            line = (f"binding: {entry.latex} := {entry.binding.source}" if entry.binding
                    else f"sampler: {entry.latex}") + f" ({entry.location})"
            reason = str(error) if isinstance(error, EvaluationError) else f"{type(error).__name__}: {error}"
            raise _fail(check, line, f"{entry.latex} raised {reason}" if entry.binding else reason, example) from None
        if entry.sampler is not None:
            if pick is None:
                assert data is not None
                value = data.draw(chosen, label=entry.latex)
            else:
                try:
                    value = pick(*chosen, entry.latex)
                except EvaluationError as error:
                    raise _fail(check, f"sampler: {entry.latex} ({entry.location})", str(error), example) from None
            example.shown.append((entry.latex, value))
            example.refs[entry.key] = ops.value(value)
        example.python[entry.python] = value
    return example


def _ranges(check: Check, relation: CheckedRelation, evaluator: Evaluator) -> list[range]:
    ranges = []
    for name in relation.free:
        if name in check.index_ranges:
            low, high = check.index_ranges[name]
            ranges.append(range(evaluator.integer(low, f"@index {name} low"),
                                evaluator.integer(high, f"@index {name} high") + 1))
        else:
            ranges.append(evaluator.infer_range(name, relation.relation.left, relation.relation.right))
    return ranges


def rebinder(check: Check, example: Example) -> Any:
    """``rebind(overrides)``: the example's values with some replaced (a shifted input, a member of a set) and
    the bindings that read them re-run."""
    def rebind(overrides: dict[str, Any]) -> dict[str, Any]:
        refs, python = dict(example.refs), dict(example.python)
        changed = set()
        for entry in check.entries:
            if entry.key in overrides:
                refs[entry.key] = python[entry.python] = overrides[entry.key]
                changed.add(entry.python)
            elif entry.binding is not None and entry.random is None and entry.binding.names & changed:
                try:
                    result = evaluate_binding(entry.binding, python)
                except Exception as error:  # the implementation under test may raise anything
                    raise EvaluationError(f"{entry.latex} := {entry.binding.source} raised "
                                          f"{type(error).__name__}: {error} at {', '.join(overrides)} = "
                                          f"{', '.join(map(str, overrides.values()))}") from error
                refs[entry.key], python[entry.python] = ops.value(result), result
                changed.add(entry.python)
        return refs
    return rebind


def context_of(check: Check, example: Example) -> Context:
    """What an example's evaluation needs beyond its values: rebinding, and its random variables."""
    random = None
    if check.random:
        samples = check.options.samples or moments.DEFAULT_SAMPLES
        samples -= samples % moments.BATCHES
        parameters = Evaluator(example.refs, check.options.base, check.deps)
        random = moments.RandomContext(
            check.random, parameters.evaluate,
            lambda code, count, seed: evaluate_binding(code, {**example.python, "samples": count, "seed": seed}),
            samples, check.options.base)
    members = {}
    for entry in check.entries:
        if entry.members is not None:
            values = Evaluator(example.refs, check.options.base, check.deps).evaluate(entry.members)
            if callable(values) or np.ndim(values) not in (1, 2) or np.size(values) == 0:
                raise EvaluationError(f"the set of {entry.latex} must be a non-empty vector, or a matrix of rows")
            members[entry.key] = [ops.value(v) for v in np.asarray(values)]
    return Context(rebind=rebinder(check, example), random=random, members=members)


def _monte_carlo_tolerance(check: Check, checked: CheckedRelation, context: Context, example: Example,
                           position: dict[str, int]) -> tuple[float, str]:
    """``moments.Z_SCORE`` standard errors of the batch means of left - right, and a sentence saying so."""
    random = context.random
    assert random is not None

    def sides() -> tuple[Any, Any]:
        evaluator = Evaluator(example.refs, check.options.base, check.deps, context)
        evaluator.indices, evaluator.index_names = dict(position), set(checked.free)
        return evaluator.evaluate(checked.relation.left), evaluator.evaluate(checked.relation.right)

    try:
        random.batches = moments.BATCHES  # every Monte Carlo moment is then its BATCHES batch moments at once
        differences = _batch_differences(*sides())
    except Exception:  # noqa: BLE001 - a moment inside a moment, or anything the batch cannot do: batch by batch
        size = random.samples // moments.BATCHES
        batches = []
        try:
            random.batches = 0
            for batch in range(moments.BATCHES):
                random.window = slice(batch * size, (batch + 1) * size)
                left, right = sides()
                batches.append(np.asarray(left, dtype=np.float64) - np.asarray(right, dtype=np.float64))
        finally:
            random.window = slice(None)
        differences = np.stack(batches)
    finally:
        random.batches = 0
    error = float(np.max(np.std(differences, axis=0, ddof=1))) / np.sqrt(moments.BATCHES)
    atol = moments.Z_SCORE * error
    return atol, (f"Monte Carlo over {random.samples} draws: tolerance {moments.Z_SCORE:g} standard errors "
                  f"of {moments.BATCHES} batch means = {atol:.3g}")


def _batch_differences(left: Any, right: Any) -> np.ndarray:
    """left - right in each batch (the first axis), as numpy broadcasts the two sides of one batch."""
    lhs, rhs = index_batch.stacked(left, moments.BATCHES), index_batch.stacked(right, moments.BATCHES)
    if lhs is None or rhs is None:
        raise EvaluationError("a side of the relation is not a number or an array in every batch")
    ndim = max(lhs.ndim, rhs.ndim)
    # Per-batch values broadcast against each other, so pad each after the batch axis, never before it.
    lhs = lhs.reshape(lhs.shape[:1] + (1,) * (ndim - lhs.ndim) + lhs.shape[1:])
    rhs = rhs.reshape(rhs.shape[:1] + (1,) * (ndim - rhs.ndim) + rhs.shape[1:])
    return lhs - rhs


def _tolerances(check: Check, checked: CheckedRelation, context: Context) -> tuple[float, float]:
    """(rtol, atol) of a relation, after an evaluation has recorded the numerical methods it used."""
    rtol = check.options.rtol
    atol = max(check.options.atol, checked.approx_atol or 0.0)
    if context.numeric:
        rtol, atol = max(rtol, calculus.NUMERIC_RTOL), max(atol, calculus.NUMERIC_ATOL)
    return rtol, atol


def _holds_in_one_batch(check: Check, checked: CheckedRelation, evaluator: Evaluator, context: Context,
                        ranges: list[range]) -> bool:
    """Whether the relation holds at every value of its free indices, evaluated as one batch
    (``index_batch``). ``False`` whenever the batch cannot tell: the loop then decides, and reports."""
    relation = checked.relation
    combinations = list(itertools.product(*ranges))
    if len(combinations) < 2 or not evaluator.batching() or not index_batch.batchable(relation.left,
                                                                                     relation.right):
        return False
    context.numeric.clear()
    try:
        evaluator.indices = index_batch.batch_of(list(checked.free), combinations)
        left, right = evaluator.evaluate(relation.left), evaluator.evaluate(relation.right)
        rtol, atol = _tolerances(check, checked, context)
        if index_batch.holds_everywhere(left, right, len(combinations), relation.op, rtol, atol, checked.infinite):
            return True
    except Exception:  # noqa: BLE001 - the loop re-evaluates and reports whatever went wrong
        index_batch.give_up(relation.left, relation.right)
    finally:
        evaluator.indices = {}
    return False


def check_example(check: Check, example: Example) -> None:
    """Compare every relation of ``check`` on one drawn example, at every free-index value."""
    context = context_of(check, example)
    evaluator = Evaluator(example.refs, check.options.base, check.deps, context)
    for checked in check.relations:
        relation = checked.relation
        position: dict[str, int] = {}
        evaluator.indices, evaluator.index_names = {}, set(checked.free)
        what = (f"step {checked.step} of {checked.steps}: {checked.text}" if checked.steps > 1
                else f"relation: {checked.text}")
        try:
            ranges = _ranges(check, checked, evaluator)
            if _holds_in_one_batch(check, checked, evaluator, context, ranges):
                continue
            for combination in itertools.product(*ranges):
                position = dict(zip(checked.free, combination))
                evaluator.indices = dict(position)
                context.numeric.clear()
                if context.random is not None:
                    context.random.used_monte_carlo = False
                    evaluator.cache.clear()  # a cached moment would hide that this relation uses Monte Carlo
                left, right = evaluator.evaluate(relation.left), evaluator.evaluate(relation.right)
                rtol, atol = _tolerances(check, checked, context)
                note = ""
                if context.random is not None and context.random.used_monte_carlo:
                    spread, note = _monte_carlo_tolerance(check, checked, context, example, position)
                    atol = max(atol, spread)
                reason = disagreement(left, right, relation.op, rtol, atol, checked.infinite)
                if reason and _a_tied_best_agrees(evaluator, relation, left, right, rtol, atol, checked.infinite):
                    reason = ""
                if reason:
                    raise _fail(check, what, reason + (f"; {note}" if note else ""), example, position,
                                (left, right), checked.step)
        except (EvaluationError, ArithmeticError) as error:
            # A division by zero in the formula's own arithmetic is a failed example, not a crash.
            raise _fail(check, what, f"cannot evaluate: {error}", example, position, step=checked.step) from None


def _a_tied_best_agrees(evaluator: Evaluator, relation: Any, left: Any, right: Any, rtol: float, atol: float,
                        infinite: bool) -> bool:
    """Whether ``x = \\argmax f`` holds for another maximiser of f: with tied scores, argmax is a set."""
    if relation.op not in ("=", "approx"):
        return False
    for side, other, flip in ((relation.left, right, False), (relation.right, left, True)):
        for alternative in evaluator.ties.get(side, [])[1:]:
            pair = (other, alternative) if flip else (alternative, other)
            if not disagreement(*pair, relation.op, rtol, atol, infinite):
                return True
    return False


def run_check(check: Check, examples: int | None = None, shrink: bool = True) -> None:
    """Raise ``CheckFailure`` (with a minimal example when ``shrink``) unless the check holds.

    The examples are first drawn plainly (``plain_samplers``: seeded, edges
    first, ~20x cheaper than hypothesis's engine); only when one fails does
    hypothesis search again and shrink, for a minimal counterexample. If
    hypothesis finds none, the plain failure is reported as it is.
    """
    try:
        run_plain(check, examples)
    except CheckFailure as plain:
        try:
            run_hypothesis(check, examples, shrink)
        except CheckFailure:
            raise
        raise plain from None


def example_seed(check: Check) -> int:
    """The seed of a check's plain examples, from what the check says, not where it is.

    A page renamed, moved or copied, or a line added above a formula, draws the same
    examples, so a check's outcome changes only with its formula and its block.
    """
    text = "\n".join([check.latex, *(f"{e.key}\t{e.latex}\t{e.binding.source if e.binding else ''}"
                                      for e in check.entries)])
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def run_plain(check: Check, examples: int | None = None) -> None:
    """Raise ``CheckFailure`` unless the check holds on the plain seeded examples."""
    count = examples or check.options.examples
    if not any(entry.sampler is not None for entry in check.entries):
        count = 1  # nothing is drawn, and random variables use fixed seeds: every example would be this one
    rng = np.random.default_rng(example_seed(check))
    for number in range(count):
        edge = number if number < EDGE_EXAMPLES else None

        def pick(kind: str, args: list[Any], low: Any, high: Any, label: str) -> Any:  # noqa: ARG001
            return plain_value(kind, args, low, high, rng, edge)

        with np.errstate(all="ignore"):
            check_example(check, draw(check, None, pick))


def run_hypothesis(check: Check, examples: int | None = None, shrink: bool = True) -> None:
    """Raise ``CheckFailure`` unless the check holds on hypothesis's examples (shrunk when ``shrink``)."""
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])

    @settings(max_examples=examples or check.options.examples, deadline=None, derandomize=True,
              database=None, phases=phases, suppress_health_check=QUIET_HEALTH_CHECKS,
              report_multiple_bugs=False, print_blob=False)
    @given(st.data())
    def holds(data: st.DataObject) -> None:
        with np.errstate(all="ignore"):
            check_example(check, draw(check, data))

    try:
        holds()
    except CheckFailure as failure:
        raise CheckFailure(str(failure), failure.step, failure.line) from None


def run_doctest(block: DoctestBlock) -> None:
    """Run a check-doctest block; raise ``CheckFailure`` with doctest's report if an example fails."""
    source = textwrap.dedent(block.source)
    if PROJECT_PACKAGE not in source:
        raise FormulaError(block.location, "this check-doctest never uses project code",
                           f"import the implementation from {PROJECT_PACKAGE} and test it")
    test = doctest.DocTestParser().get_doctest(
        source, {}, str(block.location), block.location.path, block.location.line - 1)
    output = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=output.write, clear_globs=True)
    if runner.failures:
        raise CheckFailure(f"{block.location}: check-doctest failed\n{output.getvalue()}")


@dataclass(frozen=True)
class Outcome:
    """The result of one display formula: ``kind`` is check, doctest, nocheck, missing or invalid."""

    item_id: str
    kind: str
    ok: bool
    message: str
    seconds: float
    step: int | None = None  # the failing step of a chain (1-based), when a relation failed


MISSING_HINT = ("add <!-- check ... --> after it, <!-- check-doctest ... --> for a statistical claim, "
                "or <!-- nocheck: reason --> for pure notation")


def run_item(item: Item, macros: dict[str, str], examples: int | None = None) -> Outcome:
    """Check one display formula of a page, whatever its block, without raising."""
    started = time.perf_counter()
    block = item.block
    kind = ("invalid" if item.error else "missing" if block is None else "nocheck" if isinstance(block, NocheckBlock)
            else "doctest" if isinstance(block, DoctestBlock) else "check")
    try:
        if item.error is not None:
            raise item.error
        if block is None:
            raise FormulaError(item.location, "display formula without a check block", MISSING_HINT)
        if isinstance(block, DoctestBlock):
            run_doctest(block)
        elif isinstance(block, CheckBlock):
            run_check(prepare(item.formula, block, macros), examples)
        message = block.reason if isinstance(block, NocheckBlock) else ""
        return Outcome(item.id, kind, True, message, time.perf_counter() - started)
    except (FormulaError, CheckFailure) as error:
        step = error.step if isinstance(error, CheckFailure) else None
        return Outcome(item.id, kind, False, str(error), time.perf_counter() - started, step)


def check_item(item: Item, macros: dict[str, str], examples: int | None = None) -> None:
    """Raise unless the formula's block holds: what a build's check job runs (``checks.worker``)."""
    if item.error is not None:
        raise item.error
    if isinstance(item.block, CheckBlock):
        run_check(prepare(item.formula, item.block, macros), examples)
    elif isinstance(item.block, DoctestBlock):
        run_doctest(item.block)
    elif item.block is None:
        raise FormulaError(item.location, "display formula without a check block", MISSING_HINT)
