"""The transformer-circuits view of attention: residual stream, per-head sums, QK and OV circuits.

Convention (as in Elhage et al., 2021): tokens are *columns*. The residual
stream of ``N`` tokens is ``X`` of shape ``(D, N)``. Head ``h`` has
``W_Q, W_K, W_V`` of shape ``(d, D)`` and an output block ``W_O`` of shape
``(D, d)``; stacked over heads they are ``(H, d, D)`` and ``(H, D, d)``.
Scores are ``s_ij = (W_Q x_i) . (W_K x_j) / sqrt(d)``, the attention matrix
``A`` (``N x N``) normalises each row ``i`` over the keys ``j``, and the head
writes ``W_O W_V X A^T`` into the stream.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.activations import softmax

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def random_heads(D: int, H: int, d: int, seed: int = 0) -> dict[str, NDArray[np.float64]]:
    """Gaussian weights for ``H`` heads of width ``d`` on a stream of width ``D`` (entries of variance ``1 / D``).

    >>> {name: w.shape for name, w in random_heads(8, 2, 4).items()}
    {'W_Q': (2, 4, 8), 'W_K': (2, 4, 8), 'W_V': (2, 4, 8), 'W_O': (2, 8, 4)}
    """
    rng = np.random.default_rng(seed)
    scale = 1.0 / np.sqrt(D)
    return {"W_Q": rng.normal(0, scale, (H, d, D)), "W_K": rng.normal(0, scale, (H, d, D)),
            "W_V": rng.normal(0, scale, (H, d, D)), "W_O": rng.normal(0, scale, (H, D, d))}


def qk_circuit(W_Q: ArrayLike, W_K: ArrayLike) -> NDArray[np.float64]:
    """``W_QK = W_Q^T W_K`` (``D x D``, rank at most ``d``): the bilinear form ``x_i^T W_QK x_j`` of the scores.

    >>> qk_circuit(np.eye(2)[:1], np.eye(2)[:1])
    array([[1., 0.],
           [0., 0.]])
    """
    return np.swapaxes(np.asarray(W_Q, dtype=np.float64), -1, -2) @ np.asarray(W_K, dtype=np.float64)


def ov_circuit(W_O: ArrayLike, W_V: ArrayLike) -> NDArray[np.float64]:
    """``W_OV = W_O W_V`` (``D x D``, rank at most ``d``): what a head writes for each token it attends to.

    >>> ov_circuit(np.ones((2, 1)), np.array([[1.0, 0.0]]))
    array([[1., 0.],
           [1., 0.]])
    """
    return np.asarray(W_O, dtype=np.float64) @ np.asarray(W_V, dtype=np.float64)


def head_attention(X: ArrayLike, W_Q: ArrayLike, W_K: ArrayLike) -> NDArray[np.float64]:
    """The ``N x N`` attention matrix of one head: row ``i`` is ``softmax_j((W_Q x_i) . (W_K x_j) / sqrt(d))``.

    >>> head_attention(np.zeros((2, 3)), np.ones((1, 2)), np.ones((1, 2)))[0]
    array([0.33333333, 0.33333333, 0.33333333])
    """
    x = np.asarray(X, dtype=np.float64)
    q, k = np.asarray(W_Q, dtype=np.float64) @ x, np.asarray(W_K, dtype=np.float64) @ x
    return softmax(q.T @ k / np.sqrt(q.shape[0]), axis=-1)


def head_result(X: ArrayLike, W_Q: ArrayLike, W_K: ArrayLike, W_V: ArrayLike) -> NDArray[np.float64]:
    """``r = W_V X A^T`` (``d x N``): the head's result before the output projection, computed the usual way.

    >>> head_result(np.eye(2), np.zeros((1, 2)), np.zeros((1, 2)), np.array([[2.0, 4.0]]))
    array([[3., 3.]])
    """
    x = np.asarray(X, dtype=np.float64)
    return (np.asarray(W_V, dtype=np.float64) @ x) @ head_attention(x, W_Q, W_K).T


def multi_head_concat(X: ArrayLike, heads: dict[str, NDArray[np.float64]]) -> NDArray[np.float64]:
    """Multi-head attention the textbook way: stack every head's result, then one ``D x Hd`` matrix ``W_O``.

    >>> multi_head_concat(np.eye(2), random_heads(2, 2, 1)).shape
    (2, 2)
    """
    H = heads["W_Q"].shape[0]
    stacked = np.concatenate([head_result(X, heads["W_Q"][h], heads["W_K"][h], heads["W_V"][h]) for h in range(H)])
    W_O = np.concatenate(list(heads["W_O"]), axis=1)  # (D, H d): the head blocks side by side
    return W_O @ stacked


def residual_stream(x0: ArrayLike, layers: int, seed: int = 0) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Run ``layers`` random tanh layers, each *adding* its output to the stream; returns ``(states, writes)``.

    ``states`` is ``(layers + 1, D)`` (``x_0`` first), ``writes[l - 1]`` is
    what layer ``l`` added: ``f_l(x_{l-1})``. Each layer reads the whole
    current stream.

    >>> states, writes = residual_stream(np.ones(3), 2)
    >>> bool(np.allclose(states[-1], states[0] + writes.sum(axis=0)))
    True
    """
    rng = np.random.default_rng(seed)
    x = np.asarray(x0, dtype=np.float64)
    D = x.shape[0]
    states, writes = [x], []
    for _ in range(layers):
        W_in, W_out = rng.normal(0, 1 / np.sqrt(D), (2, D, D))
        write = W_out @ np.tanh(W_in @ x)
        x = x + write
        states.append(x)
        writes.append(write)
    return np.array(states), np.array(writes).reshape(layers, D)


def orthogonal_complement_projector(M: ArrayLike, tol: float = 1e-10) -> NDArray[np.float64]:
    """``I - P``, with ``P`` the orthogonal projector onto the column space of ``M`` (from its SVD).

    >>> orthogonal_complement_projector(np.array([[1.0], [0.0]]))
    array([[0., 0.],
           [0., 1.]])
    """
    m = np.asarray(M, dtype=np.float64)
    U, s, _ = np.linalg.svd(m, full_matrices=True)
    U_r = U[:, : int(np.sum(s > tol * max(s.max(initial=0.0), 1.0)))]
    return np.eye(m.shape[0]) - U_r @ U_r.T


def circuit_spectra() -> Figure:
    """Singular values of one head's W_OV and W_QK (D = 64, d = 16): exactly 16 are non-zero."""
    from matplotlib.figure import Figure

    heads = random_heads(64, 4, 16, seed=0)
    spectra = {r"$W_{OV} = W_O W_V$": np.linalg.svd(ov_circuit(heads["W_O"][0], heads["W_V"][0]), compute_uv=False),
               r"$W_{QK} = W_Q^\top W_K$": np.linalg.svd(qk_circuit(heads["W_Q"][0], heads["W_K"][0]),
                                                        compute_uv=False)}
    fig = Figure(figsize=(6.6, 3.4))
    ax = fig.subplots()
    index = np.arange(1, 65)
    for i, (label, s) in enumerate(spectra.items()):
        ax.semilogy(index + 0.2 * i, np.maximum(s, 1e-18), "o", markersize=4, color=f"C{i}", label=label)
    ax.axvline(16.5, color="#777777", lw=1, ls="--")
    ax.text(17.5, 1e-3, "$d_{\\mathrm{head}}$ = 16", fontsize=11)
    ax.set_xlabel("singular value index (of 64)")
    ax.set_ylabel("singular value")
    ax.set_ylim(1e-18, 10)
    ax.legend(loc="center right")
    return fig
