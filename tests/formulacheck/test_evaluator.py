"""The evaluation conventions of the design note, one by one."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import pytest

from grimoire.formulacheck.errors import CheckFailure, EvaluationError

Evaluate = Callable[..., Any]
X = np.array([10.0, 20.0, 30.0])
A = np.array([[1.0, 2.0], [3.0, 4.0]])
B = np.array([[0.0, 1.0], [1.0, 0.0]])


def test_subscripts_are_one_based(evaluate: Evaluate) -> None:
    assert evaluate("x_1", x=X) == 10.0
    assert evaluate("x_3", x=X) == 30.0
    assert evaluate("A_{2,1}", A=A) == 3.0
    assert evaluate("A_{21}", A=A) == 3.0


def test_juxtaposed_subscripts_are_indices_on_a_matrix_and_a_product_on_a_vector(evaluate: Evaluate) -> None:
    assert evaluate(r"\sum_j A_{2j}", A=A) == 7.0
    assert evaluate(r"\sum_{i=1}^{1} x_{2i}", x=X) == 20.0
    assert evaluate(r"\sum_{i,j} A_{ij} B_{ji}", A=A, B=B) == 5.0


def test_base_zero_is_an_option(evaluate: Evaluate) -> None:
    assert evaluate("x_0", base=0, x=X) == 10.0


@pytest.mark.parametrize("latex", ["x_0", "x_4", "x_{-1}", "x_{1.5}"])
def test_subscripts_out_of_range_or_fractional_are_errors_not_wraparound(evaluate: Evaluate, latex: str) -> None:
    with pytest.raises(EvaluationError, match="subscript"):
        evaluate(latex, x=X)


def test_column_vectors_take_one_subscript(evaluate: Evaluate) -> None:
    assert evaluate("x_2", x=X.reshape(3, 1)) == 20.0


def test_unbounded_sum_runs_over_the_indexed_axis(evaluate: Evaluate) -> None:
    assert evaluate(r"\sum_j x_j", x=X) == 60.0
    assert evaluate(r"\sum_{i,j} A_{ij}", A=A) == 10.0
    assert evaluate(r"\sum_j A_{2j}", A=A) == 7.0
    assert evaluate(r"\sum_{j=2}^{3} x_j", x=X) == 50.0
    assert evaluate(r"\sum_{j \ne 2} x_j", x=X) == 40.0
    assert evaluate(r"\sum_{j=3}^{2} x_j", x=X) == 0.0
    assert evaluate(r"\prod_{i=1}^{4} i") == 24.0
    assert evaluate(r"\max_j x_j - \min_j x_j", x=X) == 20.0


def test_sum_index_needs_an_axis_or_bounds(evaluate: Evaluate) -> None:
    with pytest.raises(EvaluationError, match="cannot tell which values"):
        evaluate(r"\sum_j j")
    with pytest.raises(EvaluationError, match="different lengths"):
        evaluate(r"\sum_j x_j y_j", x=X, y=np.ones(2))


def test_transpose_of_a_vector_is_an_error(evaluate: Evaluate) -> None:
    with pytest.raises(EvaluationError, match="transpose of a 1-D vector"):
        evaluate(r"x^\top", x=X)
    np.testing.assert_array_equal(evaluate(r"A^\top", A=A), A.T)


def test_products_are_scalar_or_matrix_never_broadcast(evaluate: Evaluate) -> None:
    np.testing.assert_array_equal(evaluate("A B", A=A, B=B), A @ B)
    np.testing.assert_array_equal(evaluate(r"A \cdot B", A=A, B=B), A @ B)
    np.testing.assert_array_equal(evaluate(r"A \odot B", A=A, B=B), A * B)
    np.testing.assert_array_equal(evaluate("2 A", A=A), 2 * A)
    with pytest.raises(EvaluationError, match="ambiguous"):
        evaluate("x y", x=X, y=X)
    with pytest.raises(EvaluationError, match="inner sizes differ"):
        evaluate("A C", A=A, C=np.ones((3, 3)))
    with pytest.raises(EvaluationError, match="cannot add"):
        evaluate("A + x", A=A, x=X)


def test_inner_product_is_a_one_by_one_matrix_that_acts_as_a_scalar(evaluate: Evaluate) -> None:
    u = np.array([[1.0], [2.0]])
    assert evaluate(r"u^\top u", u=u).shape == (1, 1)
    np.testing.assert_allclose(evaluate(r"\frac{A}{1 + u^\top u}", A=A, u=u), A / 6)
    np.testing.assert_allclose(evaluate(r"u^\top u \, u", u=u), 5 * u)


def test_inverse_and_matrix_powers(evaluate: Evaluate) -> None:
    np.testing.assert_allclose(evaluate("A^{-1}", A=A), np.linalg.inv(A))
    np.testing.assert_allclose(evaluate("A^2", A=A), A @ A)
    assert evaluate("a^{-1}", a=4.0) == 0.25
    with pytest.raises(EvaluationError, match="singular"):
        evaluate("S^{-1}", S=np.ones((2, 2)))
    with pytest.raises(EvaluationError, match="cannot raise"):
        evaluate("x^2", x=X)


@pytest.mark.parametrize(("latex", "expected"), [
    (r"\frac{1}{4}", 0.25), (r"\frac12", 0.5), (r"\sqrt{16}", 4.0), (r"\sqrt[3]{8}", 2.0), (r"\log e", 1.0),
    (r"\ln e^{2}", 2.0), (r"\log_2 8", 3.0), (r"\exp(0)", 1.0), (r"e^{1}", math.e), ("5!", 120.0),
    (r"\binom{5}{2}", 10.0), (r"\binom{2}{5}", 0.0), (r"\lfloor 2.5 \rfloor", 2.0), (r"\lceil 2.5 \rceil", 3.0),
    (r"\max(1, 3, 2)", 3.0), (r"\min(4, 3)", 3.0), (r"|{-3}|", 3.0), (r"\left|2 - 5\right|", 3.0),
    (r"\pi", math.pi), (r"\left( 1 + 2 \right) 3", 9.0), ("2^{3}", 8.0), ("2^3 4", 32.0), ("1 - 2 - 3", -4.0),
    ("8/2/2", 2.0), (r"\frac{\sum_{i=1}^{3} i}{2}", 3.0), (r"\delta_{1,1} + \delta_{1,2}", 1.0), (r"\det A", -2.0),
    (r"\mathrm{tr}(A)", 5.0), (r"-\sum_{i=1}^{2} i", -3.0), ("3 x_2", 60.0), (r"\frac{x_3}{x_1}", 3.0),
])
def test_operators(evaluate: Evaluate, latex: str, expected: float) -> None:
    assert evaluate(latex, x=X, A=A) == pytest.approx(expected, rel=1e-12)


def test_norms_and_absolute_values(evaluate: Evaluate) -> None:
    v = np.array([3.0, -4.0])
    assert evaluate(r"\|v\|", v=v) == 5.0
    assert evaluate(r"\|v\|_2^2", v=v) == pytest.approx(25.0)
    assert evaluate(r"\|v\|_1", v=v) == 7.0
    assert evaluate(r"\|v\|_\infty", v=v) == 4.0
    assert evaluate(r"\norm{v}", v=v) == 5.0
    assert evaluate(r"\|v\|_0", v=np.array([0.0, 2.0, 0.0, -1.0])) == 2.0  # count of nonzeros
    assert evaluate(r"\|A\|_F", A=A) == pytest.approx(math.sqrt(30))
    np.testing.assert_array_equal(evaluate("|v|", v=v), np.abs(v))
    with pytest.raises(EvaluationError, match="needs an order"):
        evaluate(r"\|A\|", A=A)


def test_bound_names_shadow_constants(evaluate: Evaluate) -> None:
    assert evaluate(r"2\pi", pi=0.25) == 0.5
    assert evaluate("e", e=3.0) == 3.0


def test_elementwise_functions_of_vectors(evaluate: Evaluate) -> None:
    np.testing.assert_allclose(evaluate(r"\exp(x)", x=X), np.exp(X))
    np.testing.assert_allclose(evaluate("e^{x}", x=X), np.exp(X))
    np.testing.assert_allclose(evaluate(r"\max x", x=X), 30.0)


def test_function_values_must_be_called(evaluate: Evaluate) -> None:
    with pytest.raises(EvaluationError, match="called with arguments|call it"):
        evaluate("f + 1", f=np.exp)


def test_free_index_is_checked_at_every_value(check: Callable[..., None]) -> None:
    # Wrong only at i = n: \lfloor i/n \rfloor is 0 below n and 1 at n.
    with pytest.raises(CheckFailure) as failure:
        check(r"\lfloor i/n \rfloor x_i = 0", "n : int 1..5\nx : vector(n) 1..2\n@identity")
    message = str(failure.value)
    assert "at index i = 1" in message and "n = 1" in message


def test_non_finite_values_fail_even_when_both_sides_agree(check: Callable[..., None]) -> None:
    with pytest.raises(CheckFailure, match="not finite"):
        check(r"\log x = \log x", "x : real 0..1\n@identity")


def test_inequalities_are_checked(check: Callable[..., None]) -> None:
    check(r"x^2 \ge 0", "x : real -3..3\n@identity")
    with pytest.raises(CheckFailure, match="does not hold"):
        check(r"x^2 \le 1", "x : real -3..3\n@identity")


def test_index_ranges_can_be_given(check: Callable[..., None]) -> None:
    block = "n : int 2..6\nx : vector(n) -5..5\n\\alpha : real 0..1\n\\mathrm{EMA} := snippets.averages.ema(x, alpha)"
    formula = r"\mathrm{EMA}_t = \alpha x_t + (1-\alpha)\,\mathrm{EMA}_{t-1}"
    with pytest.raises(CheckFailure, match=r"subscript t-1 = 0 is outside 1\.\.\d+"):
        check(formula, block)
    check(formula, block + "\n@index t 2..n")


def test_unbound_letters_in_a_bound_name_subscript_it_where_they_are_indices(check: Callable[..., None]) -> None:
    block = ("n : int 1..6\nx : vector(n) -10..10\ns := snippets.activations.softmax(x)\n"
             "\\frac{\\partial s_i}{\\partial x_j} := snippets.activations.softmax_jacobian(x)")
    check(r"\frac{\partial s_i}{\partial x_j} = s_i \left( \delta_{ij} - s_j \right)", block)
    with pytest.raises(CheckFailure, match="at index i = 1, j = 1"):
        check(r"\frac{\partial s_i}{\partial x_j} = s_i \left( \delta_{ij} + s_j \right)", block)
    sums = "n : int 1..6\np : simplex(n)\nP(x) := p\nH(X) := snippets.information.entropy(p)"
    check(r"H(X) = -\sum_x P(x) \log P(x)", sums)


def test_approx_allows_the_rounding_of_the_literal(check: Callable[..., None]) -> None:
    block = r"\mathrm{softmax}(2, 1, 0.1) := snippets.activations.softmax([2, 1, 0.1])"
    check(r"\softmax(2, 1, 0.1) \approx (0.659, 0.242, 0.099)", block)
    check(r"\softmax(2, 1, 0.1) \approx (0.66, 0.24, 0.10)", block)
    with pytest.raises(CheckFailure, match=r"differ by up to 0\.000566 \(tolerance rtol=1e-09, atol=0\.0005\)"):
        check(r"\softmax(2, 1, 0.1) \approx (0.659, 0.242, 0.098)", block)
    with pytest.raises(CheckFailure):
        check(r"\softmax(2, 1, 0.1) = (0.659, 0.242, 0.099)", block)
