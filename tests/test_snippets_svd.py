"""The singular value decomposition snippets agree with numpy and scipy, edge cases included."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import linalg

from snippets import svd
from tests.support.strategies import arrays

DETERMINISTIC = settings(max_examples=80, deadline=None, derandomize=True, database=None)


@DETERMINISTIC
@given(st.integers(1, 6), st.integers(1, 6), st.data())
def test_factors_reconstruct_and_match_scipy(m: int, n: int, data: st.DataObject) -> None:
    A = data.draw(arrays(-5.0, 5.0, (m, n)))
    U, S, V = svd.svd(A)
    r = min(m, n)
    assert U.shape == (m, r) and S.shape == (r, r) and V.shape == (n, r)
    np.testing.assert_allclose(U @ S @ V.T, A, atol=1e-10)
    np.testing.assert_allclose(U.T @ U, np.eye(r), atol=1e-10)
    np.testing.assert_allclose(V.T @ V, np.eye(r), atol=1e-10)
    np.testing.assert_allclose(np.diag(S), linalg.svd(A, compute_uv=False), rtol=1e-10, atol=1e-10)
    assert np.all(np.diff(np.diag(S)) <= 1e-12) and np.all(np.diag(S) >= 0)


@DETERMINISTIC
@given(st.integers(1, 6), st.integers(1, 6), st.data())
def test_singular_vectors_match_scipy_up_to_sign(m: int, n: int, data: st.DataObject) -> None:
    A = data.draw(arrays(-5.0, 5.0, (m, n)))
    U, S, V = svd.svd(A)
    U_ref, s_ref, Vt_ref = linalg.svd(A, full_matrices=False)
    # compare the rank-one pieces s_i u_i v_i^T, which are unique when s_i is simple
    gaps = np.abs(np.diff(np.concatenate([[np.inf], s_ref, [-np.inf]])))
    for i in range(s_ref.size):
        if min(gaps[i], gaps[i + 1]) > 1e-6 * max(1.0, s_ref[0]):
            np.testing.assert_allclose(np.outer(U[:, i], V[:, i]), np.outer(U_ref[:, i], Vt_ref[i]), atol=1e-7)


@DETERMINISTIC
@given(st.integers(2, 6), st.integers(2, 6), st.data())
def test_truncation_error_is_the_next_singular_value(m: int, n: int, data: st.DataObject) -> None:
    A = data.draw(arrays(-5.0, 5.0, (m, n)))
    s = np.linalg.svd(A, compute_uv=False)
    for k in range(min(m, n)):
        A_k = svd.truncated_svd(A, k)
        assert np.linalg.matrix_rank(A_k, tol=1e-8) <= k
        np.testing.assert_allclose(np.linalg.norm(A - A_k, 2), s[k], atol=1e-9)
        np.testing.assert_allclose(np.linalg.norm(A - A_k, "fro") ** 2, np.sum(s[k:] ** 2), atol=1e-8)


def test_edge_cases() -> None:
    U, S, V = svd.svd(np.zeros((3, 2)))  # zero matrix: zero singular values, still orthonormal factors
    np.testing.assert_array_equal(np.diag(S), [0.0, 0.0])
    np.testing.assert_allclose(U.T @ U, np.eye(2), atol=1e-12)
    row = np.array([[3.0, 4.0]])  # one row: one singular value, its norm
    np.testing.assert_allclose(svd.singular_values(row), [5.0])
    np.testing.assert_allclose(svd.truncated_svd(row, 1), row)
    np.testing.assert_array_equal(svd.truncated_svd(row, 0), np.zeros((1, 2)))
    A = np.array([[3.0, 0.0], [4.0, 5.0]])
    np.testing.assert_allclose(svd.singular_values(A), [np.sqrt(45.0), np.sqrt(5.0)])
    assert abs(np.prod(svd.singular_values(A)) - 15.0) < 1e-12  # |det A|
