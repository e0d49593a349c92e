"""The formula checker: every display formula is evaluated from its own LaTeX and compared with code.

A display formula (``$$ ... $$``) is followed by a ``check`` block, a
``check-doctest`` block, or ``nocheck: reason``.

A ``check`` block has one entry per line, in dependency order:

- ``NAME : sampler``: an input, drawn for every example. Samplers:
  ``int lo..hi``, ``real lo..hi``, ``vector(n) lo..hi``, ``col(n) lo..hi``,
  ``matrix(r, c) lo..hi``, ``ints(n) lo..hi`` (whole numbers),
  ``distinct(n) lo..hi`` (distinct whole numbers), ``simplex(n)``,
  ``invertible(n)``, ``spd(n)``; sizes and bounds are LaTeX over earlier names.
- ``NAME ~ family(parameters) [shape]``: a random variable, for ``\\E``,
  ``\\Var``, ``\\Cov`` and ``\\operatorname{sd}``. Families: ``normal(mean,
  variance)``, ``uniform(a, b)``, ``exponential(rate)``, ``bernoulli(p)``,
  ``binomial(n, p)``, ``poisson(mean)``, ``categorical(p)`` (values
  ``@base``..); shape ``vector(n)``, ``col(n)`` or ``matrix(r, c)`` of iid
  entries. ``NAME[, NAME] ~ python`` draws with project code, which sees
  ``samples`` and ``seed`` (first axis: the draws; a last axis per name).
- ``NAME \\in SET``: a set variable (``t_{1:n} \\in T``), which a sum or an
  argmax/argmin over ``NAME`` runs through; ``SET`` is LaTeX over earlier
  names, a vector of numbers or a matrix whose rows are the members, and
  bindings that read ``NAME`` are re-run for each member.
- ``NAME := python``: a value, a function, or the implementation under test.
  A LaTeX name is matched token by token, so any fragment can be bound.
- Options: ``@tol rtol=.. atol=..``, ``@base 0``, ``@index i lo..hi``,
  ``@examples N``, ``@samples N`` (Monte Carlo draws, default 20000),
  ``@identity`` (a pure identity: no project code needed).

The LaTeX can use, besides arithmetic, matrices (``^\\top``, ``^{-1}``,
``\\det``, ``\\operatorname{tr}``, ``\\operatorname{rank}``, ``\\odot``,
``\\otimes``), sums and products over indices, norms ``\\|x\\|_p``, the
Kronecker delta, ``cases``, indicators ``\\mathbb{1}[c]`` and Iverson brackets,
``\\argmax``/``\\argmin`` over an axis or a set, derivatives
(``\\frac{\\partial f}{\\partial x_j}``, ``\\frac{d}{dx}``, ``\\nabla_x``,
``\\nabla^2_x``, second partials), definite integrals, series to
``\\infty``, limits (``\\lim_{x \\to a^{+}}``), and moments. Chains (``a = b
\\le c``, ``aligned`` rows starting with ``&=``) check every step; a failure
names its step. Numerical calculus and Monte Carlo set their own stated
tolerances (``calculus``, ``moments``); what does not converge fails.

A ``check-doctest: reason`` block holds doctest examples, for a claim that
only an experiment can check (the reason, on its first line, says why);
``nocheck: reason`` is for notation.

The pipeline, one module per step: ``extract`` (formulas and blocks of a
page), ``blocks`` (read a block), ``tokens``/``names``/``parser``/
``notation``/``equations`` (LaTeX to relations), ``prepare`` (closed-world
validation), ``samplers``/``plain_samplers`` and ``runner`` (examples),
``evaluator``/``operations``/``vectorized`` (numpy meaning), ``calculus``
and ``moments`` (numerical methods), ``compare`` and ``report`` (verdicts
and messages), ``status`` (site marks), ``mutation`` (proof that the checks
can fail). ``python -m grimoire.formulacheck PAGES...`` checks pages from
the command line.
"""
