"""The experiments of derivations/rope-relative-position.md against independent references.

References: complex multiplication by ``numpy.exp(1j * angle)`` (the RoFormer
paper's form), ``scipy.linalg.block_diag`` of 2-D rotations built from
cos and sin, and the plain dot product at offset zero.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import block_diag

from snippets import rope
from tests.support.strategies import arrays, floats

FEW = settings(max_examples=40, deadline=None, derandomize=True, database=None)


def test_scores_depend_only_on_the_offset_at_d_64() -> None:
    rng = np.random.default_rng(0)
    q, k = rng.normal(size=(2, 64))
    assert rope.rope_score(q, k, 7, 19) == pytest.approx(rope.rope_score(q, k, 107, 119), abs=1e-10)
    # offset zero: the plain dot product
    assert rope.rope_score(q, k, 42, 42) == pytest.approx(q @ k, abs=1e-12)


@FEW
@given(st.integers(1, 8), st.data(), floats(-300, 300))
def test_complex_form_equals_pairwise_rotation(h: int, data: st.DataObject, position: float) -> None:
    x = data.draw(arrays(-3, 3, 2 * h))
    z = x[0::2] + 1j * x[1::2]
    turned = z * np.exp(1j * position * 10000.0 ** (-2 * np.arange(h) / (2 * h)))
    expected = np.empty(2 * h)
    expected[0::2], expected[1::2] = turned.real, turned.imag
    np.testing.assert_allclose(rope.rope(x, position), expected, atol=1e-12)
    np.testing.assert_allclose(rope.rope_complex(x, position), expected, atol=1e-12)


@FEW
@given(st.integers(1, 6), floats(-50, 50), floats(-50, 50))
def test_block_matrices_compose_to_the_offset(h: int, m: float, n: float) -> None:
    thetas = 10000.0 ** (-2 * np.arange(h) / (2 * h))

    def blocks(p: float) -> np.ndarray:
        return block_diag(*[np.array([[np.cos(p * t), -np.sin(p * t)], [np.sin(p * t), np.cos(p * t)]])
                            for t in thetas])

    np.testing.assert_allclose(rope.rope_matrix(2 * h, m), blocks(m), atol=1e-12)
    np.testing.assert_allclose(blocks(m).T @ blocks(n), rope.rope_matrix(2 * h, n - m), atol=1e-9)


def test_rotation_keeps_the_length_and_odd_width_is_refused() -> None:
    x = np.arange(1.0, 9.0)
    assert np.linalg.norm(rope.rope_complex(x, 1234.5)) == pytest.approx(np.linalg.norm(x), rel=1e-12)
    with pytest.raises(ValueError):
        rope.rope_complex(np.ones(3), 1)
