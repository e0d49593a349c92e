"""The singular value decomposition: the factors, low-rank approximation, and a picture of what it does.

``A = U diag(s) V^T`` with orthonormal columns in ``U`` and ``V`` and
non-negative singular values ``s`` in decreasing order. The factors come from
``numpy.linalg.svd`` (LAPACK); this module fixes the conventions used on the
site (thin factors, ``V`` rather than ``V^T``, deterministic signs) and builds
the truncated SVD, the best approximation of lower rank (Eckart-Young).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def svd(A: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Thin SVD ``(U, Sigma, V)`` of an m x n matrix, ``r = min(m, n)``: ``U`` m x r, ``Sigma`` r x r
    diagonal, ``V`` n x r, with ``A = U Sigma V^T``.

    Signs are fixed so that the largest-magnitude entry of each column of
    ``U`` is positive (the SVD is unique only up to such sign flips).

    >>> U, S, V = svd([[3.0, 0.0], [4.0, 5.0]])
    >>> np.round(np.diag(S) ** 2, 6).tolist()
    [45.0, 5.0]
    """
    AA = np.asarray(A, dtype=np.float64)
    U, s, Vt = np.linalg.svd(AA, full_matrices=False)
    signs = np.sign(U[np.argmax(np.abs(U), axis=0), np.arange(U.shape[1])])
    signs[signs == 0] = 1.0
    return U * signs, np.diag(s), Vt.T * signs


def singular_values(A: ArrayLike) -> NDArray[np.float64]:
    """The singular values of ``A`` in decreasing order.

    >>> singular_values([[0.0, 2.0], [1.0, 0.0]]).tolist()
    [2.0, 1.0]
    """
    return np.linalg.svd(np.asarray(A, dtype=np.float64), compute_uv=False)


def truncated_svd(A: ArrayLike, k: int) -> NDArray[np.float64]:
    """The rank-``k`` truncation ``sum_{i <= k} s_i u_i v_i^T``: the closest matrix of rank at most ``k``
    to ``A`` in the spectral and Frobenius norms (Eckart-Young).

    >>> truncated_svd(np.diag([3.0, 1.0]), 1).tolist()
    [[3.0, 0.0], [0.0, 0.0]]
    """
    U, S, V = svd(A)
    k = max(0, min(int(k), S.shape[0]))
    return (U[:, :k] * np.diag(S)[:k]) @ V[:, :k].T


def unit_circle_image():
    """The unit circle and its image under a 2 x 2 matrix: the right singular vectors v_i are sent
    to sigma_i u_i, the semi-axes of the ellipse."""
    from matplotlib.figure import Figure

    A = np.array([[3.0, 0.0], [4.0, 5.0]])
    U, S, V = svd(A)
    s = np.diag(S)
    t = np.linspace(0, 2 * np.pi, 400)
    circle = np.stack([np.cos(t), np.sin(t)])
    ellipse = A @ circle
    fig = Figure(figsize=(6.4, 3.4))
    left, right = fig.subplots(1, 2)
    left.plot(*circle, color="C0")
    right.plot(*ellipse, color="C0")
    for i in range(2):
        left.annotate("", xy=V[:, i], xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": f"C{i + 1}", "lw": 2})
        left.text(*(V[:, i] * 1.25), f"$v_{i + 1}$", color=f"C{i + 1}", fontsize=12, ha="center", va="center")
        tip = s[i] * U[:, i]
        right.annotate("", xy=tip, xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": f"C{i + 1}", "lw": 2})
        right.text(*(tip * 1.12 + np.array([0.6, 0.0])), f"$\\sigma_{i + 1} u_{i + 1}$", color=f"C{i + 1}",
                   fontsize=12, ha="left", va="center")
    left.set_title("unit circle, $\\|x\\| = 1$")
    right.set_title("its image $Ax$")
    for ax, lim in ((left, 1.6), (right, 7.5)):
        ax.set_aspect("equal")
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
    return fig
