"""The notation of derivations: each class has a correct formula that passes and a subtly wrong one that fails."""

from __future__ import annotations

from typing import Callable

import pytest

from grimoire.formulacheck.errors import CheckFailure, FormulaError

Check = Callable[..., None]

SIGMOID = "x : real -3..3\n\\sigma := snippets.classification.sigmoid"
SOFTMAX = "n : int 1..4\nx : vector(n) -5..5\n\\mathrm{softmax} := snippets.activations.softmax"
QUADRATIC = "n : int 1..3\nx : col(n) -3..3\nA : matrix(n, n) -2..2\n@identity"
BERNOULLI = "p : real 0..1\nX ~ bernoulli(p)\n@identity"
NORMAL = "\\mu : real -2..2\n\\sigma : real 0.1..3\nX ~ normal(\\mu, \\sigma^2)\n@identity"
DECLARED = "q ~ normal(\\mu, \\sigma^2) col(d)\nk ~ normal(\\mu, \\sigma^2) col(d)\n"
DOTS = ("d : int 1..8\n\\mu : real -1..1\n\\sigma : real 0.5..2\n"
        "q^\\top k ~ snippets.attention.qk_dot_products(d, samples, mu, sigma, seed)\n"
        + DECLARED + "@examples 4")
SOFT = "w : real -3..3\nt : real 0..2\nS := snippets.regularization.soft_threshold"

# (correct formula, the same with one subtle mistake, check block, examples)
CASES = {
    "d/dx": (r"\frac{d \sigma(x)}{d x} = \sigma(x) (1 - \sigma(x))",
             r"\frac{d \sigma(x)}{d x} = \sigma(x) (1 + \sigma(x))", SIGMOID, 20),
    "partial operator": (r"\frac{\partial}{\partial x} \sigma(x) = \sigma(x) (1 - \sigma(x))",
                         r"\frac{\partial}{\partial x} \sigma(x) = 2 \sigma(x) (1 - \sigma(x))", SIGMOID, 20),
    "second derivative": (r"\frac{\partial^2 \sigma(x)}{\partial x^2} = \sigma(x)(1 - \sigma(x))(1 - 2\sigma(x))",
                          r"\frac{\partial^2 \sigma(x)}{\partial x^2} = \sigma(x)(1 - \sigma(x))(1 + 2\sigma(x))",
                          SIGMOID, 10),
    "mixed second partial": (r"\frac{\partial^2 (x^2 y^3)}{\partial x \partial y} = 6 x y^2",
                             r"\frac{\partial^2 (x^2 y^3)}{\partial x \partial y} = 6 x^2 y",
                             "x : real -2..2\ny : real -2..2\n@identity", 10),
    "jacobian entries": (r"\frac{\partial \mathrm{softmax}(x)_i}{\partial x_j} = "
                         r"\mathrm{softmax}(x)_i (\delta_{ij} - \mathrm{softmax}(x)_j)",
                         r"\frac{\partial \mathrm{softmax}(x)_i}{\partial x_j} = "
                         r"\mathrm{softmax}(x)_j (\delta_{ij} - \mathrm{softmax}(x)_j)", SOFTMAX, 10),
    "gradient": (r"\nabla_x \frac{1}{2} x^\top A x = \frac{1}{2} (A + A^\top) x",
                 r"\nabla_x \frac{1}{2} x^\top A x = A x", QUADRATIC, 10),
    "hessian": (r"\nabla^2_x \frac{1}{2} x^\top A x = \frac{1}{2}(A + A^\top)",
                r"\nabla^2_x \frac{1}{2} x^\top A x = \frac{1}{2}(A - A^\top)", QUADRATIC, 3),
    "definite integral": (r"\int_{0}^{a} \sigma(t) \, dt = \log(1 + e^{a}) - \log 2",
                          r"\int_{0}^{a} \sigma(t) \, dt = \log(1 + e^{a}) - \log 3",
                          "a : real -3..3\n\\sigma := snippets.classification.sigmoid", 20),
    "improper integral": (r"\int_{-\infty}^{\infty} e^{-t^2 / 2} \, dt = \sqrt{2 \pi}",
                          r"\int_{0}^{\infty} e^{-t^2 / 2} \, dt = \sqrt{2 \pi}", "@identity", 1),
    "infinite series": (r"\sum_{x=0}^{\infty} \frac{\mu^{x} e^{-\mu}}{x!} = 1",
                        r"\sum_{x=1}^{\infty} \frac{\mu^{x} e^{-\mu}}{x!} = 1", "\\mu : real 0.1..30\n@identity", 20),
    "limit at infinity": (r"\lim_{n \to \infty} \left(1 + \frac{a}{n}\right)^{n} = e^{a}",
                          r"\lim_{n \to \infty} \left(1 + \frac{a}{n}\right)^{n} = e^{a} - 1",
                          "a : real -2..2\n@identity", 20),
    "one-sided limit": (r"\lim_{T \to 0^{+}} \mathrm{softmax}(x / T)_i = h_i",
                        r"\lim_{T \to 0^{-}} \mathrm{softmax}(x / T)_i = h_i",
                        "n : int 1..5\nx : ints(n) -9..9\n\\mathrm{softmax} := snippets.activations.softmax\n"
                        "h := snippets.activations.hardmax(x)", 20),
    "divergent limit": (r"\lim_{p \to 0^{+}} \left( -\log p \right) = +\infty",
                        r"\lim_{p \to 0^{+}} \left( \log p \right) = +\infty", "@identity", 1),
    "exact discrete expectation": (r"\Var(X) = p (1 - p)", r"\Var(X) = p (1 - p^2)", BERNOULLI, 20),
    "categorical expectation": (r"\E[X] = \sum_{j=1}^{n} j \, p_j", r"\E[X] = \sum_{j=1}^{n} (j - 1) \, p_j",
                                "n : int 1..6\np : simplex(n)\nX ~ categorical(p)\n@identity", 20),
    "expectation by quadrature": (r"\E[X^2] = \mu^2 + \sigma^2", r"\E[X^2] = \mu^2 + \sigma", NORMAL, 10),
    "covariance": (r"\Cov(X, 2 X + 1) = 2 \sigma^2", r"\Cov(X, 2 X + 1) = 2 \sigma^2 + 1", NORMAL, 5),
    "monte carlo chain": (r"\E\left[ q^\top k \right] = \sum_{i=1}^{d} \E[q_i]\, \E[k_i] = d \mu^2",
                          r"\E\left[ q^\top k \right] = \sum_{i=1}^{d} \E[q_i]\, \E[k_i] = d \mu", DOTS, 4),
    "monte carlo variance": (r"\Var\left( q^\top k \right) = d \left( \sigma^4 + 2 \mu^2 \sigma^2 \right)",
                             r"\Var\left( q^\top k \right) = d \left( \sigma^4 + \mu^2 \sigma^2 \right)",
                             DOTS.replace(DECLARED, ""), 4),
    "cases": (r"S(w, t) = \begin{cases} w - t & \text{if } w > t \\ w + t & \text{if } w < -t \\ 0 & \text{otherwise}"
              r"\end{cases}",
              r"S(w, t) = \begin{cases} w - t & \text{if } w > t \\ w + t & \text{if } w < t \\ 0 & \text{otherwise}"
              r"\end{cases}", SOFT, 30),
    "indicator": (r"S(w, t) = (w - t) \, \mathbb{1}[w > t] + (w + t) \, \mathbb{1}[w < -t]",
                  r"S(w, t) = (w - t) \, \mathbb{1}[w > t] + (w + t) \, \mathbb{1}[w > -t]", SOFT, 30),
    "iverson bracket": (r"S(w, t) = (w - t) [w > t] + (w + t) [w < -t]",
                        r"S(w, t) = (w - t) [w > t] + (w - t) [w < -t]", SOFT, 30),
    "argmax over an axis": (r"\argmax_{j} x_j = a", r"\argmax_{j} (-x_j) = a",
                            "n : int 1..6\nx : distinct(n) -9..9\na := float(snippets.classification.argmax(x)) + 1",
                            30),
    "argmin over a set": (r"\argmin_{c \in \{1, 2, 3\}} (c - t)^2 = r", r"\argmin_{c \in \{1, 2, 3\}} (c + t)^2 = r",
                          "t : int 1..3\nr := float(t) + 0 * snippets.activations.softmax([1.0])[0]", 10),
    "sum over a set variable": (r"\sum_{c} c^2 = \|x\|^2", r"\sum_{c} c = \|x\|^2",
                                "n : int 1..5\nx : vector(n) -3..3\nc \\in x\n@identity\n@tol rtol=1e-9 atol=1e-9", 20),
    "argmax over a set of rows": (r"\argmax_{u} s = e", r"\argmax_{u} (-s) = e",
                                  "n : int 1..5\nx : distinct(n) -9..9\nU := np.eye(n)\nu \\in U\ns := float(x @ u)\n"
                                  "e := snippets.classification.one_hot(snippets.classification.argmax(x), n)", 20),
    "kronecker product": (r"\operatorname{tr}(A \otimes B) = \operatorname{tr}(A) \operatorname{tr}(B)",
                          r"\operatorname{tr}(A \otimes B) = \operatorname{tr}(A) + \operatorname{tr}(B)",
                          "A : matrix(2, 2) -2..2\nB : matrix(3, 3) -2..2\n@identity", 20),
    "determinant of a kronecker product": (r"\det(A \otimes B) = \det(A)^3 \det(B)^2",
                                           r"\det(A \otimes B) = \det(A)^2 \det(B)^3",
                                           "A : matrix(2, 2) -2..2\nB : matrix(3, 3) -2..2\n@identity\n"
                                           "@tol rtol=1e-8 atol=1e-8", 30),
    "hadamard and inverse": (r"(A \odot B)^{-1} (A \odot B) = I", r"(A \odot B)^{-1} (A B) = I",
                             "A : spd(3)\nB : spd(3)\nI := np.eye(3)\n@identity\n@tol rtol=1e-8 atol=1e-8", 20),
    "rank": (r"\operatorname{rank}(x y^\top) = 1", r"\operatorname{rank}(x y^\top) = 2",
             "x : col(3) 1..2\ny : col(3) 1..2\n@identity", 10),
    "norms with subscripts": (r"\|x\|_\infty \le \|x\|_2 \le \|x\|_1", r"\|x\|_1 \le \|x\|_2 \le \|x\|_\infty",
                              "n : int 2..5\nx : vector(n) 1..3\n@identity", 20),
    "sum over a set variable": (r"\sum_{t \in T} t^2 = \|T\|_2^2", r"\sum_{t \in T} t^2 = \|T\|_1^2",
                                "n : int 2..4\nT : vector(n) -3..3\nt \\in T\n@identity", 20),
    "frobenius norm": (r"\|A\|_F^2 = \operatorname{tr}(A^\top A)", r"\|A\|_F = \operatorname{tr}(A^\top A)",
                       "A : matrix(2, 3) -2..2\n@identity", 10),
    "sum over a written set": (r"\sum_{t \in \{a, 2, 3\}} t^2 = a^2 + 13", r"\sum_{t \in \{a, 2, 3\}} t^2 = a^2 + 12",
                               "a : real -3..3\n@identity", 10),
    "product over a bound vector": (r"\prod_{t \in T} e^{t} = e^{\sum_{s \in T} s}", r"\prod_{t \in T} e^{t} = e^{\max_{s \in T} s}",
                                    "n : int 2..4\nT : vector(n) -1..1\n@identity", 10),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_correct_formula_passes(check: Check, name: str) -> None:
    correct, _, block, examples = CASES[name]
    check(correct, block, examples)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_subtly_wrong_formula_fails(check: Check, name: str) -> None:
    _, wrong, block, examples = CASES[name]
    with pytest.raises(CheckFailure):
        check(wrong, block, examples)


def test_a_divergent_series_is_reported_with_its_partial_sums(check: Check) -> None:
    with pytest.raises(CheckFailure, match=r"the series did not converge in 10000 terms \(partial sums at 1, 2, 4"):
        check(r"\sum_{k=1}^{\infty} \frac{1}{k} = 1", "@identity", 1)


def test_a_limit_that_does_not_exist_is_reported(check: Check) -> None:
    with pytest.raises(CheckFailure, match="the limit does not exist: from the right 1, from the left -1"):
        check(r"\lim_{x \to 0} \frac{|x|}{x} = 1", "@identity", 1)
    with pytest.raises(CheckFailure, match="the limit did not converge: values along the approach"):
        check(r"\lim_{x \to 0^{+}} \sin(1 / x) = 0", "@identity", 1)


def test_an_integral_that_quadpack_cannot_do_is_reported(check: Check) -> None:
    with pytest.raises(CheckFailure, match="the integral did not converge"):
        check(r"\int_{0}^{1} \frac{1}{t} \, dt = 1", "@identity", 1)


def test_a_derivative_across_a_jump_does_not_converge(check: Check) -> None:
    block = "n : int 2..2\nx : ints(n) 0..0\n\\operatorname{hardmax} := snippets.activations.hardmax\n@examples 1"
    with pytest.raises(CheckFailure, match="the numerical derivative did not converge"):
        check(r"\frac{\partial \operatorname{hardmax}(x)_i}{\partial x_j} = 0", block, 1)


def test_a_derivative_reruns_the_bindings_that_read_its_variable(check: Check) -> None:
    block = "x : real -3..3\ny := snippets.classification.sigmoid(x)"
    check(r"\frac{\partial y}{\partial x} = y (1 - y)", block, 10)
    with pytest.raises(CheckFailure):
        check(r"\frac{\partial y}{\partial x} = y^2 (1 - y)", block, 10)


def test_monte_carlo_failures_state_their_tolerance(check: Check) -> None:
    with pytest.raises(CheckFailure, match=r"Monte Carlo over 20000 draws: tolerance 6 standard errors of 20 batch "
                                           r"means = \d"):
        check(r"\Cov(X, Y) = \Var(X)", "X ~ normal(0, 1)\nY ~ normal(0, 1)\n@identity", 1)


def test_samples_option_sets_the_number_of_draws(check: Check) -> None:
    with pytest.raises(CheckFailure, match="Monte Carlo over 1000 draws"):
        check(r"\E[X] = 0.5", "X ~ normal(0, 1) vector(2)\n@samples 1000\n@identity", 1)


def test_a_random_variable_is_only_a_value_inside_a_moment(check: Check) -> None:
    with pytest.raises(CheckFailure, match=r"X is a random variable: use it inside \\E"):
        check("X = 1", "X ~ normal(0, 1)\n@identity", 1)
    with pytest.raises(FormulaError, match="'X' is a random variable and has no single value for a binding"):
        check(r"\E[X] = y", "X ~ normal(0, 1)\ny := X + snippets.activations.softmax([1.0])[0]", 1)


def test_monte_carlo_draws_are_bounded(check: Check) -> None:
    with pytest.raises(CheckFailure, match="more than 8000000 numbers per example"):
        check(r"\E[X_{1,1}] = 0", "X ~ normal(0, 1) matrix(100, 100)\n@samples 1000\n@identity", 1)


@pytest.mark.parametrize(("line", "message"), [
    ("X ~ normale(0, 1)", "unknown distribution 'normale' for X\n  fix: did you mean 'normal'?"),
    ("X ~ normal(0)", r"normal takes 2 parameter\(s\) \(mean, variance\), got 1"),
    ("X ~ bernoulli(p) row(3)", "cannot read the shape 'row\\(3\\)' of X"),
    ("X, Y ~ normal(0, 1)", "a distribution declares one random variable per line"),
    ("@samples 10", "the number of Monte Carlo samples must be within 100..200000"),
])
def test_random_variable_lines_are_read_strictly(check: Check, line: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message):
        check(r"\E[X] = 0", f"{line}\n@identity", 1)


def test_a_failing_chain_names_its_step(check: Check) -> None:
    with pytest.raises(CheckFailure, match=r"step 3 of 3: \(a\+b\)\^2 \+ 1 = \(a - b\)\^2") as failure:
        check(r"a^2 + b^2 = (a + b)^2 - 2ab \le (a+b)^2 + 1 = (a - b)^2", "a : real -2..2\nb : real -2..2\n@identity")
    assert failure.value.step == 3


def test_an_aligned_derivation_checks_every_line_and_names_the_failing_one(check: Check) -> None:
    derivation = "\n".join([
        r"\begin{aligned}",
        r"\E[(X - \mu)^2] &= \E[X^2] - 2 \mu \E[X] + \mu^2 \\",
        r"&= \E[X^2] - \mu^2 \\",
        r"&= \sigma^2 + \mu^2 - \mu",
        r"\end{aligned}",
    ])
    step = r"step 3 of 3: \\mathbb\{E\}\[X\^2\] - \\mu\^2 = \\sigma\^2 \+ \\mu\^2 - \\mu\n"
    with pytest.raises(CheckFailure, match=r"test.md:2: formula check failed.*\n  " + step) as failure:
        check(derivation, NORMAL, 5)
    assert failure.value.step == 3
    check(derivation.replace(r"\mu^2 - \mu", r"\mu^2 - \mu^2"), NORMAL, 5)


def test_a_set_variable_has_no_value_outside_its_sum(check: Check) -> None:
    with pytest.raises(CheckFailure, match="c ranges over a set: use it inside a sum"):
        check("c = 1", "S := np.ones(2)\nc \\in S\n@identity", 1)


def test_drawn_inputs_are_bounded(check: Check) -> None:
    with pytest.raises(CheckFailure, match="matrix\\(1000, 1000\\) has 1000000 entries; at most 100000"):
        check("A = A", "A : matrix(1000, 1000) 0..1\n@identity", 1)


def test_a_moment_inside_a_derivative_is_refused_rather_than_wrong(check: Check) -> None:
    with pytest.raises(CheckFailure, match=r"\\E inside a derivative or over a set variable cannot be evaluated"):
        check(r"\frac{\partial \E[X]}{\partial \mu} = 1", "\\mu : real -1..1\nX ~ normal(\\mu, 1)\n@identity", 1)


def test_argmax_is_the_set_of_tied_maximisers(check: Check) -> None:
    """With tied scores every maximiser satisfies ``x = argmax``; a candidate that is not one still fails."""
    ties = "t : real 1..2\n@identity"  # a positive scale: the maximisers stay where they are
    # (c - 2)^2 is largest at both c = 1 and c = 3: the first (1) and the last (3) are each an argmax.
    check(r"\argmax_{c \in \{1, 2, 3\}} t (c - 2)^2 = 3", ties, 10)
    check(r"\argmax_{c \in \{1, 2, 3\}} t (c - 2)^2 = 1", ties, 10)
    with pytest.raises(CheckFailure, match="differ"):
        check(r"\argmax_{c \in \{1, 2, 3\}} t (c - 2)^2 = 2", ties, 10)
    # Without a tie only the one maximiser holds.
    with pytest.raises(CheckFailure, match="differ"):
        check(r"\argmax_{c \in \{1, 2, 3\}} t (c - 2.5)^2 = 3", ties, 10)


def test_a_sum_over_a_set_runs_one_letter_without_an_upper_bound(check: Check) -> None:
    with pytest.raises(FormulaError, match=r"runs one letter through a set"):
        check(r"\sum_{s, t \in T} s t = 1", "T := np.ones(2)\n@identity", 1)
    with pytest.raises(FormulaError, match=r"over a set takes no upper bound"):
        check(r"\sum_{t \in T}^{3} t = 1", "T := np.ones(2)\n@identity", 1)
    with pytest.raises(CheckFailure, match=r"runs over a vector of numbers"):
        check(r"\sum_{t \in T} t = 1", "T := np.ones((2, 2))\n@identity", 1)


def test_a_derivative_with_respect_to_a_random_variable_is_refused_with_a_reason(check: Check) -> None:
    with pytest.raises(CheckFailure, match=r"cannot differentiate with respect to X: only an input the block draws"):
        check(r"\frac{\partial}{\partial X} \E[X^2] = 2 \mu", "\\mu : real -1..1\nX ~ normal(\\mu, 1)\n@identity", 1)
