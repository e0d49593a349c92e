"""Box-and-arrow pipeline diagrams drawn with matplotlib (RAG, RLHF).

A diagram is a list of ``Box`` (centre, size, label) and ``Arrow`` (from one
box key to another). Coordinates are inches on a canvas of the figure's
size, so text in points and boxes in inches stay in proportion. Arrows start
and end where the line between two box centres crosses the box borders
(``edge_point``), so boxes can be moved without touching the arrows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Box:
    """A rounded box centred at ``(x, y)`` inches, ``width`` by ``height`` inches."""

    key: str
    label: str
    x: float
    y: float
    width: float = 1.3
    height: float = 0.62
    color: str = "C0"


@dataclass(frozen=True)
class Arrow:
    """An arrow from box ``start`` to box ``end``; ``bend`` curves it (matplotlib's ``arc3`` radius)."""

    start: str
    end: str
    label: str = ""
    bend: float = 0.0
    dashed: bool = False
    label_offset: tuple[float, float] = (0.0, 0.12)
    start_side: str | None = None  # "top", "bottom", "left" or "right": leave from that side's midpoint
    end_side: str | None = None


def edge_point(center: ArrayLike, half_size: ArrayLike, toward: ArrayLike) -> NDArray[np.float64]:
    """Where the ray from ``center`` toward ``toward`` leaves the axis-aligned box of ``half_size``.

    >>> edge_point([0, 0], [1, 0.5], [4, 0])  # straight to the right: the right edge
    array([1., 0.])
    >>> edge_point([0, 0], [1, 0.5], [2, 2])  # steep: the top edge
    array([0.5, 0.5])
    """
    c = np.asarray(center, dtype=np.float64)
    half = np.asarray(half_size, dtype=np.float64)
    direction = np.asarray(toward, dtype=np.float64) - c
    if not np.any(direction):
        return c
    with np.errstate(divide="ignore"):
        scales = np.where(direction != 0, half / np.abs(direction), np.inf)
    return c + direction * float(np.min(scales))


def side_point(box: Box, side: str) -> NDArray[np.float64]:
    """The midpoint of one side of ``box``.

    >>> side_point(Box("a", "A", 1.0, 2.0, width=2.0, height=1.0), "bottom")
    array([1. , 1.5])
    """
    offsets = {"top": (0.0, 0.5), "bottom": (0.0, -0.5), "left": (-0.5, 0.0), "right": (0.5, 0.0)}
    if side not in offsets:
        raise ValueError(f"unknown side {side!r}; use one of {sorted(offsets)}")
    dx, dy = offsets[side]
    return np.array([box.x + dx * box.width, box.y + dy * box.height])


def draw_diagram(ax: Axes, boxes: list[Box], arrows: list[Arrow], fontsize: float = 9.5) -> None:
    """Draw ``boxes`` and ``arrows`` on ``ax`` (whose data units are inches).

    A 7.2 in canvas shows about 690 px wide on a desktop page: 9.5 pt labels (9.2 pt on
    arrows) are then over 12 px, as the site's figures require.
    """
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    by_key = {box.key: box for box in boxes}
    for box in boxes:
        pad = 0.06
        ax.add_patch(FancyBboxPatch(
            (box.x - box.width / 2 + pad, box.y - box.height / 2 + pad), box.width - 2 * pad,
            box.height - 2 * pad, boxstyle=f"round,pad={pad}", facecolor=box.color, alpha=0.16,
            edgecolor="none"))
        ax.add_patch(FancyBboxPatch(
            (box.x - box.width / 2 + pad, box.y - box.height / 2 + pad), box.width - 2 * pad,
            box.height - 2 * pad, boxstyle=f"round,pad={pad}", facecolor="none", edgecolor=box.color,
            linewidth=1.2))
        ax.text(box.x, box.y, box.label, ha="center", va="center", fontsize=fontsize, linespacing=1.25)
    for arrow in arrows:
        a, b = by_key[arrow.start], by_key[arrow.end]
        tail = (side_point(a, arrow.start_side) if arrow.start_side
                else edge_point((a.x, a.y), (a.width / 2, a.height / 2), (b.x, b.y)))
        head = (side_point(b, arrow.end_side) if arrow.end_side
                else edge_point((b.x, b.y), (b.width / 2, b.height / 2), (a.x, a.y)))
        ax.add_patch(FancyArrowPatch(
            tuple(tail), tuple(head), arrowstyle="-|>", mutation_scale=11, linewidth=1.1,
            color="#333333", connectionstyle=f"arc3,rad={arrow.bend}",
            linestyle="--" if arrow.dashed else "-", shrinkA=2, shrinkB=2))
        if arrow.label:
            middle = (tail + head) / 2 + np.asarray(arrow.label_offset)
            ax.text(middle[0], middle[1], arrow.label, ha="center", va="bottom", fontsize=fontsize - 0.3,
                    style="italic")


def _canvas(width: float, height: float) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="none")  # the canvas fills the figure
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:diagrams.<name>).


def rag_pipeline() -> Figure:
    """Retrieval-augmented generation: index passages once, then retrieve, prompt and generate per question."""
    fig, ax = _canvas(7.2, 3.15)
    top, bottom = 2.45, 1.05
    boxes = [
        Box("docs", "Documents\n(wiki, manuals, ...)", 0.8, top, color="C2"),
        Box("embed_docs", "Split into passages,\nembed each: $e_d$", 2.75, top, width=1.5, color="C2"),
        Box("index", "Vector index\n(one $e_d$ per passage)", 4.95, top, width=1.75, color="C2"),
        Box("question", "Question $q$", 0.8, bottom, width=1.1),
        Box("embed_q", "Embed the\nquestion: $e_q$", 2.2, bottom, width=1.15),
        Box("retrieve", "Top-$k$ passages\nby $e_q^{\\top} e_d$", 3.65, bottom, width=1.3, color="C1"),
        Box("prompt", "Prompt:\npassages + question", 5.16, bottom, width=1.56),
        Box("llm", "LLM generates\nthe answer", 6.6, bottom, width=1.12, color="C3"),
    ]
    arrows = [
        Arrow("docs", "embed_docs"),
        Arrow("embed_docs", "index"),
        Arrow("question", "embed_q"),
        Arrow("embed_q", "retrieve"),
        Arrow("index", "retrieve", "search", label_offset=(0.28, -0.05)),
        Arrow("retrieve", "prompt"),
        Arrow("prompt", "llm"),
        Arrow("question", "prompt", "the question text goes into the prompt too", bend=0.18, dashed=True,
              label_offset=(0.0, -0.62), start_side="bottom", end_side="bottom"),
    ]
    draw_diagram(ax, boxes, arrows)
    ax.text(0.15, top + 0.5, "Indexing: offline, once per corpus", fontsize=9.5, weight="bold")
    ax.text(0.15, bottom + 0.45, "Answering: per question", fontsize=9.5, weight="bold")
    return fig


def rlhf_pipeline() -> Figure:
    """RLHF: sample responses, collect pairwise preferences, fit a reward model, then optimize with PPO and a KL penalty."""
    fig, ax = _canvas(7.2, 3.1)
    top, bottom = 2.3, 0.75
    boxes = [
        Box("sft", "Pretrained LM after\nsupervised fine-tuning:\n$\\pi_{\\mathrm{ref}}$", 1.05, top,
            width=1.7, height=0.8),
        Box("sample", "Sample two or more\nresponses $y$ per\nprompt $x$", 3.45, top, width=1.6, height=0.8),
        Box("compare", "Labelers compare:\n$y_w \\succ y_l$", 5.95, top, width=1.55, height=0.8, color="C1"),
        Box("reward", "Reward model $r_\\phi$,\nloss $-\\log \\sigma(r_w - r_l)$", 5.95, bottom, width=1.9,
            height=0.8, color="C1"),
        Box("ppo", "PPO on the policy $\\pi_\\theta$:\nmaximize $r_\\phi - \\beta\\,$KL$(\\pi_\\theta \\Vert \\pi_{\\mathrm{ref}})$",
            2.6, bottom, width=2.6, height=0.8, color="C3"),
    ]
    arrows = [
        Arrow("sft", "sample"),
        Arrow("sample", "compare"),
        Arrow("compare", "reward", "pairs", label_offset=(0.3, -0.05)),
        Arrow("reward", "ppo", "scores", label_offset=(0.0, 0.06)),
        Arrow("sft", "ppo", "start + KL reference", label_offset=(-0.75, -0.05)),
        Arrow("ppo", "sample", "optional: new rounds", bend=-0.25, dashed=True, label_offset=(0.75, -0.1)),
    ]
    draw_diagram(ax, boxes, arrows)
    return fig
