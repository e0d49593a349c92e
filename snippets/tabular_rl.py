"""Tabular reinforcement learning: SARSA and Q-learning on the cliff-walking gridworld.

The page on on- versus off-policy learning uses these. An action-value table
``Q`` has one row per state and one column per action. The two update rules
differ only in their target: SARSA (on-policy) bootstraps from the action the
behaviour policy actually takes next, Q-learning (off-policy) from the greedy
action. Cliff walking is the gridworld of Sutton and Barto's Example 6.6: a
4 x 12 grid, start at the bottom left, goal at the bottom right, the cells
between them a cliff that costs -100 and sends the agent back to the start;
every other step costs -1.

Training is seeded, so the figure drawn at build time is reproducible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Method = Literal["sarsa", "q-learning"]

ROWS, COLS = 4, 12
START, GOAL = (3, 0), (3, 11)
# Actions: up, right, down, left, as (row, column) moves.
MOVES = np.array([[-1, 0], [0, 1], [1, 0], [0, -1]])
N_STATES, N_ACTIONS = ROWS * COLS, len(MOVES)
_MOVES = [tuple(int(v) for v in move) for move in MOVES]  # plain ints: the step loop is hot


# --- the two update rules ---------------------------------------------------------------


def sarsa_update(Q: ArrayLike, s: int, a: int, r: float, s_next: int, a_next: int, alpha: float,
                 gamma: float, terminal: bool = False) -> NDArray[np.float64]:
    """One SARSA step: move ``Q[s, a]`` toward ``r + gamma Q[s_next, a_next]`` by a fraction ``alpha``.

    ``a_next`` is the action the behaviour policy actually chose in ``s_next``. At a terminal
    ``s_next`` the target is ``r`` alone. Returns a new table; ``Q`` is not modified.

    >>> sarsa_update(np.zeros((2, 2)), 0, 1, -1.0, 1, 0, alpha=0.5, gamma=1.0)
    array([[ 0. , -0.5],
           [ 0. ,  0. ]])
    """
    table = np.array(Q, dtype=np.float64)
    bootstrap = 0.0 if terminal else table[int(s_next), int(a_next)]
    table[int(s), int(a)] += alpha * (r + gamma * bootstrap - table[int(s), int(a)])
    return table


def q_learning_update(Q: ArrayLike, s: int, a: int, r: float, s_next: int, alpha: float, gamma: float,
                      terminal: bool = False) -> NDArray[np.float64]:
    """One Q-learning step: move ``Q[s, a]`` toward ``r + gamma max_a' Q[s_next, a']`` by ``alpha``.

    The target uses the greedy action in ``s_next``, whatever action is then taken.

    >>> q_learning_update(np.array([[0.0, 0.0], [2.0, -4.0]]), 0, 1, -1.0, 1, alpha=0.5, gamma=0.9)
    array([[ 0. ,  0.4],
           [ 2. , -4. ]])
    """
    table = np.array(Q, dtype=np.float64)
    bootstrap = 0.0 if terminal else float(np.max(table[int(s_next)]))
    table[int(s), int(a)] += alpha * (r + gamma * bootstrap - table[int(s), int(a)])
    return table


# --- the cliff-walking environment --------------------------------------------------------


def state_index(row: int, col: int) -> int:
    """The state number of a grid cell (row-major)."""
    return int(row) * COLS + int(col)


def is_cliff(row: int, col: int) -> bool:
    """Whether a cell is part of the cliff: the bottom row between start and goal."""
    return row == ROWS - 1 and 0 < col < COLS - 1


def cliff_step(state: int, action: int) -> tuple[int, float, bool]:
    """Take ``action`` in ``state``: (next state, reward, episode over).

    Moves off the grid leave the agent in place. Stepping onto the cliff costs -100 and
    puts the agent back at the start (the episode goes on); reaching the goal ends it.

    >>> cliff_step(state_index(3, 0), 1)  # from the start, right: into the cliff
    (36, -100.0, False)
    >>> cliff_step(state_index(2, 11), 2)  # down into the goal
    (47, -1.0, True)
    """
    row, col = divmod(int(state), COLS)
    d_row, d_col = _MOVES[action]
    row = min(max(row + d_row, 0), ROWS - 1)
    col = min(max(col + d_col, 0), COLS - 1)
    if is_cliff(row, col):
        return state_index(*START), -100.0, False
    return state_index(row, col), -1.0, (row, col) == GOAL


def epsilon_greedy(q_row: NDArray[np.float64], epsilon: float, rng: np.random.Generator) -> int:
    """A random action with probability ``epsilon``, else a greedy one (ties broken at random)."""
    if rng.random() < epsilon:
        return int(rng.integers(len(q_row)))
    best = np.flatnonzero(q_row == q_row.max())
    return int(best[rng.integers(len(best))]) if len(best) > 1 else int(best[0])


def train(method: Method, episodes: int = 500, alpha: float = 0.5, epsilon: float = 0.1, gamma: float = 1.0,
          seed: int = 0) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Learn Q on cliff walking with ε-greedy behaviour; returns (Q, sum of rewards of each episode)."""
    rng = np.random.default_rng(seed)
    Q = np.zeros((N_STATES, N_ACTIONS))
    returns = np.zeros(episodes)
    for episode in range(episodes):
        s = state_index(*START)
        a = epsilon_greedy(Q[s], epsilon, rng)
        done, total = False, 0.0
        while not done:
            s_next, r, done = cliff_step(s, a)
            total += r
            a_next = epsilon_greedy(Q[s_next], epsilon, rng)
            # Update in place (the pure functions above copy the table, which is slow in a loop;
            # tests check that both give the same numbers).
            if method == "sarsa":
                target = r + (0.0 if done else gamma * Q[s_next, a_next])
            elif method == "q-learning":
                target = r + (0.0 if done else gamma * Q[s_next].max())
            else:
                raise ValueError(f"unknown method {method!r}")
            Q[s, a] += alpha * (target - Q[s, a])
            s, a = s_next, a_next
        returns[episode] = total
    return Q, returns


def greedy_path(Q: ArrayLike, max_steps: int = 100) -> list[tuple[int, int]]:
    """Cells visited by the greedy policy of ``Q`` from the start (stops at the goal, or after ``max_steps``).

    Ties go to the lowest-numbered action, so the path is deterministic.
    """
    table = np.asarray(Q, dtype=np.float64)
    s = state_index(*START)
    path = [START]
    for _ in range(max_steps):
        s, _, done = cliff_step(s, int(np.argmax(table[s])))
        path.append(divmod(s, COLS))
        if done:
            break
    return path


def moving_average(x: ArrayLike, window: int) -> NDArray[np.float64]:
    """Mean of each run of ``window`` consecutive values (``len(x) - window + 1`` of them)."""
    v = np.asarray(x, dtype=np.float64)
    c = np.cumsum(np.concatenate([[0.0], v]))
    return (c[window:] - c[:-window]) / window


# --- Figure -------------------------------------------------------------------------------


def cliff_walking_paths() -> Figure:
    """Greedy paths learned by SARSA and Q-learning on cliff walking, and their rewards per episode during learning."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=(7.4, 5.6))
    grid_ax, curve_ax = fig.subplots(2, 1, height_ratios=[1.0, 1.0])
    runs = {method: [train(method, seed=seed) for seed in range(5)] for method in ("sarsa", "q-learning")}
    for col in range(1, COLS - 1):
        grid_ax.add_patch(Rectangle((col - 0.5, ROWS - 1.5), 1, 1, facecolor="#333333", alpha=0.25, edgecolor="none"))
    grid_ax.text((COLS - 1) / 2, ROWS - 1, "the cliff: reward -100, back to start", ha="center", va="center",
                 fontsize=10)
    for (row, col), name in [(START, "S"), (GOAL, "G")]:
        grid_ax.text(col, row, name, ha="center", va="center", fontsize=12, weight="bold")
    styles = {"sarsa": ("C0", "SARSA (on-policy)", -0.08), "q-learning": ("C1", "Q-learning (off-policy)", 0.08)}
    for method, (color, label, shift) in styles.items():
        path = np.array(greedy_path(runs[method][0][0]), dtype=np.float64)
        grid_ax.plot(path[:, 1], path[:, 0] + shift, color=color, lw=2.4)
        top_row = path[1:-1, 0].min()  # label the path on its straight run, just above the line
        grid_ax.text(COLS / 2 - 0.5, top_row - 0.22, label, color=color, ha="center", va="bottom", fontsize=11)
    grid_ax.set_xlim(-0.5, COLS - 0.5)
    grid_ax.set_ylim(ROWS - 0.5, -0.5)
    grid_ax.set_xticks(np.arange(-0.5, COLS, 1.0), labels=[])
    grid_ax.set_yticks(np.arange(-0.5, ROWS, 1.0), labels=[])
    grid_ax.tick_params(length=0)
    grid_ax.grid(True, alpha=0.35)
    grid_ax.set_aspect("equal")
    grid_ax.set_title("Greedy path after 500 episodes", fontsize=11)
    window = 20
    for method, (color, label, _) in styles.items():
        mean_returns = np.mean([returns for _, returns in runs[method]], axis=0)
        smooth = moving_average(mean_returns, window)
        curve_ax.plot(np.arange(window, len(mean_returns) + 1), smooth, color=color, label=label)
    curve_ax.set_ylim(-100, 0)
    curve_ax.set_xlabel("episode", fontsize=11)
    curve_ax.set_ylabel("sum of rewards\nper episode", fontsize=11)
    curve_ax.set_title("Online performance with ε = 0.1 (mean of 5 runs, 20-episode average)", fontsize=11)
    curve_ax.tick_params(labelsize=10)
    curve_ax.legend(loc="lower right", fontsize=10)
    return fig
