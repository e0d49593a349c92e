"""Snippets behind the LLM-concept pages (RAG, RLHF, PEFT, NER, POS tagging) against independent references.

References are scipy or numpy where they have the same function, and
otherwise brute force or a closed form written here, never the snippet's
own formula.
"""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import optimize, special, stats
from scipy.spatial import distance

from snippets import diagrams, peft, preferences, retrieval, sequence_labeling
from snippets.lora import lora_parameter_count
from tests.support.strategies import arrays as vectors, floats

DETERMINISTIC = settings(max_examples=200, deadline=None, derandomize=True, database=None)
FEW = settings(max_examples=40, deadline=None, derandomize=True, database=None)


def nonzero_vectors(size: int) -> st.SearchStrategy[np.ndarray]:
    return vectors(-5.0, 5.0, size).filter(lambda v: np.linalg.norm(v) > 1e-3)


def simplices(n: int) -> st.SearchStrategy[np.ndarray]:
    return vectors(1e-3, 1.0, n).map(lambda w: w / w.sum())


# --- retrieval -------------------------------------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 8).flatmap(lambda m: st.tuples(nonzero_vectors(m), nonzero_vectors(m))))
def test_cosine_similarity_matches_scipy(pair: tuple[np.ndarray, np.ndarray]) -> None:
    u, v = pair
    assert retrieval.cosine_similarity(u, v) == pytest.approx(1.0 - distance.cosine(u, v), abs=1e-12)


def test_cosine_similarity_of_a_zero_vector_is_zero() -> None:
    assert retrieval.cosine_similarity([0.0, 0.0], [1.0, 2.0]) == 0.0
    np.testing.assert_array_equal(retrieval.normalize(np.zeros(3)), np.zeros(3))


@DETERMINISTIC
@given(st.integers(1, 6).flatmap(lambda m: hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.just(m)),
                                                    elements=floats(-5, 5))))
def test_normalize_gives_unit_rows(x: np.ndarray) -> None:
    norms = np.linalg.norm(retrieval.normalize(x), axis=1)
    expected = np.where(np.linalg.norm(x, axis=1) > 0, 1.0, 0.0)
    np.testing.assert_allclose(norms, expected, atol=1e-12)


@st.composite
def corpora(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int]:
    n, m = draw(st.integers(1, 12)), draw(st.integers(1, 5))
    grid = floats(-3, 3).map(lambda x: round(x, 1))  # a grid makes ties common and avoids underflow
    docs = draw(hnp.arrays(np.float64, (n, m), elements=grid))
    query = draw(hnp.arrays(np.float64, m, elements=grid))
    return query, docs, draw(st.integers(0, n + 2))


@DETERMINISTIC
@given(corpora(), st.sampled_from(["dot", "cosine"]))
def test_top_k_matches_brute_force(case: tuple[np.ndarray, np.ndarray, int], metric: str) -> None:
    query, docs, k = case
    if metric == "dot":
        scores = [sum(a * b for a, b in zip(row, query)) for row in docs]
    else:
        scores = [0.0 if not (np.any(row) and np.any(query)) else 1.0 - distance.cosine(row, query) for row in docs]
    expected = sorted(range(len(docs)), key=lambda i: (-round(scores[i], 9), i))[:k]
    indices, got = retrieval.top_k_retrieve(query, docs, k, metric=metric)
    assert len(indices) == min(k, len(docs))
    np.testing.assert_allclose(got, [scores[i] for i in indices], atol=1e-9)
    np.testing.assert_allclose(sorted(got, reverse=True), got)  # best first
    np.testing.assert_allclose(got, [scores[i] for i in expected], atol=1e-9)  # the same scores as brute force


def test_top_k_rejects_negative_k_and_unknown_metric() -> None:
    with pytest.raises(ValueError):
        retrieval.top_k_retrieve([1.0], [[1.0]], -1)
    with pytest.raises(ValueError):
        retrieval.similarity_scores([1.0], [[1.0]], metric="l2")  # type: ignore[arg-type]


def test_build_prompt_numbers_the_passages_in_order() -> None:
    prompt = retrieval.build_prompt("Q?", ["first", "second"])
    assert prompt.index("[1] first") < prompt.index("[2] second") < prompt.index("Question: Q?")


def test_rag_page_worked_example() -> None:
    query = np.array([0.8, 0.2, 0.4])
    docs = np.array([[0.7, 0.1, 0.6], [0.1, 0.9, 0.2], [1.4, 0.6, -0.5], [0.6, 0.0, 0.8]])
    np.testing.assert_allclose(retrieval.similarity_scores(query, docs), [0.82, 0.34, 1.04, 0.80])
    np.testing.assert_allclose(retrieval.similarity_scores(query, docs, "cosine"), [0.965, 0.400, 0.708, 0.873],
                               atol=5e-4)
    assert retrieval.top_k_retrieve(query, docs, 2)[0].tolist() == [2, 0]
    assert retrieval.top_k_retrieve(query, docs, 2, metric="cosine")[0].tolist() == [0, 3]


# --- preferences (RLHF) ----------------------------------------------------------------


@DETERMINISTIC
@given(vectors(-1000.0, 1000.0, st.integers(1, 10)))
def test_sigmoid_matches_scipy_expit(z: np.ndarray) -> None:
    np.testing.assert_allclose(preferences.sigmoid(z), special.expit(z), rtol=1e-14, atol=1e-300)


@DETERMINISTIC
@given(floats(-50, 50), floats(-50, 50))
def test_bradley_terry_is_expit_of_the_difference_and_complementary(r_w: float, r_l: float) -> None:
    p = preferences.bradley_terry_probability(r_w, r_l)
    assert p == pytest.approx(special.expit(r_w - r_l), rel=1e-12, abs=1e-300)
    assert p + preferences.bradley_terry_probability(r_l, r_w) == pytest.approx(1.0, abs=1e-12)


@DETERMINISTIC
@given(st.integers(1, 10).flatmap(lambda n: st.tuples(vectors(-1000, 1000, n), vectors(-1000, 1000, n))))
def test_reward_model_loss_matches_logaddexp(pair: tuple[np.ndarray, np.ndarray]) -> None:
    r_w, r_l = pair
    reference = np.logaddexp(0.0, -(r_w - r_l))
    np.testing.assert_allclose(preferences.reward_model_loss(r_w, r_l, reduction="none"), reference, rtol=1e-12)
    assert preferences.reward_model_loss(r_w, r_l) == pytest.approx(float(np.mean(reference)), rel=1e-12)


@DETERMINISTIC
@given(floats(-30, 30), floats(-30, 30))
def test_reward_model_loss_is_minus_log_sigmoid(r_w: float, r_l: float) -> None:
    assert preferences.reward_model_loss(r_w, r_l) == pytest.approx(-np.log(special.expit(r_w - r_l)),
                                                                     rel=1e-9, abs=1e-12)


def test_reward_model_loss_rejects_unknown_reduction() -> None:
    with pytest.raises(ValueError):
        preferences.reward_model_loss(1.0, 0.0, reduction="sum")


@st.composite
def policies(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    n = draw(st.integers(1, 8))
    return (draw(simplices(n)), draw(simplices(n)), draw(vectors(-5, 5, n)), draw(floats(0.05, 3.0)))


@DETERMINISTIC
@given(policies())
def test_kl_objective_matches_scipy_entropy(case: tuple[np.ndarray, np.ndarray, np.ndarray, float]) -> None:
    pi, ref, rewards, beta = case
    expected = float(pi @ rewards) - beta * stats.entropy(pi, ref)
    assert preferences.kl_regularized_objective(pi, ref, rewards, beta) == pytest.approx(expected, rel=1e-10,
                                                                                          abs=1e-10)


@DETERMINISTIC
@given(policies())
def test_optimal_policy_beats_any_policy_and_reaches_beta_log_z(
        case: tuple[np.ndarray, np.ndarray, np.ndarray, float]) -> None:
    pi, ref, rewards, beta = case
    best = preferences.optimal_kl_policy(ref, rewards, beta)
    value = preferences.kl_regularized_objective(best, ref, rewards, beta)
    assert value >= preferences.kl_regularized_objective(pi, ref, rewards, beta) - 1e-10
    assert value == pytest.approx(beta * special.logsumexp(rewards / beta, b=ref), rel=1e-9, abs=1e-9)
    assert preferences.optimal_kl_value(ref, rewards, beta) == pytest.approx(value, rel=1e-9, abs=1e-9)


def test_optimal_policy_matches_numerical_optimization() -> None:
    rng = np.random.default_rng(3)
    for _ in range(5):
        ref, rewards, beta = rng.dirichlet(np.ones(4)), rng.normal(size=4), 0.7

        def negative_objective(logits: np.ndarray) -> float:
            return -preferences.kl_regularized_objective(special.softmax(logits), ref, rewards, beta)

        found = special.softmax(optimize.minimize(negative_objective, np.zeros(4), method="BFGS").x)
        np.testing.assert_allclose(preferences.optimal_kl_policy(ref, rewards, beta), found, atol=1e-4)


def test_optimal_policy_limits_in_beta() -> None:
    ref, rewards = np.array([0.2, 0.3, 0.5]), np.array([1.0, 3.0, 2.0])
    np.testing.assert_allclose(preferences.optimal_kl_policy(ref, rewards, 1e6), ref, atol=1e-5)
    np.testing.assert_allclose(preferences.optimal_kl_policy(ref, rewards, 1e-3), [0.0, 1.0, 0.0], atol=1e-12)


@DETERMINISTIC
@given(policies())
def test_shaped_reward_averages_to_the_objective(case: tuple[np.ndarray, np.ndarray, np.ndarray, float]) -> None:
    pi, ref, rewards, beta = case
    shaped = preferences.kl_shaped_reward(rewards, np.log(pi), np.log(ref), beta)
    assert float(pi @ shaped) == pytest.approx(preferences.kl_regularized_objective(pi, ref, rewards, beta),
                                               rel=1e-10, abs=1e-10)


def test_rlhf_page_worked_example() -> None:
    assert preferences.bradley_terry_probability(1.2, 0.4) == pytest.approx(0.690, abs=5e-4)
    assert preferences.reward_model_loss(1.2, 0.4) == pytest.approx(0.371, abs=5e-4)
    assert preferences.reward_model_loss(0.4, 1.2) == pytest.approx(1.171, abs=5e-4)
    ref, rewards = [0.5, 0.5], [1.0, 0.0]
    np.testing.assert_allclose(preferences.optimal_kl_policy(ref, rewards, 0.5), [0.881, 0.119], atol=5e-4)
    assert preferences.optimal_kl_value(ref, rewards, 0.5) == pytest.approx(0.717, abs=5e-4)
    assert preferences.kl_regularized_objective([1.0, 0.0], ref, rewards, 0.5) == pytest.approx(0.653, abs=5e-4)
    assert preferences.optimal_kl_policy(ref, rewards, 0.1)[0] == pytest.approx(0.99995, abs=5e-6)
    np.testing.assert_allclose(preferences.optimal_kl_policy(ref, rewards, 2.0), [0.622, 0.378], atol=5e-4)


# --- sequence labeling -----------------------------------------------------------------


def conlleval_chunks(tags: list[str]) -> list[tuple[str, int, int]]:
    """An independent port of the chunk-boundary rules of the CoNLL ``conlleval`` script (BIO only)."""
    chunks, start, previous_tag, previous_type = [], None, "O", ""
    for i, tag in enumerate(tags + ["O"]):
        kind, label = (tag.split("-", 1) + [""])[:2] if tag != "O" else ("O", "")
        ends = previous_tag in ("B", "I") and (kind in ("B", "O") or (kind == "I" and label != previous_type))
        starts = kind == "B" or (kind == "I" and (previous_tag == "O" or label != previous_type))
        if ends and start is not None:
            chunks.append((previous_type, start, i))
            start = None
        if starts:
            start = i
        previous_tag, previous_type = kind, label
    return chunks


TAGS = st.lists(st.sampled_from(["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]), max_size=15)


@DETERMINISTIC
@given(TAGS)
def test_bio_spans_match_conlleval_rules(tags: list[str]) -> None:
    assert sequence_labeling.bio_spans(tags) == conlleval_chunks(tags)


@DETERMINISTIC
@given(st.lists(st.tuples(st.sampled_from(["PER", "LOC"]), st.integers(1, 3), st.integers(0, 2)), max_size=5))
def test_spans_to_bio_round_trip(pieces: list[tuple[str, int, int]]) -> None:
    spans, position = [], 0
    for kind, length, gap in pieces:  # entities of the given lengths separated by the given gaps
        position += gap
        spans.append((kind, position, position + length))
        position += length
    assert sequence_labeling.bio_spans(sequence_labeling.spans_to_bio(spans, position)) == spans


def test_invalid_tags_and_spans_are_rejected() -> None:
    with pytest.raises(ValueError):
        sequence_labeling.bio_spans(["B-PER", "X-PER"])
    with pytest.raises(ValueError):
        sequence_labeling.bio_spans(["B-"])
    with pytest.raises(ValueError):
        sequence_labeling.spans_to_bio([("PER", 0, 2), ("LOC", 1, 3)], 4)
    with pytest.raises(ValueError):
        sequence_labeling.entity_counts(["O"], ["O", "O"])


@DETERMINISTIC
@given(st.lists(st.tuples(TAGS, TAGS), min_size=1, max_size=4))
def test_entity_f1_matches_a_count_reference(pairs: list[tuple[list[str], list[str]]]) -> None:
    pairs = [(g[: min(len(g), len(p))], p[: min(len(g), len(p))]) for g, p in pairs]
    gold, pred = [g for g, _ in pairs], [p for _, p in pairs]
    gold_set = {(s, *c) for s, g in enumerate(gold) for c in conlleval_chunks(g)}
    pred_set = {(s, *c) for s, p in enumerate(pred) for c in conlleval_chunks(p)}
    tp = len(gold_set & pred_set)
    precision, recall, f1 = sequence_labeling.entity_precision_recall_f1(gold, pred)
    assert precision == (tp / len(pred_set) if pred_set else 0.0)
    assert recall == (tp / len(gold_set) if gold_set else 0.0)
    expected_f1 = stats.hmean([precision, recall]) if precision and recall else 0.0
    assert f1 == pytest.approx(expected_f1, abs=1e-12)


def test_ner_page_worked_example() -> None:
    gold = ["B-PER", "I-PER", "O", "O", "O", "B-LOC", "O", "O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "O"]
    pred = gold[:12] + ["B-LOC", "O"]
    assert sequence_labeling.entity_counts(gold, pred) == (2, 3, 4)
    assert sequence_labeling.entity_precision_recall_f1(gold, pred) == pytest.approx((0.5, 2 / 3, 4 / 7))
    assert sequence_labeling.token_accuracy(gold, pred) == pytest.approx(13 / 14)
    assert sequence_labeling.entity_f1(gold, ["O"] * len(gold)) == 0.0


@st.composite
def hmms(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    k, v, n = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 5))
    rows = lambda r, c: hnp.arrays(np.float64, (r, c), elements=floats(0.01, 1.0)).map(  # noqa: E731
        lambda a: a / a.sum(axis=1, keepdims=True))
    start = draw(rows(1, k))[0]
    words = draw(hnp.arrays(np.intp, n, elements=st.integers(0, v - 1)))
    return start, draw(rows(k, k)), draw(rows(k, v)), words


@FEW
@given(hmms())
def test_hmm_log_joint_is_the_log_of_the_product(hmm: tuple[np.ndarray, ...]) -> None:
    start, a, b, words = hmm
    for tags in itertools.product(range(len(start)), repeat=len(words)):
        product = start[tags[0]] * b[tags[0], words[0]]
        for i in range(1, len(words)):
            product *= a[tags[i - 1], tags[i]] * b[tags[i], words[i]]
        assert sequence_labeling.hmm_log_joint(start, a, b, tags, words) == pytest.approx(np.log(product))


@FEW
@given(hmms())
def test_viterbi_finds_the_brute_force_maximum(hmm: tuple[np.ndarray, ...]) -> None:
    start, a, b, words = hmm
    best = max(sequence_labeling.hmm_log_joint(start, a, b, t, words)
               for t in itertools.product(range(len(start)), repeat=len(words)))
    tags, logp = sequence_labeling.viterbi(start, a, b, words)
    assert logp == pytest.approx(best, rel=1e-12)
    assert sequence_labeling.hmm_log_joint(start, a, b, tags, words) == pytest.approx(best, rel=1e-12)


def test_pos_page_worked_example() -> None:
    start = np.full(4, 0.25)  # tags PART, DET, NOUN, VERB; words "to", "a", "book"
    a = np.array([[0.0, 0.1, 0.1, 0.8], [0.0, 0.0, 0.9, 0.1], [0.3, 0.1, 0.3, 0.3], [0.2, 0.5, 0.2, 0.1]])
    b = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.01], [0.0, 0.0, 0.005]])
    assert sequence_labeling.viterbi(start, a, b, [0, 2])[0].tolist() == [0, 3]  # to/PART book/VERB
    assert sequence_labeling.viterbi(start, a, b, [1, 2])[0].tolist() == [1, 2]  # a/DET book/NOUN


# --- diagrams --------------------------------------------------------------------------


@DETERMINISTIC
@given(floats(-5, 5), floats(-5, 5), floats(0.1, 2), floats(0.1, 2), floats(-20, 20), floats(-20, 20))
def test_edge_point_is_on_the_border_and_on_the_ray(cx: float, cy: float, hw: float, hh: float,
                                                     tx: float, ty: float) -> None:
    center, target = np.array([cx, cy]), np.array([tx, ty])
    point = diagrams.edge_point(center, (hw, hh), target)
    offset = np.abs(point - center)
    if np.allclose(target, center):
        return
    assert max(offset[0] / hw, offset[1] / hh) == pytest.approx(1.0, abs=1e-9)  # on the border
    direction, reached = target - center, point - center
    assert abs(direction[0] * reached[1] - direction[1] * reached[0]) <= 1e-9 * (1 + np.abs(direction).sum() ** 2)
    assert float(direction @ reached) >= 0  # toward the target, not away from it


@pytest.mark.parametrize("draw", [diagrams.rag_pipeline, diagrams.rlhf_pipeline, peft.trainable_fraction_bars])
def test_figures_render_to_svg(draw) -> None:  # type: ignore[no-untyped-def]
    figure = draw()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    assert "<svg" in buffer.getvalue()
    assert len(figure.axes) == 1


def test_side_point_rejects_unknown_sides() -> None:
    with pytest.raises(ValueError):
        diagrams.side_point(diagrams.Box("a", "A", 0.0, 0.0), "middle")


# --- PEFT ------------------------------------------------------------------------------


@DETERMINISTIC
@given(st.integers(1, 8192), st.integers(1, 8192), st.integers(1, 512))
def test_lora_fraction_matches_the_closed_form(d: int, k: int, r: int) -> None:
    assert peft.lora_fraction(d, k, r) == pytest.approx(r * (d + k) / (d * k), rel=1e-14)
    assert peft.lora_trainable(d, 3, r, matrices=2) == 3 * 2 * lora_parameter_count(d, d, r) == 12 * r * d


def test_peft_counts_for_the_page_model() -> None:
    counts = peft.method_trainable_counts(**peft.GPT3_6P7B)
    assert counts["full fine-tuning"] == 32 * 12 * 4096**2 + 50257 * 4096  # d_ff = 4d gives 12 d^2 per layer
    assert counts["adapters, m = 64"] == 32 * 2 * (2 * 4096 * 64 + 4096 + 64)
    assert counts["LoRA, r = 8"] == 32 * 2 * 8 * (4096 + 4096)
    assert counts["prefix tuning, p = 10"] == 2 * 32 * 10 * 4096
    assert counts["(IA)^3"] == 32 * (4096 + 4096 + 16384)
    assert counts["prompt tuning, p = 20"] == 20 * 4096
    fractions = list(peft.trainable_fractions(**peft.GPT3_6P7B).values())
    assert fractions[0] == 1.0 and fractions == sorted(fractions, reverse=True)
