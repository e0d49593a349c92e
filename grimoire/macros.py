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

_CONTROL_SEQUENCE = re.compile(r"^\\[A-Za-z]+$")


class MacroFileError(ValueError):
    """``macros.yml`` is not a mapping of control sequences to strings."""


def load_macros(path: Path) -> dict[str, str]:
    """Return the macros of ``path`` as ``{"\\R": "\\mathbb{R}", ...}``, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise MacroFileError(f"{path}: expected a mapping of macros, got {type(data).__name__}")
    macros: dict[str, str] = {}
    for name, expansion in data.items():
        if not isinstance(name, str) or not _CONTROL_SEQUENCE.match(name):
            raise MacroFileError(
                f"{path}: macro name {name!r} is not a control sequence; "
                "write it as a quoted key such as '\\R'"
            )
        if not isinstance(expansion, str):
            raise MacroFileError(
                f"{path}: macro {name} must expand to a string, got {expansion!r}; quote the value"
            )
        macros[name] = expansion
    return macros


def default_macros_path() -> Path:
    """``macros.yml`` beside the ``grimoire`` package, at the project root."""
    return Path(__file__).resolve().parent.parent / "macros.yml"
