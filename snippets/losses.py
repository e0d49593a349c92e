"""Regression losses: the squared residual, the mean squared error, and the Gaussian
negative log-likelihood that justifies them.

The per-example functions work elementwise on array-likes; the means
average over the last axis.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.information import cross_entropy


def squared_error(y: ArrayLike, y_hat: ArrayLike) -> NDArray[np.float64] | float:
    """Squared residual ``(y - y_hat)^2`` of each prediction, for targets of any range.

    >>> squared_error([3.0, -1.0, 250.0], [2.5, 0.0, 240.0])
    array([  0.25,   1.  , 100.  ])
    >>> round(squared_error(1.0, 0.8), 12)    # target 1, predicted probability 0.8: (1 - p)^2
    0.04
    """
    result = (np.asarray(y, dtype=np.float64) - np.asarray(y_hat, dtype=np.float64)) ** 2
    return float(result) if result.ndim == 0 else result


def mse(y: ArrayLike, y_hat: ArrayLike) -> NDArray[np.float64] | float:
    """Mean squared error ``mean((y - y_hat)^2)`` over the last axis.

    Same as ``sklearn.metrics.mean_squared_error`` for 1-D inputs.

    >>> mse([3.0, -1.0, 250.0], [2.5, 0.0, 240.0])
    33.75
    """
    result = np.mean(squared_error(y, y_hat), axis=-1)
    return float(result) if np.ndim(result) == 0 else result


def gaussian_nll(y: ArrayLike, y_hat: ArrayLike, sigma: float) -> NDArray[np.float64] | float:
    """Negative log-likelihood of ``y`` under a normal distribution with mean ``y_hat``
    and standard deviation ``sigma``: ``(y - y_hat)^2 / (2 sigma^2) + log(2 pi sigma^2) / 2``.

    Same as ``-scipy.stats.norm.logpdf(y, loc=y_hat, scale=sigma)``. For a fixed
    ``sigma`` it is the squared residual up to a scale and a constant, so the
    least-squares fit is the maximum-likelihood fit under Gaussian noise.

    >>> round(gaussian_nll(0.0, 0.0, 1.0), 6)
    0.918939
    >>> gaussian_nll([1.0, 3.0], [1.0, 1.0], 1.0) - gaussian_nll(1.0, 1.0, 1.0)
    array([0., 2.])
    """
    result = squared_error(y, y_hat) / (2.0 * sigma**2) + 0.5 * np.log(2.0 * np.pi * sigma**2)
    return float(result) if np.ndim(result) == 0 else result


def sigmoid_output_gradients(z: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gradients with respect to the logit ``z`` for the target ``y = 1`` and the output
    ``q = sigmoid(z)``: cross-entropy ``q - 1`` and squared error ``2 (q - 1) q (1 - q)``.

    >>> ce, se = sigmoid_output_gradients([-4.0, 0.0])
    >>> ce.round(3), se.round(3)
    (array([-0.982, -0.5  ]), array([-0.035, -0.25 ]))
    """
    zz = np.asarray(z, dtype=np.float64)
    q = 0.5 * (1.0 + np.tanh(0.5 * zz))  # sigmoid, without overflow
    return q - 1.0, 2.0 * (q - 1.0) * q * (1.0 - q)


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:losses.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).
# matplotlib is imported inside them, so the numeric code above stays light.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def loss_vs_true_class_probability() -> Figure:
    """Cross-entropy ``-log q`` and squared error ``(1 - q)^2`` against the probability ``q``
    given to the true class (left), and their gradients with respect to the logit of a
    sigmoid output (right): only the cross-entropy gradient stays large when ``q`` is near 0."""
    from matplotlib.figure import Figure

    q = np.linspace(0.005, 1.0, 400)
    one_hot = np.stack([np.ones_like(q), np.zeros_like(q)], axis=-1)
    predicted = np.stack([q, 1.0 - q], axis=-1)
    fig = Figure(figsize=(6.4, 3.2))
    left, right = fig.subplots(1, 2)
    left.plot(q, cross_entropy(one_hot, predicted), color="C0", label="cross-entropy $-\\log q$")
    left.plot(q, squared_error(1.0, q), color="C1", label="squared error $(1 - q)^2$")
    left.set_xlabel("probability $q$ of the true class")
    left.set_ylabel("loss")
    left.set_xlim(0, 1)
    left.set_ylim(0, 4)
    left.legend()
    left.set_title("loss")

    z = np.linspace(-8.0, 8.0, 400)
    ce, se = sigmoid_output_gradients(z)
    q_z = 0.5 * (1.0 + np.tanh(0.5 * z))
    right.plot(q_z, np.abs(ce), color="C0", label="cross-entropy")
    right.plot(q_z, np.abs(se), color="C1", label="squared error")
    right.set_xlabel("probability $q = \\sigma(z)$ of the true class")
    right.set_ylabel("$|\\partial\\,\\mathrm{loss} / \\partial z|$")
    right.set_xlim(0, 1)
    right.set_ylim(0, 1.05)
    right.legend()
    right.set_title("gradient at the logit of a sigmoid output")
    return fig
