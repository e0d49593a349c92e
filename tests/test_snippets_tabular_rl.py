"""SARSA and Q-learning (snippets.tabular_rl) against hand computation and the known cliff-walking result.

The update rules are compared with the arithmetic done by hand on a tiny
two-state MDP; the training loop (which updates in place for speed) is compared
with the pure update functions step by step; and trained agents must reproduce
Sutton and Barto's Example 6.6 qualitatively: Q-learning's greedy path runs along
the cliff edge, SARSA's keeps away from it and earns more reward while exploring.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets import tabular_rl as rl
from tests.support.strategies import arrays, floats

DETERMINISTIC = settings(max_examples=150, deadline=None, derandomize=True, database=None)


def test_updates_on_a_tiny_mdp_by_hand() -> None:
    # Two states, two actions. Q(s0, a0) = 1, next state s1 has values (2, -4).
    Q = np.array([[1.0, 0.0], [2.0, -4.0]])
    # SARSA with next action a1: target -1 + 0.9 * (-4) = -4.6; 1 + 0.5 * (-4.6 - 1) = -1.8.
    np.testing.assert_allclose(rl.sarsa_update(Q, 0, 0, -1.0, 1, 1, alpha=0.5, gamma=0.9)[0, 0], -1.8)
    # Q-learning: target -1 + 0.9 * 2 = 0.8; 1 + 0.5 * (0.8 - 1) = 0.9.
    np.testing.assert_allclose(rl.q_learning_update(Q, 0, 0, -1.0, 1, alpha=0.5, gamma=0.9)[0, 0], 0.9)
    # At a terminal next state the target is the reward alone: 1 + 0.5 * (-1 - 1) = 0.
    assert rl.sarsa_update(Q, 0, 0, -1.0, 1, 1, 0.5, 0.9, terminal=True)[0, 0] == 0.0
    assert rl.q_learning_update(Q, 0, 0, -1.0, 1, 0.5, 0.9, terminal=True)[0, 0] == 0.0
    # Only the updated entry changes, and the input table is untouched.
    new = rl.q_learning_update(Q, 0, 0, -1.0, 1, 0.5, 0.9)
    np.testing.assert_array_equal(np.delete(new.ravel(), 0), np.delete(Q.ravel(), 0))
    assert Q[0, 0] == 1.0


@DETERMINISTIC
@given(arrays(-10.0, 10.0, (3, 4)), st.integers(0, 2), st.integers(0, 3), floats(-5.0, 5.0),
       st.integers(0, 2), floats(0.0, 1.0))
def test_sarsa_with_the_greedy_next_action_is_q_learning(Q: np.ndarray, s: int, a: int, r: float, s2: int,
                                                        gamma: float) -> None:
    greedy = int(np.argmax(Q[s2]))
    np.testing.assert_allclose(rl.sarsa_update(Q, s, a, r, s2, greedy, 0.3, gamma),
                               rl.q_learning_update(Q, s, a, r, s2, 0.3, gamma), atol=1e-12)


@DETERMINISTIC
@given(arrays(-10.0, 10.0, (3, 4)), st.integers(0, 2), st.integers(0, 3), floats(-5.0, 5.0), st.integers(0, 2))
def test_step_size_one_jumps_to_the_target_and_zero_stays(Q: np.ndarray, s: int, a: int, r: float,
                                                          s2: int) -> None:
    assert rl.q_learning_update(Q, s, a, r, s2, 1.0, 0.5)[s, a] == pytest.approx(r + 0.5 * Q[s2].max())
    np.testing.assert_array_equal(rl.sarsa_update(Q, s, a, r, s2, 0, 0.0, 0.5), Q)


def test_cliff_environment() -> None:
    start = rl.state_index(*rl.START)
    assert rl.cliff_step(start, 0) == (rl.state_index(2, 0), -1.0, False)  # up
    assert rl.cliff_step(start, 3) == (start, -1.0, False)  # left: off the grid, stay
    assert rl.cliff_step(rl.state_index(2, 5), 2) == (start, -100.0, False)  # down into the cliff
    assert rl.cliff_step(rl.state_index(2, 11), 2) == (rl.state_index(*rl.GOAL), -1.0, True)
    assert [rl.is_cliff(3, c) for c in (0, 1, 10, 11)] == [False, True, True, False]


def _replay(method: rl.Method, episodes: int, seed: int) -> np.ndarray:
    """The training loop rewritten with the pure update functions and the same random stream."""
    rng = np.random.default_rng(seed)
    Q = np.zeros((rl.N_STATES, rl.N_ACTIONS))
    for _ in range(episodes):
        s = rl.state_index(*rl.START)
        a = rl.epsilon_greedy(Q[s], 0.1, rng)
        done = False
        while not done:
            s2, r, done = rl.cliff_step(s, a)
            a2 = rl.epsilon_greedy(Q[s2], 0.1, rng)
            Q = (rl.sarsa_update(Q, s, a, r, s2, a2, 0.5, 1.0, terminal=done) if method == "sarsa"
                 else rl.q_learning_update(Q, s, a, r, s2, 0.5, 1.0, terminal=done))
            s, a = s2, a2
    return Q


@pytest.mark.parametrize("method", ["sarsa", "q-learning"])
def test_training_loop_applies_the_update_functions(method: rl.Method) -> None:
    Q, _ = rl.train(method, episodes=20, seed=3)
    np.testing.assert_allclose(Q, _replay(method, 20, 3), atol=1e-12)


@pytest.fixture(scope="module")
def trained() -> dict[str, list[tuple[np.ndarray, np.ndarray]]]:
    return {m: [rl.train(m, episodes=500, seed=seed) for seed in range(3)] for m in ("sarsa", "q-learning")}


def test_q_learning_learns_the_edge_path(trained: dict) -> None:
    for Q, _ in trained["q-learning"]:
        path = rl.greedy_path(Q)
        assert path[-1] == rl.GOAL
        assert len(path) - 1 == 13  # the optimal path: up, 11 steps right along the edge, down
        assert all(row == 2 for row, _ in path[1:-1])


def test_sarsa_learns_a_safer_path(trained: dict) -> None:
    for Q, _ in trained["sarsa"]:
        path = rl.greedy_path(Q)
        assert path[-1] == rl.GOAL
        assert len(path) - 1 > 13
        # Along the way it keeps at least one free row between itself and the cliff.
        middle = [row for row, col in path if 2 <= col <= 9]
        assert max(middle) <= 1


def test_sarsa_earns_more_online_reward_while_exploring(trained: dict) -> None:
    late = {m: np.mean([returns[-100:].mean() for _, returns in runs]) for m, runs in trained.items()}
    assert late["sarsa"] > late["q-learning"] + 10


def test_moving_average() -> None:
    np.testing.assert_allclose(rl.moving_average([1.0, 2.0, 3.0, 4.0], 2), [1.5, 2.5, 3.5])
    np.testing.assert_allclose(rl.moving_average(np.arange(10.0), 10), [4.5])
