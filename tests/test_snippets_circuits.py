"""snippets.circuits against independent references: snippets.attention's multi-head attention, numpy ranks and SVDs.

The reference for the concatenated computation is the site's row-convention
``multi_head_attention`` (a separate implementation, in its own layout), and
``scipy.linalg.orth`` for column spaces; tolerances as stated on
derivations/transformer-circuits.md.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import orth

from snippets import attention, circuits


@pytest.fixture(scope="module")
def setup() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    return np.random.default_rng(0).normal(size=(64, 10)), circuits.random_heads(64, 4, 16, seed=1)


def test_concat_equals_sum_of_heads_and_the_row_convention_implementation(setup) -> None:
    X, heads = setup
    per_head = sum(heads["W_O"][h] @ circuits.head_result(X, heads["W_Q"][h], heads["W_K"][h], heads["W_V"][h])
                   for h in range(4))
    np.testing.assert_allclose(circuits.multi_head_concat(X, heads), per_head, atol=1e-12)
    # snippets.attention works on rows (tokens x features) with W of shape (H, D, d) and W_o (H d, D).
    rows = attention.multi_head_attention(X.T, X.T, X.T, np.swapaxes(heads["W_Q"], 1, 2),
                                          np.swapaxes(heads["W_K"], 1, 2), np.swapaxes(heads["W_V"], 1, 2),
                                          np.concatenate(list(heads["W_O"]), axis=1).T)
    np.testing.assert_allclose(rows.T, per_head, atol=1e-12)


def test_ov_rank_is_the_head_width_and_writes_stay_in_its_column_space(setup) -> None:
    X, heads = setup
    for h in range(4):
        W_OV = circuits.ov_circuit(heads["W_O"][h], heads["W_V"][h])
        assert np.linalg.matrix_rank(W_OV) == 16
        assert np.linalg.matrix_rank(circuits.qk_circuit(heads["W_Q"][h], heads["W_K"][h])) == 16
        write = heads["W_O"][h] @ circuits.head_result(X, heads["W_Q"][h], heads["W_K"][h], heads["W_V"][h])
        basis = orth(W_OV)
        assert basis.shape[1] == 16
        assert np.linalg.norm(write - basis @ (basis.T @ write)) < 1e-10
        assert np.linalg.norm(circuits.orthogonal_complement_projector(W_OV) @ write) < 1e-10


def test_scores_through_the_qk_circuit_equal_query_key_products(setup) -> None:
    X, heads = setup
    q, k = heads["W_Q"][0] @ X, heads["W_K"][0] @ X
    np.testing.assert_allclose(X.T @ circuits.qk_circuit(heads["W_Q"][0], heads["W_K"][0]) @ X, q.T @ k, atol=1e-12)


def test_residual_stream_is_input_plus_writes_and_projector_edge_cases() -> None:
    states, writes = circuits.residual_stream(np.arange(5.0), 12, seed=3)
    np.testing.assert_allclose(states[-1], states[0] + writes.sum(axis=0), atol=1e-12)
    np.testing.assert_allclose(np.diff(states, axis=0), writes, atol=1e-12)
    # Edge cases: the zero matrix spans nothing (projector = I); a full-rank matrix spans everything.
    np.testing.assert_allclose(circuits.orthogonal_complement_projector(np.zeros((3, 2))), np.eye(3))
    np.testing.assert_allclose(circuits.orthogonal_complement_projector(np.eye(3)), np.zeros((3, 3)), atol=1e-12)
