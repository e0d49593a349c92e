"""Walks on graphs and graph neural network layers in numpy.

Powers of the adjacency matrix count walks; propagating one-hot node features
through layers that sum (or take the maximum of) their neighbours' states
computes the same counts (or reachability). A convolution on an image is a
message-passing layer on the grid graph with one weight per relative offset.
The GNN layers here (a GCN layer and a mean-aggregation residual layer) act on
a node-feature matrix ``H`` with one row per node, so relabelling the nodes by a
permutation matrix ``P`` (``H -> P H``, ``A -> P A P^T``) permutes their outputs.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Seed = int | np.random.Generator | None


def walk_counts(A: ArrayLike, k: int) -> NDArray[np.float64]:
    """``A^k`` by repeated multiplication: entry ``(i, j)`` counts the walks of length ``k`` from ``i`` to ``j``."""
    AA = np.asarray(A, dtype=np.float64)
    out = np.eye(AA.shape[0])
    for _ in range(k):
        out = out @ AA
    return out


def brute_force_walks(A: ArrayLike, k: int) -> NDArray[np.int64]:
    """Count walks of length ``k`` by listing every sequence of ``k + 1`` nodes (``n^(k+1)`` of them; small graphs only).

    A walk ``v_0, ..., v_k`` counts ``prod A[v_t, v_{t+1}]`` times (once for a 0/1 adjacency). The sequences
    are enumerated as the rows of an index array, so the count involves no matrix product.
    """
    AA = np.asarray(A)
    n = AA.shape[0]
    sequences = np.stack(np.unravel_index(np.arange(n ** (k + 1)), (n,) * (k + 1)), axis=1)
    weights = np.ones(len(sequences), dtype=np.int64)
    for t in range(k):
        weights *= AA[sequences[:, t], sequences[:, t + 1]].astype(np.int64)
    counts = np.zeros((n, n), dtype=np.int64)
    np.add.at(counts, (sequences[:, 0], sequences[:, -1]), weights)
    return counts


def propagate_sum(A: ArrayLike, k: int) -> NDArray[np.float64]:
    """``k`` layers of ``h_j <- sum_i A_ij h_i`` from one-hot inputs ``H^(0) = I``; row ``j`` is node ``j``'s state."""
    AA = np.asarray(A, dtype=np.float64)
    H = np.eye(AA.shape[0])
    for _ in range(k):
        H = AA.T @ H
    return H


def propagate_max(A: ArrayLike, k: int) -> NDArray[np.float64]:
    """``k`` layers of ``h_j <- max_i A_ij h_i`` from one-hot inputs: entry ``(j, i)`` is 1 iff a length-``k``
    walk leads from ``i`` to ``j`` (0/1 adjacency)."""
    AA = np.asarray(A, dtype=np.float64)
    H = np.eye(AA.shape[0])
    for _ in range(k):
        H = (AA[:, :, None] * H[:, None, :]).max(axis=0)  # [j, c] = max_i A[i, j] H[i, c]
    return H


def cycle_with_chord(n: int = 6) -> NDArray[np.float64]:
    """Undirected ``n``-cycle plus the chord 0 -- n/2."""
    A = np.zeros((n, n))
    for i in range(n):
        A[i, (i + 1) % n] = A[(i + 1) % n, i] = 1.0
    A[0, n // 2] = A[n // 2, 0] = 1.0
    return A


def random_graph(n: int, p: float = 0.4, seed: Seed = None, self_loops: bool = False) -> NDArray[np.float64]:
    """A random undirected 0/1 adjacency (Erdos-Renyi with edge probability ``p``)."""
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < p, k=0 if self_loops else 1)
    A = (upper | upper.T).astype(np.float64)
    return A


def random_digraph(n: int, p: float = 0.4, seed: Seed = None) -> NDArray[np.float64]:
    """A random directed 0/1 adjacency: each ordered pair ``(i, j)``, self-loops included, is an edge with probability ``p``."""
    return (np.random.default_rng(seed).random((n, n)) < p).astype(np.float64)


def connected_random_graph(n: int, p: float = 0.3, seed: Seed = None) -> NDArray[np.float64]:
    """A random undirected 0/1 graph that contains the ``n``-cycle (``n >= 3``), so no node is isolated."""
    A = random_graph(n, p, seed)
    ring = np.roll(np.eye(n), 1, axis=1)
    return np.minimum(A + ring + ring.T, 1.0)


def grid_shift(height: int, width: int, di: int, dj: int) -> NDArray[np.float64]:
    """Adjacency of one edge type on the ``height x width`` pixel grid: ``S[p, q] = 1`` iff pixel ``q`` is pixel
    ``p`` moved by ``(di, dj)`` (pixels in row-major order; no edge off the border, i.e. zero padding)."""
    n = height * width
    S = np.zeros((n, n))
    i, j = np.divmod(np.arange(n), width)
    ti, tj = i + di, j + dj
    inside = (ti >= 0) & (ti < height) & (tj >= 0) & (tj < width)
    S[np.arange(n)[inside], (ti * width + tj)[inside]] = 1.0
    return S


def path_shift(n: int, offset: int) -> NDArray[np.float64]:
    """Shift along a path of ``n`` nodes: ``S[p, q] = 1`` iff ``q = p + offset`` (no wrap-around)."""
    return np.eye(n, k=offset)


def conv_as_message_passing(image: ArrayLike, w: ArrayLike) -> NDArray[np.float64]:
    """A ``k x k`` 'same' convolution (cross-correlation, zero padding) computed as message passing on the grid:
    ``y = sum_offsets w[offset] S_offset x``, one edge type and one weight per relative offset."""
    x = np.asarray(image, dtype=np.float64)
    ww = np.asarray(w, dtype=np.float64)
    r = ww.shape[0] // 2
    height, width = x.shape
    y = np.zeros(height * width)
    for a, b in itertools.product(range(ww.shape[0]), repeat=2):
        y += ww[a, b] * grid_shift(height, width, a - r, b - r) @ x.ravel()
    return y.reshape(height, width)


# --- GNN layers -------------------------------------------------------------------


def gcn_adjacency(A: ArrayLike) -> NDArray[np.float64]:
    """Kipf and Welling's normalised adjacency with self-loops: ``D^-1/2 (A + I) D^-1/2``, ``D`` the degrees of ``A + I``."""
    AA = np.asarray(A, dtype=np.float64) + np.eye(np.shape(A)[0])
    d = AA.sum(axis=1)
    return AA / np.sqrt(np.outer(d, d))


def gcn_layer(A: ArrayLike, H: ArrayLike, W: ArrayLike) -> NDArray[np.float64]:
    """One graph-convolution layer ``tanh(A_hat H W)`` with ``A_hat = gcn_adjacency(A)``."""
    return np.tanh(gcn_adjacency(A) @ np.asarray(H, dtype=np.float64) @ np.asarray(W, dtype=np.float64))


def mean_neighbours(A: ArrayLike, S: ArrayLike) -> NDArray[np.float64]:
    """``D^-1 A S``: each row the mean of the node's neighbours' rows (0 for an isolated node)."""
    AA = np.asarray(A, dtype=np.float64)
    degree = AA.sum(axis=1, keepdims=True)
    return np.divide(AA @ np.asarray(S, dtype=np.float64), degree, out=np.zeros_like(S, dtype=np.float64),
                     where=degree > 0)


def residual_gnn_layer(A: ArrayLike, S: ArrayLike, U: ArrayLike, W: ArrayLike) -> NDArray[np.float64]:
    """``S + tanh(S U^T + D^-1 A S W^T)``: a residual update from the node itself and the mean of its neighbours."""
    SS = np.asarray(S, dtype=np.float64)
    return SS + np.tanh(SS @ np.asarray(U).T + mean_neighbours(A, SS) @ np.asarray(W).T)


def position_weighted_layer(A: ArrayLike, S: ArrayLike, W: ArrayLike) -> NDArray[np.float64]:
    """A layer that is NOT a permutation-equivariant aggregation: neighbour ``i`` is weighted by its label ``i + 1``."""
    AA = np.asarray(A, dtype=np.float64)
    labels = np.arange(1, AA.shape[0] + 1, dtype=np.float64)
    return np.tanh((AA * labels[None, :]) @ np.asarray(S, dtype=np.float64) @ np.asarray(W).T)


def readout(H: ArrayLike, kind: str = "sum") -> NDArray[np.float64]:
    """Graph-level readout over the nodes (rows): ``sum``, ``mean`` or ``max``."""
    HH = np.asarray(H, dtype=np.float64)
    return {"sum": HH.sum, "mean": HH.mean, "max": HH.max}[kind](axis=0)


def permutation_matrix(n: int, seed: Seed = None) -> NDArray[np.float64]:
    """A uniformly random ``n x n`` permutation matrix: ``(P H)_i = H_{pi(i)}``."""
    return np.eye(n)[np.random.default_rng(seed).permutation(n)]


def node_classification_loss(probabilities: ArrayLike, labels: ArrayLike) -> float:
    """Mean cross-entropy over nodes, ``-(1/N) sum_i log p_{i, y_i}``, for integer labels ``y_i``."""
    p = np.asarray(probabilities, dtype=np.float64)
    y = np.asarray(labels, dtype=np.int64)
    return float(-np.mean(np.log(p[np.arange(p.shape[0]), y])))


# --- Figures ---------------------------------------------------------------------


def _draw_graph(ax, A: NDArray[np.float64]) -> None:
    """The graph on a circle, nodes labelled 1..n."""
    n = A.shape[0]
    angle = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    xy = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    for i, j in zip(*np.nonzero(np.triu(A, 1))):
        ax.plot(*xy[[i, j]].T, color="C0", lw=1.5, zorder=1)
    ax.scatter(*xy.T, s=420, color="C1", zorder=2)
    for i in range(n):
        ax.text(*xy[i], str(i + 1), ha="center", va="center", fontsize=12, zorder=3)
    ax.set_xlim(-1.35, 1.35)
    ax.set_ylim(-1.35, 1.35)
    ax.set_aspect("equal")
    ax.axis("off")


def walk_count_heatmaps() -> Figure:
    """A 6-cycle with a chord, and its walk counts A, A^2, A^3 as annotated heatmaps (reachability in outline)."""
    from matplotlib.figure import Figure

    A = cycle_with_chord(6)
    fig = Figure(figsize=(9.6, 2.9))
    axes = fig.subplots(1, 4)
    _draw_graph(axes[0], A)
    ticks = np.arange(6)
    for ax, k in zip(axes[1:], (1, 2, 3)):
        Ak = walk_counts(A, k)
        ax.imshow(Ak, cmap="Blues", vmin=0, vmax=Ak.max() * 1.5)
        for (i, j), v in np.ndenumerate(Ak):
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=11,
                    color="C3" if v == 0 else None)
        ax.set_title(f"$A^{k}$: walks of length {k}", fontsize=12)
        ax.set_xticks(ticks, [str(t + 1) for t in ticks], fontsize=10)
        ax.set_yticks(ticks, [str(t + 1) for t in ticks], fontsize=10)
    return fig


def permutation_equivariance() -> Figure:
    """Output of a residual GNN layer for a graph and for the same graph relabelled: rows permuted, values equal."""
    from matplotlib.figure import Figure

    rng = np.random.default_rng(5)
    n, k = 6, 4
    A = cycle_with_chord(n)
    S = rng.standard_normal((n, k))
    U, W = rng.standard_normal((k, k)) / 2, rng.standard_normal((k, k)) / 2
    P = permutation_matrix(n, seed=1)
    out = residual_gnn_layer(A, S, U, W)
    out_perm = residual_gnn_layer(P @ A @ P.T, P @ S, U, W)
    order = P @ np.arange(n)
    fig = Figure(figsize=(7.0, 3.4))
    left, right = fig.subplots(1, 2)
    vmax = np.abs(out).max()
    for ax, values, labels, title in ((left, out, np.arange(n), "$f(S, A)$"),
                                      (right, out_perm, order, "$f(PS, PAP^{\\top})$")):
        ax.imshow(values, cmap="coolwarm", vmin=-vmax, vmax=vmax)
        ax.set_yticks(np.arange(n), [f"node {int(v) + 1}" for v in labels], fontsize=11)
        ax.set_xticks(np.arange(k), [f"{c + 1}" for c in range(k)], fontsize=11)
        ax.set_xlabel("feature", fontsize=12)
        ax.set_title(title, fontsize=12)
    return fig
