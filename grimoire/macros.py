"""The site-wide TeX macros, read from ``macros.yml`` at the project root.

One loader for both consumers: the KaTeX renderer (which passes the mapping
to KaTeX as its ``macros`` option) and the formula checker (which expands the
same macros before tokenizing), so a macro means the same on the page and in
the checks.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .page_source import read_source
from .problems import Problem
from .yaml_text import error_line, error_text, load_bounded

_CONTROL_SEQUENCE = re.compile(r"^\\[A-Za-z]+$")
MAX_MACROS_CHARS = 256 * 1024


class MacroFileError(ValueError):
    """``macros.yml`` is not a mapping of control sequences to strings."""


def read_macros(path: Path, display_path: str = "macros.yml") -> tuple[dict[str, str], list[Problem]]:
    """The macros of ``path`` that are well formed, and a problem (with its line) for each that is not.

    A build reports every problem and goes on with the good macros, so a
    formula that uses a broken one fails with its own message too.
    """
    text, problems = read_source(path, display_path, max_bytes=None)
    if problems:
        return {}, problems
    try:
        data, node = load_bounded(text, MAX_MACROS_CHARS)
    except yaml.YAMLError as error:
        return {}, [
            Problem(display_path, error_line(error), f"not valid YAML: {error_text(error)}", hint=_SHAPE_HINT)
        ]
    if data is None:
        return {}, []
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return {}, [
            Problem(display_path, 1, f"expected a mapping of macros, got {type(data).__name__}", hint=_SHAPE_HINT)
        ]
    macros: dict[str, str] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        name = data_key = key_node.value
        expansion = data.get(data_key) if isinstance(data_key, str) else None
        if not isinstance(key_node, yaml.ScalarNode) or not _CONTROL_SEQUENCE.match(str(name)):
            problems.append(
                Problem(
                    display_path,
                    line,
                    f"macro name {name!r} is not a control sequence",
                    hint="write it as a quoted key such as '\\R'",
                )
            )
        elif not isinstance(value_node, yaml.ScalarNode) or not isinstance(expansion, str):
            got = "nothing" if expansion is None else repr(expansion)
            problems.append(
                Problem(
                    display_path,
                    line,
                    f"macro {name} must expand to a string, got {got}",
                    hint=f"write it as '{name}': '\\mathbb{{R}}', the expansion in quotes",
                )
            )
        else:
            macros[name] = expansion
    return macros, problems


_SHAPE_HINT = "each line maps a quoted macro to its quoted expansion, e.g. '\\R': '\\mathbb{R}'"


def load_macros(path: Path) -> dict[str, str]:
    """Return the macros of ``path`` as ``{"\\R": "\\mathbb{R}", ...}``, in file order.

    Raises ``MacroFileError`` naming the file and line of the first problem.
    """
    macros, problems = read_macros(path, str(path))
    if problems:
        raise MacroFileError(problems[0].format())
    return macros


def default_macros_path() -> Path:
    """``macros.yml`` beside the ``grimoire`` package, at the project root."""
    return Path(__file__).resolve().parent.parent / "macros.yml"
