"""Every display formula of the site is checked: one test per formula, named ``page.md:line``.

``test_formula`` runs each ``check`` block (the formula evaluated from its own
LaTeX against the implementation in ``snippets/``, on hypothesis-drawn inputs),
``test_formula_doctest`` each ``check-doctest`` block, and
``test_every_display_formula_has_a_block`` lists any display formula that
has no block at all.

They run exactly what the build runs: the same job through the same worker
function (snippets imported afresh, in the sandbox), under the same cache key
and in the same results cache (``.cache/grimoire/checks``), so a formula is
never passed in the build and failed here, or the other way round.
"""

from __future__ import annotations

import pytest

from grimoire.checks.build import problem
from grimoire.checks.cache import ResultCache
from grimoire.checks.cache_key import check_key
from grimoire.checks.jobs import CheckJob, CheckResult
from grimoire.checks.worker import run
from grimoire.figures.settings import FigureSettings
from grimoire.figures.snippet_source import SnippetIndex
from grimoire.formulacheck.blocks import CheckBlock, DoctestBlock
from grimoire.formulacheck.pages import Item, items_of_page, project_root, site_macros, site_pages
from grimoire.formulacheck.runner import MISSING_HINT

ITEMS = [item for page in site_pages() for item in items_of_page(page)]
CHECKS = [item for item in ITEMS if isinstance(item.block, CheckBlock) or item.error is not None]
DOCTESTS = [item for item in ITEMS if isinstance(item.block, DoctestBlock)]
MACROS = site_macros()
ROOT = project_root()
INDEX = SnippetIndex(ROOT)
CACHE = ResultCache(ROOT / ".cache" / "grimoire" / "checks")
TIMEOUT = FigureSettings.read()[0].check_timeout


def result_of(item: Item) -> CheckResult:
    """The build's result for ``item``: from the shared cache, else run as the build runs it."""
    key = check_key(item, MACROS, INDEX, None)
    result = CACHE.load(key)
    if result is None:
        result = run(CheckJob(key, str(ROOT), item, MACROS, None, TIMEOUT))
        CACHE.store(result)
    return result


def _assert_passes(item: Item) -> None:
    result = result_of(item)
    assert result.ok, problem(item.formula.path, result).format()


@pytest.mark.parametrize("item", CHECKS, ids=lambda item: item.id)
def test_formula(item: Item) -> None:
    _assert_passes(item)


@pytest.mark.parametrize("item", DOCTESTS, ids=lambda item: item.id)
def test_formula_doctest(item: Item) -> None:
    _assert_passes(item)


def test_every_display_formula_has_a_block() -> None:
    missing = [item.id for item in ITEMS if item.block is None and item.error is None]
    assert not missing, "display formulas without a check block:\n  " + "\n  ".join(missing) + f"\n{MISSING_HINT}"
