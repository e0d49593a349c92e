"""Snippets behind the parallelism pages (data, pipeline, tensor, expert) against independent references.

References: the unsplit computation in numpy (``X @ W``, the FFN), a
numerical gradient from ``scipy.optimize.approx_fprime``, exact fractions,
brute-force loops, and the numbers the ZeRO paper publishes.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import optimize

from snippets import parallelism, transformer

FEW = settings(max_examples=40, deadline=None, derandomize=True, database=None)


def matrices(rows: int, cols: int, bound: float = 3.0) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, (rows, cols), elements=st.floats(-bound, bound, allow_nan=False,
                                                                     allow_subnormal=False))


# --- data parallelism ----------------------------------------------------------------------


@FEW
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.data())
def test_all_reduced_shard_gradients_equal_the_full_batch_gradient(R: int, b: int, p: int,
                                                                   data: st.DataObject) -> None:
    X, y, w = data.draw(matrices(R * b, p)), data.draw(matrices(1, R * b))[0], data.draw(matrices(1, p))[0]
    full = parallelism.mse_gradient(X, y, w)
    np.testing.assert_allclose(parallelism.all_reduce_mean(parallelism.shard_gradients(X, y, w, R)), full, atol=1e-10)


def test_mse_gradient_matches_a_numerical_gradient() -> None:
    rng = np.random.default_rng(0)
    X, y, w = rng.normal(size=(12, 3)), rng.normal(size=12), rng.normal(size=3)
    numerical = optimize.approx_fprime(w, lambda v: float(np.mean((X @ v - y) ** 2)), 1e-7)
    np.testing.assert_allclose(parallelism.mse_gradient(X, y, w), numerical, rtol=1e-5, atol=1e-6)


def test_uneven_shards_are_an_error() -> None:
    with pytest.raises(ValueError, match="equal shards"):
        parallelism.shards(np.zeros((5, 2)), 2)


def test_zero_memory_reproduces_the_papers_example_and_rejects_unknown_stages() -> None:
    gigabytes = [float(parallelism.zero_bytes_per_device(7.5e9, 64, stage)) / 1e9 for stage in range(4)]
    np.testing.assert_allclose(gigabytes, [120.0, 31.4, 16.6, 1.9], atol=0.05)
    assert {float(parallelism.zero_bytes_per_device(1e6, 1, s)) for s in range(4)} == {16e6}  # one device: no saving
    with pytest.raises(ValueError, match="stages 0 to 3"):
        parallelism.zero_bytes_per_device(1e6, 8, 4)


# --- pipeline parallelism ------------------------------------------------------------------


@pytest.mark.parametrize("p", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("m", [1, 2, 4, 7, 16])
def test_gpipe_schedule_respects_dependencies_and_its_idle_share_is_the_bubble(p: int, m: int) -> None:
    grid = parallelism.gpipe_schedule(p, m)
    forward = {(s, int(v) - 1): t for (s, t), v in np.ndenumerate(grid) if v > 0}
    backward = {(s, int(-v) - 1): t for (s, t), v in np.ndenumerate(grid) if v < 0}
    assert set(forward) == set(backward) == {(s, j) for s in range(p) for j in range(m)}  # each pass once
    for (s, j), t in forward.items():
        assert s == 0 or forward[(s - 1, j)] < t  # needs the previous stage's activations
        assert backward[(s, j)] > forward[(p - 1, j)]  # backward only after the whole forward pass
        assert s == p - 1 or backward[(s + 1, j)] < backward[(s, j)]  # gradients come from the next stage
    idle = Fraction(int(np.sum(grid == 0)), grid.size)
    assert idle == Fraction(p - 1, m + p - 1)
    assert parallelism.idle_fraction(grid) == pytest.approx(float(parallelism.bubble_fraction(p, m)))


def test_the_pipeline_page_numbers() -> None:
    assert float(parallelism.bubble_fraction(4, 4)) == pytest.approx(3 / 7)
    assert float(parallelism.bubble_fraction(4, 16)) == pytest.approx(0.158, abs=5e-4)
    with pytest.raises(ValueError):
        parallelism.gpipe_schedule(0, 3)


# --- tensor parallelism --------------------------------------------------------------------


@FEW
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.data())
def test_split_matrix_products_equal_the_unsplit_product(n: int, T: int, D: int, h: int, data: st.DataObject) -> None:
    X, W = data.draw(matrices(T, n * h)), data.draw(matrices(n * h, D))
    np.testing.assert_allclose(parallelism.row_parallel_matmul(X, W, n), X @ W, atol=1e-10)
    X2, W2 = data.draw(matrices(T, D)), data.draw(matrices(D, n * h))
    np.testing.assert_allclose(parallelism.column_parallel_matmul(X2, W2, n), X2 @ W2, atol=1e-10)


@FEW
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.data())
def test_tensor_parallel_ffn_equals_the_ffn(n: int, T: int, D: int, h: int, data: st.DataObject) -> None:
    H, W_1, W_2 = data.draw(matrices(T, D)), data.draw(matrices(D, n * h)), data.draw(matrices(n * h, D))
    b_1, b_2 = data.draw(matrices(1, n * h))[0], data.draw(matrices(1, D))[0]
    np.testing.assert_allclose(parallelism.tensor_parallel_ffn(H, W_1, b_1, W_2, b_2, n),
                               transformer.feed_forward(H, W_1, b_1, W_2, b_2), atol=1e-10)


def test_blocks_that_do_not_divide_are_errors() -> None:
    with pytest.raises(ValueError, match="columns"):
        parallelism.column_blocks(np.zeros((2, 5)), 2)
    with pytest.raises(ValueError, match="rows"):
        parallelism.row_blocks(np.zeros((5, 2)), 2)


# --- expert parallelism --------------------------------------------------------------------


@FEW
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 20), st.integers(1, 3), st.data())
def test_all_to_all_counts_match_a_loop(G: int, e: int, T: int, k: int, data: st.DataObject) -> None:
    token_device = data.draw(hnp.arrays(np.int64, T, elements=st.integers(0, G - 1)))
    choices = data.draw(hnp.arrays(np.int64, (T, k), elements=st.integers(0, G * e - 1)))
    placement = parallelism.expert_device(G * e, G)
    expected = np.zeros((G, G), dtype=np.int64)
    for t in range(T):
        for choice in choices[t]:
            expected[token_device[t], choice // e] += 1
    got = parallelism.all_to_all_counts(token_device, choices, placement)
    np.testing.assert_array_equal(got, expected)
    assert got.sum() == T * k


def test_capacity_and_dropped_tokens() -> None:
    assert parallelism.expert_capacity(4096, 16, 1.25, k=2) == 640
    assert parallelism.expert_capacity(10, 3) == 4  # a fair share of 3.33 rounds up
    loads = np.array([700, 600, 0, 640])
    assert parallelism.dropped_tokens(loads, 640) == sum(max(int(v) - 640, 0) for v in loads) == 60
    with pytest.raises(ValueError, match="evenly"):
        parallelism.expert_device(5, 2)
