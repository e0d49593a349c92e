"""Equivalent ways of writing a formula all pass: the checker judges values, not spelling."""

from __future__ import annotations

from typing import Callable

import pytest

from grimoire.formulacheck.blocks import CheckBlock
from grimoire.formulacheck.pages import Item, site_macros
from grimoire.formulacheck.prepare import prepare
from grimoire.formulacheck.runner import run_check

Items = Callable[[str], dict[int, Item]]
LINES = [3, 13, 26, 36, 47, 59, 74, 83]


@pytest.mark.parametrize("line", LINES)
def test_rewrite_passes(fixture_items: Items, line: int) -> None:
    item = fixture_items("rewrites.md")[line]
    assert item.error is None and isinstance(item.block, CheckBlock)
    check = prepare(item.formula, item.block, site_macros())
    assert len(check.relations) >= 1
    run_check(check)


def test_every_rewrite_is_listed(fixture_items: Items) -> None:
    assert sorted(fixture_items("rewrites.md")) == LINES


def test_fixture_pages_pass_as_written(fixture_items: Items) -> None:
    for page in ("softmax.md", "information.md", "distributions.md", "averages.md", "walks.md"):
        for item in fixture_items(page).values():
            if isinstance(item.block, CheckBlock):
                run_check(prepare(item.formula, item.block, site_macros()))
