"""YAML an author writes (front matter, ``macros.yml``), read with bounds.

PyYAML's safe loader still accepts anchors and aliases, so a few lines can
name a structure of a billion items (the "billion laughs"); loading it is
cheap, but anything that later walks or prints it is not. Authors have no use
for aliases in front matter or macros, so they are refused outright, and so
are texts over a size limit and nesting deep enough to exhaust the stack.
Every refusal is a ``yaml.YAMLError`` with the place it concerns, like a
syntax error, so callers report all of them the same way.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.error import Mark, MarkedYAMLError


class BoundedYAMLError(MarkedYAMLError):
    """YAML that is well-formed but over one of the bounds."""


class _BoundedLoader(yaml.SafeLoader):
    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise BoundedYAMLError(
                None, None, "aliases (*name) are not allowed here; write the value out", event.start_mark
            )
        return super().compose_node(parent, index)


def _start_mark() -> Mark:
    return Mark("<text>", 0, 0, 0, None, None)


def _checked(text: str, max_chars: int) -> None:
    if len(text) > max_chars:
        raise BoundedYAMLError(None, None, f"it has {len(text)} characters, over the limit of {max_chars}", _start_mark())


def load_bounded(text: str, max_chars: int) -> tuple[Any, yaml.Node | None]:
    """(data, node tree) of ``text``; raises ``yaml.YAMLError`` (with ``problem_mark``) when refused."""
    _checked(text, max_chars)
    try:
        node = yaml.compose(text, Loader=_BoundedLoader)
        data = yaml.load(text, Loader=_BoundedLoader)
    except RecursionError:
        raise BoundedYAMLError(None, None, "it is nested too deeply", _start_mark()) from None
    return data, node


def error_line(error: yaml.YAMLError, first_line: int = 1) -> int:
    """The 1-based line an error points at, counting the text's first line as ``first_line``."""
    mark = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    # Unclosed brackets and quotes fail at the end of the text; where they open helps more.
    if context is not None and (mark is None or "<stream end>" in str(getattr(error, "problem", ""))):
        mark = context
    return first_line + (mark.line if mark is not None else 0)


def error_text(error: yaml.YAMLError) -> str:
    """The reason of a YAML error without PyYAML's position lines."""
    problem = getattr(error, "problem", None)
    context = getattr(error, "context", None)
    if problem and context:
        return f"{context}: {problem}"
    return str(problem or context or error)
