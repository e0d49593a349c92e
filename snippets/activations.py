"""Activation functions that turn scores into probabilities (softmax family).

All functions accept array-likes, work along ``axis`` (default: the last one)
and never overflow: exponentials are taken after shifting by the maximum.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def softmax(x: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """Softmax of ``x`` along ``axis``: ``exp(x_i) / sum_j exp(x_j)``.

    Same as ``scipy.special.softmax``. Shifting by the maximum leaves the
    result unchanged and keeps ``exp`` from overflowing (``x = 1000`` is fine).

    >>> softmax([1.0, 2.0, 3.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> softmax([1000.0, 1000.0])
    array([0.5, 0.5])
    >>> softmax([[0.0, 0.0], [0.0, 1e9]], axis=1)
    array([[0.5, 0.5],
           [0. , 1. ]])
    """
    z = np.asarray(x, dtype=np.float64)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """Logarithm of the softmax, ``x_i - log sum_j exp(x_j)``, without forming the softmax.

    Same as ``scipy.special.log_softmax``; stays finite where ``log(softmax(x))``
    would give ``-inf``.

    >>> log_softmax([0.0, 0.0]).round(6)
    array([-0.693147, -0.693147])
    >>> float(log_softmax([0.0, 1000.0])[0])
    -1000.0
    """
    z = np.asarray(x, dtype=np.float64)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax_jacobian(
    x: ArrayLike | None = None, *, s: ArrayLike | None = None
) -> NDArray[np.float64]:
    """Jacobian ``J_ij = d softmax(x)_i / d x_j = s_i (delta_ij - s_j)`` of the softmax.

    Give either the logits ``x`` or the probabilities ``s = softmax(x)``
    (keyword-only), not both. For ``x`` of shape ``(..., n)`` the result has
    shape ``(..., n, n)``: one Jacobian per vector along the last axis.

    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    >>> softmax_jacobian(s=[0.2, 0.8]).round(2)
    array([[ 0.16, -0.16],
           [-0.16,  0.16]])
    """
    if (x is None) == (s is None):
        raise TypeError("softmax_jacobian needs exactly one of x (logits) or s= (probabilities)")
    probs = softmax(x) if s is None else np.asarray(s, dtype=np.float64)
    n = probs.shape[-1]
    return probs[..., :, None] * (np.eye(n) - probs[..., None, :])


def hardmax(x: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """Limit of ``softmax(x / tau)`` as the temperature ``tau -> 0+``.

    A one-hot vector at the maximum; when several entries tie for the
    maximum, the mass is split equally between them (that is what the limit
    gives, and it keeps ``hardmax`` a probability vector).

    >>> hardmax([1.0, 3.0, 2.0])
    array([0., 1., 0.])
    >>> hardmax([2.0, 2.0, 0.0])
    array([0.5, 0.5, 0. ])
    """
    z = np.asarray(x, dtype=np.float64)
    is_max = (z == np.max(z, axis=axis, keepdims=True)).astype(np.float64)
    return is_max / np.sum(is_max, axis=axis, keepdims=True)


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:activations.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).
# matplotlib is imported inside them, so the numeric code above stays light.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def softmax_temperatures() -> Figure:
    """Softmax of five fixed logits at four temperatures: low ``T`` sharpens, high ``T`` flattens."""
    from matplotlib.figure import Figure

    logits = np.array([2.0, 1.0, 0.1, -0.5, -1.0])
    temperatures = [0.5, 1.0, 2.0, 5.0]
    fig = Figure()
    ax = fig.subplots()
    width = 0.8 / len(temperatures)
    index = np.arange(len(logits))
    for i, t in enumerate(temperatures):
        offset = (i - (len(temperatures) - 1) / 2) * width
        ax.bar(index + offset, softmax(logits / t), width * 0.92, label=f"$T = {t:g}$")
    ax.axhline(1 / len(logits), color="black", linestyle=":", linewidth=1.2, label="uniform")
    ax.set_xticks(index, [f"{x:g}" for x in logits])
    ax.set_xlabel("logit $x_i$")
    ax.set_ylabel(r"probability $\mathrm{softmax}(x / T)_i$")
    ax.set_ylim(0, 1)
    ax.grid(axis="x", visible=False)
    ax.legend()
    return fig
