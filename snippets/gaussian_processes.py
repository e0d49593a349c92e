"""Gaussian processes: sampling the prior and conditioning on observations (GP regression).

A GP is fixed by a mean function ``m`` and a kernel ``k``; on a finite set of
inputs its values are jointly Gaussian with mean ``m(X)`` and covariance
``k(X, X)``. Regression conditions that joint Gaussian on the observed
outputs: ``gaussian_conditional`` is the conditioning of a partitioned
Gaussian, ``gp_posterior`` applies it to training inputs ``X1`` (observed,
optionally with Gaussian noise of variance ``noise``) and test inputs ``X2``.
Linear systems are solved with a Cholesky factorization, never an inverse.
Conventions match scikit-learn's ``GaussianProcessRegressor`` with a fixed
kernel (``optimizer=None``), whose ``alpha`` is the noise variance.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import cho_factor, cho_solve

from snippets.kernels import as_points, rbf_kernel

Kernel = Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]]
MeanFunction = Callable[[NDArray[np.float64]], NDArray[np.float64]]


def rbf(length_scale: float) -> Kernel:
    """The RBF kernel with a fixed length-scale, as a function of two point sets."""
    return lambda X, Y: rbf_kernel(X, Y, length_scale)


def zero_mean(X: NDArray[np.float64]) -> NDArray[np.float64]:
    """The usual prior mean function, ``m(x) = 0``."""
    return np.zeros(as_points(X).shape[0])


def sample_gp_prior(
    X: ArrayLike, kernel: Kernel, n_samples: int, rng: int | np.random.Generator | None = None,
    mean: MeanFunction = zero_mean, jitter: float = 1e-9,
) -> NDArray[np.float64]:
    """Draws of ``(f(x_1), ..., f(x_n))`` from the GP prior, one draw a row.

    The covariance ``k(X, X)`` of nearby points is numerically singular, so a
    small ``jitter`` is added to its diagonal before the Cholesky factor
    (the draws then carry independent noise of that variance).

    >>> draws = sample_gp_prior(np.linspace(0, 1, 5), rbf(0.5), 3, rng=0)
    >>> draws.shape
    (3, 5)
    """
    points = as_points(X)
    K = kernel(points, points) + jitter * np.eye(points.shape[0])
    L = np.linalg.cholesky(K)
    z = np.random.default_rng(rng).standard_normal((n_samples, points.shape[0]))
    return mean(points)[None, :] + z @ L.T


def gaussian_conditional(
    mu1: ArrayLike, mu2: ArrayLike, S11: ArrayLike, S12: ArrayLike, S22: ArrayLike, y1: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mean and covariance of ``y2`` given ``y1`` for a jointly Gaussian ``(y1, y2)``.

    ``mu_{2|1} = mu2 + S21 S11^{-1} (y1 - mu1)`` and
    ``S_{2|1} = S22 - S21 S11^{-1} S12`` with ``S21 = S12^T``; ``S11`` must be
    positive definite.

    >>> m, S = gaussian_conditional([0.0], [0.0], [[1.0]], [[0.5]], [[1.0]], [2.0])
    >>> m.tolist(), S.tolist()
    ([1.0], [[0.75]])
    """
    factor = cho_factor(np.asarray(S11, dtype=np.float64), lower=True)
    S12_ = np.asarray(S12, dtype=np.float64)
    residual = np.asarray(y1, dtype=np.float64) - np.asarray(mu1, dtype=np.float64)
    mean = np.asarray(mu2, dtype=np.float64) + S12_.T @ cho_solve(factor, residual)
    cov = np.asarray(S22, dtype=np.float64) - S12_.T @ cho_solve(factor, S12_)
    return mean, (cov + cov.T) / 2.0  # symmetric up to round-off, as a covariance must be


def gp_posterior(
    X1: ArrayLike, y1: ArrayLike, X2: ArrayLike, length_scale: float = 1.0, noise: float = 0.0,
    kernel: Kernel | None = None, mean: MeanFunction = zero_mean,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Posterior mean and covariance of the latent ``f(X2)`` given observations ``y1`` at ``X1``.

    The prior is a GP with mean function ``mean`` and ``kernel`` (default: RBF
    with ``length_scale``); the observations are ``y1 = f(X1) + noise``, the
    noise Gaussian with variance ``noise`` (``0``: exact values, and the
    posterior mean interpolates them). For predicting new *noisy*
    observations, add ``noise * I`` to the returned covariance.

    >>> m, S = gp_posterior([0.0, 1.0], [1.0, -1.0], [0.0, 0.5, 1.0])
    >>> m.round(6).tolist()
    [1.0, 0.0, -1.0]
    >>> np.diag(S).round(6).tolist()
    [0.0, 0.030456, 0.0]
    """
    k = rbf(length_scale) if kernel is None else kernel
    A, B = as_points(X1), as_points(X2)
    S11 = k(A, A) + noise * np.eye(A.shape[0])
    return gaussian_conditional(mean(A), mean(B), S11, k(A, B), k(B, B), y1)


def gp_weights(
    X1: ArrayLike, y1: ArrayLike, length_scale: float = 1.0, noise: float = 0.0, kernel: Kernel | None = None,
    mean: MeanFunction = zero_mean,
) -> NDArray[np.float64]:
    """The coefficients ``alpha = (k(X1, X1) + noise I)^{-1} (y1 - m(X1))``, one per training point.

    The posterior mean is ``m(x) + sum_i alpha_i k(x, x_i)``: a combination of
    kernel functions centred on the data, as in kernel ridge regression.

    >>> gp_weights([0.0], [2.0], noise=1.0).round(12).tolist()
    [1.0]
    """
    k = rbf(length_scale) if kernel is None else kernel
    A = as_points(X1)
    factor = cho_factor(k(A, A) + noise * np.eye(A.shape[0]), lower=True)
    return cho_solve(factor, np.asarray(y1, dtype=np.float64) - mean(A))


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:gaussian_processes.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TRAIN_X = np.array([-3.2, -1.9, -0.4, 0.9, 2.6])


def _truth(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.sin(1.3 * x) + 0.3 * x


def prior_samples() -> Figure:
    """Three draws from a zero-mean GP prior with an RBF kernel, for three length-scales:
    the length-scale sets how fast the functions wiggle; the band is +-2 prior standard deviations."""
    from matplotlib.figure import Figure

    x = np.linspace(-4.0, 4.0, 200)
    fig = Figure(figsize=(6.4, 2.8))
    axes = fig.subplots(1, 3, sharey=True)
    for ax, ell in zip(axes, (0.3, 1.0, 3.0)):
        ax.fill_between(x, -2.0, 2.0, color="C0", alpha=0.12, lw=0)
        for i, draw in enumerate(sample_gp_prior(x, rbf(ell), 3, rng=1)):
            ax.plot(x, draw, color=f"C{i + 1}", lw=1.4)
        ax.set_title(f"$\\ell = {ell}$")
        ax.set_xlabel("$x$")
    axes[0].set_ylabel("$f(x)$")
    axes[0].set_ylim(-3.2, 3.2)
    return fig


def _posterior_panel(ax: Axes, noise: float, y1: NDArray[np.float64], title: str) -> None:
    x = np.linspace(-4.0, 4.0, 200)
    mean, cov = gp_posterior(TRAIN_X, y1, x, length_scale=1.0, noise=noise)
    sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    ax.fill_between(x, mean - 2 * sd, mean + 2 * sd, color="C0", alpha=0.2, lw=0, label="mean $\\pm$ 2 sd")
    ax.plot(x, _truth(x), color="black", lw=1.0, ls="--", label="true $f$")
    draws = np.random.default_rng(2).multivariate_normal(mean, cov + 1e-9 * np.eye(x.size), 2,
                                                         method="cholesky")
    for i, draw in enumerate(draws):
        ax.plot(x, draw, color=f"C{i + 2}", lw=0.9, alpha=0.9)
    ax.plot(x, mean, color="C0", lw=1.8, label="posterior mean")
    ax.plot(TRAIN_X, y1, "o", color="C1", ms=6, zorder=5, label="observations")
    ax.set_title(title)
    ax.set_xlabel("$x$")
    ax.set_ylim(-3.5, 3.5)


def posterior_noiseless() -> Figure:
    """GP posterior after five exact observations: the mean passes through every point and the
    +-2 sd band pinches to zero width there, widening again between and beyond the data."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.subplots()
    _posterior_panel(ax, 0.0, _truth(TRAIN_X), "noiseless observations ($\\sigma^2 = 0$)")
    ax.set_ylabel("$f(x)$")
    ax.legend(loc="lower right", ncols=2, fontsize=9)
    return fig


def posterior_noisy() -> Figure:
    """The same five inputs observed with noise, conditioned without and with the noise term:
    with sigma^2 in the model the mean no longer interpolates and the band keeps a width at the data."""
    from matplotlib.figure import Figure

    noisy = _truth(TRAIN_X) + np.array([0.45, -0.4, 0.35, -0.5, 0.4])
    fig = Figure(figsize=(6.4, 3.2))
    axes = fig.subplots(1, 2, sharey=True)
    _posterior_panel(axes[0], 0.0, noisy, "noise ignored ($\\sigma^2 = 0$)")
    _posterior_panel(axes[1], 0.25, noisy, "noise modelled ($\\sigma^2 = 0.25$)")
    axes[0].set_ylabel("$f(x)$")
    axes[1].legend(loc="lower right", fontsize=8.5)
    return fig
