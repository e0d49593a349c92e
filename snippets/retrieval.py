"""Dense retrieval, the "R" of retrieval-augmented generation.

Embeddings lie along the last axis. A corpus is a matrix whose rows are the
document embeddings; a query is one vector. Scores are inner products
(``metric="dot"``) or cosine similarities (``metric="cosine"``), and the
top-k documents are the k highest scores, ties broken by the lower index.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Metric = Literal["dot", "cosine"]


def normalize(x: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """``x`` divided by its Euclidean norm along ``axis``: unit vectors.

    A zero vector has no direction and is returned unchanged (all zeros), so
    its cosine similarity with anything is 0.

    >>> normalize([3.0, 4.0])
    array([0.6, 0.8])
    >>> normalize([[0.0, 0.0], [0.0, 2.0]])
    array([[0., 0.],
           [0., 1.]])
    """
    v = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(v, axis=axis, keepdims=True)
    return np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)


def cosine_similarity(u: ArrayLike, v: ArrayLike, axis: int = -1) -> NDArray[np.float64] | float:
    """Cosine of the angle between ``u`` and ``v``: ``u . v / (|u| |v|)``, in ``[-1, 1]``.

    Broadcasts over the other axes. Same as ``1 - scipy.spatial.distance.cosine(u, v)``
    for 1-D inputs; 0 when either vector is zero (scipy gives NaN there).

    >>> round(cosine_similarity([1.0, 0.0], [1.0, 1.0]), 4)
    0.7071
    >>> round(cosine_similarity([1.0, 2.0], [-2.0, -4.0]), 12)
    -1.0
    >>> cosine_similarity([[1.0, 0.0], [0.0, 1.0]], [1.0, 0.0])
    array([1., 0.])
    """
    a = normalize(u, axis=axis)
    b = normalize(v, axis=axis)
    result = np.clip(np.sum(a * b, axis=axis), -1.0, 1.0)
    return float(result) if np.ndim(result) == 0 else result


def similarity_scores(query: ArrayLike, docs: ArrayLike, metric: Metric = "dot") -> NDArray[np.float64]:
    """Score of every document (row of ``docs``) for ``query``, in document order.

    ``metric="dot"`` gives ``docs @ query``; ``"cosine"`` the cosine similarities.

    >>> docs = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    >>> similarity_scores([1.0, 0.5], docs)
    array([1. , 1. , 1.5])
    >>> similarity_scores([1.0, 0.5], docs, metric="cosine").round(3)
    array([0.894, 0.447, 0.949])
    """
    q = np.asarray(query, dtype=np.float64)
    d = np.atleast_2d(np.asarray(docs, dtype=np.float64))
    if metric == "dot":
        return d @ q
    if metric == "cosine":
        return normalize(d) @ normalize(q)
    raise ValueError(f"unknown metric {metric!r}; use 'dot' or 'cosine'")


def top_k_retrieve(
    query_emb: ArrayLike, doc_embs: ArrayLike, k: int, metric: Metric = "dot"
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Indices and scores of the ``k`` best documents, best first.

    Exact (brute-force) search: every document is scored, then sorted by
    decreasing score with ties broken by the lower index. ``k`` larger than
    the corpus returns the whole corpus. Vector databases (FAISS, HNSW
    indexes) answer the same question approximately for millions of rows;
    ``sklearn.neighbors.NearestNeighbors`` answers it exactly for distances.

    >>> docs = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0], [-1.0, 0.0]])
    >>> idx, scores = top_k_retrieve([1.0, 0.5], docs, k=2)
    >>> idx, scores
    (array([2, 0]), array([1.5, 1. ]))
    >>> top_k_retrieve([1.0, 0.5], docs, k=2, metric="cosine")[0]
    array([2, 0])
    """
    if k < 0:
        raise ValueError("k must be non-negative")
    scores = similarity_scores(query_emb, doc_embs, metric)
    order = np.argsort(-scores, kind="stable")[:k]
    return order, scores[order]


def build_prompt(question: str, passages: list[str]) -> str:
    """A minimal RAG prompt: numbered passages, an instruction, then the question.

    >>> print(build_prompt("Who proposed BLEU?", ["BLEU was introduced by Papineni et al. in 2002."]))
    Answer the question using only the passages below. Cite passages by number.
    <BLANKLINE>
    [1] BLEU was introduced by Papineni et al. in 2002.
    <BLANKLINE>
    Question: Who proposed BLEU?
    Answer:
    """
    numbered = "\n".join(f"[{i}] {text}" for i, text in enumerate(passages, start=1))
    return (
        "Answer the question using only the passages below. Cite passages by number.\n\n"
        f"{numbered}\n\nQuestion: {question}\nAnswer:"
    )
