"""Guidance for diffusion models: classifier guidance, classifier-free guidance and CLIP guidance, on toy 2-D models.

Every density here is a mixture of isotropic Gaussians, so its score
``grad log p`` is known exactly, and so is the score of its noised version
at any step of the forward process (the mixture of the noised components).
The samplers therefore run the exact reverse diffusion of a known
distribution, with no trained network: what the figures show is the effect
of the guidance rule alone.

Conventions: points are rows of ``x`` (shape ``(n, 2)`` or ``(2,)``); a
mixture is ``(means, variances, weights)`` with one isotropic variance per
component.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.diffusion import alpha_bar, linear_betas

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def classifier_guided_mean(mu: ArrayLike, Sigma: ArrayLike, grad_log_p: ArrayLike, s: float) -> NDArray[np.float64]:
    """Dhariwal & Nichol's guided reverse-step mean ``mu + s Sigma grad log p(y | x_t)``.

    ``Sigma`` is the reverse step's covariance (a matrix, or a scalar for
    ``sigma^2 I``); ``s = 0`` leaves the unguided mean.

    >>> classifier_guided_mean([0.0, 0.0], 0.5, [1.0, -2.0], s=2.0)
    array([ 1., -2.])
    """
    S = np.asarray(Sigma, dtype=np.float64)
    g = np.asarray(grad_log_p, dtype=np.float64)
    step = S * g if S.ndim == 0 else g @ S.T
    return np.asarray(mu, dtype=np.float64) + s * step


def cfg_epsilon(eps_uncond: ArrayLike, eps_cond: ArrayLike, s: float) -> NDArray[np.float64]:
    """Classifier-free guidance: ``eps(x|null) + s (eps(x|y) - eps(x|null))``; ``s = 1`` is the conditional model.

    >>> cfg_epsilon([0.0, 1.0], [1.0, 1.0], s=3.0)
    array([3., 1.])
    """
    u = np.asarray(eps_uncond, dtype=np.float64)
    return u + s * (np.asarray(eps_cond, dtype=np.float64) - u)


def _component_log_terms(x: NDArray[np.float64], means: NDArray[np.float64], variances: NDArray[np.float64],
                         weights: NDArray[np.float64]) -> NDArray[np.float64]:
    # log(w_j N(x; m_j, v_j I)) for every point (rows) and component (columns)
    d = means.shape[1]
    sq = np.sum((x[..., None, :] - means) ** 2, axis=-1)
    return np.log(weights) - 0.5 * sq / variances - 0.5 * d * np.log(2 * np.pi * variances)


def _logsumexp(a: NDArray[np.float64], axis: int = -1) -> NDArray[np.float64]:
    top = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(top, axis) + np.log(np.sum(np.exp(a - top), axis=axis))


def gmm_log_density(x: ArrayLike, means: ArrayLike, variances: ArrayLike, weights: ArrayLike) -> NDArray[np.float64]:
    """``log p(x)`` of a mixture of isotropic Gaussians, for each point (row) of ``x``.

    >>> round(float(gmm_log_density([0.0, 0.0], [[0.0, 0.0]], [1.0], [1.0])), 6)  # -log(2 pi)
    -1.837877
    """
    xs = np.asarray(x, dtype=np.float64)
    m, v, w = (np.asarray(a, dtype=np.float64) for a in (means, variances, weights))
    return _logsumexp(_component_log_terms(xs, m, v, w / w.sum()))


def gmm_score(x: ArrayLike, means: ArrayLike, variances: ArrayLike, weights: ArrayLike) -> NDArray[np.float64]:
    """The score ``grad_x log p(x)`` of the mixture: responsibilities times ``(m_j - x) / v_j``, summed.

    >>> gmm_score([1.0, 2.0], [[0.0, 0.0]], [2.0], [1.0])
    array([-0.5, -1. ])
    """
    xs = np.asarray(x, dtype=np.float64)
    m, v, w = (np.asarray(a, dtype=np.float64) for a in (means, variances, weights))
    terms = _component_log_terms(xs, m, v, w / w.sum())
    resp = np.exp(terms - _logsumexp(terms)[..., None])
    return np.sum(resp[..., None] * (m - xs[..., None, :]) / v[:, None], axis=-2)


def class_log_posterior(x: ArrayLike, class_means: ArrayLike, sigma2: float) -> NDArray[np.float64]:
    """``log p(y | x)`` for every class, when class ``y`` is ``N(m_y, sigma2 I)`` and the classes are equally likely.

    A softmax of ``-||x - m_y||^2 / (2 sigma2)`` over the classes (last axis).

    >>> np.exp(class_log_posterior([0.0, 0.0], [[1.0, 0.0], [-1.0, 0.0]], 1.0))
    array([0.5, 0.5])
    """
    xs = np.asarray(x, dtype=np.float64)
    m = np.asarray(class_means, dtype=np.float64)
    logits = -0.5 * np.sum((xs[..., None, :] - m) ** 2, axis=-1) / sigma2
    return logits - _logsumexp(logits)[..., None]


def class_log_posterior_grad(x: ArrayLike, y: int, class_means: ArrayLike, sigma2: float) -> NDArray[np.float64]:
    """Analytic ``grad_x log p(y | x)`` of that model: ``(m_y - sum_k p(k | x) m_k) / sigma2``.

    It points from the posterior-weighted average of the class means towards
    the target class's mean, and vanishes once the classifier is certain.

    >>> class_log_posterior_grad([0.0, 0.0], 0, [[1.0, 0.0], [-1.0, 0.0]], 1.0)
    array([1., 0.])
    """
    m = np.asarray(class_means, dtype=np.float64)
    p = np.exp(class_log_posterior(x, m, sigma2))
    return (m[y] - p @ m) / sigma2


def clip_guidance_grad(x: ArrayLike, A: ArrayLike, text_embedding: ArrayLike) -> NDArray[np.float64]:
    """``grad_x (f(x) . g(c))`` for the toy image encoder ``f(x) = tanh(A x)`` and a fixed caption embedding ``g(c)``.

    By the chain rule: ``A^T (g(c) * (1 - tanh(A x)^2))``.

    >>> clip_guidance_grad([0.0, 0.0], np.eye(2), [1.0, -1.0])
    array([ 1., -1.])
    """
    a = np.asarray(A, dtype=np.float64)
    h = np.tanh(a @ np.asarray(x, dtype=np.float64))
    return a.T @ (np.asarray(text_embedding, dtype=np.float64) * (1.0 - h**2))


# --- The toy two-class data set of the figures -------------------------------------------

TOY_MEANS = np.array([[-1.2, 0.6], [1.2, 0.6], [-0.6, -0.3], [0.6, -0.3]])
TOY_VARIANCES = np.array([0.15, 0.15, 0.15, 0.15])
TOY_CLASSES = np.array([1, 1, 0, 0])  # class 1 (the target in the figures): the upper pair of blobs


def toy_mixture(y: int | None = None) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """The toy data as a mixture: all four blobs (``y=None``), or only those of class ``y``, with equal weights.

    >>> toy_mixture(1)[0].tolist()
    [[-1.2, 0.6], [1.2, 0.6]]
    """
    keep = np.ones(len(TOY_MEANS), bool) if y is None else TOY_CLASSES == y
    return TOY_MEANS[keep], TOY_VARIANCES[keep], np.full(keep.sum(), 1.0 / keep.sum())


def toy_class_probability(x: ArrayLike, y: int) -> NDArray[np.float64]:
    """Exact ``p(y | x)`` of the clean toy data (equal class priors), for each row of ``x``.

    >>> float(toy_class_probability([0.0, 5.0], 1)) > 0.99
    True
    """
    logp_y = gmm_log_density(x, *toy_mixture(y))
    logp_other = gmm_log_density(x, *toy_mixture(1 - y))
    return 1.0 / (1.0 + np.exp(logp_other - logp_y))


def guided_sample(s: float, y: int = 1, n: int = 1500, steps: int = 200,
                  rng: int | np.random.Generator | None = 0) -> NDArray[np.float64]:
    """DDPM ancestral sampling of the toy data with classifier-free guidance of scale ``s`` towards class ``y``.

    At each step the exact scores of the noised unconditional and class-``y``
    mixtures are turned into noise predictions ``eps = -sqrt(1 - abar) score``
    and combined by ``cfg_epsilon``; ``s = 0`` samples the unconditional
    data, ``s = 1`` the class-conditional data (up to discretisation error).
    With exact scores this is also classifier guidance with scale ``s``.

    >>> guided_sample(1.0, n=5, steps=50).shape
    (5, 2)
    """
    gen = np.random.default_rng(rng)
    betas = linear_betas(steps, 1e-4 * 1000 / steps, 0.02 * 1000 / steps)
    abars = alpha_bar(betas)
    x = gen.standard_normal((n, 2))
    for t in range(steps - 1, -1, -1):
        ab, beta = abars[t], betas[t]
        scale = np.sqrt(1.0 - ab)
        eps = []
        for cls in (None, y):
            m, v, w = toy_mixture(cls)
            eps.append(-scale * gmm_score(x, np.sqrt(ab) * m, ab * v + 1.0 - ab, w))
        e = cfg_epsilon(eps[0], eps[1], s)
        x = (x - beta / scale * e) / np.sqrt(1.0 - beta)
        if t > 0:
            x = x + np.sqrt(beta) * gen.standard_normal(x.shape)
    return x


def sample_statistics(x: ArrayLike, y: int = 1) -> tuple[float, float]:
    """``(adherence, spread)`` of samples aimed at class ``y``: the mean exact ``p(y | x)``, and the within-blob
    spread, the total variance (trace of the covariance) of the samples nearest to each blob of class ``y``,
    averaged over those blobs.

    The spread of the clean class-``y`` data is ``2 * 0.15 = 0.3`` (two coordinates of variance 0.15).

    >>> adherence, spread = sample_statistics(np.array([[-1.2, 3.0], [-1.2, 3.0], [1.0, 3.0], [1.4, 3.0]]))
    >>> round(adherence, 6), round(spread, 6)
    (1.0, 0.02)
    """
    xs = np.asarray(x, dtype=np.float64)
    adherence = float(np.round(np.mean(toy_class_probability(xs, y)), 12))
    centres = toy_mixture(y)[0]
    nearest = np.argmin(np.sum((xs[:, None, :] - centres) ** 2, axis=-1), axis=1)
    spreads = [np.trace(np.cov(xs[nearest == k].T, bias=True)) for k in range(len(centres)) if np.sum(nearest == k) > 1]
    return adherence, float(np.mean(spreads))


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:guidance.<name>).


def _density_contours(ax, y: int | None) -> None:  # type: ignore[no-untyped-def]
    g = np.linspace(-2.6, 2.6, 121)
    X, Y = np.meshgrid(g, g)
    pts = np.column_stack([X.ravel(), Y.ravel()])
    Z = np.exp(gmm_log_density(pts, *toy_mixture(y))).reshape(X.shape)
    ax.contour(X, Y, Z, levels=4, colors="#888888", linewidths=0.7)


def cfg_samples() -> Figure:
    """Samples of the toy data under classifier-free guidance scales 0, 1 and 5 towards class 1 (upper blobs),
    with the class-1 density contours; under each panel the measured adherence (mean p(y | x)) and
    within-blob spread (``sample_statistics``)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.2, 2.9))
    axes = fig.subplots(1, 3, sharex=True, sharey=True)
    for ax, s in zip(axes, (0.0, 1.0, 5.0)):
        x = guided_sample(s)
        adherence, spread = sample_statistics(x)
        _density_contours(ax, 1)
        ax.scatter(x[:, 0], x[:, 1], s=3, color="C0", alpha=0.5, linewidths=0)
        ax.set_title(f"$s = {s:g}$", fontsize=11)
        ax.set_xlabel(f"$p(y \\mid x)$ = {adherence:.2f}, spread {spread:.2f}", fontsize=10)
        ax.set_aspect("equal")
        ax.set_xlim(-2.6, 2.6)
        ax.set_ylim(-2.2, 2.2)
    return fig


def guidance_field() -> Figure:
    """Left: the classifier-guidance term grad log p(y=1 | x) of a two-class Gaussian model as arrows over the plane,
    on top of p(y=1 | x). Right: the guided mean mu + s Sigma grad for one point and s = 0, 1, 2, 4."""
    from matplotlib.figure import Figure

    means, sigma2 = np.array([[-1.0, -0.6], [1.0, 0.6]]), 1.5
    fig = Figure(figsize=(6.8, 3.2))
    left, right = fig.subplots(1, 2)
    g = np.linspace(-2.5, 2.5, 101)
    X, Y = np.meshgrid(g, g)
    P = np.exp(class_log_posterior(np.stack([X, Y], -1), means, sigma2))[..., 1]
    image = left.contourf(X, Y, P, levels=np.linspace(0, 1, 11), cmap="Purples", alpha=0.8)
    q = np.linspace(-2.2, 2.2, 9)
    QX, QY = np.meshgrid(q, q)
    grads = np.array([class_log_posterior_grad([a, b], 1, means, sigma2) for a, b in zip(QX.ravel(), QY.ravel())])
    left.quiver(QX.ravel(), QY.ravel(), grads[:, 0], grads[:, 1], color="C1", scale=14, width=0.006)
    left.plot(*means.T, "o", color="black", ms=5)
    left.set_title("arrows: $\\nabla_x \\log p(y{=}1 \\mid x)$")
    left.set_aspect("equal")
    fig.colorbar(image, ax=left, shrink=0.8)

    mu, Sigma = np.array([-1.2, 0.4]), 0.5
    grad = class_log_posterior_grad(mu, 1, means, sigma2)
    right.contourf(X, Y, P, levels=np.linspace(0, 1, 11), cmap="Purples", alpha=0.8)
    for k, s in enumerate((0.0, 1.0, 2.0, 4.0)):
        m = classifier_guided_mean(mu, Sigma, grad, s)
        right.plot(*m, "o", color=f"C{k + 1}", ms=7, label=f"$s = {s:g}$")
    right.annotate("", classifier_guided_mean(mu, Sigma, grad, 4.0), mu, arrowprops={"arrowstyle": "->", "lw": 1.2})
    right.set_title("guided mean $\\mu + s\\,\\Sigma\\,\\nabla \\log p$")
    right.legend(loc="lower right", fontsize=9)
    right.set_aspect("equal")
    for ax in (left, right):
        ax.set_xlim(-2.5, 2.5)
        ax.set_ylim(-2.5, 2.5)
        ax.grid(False)
    return fig
