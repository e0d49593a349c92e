"""Denoising diffusion (DDPM): the forward noising process, its closed form, and the noise-prediction loss.

Conventions follow Ho et al. (2020): a variance schedule ``betas`` of length
``T`` (``betas[t - 1]`` is the paper's ``beta_t``), ``alpha_t = 1 - beta_t``,
``alpha_bar_t = prod_{s <= t} alpha_s``. Time ``t = 0`` is clean data; the
one-step kernel is ``q(x_t | x_{t-1}) = N(sqrt(alpha_t) x_{t-1}, beta_t I)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def linear_betas(T: int = 1000, beta_1: float = 1e-4, beta_T: float = 0.02) -> NDArray[np.float64]:
    """The linear schedule of the DDPM paper: ``T`` variances from ``beta_1`` to ``beta_T``.

    >>> linear_betas(3, 0.1, 0.3)
    array([0.1, 0.2, 0.3])
    """
    return np.linspace(beta_1, beta_T, T)


def alpha_bar(betas: ArrayLike) -> NDArray[np.float64]:
    """``alpha_bar_t = prod_{s=1}^{t} (1 - beta_s)`` for ``t = 1..T`` (entry ``t - 1``).

    >>> alpha_bar([0.5, 0.5, 0.2])
    array([0.5 , 0.25, 0.2 ])
    """
    return np.cumprod(1.0 - np.asarray(betas, dtype=np.float64))


def kernel_moments(x0: ArrayLike, betas: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mean and variance of ``x_t`` given ``x_0`` for ``t = 1..T``, by iterating the one-step kernel.

    Each step maps mean ``m`` and variance ``v`` (per coordinate) to
    ``sqrt(1 - beta) m`` and ``(1 - beta) v + beta``, which is exact for a
    Gaussian kernel; no closed form is used, so the result can be compared
    with ``sqrt(alpha_bar) x0`` and ``1 - alpha_bar``. Returns arrays of shape
    ``(T,) + x0.shape``.

    >>> means, variances = kernel_moments(2.0, [0.5, 0.5])
    >>> means.round(4).tolist(), variances.tolist()
    ([1.4142, 1.0], [0.5, 0.75])
    """
    x = np.asarray(x0, dtype=np.float64)
    means, variances = [], []
    m, v = x, np.zeros_like(x)
    for beta in np.asarray(betas, dtype=np.float64):
        m, v = np.sqrt(1.0 - beta) * m, (1.0 - beta) * v + beta
        means.append(m)
        variances.append(v)
    return np.array(means), np.array(variances)


def forward_step(x_prev: ArrayLike, beta: float, z: ArrayLike) -> NDArray[np.float64]:
    """One step of the noising chain: ``x_t = sqrt(1 - beta_t) x_{t-1} + sqrt(beta_t) z_t`` with ``z_t`` standard normal.

    >>> forward_step(np.array([2.0]), 0.36, np.array([1.0]))
    array([2.2])
    """
    return np.sqrt(1.0 - beta) * np.asarray(x_prev, dtype=np.float64) + np.sqrt(beta) * np.asarray(z, dtype=np.float64)


def forward_iterate(x0: ArrayLike, betas: ArrayLike, rng: int | np.random.Generator | None = None) -> NDArray[np.float64]:
    """Sample ``x_T`` by applying the one-step kernel ``T`` times, drawing fresh noise at every step.

    ``x0`` may hold many samples (any shape); each coordinate is noised independently.

    >>> forward_iterate(np.zeros(3), [0.0, 0.0])
    array([0., 0., 0.])
    """
    gen = np.random.default_rng(rng)
    x = np.asarray(x0, dtype=np.float64)
    for beta in np.asarray(betas, dtype=np.float64):
        x = forward_step(x, beta, gen.standard_normal(x.shape))
    return x


def q_sample(x0: ArrayLike, t: int, betas: ArrayLike, eps: ArrayLike) -> NDArray[np.float64]:
    """Jump straight to step ``t``: ``x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) eps``.

    ``eps`` is standard normal noise of ``x0``'s shape; ``t = 0`` returns ``x0``.

    >>> round(float(q_sample(2.0, 2, [0.5, 0.5], 1.0)), 4)
    1.866
    """
    if t == 0:
        return np.asarray(x0, dtype=np.float64)
    ab = alpha_bar(betas)[t - 1]
    return np.sqrt(ab) * np.asarray(x0, dtype=np.float64) + np.sqrt(1.0 - ab) * np.asarray(eps, dtype=np.float64)


def epsilon_loss(eps_model: Callable[[NDArray[np.float64], int], NDArray[np.float64]], x0: ArrayLike, betas: ArrayLike,
                 rng: int | np.random.Generator | None = None) -> float:
    """Monte Carlo estimate of the simple DDPM loss ``E ||eps - eps_model(x_t, t)||^2``.

    ``x0`` is a batch of data points (rows); for each a step ``t`` is drawn
    uniformly from ``1..T`` and fresh noise ``eps``; the squared error is
    summed over coordinates and averaged over the batch.

    >>> epsilon_loss(lambda x, t: np.zeros_like(x), np.zeros((20000, 1)), [0.5, 0.5], rng=0) < 1.05
    True
    """
    gen = np.random.default_rng(rng)
    x = np.asarray(x0, dtype=np.float64)
    b = np.asarray(betas, dtype=np.float64)
    ts = gen.integers(1, len(b) + 1, size=x.shape[0])
    eps = gen.standard_normal(x.shape)
    ab = alpha_bar(b)[ts - 1].reshape((-1,) + (1,) * (x.ndim - 1))
    xt = np.sqrt(ab) * x + np.sqrt(1.0 - ab) * eps
    predicted = np.stack([eps_model(xt[i], int(ts[i])) for i in range(x.shape[0])])
    return float(np.mean(np.sum((eps - predicted).reshape(x.shape[0], -1) ** 2, axis=1)))


def gaussian_optimal_epsilon(xt: ArrayLike, abar: float, data_var: float) -> NDArray[np.float64]:
    """The best possible noise prediction ``E[eps | x_t]`` when the data are ``N(0, data_var I)``.

    With ``x_t = a x_0 + b eps`` (``a = sqrt(abar)``, ``b = sqrt(1 - abar)``)
    everything is jointly Gaussian and the conditional mean is linear:
    ``b / (a^2 data_var + b^2) * x_t``.

    >>> float(gaussian_optimal_epsilon(1.0, 0.0, 1.0))  # pure noise: x_t is eps itself
    1.0
    """
    b2 = 1.0 - abar
    return np.sqrt(b2) / (abar * data_var + b2) * np.asarray(xt, dtype=np.float64)


def gaussian_optimal_epsilon_mse(abar: float, data_var: float, d: int = 1) -> float:
    """Expected squared error ``E ||eps - E[eps | x_t]||^2`` of that best predictor, in ``d`` dimensions.

    Each coordinate contributes ``1 - b^2 / (a^2 data_var + b^2) = a^2 data_var / (a^2 data_var + b^2)``:
    near 0 when noise dominates (``eps`` is almost readable from ``x_t``), near 1 when it is tiny.

    >>> gaussian_optimal_epsilon_mse(0.5, 1.0, d=2)
    1.0
    """
    return float(d * abar * data_var / (abar * data_var + 1.0 - abar))


def two_moons(n: int = 600, rng: int | np.random.Generator | None = 0) -> NDArray[np.float64]:
    """A 2-D toy data set (two interleaved half circles with a little noise), scaled to about unit spread.

    >>> two_moons(10).shape
    (10, 2)
    """
    gen = np.random.default_rng(rng)
    angle = gen.uniform(0.0, np.pi, n)
    upper = gen.random(n) < 0.5
    x = np.where(upper, np.cos(angle), 1.0 - np.cos(angle))
    y = np.where(upper, np.sin(angle), 0.5 - np.sin(angle))
    points = np.column_stack([x - 0.5, y - 0.25]) + 0.05 * gen.standard_normal((n, 2))
    return points / points.std()


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:diffusion.<name>).


def noising_cloud() -> Figure:
    """A 2-D point cloud noised to steps t = 0, 100, 250, 500 and 1000 of the linear DDPM schedule,
    with the mean and standard deviation of the closed form above each panel."""
    from matplotlib.figure import Figure

    betas = linear_betas()
    x0 = two_moons()
    eps = np.random.default_rng(1).standard_normal(x0.shape)
    steps = (0, 100, 250, 500, 1000)
    fig = Figure(figsize=(7.2, 2.3))
    axes = fig.subplots(1, len(steps), sharex=True, sharey=True)
    ab = np.concatenate([[1.0], alpha_bar(betas)])
    for ax, t in zip(axes, steps):
        xt = q_sample(x0, t, betas, eps)
        ax.scatter(xt[:, 0], xt[:, 1], s=3, color="C0", alpha=0.6, linewidths=0)
        ax.set_title(f"$t = {t}$", fontsize=10)
        ax.set_xlabel(f"$\\sqrt{{\\bar\\alpha_t}} = {np.sqrt(ab[t]):.2f}$", fontsize=9)
        ax.set_aspect("equal")
        ax.set_xlim(-3.5, 3.5)
        ax.set_ylim(-3.5, 3.5)
        ax.set_xticks([-3, 0, 3])
        ax.set_yticks([-3, 0, 3])
    return fig
