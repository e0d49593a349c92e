"""A transformer block in numpy: position-wise FFN, layer norm, the post-LN block, and its costs.

Tokens are rows: ``H`` is ``(T, D)`` for ``T`` positions of width ``D``.
Attention comes from ``snippets.attention``. The cost functions count
parameters and multiply-accumulates (MACs) of one layer from the list of
matrix products the layer performs (``layer_matmuls``), so the closed forms
on the pages (``4TD^2``, ``2T^2D``, ``8TD^2``; ``4D^2 + 4D``, ``8D^2 + 5D``)
are checked against a count, not restated. Softmax, layer norm, biases and
the activation are elementwise work of order ``TD`` or ``T^2`` and are left
out of the MAC counts, as is usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.attention import multi_head_attention, split_heads

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def relu(x: ArrayLike) -> NDArray[np.float64]:
    """``max(0, x)`` elementwise.

    >>> relu([-1.0, 0.0, 2.5])
    array([0. , 0. , 2.5])
    """
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)


def feed_forward(H: ArrayLike, W_1: ArrayLike, b_1: ArrayLike, W_2: ArrayLike, b_2: ArrayLike) -> NDArray[np.float64]:
    """The position-wise FFN ``ReLU(H W_1 + b_1) W_2 + b_2``: the same two-layer MLP on every row.

    ``W_1`` is ``(D, D_ff)``, ``W_2`` is ``(D_ff, D)``.

    >>> feed_forward([[1.0, -1.0]], [[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0], [[2.0, 0.0], [0.0, 2.0]], [0.5, 0.5])
    array([[2.5, 0.5]])
    """
    h = np.asarray(H, dtype=np.float64)
    hidden = relu(h @ np.asarray(W_1, dtype=np.float64) + np.asarray(b_1, dtype=np.float64))
    return hidden @ np.asarray(W_2, dtype=np.float64) + np.asarray(b_2, dtype=np.float64)


def layer_norm(H: ArrayLike, gamma: ArrayLike | None = None, beta: ArrayLike | None = None,
               eps: float = 1e-5) -> NDArray[np.float64]:
    """Normalise each row to mean 0 and variance 1 (over its ``D`` features), then scale and shift.

    ``gamma`` and ``beta`` (length ``D``) default to 1 and 0; ``eps`` keeps a
    constant row finite (PyTorch's default).

    >>> layer_norm([[1.0, 3.0]]).round(4)
    array([[-1.,  1.]])
    """
    h = np.asarray(H, dtype=np.float64)
    centred = h - h.mean(axis=-1, keepdims=True)
    normed = centred / np.sqrt(centred.var(axis=-1, keepdims=True) + eps)
    scale = 1.0 if gamma is None else np.asarray(gamma, dtype=np.float64)
    shift = 0.0 if beta is None else np.asarray(beta, dtype=np.float64)
    return normed * scale + shift


def init_block(D: int, n_heads: int, D_ff: int | None = None, rng: int | np.random.Generator | None = 0
               ) -> dict[str, NDArray[np.float64]]:
    """Random weights of one encoder block, biases and layer norms included, as named arrays.

    ``D_ff`` defaults to ``4 D``. Counting the entries of these arrays is how
    the parameter formulas are checked.

    >>> params = init_block(8, 2)
    >>> sorted(params)[:4], params["W_1"].shape
    (['W_1', 'W_2', 'W_k', 'W_o'], (8, 32))
    """
    if D % n_heads:
        raise ValueError(f"the width D = {D} is not divisible by the number of heads {n_heads}")
    g = np.random.default_rng(rng)
    params = {}
    for name, shape in init_block_shapes(D, n_heads, D_ff).items():
        if name.startswith("gamma"):
            params[name] = np.ones(shape)
        elif name.startswith("beta"):
            params[name] = np.zeros(shape)
        else:  # weights scaled by 1/sqrt(fan-in), biases small
            params[name] = g.normal(scale=shape[0] ** -0.5 if len(shape) == 2 else 0.1, size=shape)
    return params


def self_attention(H: ArrayLike, params: dict[str, NDArray[np.float64]], n_heads: int,
                   mask: ArrayLike | None = None) -> NDArray[np.float64]:
    """Multi-head self-attention of the rows of ``H`` with the block's projections and biases.

    The biases of ``W^Q, W^K, W^V`` are added before the split into heads,
    that of ``W^O`` after the output projection (as in PyTorch).
    """
    h = np.asarray(H, dtype=np.float64)
    q, k, v = (h @ params[f"W_{x}"] + params[f"b_{x}"] for x in "qkv")
    eye = split_heads(np.eye(h.shape[-1]), n_heads)  # the heads' column blocks of the identity
    return multi_head_attention(q, k, v, eye, eye, eye, params["W_o"], mask) + params["b_o"]


def block_ffn(H: ArrayLike, params: dict[str, NDArray[np.float64]]) -> NDArray[np.float64]:
    """The block's feed-forward sublayer with its weights ``W_1, b_1, W_2, b_2`` from ``params``."""
    return feed_forward(H, params["W_1"], params["b_1"], params["W_2"], params["b_2"])


def transformer_block(H: ArrayLike, params: dict[str, NDArray[np.float64]], n_heads: int,
                      mask: ArrayLike | None = None, pre_norm: bool = False) -> NDArray[np.float64]:
    """One block: attention and FFN sublayers, each with a residual connection and a layer norm.

    Post-LN (the original, default): ``H' = LN(H + MHA(H))``, ``H'' = LN(H' + FFN(H'))``.
    Pre-LN (``pre_norm=True``, GPT-2 and most later models):
    ``H' = H + MHA(LN(H))``, ``H'' = H' + FFN(LN(H'))``.

    >>> H = np.random.default_rng(1).normal(size=(3, 8))
    >>> transformer_block(H, init_block(8, 2), 2).shape
    (3, 8)
    """
    return transformer_block_steps(H, params, n_heads, mask, pre_norm)[1]


def transformer_block_steps(H: ArrayLike, params: dict[str, NDArray[np.float64]], n_heads: int,
                            mask: ArrayLike | None = None, pre_norm: bool = False
                            ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(H', H'')``: the block's output after its attention sublayer and after its FFN sublayer."""
    p = params
    h = np.asarray(H, dtype=np.float64)

    def ln1(x: NDArray[np.float64]) -> NDArray[np.float64]:
        return layer_norm(x, p["gamma_1"], p["beta_1"])

    def ln2(x: NDArray[np.float64]) -> NDArray[np.float64]:
        return layer_norm(x, p["gamma_2"], p["beta_2"])

    def ffn(x: NDArray[np.float64]) -> NDArray[np.float64]:
        return block_ffn(x, p)

    if pre_norm:
        h1 = h + self_attention(ln1(h), p, n_heads, mask)
        return h1, h1 + ffn(ln2(h1))
    h1 = ln1(h + self_attention(h, p, n_heads, mask))
    return h1, ln2(h1 + ffn(h1))


def seeded_sublayers(H: ArrayLike, n_heads: int, seed: int = 0, pre_norm: bool = False
                     ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """For the block ``init_block(D, n_heads, rng=seed)``: ``(MHA(H), FFN(H), H', H'')``.

    Everything is an array, so a formula check can name one random block by
    its seed and compare the block's steps with its sublayers.
    """
    h = np.asarray(H, dtype=np.float64)
    params = init_block(h.shape[-1], n_heads, rng=seed)
    h1, h2 = transformer_block_steps(h, params, n_heads, pre_norm=pre_norm)
    return self_attention(h, params, n_heads), block_ffn(h, params), h1, h2


# --- Counting parameters and multiply-accumulates -----------------------------------


def attention_parameters(D: int, biases: bool = True) -> int:
    """Parameters of the attention sublayer, counted from the shapes ``init_block`` gives it.

    >>> attention_parameters(512), attention_parameters(512, biases=False)
    (1050624, 1048576)
    """
    return _count(init_block_shapes(D, 1), ("W_q", "W_k", "W_v", "W_o"), ("b_q", "b_k", "b_v", "b_o"), biases)


def ffn_parameters(D: int, D_ff: int | None = None, biases: bool = True) -> int:
    """Parameters of the FFN sublayer (``D_ff`` defaults to ``4 D``).

    >>> ffn_parameters(512), ffn_parameters(512, biases=False)
    (2099712, 2097152)
    """
    return _count(init_block_shapes(D, 1, D_ff), ("W_1", "W_2"), ("b_1", "b_2"), biases)


def layer_norm_parameters(D: int) -> int:
    """The two layer norms of a block, a scale and a shift of length ``D`` each: ``4 D``.

    >>> layer_norm_parameters(512)
    2048
    """
    return _count(init_block_shapes(D, 1), ("gamma_1", "beta_1", "gamma_2", "beta_2"), (), False)


def block_parameters(D: int, D_ff: int | None = None, biases: bool = True, layer_norms: bool = True) -> int:
    """All parameters of one block: attention, FFN and (optionally) the layer norms.

    >>> block_parameters(768)
    7087872
    """
    total = attention_parameters(D, biases) + ffn_parameters(D, D_ff, biases)
    return total + (layer_norm_parameters(D) if layer_norms else 0)


def decoder_parameters(layers: int, D: int, vocabulary: int, context: int, D_ff: int | None = None) -> int:
    """A GPT-2-style decoder: ``layers`` blocks, token and learned position embeddings, a final layer norm.

    The output layer reuses the token embedding (tied weights), so it adds nothing.
    GPT-2 small (12 layers, D = 768, 50,257 tokens, context 1,024):

    >>> decoder_parameters(12, 768, 50257, 1024)
    124439808
    """
    embeddings = vocabulary * D + context * D
    final_norm = 2 * D
    return layers * block_parameters(D, D_ff) + embeddings + final_norm


def init_block_shapes(D: int, n_heads: int, D_ff: int | None = None) -> dict[str, tuple[int, ...]]:
    """The shapes of ``init_block``'s arrays, without drawing them (so ``D = 12288`` costs nothing)."""
    D_ff = 4 * D if D_ff is None else D_ff
    return {"W_q": (D, D), "W_k": (D, D), "W_v": (D, D), "W_o": (D, D),
            "b_q": (D,), "b_k": (D,), "b_v": (D,), "b_o": (D,),
            "W_1": (D, D_ff), "b_1": (D_ff,), "W_2": (D_ff, D), "b_2": (D,),
            "gamma_1": (D,), "beta_1": (D,), "gamma_2": (D,), "beta_2": (D,)}


def _count(shapes: dict[str, tuple[int, ...]], weights: tuple[str, ...], biases: tuple[str, ...],
           with_biases: bool) -> int:
    names = weights + (biases if with_biases else ())
    return int(sum(np.prod(shapes[name], dtype=np.int64) for name in names))


def layer_matmuls(T: int | NDArray[np.int64], D: int, n_heads: int = 1, D_ff: int | None = None
                  ) -> list[tuple[str, int, tuple[int, int], tuple[int, int]]]:
    """The matrix products of one encoder layer over ``T`` tokens: ``(group, count, shape_a, shape_b)``.

    Groups: ``"projections"`` (``Q, K, V`` and the output ``W^O``),
    ``"scores"`` (``Q_h K_h^T`` and ``A_h V_h`` for each of the ``H`` heads),
    ``"ffn"`` (``W_1`` and ``W_2``). ``T`` may be an integer array.
    """
    D_ff = 4 * D if D_ff is None else D_ff
    d_k = D // n_heads
    return [
        ("projections", 4, (T, D), (D, D)),
        ("scores", n_heads, (T, d_k), (d_k, T)),
        ("scores", n_heads, (T, T), (T, d_k)),
        ("ffn", 1, (T, D), (D, D_ff)),
        ("ffn", 1, (T, D_ff), (D_ff, D)),
    ]


def layer_macs(T: ArrayLike, D: int, n_heads: int = 1, D_ff: int | None = None) -> dict[str, NDArray[np.int64]]:
    """Multiply-accumulates of one layer per group, summed over its products (``(m, n) @ (n, p)`` costs ``m n p``).

    ``T`` may be an array of lengths. The head count cancels: ``H`` products of width ``D / H``.

    >>> {group: int(v) for group, v in layer_macs(1024, 768).items()}
    {'projections': 2415919104, 'scores': 1610612736, 'ffn': 4831838208}
    """
    lengths = np.asarray(T, dtype=np.int64)
    totals: dict[str, NDArray[np.int64]] = {}
    for group, count, (m, n), (_, p) in layer_matmuls(lengths, D, n_heads, D_ff):  # type: ignore[arg-type]
        totals[group] = totals.get(group, 0) + count * m * n * p
    return totals


def crossover_length(D: int, D_ff: int | None = None) -> float:
    """The length ``T`` at which the score MACs equal the projection and FFN MACs together.

    Both sides are counted by ``layer_macs``; the scores grow like ``T^2``
    and the rest like ``T``, so one count at ``T = 1`` of each fixes the
    crossing: ``T* = (rest per token) / (scores per token squared)``.

    >>> crossover_length(768)
    4608.0
    """
    at_one = layer_macs(1, D, 1, D_ff)
    return float((at_one["projections"] + at_one["ffn"]) / at_one["scores"])


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:transformer.<name>).


def macs_vs_length() -> Figure:
    """MACs of one layer against the sequence length for D = 768: the score term overtakes at T = 6D."""
    from matplotlib.figure import Figure

    D = 768
    T = np.unique(np.geomspace(64, 65536, 120).astype(np.int64))
    macs = layer_macs(T, D)
    rest = macs["projections"] + macs["ffn"]
    fig = Figure(figsize=(6.4, 3.8))
    ax = fig.subplots()
    ax.loglog(T, macs["projections"], color="C0", label="Q, K, V, O projections: $4TD^2$")
    ax.loglog(T, macs["ffn"], color="C2", label="FFN ($D_{ff} = 4D$): $8TD^2$")
    ax.loglog(T, rest, color="C4", linestyle="--", label="projections + FFN: $12TD^2$")
    ax.loglog(T, macs["scores"], color="C1", label="scores and weighted values: $2T^2D$")
    cross = crossover_length(D)
    ax.axvline(cross, color="#777777", linestyle=":", linewidth=1.2)
    ax.annotate(f"$T = 6D$ = {cross:,.0f}", (cross, float(layer_macs(int(cross), D)["scores"])),
                xytext=(-190, 45), textcoords="offset points", fontsize=10,
                arrowprops={"arrowstyle": "->", "color": "#555555"})
    ax.set_xlabel("sequence length $T$ (tokens)")
    ax.set_ylabel("multiply-accumulates per layer")
    ax.set_title(f"one layer, width $D$ = {D}", fontweight="normal")
    ax.legend(loc="lower right", fontsize=9)
    return fig


def parameter_breakdown() -> Figure:
    """Where the parameters of one block sit, for D = 768 and D_ff = 4D: two thirds in the FFN."""
    from matplotlib.figure import Figure

    D = 768
    shapes = init_block_shapes(D, 1)
    groups = [
        ("$W^Q, W^K, W^V, W^O$", ("W_q", "W_k", "W_v", "W_o"), "C0"),
        ("$W_1, W_2$ (FFN)", ("W_1", "W_2"), "C2"),
        ("biases", ("b_q", "b_k", "b_v", "b_o", "b_1", "b_2"), "C1"),
        ("layer norms", ("gamma_1", "beta_1", "gamma_2", "beta_2"), "C3"),
    ]
    counts = [_count(shapes, names, (), False) for _, names, _ in groups]
    total = sum(counts)
    fig = Figure(figsize=(6.4, 2.8))
    ax = fig.subplots()
    rows = np.arange(len(groups))[::-1]
    ax.barh(rows, counts, color=[color for *_, color in groups], height=0.6)
    for row, count in zip(rows, counts):
        ax.text(count + total * 0.01, row, f"{count:,} ({count / total:.2%})", va="center", fontsize=9.5)
    ax.set_yticks(rows, [label for label, *_ in groups])
    ax.set_xlim(0, max(counts) * 1.45)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x / 1e6:g}M")
    ax.set_xlabel(f"parameters of one block with D = {D} and $D_{{ff}}$ = 4D: {total:,} in all")
    ax.grid(axis="y", visible=False)
    return fig


def block_diagram() -> Figure:
    """The original (post-LN) encoder block: attention and FFN, each with a residual and a layer norm."""
    from snippets.diagrams import Arrow, Box, _canvas, draw_diagram

    fig, ax = _canvas(7.2, 2.0)
    y = 0.95
    boxes = [
        Box("in", "$H$\n($T \\times D$)", 0.5, y, width=0.8),
        Box("mha", "multi-head\nself-attention", 1.8, y, width=1.3, color="C0"),
        Box("ln1", "add & LN:\n$H' = \\mathrm{LN}(H + \\cdot)$", 3.45, y, width=1.6, color="C3"),
        Box("ffn", "position-wise\nFFN", 5.0, y, width=1.1, color="C2"),
        Box("ln2", "add & LN:\n$H'' = \\mathrm{LN}(H' + \\cdot)$", 6.4, y, width=1.55, color="C3"),
    ]
    arrows = [
        Arrow("in", "mha"), Arrow("mha", "ln1"), Arrow("ln1", "ffn"), Arrow("ffn", "ln2"),
        Arrow("in", "ln1", "residual", bend=-0.45, dashed=True, start_side="top", end_side="top",
              label_offset=(0.0, 0.45)),
        Arrow("ln1", "ln2", "residual", bend=-0.35, dashed=True, start_side="top", end_side="top",
              label_offset=(0.0, 0.5)),
    ]
    draw_diagram(ax, boxes, arrows)
    ax.text(3.6, 0.2, "repeated $N$ times; a decoder block adds cross-attention and a causal mask",
            ha="center", fontsize=9.5, style="italic")
    return fig
