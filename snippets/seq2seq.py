"""Encoder–decoder attention (Bahdanau et al., 2015): each decoder step reads a weighted average of all encoder states.

Encoder states are the rows of ``H`` (``T x d``); a decoder state ``s`` is a
``d``-vector (or the rows of ``S``, one per decoder step). Scores are dot
products ``s . h_j`` (Luong-style) or the additive form
``v . tanh(W_1 s + W_2 h_j)`` of Bahdanau et al.; the weights are their softmax
over ``j`` and the context is ``c = sum_j alpha_j h_j``. Without attention the
decoder gets one fixed vector, the last encoder state, for every step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.activations import softmax

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def additive_score(s: ArrayLike, h: ArrayLike, W_1: ArrayLike, W_2: ArrayLike, v: ArrayLike) -> float:
    """Bahdanau's alignment score ``v^T tanh(W_1 s + W_2 h)`` of one decoder state and one encoder state.

    >>> additive_score([0.0], [0.0], [[1.0]], [[1.0]], [1.0])
    0.0
    """
    pre = np.asarray(W_1, dtype=np.float64) @ np.ravel(s) + np.asarray(W_2, dtype=np.float64) @ np.ravel(h)
    return float(np.ravel(v) @ np.tanh(pre))


def attention_weights(S: ArrayLike, H: ArrayLike) -> NDArray[np.float64]:
    """Dot-product alignment weights ``alpha_tj = softmax_j(s_t . h_j)``, shape ``(steps, T)``; rows sum to 1.

    >>> attention_weights([[0.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]])
    array([[0.5, 0.5]])
    """
    return softmax(np.atleast_2d(np.asarray(S, dtype=np.float64)) @ np.asarray(H, dtype=np.float64).T, axis=-1)


def contexts(S: ArrayLike, H: ArrayLike) -> NDArray[np.float64]:
    """Context vectors ``c_t = sum_j alpha_tj h_j``, one row per decoder state: shape ``(steps, d)``.

    >>> contexts([[0.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]])
    array([[0.5, 0.5]])
    """
    return attention_weights(S, H) @ np.asarray(H, dtype=np.float64)


def context(s: ArrayLike, H: ArrayLike) -> NDArray[np.float64]:
    """The context vector of one decoder state ``s`` (a ``d``-vector): ``sum_j softmax_j(s . h_j) h_j``.

    >>> context([0.0], [[1.0], [3.0]])
    array([2.])
    """
    return contexts(np.ravel(s)[None], H)[0]


def linear_rnn_states(X: ArrayLike, W: ArrayLike, U: ArrayLike) -> NDArray[np.float64]:
    """Encoder states of the linear RNN ``h_t = W h_{t-1} + U x_t`` from ``h_0 = 0``; rows ``h_1 .. h_T``.

    >>> linear_rnn_states([[1.0], [1.0]], [[0.5]], [[1.0]])
    array([[1. ],
           [1.5]])
    """
    x = np.asarray(X, dtype=np.float64)
    w, u = np.asarray(W, dtype=np.float64), np.asarray(U, dtype=np.float64)
    h = np.zeros(w.shape[0])
    states = []
    for x_t in x:
        h = w @ h + u @ x_t
        states.append(h)
    return np.array(states)


def reversal_alignment(T: int = 8, d: int = 8, sharpness: float = 4.0, seed: int = 0) -> NDArray[np.float64]:
    """Alignment weights of a decoder that reverses its input: step ``t`` queries encoder position ``T + 1 - t``.

    The encoder states are noisy one-hot position codes and the decoder
    states are constructed to match them in reverse order, as a trained
    reversal model's would; the weights are then near the anti-diagonal.

    >>> alpha = reversal_alignment()
    >>> bool(np.all(alpha.argmax(axis=1) == np.arange(7, -1, -1)))
    True
    """
    rng = np.random.default_rng(seed)
    H = np.eye(T, d) + 0.15 * rng.normal(size=(T, d))
    S = sharpness * np.eye(T, d)[::-1]
    return attention_weights(S, H)


def bottleneck_figure() -> Figure:
    """Left: alignment weights of a reversing decoder. Right: how strongly each source position reaches the decoder."""
    from matplotlib.figure import Figure

    T = 8
    alpha = reversal_alignment(T)
    fig = Figure(figsize=(8.0, 3.7))
    heat_ax, path_ax = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.3]})
    image = heat_ax.imshow(alpha, cmap="Purples", vmin=0, vmax=1)
    heat_ax.set_xticks(range(T), [str(j + 1) for j in range(T)])
    heat_ax.set_yticks(range(T), [str(t + 1) for t in range(T)])
    heat_ax.set_xlabel("source position $j$")
    heat_ax.set_ylabel("decoder step $t$")
    heat_ax.set_title(r"weights $\alpha_{tj}$ (reversal)", fontsize=11)
    heat_ax.grid(False)
    fig.colorbar(image, ax=heat_ax, shrink=0.8)
    # Without attention: the decoder sees h_T only, and h_j reaches it through W^(T - j).
    T_long = 40
    W = 0.9 * np.linalg.qr(np.random.default_rng(1).normal(size=(8, 8)))[0]  # spectral norm 0.9
    positions = np.arange(1, T_long + 1)
    through_rnn = [np.linalg.norm(np.linalg.matrix_power(W, T_long - j), 2) for j in positions]
    path_ax.semilogy(positions, through_rnn, color="C1", lw=2,
                     label=r"no attention: $\|\partial h_T / \partial h_j\| = 0.9^{T-j}$")
    path_ax.semilogy(positions, np.full(T_long, 1.0), color="C0", lw=2, ls="--",
                     label=r"attention: direct path $\alpha_{tj} I$, here $\alpha_{tj} = 1$")
    path_ax.set_xlabel("source position $j$ ($T$ = 40)")
    path_ax.set_ylabel("gradient path gain")
    path_ax.set_ylim(1e-2, 3)
    path_ax.legend(loc="lower right", fontsize=9)
    return fig
