"""LoRA (low-rank adaptation): a frozen weight matrix plus a trainable low-rank update ``(alpha / r) B A``.

Shapes follow the paper (Hu et al., 2021): ``W0`` is ``d x k`` and maps a
``k``-vector to a ``d``-vector, ``B`` is ``d x r``, ``A`` is ``r x k``.
Inputs are batches of row vectors, ``x`` of shape ``(..., k)``, as in
``torch.nn.Linear``, so the layer computes ``x @ W.T``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _rank(A: NDArray[np.float64], B: NDArray[np.float64], W0: NDArray[np.float64] | None = None) -> int:
    r = A.shape[0]
    if A.ndim != 2 or B.ndim != 2 or B.shape[1] != r:
        raise ValueError(f"A must be r x k and B d x r, got A {A.shape} and B {B.shape}")
    if W0 is not None and W0.shape != (B.shape[0], A.shape[1]):
        raise ValueError(f"W0 must be d x k = {(B.shape[0], A.shape[1])}, got {W0.shape}")
    return r


def delta_weight(A: ArrayLike, B: ArrayLike, alpha: float) -> NDArray[np.float64]:
    """The update ``Delta W = (alpha / r) B A``, a ``d x k`` matrix of rank at most ``r``.

    >>> delta_weight(np.array([[1.0, 2.0]]), np.array([[1.0], [0.0], [3.0]]), alpha=2.0)
    array([[ 2.,  4.],
           [ 0.,  0.],
           [ 6., 12.]])
    """
    a, b = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    return (alpha / _rank(a, b)) * (b @ a)


def lora_forward(x: ArrayLike, W0: ArrayLike, A: ArrayLike, B: ArrayLike, alpha: float) -> NDArray[np.float64]:
    """``h = W0 x + (alpha / r) B (A x)`` for row vectors ``x`` of shape ``(..., k)``; returns ``(..., d)``.

    The two paths are computed separately, as during training: ``x @ A.T``
    is only ``r`` wide, and ``W0`` is never modified. The result equals
    ``x @ merge(W0, A, B, alpha).T``.

    >>> W0, A, B = np.eye(2), np.array([[1.0, 1.0]]), np.array([[0.5], [0.0]])
    >>> lora_forward(np.array([[1.0, 2.0]]), W0, A, B, alpha=1.0)
    array([[2.5, 2. ]])
    """
    xs = np.asarray(x, dtype=np.float64)
    w0, a, b = (np.asarray(m, dtype=np.float64) for m in (W0, A, B))
    r = _rank(a, b, w0)
    return xs @ w0.T + (alpha / r) * ((xs @ a.T) @ b.T)


def merge(W0: ArrayLike, A: ArrayLike, B: ArrayLike, alpha: float) -> NDArray[np.float64]:
    """``W = W0 + (alpha / r) B A``: fold the adapter into the weights, so inference costs nothing extra.

    >>> merge(np.zeros((2, 2)), np.array([[1.0, 2.0]]), np.array([[1.0], [1.0]]), alpha=1.0)
    array([[1., 2.],
           [1., 2.]])
    """
    w0 = np.asarray(W0, dtype=np.float64)
    _rank(np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64), w0)
    return w0 + delta_weight(A, B, alpha)


def init_lora(d: int, k: int, r: int, rng: int | np.random.Generator | None = None,
              std: float | None = None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Initial adapter ``(A, B)``: ``A`` random Gaussian (``r x k``), ``B`` zero (``d x r``), so ``Delta W = 0``.

    The default standard deviation is ``1 / sqrt(k)``. Training starts from
    exactly the pretrained model, and ``B`` still gets a nonzero gradient
    because ``A`` is not zero.

    >>> A, B = init_lora(3, 4, 2, rng=0)
    >>> A.shape, B.shape, bool(np.all(B == 0)), bool(np.all(A != 0))
    ((2, 4), (3, 2), True, True)
    """
    if not 1 <= r:
        raise ValueError(f"the rank must be at least 1, got {r}")
    generator = np.random.default_rng(rng)
    scale = 1.0 / np.sqrt(k) if std is None else std
    return generator.normal(0.0, scale, size=(r, k)), np.zeros((d, r))


def lora_parameter_count(d: int, k: int, r: int) -> int:
    """Trainable parameters of a rank-``r`` LoRA adapter on a ``d x k`` matrix: ``r (d + k)``.

    Full fine-tuning of the same matrix trains ``d * k``; see
    :func:`full_parameter_count`.

    >>> lora_parameter_count(4096, 4096, 8)
    65536
    >>> lora_parameter_count(4096, 4096, 8) / full_parameter_count(4096, 4096)
    0.00390625
    """
    for name, value in (("d", d), ("k", k), ("r", r)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(r) * (int(d) + int(k))


def full_parameter_count(d: int, k: int) -> int:
    """Parameters of a ``d x k`` weight matrix, all trained by full fine-tuning: ``d k``.

    >>> full_parameter_count(4096, 4096)
    16777216
    """
    return int(d) * int(k)


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:lora.<name>).


def parameters_vs_rank() -> Figure:
    """Trainable parameters of LoRA on a 4096 x 4096 matrix against the rank r, with the full d k for reference."""
    from matplotlib.figure import Figure

    d = k = 4096
    ranks = np.array([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048])
    counts = np.array([lora_parameter_count(d, k, int(r)) for r in ranks])
    full = full_parameter_count(d, k)
    fig = Figure(figsize=(6.4, 3.8))
    ax = fig.subplots()
    ax.plot(ranks, counts, "o-", color="C0", label="LoRA: $r(d + k)$")
    ax.axhline(full, color="C1", linestyle="--", label=f"full fine-tuning: $dk$ = {full:,}")
    ax.axvline(d * k / (d + k), color="C5", linestyle=":", linewidth=1,
               label=r"break-even $r = dk / (d + k)$")
    for r in (8, 64):
        count = lora_parameter_count(d, k, r)
        ax.annotate(f"r = {r}: {count:,} ({count / full:.2%})", (r, count), textcoords="offset points",
                    xytext=(10, -14), fontsize="small")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("rank $r$")
    ax.set_ylabel("trainable parameters")
    ax.set_title(f"one {d} x {k} weight matrix")
    ax.legend(loc="lower right")
    return fig


# --- Initialisation and gradients of the adapter (derivations/lora-initialization.md) -----------------------
# The loss is least squares on a batch of row vectors, L(W) = 1/2 ||X W^T - Y||_F^2, so that its gradient
# G = dL/dW = (X W^T - Y)^T X is explicit and the chain rule through W = W0 + (alpha / r) B A can be checked.


def regression_loss(X: ArrayLike, Y: ArrayLike, W: ArrayLike) -> float:
    """``L(W) = 1/2 ||X W^T - Y||_F^2`` for inputs ``X`` (``n x k``), targets ``Y`` (``n x d``), ``W`` (``d x k``).

    >>> regression_loss(np.eye(2), np.zeros((2, 2)), np.eye(2))
    1.0
    """
    residual = np.asarray(X, dtype=np.float64) @ np.asarray(W, dtype=np.float64).T - np.asarray(Y, dtype=np.float64)
    return 0.5 * float(np.sum(residual**2))


def regression_gradient(X: ArrayLike, Y: ArrayLike, W: ArrayLike) -> NDArray[np.float64]:
    """``G = dL/dW = (X W^T - Y)^T X``, a ``d x k`` matrix, for the loss of :func:`regression_loss`.

    >>> regression_gradient(np.eye(2), np.zeros((2, 2)), 2 * np.eye(2))
    array([[2., 0.],
           [0., 2.]])
    """
    x = np.asarray(X, dtype=np.float64)
    return (x @ np.asarray(W, dtype=np.float64).T - np.asarray(Y, dtype=np.float64)).T @ x


def lora_loss(X: ArrayLike, Y: ArrayLike, W0: ArrayLike, A: ArrayLike, B: ArrayLike, alpha: float) -> float:
    """The regression loss as a function of the adapter: ``L(W0 + (alpha / r) B A)``.

    >>> lora_loss(np.eye(2), np.eye(2), np.eye(2), np.ones((1, 2)), np.zeros((2, 1)), 1.0)
    0.0
    """
    return regression_loss(X, Y, merge(W0, A, B, alpha))


def lora_gradients(X: ArrayLike, Y: ArrayLike, W0: ArrayLike, A: ArrayLike, B: ArrayLike,
                   alpha: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(dL/dA, dL/dB) = ((alpha / r) B^T G, (alpha / r) G A^T)`` with ``G`` the gradient at the merged ``W``.

    >>> gA, gB = lora_gradients(np.eye(2), np.zeros((2, 2)), np.eye(2), np.ones((1, 2)), np.zeros((2, 1)), 1.0)
    >>> gA, gB.ravel()
    (array([[0., 0.]]), array([1., 1.]))
    """
    a, b = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    G = regression_gradient(X, Y, merge(W0, a, b, alpha))
    scale = alpha / _rank(a, b)
    return scale * (b.T @ G), scale * (G @ a.T)


def train_lora(X: ArrayLike, Y: ArrayLike, W0: ArrayLike, A: ArrayLike, B: ArrayLike, alpha: float,
               lr: float, steps: int) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Full-batch gradient descent on ``A`` and ``B`` (``W0`` frozen); returns ``(A, B, losses)``.

    ``losses[t]`` is the loss before step ``t`` (``steps + 1`` values in all).

    >>> _, _, losses = train_lora(np.eye(2), np.eye(2), np.zeros((2, 2)), np.eye(2), np.zeros((2, 2)), 2.0, 0.3, 50)
    >>> bool(losses[-1] < 1e-6 < losses[0])
    True
    """
    a, b = np.array(A, dtype=np.float64), np.array(B, dtype=np.float64)
    losses = [lora_loss(X, Y, W0, a, b, alpha)]
    for _ in range(steps):
        grad_a, grad_b = lora_gradients(X, Y, W0, a, b, alpha)
        a, b = a - lr * grad_a, b - lr * grad_b
        losses.append(lora_loss(X, Y, W0, a, b, alpha))
    return a, b, np.array(losses)


def best_rank_approximation(M: ArrayLike, r: int) -> NDArray[np.float64]:
    """The best rank-``r`` approximation of ``M`` (Eckart–Young): its ``r`` leading singular triplets.

    >>> best_rank_approximation(np.diag([3.0, 2.0, 1.0]), 2)
    array([[3., 0., 0.],
           [0., 2., 0.],
           [0., 0., 0.]])
    """
    U, s, Vt = np.linalg.svd(np.asarray(M, dtype=np.float64), full_matrices=False)
    return (U[:, :r] * s[:r]) @ Vt[:r]


def _target_update(d: int = 32, seed: int = 0) -> NDArray[np.float64]:
    """A ``d x d`` update with singular values ``1, 1/2, ..., 1/d``: no low rank is exact."""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.normal(size=(d, d)))
    V, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return (U / np.arange(1, d + 1)) @ V.T


def rank_vs_error() -> Figure:
    """Relative error of the best rank-r approximation of an update (Eckart–Young), and of LoRA trained by GD."""
    from matplotlib.figure import Figure

    d = 32
    target = _target_update(d)
    sigma = np.linalg.svd(target, compute_uv=False)
    ranks = np.arange(1, d + 1)
    best = np.sqrt([np.sum(sigma[r:] ** 2) for r in ranks]) / np.linalg.norm(target)
    trained_ranks = np.array([1, 2, 4, 8, 16])
    trained = []
    for r in trained_ranks:
        A, B = init_lora(d, d, int(r), rng=1)
        A, B, _ = train_lora(np.eye(d), target.T, np.zeros((d, d)), A, B, alpha=float(r), lr=0.5, steps=1500)
        trained.append(np.linalg.norm(delta_weight(A, B, float(r)) - target) / np.linalg.norm(target))
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.subplots()
    ax.plot(ranks, best, color="C0", lw=2, label="best rank $r$ (SVD, Eckart\u2013Young)")
    ax.plot(trained_ranks, trained, "o", color="C1", markersize=8, label="LoRA trained by GD ($B_0 = 0$)")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("rank $r$")
    ax.set_ylabel(r"relative error $\|\Delta W_r - \Delta W\|_F / \|\Delta W\|_F$")
    ax.set_title(r"target $\Delta W$: $32 \times 32$, singular values $1, 1/2, \ldots, 1/32$", fontsize=10.5)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper right")
    return fig
