"""Turning scores into decisions: argmax and its one-hot form, logits, log-odds and the sigmoid.

``softmax`` and ``hardmax`` live in :mod:`snippets.activations`; this module
adds the index form of argmax, one-hot encoding, temperature scaling, a
central-difference Jacobian (to show that hardmax has zero gradient), and
the logit/sigmoid pair with numerically careful implementations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.activations import hardmax, softmax

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def argmax(x: ArrayLike, axis: int = -1) -> NDArray[np.intp]:
    """Index (0-based) of the largest entry along ``axis``; the first one wins a tie.

    Same as ``numpy.argmax``, but along the last axis by default. It returns a
    position, not a vector: :func:`one_hot` or ``hardmax`` give the vector form.

    >>> int(argmax([0.3, 2.0, -1.0]))
    1
    >>> int(argmax([5.0, 5.0, 1.0]))
    0
    >>> argmax([[1.0, 0.0], [0.0, 1.0]])
    array([0, 1])
    """
    return np.argmax(np.asarray(x, dtype=np.float64), axis=axis)


def one_hot(index: ArrayLike, n: int) -> NDArray[np.float64]:
    """Rows of the ``n x n`` identity picked by ``index`` (0-based): ``e_index``.

    >>> one_hot(2, 4)
    array([0., 0., 1., 0.])
    >>> one_hot([0, 1], 2)
    array([[1., 0.],
           [0., 1.]])
    """
    return np.eye(n)[np.asarray(index)]


def softmax_at_temperature(x: ArrayLike, temperature: float, axis: int = -1) -> NDArray[np.float64]:
    """``softmax(x / T)`` for a temperature ``T > 0``; small ``T`` approaches ``hardmax(x)``.

    >>> softmax_at_temperature([2.0, 1.0, 0.0], 1.0).round(3)
    array([0.665, 0.245, 0.09 ])
    >>> softmax_at_temperature([2.0, 1.0, 0.0], 0.01).round(3)
    array([1., 0., 0.])
    """
    if not temperature > 0:
        raise ValueError(f"the temperature must be positive, got {temperature}")
    return softmax(np.asarray(x, dtype=np.float64) / temperature, axis=axis)


def numerical_jacobian(
    f: Callable[[NDArray[np.float64]], ArrayLike], x: ArrayLike, step: float = 1e-6
) -> NDArray[np.float64]:
    """Central-difference Jacobian ``J[i, j] ~ (f(x + h e_j)_i - f(x - h e_j)_i) / 2h`` of a vector function.

    >>> numerical_jacobian(lambda v: v**2, [1.0, 3.0]).round(6)
    array([[2., 0.],
           [0., 6.]])
    >>> numerical_jacobian(hardmax, [0.2, 1.5, -0.7])
    array([[0., 0., 0.],
           [0., 0., 0.],
           [0., 0., 0.]])
    """
    point = np.asarray(x, dtype=np.float64)
    columns = [
        (np.asarray(f(point + step * e), dtype=np.float64) - np.asarray(f(point - step * e), dtype=np.float64))
        / (2 * step)
        for e in np.eye(point.size)
    ]
    return np.stack(columns, axis=-1)


def hardmax_gap(x: ArrayLike, temperature: float) -> float:
    """Largest absolute difference between ``softmax(x / T)`` and ``hardmax(x)``.

    Tends to zero as ``T -> 0+``, also when the maximum is tied (hardmax then
    splits the mass equally, which is exactly the limit).

    >>> [round(hardmax_gap([2.0, 1.0, 0.0], t), 6) for t in (1.0, 0.1, 0.01)]
    [0.334759, 4.5e-05, 0.0]
    """
    return float(np.max(np.abs(softmax_at_temperature(x, temperature) - hardmax(x))))


def logit(p: ArrayLike) -> NDArray[np.float64] | float:
    """Log-odds ``ln(p / (1 - p))`` of a probability ``p`` in ``[0, 1]``.

    Same as ``scipy.special.logit``: ``-inf`` at 0, ``+inf`` at 1. Written as
    ``log(p) - log1p(-p)`` so that probabilities near 0 and near 1 keep
    their precision.

    >>> round(logit(0.8), 6)
    1.386294
    >>> logit(0.5)
    0.0
    >>> logit([0.0, 1.0])
    array([-inf,  inf])
    """
    q = np.asarray(p, dtype=np.float64)
    with np.errstate(divide="ignore"):
        result = np.log(q) - np.log1p(-q)
    return float(result) if result.ndim == 0 else result


def sigmoid(z: ArrayLike) -> NDArray[np.float64] | float:
    """Logistic sigmoid ``1 / (1 + exp(-z))``, the inverse of :func:`logit`.

    Same as ``scipy.special.expit``. Only ``exp(-|z|)`` is ever formed, so no
    exponential overflows (``z = -1000`` is fine): ``1 / (1 + e)`` for
    ``z >= 0`` and ``e / (1 + e)`` for ``z < 0``, with ``e = exp(-|z|)``.

    >>> sigmoid(0.0)
    0.5
    >>> round(sigmoid(2.0), 6)
    0.880797
    >>> sigmoid([-1000.0, 1000.0])
    array([0., 1.])
    """
    u = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(u))
    result = np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(result) if result.ndim == 0 else result


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:classification.<name>).


def temperature_to_hardmax() -> Figure:
    """``softmax(x / T)`` of four fixed logits for T = 2, 1, 0.3, 0.05: the bars converge to the one-hot hardmax."""
    from matplotlib.figure import Figure

    logits = np.array([1.0, 2.5, 2.0, -0.5])
    temperatures = [2.0, 1.0, 0.3, 0.05]
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.subplots()
    width = 0.8 / (len(temperatures) + 1)
    index = np.arange(len(logits))
    bars = [(f"$T = {t:g}$", softmax_at_temperature(logits, t), f"C{i}") for i, t in enumerate(temperatures)]
    bars.append(("hardmax", hardmax(logits), "C5"))
    for i, (label, values, color) in enumerate(bars):
        offset = (i - (len(bars) - 1) / 2) * width
        ax.bar(index + offset, values, width * 0.92, label=label, color=color,
               hatch="//" if label == "hardmax" else None)
    ax.set_xticks(index, [f"{x:g}" for x in logits])
    ax.set_xlabel("logit $x_i$")
    ax.set_ylabel(r"$\mathrm{softmax}(x / T)_i$")
    ax.set_ylim(0, 1.05)
    ax.grid(axis="x", visible=False)
    ax.legend(ncols=2)
    return fig


def logit_and_sigmoid() -> Figure:
    """The logit on (0, 1) and the sigmoid on the real line: each is the other's mirror image in y = x."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.2, 3.4))
    left, right = fig.subplots(1, 2)
    p = np.linspace(0.002, 0.998, 400)
    left.plot(p, logit(p), color="C0")
    left.axhline(0, color="C5", linewidth=0.8)
    left.axvline(0.5, color="C5", linewidth=0.8, linestyle=":")
    left.set_xlabel("probability $p$")
    left.set_ylabel(r"$\mathrm{logit}(p) = \ln \frac{p}{1-p}$")
    left.set_ylim(-6.5, 6.5)
    left.set_title("logit: probability to log-odds")
    z = np.linspace(-6.5, 6.5, 400)
    right.plot(z, sigmoid(z), color="C1")
    right.axvline(0, color="C5", linewidth=0.8)
    right.axhline(0.5, color="C5", linewidth=0.8, linestyle=":")
    right.set_xlabel("log-odds $z$")
    right.set_ylabel(r"$\sigma(z) = 1 / (1 + e^{-z})$")
    right.set_ylim(-0.02, 1.02)
    right.set_title("sigmoid: log-odds to probability")
    return fig
