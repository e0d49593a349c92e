"""CLIP: contrastive image–text embeddings, the symmetric in-batch loss, and zero-shot classification.

Conventions: a batch holds ``N`` image embeddings (rows of ``F``) and the
``N`` embeddings of their captions (rows of ``G``), so image ``i`` belongs
with caption ``i``. The logit matrix ``S`` has one row per image and one
column per caption; the learned temperature is stored, as in the paper, as
a log-scale ``t`` and the logits are multiplied by ``exp(t)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def l2_normalize(x: ArrayLike) -> NDArray[np.float64]:
    """Scale each row (last axis) to unit Euclidean length; zero rows are rejected.

    >>> l2_normalize([[3.0, 4.0]])
    array([[0.6, 0.8]])
    """
    v = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError("a zero embedding has no direction, so no cosine similarity")
    return v / norms


def similarity_logits(F: ArrayLike, G: ArrayLike, t: float) -> NDArray[np.float64]:
    """``S[i, j] = exp(t) * cos(f_i, g_j)``: scaled cosine similarities, images by rows, captions by columns.

    >>> similarity_logits([[1.0, 0.0], [0.0, 2.0]], [[1.0, 0.0], [1.0, 1.0]], t=0.0).round(4)
    array([[1.    , 0.7071],
           [0.    , 0.7071]])
    """
    return np.exp(t) * (l2_normalize(F) @ l2_normalize(G).T)


def _log_softmax(x: NDArray[np.float64], axis: int) -> NDArray[np.float64]:
    # Subtracting the maximum keeps exp finite for logit scales of 100 and more.
    top = np.max(x, axis=axis, keepdims=True)
    return x - top - np.log(np.sum(np.exp(x - top), axis=axis, keepdims=True))


def clip_loss_from_logits(S: ArrayLike) -> float:
    """Symmetric contrastive loss of an ``N x N`` logit matrix with targets on the diagonal.

    The mean of the image-to-text cross-entropy (softmax over each row) and
    the text-to-image one (softmax over each column), each averaged over the
    batch. A batch of one has nothing to contrast with: its loss is 0.

    >>> round(clip_loss_from_logits([[2.0, 0.0], [1.0, 3.0]]), 4)
    0.1539
    >>> clip_loss_from_logits([[5.0]])
    0.0
    """
    s = np.asarray(S, dtype=np.float64)
    if s.ndim != 2 or s.shape[0] != s.shape[1]:
        raise ValueError(f"S must be square (one row per image, one column per caption), got {s.shape}")
    rows = np.diagonal(_log_softmax(s, axis=1))
    cols = np.diagonal(_log_softmax(s, axis=0))
    return float(-(rows.mean() + cols.mean()) / 2.0) + 0.0  # + 0.0 turns -0.0 into 0.0


def clip_loss(F: ArrayLike, G: ArrayLike, t: float) -> float:
    """CLIP's training loss for a batch of paired embeddings: ``clip_loss_from_logits(similarity_logits(F, G, t))``.

    >>> round(clip_loss([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]], t=np.log(10.0)), 6)
    4.5e-05
    """
    return clip_loss_from_logits(similarity_logits(F, G, t))


def zero_shot_predict(f: ArrayLike, G: ArrayLike) -> NDArray[np.int64] | int:
    """Index of the class prompt whose text embedding (row of ``G``) is most cosine-similar to image embedding ``f``.

    ``f`` may be one embedding (returns an int) or a batch of rows.

    >>> zero_shot_predict([0.9, 0.1], [[0.0, 1.0], [1.0, 0.0]])
    1
    """
    scores = l2_normalize(f) @ l2_normalize(G).T
    best = np.argmax(scores, axis=-1)
    return int(best) if np.ndim(best) == 0 else best


def toy_batch(n: int = 6, d: int = 16, noise: float = 0.6,
              rng: int | np.random.Generator | None = 0) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A toy batch of paired embeddings: caption ``i`` is image ``i`` plus Gaussian noise, so pairs align.

    >>> F, G = toy_batch(4, 8)
    >>> F.shape, G.shape
    ((4, 8), (4, 8))
    """
    gen = np.random.default_rng(rng)
    F = gen.normal(size=(n, d))
    G = F + noise * gen.normal(size=(n, d))
    return F, G


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:clip.<name>).


def similarity_heatmap() -> Figure:
    """Left: the scaled cosine-similarity matrix of a toy batch of six pairs, targets boxed on the diagonal.
    Right: the row-wise softmax (image-to-text probabilities) of the same logits."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    F, G = toy_batch()
    t = np.log(10.0)
    S = similarity_logits(F, G, t)
    probs = np.exp(_log_softmax(S, axis=1))
    fig = Figure(figsize=(6.8, 3.3))
    left, right = fig.subplots(1, 2)
    for ax, data, title, cmap in ((left, S, "logits $S_{ij} = e^{t}\\cos(f_i, g_j)$", "PuOr_r"),
                                  (right, probs, "softmax over each row", "Purples")):
        image = ax.imshow(data, cmap=cmap, vmin=-10 if cmap == "PuOr_r" else 0, vmax=10 if cmap == "PuOr_r" else 1)
        n = data.shape[0]
        for i in range(n):
            ax.add_patch(Rectangle((i - 0.5, i - 0.5), 1, 1, fill=False, lw=2.0, edgecolor="C1"))
            for j in range(n):
                text = f"{data[i, j] + 0.0:.1f}" if cmap == "PuOr_r" else f"{data[i, j]:.2f}"
                ax.text(j, i, text, ha="center", va="center", fontsize=9,
                        color="white" if abs(data[i, j]) > (6 if cmap == "PuOr_r" else 0.6) else "#333333")
        ax.set_xticks(range(n), [f"$g_{j + 1}$" for j in range(n)])
        ax.set_yticks(range(n), [f"$f_{i + 1}$" for i in range(n)])
        ax.set_xlabel("caption embedding")
        ax.set_ylabel("image embedding")
        ax.set_title(title)
        ax.grid(False)
        fig.colorbar(image, ax=ax, shrink=0.8)
    return fig
