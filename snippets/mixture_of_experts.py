"""A sparse mixture-of-experts layer: a linear router picks the top k of n experts for each token.

Tokens are rows: ``X`` has shape ``(T, d)``. The router is a matrix
``W_gate`` of shape ``(n, d)``, so the router logits are ``g = X @ W_gate.T``
with shape ``(T, n)``. The experts here are linear maps, ``W_experts`` of
shape ``(n, e, d)``, expert ``i`` sending a token ``x`` to ``W_experts[i] @ x``;
any function of ``x`` would do, linear ones keep the checks small.

Two gate conventions are implemented. ``renormalize=True`` (the default)
takes the softmax over the k selected logits only, so the k weights sum to
1 (Shazeer et al., 2017; Mixtral). ``renormalize=False`` takes the softmax
over all n logits and keeps the selected k entries unchanged, so they sum
to less than 1 (Switch Transformer with k = 1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.activations import softmax

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def router_logits(X: ArrayLike, W_gate: ArrayLike) -> NDArray[np.float64]:
    """Router scores ``g(x) = W_gate x`` for every token (rows of ``X``): shape ``(T, n)``.

    >>> router_logits([[1.0, 2.0]], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    array([[1., 2., 3.]])
    """
    return np.asarray(X, dtype=np.float64) @ np.asarray(W_gate, dtype=np.float64).T


def top_k_mask(logits: ArrayLike, k: int) -> NDArray[np.float64]:
    """1.0 at the k largest logits of each row, 0.0 elsewhere; ties go to the lower index.

    >>> top_k_mask([[0.1, 2.0, -1.0, 0.5]], 2)
    array([[0., 1., 0., 1.]])
    >>> top_k_mask([1.0, 1.0, 1.0], 1)
    array([1., 0., 0.])
    """
    g = np.asarray(logits, dtype=np.float64)
    n = g.shape[-1]
    if int(k) != k:
        raise ValueError(f"k must be an integer, got {k}")
    k = int(k)
    if not 1 <= k <= n:
        raise ValueError(f"k must be between 1 and the number of experts {n}, got {k}")
    order = np.argsort(-g, axis=-1, kind="stable")[..., :k]
    mask = np.zeros_like(g)
    np.put_along_axis(mask, order, 1.0, axis=-1)
    return mask


def keep_top_k(logits: ArrayLike, k: int) -> NDArray[np.float64]:
    """The logits with everything outside the top k set to ``-inf`` (``KeepTopK`` of Shazeer et al.).

    >>> keep_top_k([0.1, 2.0, -1.0, 0.5], 2)
    array([-inf,  2. , -inf,  0.5])
    """
    g = np.asarray(logits, dtype=np.float64)
    return np.where(top_k_mask(g, k) > 0, g, -np.inf)


def gate_weights(logits: ArrayLike, k: int, renormalize: bool = True) -> NDArray[np.float64]:
    """Gate value of every expert for every token; zero outside the top k.

    ``renormalize=True``: ``softmax(keep_top_k(g, k))``, the k weights sum to 1.
    ``renormalize=False``: ``top_k_mask(g, k) * softmax(g)``, the weights the
    softmax over all experts gave the selected ones.

    >>> g = [2.0, 1.0, 0.0, -1.0]
    >>> gate_weights(g, 2).round(4)
    array([0.7311, 0.2689, 0.    , 0.    ])
    >>> gate_weights(g, 2, renormalize=False).round(4)
    array([0.6439, 0.2369, 0.    , 0.    ])
    """
    g = np.asarray(logits, dtype=np.float64)
    if renormalize:
        return softmax(keep_top_k(g, k))
    return top_k_mask(g, k) * softmax(g)


def linear_experts(X: ArrayLike, W_experts: ArrayLike) -> NDArray[np.float64]:
    """Every expert applied to every token (dense, for reference): shape ``(T, n, e)``.

    >>> linear_experts([[1.0, 1.0]], [[[1.0, 0.0]], [[0.0, 2.0]]])
    array([[[1.],
            [2.]]])
    """
    return np.einsum("ned,td->tne", np.asarray(W_experts, dtype=np.float64), np.asarray(X, dtype=np.float64))


def moe_forward(X: ArrayLike, W_gate: ArrayLike, W_experts: ArrayLike, k: int = 2,
                renormalize: bool = True) -> NDArray[np.float64]:
    """``y = sum_i G(x)_i E_i(x)``, running each expert only on the tokens routed to it: shape ``(T, e)``.

    This is the sparse computation a real layer performs: the loop is over
    experts, and expert ``i`` sees only its own tokens. It equals the dense
    ``einsum("tn,tne->te", gate_weights(g, k), linear_experts(X, W))``.

    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> W_gate = np.array([[5.0, 0.0], [0.0, 5.0], [0.0, 0.0]])
    >>> W_experts = np.array([[[1.0, 1.0]], [[10.0, 10.0]], [[100.0, 100.0]]])
    >>> moe_forward(X, W_gate, W_experts, k=1)
    array([[ 1.],
           [10.]])
    """
    tokens = np.asarray(X, dtype=np.float64)
    experts = np.asarray(W_experts, dtype=np.float64)
    weights = gate_weights(router_logits(tokens, W_gate), k, renormalize)
    out = np.zeros((tokens.shape[0], experts.shape[1]))
    for i, W in enumerate(experts):
        routed = np.flatnonzero(weights[:, i] > 0)
        if routed.size:
            out[routed] += weights[routed, i, None] * (tokens[routed] @ W.T)
    return out


def tokens_per_expert(logits: ArrayLike, k: int) -> NDArray[np.int64]:
    """How many tokens (rows of ``logits``) select each expert among their top k; the counts sum to ``T k``.

    >>> tokens_per_expert([[3.0, 2.0, 1.0], [1.0, 2.0, 3.0]], 2)
    array([1, 2, 1])
    """
    return top_k_mask(logits, k).sum(axis=0).astype(np.int64)


def parameter_counts(n_experts: int, k: int, expert_params: int, shared_params: int = 0) -> tuple[int, int]:
    """``(stored, active per token)`` = ``(shared + n P_expert, shared + k P_expert)``.

    Mixtral 8x7B in round numbers: 8 experts, 2 active, about 5.6e9
    parameters per expert (summed over layers) and 1.6e9 shared (attention, embeddings).

    >>> stored, active = parameter_counts(8, 2, 5_633_000_000, 1_633_000_000)
    >>> round(stored / 1e9, 1), round(active / 1e9, 1)
    (46.7, 12.9)
    """
    if not 1 <= k <= n_experts:
        raise ValueError(f"k must be between 1 and {n_experts}, got {k}")
    return shared_params + n_experts * expert_params, shared_params + k * expert_params


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:mixture_of_experts.<name>).


def router_load() -> Figure:
    """Tokens per expert for a random (untrained) linear router: 4096 tokens, 16 experts, top-2."""
    from matplotlib.figure import Figure

    rng = np.random.default_rng(7)
    T, d, n, k = 4096, 64, 16, 2
    X = rng.normal(size=(T, d))
    W_gate = rng.normal(scale=1 / np.sqrt(d), size=(n, d))
    counts = tokens_per_expert(router_logits(X, W_gate), k)
    fair = T * k / n
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.subplots()
    ax.bar(np.arange(1, n + 1), counts, 0.75, color="C0", label="tokens routed to the expert")
    ax.axhline(fair, color="C1", linestyle="--", label=f"perfect balance $Tk/n$ = {fair:g}")
    ax.axhline(1.25 * fair, color="C3", linestyle=":", label="capacity at factor 1.25")
    ax.set_xticks(np.arange(1, n + 1))
    ax.set_xlabel("expert")
    ax.set_ylabel("tokens")
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper right")
    return fig
