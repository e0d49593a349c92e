"""Vector norms: the Euclidean (L2) norm and the other p-norms it belongs to.

``l2_norm`` is ``numpy.linalg.norm`` with its default ``ord``; it is computed
with ``numpy.hypot``-style rescaling by the largest entry, so that vectors
whose squared entries would overflow or underflow still get a finite,
accurate length.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def l2_norm(x: ArrayLike, axis: int | None = None) -> NDArray[np.float64] | float:
    """Euclidean length ``sqrt(sum_i x_i^2)`` of a vector (of every slice along ``axis``).

    Scaled by the largest ``|x_i|`` first, so ``[1e200, 1e200]`` gives
    ``1.414e200`` instead of overflowing to ``inf``.

    >>> l2_norm([3.0, 4.0])
    5.0
    >>> l2_norm([1e200, 1e200])
    1.414213562373095e+200
    >>> l2_norm([[3.0, 4.0], [0.0, 0.0]], axis=1).tolist()
    [5.0, 0.0]
    """
    xx = np.abs(np.asarray(x, dtype=np.float64))
    scale = np.max(xx, axis=axis, keepdims=True, initial=0.0)
    safe = np.where(scale > 0.0, scale, 1.0)
    result = np.squeeze(safe, axis=axis) * np.sqrt(np.sum((xx / safe) ** 2, axis=axis))
    return float(result) if np.ndim(result) == 0 else result


def p_norm(x: ArrayLike, p: float) -> float:
    """``(sum_i |x_i|^p)^(1/p)`` for ``p >= 1``, and ``max_i |x_i|`` for ``p = inf``.

    >>> p_norm([3.0, -4.0], 1), p_norm([3.0, -4.0], 2), p_norm([3.0, -4.0], np.inf)
    (7.0, 5.0, 4.0)
    """
    if p < 1:
        raise ValueError(f"p-norms need p >= 1 (for p < 1 the triangle inequality fails); got p = {p}")
    xx = np.abs(np.asarray(x, dtype=np.float64))
    if np.isinf(p):
        return float(np.max(xx, initial=0.0))
    if p == 2:
        return float(l2_norm(xx))
    return float(np.sum(xx**p) ** (1.0 / p))


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:norms.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def unit_balls() -> Figure:
    """The unit circles ||x||_p = 1 in the plane for p = 1 (a diamond), 2 (the round circle)
    and infinity (a square): the same point is 'length 1' in different senses."""
    from matplotlib.figure import Figure

    angle = np.linspace(0.0, 2.0 * np.pi, 721)
    directions = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    fig = Figure(figsize=(4.2, 3.8))
    ax = fig.subplots()
    for i, (p, label) in enumerate(((1, "$p = 1$"), (2, "$p = 2$ (Euclidean)"), (np.inf, "$p = \\infty$"))):
        lengths = np.array([p_norm(d, p) for d in directions])
        boundary = directions / lengths[:, None]  # scale each direction to norm 1
        ax.plot(boundary[:, 0], boundary[:, 1], color=f"C{i}", lw=2.0, label=label)
    ax.plot([0, 0.6], [0, 0.8], color="black", lw=1.2)
    ax.plot(0.6, 0.8, "o", color="black", ms=4)
    ax.annotate("$(0.6, 0.8)$: $\\|\\cdot\\|_2 = 1$", (0.6, 0.8), xytext=(-1.25, 1.1), fontsize=9)
    ax.axhline(0, color="black", lw=0.6, alpha=0.5)
    ax.axvline(0, color="black", lw=0.6, alpha=0.5)
    ax.set_aspect("equal")
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title("unit circles $\\|x\\|_p = 1$")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3, fontsize=9)
    return fig
