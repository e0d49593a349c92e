"""The einsum rules against ``numpy.einsum``, and vector quantization against ``scipy.cluster.vq``.

``snippets.einsum_rules.einsum`` implements the rules the einsum page
states; comparing it with numpy on fixed and random specifications tests
that the rules are numpy's. Vector quantization is compared with
``scipy.cluster.vq.vq`` and ``kmeans2`` and with ``scipy.spatial.distance.cdist``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.cluster.vq import kmeans2, vq
from scipy.spatial.distance import cdist

from snippets import einsum_rules, vector_quantization

FEW = settings(max_examples=60, deadline=None, derandomize=True, database=None)
SIZES = {"b": 2, "h": 3, "i": 3, "j": 4, "k": 2, "q": 3, "c": 2}


def operands_for(spec: str, rng: np.random.Generator) -> list[np.ndarray]:
    names, _ = einsum_rules.parse(spec)
    return [rng.normal(size=[SIZES.get(ch, 3) for ch in letters]) for letters in names]


@pytest.mark.parametrize("spec", [
    "ij,jk->ik", "bij,bjk->bik", "ii->", "ii->i", "i,j->ij", "ij->ji", "ij,ij->", "bhqc,bhkc->bhqk",
    "ij,jk", "ji", "ii", "ij,kj", "iij->j", "i,i,i->", "ijk->kji", "ij,jk,kq->iq",
])
def test_einsum_rules_match_numpy_einsum(spec: str) -> None:
    ops = operands_for(spec, np.random.default_rng(0))
    expected = np.einsum(spec, *ops)
    got = einsum_rules.einsum(spec, *ops)
    assert got.shape == np.shape(expected)
    np.testing.assert_allclose(got, expected, atol=1e-12)


@st.composite
def specifications(draw: st.DrawFn) -> str:
    letters = "ijkq"
    operands = [draw(st.text(letters, min_size=1, max_size=3)) for _ in range(draw(st.integers(1, 3)))]
    used = sorted(set("".join(operands)))
    if draw(st.booleans()):
        return ",".join(operands)  # implicit mode
    output = draw(st.permutations(used).map(lambda p: "".join(p)))[: draw(st.integers(0, len(used)))]
    return ",".join(operands) + "->" + output


@FEW
@given(specifications(), st.integers(0, 2**32 - 1))
def test_einsum_rules_match_numpy_on_random_specifications(spec: str, seed: int) -> None:
    ops = operands_for(spec, np.random.default_rng(seed))
    np.testing.assert_allclose(einsum_rules.einsum(spec, *ops), np.einsum(spec, *ops), atol=1e-10)


def test_einsum_examples_against_named_numpy_functions() -> None:
    A, B = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0, 6.0], [7.0, 8.0]])
    np.testing.assert_array_equal(einsum_rules.einsum("ij,jk->ik", A, B), A @ B)
    assert float(einsum_rules.einsum("ii->", A)) == np.trace(A) == 5.0
    np.testing.assert_array_equal(einsum_rules.einsum("i,j->ij", A[0], B[0]), np.outer(A[0], B[0]))
    np.testing.assert_array_equal(einsum_rules.einsum("ji", A), A.T)  # implicit mode sorts the output letters
    assert einsum_rules.summed_letters("bij,bjk->bik") == "j"


def test_einsum_errors_name_the_problem() -> None:
    with pytest.raises(ValueError, match="ellipses"):
        einsum_rules.parse("...ij->...ji")
    with pytest.raises(ValueError, match="sizes"):
        einsum_rules.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="operands"):
        einsum_rules.einsum("ij,jk->ik", np.ones((2, 3)))
    with pytest.raises(ValueError, match="distinct letters"):
        einsum_rules.parse("ij->iz")


# --- vector quantization ------------------------------------------------------------------------


@FEW
@given(st.integers(1, 30), st.integers(1, 8), st.integers(1, 4), st.data())
def test_assignment_matches_scipy_vq_and_cdist(N: int, K: int, d: int, data: st.DataObject) -> None:
    grid = st.integers(-4, 4).map(float)  # integer coordinates make exact ties common
    X = data.draw(hnp.arrays(np.float64, (N, d), elements=grid))
    C = data.draw(hnp.arrays(np.float64, (K, d), elements=grid))
    codes, dists = vq(X, C)
    np.testing.assert_array_equal(vector_quantization.assign(X, C), codes)
    np.testing.assert_array_equal(vector_quantization.assign(X, C), np.argmin(cdist(X, C), axis=1))
    assert vector_quantization.distortion(X, C) == pytest.approx(float(np.mean(dists**2)), abs=1e-9)
    np.testing.assert_array_equal(vector_quantization.quantize(X, C), C[codes])


def test_ties_go_to_the_lowest_index_and_the_page_example() -> None:
    C = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]])
    assert vector_quantization.assign([[1.0, 0.0], [1.0, 1.0], [1.5, 0.2]], C).tolist() == [0, 0, 1]
    assert vq(np.array([[1.0, 0.0]]), C)[0].tolist() == [0]
    assert vector_quantization.distortion([[1.5, 0.2]], C) == pytest.approx(0.29)
    assert vector_quantization.bits_per_vector(256) == 8.0


def test_lloyd_step_matches_scipy_kmeans2_and_never_raises_the_error() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2)) + rng.integers(0, 3, size=(80, 1)) * 3.0
    C = X[:5].copy()
    for _ in range(5):
        reference, _ = kmeans2(X, C.copy(), iter=1, minit="matrix")
        step = vector_quantization.lloyd_step(X, C)
        np.testing.assert_allclose(step, reference, atol=1e-12)
        assert vector_quantization.distortion(X, step) <= vector_quantization.distortion(X, C) + 1e-12
        C = step


def test_an_empty_cell_keeps_its_codeword() -> None:
    C = np.array([[0.0], [100.0]])
    np.testing.assert_array_equal(vector_quantization.lloyd_step([[1.0], [3.0]], C), [[2.0], [100.0]])
