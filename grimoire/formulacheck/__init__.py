"""The formula checker: every display formula is evaluated from its own LaTeX and compared with code.

A display formula (``$$ ... $$``) is followed by a ``check`` block (inputs
drawn by hypothesis, the implementation in ``snippets/`` bound to names of
the formula), a ``check-doctest`` block, or ``nocheck: reason``. The
pipeline, one module per step: ``extract`` (formulas and blocks of a page),
``blocks`` (read a block), ``tokens``/``names``/``parser``/``equations``
(LaTeX to relations), ``prepare`` (closed-world validation), ``samplers``
and ``runner`` (hypothesis), ``evaluator``/``operations`` (numpy meaning),
``compare`` and ``report`` (verdicts and messages), ``status`` (site marks),
``mutation`` (proof that the checks can fail). ``python -m
grimoire.formulacheck PAGES...`` checks pages from the command line.
"""
