"""Batch normalisation in numpy: the forward pass, its backward pass through the batch statistics, and a figure.

Statistics are taken over every axis except the feature axis: over the batch for
a ``(B, F)`` matrix of features, over batch and space (``B x H x W``) for a
``(B, C, H, W)`` image tensor, one mean and variance per channel. The backward
pass is the closed form obtained by differentiating through the mean and the
variance, so it can be compared with finite differences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure

EPS = 1e-5


def _reduce_axes(x: NDArray[np.float64], channel_axis: int) -> tuple[int, ...]:
    """Every axis but the channel axis: the positions that share one mean and one variance."""
    return tuple(a for a in range(x.ndim) if a != channel_axis % x.ndim)


def _per_channel(v: ArrayLike, x: NDArray[np.float64], channel_axis: int) -> NDArray[np.float64]:
    """A per-channel vector reshaped to broadcast against ``x``."""
    shape = [1] * x.ndim
    shape[channel_axis % x.ndim] = -1
    return np.asarray(v, dtype=np.float64).reshape(shape)


def batch_stats(x: ArrayLike, channel_axis: int = 1) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per-channel mean and biased variance (divided by N, the number of positions per channel)."""
    xx = np.asarray(x, dtype=np.float64)
    axes = _reduce_axes(xx, channel_axis)
    return xx.mean(axis=axes), xx.var(axis=axes)


def normalize(x: ArrayLike, channel_axis: int = 1, eps: float = EPS) -> NDArray[np.float64]:
    """``x_hat = (x - mu_c) / sqrt(sigma_c^2 + eps)`` per channel, with the batch's own statistics."""
    xx = np.asarray(x, dtype=np.float64)
    axes = _reduce_axes(xx, channel_axis)
    mu = xx.mean(axis=axes, keepdims=True)
    var = xx.var(axis=axes, keepdims=True)
    return (xx - mu) / np.sqrt(var + eps)


def batch_norm(x: ArrayLike, gamma: ArrayLike, beta: ArrayLike, channel_axis: int = 1,
               eps: float = EPS) -> NDArray[np.float64]:
    """Batch normalisation in training mode: ``y = gamma_c x_hat + beta_c``.

    >>> batch_norm([[1.0], [3.0]], [2.0], [5.0], eps=0.0).ravel().tolist()
    [3.0, 7.0]
    """
    xx = np.asarray(x, dtype=np.float64)
    return _per_channel(gamma, xx, channel_axis) * normalize(xx, channel_axis, eps) + _per_channel(beta, xx, channel_axis)


def batch_norm_loss(x: ArrayLike, gamma: ArrayLike, beta: ArrayLike, g: ArrayLike, channel_axis: int = 1,
                    eps: float = EPS) -> float:
    """The linear loss ``L = sum_i g_i y_i`` of the batch-norm output: its output gradient is ``g``."""
    return float(np.sum(np.asarray(g, dtype=np.float64) * batch_norm(x, gamma, beta, channel_axis, eps)))


def batch_norm_backward(x: ArrayLike, g: ArrayLike, gamma: ArrayLike, channel_axis: int = 1,
                        eps: float = EPS) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Gradients ``(dL/dx, dL/dgamma, dL/dbeta)`` given the output gradient ``g = dL/dy``.

    ``dL/dx_i = gamma / (N sqrt(var + eps)) * (N g_i - sum_j g_j - x_hat_i sum_j g_j x_hat_j)``, per channel.
    """
    xx = np.asarray(x, dtype=np.float64)
    gg = np.asarray(g, dtype=np.float64)
    axes = _reduce_axes(xx, channel_axis)
    n = xx.size // xx.shape[channel_axis]
    var = xx.var(axis=axes, keepdims=True)
    x_hat = normalize(xx, channel_axis, eps)
    sum_g = gg.sum(axis=axes, keepdims=True)
    sum_gx = (gg * x_hat).sum(axis=axes, keepdims=True)
    dx = _per_channel(gamma, xx, channel_axis) / (n * np.sqrt(var + eps)) * (n * gg - sum_g - x_hat * sum_gx)
    return dx, sum_gx.reshape(-1), sum_g.reshape(-1)


def layer_norm(x: ArrayLike, eps: float = EPS) -> NDArray[np.float64]:
    """Layer normalisation of a ``(B, ...)`` tensor without scale and shift: statistics per sample, over all other axes."""
    xx = np.asarray(x, dtype=np.float64)
    axes = tuple(range(1, xx.ndim))
    return (xx - xx.mean(axis=axes, keepdims=True)) / np.sqrt(xx.var(axis=axes, keepdims=True) + eps)


# --- Figures ---------------------------------------------------------------------


def channel_statistics() -> Figure:
    """Per-channel mean and standard deviation of a (32, 6, 8, 8) activation tensor before and after batch norm."""
    from matplotlib.figure import Figure

    rng = np.random.default_rng(7)
    loc = rng.uniform(-3, 3, size=6)
    scale = rng.uniform(0.3, 4, size=6)
    x = loc[None, :, None, None] + scale[None, :, None, None] * rng.standard_normal((32, 6, 8, 8))
    y = batch_norm(x, np.ones(6), np.zeros(6))
    y_affine = batch_norm(x, np.full(6, 2.0), np.full(6, 1.0))
    fig = Figure(figsize=(6.8, 3.4))
    ax = fig.subplots()
    for data, marker, colour, label in ((x, "o", "C1", "raw activations"), (y, "s", "C0", "normalised"),
                                        (y_affine, "^", "C2", "then γ = 2, β = 1")):
        mean, var = batch_stats(data)
        ax.errorbar(np.arange(6) + {"o": -0.2, "s": 0.0, "^": 0.2}[marker], mean, yerr=np.sqrt(var), fmt=marker,
                    color=colour, capsize=4, label=label)
    ax.axhline(0, color="C0", lw=0.8)
    ax.set_xticks(np.arange(6), [f"channel {c + 1}" for c in range(6)])
    ax.set_ylabel("mean ± standard deviation", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.legend(fontsize=10, loc="upper left", ncol=3)
    ax.set_ylim(-8, 10)
    return fig
