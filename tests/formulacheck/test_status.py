"""The per-formula status that the site shows next to each display formula."""

from __future__ import annotations

import inspect

from grimoire.formulacheck.status import FIXED, FormulaStatus, Implementation, formula_statuses, readable
from snippets import activations

PAGE = r"""# Page
$$
\softmax(x)_i = \frac{e^{x_i}}{\sum_{j=1}^{n} e^{x_j}}
$$
<!-- check
n : int 1..8
x : vector(n) -30..30
\beta : real 0..1
M : matrix(n, 2) -1..1
p : simplex(n)
\mathrm{softmax} := snippets.activations.softmax
@index t 2..n
-->

$$
\Var(q^\top k) = d
$$
<!-- check-doctest: a Monte Carlo estimate of a variance
>>> from snippets.attention import qk_variance_mc
>>> abs(qk_variance_mc(d=64, samples=200_000) - 64) < 0.03 * 64
True
-->

$$
x \in \R^n
$$
<!-- nocheck: notation for the input space -->

$$
y = 2
$$

$$
z = 3
$$
<!-- check
z : vectr(3) 0..1
-->

$$
\softmax(2, 1) \approx (0.731, 0.269)
$$
<!-- check
\mathrm{softmax}(2, 1) := snippets.activations.softmax([2, 1])
-->
"""


def test_statuses_of_every_display_formula() -> None:
    checked, doctest, nocheck, missing, invalid, fixed = formula_statuses(PAGE, "glossary/p.md")
    softmax = Implementation("snippets.activations.softmax", "snippets/activations.py",
                             inspect.getsourcelines(activations.softmax)[1])
    assert checked == FormulaStatus(
        2, "checked", (softmax,),
        "n ∈ 1..8, x ∈ [-30, 30]^n, β ∈ [0, 1], M ∈ [-1, 1]^(n × 2), p a probability vector of length n, t ∈ 2..n",
        None)
    assert doctest.status == "doctest" and doctest.line == 15
    assert [i.name for i in doctest.implementations] == ["snippets.attention.qk_variance_mc"]
    assert nocheck == FormulaStatus(24, "nocheck", (), "", "notation for the input space")
    assert missing == FormulaStatus(29, "missing", (), "", None)
    assert invalid.status == "invalid" and invalid.reason is not None
    assert invalid.reason.startswith("glossary/p.md:37: unknown sampler 'vectr'")
    assert fixed.status == "checked" and fixed.domain == FIXED


def test_readable_names() -> None:
    assert readable(r"\Sigma_{21}") == "Σ_21"
    assert readable(r"P(E \mid \lnot H)") == "P(E | ¬ H)"
    assert readable(r"\mathrm{EMA}") == "EMA"
