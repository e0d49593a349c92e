"""snippets.seq2seq against independent references: scipy's softmax, finite differences, and the hand-built reversal task.

Tolerances are the ones stated on derivations/seq2seq-attention-bottleneck.md.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from snippets import seq2seq
from tests.support.strategies import arrays

FEW = settings(max_examples=40, deadline=None, derandomize=True, database=None)


@FEW
@given(st.integers(1, 5), st.integers(1, 7), st.integers(1, 4), st.data())
def test_weights_are_scipy_softmax_of_dot_scores_and_form_convex_combinations(n: int, T: int, d: int,
                                                                              data: st.DataObject) -> None:
    S, H = data.draw(arrays(-5, 5, (n, d))), data.draw(arrays(-5, 5, (T, d)))
    alpha = seq2seq.attention_weights(S, H)
    np.testing.assert_allclose(alpha, special.softmax(S @ H.T, axis=1), rtol=1e-12, atol=1e-15)
    assert np.all(alpha >= 0)
    np.testing.assert_allclose(alpha.sum(axis=1), 1.0, atol=1e-12)
    c = seq2seq.contexts(S, H)
    assert np.all(c <= H.max(axis=0) + 1e-12) and np.all(c >= H.min(axis=0) - 1e-12)


def test_a_score_gap_of_20_retrieves_one_state() -> None:
    rng = np.random.default_rng(0)
    H = rng.normal(size=(10, 6))
    s = 20.0 * H[3] / (H[3] @ H[3])  # score 20 for h_3
    H_other = H - np.outer(H @ s, s) / (s @ s)  # others: score 0
    H_other[3] = H[3]
    c = seq2seq.context(s, H_other)
    assert np.linalg.norm(c - H[3]) < 1e-6 * np.linalg.norm(H[3])  # the other 9 weights are each about e^-20


def test_jacobian_matches_central_differences() -> None:
    rng = np.random.default_rng(1)
    s, H, eps = rng.normal(size=3), rng.normal(size=(5, 3)), 1e-6
    alpha, c = seq2seq.attention_weights(s, H)[0], seq2seq.context(s, H)
    for j in range(5):
        for k in range(3):
            step = np.zeros_like(H)
            step[j, k] = eps
            numeric = (seq2seq.context(s, H + step) - seq2seq.context(s, H - step)) / (2 * eps)
            analytic = alpha[j] * (np.eye(3)[:, k] + (H[j] - c) * s[k])
            np.testing.assert_allclose(numeric, analytic, rtol=1e-6, atol=1e-8)


def test_reversal_decoder_reads_position_T_plus_1_minus_t() -> None:
    alpha = seq2seq.reversal_alignment(T=8)
    assert list(alpha.argmax(axis=1)) == list(range(7, -1, -1))


def test_linear_rnn_unrolls_to_powers_of_w_and_additive_score_edge_case() -> None:
    rng = np.random.default_rng(2)
    W, U, X = 0.5 * rng.normal(size=(3, 3)), rng.normal(size=(3, 2)), rng.normal(size=(6, 2))
    expected = sum(np.linalg.matrix_power(W, 6 - j) @ U @ X[j - 1] for j in range(1, 7))
    np.testing.assert_allclose(seq2seq.linear_rnn_states(X, W, U)[-1], expected, atol=1e-12)
    # Additive score: tanh saturates at +-1, so |score| <= ||v||_1 whatever the states.
    v = np.array([1.0, -2.0])
    big = seq2seq.additive_score([1e6, -1e6], [1e6, 1e6], np.eye(2), np.eye(2), v)
    assert abs(big) <= np.abs(v).sum() + 1e-12
    assert seq2seq.additive_score([1.0], [2.0], [[1.0]], [[1.0]], [1.0]) == pytest.approx(np.tanh(3.0))
