"""Scores for generated text: perplexity of a language model, BLEU and ROUGE overlap with a reference.

Token sequences are any sequences of hashable tokens (lists of words,
tuples, 1-D numpy arrays). Candidate and reference come in that order
everywhere here; note that the ``rouge-score`` package takes
``score(target, prediction)``, the other way round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Tokens = Sequence[Hashable] | NDArray[np.generic]


# --- Perplexity -------------------------------------------------------------------


def perplexity(token_logprobs: ArrayLike) -> float:
    """``exp(-mean(log p_i))`` from the natural-log probabilities the model gave the observed tokens.

    The exponential of the mean negative log-likelihood (the per-token
    cross-entropy in nats); equivalently the inverse geometric mean of the
    token probabilities. Guessing uniformly among ``k`` options gives ``k``.

    >>> round(perplexity(np.log([0.1] * 7)), 12)
    10.0
    >>> round(perplexity(np.log([0.5, 0.25, 1.0])), 6)
    2.0
    >>> perplexity([0.0, 0.0])
    1.0
    """
    lp = np.asarray(token_logprobs, dtype=np.float64)
    if lp.size == 0:
        raise ValueError("perplexity of an empty sequence is undefined")
    return float(np.exp(-np.mean(lp)))


# --- n-grams ----------------------------------------------------------------------


def _tokens(sequence: Tokens) -> list[Hashable]:
    return np.asarray(sequence).tolist() if isinstance(sequence, np.ndarray) else list(sequence)


def ngrams(tokens: Tokens, n: int) -> list[tuple[Hashable, ...]]:
    """The ``len(tokens) - n + 1`` contiguous n-grams of ``tokens``, in order (none if it is shorter than n).

    >>> ngrams("the cat sat".split(), 2)
    [('the', 'cat'), ('cat', 'sat')]
    >>> ngrams(["a"], 2)
    []
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    items = _tokens(tokens)
    return [tuple(items[i : i + n]) for i in range(len(items) - n + 1)]


def ngram_counts(tokens: Tokens, n: int) -> Counter[tuple[Hashable, ...]]:
    """How often each n-gram occurs in ``tokens``.

    >>> ngram_counts("the the cat".split(), 1)
    Counter({('the',): 2, ('cat',): 1})
    """
    return Counter(ngrams(tokens, n))


def ngram_count_vectors(candidate: Tokens, reference: Tokens, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Counts ``(c_g, r_g)`` of every n-gram g seen in either text, aligned on the same g.

    The n-grams are ordered by first appearance, candidate first. These are
    the vectors the clipped-count formulas of BLEU and ROUGE sum over.

    >>> c, r = ngram_count_vectors("the the the".split(), "the cat".split(), 1)
    >>> c, r
    (array([3., 0.]), array([1., 1.]))
    """
    cand, ref = ngram_counts(candidate, n), ngram_counts(reference, n)
    grams = list(dict.fromkeys([*cand, *ref]))
    return (np.array([cand[g] for g in grams], dtype=np.float64),
            np.array([ref[g] for g in grams], dtype=np.float64))


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator > 0 else 0.0


def clipped_matches(candidate: Tokens, reference: Tokens, n: int) -> float:
    """``sum_g min(c_g, r_g)``: candidate n-grams that the reference can account for, each used at most as often as it appears there.

    >>> clipped_matches("the the the the".split(), "the cat on the mat".split(), 1)
    2.0
    """
    c, r = ngram_count_vectors(candidate, reference, n)
    return float(np.minimum(c, r).sum())


# --- BLEU -------------------------------------------------------------------------


def modified_precision(candidate: Tokens, reference: Tokens, n: int) -> float:
    """BLEU's clipped n-gram precision ``p_n = sum_g min(c_g, r_g) / sum_g c_g``.

    Same as ``nltk.translate.bleu_score.modified_precision`` with one
    reference; ``0.0`` when the candidate has no n-grams at all.

    >>> modified_precision("the the the the the the the".split(), "the cat is on the mat".split(), 1)
    0.2857142857142857
    >>> modified_precision("a b".split(), "a b".split(), 3)
    0.0
    """
    return _ratio(clipped_matches(candidate, reference, n), len(ngrams(candidate, n)))


def modified_precisions(candidate: Tokens, reference: Tokens, max_n: int = 4) -> NDArray[np.float64]:
    """``(p_1, ..., p_max_n)``; see :func:`modified_precision`.

    >>> cand = "the quick brown fox jumped over the dog".split()
    >>> ref = "the quick brown fox jumps over the lazy dog".split()
    >>> modified_precisions(cand, ref).round(4)
    array([0.875 , 0.5714, 0.3333, 0.2   ])
    """
    return np.array([modified_precision(candidate, reference, n) for n in range(1, max_n + 1)])


def brevity_penalty(candidate_length: int, reference_length: int) -> float:
    """``min(1, exp(1 - r / c))``: 1 for a candidate at least as long as the reference, less for a shorter one.

    ``0.0`` for an empty candidate (the limit as ``c -> 0+``).

    >>> brevity_penalty(10, 9), brevity_penalty(9, 9)
    (1.0, 1.0)
    >>> round(brevity_penalty(8, 9), 4)
    0.8825
    >>> brevity_penalty(0, 5)
    0.0
    """
    c, r = float(candidate_length), float(reference_length)
    if c <= 0:
        return 0.0
    return 1.0 if c >= r else float(np.exp(1.0 - r / c))


def bleu(candidate: Tokens, reference: Tokens, max_n: int = 4, weights: ArrayLike | None = None) -> float:
    """Sentence BLEU: ``BP * exp(sum_n w_n log p_n)``, uniform ``w_n = 1 / max_n`` by default, no smoothing.

    Matches ``nltk.translate.bleu_score.sentence_bleu(
    [reference], candidate)`` (its default weights are (0.25, 0.25, 0.25,
    0.25)) and is ``0.0`` as soon as a weighted ``p_n`` is zero; corpus
    BLEU and smoothing exist because short sentences often have no
    matching 4-gram.

    >>> cand = "the quick brown fox jumped over the dog".split()
    >>> ref = "the quick brown fox jumps over the lazy dog".split()
    >>> round(bleu(cand, ref), 4)
    0.3771
    >>> bleu(ref, ref)
    1.0
    >>> bleu("the cat sat on the mat".split(), "the cat is on the mat".split())
    0.0
    """
    w = np.full(max_n, 1.0 / max_n) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (max_n,):
        raise ValueError(f"expected {max_n} weights, got shape {w.shape}")
    p = modified_precisions(candidate, reference, max_n)
    used = w > 0
    if np.any(p[used] == 0):
        return 0.0
    score = np.exp(np.sum(w[used] * np.log(p[used])))
    return float(brevity_penalty(len(_tokens(candidate)), len(_tokens(reference))) * score)


# --- ROUGE ------------------------------------------------------------------------


class Scores(NamedTuple):
    """Precision, recall and F-measure, in the order of ``rouge_score.scoring.Score``."""

    precision: float
    recall: float
    fmeasure: float


def f_measure(precision: float, recall: float, beta: float = 1.0) -> float:
    """``(1 + beta^2) P R / (R + beta^2 P)``; ``beta = 1`` is the harmonic mean of P and R. 0 if both are 0.

    >>> f_measure(0.5, 1.0)
    0.6666666666666666
    >>> f_measure(0.0, 0.0)
    0.0
    """
    b2 = beta * beta
    return _ratio((1 + b2) * precision * recall, recall + b2 * precision)


def rouge_n(candidate: Tokens, reference: Tokens, n: int = 1) -> Scores:
    """ROUGE-N: clipped n-gram matches over the reference's n-grams (recall), the candidate's (precision), and F1.

    Same as ``rouge_score.rouge_scorer.RougeScorer(["rouge<n>"]).score(
    reference, candidate)`` on already tokenized text (no stemming).

    >>> rouge_n("police kill the gunman".split(), "police killed the gunman".split(), 1)
    Scores(precision=0.75, recall=0.75, fmeasure=0.75)
    >>> rouge_n("the gunman kill police".split(), "police killed the gunman".split(), 2).recall
    0.3333333333333333
    """
    matches = clipped_matches(candidate, reference, n)
    precision = _ratio(matches, len(ngrams(candidate, n)))
    recall = _ratio(matches, len(ngrams(reference, n)))
    return Scores(precision, recall, f_measure(precision, recall))


def lcs_length(a: Tokens, b: Tokens) -> int:
    """Length of a longest common subsequence (not necessarily contiguous) of ``a`` and ``b``.

    The classic dynamic programme, one row at a time:
    ``L[i, j] = L[i-1, j-1] + 1`` if ``a_i == b_j``, else ``max(L[i-1, j], L[i, j-1])``.

    >>> lcs_length("police killed the gunman".split(), "the gunman kill police".split())
    2
    >>> lcs_length("ABCBDAB", "BDCABA")
    4
    >>> lcs_length([], [1, 2])
    0
    """
    xs, ys = _tokens(a), _tokens(b)
    previous = np.zeros(len(ys) + 1, dtype=np.int64)
    for x in xs:
        current = np.zeros_like(previous)
        for j, y in enumerate(ys, start=1):
            current[j] = previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1])
        previous = current
    return int(previous[-1])


def rouge_l(candidate: Tokens, reference: Tokens, beta: float = 1.0) -> Scores:
    """ROUGE-L: ``R = LCS / len(reference)``, ``P = LCS / len(candidate)``, ``F_beta`` of the two.

    ``beta = 1`` (the default) is what ``rouge-score`` reports as ``rougeL``.

    >>> rouge_l("police kill the gunman".split(), "police killed the gunman".split())
    Scores(precision=0.75, recall=0.75, fmeasure=0.75)
    >>> rouge_l("the gunman kill police".split(), "police killed the gunman".split()).recall
    0.5
    """
    common = lcs_length(candidate, reference)
    precision = _ratio(common, len(_tokens(candidate)))
    recall = _ratio(common, len(_tokens(reference)))
    return Scores(precision, recall, f_measure(precision, recall, beta))


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:language_metrics.<name>).

EXAMPLE_CANDIDATE = "the quick brown fox jumped over the dog".split()
EXAMPLE_REFERENCE = "the quick brown fox jumps over the lazy dog".split()


def perplexity_vs_probability() -> Figure:
    """Perplexity of a model that gives every observed token the same probability p: exactly 1/p."""
    from matplotlib.figure import Figure

    p = np.geomspace(0.01, 1.0, 300)
    ppl = np.array([perplexity(np.log(np.full(20, q))) for q in p])
    fig = Figure(figsize=(6.4, 3.8))
    ax = fig.subplots()
    ax.plot(p, ppl, color="C0", label=r"$\mathrm{PPL} = 1/p$")
    marks = [(0.1, "uniform over 10 digits"), (0.5, "fair coin"), (0.9, "confident model")]
    for q, text in marks:
        value = perplexity(np.log([q]))
        ax.plot([q], [value], "o", color="C1")
        ax.annotate(f"{text}\np = {q:g}, PPL = {value:.3g}", (q, value), textcoords="offset points",
                    xytext=(8, 8), fontsize="small")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("probability the model gives the correct token, $p$")
    ax.set_ylabel("perplexity")
    ax.legend(loc="upper right")
    return fig


def bleu_precisions() -> Figure:
    """Clipped precisions p_1..p_4 for an example pair, their geometric mean, and BLEU after the brevity penalty."""
    from matplotlib.figure import Figure

    p = modified_precisions(EXAMPLE_CANDIDATE, EXAMPLE_REFERENCE, 4)
    mean = float(np.exp(np.mean(np.log(p))))
    score = bleu(EXAMPLE_CANDIDATE, EXAMPLE_REFERENCE)
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.subplots()
    n = np.arange(1, 5)
    ax.bar(n, p, 0.6, color="C0", label="clipped precision $p_n$")
    for x, value in zip(n, p):
        ax.annotate(f"{value:.3f}", (x, value), textcoords="offset points", xytext=(0, 3), ha="center")
    ax.axhline(mean, color="C1", linestyle="--", label=f"geometric mean {mean:.3f}")
    ax.axhline(score, color="C2", linestyle=":", linewidth=2, label=f"BLEU = BP $\\times$ mean = {score:.3f}")
    ax.set_xticks(n, [f"$p_{k}$" for k in n])
    ax.set_xlabel("n-gram order")
    ax.set_ylim(0, 1)
    ax.grid(axis="x", visible=False)
    ax.legend()
    return fig
