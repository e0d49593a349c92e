"""Penalties on model weights and the penalized least-squares estimators built on them.

L1 (lasso) and squared-L2 (ridge) penalties, soft-thresholding (the proximal
step of the L1 penalty), lasso by cyclic coordinate descent, ridge in closed
form, a plain SGD step with either an L2 penalty or decoupled weight decay,
and regularization paths. Conventions follow scikit-learn where it has the
same estimator: the lasso objective is ``||y - Xw||^2 / (2n) + alpha ||w||_1``
(``sklearn.linear_model.Lasso``, no intercept) and the ridge objective is
``||y - Xw||^2 + lam ||w||^2`` (``sklearn.linear_model.Ridge``, no intercept).
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray


class ConvergenceWarning(UserWarning):
    """An iterative fit stopped at its iteration limit before meeting its tolerance
    (like ``sklearn.exceptions.ConvergenceWarning``)."""


def l1_penalty(w: ArrayLike, lam: float) -> float:
    """L1 penalty ``lam * sum_i |w_i|``, the lasso penalty.

    >>> l1_penalty([1.0, -2.0, 0.0], 0.5)
    1.5
    """
    return float(lam * np.sum(np.abs(np.asarray(w, dtype=np.float64))))


def l2_penalty(w: ArrayLike, lam: float) -> float:
    """Squared-L2 penalty ``lam * sum_i w_i^2``, the ridge penalty (no factor 1/2).

    >>> l2_penalty([1.0, -2.0, 0.0], 0.5)
    2.5
    """
    ww = np.asarray(w, dtype=np.float64)
    return float(lam * np.dot(ww, ww))


def soft_threshold(w: ArrayLike, t: float) -> NDArray[np.float64] | float:
    """Soft-thresholding ``sign(w) max(|w| - t, 0)``: the proximal step of ``t ||w||_1``.

    Moves every entry ``t`` towards zero and sets the ones within ``t`` of zero
    to exactly zero. It is the lasso solution for an orthonormal design.

    >>> soft_threshold([3.0, -0.5, -2.0, 1.0], 1.0)
    array([ 2.,  0., -1.,  0.])
    >>> soft_threshold(0.3, 0.0)
    0.3
    """
    ww = np.asarray(w, dtype=np.float64)
    result = np.sign(ww) * np.maximum(np.abs(ww) - t, 0.0) + 0.0  # + 0.0 turns -0.0 into 0.0
    return float(result) if result.ndim == 0 else result


def lasso_objective(X: ArrayLike, y: ArrayLike, w: ArrayLike, alpha: float) -> float:
    """The lasso objective ``||y - X w||_2^2 / (2n) + alpha ||w||_1`` (scikit-learn's scaling).

    >>> lasso_objective([[1.0, 0.0], [0.0, 1.0]], [1.0, 2.0], [0.0, 1.0], 0.5)
    1.0
    """
    XX = np.asarray(X, dtype=np.float64)
    residual = np.asarray(y, dtype=np.float64) - XX @ np.asarray(w, dtype=np.float64)
    return float(residual @ residual / (2 * XX.shape[0])) + l1_penalty(w, alpha)


def elastic_net_penalty(w: ArrayLike, alpha: float, l1_ratio: float) -> float:
    """Elastic-net penalty ``alpha (l1_ratio ||w||_1 + (1 - l1_ratio) ||w||_2^2 / 2)`` (scikit-learn's form).

    ``l1_ratio = 1`` is the lasso penalty, ``l1_ratio = 0`` half a ridge
    penalty; in between, an L1 and a *squared* L2 term are added.

    >>> elastic_net_penalty([1.0, -2.0], alpha=2.0, l1_ratio=0.5)
    5.5
    """
    return l1_penalty(w, alpha * l1_ratio) + l2_penalty(w, alpha * (1.0 - l1_ratio) / 2.0)


def elastic_net_objective(X: ArrayLike, y: ArrayLike, w: ArrayLike, alpha: float, l1_ratio: float) -> float:
    """The elastic-net objective ``||y - X w||_2^2 / (2n) + elastic_net_penalty(w, alpha, l1_ratio)``.

    The objective of ``sklearn.linear_model.ElasticNet`` (no intercept).

    >>> elastic_net_objective([[1.0, 0.0], [0.0, 1.0]], [1.0, 2.0], [0.0, 1.0], 0.5, 1.0)
    1.0
    """
    XX = np.asarray(X, dtype=np.float64)
    residual = np.asarray(y, dtype=np.float64) - XX @ np.asarray(w, dtype=np.float64)
    return float(residual @ residual / (2 * XX.shape[0])) + elastic_net_penalty(w, alpha, l1_ratio)


def coordinate_targets(X: ArrayLike, y: ArrayLike, w: ArrayLike) -> NDArray[np.float64]:
    """``rho_j = x_j^T (y - X w + x_j w_j) / n`` for every column ``j`` of ``X``.

    ``rho_j`` is what the least-squares fit of coordinate ``j`` alone would see
    once the other coordinates' contribution is removed from ``y``; the lasso
    coordinate update is ``soft_threshold(rho_j, alpha) / (||x_j||^2 / n)``.

    >>> coordinate_targets([[1.0, 1.0], [0.0, 1.0]], [2.0, 1.0], [0.0, 0.0])
    array([1. , 1.5])
    """
    XX = np.asarray(X, dtype=np.float64)
    ww = np.asarray(w, dtype=np.float64)
    n = XX.shape[0]
    residual = np.asarray(y, dtype=np.float64) - XX @ ww
    return XX.T @ residual / n + np.sum(XX**2, axis=0) / n * ww


def lasso_cd(
    X: ArrayLike, y: ArrayLike, alpha: float, w0: ArrayLike | None = None,
    max_sweeps: int = 100_000, tol: float = 1e-13,
) -> NDArray[np.float64]:
    """Lasso coefficients by cyclic coordinate descent (no intercept).

    Minimizes ``||y - X w||^2 / (2n) + alpha ||w||_1``, the objective of
    ``sklearn.linear_model.Lasso(alpha, fit_intercept=False)``. Each sweep
    sets every coordinate in turn to its exact minimizer with the others
    held fixed, a soft-thresholded least-squares coefficient. It stops when
    a sweep changes no coefficient by more than ``tol`` (relative to the
    largest one). A zero column gets the coefficient 0. If ``max_sweeps``
    sweeps pass without meeting ``tol``, it warns with
    :class:`ConvergenceWarning` and returns the last iterate (as scikit-learn
    does), so an unconverged result is never silent.

    >>> lasso_cd([[1.0, 0.0], [0.0, 1.0]], [2.0, 0.5], alpha=0.5).round(6)    # threshold n alpha = 1
    array([1., 0.])
    >>> lasso_cd([[1.0], [1.0]], [1.0, 1.0], alpha=0.0).round(6)
    array([1.])
    """
    return elastic_net_cd(X, y, alpha, 1.0, w0=w0, max_sweeps=max_sweeps, tol=tol, name="lasso_cd")


def elastic_net_cd(
    X: ArrayLike, y: ArrayLike, alpha: float, l1_ratio: float, w0: ArrayLike | None = None,
    max_sweeps: int = 100_000, tol: float = 1e-13, name: str = "elastic_net_cd",
) -> NDArray[np.float64]:
    """Elastic-net coefficients by cyclic coordinate descent (no intercept).

    Minimizes ``elastic_net_objective``, the objective of
    ``sklearn.linear_model.ElasticNet(alpha, l1_ratio=l1_ratio, fit_intercept=False)``.
    The exact minimizer in coordinate ``j`` is
    ``soft_threshold(rho_j, alpha l1_ratio) / (||x_j||^2 / n + alpha (1 - l1_ratio))``
    (``rho_j`` as in ``coordinate_targets``): the L1 part thresholds, the
    squared-L2 part shrinks. ``l1_ratio = 1`` is the lasso. Stopping rule and
    :class:`ConvergenceWarning` as in ``lasso_cd``.

    >>> elastic_net_cd([[1.0, 0.0], [0.0, 1.0]], [2.0, 0.5], alpha=0.5, l1_ratio=0.5).round(6)
    array([1., 0.])
    """
    XX = np.asarray(X, dtype=np.float64)
    yy = np.asarray(y, dtype=np.float64)
    n, p = XX.shape
    w = np.zeros(p) if w0 is None else np.array(w0, dtype=np.float64)
    scale = np.sum(XX**2, axis=0) / n
    ridge_part = alpha * (1.0 - l1_ratio)
    residual = yy - XX @ w
    largest_change = np.inf
    for _ in range(max_sweeps):
        largest_change = 0.0
        for j in range(p):
            if scale[j] + ridge_part == 0.0:
                new = 0.0
            else:
                rho = XX[:, j] @ residual / n + scale[j] * w[j]
                new = soft_threshold(rho, alpha * l1_ratio) / (scale[j] + ridge_part)
            change = new - w[j]
            if change != 0.0:
                residual -= XX[:, j] * change
                w[j] = new
            largest_change = max(largest_change, abs(change))
        residual = yy - XX @ w  # no drift from the incremental updates
        if largest_change <= tol * max(1.0, float(np.max(np.abs(w), initial=0.0))):
            break
    else:
        warnings.warn(f"{name} did not converge in {max_sweeps} sweeps: the last sweep changed a coefficient "
                      f"by {largest_change:.3g} (tol {tol:g}); the result is not the solution",
                      ConvergenceWarning, stacklevel=2)
    return w


def ridge(X: ArrayLike, y: ArrayLike, lam: float) -> NDArray[np.float64]:
    """Ridge coefficients ``(X^T X + lam I)^{-1} X^T y`` (no intercept).

    The minimizer of ``||y - X w||^2 + lam ||w||^2``, as in
    ``sklearn.linear_model.Ridge(alpha=lam, fit_intercept=False)``. Solved as a
    linear system (never an explicit inverse); ``lam > 0`` makes it
    well posed even when ``X^T X`` is singular.

    >>> ridge([[1.0, 0.0], [0.0, 1.0]], [2.0, 4.0], lam=1.0)
    array([1., 2.])
    """
    XX = np.asarray(X, dtype=np.float64)
    gram = XX.T @ XX + lam * np.eye(XX.shape[1])
    return np.linalg.solve(gram, XX.T @ np.asarray(y, dtype=np.float64))


def ridge_objective(X: ArrayLike, y: ArrayLike, w: ArrayLike, lam: float) -> float:
    """The ridge objective ``||y - X w||_2^2 + lam ||w||_2^2``.

    >>> ridge_objective([[1.0, 0.0], [0.0, 1.0]], [2.0, 4.0], [1.0, 2.0], 1.0)
    10.0
    """
    residual = np.asarray(y, dtype=np.float64) - np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64)
    return float(residual @ residual) + l2_penalty(w, lam)


def ridge_augmented(X: ArrayLike, y: ArrayLike, lam: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The augmented least-squares system whose plain least-squares solution is ridge.

    Stacks ``sqrt(lam) I`` under ``X`` and ``p`` zeros under ``y``, so that
    ``||y~ - X~ w||^2 = ||y - X w||^2 + lam ||w||^2`` for every ``w``.

    >>> Xa, ya = ridge_augmented([[1.0, 2.0]], [3.0], lam=4.0)
    >>> Xa
    array([[1., 2.],
           [2., 0.],
           [0., 2.]])
    >>> ya
    array([3., 0., 0.])
    """
    XX = np.asarray(X, dtype=np.float64)
    p = XX.shape[1]
    return (np.vstack([XX, np.sqrt(lam) * np.eye(p)]),
            np.concatenate([np.asarray(y, dtype=np.float64), np.zeros(p)]))


def sgd_step(
    w: ArrayLike, grad: ArrayLike, lr: float, l2: float = 0.0, weight_decay: float = 0.0
) -> NDArray[np.float64]:
    """One plain SGD step on a loss with gradient ``grad`` at ``w``.

    ``l2`` adds the penalty ``l2 ||w||^2`` to the loss (its gradient ``2 l2 w``
    joins ``grad``); ``weight_decay`` shrinks the weights directly by the
    factor ``1 - lr * weight_decay``, as ``torch.optim.SGD(weight_decay=...)``
    and AdamW do. For plain SGD the two coincide when ``weight_decay = 2 l2``.

    >>> sgd_step([1.0, -2.0], [0.5, 0.5], lr=0.1, l2=0.5)
    array([ 0.85, -1.85])
    >>> sgd_step([1.0, -2.0], [0.5, 0.5], lr=0.1, weight_decay=1.0)
    array([ 0.85, -1.85])
    """
    ww = np.asarray(w, dtype=np.float64)
    gg = np.asarray(grad, dtype=np.float64) + 2.0 * l2 * ww
    return (1.0 - lr * weight_decay) * ww - lr * gg


def adam_step(
    w: ArrayLike, grad: ArrayLike, m: ArrayLike, v: ArrayLike, t: int, lr: float,
    betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8, l2: float = 0.0, weight_decay: float = 0.0,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """One Adam step (step number ``t >= 1``); returns the new ``(w, m, v)``.

    ``l2`` adds ``2 l2 w`` to the gradient before the moment estimates (an L2
    penalty, what ``torch.optim.Adam(weight_decay=...)`` does); ``weight_decay``
    subtracts ``lr * weight_decay * w`` outside the adaptive step, the
    decoupled decay of AdamW (``torch.optim.AdamW``). Unlike SGD, the two
    differ: the L2 gradient is divided by ``sqrt(v)`` with everything else.

    A weight with no data gradient, first step: the L2 version moves it by
    about ``lr`` whatever the size of ``l2``; AdamW moves it by ``lr * weight_decay * w``.

    >>> zeros = np.zeros(1)
    >>> adam_step([1.0], [0.0], zeros, zeros, t=1, lr=0.01, l2=1e-4)[0].round(6)
    array([0.99])
    >>> adam_step([1.0], [0.0], zeros, zeros, t=1, lr=0.01, weight_decay=2e-4)[0].round(6)
    array([0.999998])
    """
    ww = np.asarray(w, dtype=np.float64)
    gg = np.asarray(grad, dtype=np.float64) + 2.0 * l2 * ww
    m_new, v_new, m_hat, v_hat = adam_moments(gg, m, v, t, betas)
    w_new = ww - lr * (m_hat / (np.sqrt(v_hat) + eps) + weight_decay * ww)
    return w_new, m_new, v_new


def adam_moments(
    grad: ArrayLike, m: ArrayLike, v: ArrayLike, t: int, betas: tuple[float, float] = (0.9, 0.999),
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Adam's moment estimates at step ``t >= 1``: ``(m_t, v_t, m_hat_t, v_hat_t)``.

    ``m_t`` and ``v_t`` are exponential moving averages of the gradient and of
    its square, started at zero; ``m_hat_t = m_t / (1 - beta1^t)`` and
    ``v_hat_t = v_t / (1 - beta2^t)`` undo the pull towards that zero start.

    >>> [round(float(a[0]), 12) for a in adam_moments([2.0], [0.0], [0.0], t=1)]    # first step: m_hat = g, v_hat = g^2
    [0.2, 0.004, 2.0, 4.0]
    """
    beta1, beta2 = betas
    gg = np.asarray(grad, dtype=np.float64)
    m_new = beta1 * np.asarray(m, dtype=np.float64) + (1 - beta1) * gg
    v_new = beta2 * np.asarray(v, dtype=np.float64) + (1 - beta2) * gg**2
    return m_new, v_new, m_new / (1 - beta1**t), v_new / (1 - beta2**t)


def coefficient_paths(X: ArrayLike, y: ArrayLike, penalties: ArrayLike, method: str) -> NDArray[np.float64]:
    """Coefficients for each penalty strength: one row per value of ``penalties``.

    ``method`` is ``"ridge"`` (``penalties`` are ``lam``) or ``"lasso"``
    (``penalties`` are ``alpha``); each lasso fit starts from the previous one
    (warm start), the usual way to trace a path.

    >>> X, y = np.eye(2), np.array([2.0, 1.0])
    >>> coefficient_paths(X, y, [0.0, 1.0], "ridge")
    array([[2. , 1. ],
           [1. , 0.5]])
    >>> coefficient_paths(X, y, [0.0, 0.5, 1.0], "lasso").round(6)
    array([[2., 1.],
           [1., 0.],
           [0., 0.]])
    """
    if method not in ("ridge", "lasso"):
        raise ValueError(f"method is 'ridge' or 'lasso', not {method!r}")
    rows = []
    w = None
    for penalty in np.asarray(penalties, dtype=np.float64):
        if method == "ridge":
            rows.append(ridge(X, y, penalty))
        else:
            w = lasso_cd(X, y, penalty, w0=w)
            rows.append(w)
    return np.array(rows)


def path_data(n: int = 60, seed: int = 3) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A small fixed regression problem for the path figures: 6 standardized features,
    two of them strongly correlated, three true coefficients zero.

    >>> X, y = path_data()
    >>> X.shape, y.shape
    ((60, 6), (60,))
    >>> np.allclose(X.mean(axis=0), 0) and np.allclose((X**2).mean(axis=0), 1)
    True
    """
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, 6))
    Z[:, 1] = 0.8 * Z[:, 0] + 0.6 * Z[:, 1]  # correlated with feature 0
    X = (Z - Z.mean(axis=0)) / Z.std(axis=0)
    w_true = np.array([3.0, 1.5, 0.0, -2.0, 0.0, 0.0])
    y = X @ w_true + rng.standard_normal(n)
    return X, y - y.mean()


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:regularization.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).
# matplotlib is imported inside them, so the numeric code above stays light.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def constraint_shapes() -> Figure:
    """The L1 diamond and the L2 disk, each with the elliptical contours of the same
    least-squares loss: the smallest contour touching the diamond touches it at a
    corner (one coefficient exactly 0), the one touching the disk does not."""
    from matplotlib.figure import Figure

    # A two-feature least-squares problem with correlated features; its unpenalized fit is w_ols.
    X = np.array([[1.0, 0.45], [0.45, 0.5]])
    w_ols = np.array([1.6, 0.75])
    y = X @ w_ols
    w_l1 = lasso_cd(X, y, alpha=0.30)
    w_l2 = ridge(X, y, lam=0.9)

    g1, g2 = np.meshgrid(np.linspace(-2.0, 2.5, 301), np.linspace(-2.0, 2.5, 301))
    grid = np.stack([g1, g2], axis=-1)
    loss = np.sum((grid @ X.T - y) ** 2, axis=-1)

    def loss_at(w: NDArray[np.float64]) -> float:
        return float(np.sum((X @ w - y) ** 2))

    fig = Figure(figsize=(6.4, 3.4))
    axes = fig.subplots(1, 2, sharey=True)
    angle = np.linspace(0, 2 * np.pi, 400)
    r1 = float(np.sum(np.abs(w_l1)))
    r2 = float(np.linalg.norm(w_l2))
    shapes = [
        ("L1: $|w_1| + |w_2| \\leq t$", r1 * np.array([[1, 0], [0, 1], [-1, 0], [0, -1], [1, 0]]), w_l1),
        ("L2: $w_1^2 + w_2^2 \\leq t^2$", r2 * np.stack([np.cos(angle), np.sin(angle)], axis=1), w_l2),
    ]
    for ax, (title, outline, w_hat) in zip(axes, shapes):
        level = loss_at(w_hat)
        ax.contour(g1, g2, loss, levels=level * np.array([0.25, 0.6, 1.0, 1.8, 3.0]) + 1e-12,
                   colors="C1", linewidths=0.9, alpha=0.8)
        ax.fill(outline[:, 0], outline[:, 1], color="C0", alpha=0.25, lw=0)
        ax.plot(outline[:, 0], outline[:, 1], color="C0", lw=1.5)
        ax.plot(*w_ols, "o", color="C1", ms=5)
        backdrop = dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85)
        ax.annotate("least-squares fit", w_ols, xytext=(4, 6), textcoords="offset points", fontsize=8.5,
                    bbox=backdrop)
        ax.plot(*w_hat, "o", color="C3", ms=6, zorder=5)
        label = f"({w_hat[0]:.2f}, {w_hat[1]:.2f})"
        ax.annotate(label, w_hat, xytext=(6, -14), textcoords="offset points", fontsize=8.5, color="C3",
                    bbox=backdrop)
        ax.axhline(0, color="black", lw=0.6, alpha=0.5)
        ax.axvline(0, color="black", lw=0.6, alpha=0.5)
        ax.set_title(title)
        ax.set_xlabel("$w_1$")
        ax.set_aspect("equal")
        ax.set_xlim(-1.6, 2.4)
        ax.set_ylim(-1.6, 2.0)
    axes[0].set_ylabel("$w_2$")
    return fig


def regularization_paths() -> Figure:
    """Coefficient paths of ridge and lasso on the same data, against the penalty strength:
    ridge shrinks every coefficient smoothly towards zero, lasso sets them to zero one by one."""
    from matplotlib.figure import Figure

    X, y = path_data()
    lams = np.logspace(-2, 4, 60)
    alphas = np.logspace(-3, 0.7, 60)
    ridge_path = coefficient_paths(X, y, lams, "ridge")
    lasso_path = coefficient_paths(X, y, alphas[::-1], "lasso")[::-1]
    fig = Figure(figsize=(6.4, 3.4))
    axes = fig.subplots(1, 2, sharey=True)
    for j in range(X.shape[1]):
        axes[0].plot(lams, ridge_path[:, j], color=f"C{j}", label=f"$w_{j + 1}$")
        axes[1].plot(alphas, lasso_path[:, j], color=f"C{j}")
    axes[0].set_title("ridge (L2)")
    axes[1].set_title("lasso (L1)")
    axes[0].set_xlabel("penalty $\\lambda$")
    axes[1].set_xlabel("penalty $\\alpha$")
    axes[0].set_ylabel("coefficient")
    for ax in axes:
        ax.set_xscale("log")
        ax.axhline(0, color="black", lw=0.6, alpha=0.5)
    axes[0].legend(ncols=2, fontsize=8.5, loc="upper right")
    return fig


def elastic_net_balls() -> Figure:
    """The sets where the penalty equals 1 for l1_ratio 1 (the L1 diamond), 0.5 (elastic net)
    and 0 (the squared-L2 circle): the elastic-net contour keeps the diamond's corners on the
    axes but has curved edges between them."""
    from matplotlib.figure import Figure

    g1, g2 = np.meshgrid(np.linspace(-1.7, 1.7, 401), np.linspace(-1.7, 1.7, 401))
    fig = Figure(figsize=(4.2, 3.8))
    ax = fig.subplots()
    cases = [(1.0, "L1 ($\\rho = 1$)"), (0.5, "elastic net ($\\rho = 0.5$)"), (0.0, "squared L2 ($\\rho = 0$)")]
    for i, (rho, label) in enumerate(cases):
        penalty = rho * (np.abs(g1) + np.abs(g2)) + (1.0 - rho) / 2.0 * (g1**2 + g2**2)
        ax.contour(g1, g2, penalty, levels=[1.0], colors=f"C{i}", linewidths=2.0)
        ax.plot([], [], color=f"C{i}", lw=2.0, label=label)
    ax.axhline(0, color="black", lw=0.6, alpha=0.5)
    ax.axvline(0, color="black", lw=0.6, alpha=0.5)
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title("$\\rho \\|w\\|_1 + \\frac{1 - \\rho}{2} \\|w\\|_2^2 = 1$")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=1, fontsize=9)
    return fig
