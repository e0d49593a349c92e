"""Steepest descent under a norm: the unit step that most decreases a linearised loss.

For a gradient ``g`` the step ``argmin_{||d|| <= 1} <g, d>`` depends on the
norm: ``-g / ||g||_2`` under the Euclidean norm (gradient descent),
``-sign(g)`` under the max-norm (sign descent), and ``-U V^T`` under the
spectral norm of a matrix gradient ``G = U S V^T`` (Muon's orthogonalised
update). The minimum value is minus the dual norm of ``g``: ``||g||_2``,
``||g||_1`` and the nuclear norm (sum of singular values) respectively.

Also here: finite stand-ins for the unit balls (dense points of a circle,
the vertices of a cube) so that an argmin over the ball can be evaluated by
brute force, and the 2-D figure of both balls.
"""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

NORMS = ("l2", "linf", "spectral")


def steepest_direction(g: ArrayLike, norm: str = "l2") -> NDArray[np.float64]:
    """The minimiser of ``<g, d>`` over the unit ball of ``norm``.

    ``"l2"``: ``-g / ||g||_2``. ``"linf"``: ``-sign(g)``; where ``g_i = 0`` any
    ``d_i`` in ``[-1, 1]`` is optimal and 0 is returned (the choice of
    ``np.sign``). ``"spectral"`` (``g`` a matrix): ``-U V^T`` from the thin SVD,
    restricted to non-zero singular values (the other directions do not change
    the objective). A zero gradient gives the zero step: every feasible step is optimal.

    >>> steepest_direction([3.0, -4.0])
    array([-0.6,  0.8])
    >>> steepest_direction([3.0, 0.0, -1e-9], "linf")
    array([-1., -0.,  1.])
    """
    g = np.asarray(g, dtype=np.float64)
    if norm == "l2":
        size = np.linalg.norm(g)
        return -g / size if size > 0 else np.zeros_like(g)
    if norm == "linf":
        return -np.sign(g)
    if norm == "spectral":
        U, s, Vt = np.linalg.svd(g, full_matrices=False)
        keep = s > 1e-12 * (s[0] if s.size else 0.0)
        return -(U[:, keep] @ Vt[keep])
    raise ValueError(f"norm must be one of {NORMS}, not {norm!r}")


def dual_norm(g: ArrayLike, norm: str = "l2") -> float:
    """The dual norm ``max_{||d|| <= 1} <g, d>``: ``||g||_2``, ``||g||_1``, or the nuclear norm for ``"spectral"``."""
    g = np.asarray(g, dtype=np.float64)
    if norm == "l2":
        return float(np.linalg.norm(g))
    if norm == "linf":
        return float(np.abs(g).sum())
    if norm == "spectral":
        return float(np.linalg.svd(g, compute_uv=False).sum())
    raise ValueError(f"norm must be one of {NORMS}, not {norm!r}")


def penalised_step(g: ArrayLike, lr: float, norm: str = "l2") -> NDArray[np.float64]:
    """The minimiser of ``<g, d> + ||d||^2 / (2 lr)``: ``-lr * ||g||_dual * steepest_direction(g)``.

    For ``"l2"`` this is plain gradient descent ``-lr g``; for ``"linf"`` it is
    ``-lr ||g||_1 sign(g)``; for ``"spectral"`` ``-lr ||G||_nuclear U V^T``.
    """
    return lr * dual_norm(g, norm) * steepest_direction(g, norm)


def circle_points(count: int = 100_000) -> NDArray[np.float64]:
    """``count`` evenly spaced points of the unit circle, one per row: the boundary of the 2-D l2 ball."""
    angles = np.linspace(0.0, 2.0 * np.pi, count, endpoint=False)
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def cube_vertices(n: int, seed: int | None = 0) -> NDArray[np.float64]:
    """The ``2^n`` vertices of ``[-1, 1]^n``, one per row: a linear function's minimum over the cube is at one of them.

    The rows are in a seeded random order (``seed=None``: lexicographic), so
    that a search that breaks ties by taking the first row is not biased towards ``-1``.
    """
    corners = np.array(list(itertools.product((-1.0, 1.0), repeat=int(n))))
    return corners if seed is None else corners[np.random.default_rng(seed).permutation(len(corners))]


def linear_on_ball(g: ArrayLike, d: ArrayLike) -> float:
    """``<g, d>`` for vectors or matrices (the trace inner product ``tr(g^T d)`` for matrices)."""
    return float(np.sum(np.asarray(g, dtype=np.float64) * np.asarray(d, dtype=np.float64)))


def unit_balls_figure() -> Figure:
    """The l2 and l-infinity unit balls in 2-D, a gradient, and the steepest-descent step of each."""
    g = np.array([1.0, 0.45])
    fig = Figure(figsize=(6.4, 3.3))
    axes = fig.subplots(1, 2)
    circle = circle_points(400)
    square = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1], [1, 1]], dtype=float)
    for ax, (outline, norm, title) in zip(axes, ((circle, "l2", "$\\ell_2$ ball: $-g/\\|g\\|_2$"),
                                                 (square, "linf", "$\\ell_\\infty$ ball: $-\\mathrm{sign}(g)$"))):
        closed = np.vstack([outline, outline[:1]])
        ax.fill(closed[:, 0], closed[:, 1], color="C0", alpha=0.12, lw=0)
        ax.plot(closed[:, 0], closed[:, 1], color="C0", lw=1.2)
        d = steepest_direction(g, norm)
        # level lines of <g, d>: the optimum is where the lowest one touches the ball
        t = np.linspace(-1.8, 1.8, 2)
        normal = np.array([-g[1], g[0]]) / np.linalg.norm(g)
        for level in (linear_on_ball(g, d), 0.0):
            base = g * level / (g @ g)
            line = base[None, :] + t[:, None] * normal[None, :]
            ax.plot(line[:, 0], line[:, 1], color="C3", lw=1, ls="--")
        ax.annotate("", xy=g, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color="C1", lw=1.8))
        ax.text(g[0] + 0.05, g[1] + 0.08, "$g$", color="C1", fontsize=12)
        ax.annotate("", xy=d, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color="C2", lw=1.8))
        ax.plot(*d, "o", color="C2")
        ax.text(d[0] - 0.15, d[1] - 0.3, "$d^*$", color="C2", fontsize=12)
        ax.set_title(title)
        ax.set_xlim(-1.7, 1.7)
        ax.set_ylim(-1.5, 1.5)
        ax.set_aspect("equal")
    return fig
