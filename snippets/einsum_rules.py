"""The rules of einsum, implemented from scratch with broadcasting, to check them against ``numpy.einsum``.

A specification such as ``"bij,bjk->bik"`` names one letter per axis of each
operand. The rules the glossary page states are exactly what this module
does, so the tests comparing it with ``numpy.einsum`` test the rules:

1. every operand is laid out on a common grid with one axis per distinct
   letter (a letter repeated within one operand takes its diagonal);
2. the operands are multiplied elementwise on that grid;
3. every letter absent from the output is summed away;
4. the output's axes follow the order of the letters after ``->``;
5. without ``->`` (implicit mode) the output holds the letters that occur
   exactly once, in alphabetical order.

Ellipses (``...``) and other refinements of the real ``einsum`` are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def parse(spec: str) -> tuple[list[str], str]:
    """Split a specification into the operands' letters and the output's letters (rule 5 without ``->``).

    >>> parse("ij,jk->ik")
    (['ij', 'jk'], 'ik')
    >>> parse("ij,jk")
    (['ij', 'jk'], 'ik')
    >>> parse("ii")
    (['ii'], '')
    """
    text = spec.replace(" ", "")
    if "." in text:
        raise ValueError(f"ellipses are not supported here: {spec!r}")
    inputs, arrow, output = text.partition("->")
    operands = inputs.split(",")
    letters = "".join(operands)
    if not all(op.isalpha() for op in operands) or not all(ch.isalpha() for ch in output):
        raise ValueError(f"use one letter per axis, operands separated by commas: {spec!r}")
    if not arrow:
        output = "".join(sorted(ch for ch in set(letters) if letters.count(ch) == 1))
    unknown = set(output) - set(letters)
    if unknown or len(set(output)) != len(output):
        raise ValueError(f"the output {output!r} must use distinct letters of the inputs: {spec!r}")
    return operands, output


def summed_letters(spec: str) -> str:
    """The letters that are summed over: those of the inputs missing from the output, in order of appearance.

    >>> summed_letters("bij,bjk->bik"), summed_letters("ii->"), summed_letters("i,j->ij")
    ('j', 'i', '')
    """
    operands, output = parse(spec)
    return "".join(ch for ch in dict.fromkeys("".join(operands)) if ch not in output)


def einsum(spec: str, *operands: ArrayLike) -> NDArray[np.float64]:
    """Evaluate ``spec`` by the five rules: broadcast onto one grid, multiply, sum the missing letters, order.

    >>> einsum("ij,jk->ik", [[1.0, 2.0]], [[3.0], [4.0]])
    array([[11.]])
    >>> float(einsum("ii->", [[1.0, 2.0], [3.0, 4.0]]))
    5.0
    """
    names, output = parse(spec)
    if len(names) != len(operands):
        raise ValueError(f"{spec!r} names {len(names)} operands, {len(operands)} given")
    grid = list(dict.fromkeys(output + "".join(names)))  # output letters first, then the summed ones
    sizes: dict[str, int] = {}
    product: NDArray[np.float64] | float = 1.0
    for letters, operand in zip(names, operands):
        a = np.asarray(operand, dtype=np.float64)
        if a.ndim != len(letters):
            raise ValueError(f"operand {letters!r} needs {len(letters)} axes, got shape {a.shape}")
        for letter, size in zip(letters, a.shape):
            if sizes.setdefault(letter, size) != size:
                raise ValueError(f"letter {letter!r} has sizes {sizes[letter]} and {size}")
        a, letters = _diagonal(a, letters)
        # rule 1: move the operand's axes into grid order and give the missing letters length 1
        order = sorted(range(len(letters)), key=lambda i: grid.index(letters[i]))
        shape = [sizes[ch] if ch in letters else 1 for ch in grid]
        product = product * np.transpose(a, order).reshape(shape)  # rule 2
    summed = tuple(range(len(output), len(grid)))
    return np.sum(np.broadcast_to(product, [sizes[ch] for ch in grid]), axis=summed)  # rules 3 and 4


def _diagonal(a: NDArray[np.float64], letters: str) -> tuple[NDArray[np.float64], str]:
    """Reduce a letter repeated within one operand (``"ii"``) to its diagonal, once per repeat."""
    while len(set(letters)) < len(letters):
        letter = next(ch for ch in letters if letters.count(ch) > 1)
        first, second = [i for i, ch in enumerate(letters) if ch == letter][:2]
        a = np.diagonal(a, axis1=first, axis2=second)  # the diagonal axis goes last
        letters = "".join(ch for i, ch in enumerate(letters) if i not in (first, second)) + letter
    return a, letters


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:einsum_rules.<name>).


def index_roles() -> Figure:
    """Which letters of ``"bij,bjk->bik"`` are kept and which are summed, with the shapes they name."""
    from matplotlib.figure import Figure

    spec = "bij,bjk->bik"
    operands, output = parse(spec)
    summed = summed_letters(spec)
    sizes = {"b": 2, "i": 3, "j": 4, "k": 5}
    fig = Figure(figsize=(6.4, 2.6), layout="none")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 6.4)
    ax.set_ylim(0, 2.6)
    ax.set_axis_off()
    columns = [(1.0, operands[0], "A"), (2.9, operands[1], "B"), (5.3, output, "C")]
    for x, letters, name in columns:
        for i, ch in enumerate(letters):
            color = "C1" if ch in summed else ("C2" if all(ch in op for op in operands) and ch in output else "C0")
            ax.text(x + (i - 1) * 0.42, 1.55, ch, ha="center", va="center", fontsize=20, color=color,
                    family="monospace", weight="bold")
        shape = " \u00d7 ".join(str(sizes[ch]) for ch in letters)
        ax.text(x, 2.2, name, ha="center", fontsize=11, weight="bold")
        ax.text(x, 0.95, shape, ha="center", fontsize=10)
    ax.text(1.95, 1.55, ",", ha="center", va="center", fontsize=20)
    ax.text(4.1, 1.55, "\u2192", ha="center", va="center", fontsize=20)
    for x, text, color in ((0.9, "kept (free)", "C0"), (2.9, "kept in every operand (batch)", "C2"),
                           (5.1, "summed (contracted)", "C1")):
        ax.text(x, 0.35, text, ha="center", fontsize=10, color=color, weight="bold")
    return fig
