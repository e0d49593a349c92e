"""Closed world and author-facing errors: every error names file:line, the token, and a fix."""

from __future__ import annotations

from typing import Callable

import pytest

from grimoire.formulacheck.errors import CheckFailure, FormulaError

Check = Callable[..., None]
SOFTMAX = "n : int 1..8\nx : vector(n) -30..30\n\\mathrm{softmax} := snippets.activations.softmax"


def error_of(check: Check, latex: str, block: str) -> str:
    with pytest.raises(FormulaError) as error:
        check(latex, block)
    return str(error.value)


def test_unknown_identifier_names_line_token_and_bound_names(check: Check) -> None:
    message = error_of(check, "\\softmax(x)_i =\n \\frac{e^{y_i}}{\\sum_j e^{x_j}}", SOFTMAX)
    assert message.startswith("test.md:4: unknown identifier 'y'")  # the formula's second line
    assert "bound names: n, x, \\mathrm{softmax}" in message


def test_unknown_identifier_suggests_a_close_name(check: Check) -> None:
    message = error_of(check, "\\mathrm{softmax}(x)_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}} + \\alpha",
                       SOFTMAX + "\n\\alpha_1 : real 0..1")
    assert "unknown identifier '\\alpha'" in message and "did you mean \\alpha_1?" in message


def test_unknown_operator(check: Check) -> None:
    message = error_of(check, "\\mathrm{softmax}(x)_i = \\mathrm{sigmoid}(x_i)", SOFTMAX)
    assert message.startswith("test.md:3: unknown operator '\\mathrm{sigmoid}'")


def test_unsupported_command_names_the_command(check: Check) -> None:
    message = error_of(check, "\\mathrm{softmax}(x)_i = \\oint x_i", SOFTMAX)
    assert message.startswith("test.md:3: the command \\oint cannot be evaluated")


def test_binding_never_used_names_the_block_line(check: Check) -> None:
    message = error_of(check, "\\mathrm{softmax}(x)_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}}", SOFTMAX + "\n\\beta : real 0..1")
    assert message.startswith("test.md:9: \\beta is bound but neither the formula nor another line uses it")


def test_a_check_that_never_calls_project_code_is_rejected(check: Check) -> None:
    block = "n : int 1..8\nx : vector(n) -30..30\n\\mathrm{softmax} := lambda v: np.exp(v) / np.exp(v).sum()"
    message = error_of(check, "\\mathrm{softmax}(x)_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}}", block)
    assert message.startswith("test.md:6: this check never calls project code")
    assert "@identity" in message


def test_project_code_bound_but_unused_by_the_formula_is_rejected(check: Check) -> None:
    block = "x : real 0..1\ny := snippets.information.surprise(x)\nz := x"
    message = error_of(check, "z = x", block)
    assert "y is bound but neither" in message


def test_python_names_must_be_defined_above(check: Check) -> None:
    message = error_of(check, "P(X = x) = x", "P(X = x) := snippets.distributions.poisson_pmf(x, mu)\nx : int 0..3")
    assert message.startswith("test.md:6: the Python 'snippets.distributions.poisson_pmf(x, mu)' uses 'mu', "
                              "which is not defined above it")


def test_misspelt_implementation_suggests_the_closest(check: Check) -> None:
    message = error_of(check, "\\mathrm{softmax}(x)_i = x_i", SOFTMAX.replace(".softmax", ".sofmax"))
    assert "snippets.activations has no attribute 'sofmax'" in message
    assert "did you mean snippets.activations.softmax?" in message


def test_sampler_bounds_may_only_use_earlier_names(check: Check) -> None:
    message = error_of(check, "x = x", "x : vector(n) 0..1\nn : int 1..3\n@identity")
    assert message.startswith("test.md:6: 'n' in 'n' is not bound above this line")


def test_lhs_only_without_a_relation(check: Check) -> None:
    assert "states no relation" in error_of(check, "-\\log p", "p : real 0.1..1\n@identity")
    message = error_of(check, "y = -\\log p", "p : real 0.1..1\nlhs := snippets.information.surprise(p)")
    assert "'lhs' is only for a formula without a relation" in message


def test_lhs_compares_an_expression_with_code(check: Check) -> None:
    check("-\\log p", "p : real 0.01..1\nlhs := snippets.information.surprise(p)")
    with pytest.raises(CheckFailure):
        check("-\\log_2 p", "p : real 0.01..1\nlhs := snippets.information.surprise(p)")


def test_same_name_twice(check: Check) -> None:
    assert "bound twice" in error_of(check, "x_1 = x_1", "x_1 : real 0..1\nx_{1} : real 0..1\n@identity")


def test_failure_report_names_page_inputs_values_and_index(check: Check) -> None:
    with pytest.raises(CheckFailure) as failure:
        check("\\mathrm{softmax}(x)_i = \\frac{e^{x_i}}{\\sum_{j=1}^{n} e^{x_j}} + 1", SOFTMAX)
    lines = str(failure.value).splitlines()
    assert lines[0].startswith("test.md:2: formula check failed: the sides differ")
    assert lines[1].startswith("  relation: \\mathrm{softmax}(x)_i = \\frac{e^{x_i}}")
    assert lines[2] == "  at index i = 1"
    assert "    n = 1" in lines and "    x = [0.]" in lines  # hypothesis shrank to the minimal example
    assert "  left  = 1.0" in lines and "  right = 2.0" in lines


def test_an_implementation_that_raises_is_a_failure_with_inputs(check: Check) -> None:
    with pytest.raises(CheckFailure) as failure:
        check("y = x", "x : int 1..3\ny := snippets.activations.softmax_jacobian(s=None, x=None) if x > 2 else x")
    lines = str(failure.value).splitlines()
    assert lines[0].startswith("test.md:2: formula check failed: ") and "raised TypeError: softmax_jacobian needs" in lines[0]
    assert lines[1] == "  binding: y := snippets.activations.softmax_jacobian(s=None, x=None) if x > 2 else x (test.md:7)"
    assert lines[3] == "    x = 3"
