"""Ridge regression in other clothes: dropout on the inputs, self-supervised purification, attention.

Three results of the derivation pages, each with its closed form and the
experiment that confirms it:

- inverted dropout on the inputs of least squares equals, in expectation over
  the masks, generalised ridge with penalty ``(1 - p)/p * sum_j ||X_j||^2 w_j^2``
  (``p`` the keep probability);
- the self-supervised map ``W = X X^T (X X^T + lam I)^{-1}`` that minimises
  ``||X - W X||_F^2 + lam ||W||_F^2`` shrinks the i-th left singular direction
  of ``X`` by ``s_i^2 / (s_i^2 + lam)``;
- ridge fitted from keys to values and applied to a query is a weighted sum of
  the values ("ridge attention"), and its inverse can be kept up to date one
  key at a time with the Sherman-Morrison formula.

Matrices follow the row convention of ``snippets.regularization``: one data
point per row of ``X`` (n x d), except for purification, where ``X`` is m x n
with one data point per column, as in its derivation.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Seed = int | np.random.Generator | None


# --- Dropout on the inputs as generalised ridge ------------------------------------------


def inverted_dropout_losses(X: ArrayLike, y: ArrayLike, w: ArrayLike, p_keep: float, masks: int,
                            rng: Seed = None) -> NDArray[np.float64]:
    """``||y - (R * X) w / p||^2`` for ``masks`` independent Bernoulli(``p_keep``) masks ``R``, one value per mask."""
    XX = np.asarray(X, dtype=np.float64)
    R = np.random.default_rng(rng).random((masks,) + XX.shape) < p_keep
    residual = np.asarray(y, dtype=np.float64) - (R * XX) @ np.asarray(w, dtype=np.float64) / p_keep
    return np.sum(residual**2, axis=-1)


def dropout_penalty_weights(X: ArrayLike, p_keep: float) -> NDArray[np.float64]:
    """The diagonal of the generalised ridge penalty of inverted dropout: ``(1 - p)/p * ||X_{:, j}||^2``.

    >>> dropout_penalty_weights([[1.0, 0.0], [1.0, 2.0]], 0.5).tolist()
    [2.0, 4.0]
    """
    XX = np.asarray(X, dtype=np.float64)
    return (1.0 - p_keep) / p_keep * np.sum(XX**2, axis=0)


def dropout_expected_loss(X: ArrayLike, y: ArrayLike, w: ArrayLike, p_keep: float) -> float:
    """The expected inverted-dropout loss in closed form: ``||y - X w||^2 + sum_j c_j w_j^2``,
    with ``c`` from :func:`dropout_penalty_weights`.

    >>> dropout_expected_loss([[1.0]], [1.0], [1.0], 1.0)
    0.0
    """
    XX = np.asarray(X, dtype=np.float64)
    ww = np.asarray(w, dtype=np.float64)
    residual = np.asarray(y, dtype=np.float64) - XX @ ww
    return float(residual @ residual + dropout_penalty_weights(XX, p_keep) @ ww**2)


def generalized_ridge(X: ArrayLike, y: ArrayLike, penalty: ArrayLike) -> NDArray[np.float64]:
    """The minimiser ``(X^T X + diag(penalty))^{-1} X^T y`` of ``||y - X w||^2 + sum_j penalty_j w_j^2``.

    >>> generalized_ridge([[1.0, 0.0], [0.0, 1.0]], [2.0, 4.0], [1.0, 3.0]).tolist()
    [1.0, 1.0]
    """
    XX = np.asarray(X, dtype=np.float64)
    return np.linalg.solve(XX.T @ XX + np.diag(np.asarray(penalty, dtype=np.float64)),
                           XX.T @ np.asarray(y, dtype=np.float64))


def dropout_ridge_solution(X: ArrayLike, y: ArrayLike, p_keep: float) -> NDArray[np.float64]:
    """The weights that minimise the expected inverted-dropout loss (generalised ridge)."""
    return generalized_ridge(X, y, dropout_penalty_weights(X, p_keep))


def dropout_trained_weights(X: ArrayLike, y: ArrayLike, p_keep: float, masks: int, rng: Seed = None) -> NDArray[np.float64]:
    """The exact minimiser of the average inverted-dropout loss over ``masks`` fixed masks.

    Averaging ``||y - (R_m * X) w / p||^2`` over masks is one least-squares
    problem on the stacked masked copies of ``X``, solved with ``lstsq``: the
    weights that dropout training converges to when it sees these masks.
    """
    XX = np.asarray(X, dtype=np.float64)
    R = np.random.default_rng(rng).random((masks,) + XX.shape) < p_keep
    stacked = (R * XX / p_keep).reshape(-1, XX.shape[1])
    target = np.tile(np.asarray(y, dtype=np.float64), masks)
    return np.linalg.lstsq(stacked, target, rcond=None)[0]


def dropout_example(seed: int = 4) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A small regression problem (20 x 5, columns of different scales) for the dropout page."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((20, 5)) * np.array([0.5, 1.0, 1.5, 2.0, 3.0])
    y = X @ np.array([1.0, -2.0, 0.5, 1.0, -0.5]) + 0.5 * rng.standard_normal(20)
    return X, y


def dropout_ridge_paths():
    """Coefficients against the keep probability: the generalised-ridge closed form (lines)
    and the minimiser of the Monte Carlo dropout loss over 2,000 masks (points)."""
    from matplotlib.figure import Figure

    X, y = dropout_example()
    grid = np.linspace(0.1, 1.0, 91)
    closed = np.array([dropout_ridge_solution(X, y, p) for p in grid])
    probes = np.array([0.2, 0.4, 0.6, 0.8, 1.0])
    trained = np.array([dropout_trained_weights(X, y, p, 2000, rng=i) for i, p in enumerate(probes)])
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.subplots()
    for j in range(X.shape[1]):
        ax.plot(grid, closed[:, j], color=f"C{j}", label=f"$w_{j + 1}$ (column norm {np.linalg.norm(X[:, j]):.1f})")
        ax.plot(probes, trained[:, j], "o", color=f"C{j}", markerfacecolor="none")
    ax.axhline(0, color="black", lw=0.6, alpha=0.5)
    ax.set_xlabel("keep probability $p$")
    ax.set_ylabel("coefficient")
    ax.legend(fontsize=8.5, loc="lower right", ncols=2)
    return fig


# --- Self-supervised linear purification -------------------------------------------------


def purification_objective(W: ArrayLike, X: ArrayLike, lam: float) -> float:
    """``||X - W X||_F^2 + lam ||W||_F^2`` (``X`` is m x n, one point per column; ``W`` is m x m).

    >>> purification_objective(np.eye(2), np.ones((2, 3)), 0.5)
    1.0
    """
    XX = np.asarray(X, dtype=np.float64)
    WW = np.asarray(W, dtype=np.float64)
    return float(np.sum((XX - WW @ XX) ** 2) + lam * np.sum(WW**2))


def purifier(X: ArrayLike, lam: float) -> NDArray[np.float64]:
    """The minimiser ``X X^T (X X^T + lam I)^{-1}`` of :func:`purification_objective`, via a linear solve.

    ``X X^T`` and ``(X X^T + lam I)^{-1}`` commute, so the solve of
    ``(X X^T + lam I) W^T = X X^T`` gives the same matrix.
    """
    XX = np.asarray(X, dtype=np.float64)
    gram = XX @ XX.T
    return np.linalg.solve(gram + lam * np.eye(gram.shape[0]), gram).T


def shrinkage_factors(s: ArrayLike, lam: float) -> NDArray[np.float64]:
    """``s^2 / (s^2 + lam)``: how much of each singular direction the purifier keeps.

    >>> shrinkage_factors([3.0, 1.0, 0.0], 1.0).tolist()
    [0.9, 0.5, 0.0]
    """
    ss = np.asarray(s, dtype=np.float64) ** 2
    return ss / (ss + lam)


def padded_singular_values(X: ArrayLike) -> NDArray[np.float64]:
    """The singular values of the m x n matrix ``X`` from ``numpy.linalg.svd``, padded with zeros to length m.

    >>> padded_singular_values([[3.0], [0.0]]).tolist()
    [3.0, 0.0]
    """
    XX = np.asarray(X, dtype=np.float64)
    s = np.linalg.svd(XX, compute_uv=False)
    return np.concatenate([s, np.zeros(XX.shape[0] - s.size)])


def sigma_matrix(X: ArrayLike) -> NDArray[np.float64]:
    """The m x n matrix ``Sigma`` of the full SVD ``X = U Sigma V^T``: singular values on its diagonal."""
    XX = np.asarray(X, dtype=np.float64)
    s = np.linalg.svd(XX, compute_uv=False)
    out = np.zeros_like(XX)
    out[np.arange(s.size), np.arange(s.size)] = s
    return out


def purifier_svd(X: ArrayLike, lam: float) -> NDArray[np.float64]:
    """The purifier from the SVD ``X = U S V^T``: ``U diag(s_i^2 / (s_i^2 + lam)) U^T``.

    Uses the full m x m ``U``; directions beyond the rank of ``X`` have
    ``s_i = 0`` and factor 0.
    """
    XX = np.asarray(X, dtype=np.float64)
    U, s, _ = np.linalg.svd(XX, full_matrices=True)
    factors = np.zeros(U.shape[0])
    factors[: s.size] = shrinkage_factors(s, lam)
    return (U * factors) @ U.T


def noisy_low_rank(m: int = 30, n: int = 200, rank: int = 3, noise: float = 0.3, seed: int = 0
                   ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(clean, noisy)``: an m x n matrix of rank ``rank`` with strong directions, and it plus Gaussian noise."""
    rng = np.random.default_rng(seed)
    basis = np.linalg.qr(rng.standard_normal((m, rank)))[0]
    clean = basis @ (np.diag(np.linspace(12.0, 6.0, rank)) @ rng.standard_normal((rank, n)))
    return clean, clean + noise * rng.standard_normal((m, n))


def purification_shrinkage():
    """Left: shrinkage factor against the singular value for three penalties. Right: singular
    values of a noisy rank-3 matrix before and after purification."""
    from matplotlib.figure import Figure

    clean, noisy = noisy_low_rank()
    s = np.linalg.svd(noisy, compute_uv=False)
    lam = 100.0
    s_after = np.linalg.svd(purifier(noisy, lam) @ noisy, compute_uv=False)
    grid = np.logspace(-1.5, 2.5, 200)
    fig = Figure(figsize=(6.4, 3.4))
    left, right = fig.subplots(1, 2)
    for i, penalty in enumerate([1.0, 100.0, 10_000.0]):
        left.plot(grid, shrinkage_factors(grid, penalty), color=f"C{i}", label=f"$\\lambda = {penalty:g}$")
        left.axvline(np.sqrt(penalty), color=f"C{i}", lw=0.8, ls=":")
    left.set_xscale("log")
    left.set_xlabel("singular value $\\sigma$")
    left.set_ylabel("kept fraction $\\sigma^2 / (\\sigma^2 + \\lambda)$")
    left.legend(fontsize=9, loc="upper left")
    idx = np.arange(1, s.size + 1)
    right.semilogy(idx, s, "o", color="C3", markerfacecolor="none", label="noisy $X$")
    right.semilogy(idx, s_after, "o", color="C4", ms=4, label=f"$\\hat W X$, $\\lambda = {lam:g}$")
    right.set_xlabel("index $i$")
    right.set_ylabel("singular value")
    right.legend(fontsize=9, loc="lower left")
    return fig


# --- Ridge regression as attention; Sherman-Morrison --------------------------------------


def ridge_attention_weights(K: ArrayLike, Q: ArrayLike, lam: float) -> NDArray[np.float64]:
    """The m x n weights ``A = Q (K^T K + lam I)^{-1} K^T``: row i says how much query i takes of each value.

    They can be negative and need not sum to 1.
    """
    KK = np.asarray(K, dtype=np.float64)
    QQ = np.atleast_2d(np.asarray(Q, dtype=np.float64))
    gram = KK.T @ KK + lam * np.eye(KK.shape[1])
    return np.linalg.solve(gram, QQ.T).T @ KK.T


def ridge_attention(K: ArrayLike, V: ArrayLike, Q: ArrayLike, lam: float) -> NDArray[np.float64]:
    """Ridge regression from keys to values, applied to each query: ``A V`` with ``A`` from
    :func:`ridge_attention_weights` (equal to ``Q W^T`` with ``W = V^T K (K^T K + lam I)^{-1}``)."""
    return ridge_attention_weights(K, Q, lam) @ np.asarray(V, dtype=np.float64)


def ridge_map(K: ArrayLike, V: ArrayLike, lam: float) -> NDArray[np.float64]:
    """``W* = (sum_i v_i k_i^T)(sum_i k_i k_i^T + lam I)^{-1}``, the d_v x d minimiser of
    ``sum_i ||v_i - W k_i||^2 + lam ||W||_F^2``."""
    KK = np.asarray(K, dtype=np.float64)
    VV = np.asarray(V, dtype=np.float64).reshape(KK.shape[0], -1)
    gram = KK.T @ KK + lam * np.eye(KK.shape[1])
    return np.linalg.solve(gram, KK.T @ VV).T  # gram is symmetric


def ridge_map_objective(W: ArrayLike, K: ArrayLike, V: ArrayLike, lam: float) -> float:
    """``sum_i ||v_i - W k_i||^2 + lam ||W||_F^2`` for keys and values in the rows of ``K`` and ``V``.

    >>> ridge_map_objective([[1.0]], [[1.0], [2.0]], [[1.0], [0.0]], 1.0)
    5.0
    """
    KK = np.asarray(K, dtype=np.float64)
    VV = np.asarray(V, dtype=np.float64).reshape(KK.shape[0], -1)
    WW = np.atleast_2d(np.asarray(W, dtype=np.float64))
    return float(np.sum((VV - KK @ WW.T) ** 2) + lam * np.sum(WW**2))


def sherman_morrison(M_inv: ArrayLike, u: ArrayLike, v: ArrayLike) -> NDArray[np.float64]:
    """``(M + u v^T)^{-1}`` from ``M^{-1}`` in O(d^2): ``M^{-1} - M^{-1} u v^T M^{-1} / (1 + v^T M^{-1} u)``.

    Raises ``ZeroDivisionError`` when ``1 + v^T M^{-1} u = 0`` (then ``M + u v^T`` is singular).

    >>> sherman_morrison(np.eye(2), [1.0, 0.0], [1.0, 0.0]).tolist()
    [[0.5, 0.0], [0.0, 1.0]]
    """
    A = np.asarray(M_inv, dtype=np.float64)
    uu = np.asarray(u, dtype=np.float64).ravel()
    vv = np.asarray(v, dtype=np.float64).ravel()
    Au = A @ uu
    vA = vv @ A
    denominator = 1.0 + vv @ Au
    if denominator == 0.0:
        raise ZeroDivisionError("1 + v^T M^{-1} u = 0: M + u v^T is singular")
    return A - np.outer(Au, vA) / denominator


def streaming_ridge(K: ArrayLike, V: ArrayLike, lam: float) -> list[NDArray[np.float64]]:
    """Ridge maps ``W_t`` after each of the first t = 1..n keys, updating ``P = (lam I + sum k k^T)^{-1}``
    by Sherman-Morrison (O(d^2) a key) and ``B = sum v k^T``; ``W_t = B P``."""
    KK = np.asarray(K, dtype=np.float64)
    VV = np.asarray(V, dtype=np.float64).reshape(KK.shape[0], -1)
    P = np.eye(KK.shape[1]) / lam
    B = np.zeros((VV.shape[1], KK.shape[1]))
    maps = []
    for k, v in zip(KK, VV):
        P = sherman_morrison(P, k, k)
        B = B + np.outer(v, k)
        maps.append(B @ P)
    return maps


def running_mean(x: ArrayLike) -> NDArray[np.float64]:
    """Means of the first 1..n items, by ``m_{t} = m_{t-1} + (x_t - m_{t-1}) / t`` (O(1) memory per step).

    >>> running_mean([2.0, 4.0, 9.0]).tolist()
    [2.0, 3.0, 5.0]
    """
    xx = np.asarray(x, dtype=np.float64)
    out = np.empty_like(xx)
    m = np.zeros(xx.shape[1:])
    for t, item in enumerate(xx, start=1):
        m = m + (item - m) / t
        out[t - 1] = m
    return out


def attention_example(seed: int = 2) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Keys (12 x 2), scalar values (12,) of a noisy linear map, and one query, for the figure."""
    rng = np.random.default_rng(seed)
    K = rng.standard_normal((12, 2))
    V = K @ np.array([1.5, -1.0]) + 0.3 * rng.standard_normal(12)
    return K, V, np.array([1.0, 0.5])


def ridge_vs_softmax_weights():
    """Bar chart: the weights one query puts on twelve context items under ridge attention
    (signed, unnormalised) and under softmax attention (positive, summing to 1)."""
    from matplotlib.figure import Figure

    K, V, q = attention_example()
    ridge_w = ridge_attention_weights(K, q, 1.0)[0]
    logits = K @ q
    soft_w = np.exp(logits - logits.max())
    soft_w /= soft_w.sum()
    idx = np.arange(1, K.shape[0] + 1)
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.subplots()
    ax.bar(idx - 0.2, ridge_w, width=0.4, color="C0", label=f"ridge, $\\lambda = 1$ (sum {ridge_w.sum():.2f})")
    ax.bar(idx + 0.2, soft_w, width=0.4, color="C1", label=f"softmax (sum {soft_w.sum():.2f})")
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks(idx)
    ax.set_xlabel("context item $i$")
    ax.set_ylabel("weight $\\alpha_i$ on value $v_i$")
    ax.legend(fontsize=9)
    return fig
