"""Scaled dot-product attention, its causal mask, multi-head attention, and why scores are divided by sqrt(d).

Queries ``Q`` are ``(n, d)``, keys ``K`` are ``(m, d)``, values ``V`` are
``(m, d_v)``; leading batch axes broadcast. A mask is added to the scores
before the softmax: ``0`` keeps a key, ``-inf`` removes it. Multi-head
weights are stacked per head: ``W_q`` and ``W_k`` are ``(H, D, d_k)``,
``W_v`` is ``(H, D, d_v)`` and ``W_o`` is ``(H d_v, D)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.activations import softmax


def attention_logits(Q: ArrayLike, K: ArrayLike, scale: bool = True) -> NDArray[np.float64]:
    """Scores ``Q K^T / sqrt(d)`` (or ``Q K^T`` with ``scale=False``), shape ``(n, m)``.

    >>> attention_logits([[1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]], scale=False)
    array([[1., 2.]])
    >>> attention_logits([[2.0, 0.0, 0.0, 0.0]], [[1.0, 0.0, 0.0, 0.0]])
    array([[1.]])
    """
    q = np.asarray(Q, dtype=np.float64)
    k = np.asarray(K, dtype=np.float64)
    scores = q @ np.swapaxes(k, -1, -2)
    return scores / np.sqrt(q.shape[-1]) if scale else scores


def causal_mask(T: int) -> NDArray[np.float64]:
    """The ``(T, T)`` causal mask: ``0`` where key ``j <= `` query ``i``, ``-inf`` above the diagonal.

    >>> causal_mask(3)
    array([[  0., -inf, -inf],
           [  0.,   0., -inf],
           [  0.,   0.,   0.]])
    """
    if int(T) != T or T < 1:
        raise ValueError(f"the sequence length T must be a positive integer, got {T}")
    return np.triu(np.full((int(T), int(T)), -np.inf), k=1)


def attention_weights(Q: ArrayLike, K: ArrayLike, mask: ArrayLike | None = None) -> NDArray[np.float64]:
    """The attention matrix ``A = softmax(Q K^T / sqrt(d) + M)``, shape ``(n, m)``; rows sum to 1.

    ``mask`` is ``M``, broadcast against the scores (``causal_mask(T)`` for a
    decoder). A row whose keys are all masked has no weights to give: that is
    an error, not a silent row of NaNs.

    >>> attention_weights([[0.0], [0.0]], [[1.0], [2.0]], causal_mask(2))
    array([[1. , 0. ],
           [0.5, 0.5]])
    """
    scores = attention_logits(Q, K)
    if mask is not None:
        scores = scores + np.asarray(mask, dtype=np.float64)
        if np.any(np.all(np.isneginf(scores), axis=-1)):
            raise ValueError("the mask removes every key of some query; each query needs at least one key")
    return softmax(scores, axis=-1)


def scaled_dot_product_attention(Q: ArrayLike, K: ArrayLike, V: ArrayLike,
                                 mask: ArrayLike | None = None) -> NDArray[np.float64]:
    """``softmax(Q K^T / sqrt(d) + M) V``: each query's average of the values, weighted by its scores.

    >>> scaled_dot_product_attention([[0.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]], [[1.0], [3.0]])
    array([[2.]])
    >>> scaled_dot_product_attention([[0.0], [0.0]], [[1.0], [1.0]], [[1.0], [3.0]], causal_mask(2))
    array([[1.],
           [2.]])
    """
    return attention_weights(Q, K, mask) @ np.asarray(V, dtype=np.float64)


def split_heads(W: ArrayLike, H: int) -> NDArray[np.float64]:
    """Cut a ``(D, D)`` projection into ``H`` column blocks: shape ``(H, D, D / H)``.

    Head ``h`` (1-based on the pages, ``h - 1`` here) owns columns
    ``(h - 1) D/H`` to ``h D/H``, which is how one big ``Q = X W^Q`` is split.

    >>> split_heads(np.arange(8.0).reshape(2, 4), 2)[1]
    array([[2., 3.],
           [6., 7.]])
    """
    w = np.asarray(W, dtype=np.float64)
    D, width = w.shape
    if width % H:
        raise ValueError(f"the width {width} is not divisible by the number of heads H = {H}")
    return w.reshape(D, H, width // H).transpose(1, 0, 2)


def attention_heads(Q: ArrayLike, K: ArrayLike, V: ArrayLike, W_q: ArrayLike, W_k: ArrayLike,
                    W_v: ArrayLike, mask: ArrayLike | None = None) -> NDArray[np.float64]:
    """Every head's output ``Attention(Q W_h^Q, K W_h^K, V W_h^V)``, stacked: shape ``(H, n, d_v)``.

    >>> W = np.ones((2, 1, 1))
    >>> attention_heads([[1.0]], [[1.0]], [[3.0]], W, W, 2 * W)
    array([[[6.]],
    <BLANKLINE>
           [[6.]]])
    """
    q = np.asarray(Q, dtype=np.float64)[..., None, :, :] @ np.asarray(W_q, dtype=np.float64)
    k = np.asarray(K, dtype=np.float64)[..., None, :, :] @ np.asarray(W_k, dtype=np.float64)
    v = np.asarray(V, dtype=np.float64)[..., None, :, :] @ np.asarray(W_v, dtype=np.float64)
    return scaled_dot_product_attention(q, k, v, mask)


def concat_heads(heads: ArrayLike) -> NDArray[np.float64]:
    """``Concat(head_1, ..., head_H)``: the ``(H, n, d_v)`` stack laid side by side, shape ``(n, H d_v)``.

    >>> concat_heads(np.array([[[1.0, 2.0]], [[3.0, 4.0]]]))
    array([[1., 2., 3., 4.]])
    """
    h = np.asarray(heads, dtype=np.float64)
    return np.concatenate(list(np.moveaxis(h, -3, 0)), axis=-1)


def multi_head_attention(Q: ArrayLike, K: ArrayLike, V: ArrayLike, W_q: ArrayLike, W_k: ArrayLike,
                         W_v: ArrayLike, W_o: ArrayLike, mask: ArrayLike | None = None) -> NDArray[np.float64]:
    """``MHA(Q, K, V) = Concat(head_1, ..., head_H) W^O``, shape ``(n, D)``.

    Computed without building the concatenation: the output projection is
    applied per head to its own ``d_v`` rows of ``W^O`` and the results are
    summed, which is the same product written block by block.

    >>> eye = np.eye(2)[None]
    >>> multi_head_attention([[1.0, 0.0]], [[1.0, 0.0]], [[2.0, 3.0]], eye, eye, eye, np.eye(2))
    array([[2., 3.]])
    """
    heads = attention_heads(Q, K, V, W_q, W_k, W_v, mask)
    H, d_v = heads.shape[-3], heads.shape[-1]
    w_o = np.asarray(W_o, dtype=np.float64)
    if w_o.shape[0] != H * d_v:
        raise ValueError(f"W_o has {w_o.shape[0]} rows; it needs H d_v = {H} x {d_v} = {H * d_v}")
    return np.einsum("...hnv,hvD->...nD", heads, w_o.reshape(H, d_v, -1))


def qk_variance_theory(d: int, mu: float = 0.0, sigma: float = 1.0) -> float:
    """``Var(q^T k) = d (sigma^4 + 2 mu^2 sigma^2)`` for ``q, k`` with iid ``N(mu, sigma^2)`` entries.

    At ``mu = 0, sigma = 1`` it is ``d``: the reason for dividing scores by ``sqrt(d)``.

    >>> qk_variance_theory(64)
    64.0
    >>> qk_variance_theory(2, mu=1.0, sigma=1.0)
    6.0
    """
    return d * (sigma**4 + 2.0 * mu**2 * sigma**2)


def qk_variance_mc(
    d: int, samples: int, mu: float = 0.0, sigma: float = 1.0, seed: int = 0, chunk: int = 16_384
) -> float:
    """Monte Carlo estimate of ``Var(q^T k)`` from ``samples`` independent pairs ``q, k``.

    Entries are iid ``N(mu, sigma^2)``. Pairs are drawn ``chunk`` at a time so
    memory stays bounded (about ``16 * chunk * d`` bytes) whatever ``samples``
    is; the estimate is the unbiased sample variance.

    >>> abs(qk_variance_mc(d=64, samples=200_000) - 64) < 0.03 * 64
    True
    >>> abs(qk_variance_mc(d=4, samples=100_000, mu=1.0) / qk_variance_theory(4, mu=1.0) - 1) < 0.05
    True
    """
    return float(np.var(qk_dot_products(d, samples, mu, sigma, seed, chunk), ddof=1))


def qk_dot_products(
    d: int, samples: int, mu: float = 0.0, sigma: float = 1.0, seed: int = 0, chunk: int = 16_384
) -> NDArray[np.float64]:
    """``samples`` independent draws of ``q^T k`` for ``q, k`` with iid ``N(mu, sigma^2)`` entries.

    Pairs are drawn ``chunk`` at a time so memory stays bounded (about
    ``16 * chunk * d`` bytes) whatever ``samples`` is.

    >>> dots = qk_dot_products(d=16, samples=100_000, mu=0.5)
    >>> bool(abs(dots.mean() - 16 * 0.5**2) < 0.1)
    True
    """
    rng = np.random.default_rng(seed)
    dots = np.empty(samples, dtype=np.float64)
    for start in range(0, samples, chunk):
        size = min(chunk, samples - start)
        # float32 draws halve the cost; the dot products are accumulated in float64.
        q = rng.standard_normal((size, d), dtype=np.float32).astype(np.float64) * sigma + mu
        k = rng.standard_normal((size, d), dtype=np.float32).astype(np.float64) * sigma + mu
        dots[start : start + size] = np.einsum("ij,ij->i", q, k)
    return dots


def product_variance(mean_x: float, var_x: float, mean_y: float, var_y: float) -> float:
    """``Var(XY)`` of independent ``X, Y`` from their means and variances.

    ``Var(XY) = Var(X) Var(Y) + Var(X) E[Y]^2 + Var(Y) E[X]^2``.

    >>> product_variance(0.0, 1.0, 0.0, 1.0)
    1.0
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(1.0, 2.0, 400_000), rng.normal(-0.5, 1.5, 400_000)
    >>> bool(abs(np.var(x * y) / product_variance(1.0, 4.0, -0.5, 2.25) - 1) < 0.02)
    True
    """
    return var_x * var_y + var_x * mean_y**2 + var_y * mean_x**2


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:attention.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).
# matplotlib is imported inside them, so the numeric code above stays light.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def logit_variance_scaling() -> Figure:
    """Monte Carlo: the variance of attention logits grows like ``d`` without the
    ``1/sqrt(d)`` factor and stays at 1 with it (left); unscaled, softmax saturates (right)."""
    from matplotlib.figure import Figure

    rng = np.random.default_rng(0)
    dims = 2 ** np.arange(0, 11)
    variance = {True: [], False: []}
    top_weight = {True: [], False: []}
    for d in dims:
        q = rng.standard_normal((64, d))
        k = rng.standard_normal((64, d))
        for scale in (False, True):
            logits = attention_logits(q, k, scale=scale)
            variance[scale].append(logits.var())
            top_weight[scale].append(softmax(logits, axis=-1).max(axis=-1).mean())
    fig = Figure()
    var_ax, sat_ax = fig.subplots(1, 2)
    var_ax.loglog(dims, variance[False], "o", color="C1", label="unscaled")
    var_ax.loglog(dims, variance[True], "o", color="C0", label="scaled by 1/\u221ad")
    var_ax.loglog(dims, [qk_variance_theory(int(d)) for d in dims], color="C1", lw=1, label="theory: $d$")
    var_ax.loglog(dims, np.ones(dims.size), color="C0", lw=1, label="theory: $1$")
    var_ax.set_xlabel("dimension $d$")
    var_ax.set_ylabel("variance of the logits")
    var_ax.legend(fontsize=8.5)
    sat_ax.semilogx(dims, top_weight[False], "o-", color="C1", label="unscaled")
    sat_ax.semilogx(dims, top_weight[True], "o-", color="C0", label="scaled")
    sat_ax.set_xlabel("dimension $d$")
    sat_ax.set_ylabel("largest softmax weight (64 keys)")
    sat_ax.set_ylim(0, 1)
    sat_ax.legend(fontsize=8.5)
    return fig


_SENTENCE = ("the", "cat", "sat", "on", "the", "mat")


def _toy_projections(D: int = 16, seed: int = 3) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Queries and keys for the six tokens of ``_SENTENCE`` from random embeddings and projections.

    The same word gets the same embedding, so both "the" rows look alike.
    """
    rng = np.random.default_rng(seed)
    vocabulary = {word: rng.normal(size=D) for word in dict.fromkeys(_SENTENCE)}
    X = np.array([vocabulary[word] for word in _SENTENCE])
    W_q, W_k = rng.normal(scale=D**-0.5, size=(2, D, D))
    return X @ W_q * 1.2, X @ W_k * 1.2


def _heatmap(ax, weights: NDArray[np.float64], labels: tuple[str, ...], title: str,
             masked: NDArray[np.bool_] | None = None) -> object:
    from matplotlib.patches import Rectangle

    image = ax.imshow(weights, cmap="Purples", vmin=0, vmax=1)
    if masked is None:
        masked = np.zeros(weights.shape, dtype=bool)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("key (attended to)")
    ax.set_ylabel("query")
    ax.set_title(title)
    ax.grid(False)
    for (i, j), w in np.ndenumerate(weights):
        if masked[i, j]:  # a removed key: hatched, so it does not read as a weight that happens to be small
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, hatch="///", fill=False, linewidth=0,
                                   edgecolor="#999999"))
        else:
            ax.text(j, i, f"{w:.2f}", ha="center", va="center", fontsize=9,
                    color="white" if w > 0.55 else "#333333")
    return image


def attention_heatmap() -> Figure:
    """The attention matrix ``A = softmax(Q K^T / sqrt(d))`` of a six-token sentence, one row per query."""
    from matplotlib.figure import Figure

    Q, K = _toy_projections()
    fig = Figure(figsize=(5.0, 4.3))
    ax = fig.subplots()
    image = _heatmap(ax, attention_weights(Q, K), _SENTENCE, "")
    fig.colorbar(image, ax=ax, label="attention weight", shrink=0.85)
    return fig


def causal_attention_heatmaps() -> Figure:
    """The same queries and keys without and with the causal mask: masking zeroes the upper triangle."""
    from matplotlib.figure import Figure

    Q, K = _toy_projections()
    fig = Figure(figsize=(7.6, 4.0))
    left, right = fig.subplots(1, 2)
    _heatmap(left, attention_weights(Q, K), _SENTENCE, "no mask (encoder)")
    mask = causal_mask(len(_SENTENCE))
    _heatmap(right, attention_weights(Q, K, mask), _SENTENCE, "causal mask (decoder)", np.isneginf(mask))
    return fig


def head_attention_maps() -> Figure:
    """Multi-head attention: the width D = 16 is cut into H = 4 heads of d_k = 4, each with its own map."""
    from matplotlib.figure import Figure

    rng = np.random.default_rng(11)
    D, H = 16, 4
    vocabulary = {word: rng.normal(size=D) for word in dict.fromkeys(_SENTENCE)}
    X = np.array([vocabulary[word] for word in _SENTENCE])
    W_q = split_heads(rng.normal(scale=2.2 / np.sqrt(D), size=(D, D)), H)
    W_k = split_heads(rng.normal(scale=2.2 / np.sqrt(D), size=(D, D)), H)
    maps = attention_weights(X[None] @ W_q, X[None] @ W_k)
    fig = Figure(figsize=(8.0, 2.9))
    axes = fig.subplots(1, H)
    for h, ax in enumerate(axes):
        ax.imshow(maps[h], cmap="Purples", vmin=0, vmax=1)
        ax.set_title(f"head {h + 1}: columns {h * D // H + 1}\u2013{(h + 1) * D // H}", fontsize=9.5)
        ax.set_xticks(range(len(_SENTENCE)), _SENTENCE, rotation=60, ha="right", fontsize=9)
        ax.set_yticks(range(len(_SENTENCE)), _SENTENCE if h == 0 else [], fontsize=9)
        ax.grid(False)
    return fig


# --- What softmax sees: the spread of the scores within one row, and the entropy of a row -------------------
# Appended for derivations/attention-scaling.md (the conditional-variance step and its figures).


def query_key_scores(d: int, queries: int, keys: int, mu: float = 0.0, sigma: float = 1.0,
                     seed: int = 0) -> NDArray[np.float64]:
    """Unscaled scores ``Q K^T`` of ``queries`` random queries against ``keys`` random keys, shape ``(queries, keys)``.

    Every entry of ``Q`` and ``K`` is iid ``N(mu, sigma^2)``. One row holds one
    query against all keys: exactly what one softmax of an attention layer sees.

    >>> query_key_scores(8, 3, 5).shape
    (3, 5)
    """
    rng = np.random.default_rng(seed)
    q = rng.normal(mu, sigma, size=(queries, d))
    k = rng.normal(mu, sigma, size=(keys, d))
    return q @ k.T


def row_score_variance(d: int, queries: int = 2000, keys: int = 2000, mu: float = 0.0, sigma: float = 1.0,
                       seed: int = 0) -> float:
    """The variance of ``q^T k`` over the keys of one row, averaged over the queries (unbiased per row).

    Its expectation is ``d sigma^2 (sigma^2 + mu^2)``: the variance given the
    query, ``sigma^2 ||q||^2``, averaged over queries.

    >>> v = row_score_variance(16, mu=0.5)
    >>> bool(abs(v / (16 * 1.0 * (1.0 + 0.25)) - 1) < 0.02)
    True
    """
    scores = query_key_scores(d, queries, keys, mu, sigma, seed)
    return float(np.mean(np.var(scores, axis=1, ddof=1)))


def mean_softmax_entropy(d: int, keys: int = 128, queries: int = 256, scale: bool = True,
                         seed: int = 0) -> float:
    """Average entropy (nats) of ``softmax`` over one row of ``keys`` scores, standard-normal ``q`` and ``k``.

    ``scale=False`` drops the ``1 / sqrt(d)``. Uniform weights would give
    ``log(keys)``; a one-hot row gives 0.

    >>> bool(mean_softmax_entropy(512, scale=False) < 1.5 < 3.5 < mean_softmax_entropy(512) < np.log(128))
    True
    """
    from snippets.information import entropy

    scores = query_key_scores(d, queries, keys, seed=seed)
    if scale:
        scores = scores / np.sqrt(d)
    return float(np.mean(entropy(softmax(scores, axis=-1))))


def score_histograms() -> Figure:
    """Histograms of ``q^T k`` for d = 16, 64, 256: unscaled they widen like sqrt(d), scaled they coincide."""
    from matplotlib.figure import Figure

    dims = (16, 64, 256)
    fig = Figure(figsize=(7.2, 3.4))
    raw_ax, scaled_ax = fig.subplots(1, 2)
    for i, d in enumerate(dims):
        dots = qk_dot_products(d, 40_000, seed=i)
        raw_ax.hist(dots, bins=np.linspace(-50, 50, 101), density=True, histtype="step", lw=1.6,
                    color=f"C{i}", label=f"$d$ = {d}")
        scaled_ax.hist(dots / np.sqrt(d), bins=np.linspace(-5, 5, 81), density=True, histtype="step", lw=1.6,
                       color=f"C{i}", label=f"$d$ = {d}")
    grid = np.linspace(-5, 5, 201)
    scaled_ax.plot(grid, np.exp(-grid**2 / 2) / np.sqrt(2 * np.pi), color="#777777", lw=1, ls="--",
                   label="$N(0, 1)$")
    raw_ax.set_title("unscaled $q^\\top k$")
    scaled_ax.set_title("scaled $q^\\top k / \\sqrt{d}$")
    for ax in (raw_ax, scaled_ax):
        ax.set_xlabel("score")
        ax.legend(fontsize=9.5)
    raw_ax.set_ylabel("density")
    return fig


def softmax_entropy_vs_dimension() -> Figure:
    """Average softmax entropy over 128 keys against d: unscaled it collapses, scaled it stays near log 128."""
    from matplotlib.figure import Figure

    dims = 2 ** np.arange(0, 11)
    fig = Figure(figsize=(6.0, 3.4))
    ax = fig.subplots()
    for i, scale in enumerate((False, True)):
        values = [mean_softmax_entropy(int(d), scale=scale, queries=64, seed=int(d)) for d in dims]
        ax.semilogx(dims, values, "o-", color=f"C{1 - i}", label="scaled by $1/\\sqrt{d}$" if scale else "unscaled")
    ax.axhline(np.log(128), color="#777777", lw=1, ls="--", label="uniform: $\\log 128 \\approx 4.85$")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("dimension $d$")
    ax.set_ylabel("softmax entropy (nats)")
    ax.set_ylim(0, 5.2)
    ax.legend(fontsize=9.5, loc="lower left")
    return fig
