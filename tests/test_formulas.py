"""Every display formula of the site is checked: one test per formula, named ``page.md:line``.

``test_formula`` runs each ``check`` block (the formula evaluated from its own
LaTeX against the implementation in ``snippets/``, on hypothesis-drawn inputs),
``test_formula_doctest`` each ``check-doctest`` block, and
``test_every_display_formula_has_a_block`` lists any display formula that
has no block at all.
"""

from __future__ import annotations

import pytest

from grimoire.formulacheck.blocks import CheckBlock, DoctestBlock
from grimoire.formulacheck.pages import Item, items_of_page, site_macros, site_pages
from grimoire.formulacheck.runner import MISSING_HINT, check_item

ITEMS = [item for page in site_pages() for item in items_of_page(page)]
CHECKS = [item for item in ITEMS if isinstance(item.block, CheckBlock) or item.error is not None]
DOCTESTS = [item for item in ITEMS if isinstance(item.block, DoctestBlock)]
MACROS = site_macros()


@pytest.mark.parametrize("item", CHECKS, ids=lambda item: item.id)
def test_formula(item: Item) -> None:
    check_item(item, MACROS)


@pytest.mark.parametrize("item", DOCTESTS, ids=lambda item: item.id)
def test_formula_doctest(item: Item) -> None:
    check_item(item, MACROS)


def test_every_display_formula_has_a_block() -> None:
    missing = [item.id for item in ITEMS if item.block is None and item.error is None]
    assert not missing, "display formulas without a check block:\n  " + "\n  ".join(missing) + f"\n{MISSING_HINT}"
