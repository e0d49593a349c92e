"""Monte Carlo estimators of the gradient of an expectation over a Gaussian.

For ``F(mu, sigma) = E[f(x)]`` with ``x ~ N(mu, sigma^2 I_k)`` there are two
unbiased per-sample estimators of ``grad_mu F``: the score-function
(REINFORCE, likelihood-ratio) estimator ``f(x) (x - mu) / sigma^2``, which
needs only values of ``f``, and the reparameterization (pathwise) estimator
``grad f(mu + sigma eps)`` with ``eps ~ N(0, I)``, which needs ``grad f``.
The module draws both, computes the Gaussian log-density and score they rest
on, and gives the exact expectation and per-sample variances for the test
function ``f(x) = ||x||^2`` that the derivation page uses as its example.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Seed = int | np.random.Generator | None

# The derivation page's running example: k = 3, mu = (1, 2, 3), sigma = 0.5.
EXAMPLE_MU = (1.0, 2.0, 3.0)
EXAMPLE_SIGMA = 0.5


def gaussian_draws(mu: ArrayLike, sigma: float, samples: int, seed: Seed = None) -> NDArray[np.float64]:
    """``samples`` draws of ``x ~ N(mu, sigma^2 I_k)``, shape (samples, k).

    >>> gaussian_draws([0.0, 5.0], 0.0, 2, seed=0).tolist()
    [[0.0, 5.0], [0.0, 5.0]]
    """
    m = np.asarray(mu, dtype=np.float64).ravel()
    return m + sigma * np.random.default_rng(seed).standard_normal((samples, m.size))


def gaussian_log_density(x: ArrayLike, mu: ArrayLike, sigma: float) -> NDArray[np.float64] | float:
    """``log p(x)`` for ``x ~ N(mu, sigma^2 I_k)``; ``x`` may hold one point per row.

    >>> round(gaussian_log_density([0.0], [0.0], 1.0), 6)  # -log(2 pi) / 2
    -0.918939
    """
    xx = np.asarray(x, dtype=np.float64)
    m = np.asarray(mu, dtype=np.float64)
    k = m.size
    out = -0.5 * k * np.log(2 * np.pi * sigma**2) - np.sum((xx - m) ** 2, axis=-1) / (2 * sigma**2)
    return float(out) if np.ndim(out) == 0 else out


def gaussian_score_mu(x: ArrayLike, mu: ArrayLike, sigma: float) -> NDArray[np.float64]:
    """``grad_mu log p(x) = (x - mu) / sigma^2``, row by row.

    >>> gaussian_score_mu([3.0, 1.0], [1.0, 1.0], 2.0).tolist()
    [0.5, 0.0]
    """
    return (np.asarray(x, dtype=np.float64) - np.asarray(mu, dtype=np.float64)) / sigma**2


def gaussian_score_sigma(x: ArrayLike, mu: ArrayLike, sigma: float) -> NDArray[np.float64] | float:
    """``d log p(x) / d sigma = ||x - mu||^2 / sigma^3 - k / sigma``, row by row.

    >>> gaussian_score_sigma([2.0], [0.0], 1.0)
    3.0
    """
    xx = np.asarray(x, dtype=np.float64)
    m = np.asarray(mu, dtype=np.float64)
    out = np.sum((xx - m) ** 2, axis=-1) / sigma**3 - m.size / sigma
    return float(out) if np.ndim(out) == 0 else out


def square_norm(x: ArrayLike) -> NDArray[np.float64] | float:
    """The test function ``f(x) = ||x||^2`` (over the last axis).

    >>> square_norm([1.0, 2.0])
    5.0
    """
    out = np.sum(np.atleast_1d(np.asarray(x, dtype=np.float64)) ** 2, axis=-1)
    return float(out) if np.ndim(out) == 0 else out


def square_norm_grad(x: ArrayLike) -> NDArray[np.float64]:
    """``grad f(x) = 2 x`` for ``f(x) = ||x||^2``.

    >>> square_norm_grad([1.0, -2.0]).tolist()
    [2.0, -4.0]
    """
    return 2.0 * np.asarray(x, dtype=np.float64)


def expected_square_norm(mu: ArrayLike, sigma: float) -> float:
    """``F(mu, sigma) = E ||x||^2 = ||mu||^2 + k sigma^2`` in closed form, for ``x ~ N(mu, sigma^2 I_k)``.

    >>> expected_square_norm([1.0, 2.0, 3.0], 0.5)
    14.75
    """
    m = np.asarray(mu, dtype=np.float64).ravel()
    return float(m @ m + m.size * sigma**2)


def score_function_mu_var_1d(mu: float, sigma: float) -> float:
    """Exact per-sample variance of the score-function estimator of ``dF/dmu`` for ``f(x) = x^2``, k = 1:
    ``mu^4 / sigma^2 + 14 mu^2 + 15 sigma^2`` (Gaussian moments up to the sixth).

    >>> score_function_mu_var_1d(0.0, 1.0)
    15.0
    """
    return mu**4 / sigma**2 + 14 * mu**2 + 15 * sigma**2


def score_function_mu_var(mu: ArrayLike, sigma: float) -> NDArray[np.float64]:
    """Exact per-coordinate variance of the score-function estimator ``||x||^2 (x_j - mu_j) / sigma^2``.

    Splits ``||x||^2 = x_j^2 + r`` with ``r`` the other coordinates' squares,
    independent of ``x_j``; then ``E[g_j^2] = (E[x_j^4 e^2] + 2 E[r] E[x_j^2 e^2]
    + E[r^2]) / sigma^2`` with ``e = (x_j - mu_j) / sigma``.
    With k = 1 it reduces to :func:`score_function_mu_var_1d`.

    >>> float(score_function_mu_var([2.0], 1.0)[0]) == score_function_mu_var_1d(2.0, 1.0)
    True
    """
    m = np.asarray(mu, dtype=np.float64)
    s2 = sigma**2
    mean_sq = m**2 + s2  # E[x_i^2]
    var_sq = 4 * m**2 * s2 + 2 * s2**2  # Var(x_i^2)
    r_mean = mean_sq.sum() - mean_sq
    r_second = (var_sq.sum() - var_sq) + r_mean**2
    fourth = m**4 + 18 * m**2 * s2 + 15 * s2**2  # E[x_j^4 e^2]
    second = m**2 + 3 * s2  # E[x_j^2 e^2]
    return (fourth + 2 * r_mean * second + r_second) / s2 - 4 * m**2


def score_function_mu(f, mu: ArrayLike, sigma: float, n: int, rng: Seed = None) -> NDArray[np.float64]:
    """``n`` per-sample score-function estimates ``f(x) (x - mu) / sigma^2`` of ``grad_mu E f(x)``, shape (n, k).

    ``f`` maps an (n, k) array of points to n values.
    """
    m = np.asarray(mu, dtype=np.float64)
    x = m + sigma * np.random.default_rng(rng).standard_normal((n, m.size))
    return f(x)[:, None] * gaussian_score_mu(x, m, sigma)


def reparameterization_mu(grad_f, mu: ArrayLike, sigma: float, n: int, rng: Seed = None) -> NDArray[np.float64]:
    """``n`` per-sample reparameterization estimates ``grad f(mu + sigma eps)``, shape (n, k)."""
    m = np.asarray(mu, dtype=np.float64)
    eps = np.random.default_rng(rng).standard_normal((n, m.size))
    return grad_f(m + sigma * eps)


def score_function_sigma(f, mu: ArrayLike, sigma: float, n: int, rng: Seed = None) -> NDArray[np.float64]:
    """``n`` score-function estimates ``f(x) (||x - mu||^2 / sigma^3 - k / sigma)`` of ``dF/dsigma``."""
    m = np.asarray(mu, dtype=np.float64)
    x = m + sigma * np.random.default_rng(rng).standard_normal((n, m.size))
    return f(x) * gaussian_score_sigma(x, m, sigma)


def reparameterization_sigma(grad_f, mu: ArrayLike, sigma: float, n: int, rng: Seed = None) -> NDArray[np.float64]:
    """``n`` reparameterization estimates ``grad f(mu + sigma eps)^T eps`` of ``dF/dsigma``."""
    m = np.asarray(mu, dtype=np.float64)
    eps = np.random.default_rng(rng).standard_normal((n, m.size))
    return np.sum(grad_f(m + sigma * eps) * eps, axis=-1)


def example_estimates(n: int = 1_000_000, seed: int = 0) -> dict[str, NDArray[np.float64]]:
    """Per-sample estimates of both gradients on the page's example, with common seeds.

    Keys ``sf_mu``, ``rp_mu`` (shape (n, 3)) and ``sf_sigma``, ``rp_sigma`` (shape (n,)).
    """
    mu, sigma = EXAMPLE_MU, EXAMPLE_SIGMA
    return {
        "sf_mu": score_function_mu(square_norm, mu, sigma, n, rng=seed),
        "rp_mu": reparameterization_mu(square_norm_grad, mu, sigma, n, rng=seed + 1),
        "sf_sigma": score_function_sigma(square_norm, mu, sigma, n, rng=seed + 2),
        "rp_sigma": reparameterization_sigma(square_norm_grad, mu, sigma, n, rng=seed + 3),
    }


def variance_ratio(n: int = 1_000_000, seed: int = 0) -> tuple[float, float]:
    """Measured ratios (score function / reparameterization) of the per-sample variances on the example:
    for ``grad_mu`` (summed over coordinates) and for ``dF/dsigma``."""
    e = example_estimates(n, seed)
    mu_ratio = e["sf_mu"].var(axis=0, ddof=1).sum() / e["rp_mu"].var(axis=0, ddof=1).sum()
    sigma_ratio = e["sf_sigma"].var(ddof=1) / e["rp_sigma"].var(ddof=1)
    return float(mu_ratio), float(sigma_ratio)


def estimator_error_vs_samples(sample_counts: ArrayLike = (10, 30, 100, 300, 1000, 3000),
                               repeats: int = 100, seed: int = 0) -> dict[str, NDArray[np.float64]]:
    """Variance (over ``repeats`` independent runs) of the N-sample mean estimate of ``dF/dmu_1``
    on the example, for each N in ``sample_counts``, for both estimators."""
    counts = np.asarray(sample_counts, dtype=int)
    rng = np.random.default_rng(seed)
    sf, rp = [], []
    for n in counts:
        sf_runs = score_function_mu(square_norm, EXAMPLE_MU, EXAMPLE_SIGMA, n * repeats, rng)[:, 0]
        rp_runs = reparameterization_mu(square_norm_grad, EXAMPLE_MU, EXAMPLE_SIGMA, n * repeats, rng)[:, 0]
        sf.append(sf_runs.reshape(repeats, n).mean(axis=1).var(ddof=1))
        rp.append(rp_runs.reshape(repeats, n).mean(axis=1).var(ddof=1))
    return {"counts": counts.astype(np.float64), "score_function": np.array(sf), "reparameterization": np.array(rp)}


def estimator_variance_figure():
    """Log-log plot: variance of the N-sample estimate of dF/dmu_1 against N, both estimators,
    with the exact per-sample variances divided by N as lines."""
    from matplotlib.figure import Figure

    data = estimator_error_vs_samples()
    counts = data["counts"]
    exact_sf = score_function_mu_var(EXAMPLE_MU, EXAMPLE_SIGMA)[0]
    exact_rp = 4 * EXAMPLE_SIGMA**2
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.subplots()
    ax.loglog(counts, data["score_function"], "o", color="C1", label="score function (measured)")
    ax.loglog(counts, exact_sf / counts, "-", color="C1", alpha=0.7, label=f"{exact_sf:.0f} / N (exact)")
    ax.loglog(counts, data["reparameterization"], "s", color="C0", label="reparameterization (measured)")
    ax.loglog(counts, exact_rp / counts, "-", color="C0", alpha=0.7, label=f"{exact_rp:.0f} / N (exact)")
    ax.set_xlabel("samples per estimate N")
    ax.set_ylabel("variance of the estimate of $\\partial F / \\partial \\mu_1$")
    ax.legend(fontsize=9, loc="lower left")
    return fig
