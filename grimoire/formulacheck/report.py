"""Human-readable text for check outcomes: inputs, values and where it failed."""

from __future__ import annotations

from typing import Any

import numpy as np

from grimoire.formulacheck.errors import Location


def show(value: Any) -> str:
    """A value as a reader wants it: exact repr for scalars, compact rows for arrays."""
    if callable(value):
        return getattr(value, "__qualname__", repr(value))
    if np.ndim(value) == 0:
        return repr(float(value)) if isinstance(value, (float, np.floating)) else repr(value)
    text = np.array2string(np.asarray(value), precision=17, separator=", ", max_line_width=100, threshold=64)
    return text.replace("\n", "\n      ")


def failure_message(
    where: Location,
    what: str,
    reason: str,
    inputs: list[tuple[str, Any]],
    indices: dict[str, int],
    values: tuple[Any, Any] | None,
) -> str:
    """The text of a failed check: page:line, which relation (or binding), inputs, index position, both values."""
    lines = [f"{where}: formula check failed: {reason}", f"  {what}"]
    if indices:
        lines.append("  at index " + ", ".join(f"{name} = {value}" for name, value in indices.items()))
    if inputs:
        lines.append("  inputs:")
        lines += [f"    {name} = {show(value)}" for name, value in inputs]
    else:
        lines.append("  inputs: none (the values are written in the formula)")
    if values is not None:
        lines.append(f"  left  = {show(values[0])}")
        lines.append(f"  right = {show(values[1])}")
    return "\n".join(lines)
