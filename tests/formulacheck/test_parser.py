"""Parsing: precedence, big operators, chains, aligned rows, subscripts and calls."""

from __future__ import annotations

import pytest

from grimoire.formulacheck.errors import FormulaError, Location
from grimoire.formulacheck.names import bound_name, substitute
from grimoire.formulacheck.nodes import (
    BigOp, BinOp, Call, Func, Index, Name, Neg, Node, Num, Power, Ref, Transpose,
)
from grimoire.formulacheck.equations import ParsedFormula, parse_formula
from grimoire.formulacheck.tokens import tokenize

NOWHERE = Location("test.md", 1)


def parse(latex: str, bound: tuple[str, ...] = (), callables: tuple[str, ...] = ()) -> ParsedFormula:
    names = {bound_name(name, {}).signature: name for name in bound + callables}
    tokens, _ = substitute(tokenize(latex), names)
    return parse_formula(tokens, set(callables), lambda offset: NOWHERE)


def expr(latex: str, bound: tuple[str, ...] = (), callables: tuple[str, ...] = ()) -> Node:
    parsed = parse(latex, bound, callables)
    assert parsed.bare is not None
    return parsed.bare


def test_sum_body_is_the_rest_of_the_product_and_stops_at_plus() -> None:
    node = expr(r"\sum_j x_j y_j + 1")
    assert isinstance(node, BinOp) and node.op == "+"
    assert isinstance(node.left, BigOp) and node.left.indices == ["j"]
    assert isinstance(node.left.body, BinOp) and node.left.body.op == "mul"


def test_sum_bounds_in_either_order() -> None:
    for latex in (r"\sum_{i=1}^{n} x_i", r"\sum^{n}_{i=1} x_i"):
        node = expr(latex)
        assert isinstance(node, BigOp) and isinstance(node.lower, Num) and isinstance(node.upper, Name)


def test_log_takes_one_factor_and_the_product_continues() -> None:
    node = expr(r"p_i \log p_i q_i")
    assert isinstance(node, BinOp) and node.op == "mul"
    inner = node.left
    assert isinstance(inner, BinOp) and isinstance(inner.right, Func) and inner.right.name == "log"
    assert isinstance(inner.right.args[0], Index) and isinstance(node.right, Index)


def test_log_of_a_sum_takes_the_sum() -> None:
    node = expr(r"\log \sum_j e^{x_j}")
    assert isinstance(node, Func) and isinstance(node.args[0], BigOp)


def test_log_base_and_parenthesised_argument() -> None:
    node = expr(r"\log_2 (x) ^ 2")
    assert isinstance(node, Power) and isinstance(node.base, Func) and isinstance(node.base.option, Num)


def test_unary_minus_binds_looser_than_power() -> None:
    node = expr("-x^2")
    assert isinstance(node, Neg) and isinstance(node.operand, Power)


def test_chain_gives_consecutive_pairs() -> None:
    parsed = parse("a = b = c")
    assert [(r.left.name, r.right.name) for r in parsed.relations] == [("a", "b"), ("b", "c")]  # type: ignore[attr-defined]


def test_aligned_rows_continue_a_chain_or_start_a_new_one() -> None:
    parsed = parse(r"\begin{aligned} a &= b \\ &= c \\ d &\le e \quad \text{a comment} \end{aligned}")
    pairs = [(r.left.name, r.op, r.right.name) for r in parsed.relations]  # type: ignore[attr-defined]
    assert pairs == [("a", "=", "b"), ("b", "=", "c"), ("d", "<=", "e")]


def test_trailing_punctuation_and_quad_comments_are_ignored() -> None:
    parsed = parse(r"a = b, \quad \text{for all } i")
    assert len(parsed.relations) == 1


def test_letter_and_digit_subscripts_may_be_several_indices() -> None:
    two = expr("X_{ij}")
    assert isinstance(two, Index) and two.factors is not None and len(two.factors) == 2
    digits = expr(r"\Sigma_{21}")
    assert isinstance(digits, Index) and [f.value for f in digits.factors or []] == [2.0, 1.0]  # type: ignore[attr-defined]
    commas = expr("X_{i, j+1}")
    assert isinstance(commas, Index) and len(commas.indices) == 2
    one = expr("x_{2i+1}")
    assert isinstance(one, Index) and len(one.indices) == 1 and one.factors is None


def test_transposes_and_powers() -> None:
    for latex in (r"A^\top", "A^T", r"A^{\top}", r"A^{T}", r"A^\intercal"):
        assert isinstance(expr(latex), Transpose)
    assert isinstance(expr("A^{-1}"), Power)
    assert isinstance(expr("x^T", bound=("T",)), Power)  # a bound T is a value, not a transpose


def test_bound_function_followed_by_parenthesis_is_a_call() -> None:
    node = expr(r"\mathrm{softmax}(x)_i", callables=(r"\mathrm{softmax}",))
    assert isinstance(node, Index) and isinstance(node.base, Call) and isinstance(node.base.callee, Ref)


def test_bound_value_followed_by_parenthesis_is_a_product() -> None:
    node = expr(r"\alpha(1-\alpha)^{t-k}", bound=(r"\alpha",))
    assert isinstance(node, BinOp) and node.op == "mul" and isinstance(node.right, Power)


def test_bound_names_are_matched_longest_first() -> None:
    node = expr(r"H(p, q) - H(p)", bound=("H(p, q)", "H(p)", "p", "q"))
    assert isinstance(node, BinOp) and isinstance(node.left, Ref) and node.left.key == "H(p, q)"
    assert isinstance(node.right, Ref) and node.right.key == "H(p)"


def test_braces_around_one_subscript_token_do_not_matter_for_names() -> None:
    node = expr(r"\Sigma_{2} + \Sigma_2", bound=(r"\Sigma_2",))
    assert isinstance(node, BinOp) and isinstance(node.left, Ref) and isinstance(node.right, Ref)


@pytest.mark.parametrize(("latex", "message"), [
    (r"\oint_0^1 x", r"\\oint cannot be evaluated"),
    (r"\int_0^1 x", "the integral has no differential"),
    (r"\int x \, dx", "an integral needs both bounds"),
    (r"\lim x", "needs its variable and target"),
    (r"\nabla f", "needs the variable as a subscript"),
    (r"\frac{\partial f}{\partial x}", "with respect to a name bound in the check block"),
    (r"\begin{cases} a & x > 0 \\ b & \text{otherwise} \\ c & x < 0 \end{cases}", "only the last row"),
    (r"\begin{pmatrix} a \end{pmatrix}", "environment 'pmatrix'"),
    (r"\frac{a}{b", "expected '}' but found the end"),
    ("a = ", "ends too early"),
    (r"\sum x_i", "has no index"),
    (r"\sum_{i=1} x_i", "both bounds"),
    ("[a, b]", "comma"),
    ("= a", "starts with a relation"),
])
def test_unsupported_or_malformed_latex_is_an_error(latex: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message):
        parse(latex)
