"""Vector quantization: replace each vector by the nearest entry (codeword) of a finite codebook.

Vectors are rows: ``X`` is ``(N, d)``, the codebook ``C`` is ``(K, d)``.
Distances are Euclidean; a vector exactly halfway between codewords goes to
the one with the lowest index (as ``numpy.argmin`` and
``scipy.cluster.vq.vq`` do), so the assignment is a function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def squared_distances(X: ArrayLike, C: ArrayLike) -> NDArray[np.float64]:
    """``||x_n - c_k||^2`` for every vector and codeword: shape ``(N, K)``.

    Computed from the differences (not ``|x|^2 - 2 x.c + |c|^2``), so equal
    distances stay exactly equal and ties are resolved consistently.

    >>> squared_distances([[0.0, 0.0]], [[3.0, 4.0], [1.0, 0.0]])
    array([[25.,  1.]])
    """
    x = np.atleast_2d(np.asarray(X, dtype=np.float64))
    c = np.atleast_2d(np.asarray(C, dtype=np.float64))
    return np.sum((x[:, None, :] - c[None, :, :]) ** 2, axis=-1)


def assign(X: ArrayLike, C: ArrayLike) -> NDArray[np.int64]:
    """The index ``k*`` of the nearest codeword of each vector (0-based; ties to the lowest index).

    >>> assign([[0.1, 0.0], [0.9, 1.0], [0.5, 0.5]], [[0.0, 0.0], [1.0, 1.0]])
    array([0, 1, 0])
    """
    return np.argmin(squared_distances(X, C), axis=1)


def quantize(X: ArrayLike, C: ArrayLike) -> NDArray[np.float64]:
    """Each vector replaced by its nearest codeword: ``q(x) = c_{k*(x)}``, shape ``(N, d)``.

    >>> quantize([[0.2, -0.1], [2.0, 2.0]], [[0.0, 0.0], [1.0, 1.0]])
    array([[0., 0.],
           [1., 1.]])
    """
    return np.atleast_2d(np.asarray(C, dtype=np.float64))[assign(X, C)]


def distortion(X: ArrayLike, C: ArrayLike) -> float:
    """The quantization error: the mean squared distance ``(1/N) sum_n ||x_n - q(x_n)||^2``.

    >>> distortion([[0.0, 1.0], [3.0, 0.0]], [[0.0, 0.0]])
    5.0
    """
    return float(np.mean(np.min(squared_distances(X, C), axis=1)))


def lloyd_step(X: ArrayLike, C: ArrayLike) -> NDArray[np.float64]:
    """One Lloyd (k-means) iteration: assign, then move each codeword to the mean of its cell.

    A codeword whose cell is empty stays where it is.

    >>> lloyd_step([[0.0], [1.0], [10.0], [12.0]], [[0.0], [5.0]])
    array([[ 0.5],
           [11. ]])
    """
    x = np.atleast_2d(np.asarray(X, dtype=np.float64))
    c = np.atleast_2d(np.asarray(C, dtype=np.float64)).copy()
    labels = assign(x, c)
    sums = np.zeros_like(c)
    np.add.at(sums, labels, x)
    counts = np.bincount(labels, minlength=c.shape[0])
    filled = counts > 0
    c[filled] = sums[filled] / counts[filled, None]
    return c


def lloyd(X: ArrayLike, C0: ArrayLike, steps: int = 50) -> NDArray[np.float64]:
    """Run ``lloyd_step`` from the codebook ``C0`` until it stops moving (or ``steps`` times).

    >>> lloyd([[0.0], [1.0], [10.0], [12.0]], [[0.0], [1.0]])
    array([[ 0.5],
           [11. ]])
    """
    c = np.atleast_2d(np.asarray(C0, dtype=np.float64))
    for _ in range(steps):
        new = lloyd_step(X, c)
        if np.array_equal(new, c):
            break
        c = new
    return c


def bits_per_vector(K: int) -> float:
    """The rate of a codebook of ``K`` codewords: ``log2 K`` bits name one codeword.

    >>> bits_per_vector(256)
    8.0
    """
    return float(np.log2(K))


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:vector_quantization.<name>).


def _clusters(seed: int = 2) -> NDArray[np.float64]:
    rng = np.random.default_rng(seed)
    centres = np.array([[-2.0, -1.0], [1.5, 2.0], [2.5, -1.5], [-1.0, 2.0]])
    return np.concatenate([rng.normal(c, 0.7, size=(150, 2)) for c in centres])


def codebook_voronoi() -> Figure:
    """A codebook of 8 codewords learned by Lloyd's algorithm on 2-D data, with each codeword's cell shaded."""
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    X = _clusters()
    rng = np.random.default_rng(0)
    C = lloyd(X, X[rng.choice(len(X), 8, replace=False)])
    xs, ys = np.meshgrid(np.linspace(-5, 5.5, 400), np.linspace(-4.5, 5, 380))
    cells = assign(np.column_stack([xs.ravel(), ys.ravel()]), C).reshape(xs.shape)
    fig = Figure(figsize=(6.0, 4.6))
    ax = fig.subplots()
    palette = ListedColormap([f"C{i % 6}" for i in range(len(C))])
    ax.imshow(cells, extent=(xs.min(), xs.max(), ys.min(), ys.max()), origin="lower", cmap=palette,
              alpha=0.16, interpolation="nearest", vmin=-0.5, vmax=len(C) - 0.5, aspect="auto")
    ax.contour(xs, ys, cells, levels=np.arange(len(C)) + 0.5, colors="#777777", linewidths=0.7)
    labels = assign(X, C)
    ax.scatter(X[:, 0], X[:, 1], s=7, c=[f"C{i % 6}" for i in labels], alpha=0.7, linewidths=0)
    ax.scatter(C[:, 0], C[:, 1], s=110, marker="*", color="#222222", edgecolors="white", linewidths=0.8,
               label=f"codewords ($K$ = {len(C)}, 3 bits)", zorder=3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(f"mean squared error {distortion(X, C):.3f}", fontweight="normal")
    ax.legend(loc="upper left", fontsize=9.5)
    ax.grid(False)
    return fig


def distortion_vs_codebook_size() -> Figure:
    """Quantization error against the codebook size K (Lloyd's algorithm, same 2-D data): more bits, less error."""
    from matplotlib.figure import Figure

    X = _clusters()
    sizes = 2 ** np.arange(0, 8)
    rng = np.random.default_rng(1)
    errors = [distortion(X, lloyd(X, X[rng.choice(len(X), K, replace=False)], steps=100)) for K in sizes]
    fig = Figure(figsize=(6.0, 3.2))
    ax = fig.subplots()
    ax.semilogy(np.log2(sizes), errors, "o-", color="C0")
    ax.set_xticks(np.log2(sizes), [f"{int(np.log2(K))}\n($K$={K})" for K in sizes])
    ax.set_xlabel("bits per vector, $\\log_2 K$")
    ax.set_ylabel("mean squared error")
    return fig
