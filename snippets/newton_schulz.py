"""Newton–Schulz orthogonalisation, the inner loop of the Muon optimizer.

An odd matrix polynomial ``p(X) = a X + b (X X^T) X + c (X X^T)^2 X`` acts on
the singular values of ``X = U diag(s) V^T`` one by one, ``p(X) = U diag(p(s)) V^T``,
and leaves ``U`` and ``V`` alone. Iterating a polynomial whose scalar map drives
every value in ``(0, 1]`` towards 1 therefore approaches the orthogonal polar
factor ``U V^T`` using matrix products only. The cubic ``(3/2, -1/2, 0)``
converges to it; Muon's quintic ``(3.4445, -4.7750, 2.0315)`` trades exact
convergence for a steep start and stops in a band around 1.

The module also counts the floating-point operations of one step, so the
page's cost formulas can be checked against an explicit tally.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

CUBIC: tuple[float, float, float] = (1.5, -0.5, 0.0)
MUON_QUINTIC: tuple[float, float, float] = (3.4445, -4.7750, 2.0315)


def ns_polynomial(sigma: ArrayLike, coeffs: tuple[float, float, float] = CUBIC) -> NDArray[np.float64]:
    """The scalar map ``p(s) = a s + b s^3 + c s^5`` that one step applies to every singular value.

    >>> float(ns_polynomial(1.0))
    1.0
    >>> round(float(ns_polynomial(1.0, MUON_QUINTIC)), 4)
    0.701
    """
    a, b, c = coeffs
    s = np.asarray(sigma, dtype=np.float64)
    return a * s + b * s**3 + c * s**5


def ns_step(X: ArrayLike, coeffs: tuple[float, float, float] = CUBIC) -> NDArray[np.float64]:
    """One Newton–Schulz step ``a X + b (X X^T) X + c (X X^T)^2 X``, with the Gram matrix on the smaller side.

    ``X X^T`` is ``m x m`` for an ``m x n`` matrix; when ``m > n`` the same
    polynomial is evaluated as ``a X + X (b X^T X + c (X^T X)^2)``, which is
    the identical matrix (``(X X^T)^k X = X (X^T X)^k``) at a cost of ``n x n`` products.
    """
    X = np.asarray(X, dtype=np.float64)
    a, b, c = coeffs
    if X.shape[0] > X.shape[1]:
        return ns_step(X.T, coeffs).T
    A = X @ X.T
    B = b * A + c * (A @ A)
    return a * X + B @ X


def newton_schulz(
    G: ArrayLike, steps: int = 5, coeffs: tuple[float, float, float] = MUON_QUINTIC,
    normalize: str = "fro", eps: float = 1e-7,
) -> NDArray[np.float64]:
    """Run ``steps`` Newton–Schulz steps on ``G`` scaled by its Frobenius (``"fro"``) or spectral (``"2"``) norm.

    Muon divides by the Frobenius norm (cheap, and an upper bound on the
    spectral norm, so every singular value starts in ``[0, 1]``); ``eps``
    keeps a zero matrix at zero instead of dividing by zero.
    """
    G = np.asarray(G, dtype=np.float64)
    scale = np.linalg.norm(G, "fro") if normalize == "fro" else np.linalg.norm(G, 2)
    X = G / (scale + eps)
    for _ in range(steps):
        X = ns_step(X, coeffs)
    return X


def ns_singular_value_paths(
    G: ArrayLike, steps: int, coeffs: tuple[float, float, float] = MUON_QUINTIC,
) -> NDArray[np.float64]:
    """Singular values (descending) of the Frobenius-normalised ``G`` and of each of ``steps`` iterates; row ``t`` is step ``t``."""
    G = np.asarray(G, dtype=np.float64)
    X = G / np.linalg.norm(G, "fro")
    rows = [np.linalg.svd(X, compute_uv=False)]
    for _ in range(steps):
        X = ns_step(X, coeffs)
        rows.append(np.linalg.svd(X, compute_uv=False))
    return np.array(rows)


def polar_factor(G: ArrayLike, tol: float = 1e-12) -> NDArray[np.float64]:
    """``U V^T`` from the thin SVD of ``G``, keeping only singular values above ``tol * max``.

    For full-rank ``G`` this is the orthogonal polar factor; for a
    rank-deficient one it is the partial isometry on ``G``'s row and column
    spaces, which is what Newton–Schulz converges to (zero singular values stay zero).
    """
    U, s, Vt = np.linalg.svd(np.asarray(G, dtype=np.float64), full_matrices=False)
    keep = s > tol * (s[0] if s.size else 0.0)
    return U[:, keep] @ Vt[keep]


def matmul_flops(m: int, p: int, n: int) -> int:
    """Exact flops of an ``(m x p) @ (p x n)`` product: ``m n`` outputs, each ``p`` multiplies and ``p - 1`` adds."""
    return m * n * (2 * p - 1)


def ns_step_flops(m: int, n: int, quintic: bool = True) -> int:
    """Exact flops of one ``ns_step`` on an ``m x n`` matrix with the Gram matrix formed on the ``m`` side.

    Products ``X X^T``, (quintic only) ``A A``, then ``B X``; scalar
    multiplications and additions are counted too (``a X``, ``b A``, ``c A^2``,
    the sum ``B`` and the final sum).
    """
    gram = matmul_flops(m, n, m)
    apply = matmul_flops(m, m, n)
    if quintic:
        square = matmul_flops(m, m, m)
        elementwise = m * n + 3 * m * m + m * n  # a X; b A, c A^2, their sum; a X + B X
        return gram + square + apply + elementwise
    return gram + apply + m * n + m * m + m * n  # a X; b A; a X + B X (c = 0: no A A)


def _gaussian(shape: tuple[int, int], seed: int) -> NDArray[np.float64]:
    return np.random.default_rng(seed).standard_normal(shape)


def quintic_singular_values(shape: tuple[int, int] = (256, 128), steps: int = 5, seed: int = 0) -> NDArray[np.float64]:
    """Singular values (descending) after ``steps`` quintic steps on a seeded, Frobenius-normalised Gaussian matrix."""
    return np.linalg.svd(newton_schulz(_gaussian(shape, seed), steps, MUON_QUINTIC, eps=0.0), compute_uv=False)


def quintic_band(shape: tuple[int, int] = (256, 128), steps: int = 5, seed: int = 0) -> tuple[float, float]:
    """The smallest and largest singular value after ``steps`` quintic steps on a seeded Gaussian matrix."""
    s = np.linalg.svd(newton_schulz(_gaussian(shape, seed), steps, MUON_QUINTIC, eps=0.0), compute_uv=False)
    return float(s.min()), float(s.max())


def singular_value_maps() -> Figure:
    """Left: the scalar map after five steps, cubic vs quintic, on ``[0.001, 1]``.
    Right: the extreme singular values of a 256 x 128 Gaussian matrix through ten steps."""
    sigma = np.geomspace(1e-3, 1.0, 400)
    fig = Figure(figsize=(6.4, 3.4))
    left, right = fig.subplots(1, 2)
    for coeffs, label, colour in ((CUBIC, "cubic", "C0"), (MUON_QUINTIC, "quintic", "C1")):
        s = sigma.copy()
        for _ in range(5):
            s = ns_polynomial(s, coeffs)
        left.semilogx(sigma, s, color=colour, label=label)
    low, high = quintic_band()
    left.axhspan(low, high, color="C1", alpha=0.15, lw=0)
    left.axhline(1.0, color="C2", lw=1, ls="--", label="1")
    left.set_xlabel("initial singular value")
    left.set_ylabel("after 5 steps")
    left.set_ylim(0, 1.55)
    left.legend(loc="upper left", ncols=3, fontsize=9, handlelength=1.2, columnspacing=0.8)
    G = _gaussian((256, 128), 0)
    steps = np.arange(11)
    for coeffs, label, colour in ((CUBIC, "cubic", "C0"), (MUON_QUINTIC, "quintic", "C1")):
        paths = ns_singular_value_paths(G, 10, coeffs)
        right.fill_between(steps, paths.min(axis=1), paths.max(axis=1), color=colour, alpha=0.25, lw=0)
        right.plot(steps, paths.min(axis=1), "o-", color=colour, ms=3, label=label)
        right.plot(steps, paths.max(axis=1), "o-", color=colour, ms=3)
    right.axhline(1.0, color="C2", lw=1, ls="--")
    right.set_xlabel("Newton\u2013Schulz step")
    right.set_ylabel("min and max singular value")
    right.set_ylim(0, 1.55)
    right.legend(loc="upper left", ncols=2, handlelength=1.2, columnspacing=0.8)
    return fig


def muon_step(
    W: ArrayLike, G: ArrayLike, B: ArrayLike, lr: float, momentum: float = 0.95, steps: int = 5,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One Muon step on a weight matrix: momentum ``B <- momentum B + G``, then ``W <- W - lr NS_steps(B)``.

    Returns the new ``(W, B)``. The plain (non-Nesterov) form with the quintic
    and Frobenius normalisation; implementations differ in Nesterov momentum
    and in a shape-dependent factor on ``lr``, which this function leaves to the caller.
    """
    B_new = momentum * np.asarray(B, dtype=np.float64) + np.asarray(G, dtype=np.float64)
    return np.asarray(W, dtype=np.float64) - lr * newton_schulz(B_new, steps), B_new
