"""Kernelised linear attention: replace softmax's exp(q.k) by a kernel phi(q).phi(k) and reassociate the product.

Rows are tokens: ``Q`` and ``K`` are ``(N, D)``, ``V`` is ``(N, M)``. Attention
with a similarity ``sim`` gives token ``i`` the output
``sum_j sim(Q_i, K_j) V_j / sum_j sim(Q_i, K_j)``. Computed as written it
needs the ``N x N`` matrix of similarities; when ``sim(q, k) = phi(q).phi(k)``
for a feature map ``phi`` into ``R^F``, the sums over ``j`` can be formed once
(``phi(K)^T V`` and ``phi(K)^T 1``) and shared by every query, which costs
``O(N F M)`` instead of ``O(N^2 (D + M))`` (Katharopoulos et al., 2020).
With a causal mask the shared sums become running sums, one update per
token, as in a recurrent network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FeatureMap = Callable[[NDArray[np.float64]], NDArray[np.float64]]


def poly2_kernel(Q: ArrayLike, K: ArrayLike) -> NDArray[np.float64]:
    """The degree-2 polynomial kernel ``(Q_i . K_j + 1)^2`` for every pair of rows, shape ``(N_q, N_k)``.

    >>> poly2_kernel([[1.0, 2.0]], [[1.0, 0.0], [0.0, 0.0]])
    array([[4., 1.]])
    """
    return (np.asarray(Q, dtype=np.float64) @ np.asarray(K, dtype=np.float64).T + 1.0) ** 2


def poly2_features(X: ArrayLike) -> NDArray[np.float64]:
    """The explicit feature map of :func:`poly2_kernel`, row by row: ``(..., D) -> (..., (D + 1)(D + 2) / 2)``.

    ``phi(x) = (1, sqrt2 x_1, ..., sqrt2 x_D, x_1^2, ..., x_D^2, sqrt2 x_i x_j for i < j)``, so that
    ``phi(q) . phi(k) = (q . k + 1)^2``.

    >>> poly2_features([1.0, 2.0]).round(4)
    array([1.    , 1.4142, 2.8284, 1.    , 4.    , 2.8284])
    """
    x = np.asarray(X, dtype=np.float64)
    D = x.shape[-1]
    i, j = np.triu_indices(D, k=1)
    ones = np.ones(x.shape[:-1] + (1,))
    return np.concatenate([ones, np.sqrt(2.0) * x, x**2, np.sqrt(2.0) * x[..., i] * x[..., j]], axis=-1)


def elu_features(X: ArrayLike) -> NDArray[np.float64]:
    """``elu(x) + 1`` entry by entry: the positive feature map Katharopoulos et al. use (``F = D``).

    >>> elu_features([-1.0, 0.0, 2.0]).round(4)
    array([0.3679, 1.    , 3.    ])
    """
    x = np.asarray(X, dtype=np.float64)
    return np.where(x > 0, x + 1.0, np.exp(np.minimum(x, 0.0)))


def kernel_attention(Q: ArrayLike, K: ArrayLike, V: ArrayLike,
                     similarity: Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]],
                     causal: bool = False) -> NDArray[np.float64]:
    """The quadratic form: build the ``N x N`` similarities, normalise each row, average ``V``; ``(N, M)``.

    With ``similarity = exp(Q K^T / sqrt(D))`` this is softmax attention.
    ``causal=True`` keeps only keys ``j <= i``.

    >>> kernel_attention([[0.0], [1.0]], [[0.0], [1.0]], [[1.0], [3.0]], poly2_kernel)
    array([[2. ],
           [2.6]])
    """
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (Q, K, V))
    weights = similarity(q, k)
    if causal:
        weights = np.tril(weights)
    return (weights @ v) / weights.sum(axis=-1, keepdims=True)


def linear_attention(Q: ArrayLike, K: ArrayLike, V: ArrayLike, phi: FeatureMap = poly2_features) -> NDArray[np.float64]:
    """``phi(Q) (phi(K)^T V) / phi(Q) (phi(K)^T 1)``: the sums over keys are formed once; ``O(N F M)``.

    >>> linear_attention([[0.0], [1.0]], [[0.0], [1.0]], [[1.0], [3.0]])
    array([[2. ],
           [2.6]])
    """
    fq, fk = phi(np.asarray(Q, dtype=np.float64)), phi(np.asarray(K, dtype=np.float64))
    S = fk.T @ np.asarray(V, dtype=np.float64)  # (F, M), shared by every query
    z = fk.sum(axis=0)  # (F,), the shared normaliser
    return (fq @ S) / (fq @ z)[:, None]


def causal_linear_attention(Q: ArrayLike, K: ArrayLike, V: ArrayLike,
                            phi: FeatureMap = poly2_features) -> NDArray[np.float64]:
    """Causal linear attention as a recurrence: ``S_i = S_{i-1} + phi(K_i) V_i^T``, ``z_i = z_{i-1} + phi(K_i)``.

    Token ``i``'s output is ``phi(Q_i) S_i / phi(Q_i) z_i``. The state ``(S, z)``
    has a fixed size ``F x (M + 1)``, whatever the length: an RNN.

    >>> causal_linear_attention([[0.0], [1.0]], [[0.0], [1.0]], [[1.0], [3.0]])
    array([[1. ],
           [2.6]])
    """
    fq, fk = phi(np.asarray(Q, dtype=np.float64)), phi(np.asarray(K, dtype=np.float64))
    v = np.asarray(V, dtype=np.float64)
    S = np.zeros((fk.shape[1], v.shape[1]))
    z = np.zeros(fk.shape[1])
    out = np.empty((fq.shape[0], v.shape[1]))
    for i in range(fq.shape[0]):
        S += np.outer(fk[i], v[i])
        z += fk[i]
        out[i] = (fq[i] @ S) / (fq[i] @ z)
    return out


def poly2_feature_dimension(D: int) -> int:
    """``F = (D + 1)(D + 2) / 2``: the number of monomials of degree at most 2 in ``D`` variables.

    >>> poly2_feature_dimension(8), poly2_feature_dimension(64)
    (45, 2145)
    """
    return (D + 1) * (D + 2) // 2


def softmax_attention_macs(N: ArrayLike, D: int, M: int) -> NDArray[np.float64]:
    """Multiply-adds of quadratic attention: ``N^2 D`` for the scores and ``N^2 M`` for the weighted values.

    >>> float(softmax_attention_macs(1024, 64, 64))
    134217728.0
    """
    n = np.asarray(N, dtype=np.float64)
    return n**2 * (D + M)


def linear_attention_macs(N: ArrayLike, F: int, M: int) -> NDArray[np.float64]:
    """Multiply-adds of linear attention: ``N F (M + 1)`` to form ``phi(K)^T [V, 1]``, as many to apply it.

    The feature maps themselves (``N F`` each) are left out, as the softmax
    count leaves out the exponentials.

    >>> float(linear_attention_macs(1024, 64, 64))
    8519680.0
    """
    n = np.asarray(N, dtype=np.float64)
    return 2.0 * n * F * (M + 1)


def crossover_length(D: int, F: int, M: int) -> float:
    """The length ``N`` where the two counts are equal: ``N^2 (D + M) = 2 N F (M + 1)``.

    >>> crossover_length(64, 64, 64)
    65.0
    """
    return 2.0 * F * (M + 1) / (D + M)


def cost_vs_length() -> Figure:
    """Counted multiply-adds against N for softmax attention and linear attention (ELU and degree-2 features)."""
    from matplotlib.figure import Figure

    D = M = 64
    N = np.logspace(1, 6, 200)
    fig = Figure(figsize=(6.6, 3.8))
    ax = fig.subplots()
    ax.loglog(N, softmax_attention_macs(N, D, M), color="C1", lw=2, label="softmax: $N^2 (D + M)$")
    for colour, name, F in (("C0", "ELU + 1", D), ("C2", "degree 2", poly2_feature_dimension(D))):
        ax.loglog(N, linear_attention_macs(N, F, M), color=colour, lw=2, ls="--",
                  label=f"linear, {name} ($F$ = {F}): $2NF(M + 1)$")
        n_star = crossover_length(D, F, M)
        ax.plot([n_star], [float(softmax_attention_macs(n_star, D, M))], "o", color=colour)
        ax.annotate(f"N = {n_star:,.0f}", (n_star, float(softmax_attention_macs(n_star, D, M))),
                    textcoords="offset points", xytext=(10, -18), fontsize=10, color=colour)
    ax.set_xlabel("sequence length $N$")
    ax.set_ylabel("multiply-adds per head")
    ax.set_title("$D = M = 64$", fontsize=11)
    ax.legend(loc="upper left", fontsize=9.5)
    return fig
