"""Snippets for classification outputs, text metrics, LoRA, mixture of experts and the straight-through estimator.

Each function is compared with scipy or numpy where they have the same
function, and otherwise with a brute-force or closed-form reference
written here (nltk, rouge-score and torch are not installed).
"""

from __future__ import annotations

import inspect
import itertools
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import special, stats

from snippets import classification, language_metrics, lora, mixture_of_experts, quantization
from snippets.activations import hardmax, softmax
from tests.support.strategies import floats

DETERMINISTIC = settings(max_examples=150, deadline=None, derandomize=True, database=None)


def vectors(low: float, high: float, min_size: int = 1, max_size: int = 10) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, st.integers(min_size, max_size), elements=floats(low, high))


def token_lists(vocabulary: int = 3, min_size: int = 0, max_size: int = 10) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, vocabulary - 1), min_size=min_size, max_size=max_size)


def matrix(shape: tuple[int, ...], low: float = -3.0, high: float = 3.0) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape, elements=floats(low, high))


# --- classification ----------------------------------------------------------------


@DETERMINISTIC
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)), elements=floats(-10, 10)))
def test_argmax_and_one_hot_match_numpy(x: np.ndarray) -> None:
    np.testing.assert_array_equal(classification.argmax(x), np.argmax(x, axis=-1))
    np.testing.assert_array_equal(classification.one_hot(np.argmax(x, axis=-1), x.shape[-1]),
                                  np.eye(x.shape[-1])[np.argmax(x, axis=-1)])


@DETERMINISTIC
@given(vectors(-20, 20))
def test_one_hot_argmax_is_hardmax_when_the_maximum_is_unique(x: np.ndarray) -> None:
    if np.sum(x == x.max()) == 1:
        np.testing.assert_array_equal(classification.one_hot(classification.argmax(x), x.size), hardmax(x))
    else:
        assert hardmax(x).max() < 1.0


@DETERMINISTIC
@given(vectors(-5, 5))
def test_low_temperature_softmax_tends_to_hardmax_including_ties(x: np.ndarray) -> None:
    x = np.round(x, 1)  # a coarse grid makes ties common
    assert classification.hardmax_gap(x, 1e-4) < 1e-12
    np.testing.assert_allclose(classification.softmax_at_temperature(x, 0.7), special.softmax(x / 0.7), rtol=1e-12)


def test_temperature_must_be_positive() -> None:
    with pytest.raises(ValueError):
        classification.softmax_at_temperature([1.0, 2.0], 0.0)


@DETERMINISTIC
@given(vectors(-10, 10, min_size=2))
def test_hardmax_has_zero_jacobian_away_from_ties(x: np.ndarray) -> None:
    top_two = np.sort(x)[-2:]
    if top_two[1] - top_two[0] > 1e-3:
        np.testing.assert_array_equal(classification.numerical_jacobian(hardmax, x), np.zeros((x.size, x.size)))


@DETERMINISTIC
@given(vectors(-5, 5))
def test_numerical_jacobian_of_softmax_matches_the_closed_form(x: np.ndarray) -> None:
    s = softmax(x)
    np.testing.assert_allclose(classification.numerical_jacobian(softmax, x), np.diag(s) - np.outer(s, s), atol=1e-8)


@DETERMINISTIC
@given(floats(0.0, 1.0))
def test_logit_matches_scipy(p: float) -> None:
    expected = special.logit(p)
    got = classification.logit(p)
    if np.isinf(expected):
        assert got == expected
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


@DETERMINISTIC
@given(vectors(-1000, 1000))
def test_sigmoid_matches_scipy_without_overflow(z: np.ndarray) -> None:
    with np.errstate(over="raise"):
        got = classification.sigmoid(z)
    np.testing.assert_allclose(got, special.expit(z), rtol=1e-13, atol=1e-300)  # scipy flushes subnormals


@DETERMINISTIC
@given(floats(-30, 30))
def test_logit_inverts_sigmoid_and_sigmoid_is_symmetric(z: float) -> None:
    assert classification.sigmoid(-z) == pytest.approx(1 - classification.sigmoid(z), abs=1e-15)
    if abs(z) < 15:
        assert classification.logit(classification.sigmoid(z)) == pytest.approx(z, abs=1e-9)


def test_logit_worked_examples() -> None:
    np.testing.assert_allclose(classification.logit([0.8, 0.5, 0.2]), [math.log(4), 0.0, -math.log(4)], atol=1e-15)
    np.testing.assert_allclose(classification.logit([0.99, 0.999]), [4.59512, 6.90675], atol=1e-5)
    assert classification.sigmoid(37.0) == 1.0 and classification.logit(1.0) == math.inf


# --- perplexity ----------------------------------------------------------------------


@DETERMINISTIC
@given(vectors(1e-3, 1.0, max_size=50))
def test_perplexity_is_the_inverse_geometric_mean(p: np.ndarray) -> None:
    expected = 1.0 / stats.gmean(p)
    assert language_metrics.perplexity(np.log(p)) == pytest.approx(expected, rel=1e-12)
    assert language_metrics.perplexity(np.log(p)) == pytest.approx(np.prod(p) ** (-1 / p.size), rel=1e-10)


@pytest.mark.parametrize("k", [1, 2, 10, 50257])
@pytest.mark.parametrize("n", [1, 7, 100])
def test_uniform_guessing_among_k_options_gives_k(k: int, n: int) -> None:
    assert language_metrics.perplexity(np.full(n, -math.log(k))) == pytest.approx(k, rel=1e-12)


def test_perplexity_worked_examples() -> None:
    skewed = np.array([0.9] + [0.1 / 9] * 9)
    entropy = stats.entropy(skewed)
    assert math.exp(entropy) == pytest.approx(1.7243, abs=1e-4)
    assert language_metrics.perplexity(np.log([0.5, 0.05])) == pytest.approx(math.sqrt(1 / 0.025))
    word = language_metrics.perplexity(np.full(10, -30 / 10))
    char = language_metrics.perplexity(np.full(50, -30 / 50))
    assert (word, char) == (pytest.approx(math.exp(3)), pytest.approx(math.exp(0.6)))
    with pytest.raises(ValueError):
        language_metrics.perplexity([])


# --- BLEU ----------------------------------------------------------------------------

CANDIDATE = "the quick brown fox jumped over the dog".split()
REFERENCE = "the quick brown fox jumps over the lazy dog".split()


def brute_force_precision(candidate: list, reference: list, n: int) -> float:
    """Clipped precision by walking the candidate's n-grams and consuming matches from the reference."""
    grams = [tuple(candidate[i : i + n]) for i in range(len(candidate) - n + 1)]
    available = Counter(tuple(reference[i : i + n]) for i in range(len(reference) - n + 1))
    hits = 0
    for gram in grams:
        if available[gram] > 0:
            available[gram] -= 1
            hits += 1
    return hits / len(grams) if grams else 0.0


def test_bleu_hand_computed_example() -> None:
    np.testing.assert_allclose(language_metrics.modified_precisions(CANDIDATE, REFERENCE),
                               [7 / 8, 4 / 7, 2 / 6, 1 / 5], rtol=1e-15)
    assert language_metrics.brevity_penalty(8, 9) == pytest.approx(math.exp(-1 / 8), rel=1e-15)
    expected = math.exp(-1 / 8) * (1 / 30) ** 0.25
    assert language_metrics.bleu(CANDIDATE, REFERENCE) == pytest.approx(expected, rel=1e-12)
    assert round(expected, 4) == 0.3771


def test_bleu_clipping_and_zero_cases() -> None:
    reference = "the cat is on the mat".split()
    assert language_metrics.modified_precision(["the"] * 7, reference, 1) == pytest.approx(2 / 7)
    assert language_metrics.bleu("the cat sat on the mat".split(), reference) == 0.0
    assert language_metrics.bleu(reference, reference) == 1.0
    assert language_metrics.bleu([], reference) == 0.0


@DETERMINISTIC
@given(token_lists(), token_lists(), st.integers(1, 4))
def test_modified_precision_matches_brute_force(candidate: list, reference: list, n: int) -> None:
    assert language_metrics.modified_precision(candidate, reference, n) == pytest.approx(
        brute_force_precision(candidate, reference, n), rel=1e-15)


@DETERMINISTIC
@given(token_lists(2, min_size=4, max_size=14), token_lists(2, min_size=1, max_size=14))
def test_bleu_is_brevity_penalty_times_geometric_mean(candidate: list, reference: list) -> None:
    p = np.array([brute_force_precision(candidate, reference, n) for n in range(1, 5)])
    c, r = len(candidate), len(reference)
    bp = 1.0 if c > r else math.exp(1 - r / c)
    expected = bp * stats.gmean(p) if np.all(p > 0) else 0.0
    assert language_metrics.bleu(candidate, reference) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert 0.0 <= language_metrics.bleu(candidate, reference) <= 1.0


def test_bleu_weights_are_validated_and_used() -> None:
    with pytest.raises(ValueError):
        language_metrics.bleu(CANDIDATE, REFERENCE, weights=[0.5, 0.5])
    unigram_only = language_metrics.bleu(CANDIDATE, REFERENCE, weights=[1.0, 0.0, 0.0, 0.0])
    assert unigram_only == pytest.approx(math.exp(-1 / 8) * 7 / 8)


# --- ROUGE ---------------------------------------------------------------------------


def brute_force_lcs(a: list, b: list) -> int:
    """The longest subsequence of a (tried longest first) that is also a subsequence of b."""
    def is_subsequence(small: tuple, big: list) -> bool:
        items = iter(big)
        return all(any(x == y for y in items) for x in small)

    for length in range(len(a), 0, -1):
        if any(is_subsequence(combo, b) for combo in itertools.combinations(a, length)):
            return length
    return 0


@DETERMINISTIC
@given(token_lists(3, max_size=8), token_lists(3, max_size=8))
def test_lcs_matches_brute_force_and_is_symmetric(a: list, b: list) -> None:
    assert language_metrics.lcs_length(a, b) == brute_force_lcs(a, b) == language_metrics.lcs_length(b, a)


def test_rouge_hand_computed_examples() -> None:
    reference = "police killed the gunman".split()
    y1 = "police kill the gunman".split()
    y2 = "the gunman kill police".split()
    for candidate in (y1, y2):
        assert language_metrics.rouge_n(candidate, reference, 1) == (0.75, 0.75, 0.75)
        assert language_metrics.rouge_n(candidate, reference, 2).recall == pytest.approx(1 / 3)
    assert language_metrics.rouge_l(y1, reference) == (0.75, 0.75, 0.75)
    assert language_metrics.rouge_l(y2, reference) == (0.5, 0.5, 0.5)
    assert language_metrics.rouge_n(["the"] * 5, "the cat on the mat".split(), 1) == pytest.approx((2 / 5, 2 / 5, 2 / 5))
    assert language_metrics.rouge_n(["a"], ["b"], 1) == (0.0, 0.0, 0.0)


@DETERMINISTIC
@given(token_lists(), token_lists(), st.integers(1, 3))
def test_rouge_n_recall_and_precision_match_brute_force(candidate: list, reference: list, n: int) -> None:
    scores = language_metrics.rouge_n(candidate, reference, n)
    assert scores.recall == pytest.approx(brute_force_precision(reference, candidate, n), rel=1e-15)
    assert scores.precision == pytest.approx(brute_force_precision(candidate, reference, n), rel=1e-15)
    if scores.precision + scores.recall > 0:
        assert scores.fmeasure == pytest.approx(stats.hmean([scores.precision, scores.recall]), rel=1e-12)


@DETERMINISTIC
@given(floats(0.01, 1), floats(0.01, 1), floats(0.1, 10))
def test_f_measure_is_a_weighted_harmonic_mean(p: float, r: float, beta: float) -> None:
    weights = [1.0, beta**2]
    expected = stats.hmean([p, r], weights=weights)
    assert language_metrics.f_measure(p, r, beta) == pytest.approx(expected, rel=1e-12)


# --- LoRA ----------------------------------------------------------------------------


@st.composite
def lora_problems(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    d, k, r, batch = (draw(st.integers(1, 6)) for _ in range(4))
    x = draw(matrix((batch, k)))
    W0, A, B = draw(matrix((d, k))), draw(matrix((r, k))), draw(matrix((d, r)))
    return x, W0, A, B, draw(floats(0.5, 64))


@DETERMINISTIC
@given(lora_problems())
def test_lora_forward_equals_the_merged_layer(problem: tuple) -> None:
    x, W0, A, B, alpha = problem
    r = A.shape[0]
    expected = x @ (W0 + alpha / r * B @ A).T
    np.testing.assert_allclose(lora.lora_forward(x, W0, A, B, alpha), expected, rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(x @ lora.merge(W0, A, B, alpha).T, expected, rtol=1e-10, atol=1e-9)
    assert np.linalg.matrix_rank(lora.delta_weight(A, B, alpha)) <= r


@DETERMINISTIC
@given(st.integers(1, 8), st.integers(1, 8), st.integers(1, 8), st.integers(0, 2**32 - 1))
def test_initial_adapter_leaves_the_model_unchanged(d: int, k: int, r: int, seed: int) -> None:
    A, B = lora.init_lora(d, k, r, rng=seed)
    W0 = np.random.default_rng(seed).normal(size=(d, k))
    x = np.random.default_rng(seed + 1).normal(size=(3, k))
    np.testing.assert_array_equal(lora.lora_forward(x, W0, A, B, alpha=16.0), x @ W0.T)
    assert lora.lora_parameter_count(d, k, r) == A.size + B.size


def test_lora_parameter_count_signature_and_values() -> None:
    signature = inspect.signature(lora.lora_parameter_count)
    assert list(signature.parameters) == ["d", "k", "r"]
    assert signature.return_annotation in (int, "int")
    assert lora.lora_parameter_count(4096, 4096, 8) == 65_536
    assert lora.full_parameter_count(4096, 4096) == 16_777_216
    assert lora.lora_parameter_count(4096, 4096, 2048) == lora.full_parameter_count(4096, 4096)
    assert isinstance(lora.lora_parameter_count(np.int64(3), 4, 2), int)
    with pytest.raises(ValueError):
        lora.lora_parameter_count(4096, 4096, 0)


def test_lora_shapes_are_validated() -> None:
    with pytest.raises(ValueError):
        lora.lora_forward(np.ones((1, 3)), np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 1)), 1.0)
    with pytest.raises(ValueError):
        lora.merge(np.ones((2, 2)), np.ones((1, 3)), np.ones((2, 1)), 1.0)


# --- mixture of experts --------------------------------------------------------------


@st.composite
def moe_problems(draw: st.DrawFn) -> tuple:
    n, d, e, T = draw(st.integers(1, 8)), draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, 6))
    k = draw(st.integers(1, n))
    return draw(matrix((T, d))), draw(matrix((n, d))), draw(matrix((n, e, d))), k, draw(st.booleans())


@DETERMINISTIC
@given(moe_problems())
def test_sparse_forward_equals_dense_masked_evaluation(problem: tuple) -> None:
    X, W_gate, W_experts, k, renormalize = problem
    weights = mixture_of_experts.gate_weights(mixture_of_experts.router_logits(X, W_gate), k, renormalize)
    dense = np.einsum("tn,tne->te", weights, np.einsum("ned,td->tne", W_experts, X))
    np.testing.assert_allclose(mixture_of_experts.moe_forward(X, W_gate, W_experts, k, renormalize), dense,
                               rtol=1e-10, atol=1e-10)


@DETERMINISTIC
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 8)), elements=floats(-20, 20)),
       st.data())
def test_gates_select_the_top_k_and_normalize_as_stated(g: np.ndarray, data: st.DataObject) -> None:
    n = g.shape[-1]
    k = data.draw(st.integers(1, n))
    mask = mixture_of_experts.top_k_mask(g, k)
    assert np.all(mask.sum(axis=-1) == k)
    threshold = np.sort(g, axis=-1)[:, n - k][:, None]  # the k-th largest logit
    assert np.all(g[mask == 1] >= np.broadcast_to(threshold, g.shape)[mask == 1])
    assert np.all(g[mask == 0] <= np.broadcast_to(threshold, g.shape)[mask == 0])
    renormalized = mixture_of_experts.gate_weights(g, k)
    np.testing.assert_allclose(renormalized.sum(axis=-1), 1.0, rtol=1e-12)
    plain = mixture_of_experts.gate_weights(g, k, renormalize=False)
    np.testing.assert_allclose(plain, mask * special.softmax(g, axis=-1), rtol=1e-12)
    assert np.all(plain.sum(axis=-1) <= 1 + 1e-12)
    np.testing.assert_allclose(renormalized, plain / plain.sum(axis=-1, keepdims=True), rtol=1e-9, atol=1e-300)


def test_top_n_gate_is_the_full_softmax() -> None:
    g = np.array([[0.3, -1.0, 2.0, 0.0]])
    np.testing.assert_allclose(mixture_of_experts.gate_weights(g, 4), special.softmax(g, axis=-1), rtol=1e-15)
    with pytest.raises(ValueError):
        mixture_of_experts.top_k_mask(g, 5)


def test_moe_counts() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(1000, 16))
    counts = mixture_of_experts.tokens_per_expert(logits, 2)
    assert counts.sum() == 2000 and counts.shape == (16,)
    assert mixture_of_experts.parameter_counts(8, 2, 100, 10) == (810, 210)
    np.testing.assert_allclose(mixture_of_experts.gate_weights([2.0, 1.0, 0.0, -1.0], 2)[:2], [0.7311, 0.2689],
                               atol=1e-4)


# --- straight-through estimator ------------------------------------------------------


@DETERMINISTIC
@given(vectors(-1e6, 1e6, max_size=20))
def test_ste_forward_is_exactly_round(x: np.ndarray) -> None:
    np.testing.assert_array_equal(quantization.ste_round(x), np.round(x))


@DETERMINISTIC
@given(vectors(-100, 100, max_size=12))
def test_ste_jacobian_is_identity_and_round_jacobian_is_zero(x: np.ndarray) -> None:
    np.testing.assert_array_equal(quantization.ste_jacobian(x), np.eye(x.size))
    np.testing.assert_array_equal(quantization.round_jacobian(x), np.zeros((x.size, x.size)))


@DETERMINISTIC
@given(vectors(-10, 10, max_size=6), floats(-5, 5), floats(-5, 5))
def test_dual_numbers_differentiate_affine_maps_exactly(x: np.ndarray, a: float, b: float) -> None:
    jac = quantization.jacobian(lambda v: a * v - b + (v / 2.0) - quantization.stop_gradient(v * 3.0), x)
    np.testing.assert_allclose(jac, (a + 0.5) * np.eye(x.size), rtol=1e-15)
    value = (a * quantization.variable(x) - b).value
    np.testing.assert_allclose(value, a * x - b)


def test_jacobian_rejects_functions_that_drop_the_dual() -> None:
    with pytest.raises(TypeError):
        quantization.jacobian(lambda v: np.zeros(3), [1.0, 2.0, 3.0])


@DETERMINISTIC
@given(vectors(-50, 50), floats(0.01, 2), st.integers(-128, 0), st.integers(1, 127))
def test_fake_quantize_rounds_clips_and_its_surrogate_marks_the_unclipped(x, scale, qmin, qmax) -> None:
    q = quantization.fake_quantize(x, scale, qmin, qmax)
    levels = q / scale
    np.testing.assert_allclose(levels, np.round(levels), atol=1e-9)
    assert np.all((levels >= qmin - 1e-9) & (levels <= qmax + 1e-9))
    inside = quantization.fake_quantize_surrogate(x, scale, qmin, qmax) == 1
    np.testing.assert_allclose(q[inside], scale * np.round(x[inside] / scale), rtol=1e-12, atol=1e-12)


# --- figures -------------------------------------------------------------------------


@pytest.mark.parametrize("function", [
    classification.temperature_to_hardmax, classification.logit_and_sigmoid,
    language_metrics.perplexity_vs_probability, language_metrics.bleu_precisions,
    lora.parameters_vs_rank, mixture_of_experts.router_load, quantization.ste_staircase,
])
def test_figures_draw(function) -> None:
    from matplotlib.figure import Figure

    fig = function()
    assert isinstance(fig, Figure)
    assert fig.axes and all(ax.has_data() for ax in fig.axes)
