"""The examples in the figure engine's docstrings (pytest collects only tests/ and snippets/)."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["references", "svg", "style", "html"])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"grimoire.figures.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
