"""Rotary positional embedding (RoPE): rotate each 2-D pair of a query or key by an angle proportional to its position.

A vector ``x`` of even length ``d`` is read as ``d / 2`` pairs
``(x_1, x_2), (x_3, x_4), ...`` (adjacent features, as in the RoFormer
paper). Pair ``k = 1 .. d/2`` at position ``m`` is turned by the angle
``m theta_k`` with ``theta_k = base^(-2 (k - 1) / d)``; ``base`` is 10000 in
the paper. Positions may be any real numbers; arrays broadcast, with the
features on the last axis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def rope_frequencies(d: int, base: float = 10000.0) -> NDArray[np.float64]:
    """``theta_k = base^(-2 (k - 1) / d)`` for ``k = 1 .. d/2``: from 1 down to nearly ``1 / base``.

    >>> rope_frequencies(4)
    array([1.  , 0.01])
    """
    if d % 2 or d < 2:
        raise ValueError(f"RoPE rotates pairs of features, so d must be even and positive, got {d}")
    return base ** (-2.0 * np.arange(d // 2) / d)


def rotation(angle: ArrayLike) -> NDArray[np.float64]:
    """The 2-D rotation matrix ``[[cos a, -sin a], [sin a, cos a]]`` (shape ``(..., 2, 2)``).

    >>> rotation(np.pi / 2).round(12)
    array([[ 0., -1.],
           [ 1.,  0.]])
    """
    a = np.asarray(angle, dtype=np.float64)
    c, s = np.cos(a), np.sin(a)
    return np.stack([np.stack([c, -s], axis=-1), np.stack([s, c], axis=-1)], axis=-2)


def rope(x: ArrayLike, position: ArrayLike, base: float = 10000.0,
         theta: ArrayLike | None = None, axis: int = -1) -> NDArray[np.float64]:
    """Rotate every pair ``(x_{2k-1}, x_{2k})`` of ``x`` by ``position * theta_k``.

    ``theta`` overrides the frequencies (any values work for the relative
    property; ``rope_frequencies(d, base)`` by default). ``position`` is a
    number or an array that broadcasts against ``x[..., 0]``. The features
    lie along ``axis`` (``axis=0`` for a column vector).

    >>> rope([1.0, 0.0, 1.0, 0.0], 1, theta=[np.pi / 2, np.pi]).round(12)
    array([ 0.,  1., -1.,  0.])
    >>> rope([[1.0], [0.0]], 1, theta=[np.pi / 2], axis=0).round(12)
    array([[0.],
           [1.]])
    """
    if axis not in (-1, np.ndim(x) - 1):
        return np.moveaxis(rope(np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1), position, base, theta),
                           -1, axis)
    v = np.asarray(x, dtype=np.float64)
    d = v.shape[-1]
    freqs = rope_frequencies(d, base) if theta is None else np.asarray(theta, dtype=np.float64)
    angles = np.asarray(position, dtype=np.float64)[..., None] * freqs
    even, odd = v[..., 0::2], v[..., 1::2]
    cos, sin = np.cos(angles), np.sin(angles)
    out = np.empty(np.broadcast_shapes(v.shape, angles.shape[:-1] + (d,)))
    out[..., 0::2] = even * cos - odd * sin
    out[..., 1::2] = even * sin + odd * cos
    return out


def rope_matrix(d: int, position: float, base: float = 10000.0) -> NDArray[np.float64]:
    """The ``(d, d)`` block-diagonal matrix ``R_m`` with ``rope(x, m) = R_m x``: one 2-D rotation per pair.

    >>> rope_matrix(2, np.pi / 2).round(12)
    array([[ 0., -1.],
           [ 1.,  0.]])
    """
    R = np.zeros((d, d))
    for k, theta in enumerate(rope_frequencies(d, base)):
        R[2 * k : 2 * k + 2, 2 * k : 2 * k + 2] = rotation(position * theta)
    return R


def rope_score(q: ArrayLike, k: ArrayLike, m: ArrayLike, n: ArrayLike, base: float = 10000.0) -> NDArray[np.float64]:
    """The attention score ``rope(q, m) . rope(k, n)`` of a query at position ``m`` and a key at ``n``.

    >>> q = k = np.ones(8)
    >>> bool(np.isclose(rope_score(q, k, 3, 1), rope_score(q, k, 12, 10)))
    True
    """
    return np.sum(rope(q, m, base) * rope(k, n, base), axis=-1)


def as_complex(x: ArrayLike) -> NDArray[np.complex128]:
    """The pairs of ``x`` as complex numbers ``x_{2k-1} + i x_{2k}``: length ``d / 2``.

    >>> as_complex([1.0, 2.0, 3.0, 4.0])
    array([1.+2.j, 3.+4.j])
    """
    v = np.asarray(x, dtype=np.float64)
    return v[..., 0::2] + 1j * v[..., 1::2]


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:rope.<name>).


def pair_rotation() -> Figure:
    """One 2-D pair of a query rotated to positions 0..5 with theta = 0.5: the length never changes."""
    from matplotlib.figure import Figure

    theta = 0.5
    pair = np.array([1.0, 0.35])
    fig = Figure(figsize=(5.6, 3.4))
    ax = fig.subplots()
    circle = np.linspace(0, 2 * np.pi, 200)
    radius = np.hypot(*pair)
    ax.plot(radius * np.cos(circle), radius * np.sin(circle), color="#999999", linewidth=0.8)
    for m in range(6):
        x, y = rope(pair, m, theta=[theta])
        ax.annotate("", (x, y), (0, 0), arrowprops={"arrowstyle": "-|>", "color": f"C{m % 6}", "lw": 1.6})
        ax.text(1.13 * x, 1.13 * y, f"$m = {m}$", ha="center", va="center", fontsize=10, color=f"C{m % 6}")
    x1, y1 = rope(pair, 1, theta=[theta])
    arc = np.linspace(np.arctan2(pair[1], pair[0]), np.arctan2(y1, x1), 30)
    ax.plot(0.45 * np.cos(arc), 0.45 * np.sin(arc), color="#555555", linewidth=1)
    ax.text(0.55 * np.cos(arc[15]), 0.55 * np.sin(arc[15]), r"$\theta$", fontsize=11)
    ax.set_aspect("equal")
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-0.45, 1.3)
    ax.set_xlabel("first feature of the pair")
    ax.set_ylabel("second feature")
    return fig


def score_vs_offset() -> Figure:
    """The score of RoPE-rotated q and k against the offset m - n, for several absolute positions of the key."""
    from matplotlib.figure import Figure

    d = 64
    q = np.ones(d)  # equal entries: the score then measures how far the pairs' rotations disagree
    k = np.ones(d)
    offsets = np.arange(0, 257)
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.subplots()
    for i, n in enumerate((0, 100, 1000)):
        ax.plot(offsets, rope_score(q, k, n + offsets, n) / d, color=f"C{i}", linewidth=2.6 - 0.8 * i,
                linestyle=("-", "--", ":")[i], label=f"key at position $n$ = {n}")
    ax.set_xlabel("relative offset $m - n$ (query position minus key position)")
    ax.set_ylabel(r"score $\tilde q_m \cdot \tilde k_n \,/\, d$")
    ax.set_title(r"$q = k = (1, \ldots, 1)$, $d$ = 64, base 10000", fontweight="normal")
    ax.legend(loc="upper right")
    return fig


# --- The relative-position derivation (derivations/rope-relative-position.md) -------------------------------


def rope_complex(x: ArrayLike, position: ArrayLike, base: float = 10000.0) -> NDArray[np.float64]:
    """RoPE computed the paper's other way: each pair as a complex number times ``exp(i m theta_k)``.

    Returns the real layout of :func:`rope` (pairs interleaved), so the two
    can be compared entry by entry.

    >>> bool(np.allclose(rope_complex([1.0, 2.0, 3.0, 4.0], 5), rope([1.0, 2.0, 3.0, 4.0], 5)))
    True
    """
    v = np.asarray(x, dtype=np.float64)
    if v.shape[-1] % 2:
        raise ValueError(f"RoPE rotates pairs of features, so d must be even, got {v.shape[-1]}")
    z = as_complex(v)
    turned = z * np.exp(1j * np.asarray(position, dtype=np.float64)[..., None] * rope_frequencies(2 * z.shape[-1], base))
    out = np.empty(turned.shape[:-1] + (2 * turned.shape[-1],))
    out[..., 0::2], out[..., 1::2] = turned.real, turned.imag
    return out


def relative_angle() -> Figure:
    """One 2-D pair of a query and of a key at positions (m, n) = (1, 3) and (6, 8): the angle between them is the same."""
    from matplotlib.figure import Figure

    theta = 0.4
    q, k = np.array([1.0, 0.2]), np.array([0.8, -0.3])
    fig = Figure(figsize=(7.2, 4.0))
    axes = fig.subplots(1, 2)
    circle = np.linspace(0, 2 * np.pi, 200)
    for ax, (m, n) in zip(axes, ((1, 3), (6, 8))):
        qm, kn = rope(q, m, theta=[theta]), rope(k, n, theta=[theta])
        for radius in (np.hypot(*q), np.hypot(*k)):
            ax.plot(radius * np.cos(circle), radius * np.sin(circle), color="#bbbbbb", linewidth=0.8)
        for vec, colour, label in ((qm, "C0", f"query at $m$ = {m}"), (kn, "C1", f"key at $n$ = {n}")):
            ax.annotate("", vec, (0, 0), arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2})
            ax.plot([], [], color=colour, lw=2, label=label)
        a, b = np.arctan2(qm[1], qm[0]), np.arctan2(kn[1], kn[0])
        arc = np.linspace(a, b, 40)
        ax.plot(0.35 * np.cos(arc), 0.35 * np.sin(arc), color="#555555", linewidth=1.2)
        ax.set_title(f"score {qm @ kn:.3f}, angle {np.degrees(b - a):.1f}\u00b0", fontsize=11)
        ax.set_aspect("equal")
        ax.set_xlim(-1.2, 1.2)
        ax.set_ylim(-1.2, 1.2)
        ax.set_xticks([-1, 0, 1])
        ax.set_yticks([-1, 0, 1])
        ax.legend(loc="lower left", fontsize=9.5)
    return fig
