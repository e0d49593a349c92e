"""The experiments of derivations/lora-initialization.md, against finite differences and numpy's SVD.

References: central finite differences of the loss for the gradients,
``numpy.linalg.svd`` singular values for Eckart–Young, and plain matrix
products for the forward pass; the tolerances are the ones the page states.
"""

from __future__ import annotations

import numpy as np
import pytest

from snippets import lora


def _problem(seed: int = 0, d: int = 32, k: int = 32, n: int = 128, rank: int = 4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, k))
    W0 = rng.normal(size=(d, k)) / np.sqrt(k)
    target = rng.normal(size=(d, rank)) @ rng.normal(size=(rank, k)) / np.sqrt(k)
    return X, X @ (W0 + target).T, W0


def test_zero_b_starts_exactly_at_the_pretrained_outputs_and_learns() -> None:
    X, Y, W0 = _problem()
    A, B = lora.init_lora(32, 32, 4, rng=1)
    assert np.array_equal(lora.lora_forward(X, W0, A, B, alpha=4.0), X @ W0.T)
    _, _, losses = lora.train_lora(X, Y, W0, A, B, alpha=4.0, lr=5e-4, steps=2000)
    assert losses[-1] < 0.1 * losses[0]


def test_both_factors_zero_never_move() -> None:
    X, Y, W0 = _problem(seed=2)
    A, B, losses = lora.train_lora(X, Y, W0, np.zeros((4, 32)), np.zeros((32, 4)), alpha=4.0, lr=2e-3, steps=1000)
    assert not A.any() and not B.any()
    assert np.all(losses == losses[0])


def test_both_random_changes_the_initial_outputs() -> None:
    X, _, W0 = _problem(seed=3)
    rng = np.random.default_rng(4)
    A, B = rng.normal(size=(4, 32)), rng.normal(size=(32, 4))
    assert np.abs(lora.lora_forward(X, W0, A, B, alpha=4.0) - X @ W0.T).max() > 1.0


@pytest.mark.parametrize("seed", range(3))
def test_gradients_match_central_finite_differences(seed: int) -> None:
    rng = np.random.default_rng(seed)
    X, Y, W0 = rng.normal(size=(6, 5)), rng.normal(size=(6, 4)), rng.normal(size=(4, 5))
    A, B, alpha, h = rng.normal(size=(2, 5)), rng.normal(size=(4, 2)), 3.0, 1e-5
    grad_A, grad_B = lora.lora_gradients(X, Y, W0, A, B, alpha)
    for M, grad, name in ((A, grad_A, "A"), (B, grad_B, "B")):
        numeric = np.zeros_like(M)
        for index in np.ndindex(M.shape):
            step = np.zeros_like(M)
            step[index] = h
            args = {"A": A, "B": B}
            plus, minus = dict(args), dict(args)
            plus[name], minus[name] = M + step, M - step
            numeric[index] = (lora.lora_loss(X, Y, W0, plus["A"], plus["B"], alpha)
                              - lora.lora_loss(X, Y, W0, minus["A"], minus["B"], alpha)) / (2 * h)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-6)


def test_best_rank_approximation_error_is_the_tail_of_the_singular_values() -> None:
    M = np.random.default_rng(5).normal(size=(7, 5))
    sigma = np.linalg.svd(M, compute_uv=False)
    for r in range(6):
        approx = lora.best_rank_approximation(M, r)
        assert np.linalg.matrix_rank(approx) == r
        assert np.linalg.norm(M - approx) ** 2 == pytest.approx(np.sum(sigma[r:] ** 2), abs=1e-10)
    # Edge case: full rank reproduces the matrix; rank zero is the zero matrix.
    np.testing.assert_allclose(lora.best_rank_approximation(M, 5), M, atol=1e-12)
    assert not lora.best_rank_approximation(M, 0).any()
