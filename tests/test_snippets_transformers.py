"""Snippets behind the transformer pages (attention, masks, heads, FFN, block, counts, ViT, RoPE) against references.

References are scipy, scikit-learn or numpy where they compute the same
thing (``scipy.special.softmax``, an ``MLPRegressor`` with the same weights,
``sliding_window_view``, complex multiplication), and otherwise brute force
or a published number, never the snippet's own formula.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.lib.stride_tricks import sliding_window_view
from scipy import special
from sklearn.neural_network import MLPRegressor

from snippets import attention, autoregressive, rope, transformer, vision_transformer
from tests.support.strategies import floats

FEW = settings(max_examples=40, deadline=None, derandomize=True, database=None)


def matrices(rows: int, cols: int, bound: float = 3.0) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, (rows, cols), elements=floats(-bound, bound))


# --- attention and the causal mask ------------------------------------------------------


@FEW
@given(st.integers(1, 6), st.integers(1, 5), st.data())
def test_masked_attention_matches_scipy_softmax(T: int, d: int, data: st.DataObject) -> None:
    q, k, v = (data.draw(matrices(T, d)) for _ in range(3))
    mask = np.triu(np.full((T, T), -np.inf), k=1)
    weights = special.softmax(q @ k.T / np.sqrt(d) + mask, axis=-1)
    np.testing.assert_allclose(attention.attention_weights(q, k, attention.causal_mask(T)), weights, atol=1e-12)
    np.testing.assert_allclose(attention.scaled_dot_product_attention(q, k, v, attention.causal_mask(T)),
                               weights @ v, atol=1e-12)


def test_causal_mask_is_numpy_triu_and_rejects_empty_sequences() -> None:
    for T in range(1, 7):
        np.testing.assert_array_equal(attention.causal_mask(T), np.triu(np.full((T, T), -np.inf), k=1))
    with pytest.raises(ValueError, match="positive integer"):
        attention.causal_mask(0)


def test_a_single_token_attends_to_itself_with_weight_one() -> None:
    q, k, v = np.array([[0.3, -2.0]]), np.array([[5.0, 1.0]]), np.array([[7.0, -1.0, 2.0]])
    np.testing.assert_array_equal(attention.attention_weights(q, k), [[1.0]])
    np.testing.assert_array_equal(attention.scaled_dot_product_attention(q, k, v, attention.causal_mask(1)), v)


@FEW
@given(st.integers(2, 6), st.data())
def test_under_the_causal_mask_position_one_sees_only_itself_and_the_future_is_ignored(
        T: int, data: st.DataObject) -> None:
    q, k, v = (data.draw(matrices(T, 3)) for _ in range(3))
    weights = attention.attention_weights(q, k, attention.causal_mask(T))
    np.testing.assert_array_equal(weights[0], np.eye(T)[0])
    assert np.all(np.triu(weights, k=1) == 0)
    changed_k, changed_v = k.copy(), v.copy()
    changed_k[-1] += 10.0
    changed_v[-1] -= 10.0
    out = attention.scaled_dot_product_attention(q, k, v, attention.causal_mask(T))
    out_changed = attention.scaled_dot_product_attention(q, changed_k, changed_v, attention.causal_mask(T))
    np.testing.assert_allclose(out[:-1], out_changed[:-1], atol=1e-12)


def test_a_mask_that_removes_every_key_of_a_query_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one key"):
        attention.attention_weights([[1.0]], [[1.0]], [[-np.inf]])


def test_causal_page_worked_example() -> None:
    scores = np.array([[2.0, 9.0, 9.0], [0.0, 1.0, 9.0], [1.0, 1.0, 1.0]])
    got = special.softmax(scores + attention.causal_mask(3), axis=-1)
    np.testing.assert_allclose(got, [[1, 0, 0], [0.269, 0.731, 0], [1 / 3, 1 / 3, 1 / 3]], atol=5e-4)


# --- multi-head attention ---------------------------------------------------------------


@FEW
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 4), st.data())
def test_multi_head_attention_matches_a_loop_over_heads(H: int, d_k: int, T: int, data: st.DataObject) -> None:
    D = H * d_k
    x = data.draw(matrices(T, D))
    W_q, W_k, W_v, W_o = (data.draw(matrices(D, D, 1.0)) for _ in range(4))
    heads = []
    for h in range(H):  # head h owns columns h*d_k .. (h+1)*d_k of each projection
        cols = slice(h * d_k, (h + 1) * d_k)
        scores = (x @ W_q[:, cols]) @ (x @ W_k[:, cols]).T / np.sqrt(d_k)
        heads.append(special.softmax(scores, axis=-1) @ (x @ W_v[:, cols]))
    expected = np.concatenate(heads, axis=1) @ W_o
    got = attention.multi_head_attention(x, x, x, attention.split_heads(W_q, H), attention.split_heads(W_k, H),
                                         attention.split_heads(W_v, H), W_o)
    np.testing.assert_allclose(got, expected, atol=1e-10)


def test_one_head_with_identity_projections_is_plain_attention() -> None:
    rng = np.random.default_rng(0)
    q, k, v = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    eye = np.eye(4)[None]
    np.testing.assert_allclose(attention.multi_head_attention(q, k, v, eye, eye, eye, np.eye(4)),
                               attention.scaled_dot_product_attention(q, k, v), atol=1e-12)


def test_heads_that_do_not_divide_the_width_and_a_wrong_output_projection_are_errors() -> None:
    with pytest.raises(ValueError, match="not divisible"):
        attention.split_heads(np.eye(6), 4)
    eye = np.eye(2)[None].repeat(2, axis=0)
    with pytest.raises(ValueError, match="H d_v"):
        attention.multi_head_attention(np.ones((1, 2)), np.ones((1, 2)), np.ones((1, 2)), eye, eye, eye, np.eye(2))


# --- feed-forward network, layer norm, block --------------------------------------------


@FEW
@given(st.integers(1, 5), st.integers(1, 4), st.integers(1, 6), st.data())
def test_ffn_matches_a_scikit_learn_mlp_with_the_same_weights(T: int, D: int, D_ff: int, data: st.DataObject) -> None:
    H, W_1, W_2 = data.draw(matrices(T, D)), data.draw(matrices(D, D_ff)), data.draw(matrices(D_ff, D))
    b_1, b_2 = data.draw(matrices(1, D_ff))[0], data.draw(matrices(1, D))[0]
    mlp = MLPRegressor(hidden_layer_sizes=(D_ff,), activation="relu")
    mlp.coefs_, mlp.intercepts_ = [W_1, W_2], [b_1, b_2]
    mlp.n_layers_, mlp.n_outputs_, mlp.out_activation_, mlp.n_features_in_ = 3, D, "identity", D
    got = transformer.feed_forward(H, W_1, b_1, W_2, b_2)
    np.testing.assert_allclose(got, mlp.predict(H).reshape(T, D), atol=1e-10)
    for t in range(T):  # position-wise: each row on its own gives the same row
        np.testing.assert_allclose(transformer.feed_forward(H[t:t + 1], W_1, b_1, W_2, b_2)[0], got[t], atol=1e-12)


@pytest.mark.parametrize("pre_norm", [False, True])
def test_a_causal_block_never_lets_a_later_token_change_an_earlier_output(pre_norm: bool) -> None:
    rng = np.random.default_rng(0)
    params, T = transformer.init_block(16, 4), 7
    X = rng.normal(size=(T, 16))
    Y = X.copy()
    Y[4:] = rng.normal(size=(3, 16))
    out_x = transformer.transformer_block(X, params, 4, attention.causal_mask(T), pre_norm=pre_norm)
    out_y = transformer.transformer_block(Y, params, 4, attention.causal_mask(T), pre_norm=pre_norm)
    np.testing.assert_allclose(out_x[:4], out_y[:4], atol=1e-12)
    assert not np.allclose(out_x[4:], out_y[4:])
    unmasked = transformer.transformer_block(Y, params, 4, pre_norm=pre_norm)  # without the mask it leaks
    assert not np.allclose(transformer.transformer_block(X, params, 4, pre_norm=pre_norm)[:4], unmasked[:4])


def test_layer_norm_matches_population_standardization_of_each_row() -> None:
    H = np.random.default_rng(1).normal(size=(4, 6)) * 3 + 1
    expected = (H - H.mean(axis=1, keepdims=True)) / H.std(axis=1, keepdims=True)
    np.testing.assert_allclose(transformer.layer_norm(H, eps=0.0), expected, atol=1e-12)
    np.testing.assert_allclose(transformer.layer_norm(np.full((1, 3), 5.0)), np.zeros((1, 3)))  # eps keeps it finite


def test_pre_and_post_norm_blocks_differ_and_keep_the_shape() -> None:
    H = np.random.default_rng(2).normal(size=(5, 8))
    params = transformer.init_block(8, 2)
    post, pre = transformer.transformer_block(H, params, 2), transformer.transformer_block(H, params, 2, pre_norm=True)
    assert post.shape == pre.shape == (5, 8)
    assert not np.allclose(post, pre)
    np.testing.assert_allclose(post.mean(axis=1), 0.0, atol=1e-10)  # post-LN ends in a layer norm


# --- counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(("D", "n_heads", "D_ff"), [(8, 2, None), (12, 3, 20), (16, 4, 64)])
def test_parameter_counts_equal_the_sizes_of_the_arrays_of_a_block(D: int, n_heads: int, D_ff: int | None) -> None:
    params = transformer.init_block(D, n_heads, D_ff)
    assert sum(a.size for a in params.values()) == transformer.block_parameters(D, D_ff)
    attention_arrays = [params[n] for n in ("W_q", "W_k", "W_v", "W_o", "b_q", "b_k", "b_v", "b_o")]
    assert sum(a.size for a in attention_arrays) == transformer.attention_parameters(D)


def test_gpt2_small_has_its_published_124439808_parameters() -> None:
    assert transformer.decoder_parameters(12, 768, 50257, 1024) == 124_439_808


def test_layer_macs_cross_where_the_page_says() -> None:
    for D in (64, 768, 4096):
        T = int(transformer.crossover_length(D))
        macs = transformer.layer_macs(T, D, n_heads=8 if D % 8 == 0 else 1)
        assert macs["scores"] == macs["projections"] + macs["ffn"]
        before = transformer.layer_macs(T - 1, D)
        assert before["scores"] < before["projections"] + before["ffn"]
    assert transformer.crossover_length(512, 1024) == 2 * 512 + 1024


# --- autoregressive factorization --------------------------------------------------------


def test_next_token_probabilities_multiply_to_the_joint_and_normalize() -> None:
    rng = np.random.default_rng(3)
    joint = rng.random((3, 3, 3, 3))
    joint /= joint.sum()
    for sequence in [(0, 1, 2, 0), (2, 2, 2, 2), (1, 0, 0, 1)]:
        assert autoregressive.next_token_probabilities(joint, sequence).prod() == pytest.approx(joint[sequence])
    totals = sum(autoregressive.next_token_probabilities(joint, (1, 2, v, 0))[2] for v in range(3))
    assert totals == pytest.approx(1.0)
    with pytest.raises(ValueError, match="token axes"):
        autoregressive.next_token_probabilities(joint, (0, 1))


# --- vision transformer -----------------------------------------------------------------


@FEW
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.data())
def test_patchify_matches_sliding_window_view_with_stride_p(P: int, a: int, b: int, C: int,
                                                            data: st.DataObject) -> None:
    image = data.draw(hnp.arrays(np.float64, (P * a, P * b, C), elements=floats(0, 1)))
    windows = sliding_window_view(image, (P, P, C))[::P, ::P, 0]  # (a, b, P, P, C)
    np.testing.assert_array_equal(vision_transformer.patchify(image, P), windows.reshape(a * b, P * P * C))
    assert vision_transformer.patch_count(P * a, P * b, P) == a * b


def test_patch_sizes_that_do_not_tile_the_image_are_errors_and_vit_input_rows() -> None:
    assert vision_transformer.patch_count(224, 224, 16) == 196
    with pytest.raises(ValueError, match="whole"):
        vision_transformer.patchify(np.zeros((10, 8, 3)), 4)
    rng = np.random.default_rng(4)
    image, E, cls, pos = rng.random((4, 4, 2)), rng.normal(size=(8, 3)), rng.normal(size=3), rng.normal(size=(5, 3))
    z0 = vision_transformer.vit_input(image, 2, E, cls, pos)
    np.testing.assert_allclose(z0[0], cls + pos[0])
    np.testing.assert_allclose(z0[1], image[:2, :2].reshape(-1) @ E + pos[1])
    with pytest.raises(ValueError, match="E_pos"):
        vision_transformer.vit_input(image, 2, E, cls, pos[:4])


# --- RoPE --------------------------------------------------------------------------------


@FEW
@given(st.integers(1, 8), floats(-1000, 1000), st.data())
def test_rope_is_multiplication_by_complex_exponentials(h: int, m: float, data: st.DataObject) -> None:
    x = data.draw(matrices(1, 2 * h))[0]
    theta = 10000.0 ** (-2.0 * np.arange(h) / (2 * h))
    z = (x[0::2] + 1j * x[1::2]) * np.exp(1j * m * theta)
    got = rope.rope(x, m)
    np.testing.assert_allclose(got[0::2] + 1j * got[1::2], z, atol=1e-9)
    np.testing.assert_allclose(rope.rope_matrix(2 * h, m) @ x, got, atol=1e-9)


@FEW
@given(st.integers(1, 6), st.integers(-500, 500), st.integers(-500, 500), st.integers(-5000, 5000),
       floats(1.5, 1e5), st.data())
def test_rope_scores_depend_only_on_the_offset_for_any_base(h: int, m: int, n: int, c: int, base: float,
                                                            data: st.DataObject) -> None:
    q, k = data.draw(matrices(2, 2 * h))
    score = float(rope.rope_score(q, k, m, n, base))
    assert float(rope.rope_score(q, k, m + c, n + c, base)) == pytest.approx(score, abs=1e-7)
    assert float(q @ rope.rope(k, n - m, base)) == pytest.approx(score, abs=1e-7)
    assert np.linalg.norm(rope.rope(q, m, base)) == pytest.approx(np.linalg.norm(q), abs=1e-9)


def test_rope_frequencies_and_odd_widths() -> None:
    np.testing.assert_allclose(rope.rope_frequencies(8), [1.0, 0.1, 0.01, 0.001])
    assert rope.rope_score([1.0, 0.0], [1.0, 0.0], 3, 1) == pytest.approx(np.cos(2.0))
    with pytest.raises(ValueError, match="even"):
        rope.rope_frequencies(5)
