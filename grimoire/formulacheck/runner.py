"""Run checks: draw inputs with hypothesis, evaluate both sides, and run check-doctests.

Each check runs as a hypothesis property over ``st.data()``: the block's
samplers are drawn in order (sizes first, so later bounds can use them),
bindings are evaluated, and every relation is compared at every value of
its free indices. Hypothesis shrinks a failure to a minimal example, whose
message names page:line, the inputs, the index position and both values.
"""

from __future__ import annotations

import doctest
import io
import itertools
import textwrap
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from grimoire.formulacheck import operations as ops
from grimoire.formulacheck.bindings import PROJECT_PACKAGE, evaluate_binding
from grimoire.formulacheck.blocks import CheckBlock, DoctestBlock, NocheckBlock
from grimoire.formulacheck.compare import disagreement
from grimoire.formulacheck.errors import CheckFailure, EvaluationError, FormulaError
from grimoire.formulacheck.evaluator import Evaluator
from grimoire.formulacheck.pages import Item
from grimoire.formulacheck.prepare import Check, CheckedRelation, prepare
from grimoire.formulacheck.report import failure_message
from grimoire.formulacheck.samplers import strategy

# Slow or large draws are expected here (matrices, many free indices); they are not test smells.
QUIET_HEALTH_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                       HealthCheck.large_base_example]


@dataclass
class Example:
    refs: dict[str, Any] = field(default_factory=dict)  # bound key -> value for the formula
    python: dict[str, Any] = field(default_factory=dict)  # Python name -> value for bindings
    shown: list[tuple[str, Any]] = field(default_factory=list)  # (LaTeX name, value) for reports


def _fail(check: Check, what: str, reason: str, example: Example,
          indices: dict[str, int] | None = None, values: tuple[Any, Any] | None = None) -> CheckFailure:
    return CheckFailure(failure_message(check.location, what, reason, example.shown, indices or {}, values))


def draw(check: Check, data: st.DataObject) -> Example:
    """Draw the samplers and evaluate the bindings of ``check``, in block order."""
    example = Example()
    for entry in check.entries:
        try:
            if entry.sampler is not None:
                spec = entry.sampler
                bounds = Evaluator(example.refs, check.options.base, check.deps)
                args = [bounds.evaluate(arg) for arg in spec.args]
                low = None if spec.low is None else bounds.evaluate(spec.low)
                high = None if spec.high is None else bounds.evaluate(spec.high)
                chosen = strategy(spec.kind, args, low, high)
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
            value = data.draw(chosen, label=entry.latex)
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


def check_example(check: Check, example: Example) -> None:
    """Compare every relation of ``check`` on one drawn example, at every free-index value."""
    evaluator = Evaluator(example.refs, check.options.base, check.deps)
    for checked in check.relations:
        relation = checked.relation
        position: dict[str, int] = {}
        evaluator.indices, evaluator.index_names = {}, set(checked.free)
        atol = max(check.options.atol, checked.approx_atol or 0.0)
        try:
            for combination in itertools.product(*_ranges(check, checked, evaluator)):
                position = dict(zip(checked.free, combination))
                evaluator.indices = dict(position)
                left, right = evaluator.evaluate(relation.left), evaluator.evaluate(relation.right)
                reason = disagreement(left, right, relation.op, check.options.rtol, atol)
                if reason:
                    raise _fail(check, f"relation: {checked.text}", reason, example, position, (left, right))
        except (EvaluationError, ArithmeticError) as error:
            # A division by zero in the formula's own arithmetic is a failed example, not a crash.
            raise _fail(check, f"relation: {checked.text}", f"cannot evaluate: {error}", example, position) from None


def run_check(check: Check, examples: int | None = None, shrink: bool = True) -> None:
    """Raise ``CheckFailure`` (with a minimal example when ``shrink``) unless the check holds."""
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
        raise CheckFailure(str(failure)) from None


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
        return Outcome(item.id, kind, False, str(error), time.perf_counter() - started)


def check_item(item: Item, macros: dict[str, str]) -> None:
    """Raise unless the formula's block holds: the body of the per-formula pytest test."""
    if item.error is not None:
        raise item.error
    if isinstance(item.block, CheckBlock):
        run_check(prepare(item.formula, item.block, macros))
    elif isinstance(item.block, DoctestBlock):
        run_doctest(item.block)
    elif item.block is None:
        raise FormulaError(item.location, "display formula without a check block", MISSING_HINT)
