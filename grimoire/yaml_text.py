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


# libyaml's parser when PyYAML was built with it (about ten times faster: every page's front matter is read on
# every build), else PyYAML's own.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_aliases(root: yaml.Node) -> None:
    """Raise if a node appears twice in the tree, which is what an alias (``*name``) composes to.

    Visited in document order, so the error names the collection holding the first alias.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, yaml.Node]] = [(root, root)]
    while stack:
        node, parent = stack.pop()
        if id(node) in seen:
            raise BoundedYAMLError(None, None, "aliases (*name) are not allowed here; write the value out",
                                   parent.start_mark)
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            continue
        stack += [(child, node) for child in reversed(children)]


def _start_mark() -> Mark:
    return Mark("<text>", 0, 0, 0, None, None)


def _checked(text: str, max_chars: int) -> None:
    if len(text) > max_chars:
        raise BoundedYAMLError(None, None, f"it has {len(text)} characters, over the limit of {max_chars}", _start_mark())


def load_bounded(text: str, max_chars: int) -> tuple[Any, yaml.Node | None]:
    """(data, node tree) of ``text``; raises ``yaml.YAMLError`` (with ``problem_mark``) when refused."""
    _checked(text, max_chars)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _refuse_aliases(node)  # before anything walks the tree recursively
        data = loader.construct_document(node)
    except RecursionError:
        raise BoundedYAMLError(None, None, "it is nested too deeply", _start_mark()) from None
    finally:
        loader.dispose()
    return data, node


# How PyYAML and libyaml say that a bracket or quote was never closed: the problem is then at the end of the text.
_AT_THE_END = ("<stream end>", "end of stream", "did not find expected ',' or")


def error_line(error: yaml.YAMLError, first_line: int = 1) -> int:
    """The 1-based line an error points at, counting the text's first line as ``first_line``."""
    mark = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    # Unclosed brackets and quotes fail at the end of the text; where they open helps more.
    problem = str(getattr(error, "problem", ""))
    if context is not None and (mark is None or any(end in problem for end in _AT_THE_END)):
        mark = context
    return first_line + (mark.line if mark is not None else 0)


def error_text(error: yaml.YAMLError) -> str:
    """The reason of a YAML error without PyYAML's position lines."""
    problem = getattr(error, "problem", None)
    context = getattr(error, "context", None)
    if problem and context:
        return f"{context}: {problem}"
    return str(problem or context or error)
