"""Reading check blocks: samplers, bindings, options, and the errors an author sees."""

from __future__ import annotations

import pytest

from grimoire.formulacheck.blocks import Binding, CheckBlock, DoctestBlock, NocheckBlock, Sampler, parse_block
from grimoire.formulacheck.errors import FormulaError, Location

WHERE = Location("glossary/x.md", 10)
BODY = Location("glossary/x.md", 11)


def parse(body: str, kind: str = "check") -> CheckBlock | DoctestBlock | NocheckBlock:
    return parse_block(kind, body, WHERE, BODY)


def test_samplers_bindings_and_options_in_order() -> None:
    block = parse("n : int 1..8\nx : vector(n) -30..30\n\n# a comment\nA : matrix(n, 2*n) 0..1\n"
                  "\\Sigma_{21} := snippets.x.f(x)\n@tol rtol=1e-6 atol=1e-8\n@base 0\n@examples 50\n"
                  "@index t 2..n\np : simplex(n)\n@identity")
    assert isinstance(block, CheckBlock)
    n, x, a, sigma, p = block.entries
    assert n == Sampler("n", "int", (), "1", "8", BODY)
    assert x == Sampler("x", "vector", ("n",), "-30", "30", BODY.shifted(1))
    assert isinstance(a, Sampler) and a.args == ("n", "2*n") and a.location.line == 15
    assert sigma == Binding("\\Sigma_{21}", "snippets.x.f(x)", BODY.shifted(5))
    assert isinstance(p, Sampler) and p.kind == "simplex" and p.low is None
    options = block.options
    assert (options.rtol, options.atol, options.base, options.examples, options.identity) == (1e-6, 1e-8, 0, 50, True)
    assert [(r.name, r.low, r.high) for r in options.indices] == [("t", "2", "n")]


def test_binding_names_may_contain_colons_and_spaces() -> None:
    block = parse("P(X = x) := snippets.distributions.poisson_pmf(x, mu)")
    assert isinstance(block, CheckBlock) and block.entries[0].name == "P(X = x)"


def test_default_options() -> None:
    block = parse("x : real 0..1")
    assert isinstance(block, CheckBlock)
    assert (block.options.base, block.options.examples, block.options.identity) == (1, 100, False)


@pytest.mark.parametrize(("body", "message", "line"), [
    ("x : vectr(n) 0..1", "unknown sampler 'vectr' for x\n  fix: did you mean 'vector'?", 11),
    ("n : int 1..3\nx : vector 0..1", "vector takes 1 size argument(s), got 0\n  fix: write x : vector(n) low..high", 12),
    ("x : real 0-1", "expected a range 'low..high', got '0-1'", 11),
    ("p : simplex(n) 0..1", "simplex takes no range", 11),
    ("x : real 0..1\n@tolerance rtol=1", "unknown option '@tolerance'\n  fix: did you mean '@tol'?", 12),
    ("x : real 0..1\n@base 2", "@base: the index base is 0 or 1", 12),
    ("x : real 0..1\n@tol rtol=a", "@tol", 12),
    ("x : real 0..1\n@examples 0", "at least one example", 12),
    ("x : real 0..1\nthis is prose", "cannot read 'this is prose'", 12),
    ("\n\n", "the check block binds nothing", 11),
    ("x :=   ", "incomplete binding", 11),
])
def test_errors_name_the_block_line_and_suggest_a_fix(body: str, message: str, line: int) -> None:
    with pytest.raises(FormulaError) as error:
        parse(body)
    assert str(error.value).startswith(f"glossary/x.md:{line}: ")
    assert message in str(error.value)


def test_nocheck_needs_a_reason_and_keeps_it() -> None:
    block = parse(" a definition of\n   notation ", kind="nocheck")
    assert block == NocheckBlock("a definition of notation", WHERE)
    with pytest.raises(FormulaError, match="glossary/x.md:10: nocheck needs a reason"):
        parse("  ", kind="nocheck")


def test_doctest_block_needs_an_example() -> None:
    assert isinstance(parse(" a statistical claim\n>>> 1 + 1\n2", kind="check-doctest"), DoctestBlock)
    with pytest.raises(FormulaError, match="no '>>>' example"):
        parse("1 + 1", kind="check-doctest")


def test_doctest_block_needs_a_reason_on_its_first_line() -> None:
    block = parse(" the sample mean converges to p (a Monte Carlo claim)\n>>> 1 + 1\n2", kind="check-doctest")
    assert isinstance(block, DoctestBlock)
    assert block.reason == "the sample mean converges to p (a Monte Carlo claim)"
    assert block.source.strip().startswith(">>> 1 + 1") and block.location.line == BODY.line + 1
    with pytest.raises(FormulaError, match=r"glossary/x.md:10: a check-doctest must say why .*\n  fix: put the reason"):
        parse(">>> 1 + 1\n2", kind="check-doctest")
