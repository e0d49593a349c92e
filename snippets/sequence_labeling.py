"""Sequence labeling: BIO entity spans, entity-level F1, and a hidden Markov model tagger.

Tags follow the BIO (IOB2) scheme: ``B-TYPE`` begins an entity, ``I-TYPE``
continues it, ``O`` is outside any entity. Spans are ``(type, start, end)``
with ``end`` exclusive. An ``I-TYPE`` that does not continue an entity of
the same type starts a new one, as in the CoNLL ``conlleval`` script and
``seqeval``'s default mode. Tag and word ids of the HMM are 0-based.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Span = tuple[str, int, int]
DEFAULT_LABELS: tuple[str, ...] = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")


def decode_tags(ids: ArrayLike, labels: tuple[str, ...] = DEFAULT_LABELS) -> list[str]:
    """Tag strings for label ids (what a tagger's ``argmax`` returns), via the table ``labels``.

    Ids are rounded down, so any real ``x`` in ``[0, len(labels))`` is allowed.

    >>> decode_tags([1, 2, 0, 3])
    ['B-PER', 'I-PER', 'O', 'B-LOC']
    """
    return [labels[int(np.floor(i))] for i in np.ravel(np.asarray(ids, dtype=np.float64))]


def bio_spans(tags: list[str]) -> list[Span]:
    """The entities of a BIO-tagged sentence as ``(type, start, end)``, ``end`` exclusive.

    >>> bio_spans(["B-PER", "I-PER", "O", "O", "B-LOC"])
    [('PER', 0, 2), ('LOC', 4, 5)]
    >>> bio_spans(["O", "I-ORG", "I-ORG", "B-ORG", "I-LOC"])  # stray I- tags start entities
    [('ORG', 1, 3), ('ORG', 3, 4), ('LOC', 4, 5)]
    """
    spans: list[Span] = []
    kind: str | None = None
    start = 0
    for position, tag in enumerate([*tags, "O"]):  # the sentinel closes a final entity
        prefix, _, label = tag.partition("-")
        if prefix not in ("B", "I", "O") or (prefix == "O") != (label == ""):
            raise ValueError(f"not a BIO tag: {tag!r}")
        continues = prefix == "I" and label == kind
        if kind is not None and not continues:
            spans.append((kind, start, position))
            kind = None
        if prefix in ("B", "I") and not continues:
            kind, start = label, position
    return spans


def spans_to_bio(spans: list[Span], length: int) -> list[str]:
    """BIO tags of a sentence of ``length`` tokens with the given non-overlapping entities.

    >>> spans_to_bio([("PER", 0, 2), ("LOC", 4, 5)], 5)
    ['B-PER', 'I-PER', 'O', 'O', 'B-LOC']
    """
    tags = ["O"] * length
    for kind, start, end in spans:
        if not 0 <= start < end <= length or any(t != "O" for t in tags[start:end]):
            raise ValueError(f"span {(kind, start, end)} is empty, out of range or overlaps another")
        tags[start:end] = [f"B-{kind}"] + [f"I-{kind}"] * (end - start - 1)
    return tags


def _sentences(tags: list[str] | list[list[str]]) -> list[list[str]]:
    return [tags] if not tags or isinstance(tags[0], str) else tags  # type: ignore[list-item,return-value]


def entity_counts(gold: list[str] | list[list[str]], pred: list[str] | list[list[str]]) -> tuple[int, int, int]:
    """``(true positives, gold entities, predicted entities)`` over one sentence or a list of them.

    An entity counts as found only if type, start and end all match exactly.

    >>> entity_counts(["B-PER", "I-PER", "O", "B-LOC"], ["B-PER", "O", "O", "B-LOC"])
    (1, 2, 2)
    """
    gold_s, pred_s = _sentences(gold), _sentences(pred)
    if len(gold_s) != len(pred_s) or any(len(g) != len(p) for g, p in zip(gold_s, pred_s)):
        raise ValueError("gold and predicted tags must have the same sentences and lengths")
    tp = n_gold = n_pred = 0
    for g, p in zip(gold_s, pred_s):
        gs, ps = set(bio_spans(g)), set(bio_spans(p))
        tp += len(gs & ps)
        n_gold += len(gs)
        n_pred += len(ps)
    return tp, n_gold, n_pred


def entity_precision_recall_f1(
    gold: list[str] | list[list[str]], pred: list[str] | list[list[str]]
) -> tuple[float, float, float]:
    """Entity-level (micro) precision, recall and F1, as ``seqeval.metrics`` computes them.

    F1 is ``2 tp / (n_gold + n_pred)``, the harmonic mean of precision and
    recall. A ratio with a zero denominator is 0 (seqeval's default after its
    warning).

    >>> entity_precision_recall_f1(["B-PER", "I-PER", "O", "B-LOC"], ["B-PER", "O", "O", "B-LOC"])
    (0.5, 0.5, 0.5)
    """
    tp, n_gold, n_pred = entity_counts(gold, pred)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * tp / (n_gold + n_pred) if n_gold + n_pred else 0.0
    return precision, recall, f1


def entity_f1(gold: list[str] | list[list[str]], pred: list[str] | list[list[str]]) -> float:
    """Entity-level F1 (see ``entity_precision_recall_f1``).

    >>> entity_f1(["B-LOC", "I-LOC", "O"], ["B-LOC", "I-LOC", "O"])
    1.0
    >>> entity_f1(["B-LOC", "I-LOC", "O"], ["B-LOC", "O", "O"])  # a partial match earns nothing
    0.0
    """
    return entity_precision_recall_f1(gold, pred)[2]


def token_accuracy(gold: list[str], pred: list[str]) -> float:
    """Fraction of tokens whose predicted tag equals the gold tag (the usual POS-tagging metric).

    >>> token_accuracy(["PRON", "VERB", "DET", "NOUN"], ["PRON", "NOUN", "DET", "NOUN"])
    0.75
    """
    if len(gold) != len(pred) or not gold:
        raise ValueError("need two non-empty tag sequences of the same length")
    return sum(g == p for g, p in zip(gold, pred)) / len(gold)


# --- Hidden Markov model tagger ------------------------------------------------------
# start[k] = P(t_1 = k), transition[j, k] = P(t_i = k | t_{i-1} = j),
# emission[k, v] = P(w_i = v | t_i = k); ids are 0-based.


def _log(x: ArrayLike) -> NDArray[np.float64]:
    with np.errstate(divide="ignore"):
        return np.log(np.asarray(x, dtype=np.float64))


def hmm_log_joint(start: ArrayLike, transition: ArrayLike, emission: ArrayLike,
                  tags: ArrayLike, words: ArrayLike) -> float:
    """``log P(words, tags)`` under a first-order HMM: start, transitions and emissions, summed in log space.

    >>> start = [0.6, 0.4]; transition = [[0.7, 0.3], [0.4, 0.6]]; emission = [[0.9, 0.1], [0.2, 0.8]]
    >>> round(float(np.exp(hmm_log_joint(start, transition, emission, [0, 1], [0, 1]))), 6)  # .6*.9*.3*.8
    0.1296
    """
    t = np.asarray(tags, dtype=np.intp)
    w = np.asarray(words, dtype=np.intp)
    if t.shape != w.shape or t.ndim != 1 or t.size == 0:
        raise ValueError("tags and words must be 1-D of the same non-zero length")
    log_a = _log(transition)
    return float(_log(start)[t[0]] + np.sum(log_a[t[:-1], t[1:]]) + np.sum(_log(emission)[t, w]))


def viterbi(start: ArrayLike, transition: ArrayLike, emission: ArrayLike,
            words: ArrayLike) -> tuple[NDArray[np.intp], float]:
    """The most probable tag sequence for ``words`` and its log joint probability.

    Dynamic programming over positions: ``O(n K^2)`` instead of the ``K^n``
    sequences a brute-force search would score. Ties go to the lower tag id.

    >>> start = [0.6, 0.4]; transition = [[0.7, 0.3], [0.4, 0.6]]; emission = [[0.9, 0.1], [0.2, 0.8]]
    >>> tags, logp = viterbi(start, transition, emission, [0, 1, 1])
    >>> tags, round(float(np.exp(logp)), 6)
    (array([0, 1, 1]), 0.062208)
    """
    w = np.asarray(words, dtype=np.intp)
    log_a, log_b = _log(transition), _log(emission)
    score = _log(start) + log_b[:, w[0]]
    back = np.zeros((len(w), score.size), dtype=np.intp)
    for i in range(1, len(w)):
        candidates = score[:, None] + log_a  # previous tag j (rows) -> tag k (columns)
        back[i] = np.argmax(candidates, axis=0)
        score = candidates[back[i], np.arange(score.size)] + log_b[:, w[i]]
    best = np.zeros(len(w), dtype=np.intp)
    best[-1] = int(np.argmax(score))
    for i in range(len(w) - 1, 0, -1):
        best[i - 1] = back[i, best[i]]
    return best, float(np.max(score))
