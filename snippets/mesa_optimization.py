"""The nested picture of learned optimization: meta-, base and mesa-optimizer (a diagram only).

Used by the mesa-optimizer page. Nothing here is numeric: the figure shows which
optimizer produces which, and which objective each one pursues.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _frame(ax: Axes, x: float, y: float, w: float, h: float, color: str, title: str, body: str,
           fontsize: float = 10.0) -> None:
    """A labelled rounded rectangle with its title at the top left and a note under it."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.04", facecolor=color, alpha=0.12,
                                edgecolor="none"))
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.04", facecolor="none", edgecolor=color,
                                linewidth=1.3))
    ax.text(x + 0.12, y + h - 0.12, title, ha="left", va="top", fontsize=fontsize + 0.5, weight="bold")
    ax.text(x + 0.12, y + h - 0.42, body, ha="left", va="top", fontsize=fontsize, linespacing=1.3)


def nested_optimizers() -> Figure:
    """Base optimizer outside, the learned model it selects inside, and the objective that model may pursue."""
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch

    fig = Figure(figsize=(7.2, 4.3), layout="none")
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, 7.2)
    ax.set_ylim(0, 4.3)
    ax.set_axis_off()
    _frame(ax, 0.15, 0.15, 6.9, 3.15, "C0", "Base optimizer (e.g. SGD on the training loss)",
           "searches over parameters; pursues the base objective, written by the programmers")
    _frame(ax, 0.55, 0.35, 6.1, 2.2, "C2", "Learned model = mesa-optimizer, if it searches internally",
           "selected by the base optimizer; the whole network, not a sub-agent inside it")
    _frame(ax, 0.95, 0.55, 5.3, 1.15, "C1", "Its mesa-objective",
           "what its internal search pursues; nobody wrote it down.\nInner alignment: does it match the base objective?")
    _frame(ax, 0.15, 3.5, 6.9, 0.72, "C3", "Meta-optimizer (the other direction)",
           "an optimizer whose output is an optimizer, e.g. one that designs base optimizers", fontsize=9.5)
    ax.add_patch(FancyArrowPatch((6.85, 3.55), (6.85, 3.28), arrowstyle="-|>", mutation_scale=11, color="#333333"))
    ax.text(6.75, 3.41, "produces", ha="right", va="center", fontsize=9.5, style="italic")
    return fig
