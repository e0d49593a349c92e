"""Kernels: similarity functions that are inner products in some feature space.

The RBF (squared-exponential) kernel with a length-scale, the degree-2
polynomial kernel ``(x . x')^2`` and its explicit feature map
``(x1^2, sqrt(2) x1 x2, x2^2)``, which shows the kernel trick in three
coordinates. Inputs are ``(n, d)`` arrays of points, one point a row; a 1-D
array is read as ``n`` points on a line (``d = 1``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def as_points(X: ArrayLike) -> NDArray[np.float64]:
    """Points as an ``(n, d)`` float array; a 1-D array is ``n`` points in one dimension.

    >>> as_points([1.0, 2.0]).shape
    (2, 1)
    """
    XX = np.asarray(X, dtype=np.float64)
    if XX.ndim == 0:
        return XX.reshape(1, 1)
    return XX.reshape(-1, 1) if XX.ndim == 1 else XX


def squared_distances(X: ArrayLike, Y: ArrayLike) -> NDArray[np.float64]:
    """Matrix of squared Euclidean distances ``||x_i - y_j||^2``, clipped at 0.

    The expansion ``||x||^2 + ||y||^2 - 2 x . y`` can round to a tiny negative
    number for equal points; clipping keeps ``exp(-d/2l^2) <= 1``.

    >>> squared_distances([[0.0, 0.0], [3.0, 4.0]], [[0.0, 0.0]]).tolist()
    [[0.0], [25.0]]
    """
    A, B = as_points(X), as_points(Y)
    d2 = np.sum(A**2, axis=1)[:, None] + np.sum(B**2, axis=1)[None, :] - 2.0 * A @ B.T
    return np.maximum(d2, 0.0)


def rbf_kernel(X: ArrayLike, Y: ArrayLike | None = None, length_scale: float = 1.0) -> NDArray[np.float64]:
    """RBF kernel matrix ``exp(-||x_i - y_j||^2 / (2 l^2))`` between the rows of ``X`` and ``Y``.

    Same as ``sklearn.metrics.pairwise.rbf_kernel(X, Y, gamma=1 / (2 l^2))``
    and as scikit-learn's ``gaussian_process.kernels.RBF(l)``.

    >>> rbf_kernel([0.0, 1.0], length_scale=1.0).round(4).tolist()
    [[1.0, 0.6065], [0.6065, 1.0]]
    """
    if length_scale <= 0:
        raise ValueError(f"length_scale must be positive, not {length_scale}")
    return np.exp(-squared_distances(X, X if Y is None else Y) / (2.0 * length_scale**2))


def quadratic_kernel(X: ArrayLike, Y: ArrayLike | None = None) -> NDArray[np.float64]:
    """Homogeneous polynomial kernel of degree 2, ``(x_i . y_j)^2``, as a matrix.

    >>> quadratic_kernel([[1.0, 2.0]], [[3.0, -1.0]]).tolist()
    [[1.0]]
    """
    A = as_points(X)
    B = A if Y is None else as_points(Y)
    return (A @ B.T) ** 2


def quadratic_features(X: ArrayLike) -> NDArray[np.float64]:
    """The feature map of the degree-2 kernel in two dimensions: ``(x1^2, sqrt(2) x1 x2, x2^2)``.

    ``quadratic_features(X) @ quadratic_features(Y).T == quadratic_kernel(X, Y)``.

    >>> quadratic_features([[1.0, 2.0]]).round(4).tolist()
    [[1.0, 2.8284, 4.0]]
    """
    A = as_points(X)
    if A.shape[1] != 2:
        raise ValueError(f"quadratic_features maps points in 2 dimensions; these have {A.shape[1]}")
    x1, x2 = A[:, 0], A[:, 1]
    return np.stack([x1**2, np.sqrt(2.0) * x1 * x2, x2**2], axis=1)


def two_rings(n: int = 120, seed: int = 0) -> tuple[NDArray[np.float64], NDArray[np.int_]]:
    """Two noisy concentric rings in the plane (radii 1 and 2.2), labels 0 (inner) and 1 (outer):
    no straight line separates them.

    >>> X, labels = two_rings(10)
    >>> X.shape, sorted(set(labels.tolist()))
    ((20, 2), [0, 1])
    """
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0.0, 2.0 * np.pi, 2 * n)
    radius = np.concatenate([np.full(n, 1.0), np.full(n, 2.2)]) + rng.normal(0.0, 0.15, 2 * n)
    X = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return X, np.repeat([0, 1], n)


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:kernels.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def rbf_length_scales() -> Figure:
    """RBF kernel matrices of 30 points on [0, 5] for three length-scales: a short
    length-scale makes only near neighbours similar, a long one makes all of them."""
    from matplotlib.figure import Figure

    x = np.linspace(0.0, 5.0, 30)
    fig = Figure(figsize=(6.4, 2.6))
    axes = fig.subplots(1, 3)
    for ax, ell in zip(axes, (0.2, 0.7, 2.5)):
        image = ax.imshow(rbf_kernel(x, length_scale=ell), vmin=0.0, vmax=1.0, cmap="viridis",
                          extent=(0, 5, 5, 0))
        ax.set_title(f"$\\ell = {ell}$")
        ax.set_xlabel("$x'$")
        ax.grid(False)
    axes[0].set_ylabel("$x$")
    fig.colorbar(image, ax=axes, shrink=0.85, label="$k(x, x')$")
    return fig


def kernel_trick_lift() -> Figure:
    """Two rings in the plane, not linearly separable, and the same points after the
    degree-2 feature map: in the coordinates (x1^2, x2^2) a straight line separates them."""
    from matplotlib.figure import Figure

    X, labels = two_rings()
    Z = quadratic_features(X)
    fig = Figure(figsize=(6.4, 3.2))
    left, right = fig.subplots(1, 2)
    for label, marker, name in ((0, "o", "inner ring"), (1, "^", "outer ring")):
        mine = labels == label
        left.scatter(X[mine, 0], X[mine, 1], s=12, marker=marker, color=f"C{label}", label=name)
        right.scatter(Z[mine, 0], Z[mine, 2], s=12, marker=marker, color=f"C{label}")
    t = np.linspace(0.0, 2.6, 2)
    right.plot(t, 2.6 - t, color="C2", lw=1.5, label="$x_1^2 + x_2^2 = 2.6$")
    left.set_title("input space")
    left.set_xlabel("$x_1$")
    left.set_ylabel("$x_2$")
    left.set_aspect("equal")
    left.set_ylim(-2.7, 3.6)
    left.legend(loc="upper center", ncols=2, fontsize=9, handletextpad=0.2, columnspacing=0.8)
    right.set_title("feature space (2 of 3 coordinates)")
    right.set_xlabel("$x_1^2$")
    right.set_ylabel("$x_2^2$")
    right.legend(loc="upper right", fontsize=9)
    return fig
