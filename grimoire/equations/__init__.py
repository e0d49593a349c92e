"""Numbered display equations and references to them, as in LaTeX.

An author labels a display formula with ``\\label{eq:name}`` inside it and
cites it in running text with ``\\eqref{eq:name}`` ("(3)") or
``\\ref{eq:name}`` ("3"); another page's equation is
``\\eqref{derivations/attention-scaling#eq:variance}`` (the page path from the
project root, without ``.md``). Only labelled equations are numbered, 1, 2,
... in page order: a number exists to be cited, and numbering every display
(each already followed by its check mark) would clutter derivations and
renumber them whenever an unrelated formula is added. In an ``aligned`` block
that is the whole formula, a ``\\label`` in a row numbers that row.

The build replaces each ``\\label`` by KaTeX's ``\\tag{n}`` (``aligned`` with
row labels is typeset as ``align*``, whose rows may carry a tag each), gives
the display the label as its ``id`` and turns each reference into a link
whose hover card shows the typeset equation.

One module per job: ``syntax`` (the patterns, shared with the formula
checker), ``numbering`` (a page's labels, numbers and tagged TeX),
``references`` (references in running text), ``build`` (one build's work,
driven by ``SiteBuild``), ``cards`` (the hover-card templates).
"""
