"""Graph snippets against numpy and brute force: walk counts (numpy.linalg.matrix_power and itertools enumeration),
reachability, convolution as grid message passing (scipy), and permutation equivariance of the GNN layers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from snippets import graphs

DETERMINISTIC = settings(max_examples=40, deadline=None, derandomize=True, database=None)


def test_propagation_on_the_cycle_with_a_chord_equals_matrix_power() -> None:
    A = graphs.cycle_with_chord(6)
    np.testing.assert_array_equal(graphs.propagate_sum(A, 3).T, np.linalg.matrix_power(A.astype(int), 3))
    for k in range(1, 6):
        np.testing.assert_array_equal(graphs.propagate_max(A, k).T, np.linalg.matrix_power(A.astype(int), k) > 0)


@DETERMINISTIC
@given(st.integers(1, 7), st.integers(0, 4), st.integers(0, 10_000), st.booleans())
def test_brute_force_walks_match_matrix_power(n: int, k: int, seed: int, loops: bool) -> None:
    A = graphs.random_graph(n, 0.4, seed=seed, self_loops=loops)
    np.testing.assert_array_equal(graphs.brute_force_walks(A, k), np.linalg.matrix_power(A.astype(np.int64), k))
    np.testing.assert_array_equal(graphs.walk_counts(A, k), np.linalg.matrix_power(A, k))


def itertools_walks(A: np.ndarray, k: int) -> np.ndarray:
    """Reference count: every node sequence from itertools.product, kept if each step is an edge."""
    n = A.shape[0]
    counts = np.zeros((n, n), dtype=np.int64)
    for walk in itertools.product(range(n), repeat=k + 1):
        if all(A[a, b] for a, b in zip(walk, walk[1:])):
            counts[walk[0], walk[-1]] += 1
    return counts


def test_walks_of_length_four_in_a_random_seven_node_graph() -> None:
    A = graphs.random_graph(7, 0.45, seed=11)
    reference = itertools_walks(A, 4)
    np.testing.assert_array_equal(graphs.brute_force_walks(A, 4), reference)
    np.testing.assert_array_equal(reference, np.linalg.matrix_power(A.astype(np.int64), 4))


@DETERMINISTIC
@given(st.integers(1, 5), st.integers(0, 3), st.integers(0, 10_000))
def test_vectorised_enumeration_matches_itertools_on_directed_graphs(n: int, k: int, seed: int) -> None:
    A = graphs.random_digraph(n, 0.5, seed=seed)
    np.testing.assert_array_equal(graphs.brute_force_walks(A, k), itertools_walks(A, k))


def test_isolated_nodes_and_self_loops() -> None:
    A = np.zeros((3, 3))
    A[0, 0] = 1.0  # a self-loop: one walk of every length from node 0 to itself
    A[0, 1] = A[1, 0] = 1.0  # node 2 is isolated
    counts = graphs.brute_force_walks(A, 3)
    assert counts[2].tolist() == [0, 0, 0] and counts[:, 2].tolist() == [0, 0, 0]
    np.testing.assert_array_equal(counts, np.linalg.matrix_power(A.astype(np.int64), 3))
    reach = graphs.propagate_max(A, 3)
    assert reach[2].tolist() == [0.0, 0.0, 0.0]
    assert graphs.mean_neighbours(A, np.ones((3, 2)))[2].tolist() == [0.0, 0.0]  # no neighbours: mean set to 0


def test_directed_edges_flow_from_row_to_column() -> None:
    A = np.array([[0.0, 1.0], [0.0, 0.0]])  # one edge 0 -> 1
    H = graphs.propagate_sum(A, 1)
    assert H[1].tolist() == [1.0, 0.0]  # node 1 received channel 0
    assert H[0].tolist() == [0.0, 0.0]


@DETERMINISTIC
@given(st.integers(1, 6), st.integers(1, 6), st.sampled_from([1, 3, 5]), st.integers(0, 1000))
def test_convolution_is_grid_message_passing(h: int, v: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    image, w = rng.standard_normal((h, v)), rng.standard_normal((k, k))
    reference = signal.correlate2d(image, w, mode="same")  # odd kernel: centred, zero-padded
    np.testing.assert_allclose(graphs.conv_as_message_passing(image, w), reference, rtol=1e-12, atol=1e-12)


def test_grid_shift_is_a_kronecker_product_of_path_shifts() -> None:
    for di in (-1, 0, 1):
        for dj in (-2, 0, 1):
            np.testing.assert_array_equal(graphs.grid_shift(3, 4, di, dj),
                                          np.kron(graphs.path_shift(3, di), graphs.path_shift(4, dj)))


def test_gcn_adjacency_is_symmetric_with_unit_spectral_radius() -> None:
    A = graphs.random_graph(9, 0.4, seed=3)
    A_hat = graphs.gcn_adjacency(A)
    np.testing.assert_allclose(A_hat, A_hat.T)
    assert np.max(np.abs(np.linalg.eigvalsh(A_hat))) == pytest.approx(1.0, abs=1e-12)


def test_two_layer_network_is_equivariant_and_its_readouts_invariant() -> None:
    rng = np.random.default_rng(0)
    n, k = 8, 4
    A = graphs.connected_random_graph(n, 0.3, seed=1)
    S = rng.standard_normal((n, k))
    U1, W1, U2, W2 = (rng.standard_normal((k, k)) for _ in range(4))
    P = graphs.permutation_matrix(n, seed=2)
    assert not np.array_equal(P, np.eye(n))

    def net(S_: np.ndarray, A_: np.ndarray) -> np.ndarray:
        return graphs.residual_gnn_layer(A_, graphs.residual_gnn_layer(A_, S_, U1, W1), U2, W2)

    out, out_perm = net(S, A), net(P @ S, P @ A @ P.T)
    assert np.max(np.abs(out_perm - P @ out)) < 1e-12
    for kind in ("sum", "mean", "max"):
        np.testing.assert_allclose(graphs.readout(out_perm, kind), graphs.readout(out, kind), rtol=1e-12, atol=1e-12)


def test_a_layer_that_weights_neighbours_by_index_is_not_equivariant() -> None:
    rng = np.random.default_rng(5)
    n, k = 8, 4
    A = graphs.connected_random_graph(n, 0.3, seed=6)
    S, W = rng.standard_normal((n, k)), rng.standard_normal((k, k))
    P = graphs.permutation_matrix(n, seed=7)
    error = np.max(np.abs(graphs.position_weighted_layer(P @ A @ P.T, P @ S, W) - P @ graphs.position_weighted_layer(A, S, W)))
    assert error > 1e-3


def test_node_classification_loss_is_the_mean_cross_entropy() -> None:
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    assert graphs.node_classification_loss(p, [0, 2]) == pytest.approx(-(np.log(0.7) + np.log(0.8)) / 2, rel=1e-12)
    perm = [1, 0]
    assert graphs.node_classification_loss(p[perm], np.array([0, 2])[perm]) == pytest.approx(
        graphs.node_classification_loss(p, [0, 2]), rel=1e-12)
