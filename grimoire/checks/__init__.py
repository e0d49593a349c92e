"""The formula checks of one build: every check runs in the build, and a mark says how it went.

``formulacheck`` is the checker (LaTeX to numpy, hypothesis, doctests); this
package runs it as part of ``mkdocs build`` and ``mkdocs serve``, so the
mark under a formula is the result of the build that made the page:

- ``jobs``: what a worker is sent (one display formula and its block) and
  what comes back (passed, failed, invalid, timed out, crashed, refused);
- ``worker``: runs one check in a worker of the shared pool
  (``grimoire.workers``), snippets imported afresh, in the sandbox;
- ``cache_key`` / ``cache``: results are stored under a digest of
  everything a result depends on (the formula, its block, the page place,
  the macros, the snippet modules it binds and every snippet module they
  import, library and checker versions), so a warm build runs no check and
  editing a snippet re-runs only the checks bound to it;
- ``build``: one build's checks: plan and submit them when the pages are
  known, hand out placeholders for the marks, fill them when the page is
  written, and report every failure as a problem at ``file:line``.

The test suite runs the same jobs through the same worker function
(``tests/test_formulas.py``), so a formula is never passed in one and failed
in the other.
"""
