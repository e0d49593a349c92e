"""Principal component analysis and linear autoencoders: the optimum, the training dynamics, denoising.

Two data conventions, each stated where it is used:

- ``pca`` and ``pca_reconstruction_error`` take ``X`` of shape ``(n, d)``,
  one sample a row, as scikit-learn does;
- the linear autoencoder functions take ``X`` of shape ``(d, n)``, one
  sample a column, so that the model reads ``W2 @ W1 @ X`` with an encoder
  ``W1`` of shape ``(k, d)`` and a decoder ``W2`` of shape ``(d, k)``.

Subspaces are compared through principal angles, never through
eigenvectors, whose signs (and, for repeated eigenvalues, directions) are
not determined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Array = NDArray[np.float64]


def top_eigenvectors(S: ArrayLike, k: int) -> tuple[Array, Array]:
    """The ``k`` largest eigenvalues of a symmetric ``S`` (descending) and their orthonormal eigenvectors,
    as the columns of a ``(d, k)`` matrix.

    >>> values, U = top_eigenvectors([[1.0, 0.0], [0.0, 3.0]], 1)
    >>> values, np.abs(U)
    (array([3.]), array([[0.],
           [1.]]))
    """
    values, vectors = np.linalg.eigh(np.asarray(S, dtype=np.float64))
    order = np.argsort(values)[::-1][:k]
    return values[order], vectors[:, order]


def projector(U: ArrayLike) -> Array:
    """The orthogonal projector onto the column space of ``U`` (any full-column-rank ``U``).

    >>> projector([[2.0], [0.0]])
    array([[1., 0.],
           [0., 0.]])
    """
    Q, _ = np.linalg.qr(np.asarray(U, dtype=np.float64))
    return Q @ Q.T


def principal_angles(A: ArrayLike, B: ArrayLike) -> Array:
    """Principal angles (radians, ascending) between the column spaces of ``A`` and ``B``.

    The cosines are the singular values of ``Qa^T Qb`` for orthonormal bases ``Qa``, ``Qb``;
    they are clipped to [0, 1] because rounding can push them just past 1.

    >>> principal_angles([[1.0], [0.0]], [[1.0], [1.0]]).round(6)
    array([0.785398])
    """
    Qa, _ = np.linalg.qr(np.asarray(A, dtype=np.float64))
    Qb, _ = np.linalg.qr(np.asarray(B, dtype=np.float64))
    cosines = np.linalg.svd(Qa.T @ Qb, compute_uv=False)
    return np.sort(np.arccos(np.clip(cosines, 0.0, 1.0)))


def pca(X: ArrayLike, k: int) -> tuple[Array, Array, Array]:
    """PCA of the rows of ``X`` (shape ``(n, d)``): ``(components, explained_variance, mean)``.

    ``components`` is ``(k, d)``, one unit principal direction a row; ``explained_variance``
    holds the top ``k`` eigenvalues of the sample covariance with denominator ``n - 1``
    (scikit-learn's convention).

    >>> components, variance, mean = pca([[0.0, 0.0], [2.0, 0.0], [4.0, 0.0]], 1)
    >>> np.abs(components), variance, mean
    (array([[1., 0.]]), array([4.]), array([2., 0.]))
    """
    data = np.asarray(X, dtype=np.float64)
    mean = data.mean(axis=0)
    centered = data - mean
    covariance = centered.T @ centered / (data.shape[0] - 1)
    values, vectors = top_eigenvectors(covariance, k)
    return vectors.T, values, mean


def pca_reconstruction_error(X: ArrayLike, k: int) -> float:
    """Sum of squared distances from the centred rows of ``X`` to their projections on the top-``k``
    principal subspace.

    >>> pca_reconstruction_error([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]], 1)
    4.0
    """
    data = np.asarray(X, dtype=np.float64)
    centered = data - data.mean(axis=0)
    components, _, _ = pca(data, k)
    residual = centered - centered @ components.T @ components
    return float(np.sum(residual**2))


def linear_ae_loss(W1: ArrayLike, W2: ArrayLike, X: ArrayLike, weight_decay: float = 0.0) -> float:
    """``||X - W2 W1 X||_F^2 + weight_decay (||W1||_F^2 + ||W2||_F^2)``, samples as the columns of ``X``.

    >>> linear_ae_loss([[1.0, 0.0]], [[1.0], [0.0]], [[1.0, 0.0], [0.0, 2.0]])
    4.0
    """
    W1, W2, X = (np.asarray(a, dtype=np.float64) for a in (W1, W2, X))
    residual = X - W2 @ W1 @ X
    return float(np.sum(residual**2) + weight_decay * (np.sum(W1**2) + np.sum(W2**2)))


def linear_ae_gradients(W1: ArrayLike, W2: ArrayLike, X: ArrayLike,
                        weight_decay: float = 0.0) -> tuple[Array, Array]:
    """The gradients of ``linear_ae_loss`` with respect to ``W1`` and ``W2``.

    With ``S = X X^T``: ``2 W2^T (W2 W1 - I) S + 2 wd W1`` and ``2 (W2 W1 - I) S W1^T + 2 wd W2``.

    >>> g1, g2 = linear_ae_gradients([[1.0, 0.0]], [[1.0], [0.0]], [[1.0, 0.0], [0.0, 2.0]])
    >>> g1, g2
    (array([[0., 0.]]), array([[0.],
           [0.]]))
    """
    W1, W2, X = (np.asarray(a, dtype=np.float64) for a in (W1, W2, X))
    S = X @ X.T
    error = W2 @ W1 - np.eye(X.shape[0])
    return 2 * W2.T @ error @ S + 2 * weight_decay * W1, 2 * error @ S @ W1.T + 2 * weight_decay * W2


def imbalance(W1: ArrayLike, W2: ArrayLike) -> Array:
    """``W1 W1^T - W2^T W2``, the ``(k, k)`` matrix that gradient flow without weight decay conserves.

    >>> imbalance([[3.0, 4.0]], [[1.0], [0.0]])
    array([[24.]])
    """
    W1, W2 = np.asarray(W1, dtype=np.float64), np.asarray(W2, dtype=np.float64)
    return W1 @ W1.T - W2.T @ W2


def train_linear_ae(X: ArrayLike, k: int, steps: int, lr: float, weight_decay: float = 0.0,
                    init_scale: float = 0.1, seed: int = 0,
                    record_every: int = 1) -> tuple[Array, Array, list[tuple[Array, Array]]]:
    """Full-batch gradient descent on ``linear_ae_loss`` from a seeded Gaussian initialisation.

    Returns the final ``(W1, W2)`` and the list of ``(W1, W2)`` recorded every ``record_every``
    steps, the initial pair first.

    >>> X = np.diag([2.0, 1.0])
    >>> W1, W2, _ = train_linear_ae(X, 1, 2000, 0.05)
    >>> bool(abs(abs(W2[0, 0] * W1[0, 0]) - 1.0) < 1e-6)
    True
    """
    data = np.asarray(X, dtype=np.float64)
    d = data.shape[0]
    rng = np.random.default_rng(seed)
    W1 = init_scale * rng.standard_normal((k, d))
    W2 = init_scale * rng.standard_normal((d, k))
    history = [(W1.copy(), W2.copy())]
    for step in range(1, steps + 1):
        g1, g2 = linear_ae_gradients(W1, W2, data, weight_decay)
        W1, W2 = W1 - lr * g1, W2 - lr * g2
        if step % record_every == 0:
            history.append((W1.copy(), W2.copy()))
    return W1, W2, history


def balanced_factors(M: ArrayLike, k: int) -> tuple[Array, Array]:
    """The balanced factorisation ``M = W2 W1`` of a matrix of rank at most ``k``: with the SVD
    ``M = U S V^T``, ``W2 = U_k sqrt(S_k)`` and ``W1 = sqrt(S_k) V_k^T``, so ``W1 W1^T = W2^T W2 = S_k``.

    >>> W1, W2 = balanced_factors([[4.0, 0.0], [0.0, 0.0]], 1)
    >>> np.abs(W1), np.abs(W2)
    (array([[2., 0.]]), array([[2.],
           [0.]]))
    """
    U, s, Vt = np.linalg.svd(np.asarray(M, dtype=np.float64))
    root = np.sqrt(s[:k])
    return root[:, None] * Vt[:k], U[:, :k] * root


def nuclear_norm(M: ArrayLike) -> float:
    """The sum of the singular values of ``M``.

    >>> nuclear_norm([[3.0, 0.0], [0.0, -4.0]])
    7.0
    """
    return float(np.sum(np.linalg.svd(np.asarray(M, dtype=np.float64), compute_uv=False)))


def weight_decay_optimum(S: ArrayLike, k: int, weight_decay: float) -> tuple[Array, Array]:
    """A global minimiser ``(W1, W2)`` of ``linear_ae_loss`` with weight decay, for ``S = X X^T``:
    ``W2 = U_k diag(sqrt(max(0, 1 - wd / lambda_i)))``, ``W1 = W2^T``.

    >>> W1, W2 = weight_decay_optimum([[4.0, 0.0], [0.0, 1.0]], 1, 1.0)
    >>> np.abs(W2).round(6)
    array([[0.866025],
           [0.      ]])
    """
    values, U = top_eigenvectors(S, k)
    scale = np.sqrt(np.clip(1.0 - weight_decay / values, 0.0, None))
    W2 = U * scale
    return W2.T.copy(), W2


def denoising_risk(M: ArrayLike, Sigma: ArrayLike, noise_variance: float) -> float:
    """``E ||x - M (x + e)||^2`` for zero-mean ``x`` with covariance ``Sigma`` and independent
    ``e ~ N(0, noise_variance I)``: ``tr((I - M) Sigma (I - M)^T) + noise_variance tr(M M^T)``.

    >>> denoising_risk([[0.5]], [[1.0]], 1.0)
    0.5
    """
    M, Sigma = np.asarray(M, dtype=np.float64), np.asarray(Sigma, dtype=np.float64)
    residual = np.eye(Sigma.shape[0]) - M
    return float(np.trace(residual @ Sigma @ residual.T) + noise_variance * np.trace(M @ M.T))


def denoising_optimum(Sigma: ArrayLike, noise_variance: float) -> Array:
    """The linear map minimising ``denoising_risk``: ``Sigma (Sigma + noise_variance I)^{-1}``.

    >>> denoising_optimum([[3.0]], 1.0)
    array([[0.75]])
    """
    Sigma = np.asarray(Sigma, dtype=np.float64)
    # Sigma and (Sigma + s I) commute, so solving from either side gives the same symmetric matrix.
    return np.linalg.solve(Sigma + noise_variance * np.eye(Sigma.shape[0]), Sigma)


def empirical_denoiser(Sigma: ArrayLike, noise_variance: float, samples: int, seed: int = 0) -> Array:
    """The least-squares linear fit of clean ``x ~ N(0, Sigma)`` on noisy ``x + e`` over ``samples`` draws:
    the denoising autoencoder's linear optimum estimated from data.

    >>> M = empirical_denoiser([[3.0]], 1.0, 200_000)
    >>> bool(abs(M[0, 0] - 0.75) < 0.01)
    True
    """
    Sigma = np.asarray(Sigma, dtype=np.float64)
    rng = np.random.default_rng(seed)
    d = Sigma.shape[0]
    x = rng.multivariate_normal(np.zeros(d), Sigma, size=samples)
    noisy = x + np.sqrt(noise_variance) * rng.standard_normal((samples, d))
    coefficients, *_ = np.linalg.lstsq(noisy, x, rcond=None)
    return coefficients.T


def demo_data(d: int = 6, n: int = 400, seed: int = 0) -> Array:
    """A ``(d, n)`` centred Gaussian sample (columns) with distinct variances ``d, d - 1, ..., 1``
    along a random orthonormal basis: the data the pages' experiments train on."""
    rng = np.random.default_rng(seed)
    basis, _ = np.linalg.qr(rng.standard_normal((d, d)))
    X = basis @ (np.sqrt(np.arange(d, 0, -1.0))[:, None] * rng.standard_normal((d, n)))
    return X - X.mean(axis=1, keepdims=True)


def pca_training_figure() -> Figure:
    """A linear autoencoder (d = 6, k = 2) trained by gradient descent: the largest principal angle
    between its decoder's column space and the top-2 principal subspace, and its loss against the
    Eckart-Young floor (the sum of the discarded eigenvalues of X X^T)."""
    from matplotlib.figure import Figure

    X = demo_data()
    S = X @ X.T
    eigenvalues = np.sort(np.linalg.eigvalsh(S))[::-1]
    _, U_k = top_eigenvectors(S, 2)
    lr = 0.1 / eigenvalues[0]
    W1, W2, history = train_linear_ae(X, 2, 1000, lr, record_every=10)
    steps = np.arange(len(history)) * 10
    angles = [np.degrees(principal_angles(W2_t, U_k)[-1]) for _, W2_t in history]
    losses = [linear_ae_loss(W1_t, W2_t, X) for W1_t, W2_t in history]
    floor = eigenvalues[2:].sum()
    fig = Figure(figsize=(6.4, 3.0))
    left, right = fig.subplots(1, 2)
    left.semilogy(steps, angles, color="C0", lw=1.8)
    left.set_xlabel("gradient step")
    left.set_ylabel("largest principal angle (degrees)")
    left.set_title("decoder subspace vs PCA")
    right.semilogy(steps, np.array(losses) / floor - 1.0, color="C1", lw=1.8)
    right.set_xlabel("gradient step")
    right.set_ylabel("loss / floor − 1")
    right.set_title("loss above the Eckart–Young floor")
    for ax in (left, right):
        ax.grid(True)
    return fig


def optimal_encoder(W2: ArrayLike) -> Array:
    """The encoder that zeroes the encoder gradient for a fixed decoder of full column rank:
    the pseudo-inverse ``(W2^T W2)^{-1} W2^T``.

    >>> optimal_encoder([[2.0], [0.0]])
    array([[0.5, 0. ]])
    """
    W2 = np.asarray(W2, dtype=np.float64)
    return np.linalg.solve(W2.T @ W2, W2.T)


def pca_axes_figure() -> Figure:
    """A correlated 2-D Gaussian cloud with its two principal axes drawn from the mean, each of
    length two standard deviations along it (2 sqrt(lambda_j)), and the projections of a few
    points onto the first axis."""
    from matplotlib.figure import Figure

    rng = np.random.default_rng(3)
    cov = np.array([[3.0, 1.6], [1.6, 1.4]])
    X = rng.multivariate_normal([1.0, 0.5], cov, size=300)
    components, variance, mean = pca(X, 2)
    fig = Figure(figsize=(5.2, 3.6))
    ax = fig.subplots()
    ax.scatter(X[:, 0], X[:, 1], s=8, color="C0", alpha=0.45, label="samples")
    for j, (v, lam) in enumerate(zip(components, variance)):
        tip = mean + 2 * np.sqrt(lam) * v
        ax.annotate("", xy=tuple(tip), xytext=tuple(mean),
                    arrowprops=dict(arrowstyle="-|>", color=f"C{j + 1}", lw=2.2))
        ax.plot([], [], color=f"C{j + 1}", lw=2.2, label=f"PC{j + 1}: variance {lam:.2f}")
    v1 = components[0]
    for x in X[:6]:
        foot = mean + ((x - mean) @ v1) * v1
        ax.plot([x[0], foot[0]], [x[1], foot[1]], color="C3", lw=0.9, ls=":")
    ax.axline(tuple(mean), tuple(mean + v1), color="C1", lw=0.8, ls="--")
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="upper left", fontsize=9)
    ax.grid(True)
    return fig


def balance_figure() -> Figure:
    """Left: how far the imbalance ``W1 W1^T - W2^T W2`` drifts from its initial value during gradient
    descent without weight decay, for three step sizes run to the same time ``t = steps * lr``
    (the drift halves with the step: it is O(lr), gradient flow's is 0). Right: the distance
    ``||W1 - W2^T||_F`` without and with weight decay."""
    from matplotlib.figure import Figure

    X = demo_data(6, 400, 0) / np.sqrt(400)  # scatter matrix X X^T = sample covariance
    horizon = 4.0
    fig = Figure(figsize=(6.4, 3.0))
    left, right = fig.subplots(1, 2)
    for j, lr in enumerate((0.02, 0.01, 0.005)):
        every = max(1, int(0.04 / lr))
        _, _, history = train_linear_ae(X, 2, int(horizon / lr), lr, init_scale=0.5, seed=1, record_every=every)
        start = imbalance(*history[0])
        drift = [np.linalg.norm(imbalance(*pair) - start) for pair in history]
        left.plot(np.arange(len(history)) * every * lr, drift, color=f"C{j}", lw=1.8, label=f"step {lr:g}")
    left.set_xlabel("time $t$ = steps × step size")
    left.set_ylabel("$\\|D_t - D_0\\|_F$")
    left.set_title("imbalance drift, no decay")
    left.legend(fontsize=9, loc="center right", bbox_to_anchor=(1.0, 0.72))
    for j, decay in enumerate((0.0, 0.5)):
        _, _, history = train_linear_ae(X, 2, 4000, 0.02, weight_decay=decay, init_scale=0.5, seed=1, record_every=20)
        gap = [max(np.linalg.norm(W1 - W2.T), 1e-16) for W1, W2 in history]
        right.semilogy(np.arange(len(history)) * 20, gap, color=f"C{j + 3}", lw=1.8, label=f"weight decay {decay:g}")
    right.set_xlabel("gradient step")
    right.set_ylabel("$\\|W_1 - W_2^\\top\\|_F$")
    right.set_title("encoder vs decoder transpose")
    right.legend(fontsize=9)
    for ax in (left, right):
        ax.grid(True)
    return fig


def circle_points(n: int) -> Array:
    """``n`` equally spaced points on the unit circle, as the columns of a ``(2, n)`` matrix.

    >>> circle_points(4).round(12)
    array([[ 1.,  0., -1., -0.],
           [ 0.,  1.,  0., -1.]])
    """
    angle = 2 * np.pi * np.arange(n) / n
    return np.stack([np.cos(angle), np.sin(angle)])


def angle_autoencoder(X: ArrayLike) -> Array:
    """A nonlinear autoencoder with a one-number code for points on the unit circle: the encoder
    is the angle ``atan2(x2, x1)``, the decoder ``(cos z, sin z)``; it rebuilds every such point.

    >>> angle_autoencoder([[0.0], [1.0]]).round(12)
    array([[0.],
           [1.]])
    """
    X = np.asarray(X, dtype=np.float64)
    code = np.arctan2(X[1], X[0])
    return np.stack([np.cos(code), np.sin(code)])


def gaussian_draws(Sigma: ArrayLike, samples: int, seed: int) -> Array:
    """``samples`` draws of ``N(0, Sigma)``, shape ``(samples, d, 1)``: one column vector per draw."""
    Sigma = np.asarray(Sigma, dtype=np.float64)
    rng = np.random.default_rng(seed)
    return rng.multivariate_normal(np.zeros(Sigma.shape[0]), Sigma, size=samples)[:, :, None]


def practice_figure() -> Figure:
    """Left: points on a circle, their best one-dimensional linear reconstruction (a projection onto
    a line) and the exact reconstruction by the angle code. Right: the factor by which the linear
    denoising optimum scales each principal direction, lambda / (lambda + noise variance), against
    the direction's variance lambda, for three noise levels."""
    from matplotlib.figure import Figure

    X = circle_points(12)
    _, U = top_eigenvectors(X @ X.T, 1)
    linear = U @ U.T @ X
    fig = Figure(figsize=(6.4, 3.1))
    left, right = fig.subplots(1, 2, width_ratios=[1.0, 1.3])
    left.scatter(*X, s=30, color="C0", zorder=3, label="data")
    left.scatter(*linear, s=30, color="C1", marker="x", zorder=3, label="linear code (PCA)")
    for x, y in zip(X.T, linear.T):
        left.plot([x[0], y[0]], [x[1], y[1]], color="C1", lw=0.8, ls=":")
    rebuilt = angle_autoencoder(X)
    left.scatter(*rebuilt, s=80, facecolors="none", edgecolors="C2", zorder=2, label="angle code")
    left.set_aspect("equal")
    left.set_xlim(-1.4, 1.4)
    left.set_ylim(-1.9, 1.4)
    left.set_xticks([-1, 0, 1])
    left.set_yticks([-1, 0, 1])
    left.legend(loc="lower center", fontsize=8.5, ncols=1, handletextpad=0.3)
    left.set_title("one-number codes")
    variance = np.linspace(0.0, 5.0, 200)
    for j, noise in enumerate((0.25, 1.0, 4.0)):
        right.plot(variance, variance / (variance + noise), color=f"C{j + 3}", lw=1.8, label=f"$\\sigma^2 = {noise:g}$")
    right.set_xlabel("variance $\\lambda_i$ of a direction")
    right.set_ylabel("scale factor of $M^\\star$")
    right.set_title("linear denoising shrinks")
    right.set_ylim(0, 1.05)
    right.legend(fontsize=9, loc="lower right")
    for ax in (left, right):
        ax.grid(True)
    return fig


def linear_ae_min_loss(X: ArrayLike, k: int) -> float:
    """The smallest ``linear_ae_loss`` with a ``k``-unit code, reached at ``W1 = U_k^T``, ``W2 = U_k``
    (samples as the columns of ``X``).

    >>> linear_ae_min_loss([[2.0, -2.0, 0.0, 0.0], [0.0, 0.0, 1.0, -1.0]], 1)
    2.0
    """
    X = np.asarray(X, dtype=np.float64)
    _, U = top_eigenvectors(X @ X.T, k)
    return linear_ae_loss(U.T, U, X)


def fit_linear_ae(X: ArrayLike, k: int, steps: int = 2000, weight_decay: float = 0.0,
                  seed: int = 0) -> tuple[Array, Array]:
    """Train a linear autoencoder by gradient descent with step ``0.1 / lambda_1`` (``lambda_1`` the largest
    eigenvalue of ``X X^T``, so that the step is stable) from a small random start; returns ``(W1, W2)``.

    >>> W1, W2 = fit_linear_ae(np.diag([2.0, 1.0]), 1)
    >>> bool(abs(abs(W2[0, 0] * W1[0, 0]) - 1.0) < 1e-6)
    True
    """
    data = np.asarray(X, dtype=np.float64)
    lam = float(np.linalg.eigvalsh(data @ data.T)[-1])
    W1, W2, _ = train_linear_ae(data, k, steps, 0.1 / lam, weight_decay=weight_decay, seed=seed,
                                record_every=steps + 1)
    return W1, W2
