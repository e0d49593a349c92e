"""Simple random walks with steps of +-delta, and Brownian motion paths.

Every sampler takes ``rng``: a ``numpy.random.Generator`` or a seed, so that
pages and tests are reproducible.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Seed = int | np.random.Generator | None


def _generator(rng: Seed) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def random_walk_steps(n: int, delta: float, pi: float, rng: Seed = None) -> NDArray[np.float64]:
    """``n`` independent steps ``X_i``: ``+delta`` with probability ``pi``, else ``-delta``.

    >>> steps = random_walk_steps(1000, 0.5, 0.7, rng=0)
    >>> sorted(set(steps.tolist()))
    [-0.5, 0.5]
    >>> bool(0.65 < (steps > 0).mean() < 0.75)
    True
    """
    up = _generator(rng).random(n) < pi
    return np.where(up, delta, -delta)


def random_walk(
    n: int, delta: float, pi: float, rng: Seed = None, include_start: bool = False
) -> NDArray[np.float64]:
    """Positions ``S_t = X_1 + ... + X_t`` for ``t = 1..n`` of a walk started at ``S_0 = 0``.

    With ``include_start=True`` the result is ``[S_0, S_1, ..., S_n]`` (length
    ``n + 1``), convenient for plotting.

    >>> random_walk(4, 1.0, 1.0)
    array([1., 2., 3., 4.])
    >>> random_walk(2, 1.0, 0.0, include_start=True)
    array([ 0., -1., -2.])
    """
    positions = np.cumsum(random_walk_steps(n, delta, pi, rng))
    return np.concatenate([[0.0], positions]) if include_start else positions


def step_mean(delta: float, pi: float) -> float:
    """Mean of one step: ``E[X] = delta pi - delta (1 - pi) = delta (2 pi - 1)``.

    >>> step_mean(1.0, 0.5)
    0.0
    >>> step_mean(2.0, 0.75)
    1.0
    """
    return delta * (2.0 * pi - 1.0)


def step_variance(delta: float, pi: float) -> float:
    """Variance of one step: ``Var[X] = E[X^2] - E[X]^2 = 4 delta^2 pi (1 - pi)``.

    >>> step_variance(1.0, 0.5)
    1.0
    >>> step_variance(3.0, 1.0)
    0.0
    """
    return 4.0 * delta**2 * pi * (1.0 - pi)


def brownian_path(
    T: float, n_steps: int, rng: Seed = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Times ``t_k = k T / n_steps`` and a standard Brownian path ``W(t_k)``, ``k = 0..n_steps``.

    ``W(0) = 0`` and the increments are independent ``N(0, dt)`` with
    ``dt = T / n_steps``, so ``Var W(T) = T`` whatever the step count.

    >>> t, w = brownian_path(1.0, 4, rng=0)
    >>> t.tolist(), float(w[0]), w.shape
    ([0.0, 0.25, 0.5, 0.75, 1.0], 0.0, (5,))
    """
    times, paths = brownian_paths(T, n_steps, 1, rng)
    return times, paths[0]


def brownian_paths(
    T: float, n_steps: int, n_paths: int, rng: Seed = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``n_paths`` independent Brownian paths at once: times ``(n_steps + 1,)``, paths ``(n_paths, n_steps + 1)``.

    >>> t, w = brownian_paths(2.0, 8, 50_000, rng=0)
    >>> w.shape, bool(abs(w[:, -1].var() - 2.0) < 0.05)
    ((50000, 9), True)
    """
    dt = T / n_steps
    increments = _generator(rng).normal(0.0, np.sqrt(dt), size=(n_paths, n_steps))
    times = np.linspace(0.0, T, n_steps + 1)
    start = np.zeros((n_paths, 1))
    return times, np.concatenate([start, np.cumsum(increments, axis=1)], axis=1)


def brownian_at(times: ArrayLike, n_paths: int, rng: Seed = None) -> NDArray[np.float64]:
    """``W(t)`` at the given ``times`` (any order, all >= 0) on ``n_paths`` independent Brownian paths.

    Returns shape ``(n_paths, len(times))``: the path is built at the sorted
    times from independent ``N(0, dt)`` increments, then put back in order.

    >>> w = brownian_at([2.0, 0.5], 100_000, rng=0)
    >>> w.shape, bool(abs(w[:, 0].var() - 2.0) < 0.05), bool(abs(np.cov(w.T)[0, 1] - 0.5) < 0.02)
    ((100000, 2), True, True)
    """
    t = np.asarray(times, dtype=np.float64)
    order = np.argsort(t)
    steps = np.diff(np.concatenate([[0.0], t[order]]))
    paths = np.cumsum(_generator(rng).normal(0.0, 1.0, size=(n_paths, t.size)) * np.sqrt(steps), axis=1)
    values = np.empty_like(paths)
    values[:, order] = paths
    return values


def rescaled_walk(steps: ArrayLike, n: int, sigma: float, t: ArrayLike) -> NDArray[np.float64] | float:
    """Donsker's rescaled walk ``W^(n)_t = (1 / (sigma sqrt(n))) sum_{k <= floor(n t)} steps_k``.

    ``n`` steps per unit of time, each shrunk by ``sigma sqrt(n)``; ``steps``
    must hold at least ``floor(n t)`` steps for every ``t`` asked for.

    >>> rescaled_walk([1.0, 1.0, -1.0, 1.0], n=4, sigma=1.0, t=[0.0, 0.5, 1.0])
    array([0., 1., 1.])
    """
    values = np.asarray(steps, dtype=np.float64)
    counts = np.floor(n * np.asarray(t, dtype=np.float64)).astype(int)
    if np.any(counts > len(values)) or np.any(counts < 0):
        raise ValueError(f"need floor(n t) between 0 and {len(values)} steps")
    partial = np.concatenate([[0.0], np.cumsum(values)])
    result = partial[counts] / (sigma * np.sqrt(n))
    return float(result) if np.ndim(result) == 0 else result


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:random_walks.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).
# matplotlib is imported inside them, so the numeric code above stays light.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def walks_to_brownian() -> Figure:
    """Donsker's rescaled walks ``W^(n)`` (:func:`rescaled_walk`) on ``[0, 1]`` look more and
    more like Brownian motion as ``n`` grows (left); their endpoints approach ``W(1) ~ N(0, 1)``
    (right)."""
    from matplotlib.figure import Figure

    fig = Figure()
    paths, ends = fig.subplots(1, 2, width_ratios=[1.6, 1])
    grid = np.linspace(0.0, 1.0, 2001)
    for i, n in enumerate([10, 100, 1000]):
        steps = random_walk_steps(n, 1.0, 0.5, rng=10 + i)  # +-1 with equal probability: sigma = 1
        paths.plot(grid, rescaled_walk(steps, n, 1.0, grid), lw=1.2, label=f"$n = {n}$")
    t, w = brownian_path(1.0, 2000, rng=3)
    paths.plot(t, w, color="black", lw=0.8, alpha=0.8, label="Brownian path")
    paths.set_xlabel("time $t$")
    paths.set_ylabel("position")
    fig.legend(*paths.get_legend_handles_labels(), loc="outside upper center", ncols=4, fontsize=8.5)

    n, walks = 400, 4000
    steps = random_walk_steps(n * walks, np.sqrt(1.0 / n), 0.5, rng=7).reshape(walks, n)
    ends.hist(steps.sum(axis=1), bins=np.arange(-4.0, 4.01, 0.3), density=True, color="C0", alpha=0.45,
              label=f"{walks} walks,\n$n = {n}$")
    x = np.linspace(-4.0, 4.0, 200)
    ends.plot(x, np.exp(-x**2 / 2) / np.sqrt(2 * np.pi), color="black", lw=1.4, label=None)
    ends.set_xlabel("position at $t = 1$ vs $N(0, 1)$")
    ends.set_yticks([])
    ends.legend(loc="upper left", fontsize=8.5, handlelength=1.2)
    return fig


def random_walk_spread() -> Figure:
    """Thirty walks with ``pi = 0.6``: they drift at ``E[X] = delta (2 pi - 1)`` per step and
    spread like ``sqrt(t Var[X])`` around the drift."""
    from matplotlib.figure import Figure

    n, delta, pi = 200, 1.0, 0.6
    t = np.arange(n + 1)
    fig = Figure()
    ax = fig.subplots()
    rng = np.random.default_rng(4)
    for _ in range(30):
        ax.plot(t, random_walk(n, delta, pi, rng=rng, include_start=True), color="C0", lw=0.7, alpha=0.35)
    mean = t * step_mean(delta, pi)
    sd = np.sqrt(t * step_variance(delta, pi))
    ax.plot(t, mean, color="C1", lw=2, label=r"mean $t\,\delta(2\pi - 1)$")
    ax.fill_between(t, mean - 2 * sd, mean + 2 * sd, color="C1", alpha=0.15, lw=0, label="mean $\\pm$ 2 sd")
    ax.set_xlabel("step $t$")
    ax.set_ylabel("position $S_t$")
    ax.legend(loc="upper left")
    return fig
