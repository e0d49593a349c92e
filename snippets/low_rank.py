"""Low-rank approximation by truncated SVD (Eckart-Young), as used by LASER to prune weight matrices.

``W = U diag(s) V^T`` with singular values ``s`` in decreasing order; the
rank-``r`` truncation keeps the first ``r`` terms ``s_i u_i v_i^T`` and
drops the components with the smallest singular values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def low_rank_approx(W: ArrayLike, r: int) -> NDArray[np.float64]:
    """The best rank-``r`` approximation of ``W`` in the Frobenius (and spectral) norm: its top ``r`` SVD terms.

    ``r = 0`` gives the zero matrix; ``r >= min(W.shape)`` gives ``W`` back.

    >>> low_rank_approx(np.diag([3.0, 1.0]), 1)
    array([[3., 0.],
           [0., 0.]])
    """
    w = np.asarray(W, dtype=np.float64)
    if r < 0:
        raise ValueError(f"the rank must be non-negative, got {r}")
    U, s, Vt = np.linalg.svd(w, full_matrices=False)
    r = min(r, len(s))
    return (U[:, :r] * s[:r]) @ Vt[:r]


def truncation_error(W: ArrayLike, r: int) -> float:
    """Squared Frobenius error of the rank-``r`` truncation from the singular values alone: ``sum_{i > r} s_i^2``.

    >>> truncation_error(np.diag([3.0, 2.0, 1.0]), 1)
    5.0
    """
    s = np.linalg.svd(np.asarray(W, dtype=np.float64), compute_uv=False)
    return float(np.sum(s[r:] ** 2))


def laser_rank(shape: tuple[int, int], rho: float) -> int:
    """The rank LASER keeps when it preserves a fraction ``rho`` of a matrix's maximum rank: ``floor(rho * min(m, n))``.

    >>> laser_rank((4096, 16384), 0.01)
    40
    """
    return int(np.floor(rho * min(shape)))


def toy_weight(m: int = 120, n: int = 80, rank: int = 6, noise: float = 0.15,
               rng: int | np.random.Generator | None = 0) -> NDArray[np.float64]:
    """A matrix with a few strong directions plus dense noise, the shape of spectrum LASER exploits.

    >>> toy_weight().shape
    (120, 80)
    """
    gen = np.random.default_rng(rng)
    signal = gen.normal(size=(m, rank)) @ np.diag(np.linspace(3.0, 1.5, rank)) @ gen.normal(size=(rank, n)) / np.sqrt(n)
    return signal + noise * gen.normal(size=(m, n))


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:low_rank.<name>).


def spectrum_and_error() -> Figure:
    """Left: the singular values of a toy weight matrix, with the rank-6 cut-off. Right: the relative
    Frobenius error of the rank-r truncation against r, computed from the matrix and from the singular values."""
    from matplotlib.figure import Figure

    W = toy_weight()
    s = np.linalg.svd(W, compute_uv=False)
    keep = 6
    fig = Figure(figsize=(6.8, 3.2))
    left, right = fig.subplots(1, 2)
    idx = np.arange(1, len(s) + 1)
    left.bar(idx[:keep], s[:keep], color="C0", width=0.9, label="kept")
    left.bar(idx[keep:], s[keep:], color="C1", width=0.9, label="removed")
    left.axvline(keep + 0.5, color="black", lw=0.8, ls="--")
    left.set_xlabel("index $i$")
    left.set_ylabel("singular value $\\sigma_i$")
    left.set_title(f"spectrum, cut at $r = {keep}$")
    left.legend()
    ranks = np.arange(0, len(s) + 1)
    norm2 = np.sum(W**2)
    direct = [np.sum((W - low_rank_approx(W, r)) ** 2) / norm2 for r in ranks]
    tail = [truncation_error(W, r) / norm2 for r in ranks]
    right.plot(ranks, direct, color="C0", lw=2.4, label="$\\|W - W_r\\|_F^2$")
    right.plot(ranks, tail, color="C2", ls="--", label="tail sum of $\\sigma_i^2$, $i > r$")
    right.axvline(keep, color="black", lw=0.8, ls="--")
    right.set_xlabel("rank $r$ kept")
    right.set_ylabel("relative squared error")
    right.set_title("error of the truncation")
    right.legend()
    return fig
