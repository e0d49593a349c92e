"""Dropout: zeroing random units during training, and the scaling that keeps expectations unchanged.

The "inverted" convention of modern libraries (``torch.nn.Dropout``): during
training each unit is kept with probability ``1 - p_drop`` and the kept ones
are divided by ``1 - p_drop``; at test time the layer is the identity. The
original paper's convention (unscaled training, weights multiplied by the
keep probability at test time) gives the same expected activations.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Seed = int | np.random.Generator | None


def dropout_mask(shape: int | tuple[int, ...], p_drop: float, rng: Seed = None) -> NDArray[np.float64]:
    """A mask of independent Bernoulli(``1 - p_drop``) entries: 1 keeps a unit, 0 drops it.

    >>> dropout_mask(5, 0.0, rng=0).tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    if not 0.0 <= p_drop < 1.0:
        raise ValueError(f"p_drop is a probability in [0, 1); got {p_drop} (p_drop = 1 would drop every unit)")
    return (np.random.default_rng(rng).random(shape) >= p_drop).astype(np.float64)


def dropout(x: ArrayLike, p_drop: float, rng: Seed = None, training: bool = True,
            mask: ArrayLike | None = None) -> NDArray[np.float64]:
    """Inverted dropout: ``x * r / (1 - p_drop)`` with ``r`` a Bernoulli keep mask, or ``x`` at test time.

    ``mask`` supplies ``r`` (0/1 entries, the shape of ``x``) instead of drawing it.
    Each output entry has expectation ``x`` over the mask.

    >>> dropout([1.0, 2.0, 3.0, 4.0], 0.5, mask=[1, 0, 0, 1]).tolist()
    [2.0, 0.0, 0.0, 8.0]
    >>> dropout([1.0, 2.0], 0.5, training=False).tolist()
    [1.0, 2.0]
    """
    xx = np.asarray(x, dtype=np.float64)
    if not training:
        return xx.copy()
    r = dropout_mask(xx.shape, p_drop, rng) if mask is None else np.asarray(mask, dtype=np.float64)
    return xx * r / (1.0 - p_drop)


def dropout_classic(x: ArrayLike, p_keep: float, rng: Seed = None, training: bool = True,
                    mask: ArrayLike | None = None) -> NDArray[np.float64]:
    """The original convention: training multiplies by a Bernoulli(``p_keep``) mask, unscaled;
    test time multiplies by ``p_keep`` (equivalently, scales the outgoing weights by ``p_keep``).

    ``mask`` supplies the 0/1 mask instead of drawing it.

    >>> dropout_classic([2.0, 4.0], 0.5, training=False).tolist()
    [1.0, 2.0]
    >>> dropout_classic([2.0, 4.0], 0.5, mask=[0, 1]).tolist()
    [0.0, 4.0]
    """
    xx = np.asarray(x, dtype=np.float64)
    if not training:
        return p_keep * xx
    r = dropout_mask(xx.shape, 1.0 - p_keep, rng) if mask is None else np.asarray(mask, dtype=np.float64)
    return xx * r


def test_time_weights(W: ArrayLike, p_keep: float) -> NDArray[np.float64]:
    """The original paper's test-time rule: outgoing weights of units kept with probability
    ``p_keep`` are multiplied by ``p_keep``, so each unit's expected contribution is unchanged.

    >>> test_time_weights([[1.0, -2.0]], 0.8).tolist()
    [[0.8, -1.6]]
    """
    return p_keep * np.asarray(W, dtype=np.float64)


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:dropout.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def dropout_masks_and_scaling() -> Figure:
    """Left: five training steps' dropout masks over 12 units (p_drop = 0.5), each a different
    thinned network. Right: one unit's activation x = 1.5 after inverted dropout, its running mean
    over training steps converging to 1.5, the value the unit passes on unchanged at test time."""
    from matplotlib.figure import Figure

    rng = np.random.default_rng(4)
    masks = dropout_mask((5, 12), 0.5, rng)
    fig = Figure(figsize=(6.4, 3.0))
    left, right = fig.subplots(1, 2, width_ratios=[1.1, 1.0])
    rows, cols = np.indices(masks.shape)
    kept = masks == 1.0
    left.scatter(cols[kept], rows[kept], marker="s", s=150, color="C0", label="kept")
    left.scatter(cols[~kept], rows[~kept], marker="s", s=150, facecolors="none", edgecolors="C0", lw=1.0,
                 label="dropped")
    left.set_ylim(4.6, -0.6)
    left.set_xticks(range(12), [str(j + 1) for j in range(12)], fontsize=9)
    left.set_yticks(range(5), [str(t + 1) for t in range(5)])
    left.set_xlabel("unit")
    left.set_ylabel("training step")
    left.set_title("kept (filled) and dropped units")
    left.grid(False)

    x = 1.5
    outputs = dropout(np.full(3000, x), 0.5, rng=rng)
    steps = np.arange(1, outputs.size + 1)
    shown = np.unique(np.geomspace(1, outputs.size, 150).astype(int)) - 1  # log-spaced: a light SVG
    right.plot(steps[:200], outputs[:200], ".", color="C1", ms=3, alpha=0.6, label="training output (0 or 3)")
    right.plot(steps[shown], (np.cumsum(outputs) / steps)[shown], color="C0", lw=2.0, label="running mean")
    right.axhline(x, color="black", lw=1.0, ls="--", label="test-time output $x = 1.5$")
    right.set_xscale("log")
    right.set_ylim(-0.3, 4.9)
    right.set_xlabel("training step")
    right.set_title("$p_{\\mathrm{drop}} = 0.5$: outputs $2x$ or $0$")
    right.legend(loc="upper right", fontsize=8.5)
    return fig
