"""The CLIP snippets against an independent reference: cross-entropy computed with scipy's log_softmax on both axes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from snippets import clip
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=150, deadline=None, derandomize=True, database=None)


def reference_loss(S: np.ndarray) -> float:
    n = S.shape[0]
    targets = np.arange(n)
    image_to_text = -special.log_softmax(S, axis=1)[targets, targets].mean()
    text_to_image = -special.log_softmax(S, axis=0)[targets, targets].mean()
    return float((image_to_text + text_to_image) / 2)


@DETERMINISTIC
@given(st.integers(1, 6).flatmap(lambda n: arrays(-50.0, 50.0, (n, n))))
def test_loss_from_logits_matches_scipy(S: np.ndarray) -> None:
    assert clip.clip_loss_from_logits(S) == pytest.approx(reference_loss(S), rel=1e-9, abs=1e-12)


@DETERMINISTIC
@given(st.integers(1, 5), st.integers(1, 4), st.floats(-2.0, 4.6), st.integers(0, 10_000))
def test_loss_from_embeddings_matches_scipy(n: int, d: int, t: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    F, G = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    cos = (F / np.linalg.norm(F, axis=1, keepdims=True)) @ (G / np.linalg.norm(G, axis=1, keepdims=True)).T
    assert clip.clip_loss(F, G, t) == pytest.approx(reference_loss(np.exp(t) * cos), rel=1e-9, abs=1e-12)


def test_batch_of_one_has_zero_loss() -> None:
    # One pair: its only competitor is itself, so both softmaxes put probability 1 on it.
    assert clip.clip_loss(np.array([[1.0, -2.0]]), np.array([[0.3, 0.4]]), t=3.0) == 0.0


def test_large_logit_scale_stays_finite_and_matches_scipy() -> None:
    F = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    G = np.array([[0.9, 0.1], [0.2, 1.0], [1.0, 0.7]])
    for t in (np.log(100.0), 10.0, 50.0):  # exp(50) * cos: logits near 5e21, where a naive softmax overflows
        S = clip.similarity_logits(F, G, t)
        value = clip.clip_loss(F, G, t)
        assert np.isfinite(value)
        assert value == pytest.approx(reference_loss(S), rel=1e-9)


def test_equal_logits_give_log_n() -> None:
    for n in (2, 5, 32):
        assert clip.clip_loss_from_logits(np.zeros((n, n))) == pytest.approx(np.log(n))


def test_loss_is_symmetric_in_images_and_text() -> None:
    rng = np.random.default_rng(3)
    S = rng.normal(size=(4, 4)) * 5
    assert clip.clip_loss_from_logits(S) == pytest.approx(clip.clip_loss_from_logits(S.T), rel=1e-12)


def test_similarity_is_scaled_cosine() -> None:
    S = clip.similarity_logits([[3.0, 4.0]], [[4.0, 3.0], [-3.0, -4.0]], t=np.log(2.0))
    np.testing.assert_allclose(S, [[2 * 24 / 25, -2.0]])


def test_zero_embedding_and_non_square_logits_are_rejected() -> None:
    with pytest.raises(ValueError):
        clip.similarity_logits([[0.0, 0.0]], [[1.0, 0.0]], 0.0)
    with pytest.raises(ValueError):
        clip.clip_loss_from_logits(np.zeros((2, 3)))


def test_zero_shot_ignores_length_and_picks_most_similar_prompt() -> None:
    prompts = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    images = np.array([[0.1, 5.0, 0.2], [9.0, 0.0, 0.1], [0.0, 0.1, 0.01]])
    np.testing.assert_array_equal(clip.zero_shot_predict(images, prompts), [1, 0, 1])
    assert clip.zero_shot_predict(images[0] * 1000, prompts * 0.001) == 1
