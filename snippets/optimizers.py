"""First-order optimizers run for many steps: gradient descent, its small-step limit
(gradient flow), and Adam with an L2 penalty or with decoupled weight decay (AdamW).

One Adam step is ``snippets.regularization.adam_step`` (it already carries both
ways of regularizing); this module runs it, and gradient descent, on small
problems so that pages can compare trajectories. Gradient flow on a quadratic
``L(theta) = theta^T A theta / 2`` has the closed form ``expm(-A t) theta_0``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import expm

from snippets.regularization import adam_moments, adam_step

Gradient = Callable[[NDArray[np.float64]], NDArray[np.float64]]


def adamw_step(
    w: ArrayLike, grad: ArrayLike, m: ArrayLike, v: ArrayLike, t: int, lr: float, weight_decay: float,
    betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """One AdamW step: Adam on the data gradient, plus the decoupled decay ``lr * weight_decay * w``.

    The same as ``adam_step(..., weight_decay=weight_decay)`` and as
    ``torch.optim.AdamW``; returns the new ``(w, m, v)``.

    >>> zeros = np.zeros(1)
    >>> adamw_step([1.0], [0.0], zeros, zeros, t=1, lr=0.01, weight_decay=0.1)[0].round(6)
    array([0.999])
    """
    return adam_step(w, grad, m, v, t, lr, betas=betas, eps=eps, weight_decay=weight_decay)


class AdamHistory(NamedTuple):
    """Everything Adam computes, indexed by the step ``t = 0..T`` (row ``t``); entries
    that do not exist at ``t = 0`` (the bias-corrected moments) are NaN there."""

    theta: NDArray[np.float64]
    m: NDArray[np.float64]
    v: NDArray[np.float64]
    m_hat: NDArray[np.float64]
    v_hat: NDArray[np.float64]


def adam_history(
    grads: ArrayLike, theta0: ArrayLike, lr: float, betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8, weight_decay: float = 0.0,
) -> AdamHistory:
    """Run Adam (AdamW if ``weight_decay > 0``) on a given sequence of gradients ``g_1..g_T``.

    ``grads`` has one row per step (a 1-D array: one parameter). The update
    rule does not care where the gradients came from, so a fixed sequence
    exposes every intermediate quantity for checking; ``theta`` equals the
    iterates of ``adam_step`` fed the same gradients.

    >>> h = adam_history([2.0, 2.0], 0.0, lr=0.1)
    >>> h.theta.round(6).tolist(), h.m_hat[1:].tolist()
    ([0.0, -0.1, -0.2], [2.0, 2.0])
    """
    g = np.asarray(grads, dtype=np.float64)
    theta = np.broadcast_to(np.asarray(theta0, dtype=np.float64), g.shape[1:]).copy()
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    nan = np.full_like(theta, np.nan)
    rows = [(theta, m, v, nan, nan)]
    for t in range(1, g.shape[0] + 1):
        m, v, m_hat, v_hat = adam_moments(g[t - 1], m, v, t, betas)
        theta = theta - lr * (m_hat / (np.sqrt(v_hat) + eps) + weight_decay * theta)
        rows.append((theta, m, v, m_hat, v_hat))
    return AdamHistory(*(np.array(column) for column in zip(*rows)))


def effective_decay(
    gradient_scale: float, lr: float = 1e-3, l2: float = 0.0, weight_decay: float = 0.0,
    steps: int = 100, seed: int = 0,
) -> float:
    """Measured shrinkage per step, in units of ``lr * w``, that a regularizer adds to Adam.

    One weight starts at ``w = 1`` with zero-mean Gaussian data gradients of
    standard deviation ``gradient_scale``; Adam runs ``steps`` steps with the
    regularizer and, on the same gradients, without it. The gap between the
    two end points divided by ``steps * lr`` is the decay coefficient the
    regularizer acted with: ``weight_decay`` for AdamW whatever the scale,
    about ``2 l2 / gradient_scale`` for an L2 penalty while that is below 1.

    >>> round(effective_decay(1.0, weight_decay=0.01), 4)
    0.01
    """
    rng = np.random.default_rng(seed)
    noise = gradient_scale * rng.standard_normal(steps)
    w_plain = w_reg = np.ones(1)
    m_plain = v_plain = m_reg = v_reg = np.zeros(1)
    for t, g in enumerate(noise, start=1):
        w_plain, m_plain, v_plain = adam_step(w_plain, [g], m_plain, v_plain, t, lr)
        w_reg, m_reg, v_reg = adam_step(w_reg, [g], m_reg, v_reg, t, lr, l2=l2, weight_decay=weight_decay)
    return float((w_plain[0] - w_reg[0]) / (steps * lr))


def gradient_descent(grad: Gradient, theta0: ArrayLike, lr: float, steps: int) -> NDArray[np.float64]:
    """Iterates ``theta_{k+1} = theta_k - lr * grad(theta_k)``, ``theta_0`` included: shape ``(steps + 1, d)``.

    >>> gradient_descent(lambda th: th, [1.0], lr=0.5, steps=2).ravel().tolist()
    [1.0, 0.5, 0.25]
    """
    path = [np.asarray(theta0, dtype=np.float64)]
    for _ in range(steps):
        path.append(path[-1] - lr * grad(path[-1]))
    return np.array(path)


def gradient_flow(grad: Gradient, theta0: ArrayLike, t: float) -> NDArray[np.float64]:
    """The gradient flow ``d theta/dt = -grad(theta)`` from ``theta0`` at time ``t >= 0``, by
    ``scipy.integrate.solve_ivp`` (RK45, rtol 1e-10, atol 1e-12), for losses without a closed form.

    >>> gradient_flow(lambda th: th, [1.0], 1.0).round(8).tolist()    # L = theta^2 / 2: exp(-t)
    [0.36787944]
    """
    from scipy.integrate import solve_ivp

    th = np.asarray(theta0, dtype=np.float64)
    if t == 0:
        return th.copy()
    solution = solve_ivp(lambda _, x: -np.asarray(grad(x), dtype=np.float64), (0.0, float(t)), th,
                         rtol=1e-10, atol=1e-12)
    return solution.y[:, -1]


def quadratic_gradient_flow(A: ArrayLike, theta0: ArrayLike, t: ArrayLike) -> NDArray[np.float64]:
    """Gradient flow ``d theta/dt = -A theta`` of ``L = theta^T A theta / 2`` (``A`` symmetric): ``expm(-A t) theta_0``.

    ``t`` is a time or an array of times (one row of the result each).

    >>> quadratic_gradient_flow([[2.0]], [1.0], [0.0, 0.5]).ravel().round(6).tolist()
    [1.0, 0.367879]
    """
    AA = np.asarray(A, dtype=np.float64)
    th = np.asarray(theta0, dtype=np.float64)
    times = np.asarray(t, dtype=np.float64)
    rows = np.array([expm(-AA * s) @ th for s in np.atleast_1d(times)])
    return rows[0] if times.ndim == 0 else rows


def adam_path(
    grad: Gradient, w0: ArrayLike, steps: int, lr: float, betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8, l2: float = 0.0, weight_decay: float = 0.0,
) -> NDArray[np.float64]:
    """Adam iterates from ``w0`` (included), shape ``(steps + 1, d)``; ``l2`` and ``weight_decay`` as in ``adam_step``.

    >>> adam_path(lambda w: 2 * w, [1.0], steps=1, lr=0.1).ravel().round(6).tolist()
    [1.0, 0.9]
    """
    w = np.asarray(w0, dtype=np.float64)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    path = [w]
    for t in range(1, steps + 1):
        w, m, v = adam_step(w, grad(w), m, v, t, lr, betas=betas, eps=eps, l2=l2, weight_decay=weight_decay)
        path.append(w)
    return np.array(path)


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:optimizers.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure

def adam_effective_decay() -> Figure:
    """Measured decay per step of one weight under Adam with an L2 penalty and under AdamW,
    against the scale of its data gradients: the L2 penalty's pull is divided by the gradient
    scale, the decoupled decay is the same for every weight."""
    from matplotlib.figure import Figure

    scales = np.geomspace(1e-3, 10.0, 25)
    lam = 5e-3  # L2 coefficient; the matching decoupled decay is 2 * lam
    l2 = [effective_decay(s, l2=lam) for s in scales]
    decoupled = [effective_decay(s, weight_decay=2 * lam) for s in scales]
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.subplots()
    ax.plot(scales, l2, "o-", color="C0", ms=4, label="Adam + L2 penalty $\\lambda \\|\\theta\\|^2$")
    ax.plot(scales, decoupled, "s-", color="C1", ms=4, label="AdamW, decay $2\\lambda$")
    ax.plot(scales, 2 * lam / scales, color="C0", lw=1.0, ls="--", label="$2\\lambda$ / gradient scale")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-3, 3.0)
    ax.set_xlabel("standard deviation of the weight's data gradients")
    ax.set_ylabel("decay per step / ($\\eta\\, \\theta$)")
    ax.set_title("$\\lambda = 0.005$, $\\eta = 0.001$, 100 steps from $\\theta = 1$")
    ax.legend(loc="upper right", fontsize=9)
    return fig


def adam_step_sizes() -> Figure:
    """Adam's step sizes. Left: constant gradients of size 0.01, 1 and 100 give Adam steps of
    the learning rate each (SGD's steps scale with the gradient). Right: noisy gradients with mean
    mu and standard deviation sigma; the mean step shrinks as the signal-to-noise ratio falls."""
    from matplotlib.figure import Figure

    lr, steps = 0.01, 200
    fig = Figure(figsize=(6.4, 3.2))
    left, right = fig.subplots(1, 2)
    for i, g in enumerate((0.01, 1.0, 100.0)):
        adam = adam_path(lambda w, g=g: np.full_like(w, g), [0.0], steps, lr)
        left.plot(np.arange(1, steps + 1), np.abs(np.diff(adam[:, 0])), color="C0", lw=2.0,
                  label="Adam, every $|g|$" if i == 0 else None)
        left.axhline(lr * g, color=f"C{i + 1}", lw=1.4, ls="--", label=f"SGD, $|g| = {g:g}$")
    left.set_yscale("log")
    left.set_ylim(2e-5, 3e3)
    left.set_yticks([1e-4, 1e-2, 1.0])
    left.set_xlabel("step $t$")
    left.set_ylabel("step size $|\\theta_t - \\theta_{t-1}|$")
    left.set_title("constant gradient, $\\eta = 0.01$")
    left.legend(loc="upper center", ncols=2, fontsize=9, columnspacing=0.8)

    ratios = np.geomspace(0.01, 100.0, 25)
    rng = np.random.default_rng(0)
    noise = rng.standard_normal(2000)
    mean_steps = []
    for r in ratios:
        history = adam_history(r + noise, 0.0, lr)  # mean r, standard deviation 1
        mean_steps.append(np.mean(np.diff(history.theta[200:])) * -1.0)
    right.plot(ratios, mean_steps, "o-", color="C0", ms=4)
    right.axhline(lr, color="black", lw=1.0, ls=":")
    right.set_xscale("log")
    right.set_ylim(-0.0005, 0.0115)
    right.set_xlabel("signal-to-noise ratio $\\mu / \\sigma$")
    right.set_ylabel("mean step $\\theta_{t-1} - \\theta_t$")
    right.set_title("noisy gradient")
    return fig


def gradient_flow_paths() -> Figure:
    """Gradient descent on an ill-conditioned quadratic for three step sizes against the
    gradient-flow curve expm(-A t) theta_0: the smaller the step, the closer the path."""
    from matplotlib.figure import Figure

    A = np.array([[1.0, 0.0], [0.0, 8.0]])
    theta0 = np.array([3.0, 1.0])
    horizon = 4.0
    flow = quadratic_gradient_flow(A, theta0, np.linspace(0.0, horizon, 400))
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.subplots()
    g1, g2 = np.meshgrid(np.linspace(-0.6, 3.3, 200), np.linspace(-1.1, 1.2, 200))
    ax.contour(g1, g2, 0.5 * (A[0, 0] * g1**2 + A[1, 1] * g2**2), levels=np.geomspace(0.02, 8.0, 8),
               colors="C5", linewidths=0.8, alpha=0.8)
    for i, lr in enumerate((0.24, 0.12, 0.02)):
        path = gradient_descent(lambda th: A @ th, theta0, lr, int(round(horizon / lr)))
        ax.plot(path[:, 0], path[:, 1], "o-", color=f"C{i + 1}", ms=3.5, lw=1.0, label=f"gradient descent, $\\eta = {lr}$")
    ax.plot(flow[:, 0], flow[:, 1], color="C0", lw=2.4, label="gradient flow", zorder=4)
    ax.plot(0, 0, "*", color="black", ms=10)
    ax.set_xlabel("$\\theta_1$")
    ax.set_ylabel("$\\theta_2$")
    ax.set_aspect("equal")
    ax.legend(loc="lower right", fontsize=9)
    return fig
