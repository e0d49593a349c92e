"""Four ways to spread the training of one network over devices, simulated in numpy on one machine.

- Data parallelism: every device holds the whole model and a shard of the
  batch; averaging the shards' gradients (an all-reduce) gives the
  full-batch gradient. ZeRO shards the optimizer state, gradients and
  weights instead of replicating them (``zero_bytes_per_device``).
- Pipeline parallelism: consecutive layers on consecutive devices (stages);
  a batch is cut into micro-batches that flow through the stages
  (``gpipe_schedule``), and the idle start-up and drain time is the bubble.
- Tensor parallelism: one matrix product split over devices, by columns
  (outputs gathered) or by rows (partial sums reduced), Megatron-LM style.
- Expert parallelism: the experts of a mixture-of-experts layer live on
  different devices and tokens travel to their expert (all-to-all).

"Devices" here are array slices; communication is a sum or a concatenation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.transformer import relu

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


# --- Data parallelism ----------------------------------------------------------------


def shards(X: ArrayLike, n: int) -> list[NDArray[np.float64]]:
    """Cut the rows of ``X`` into ``n`` equal consecutive shards, one per device.

    >>> [s.tolist() for s in shards([[1.0], [2.0], [3.0], [4.0]], 2)]
    [[[1.0], [2.0]], [[3.0], [4.0]]]
    """
    a = np.asarray(X, dtype=np.float64)
    if n < 1 or a.shape[0] % n:
        raise ValueError(f"a batch of {a.shape[0]} rows cannot be cut into {n} equal shards")
    return np.split(a, n)


def mse_gradient(X: ArrayLike, y: ArrayLike, w: ArrayLike) -> NDArray[np.float64]:
    """Gradient of the mean squared error ``(1/B) ||X w - y||^2`` of a linear model with respect to ``w``.

    >>> mse_gradient([[1.0], [1.0]], [1.0, 3.0], [0.0])
    array([-4.])
    """
    x = np.asarray(X, dtype=np.float64)
    residual = x @ np.asarray(w, dtype=np.float64) - np.asarray(y, dtype=np.float64)
    return 2.0 * x.T @ residual / x.shape[0]


def shard_gradients(X: ArrayLike, y: ArrayLike, w: ArrayLike, n_devices: int) -> NDArray[np.float64]:
    """The gradient each of ``n_devices`` replicas computes on its own shard: shape ``(n_devices, len(w))``.

    >>> shard_gradients([[1.0], [1.0]], [1.0, 3.0], [0.0], 2)
    array([[-2.],
           [-6.]])
    """
    y_shards = shards(np.asarray(y, dtype=np.float64)[:, None], n_devices)
    return np.stack([mse_gradient(x, ys[:, 0], w) for x, ys in zip(shards(X, n_devices), y_shards)])


def all_reduce_mean(per_device: ArrayLike) -> NDArray[np.float64]:
    """What an all-reduce with averaging leaves on every device: the mean over the first axis.

    >>> all_reduce_mean([[-2.0], [-6.0]])
    array([-4.])
    """
    return np.mean(np.asarray(per_device, dtype=np.float64), axis=0)


def zero_bytes_per_device(n_params: ArrayLike, n_devices: ArrayLike, stage: int, K: int = 12) -> NDArray[np.float64]:
    """Bytes of model state per device for mixed-precision Adam under ZeRO stage 0-3 (Rajbhandari et al., 2020).

    Each parameter costs 2 bytes of fp16 weight, 2 of fp16 gradient and
    ``K = 12`` of optimizer state (fp32 weight, momentum, variance). Stage 1
    shards the optimizer state over the devices, stage 2 also the
    gradients, stage 3 also the weights; stage 0 replicates everything.

    >>> [round(float(zero_bytes_per_device(7.5e9, 64, s)) / 1e9, 1) for s in range(4)]
    [120.0, 31.4, 16.6, 1.9]
    """
    psi = np.asarray(n_params, dtype=np.float64)
    n = np.asarray(n_devices, dtype=np.float64)
    parts = np.array([2.0, 2.0, float(K)])  # weights, gradients, optimizer state
    sharded = {0: (False, False, False), 1: (False, False, True), 2: (False, True, True), 3: (True, True, True)}
    if stage not in sharded:
        raise ValueError(f"ZeRO has stages 0 to 3, got {stage}")
    return sum(psi * b / (n if s else 1.0) for b, s in zip(parts, sharded[stage]))


# --- Pipeline parallelism ------------------------------------------------------------


def gpipe_schedule(p: int, m: int) -> NDArray[np.int64]:
    """The GPipe timetable of ``p`` stages and ``m`` micro-batches: shape ``(p, 2 (m + p - 1))``.

    Entry ``[s, t]`` is ``j + 1`` while stage ``s`` runs the forward pass of
    micro-batch ``j``, ``-(j + 1)`` during its backward pass, and ``0`` when
    the stage is idle. Every step takes one time unit (equal stages, no
    communication time). Forward passes go down the stages in order; after
    the last one, backward passes come back up in reverse order.

    >>> gpipe_schedule(2, 2)
    array([[ 1,  2,  0,  0, -2, -1],
           [ 0,  1,  2, -2, -1,  0]])
    """
    if p < 1 or m < 1:
        raise ValueError(f"need at least one stage and one micro-batch, got p = {p}, m = {m}")
    span = m + p - 1
    grid = np.zeros((p, 2 * span), dtype=np.int64)
    stage, micro = np.meshgrid(np.arange(p), np.arange(m), indexing="ij")
    grid[stage, stage + micro] = micro + 1
    grid[stage, span + (p - 1 - stage) + (m - 1 - micro)] = -(micro + 1)
    return grid


def idle_fraction(schedule: ArrayLike) -> float:
    """The share of device-time slots in which a device does nothing (entries equal to 0).

    >>> idle_fraction(gpipe_schedule(2, 2))
    0.3333333333333333
    """
    grid = np.asarray(schedule)
    return float(np.mean(grid == 0))


def bubble_fraction(p: ArrayLike, m: ArrayLike) -> NDArray[np.float64]:
    """GPipe's bubble ``(p - 1) / (m + p - 1)`` for ``p`` stages and ``m`` micro-batches.

    >>> float(bubble_fraction(4, 4)), float(bubble_fraction(4, 32))
    (0.42857142857142855, 0.08571428571428572)
    """
    stages = np.asarray(p, dtype=np.float64)
    return (stages - 1) / (np.asarray(m, dtype=np.float64) + stages - 1)


# --- Tensor parallelism ---------------------------------------------------------------


def column_blocks(W: ArrayLike, n: int) -> NDArray[np.float64]:
    """``W`` cut into ``n`` blocks of columns, one per device: shape ``(n, rows, cols / n)``.

    >>> column_blocks(np.arange(4.0).reshape(1, 4), 2)
    array([[[0., 1.]],
    <BLANKLINE>
           [[2., 3.]]])
    """
    w = np.asarray(W, dtype=np.float64)
    if w.shape[-1] % n:
        raise ValueError(f"{w.shape[-1]} columns cannot be cut into {n} equal blocks")
    return np.stack(np.split(w, n, axis=-1))


def row_blocks(W: ArrayLike, n: int) -> NDArray[np.float64]:
    """``W`` cut into ``n`` blocks of rows: shape ``(n, rows / n, cols)``.

    >>> row_blocks(np.arange(4.0).reshape(4, 1), 2)[1]
    array([[2.],
           [3.]])
    """
    w = np.asarray(W, dtype=np.float64)
    if w.shape[0] % n:
        raise ValueError(f"{w.shape[0]} rows cannot be cut into {n} equal blocks")
    return np.stack(np.split(w, n, axis=0))


def column_parallel_matmul(X: ArrayLike, W: ArrayLike, n: int) -> NDArray[np.float64]:
    """``X W`` with device ``i`` computing ``X W_i`` for its column block; the pieces are concatenated (all-gather).

    >>> column_parallel_matmul([[1.0, 2.0]], [[1.0, 0.0], [0.0, 1.0]], 2)
    array([[1., 2.]])
    """
    pieces = np.asarray(X, dtype=np.float64) @ column_blocks(W, n)
    return np.concatenate(list(pieces), axis=-1)


def row_parallel_matmul(X: ArrayLike, W: ArrayLike, n: int) -> NDArray[np.float64]:
    """``X W`` from partial products: device ``i`` holds column block ``i`` of ``X`` and row block ``i`` of ``W``.

    The ``n`` partial products are summed across devices (an all-reduce).


    >>> row_parallel_matmul([[1.0, 2.0]], [[1.0], [1.0]], 2)
    array([[3.]])
    """
    x_parts = column_blocks(X, n)
    return np.sum(x_parts @ row_blocks(W, n), axis=0)


def tensor_parallel_ffn(H: ArrayLike, W_1: ArrayLike, b_1: ArrayLike, W_2: ArrayLike, b_2: ArrayLike,
                        n: int) -> NDArray[np.float64]:
    """Megatron-LM's FFN over ``n`` devices: ``W_1`` split by columns, ``W_2`` by rows, one all-reduce.

    Device ``i`` computes ``ReLU(H A_i + b_{1,i}) B_i`` on its own; the
    activation acts elementwise, so no communication is needed between the
    two products. Summing the ``n`` partial outputs and adding ``b_2`` once
    gives the unsplit FFN.

    >>> tensor_parallel_ffn([[1.0]], [[1.0, -1.0]], [0.0, 0.0], [[2.0], [3.0]], [0.5], 2)
    array([[2.5]])
    """
    hidden = relu(np.asarray(H, dtype=np.float64) @ column_blocks(W_1, n) + column_blocks(np.atleast_2d(b_1), n))
    partial = hidden @ row_blocks(W_2, n)
    return np.sum(partial, axis=0) + np.asarray(b_2, dtype=np.float64)


# --- Expert parallelism ----------------------------------------------------------------


def expert_device(n_experts: int, n_devices: int) -> NDArray[np.int64]:
    """The device holding each expert when ``n_experts`` are spread evenly, in order, over ``n_devices``.

    >>> expert_device(4, 2)
    array([0, 0, 1, 1])
    """
    if n_experts % n_devices:
        raise ValueError(f"{n_experts} experts cannot be spread evenly over {n_devices} devices")
    return np.arange(n_experts) // (n_experts // n_devices)


def all_to_all_counts(token_device: ArrayLike, expert_choice: ArrayLike, placement: ArrayLike) -> NDArray[np.int64]:
    """Tokens each device sends to each device: ``[a, b]`` = tokens on ``a`` routed to an expert on ``b``.

    ``expert_choice`` is ``(T,)`` for top-1 or ``(T, k)`` for top-k; each
    choice is one token copy on the wire.

    >>> all_to_all_counts([0, 0, 1], [0, 3, 3], expert_device(4, 2))
    array([[1, 1],
           [0, 1]])
    """
    source = np.asarray(token_device, dtype=np.int64)
    choices = np.asarray(expert_choice, dtype=np.int64).reshape(source.shape[0], -1)
    where = np.asarray(placement, dtype=np.int64)
    n = int(where.max()) + 1
    counts = np.zeros((n, n), dtype=np.int64)
    np.add.at(counts, (np.repeat(source, choices.shape[1]), where[choices].ravel()), 1)
    return counts


def expert_capacity(tokens: int, n_experts: int, capacity_factor: float = 1.0, k: int = 1) -> int:
    """Slots per expert: the fair share ``k T / n`` times the capacity factor, rounded up.

    >>> expert_capacity(4096, 16, 1.25, k=2)
    640
    """
    return int(np.ceil(capacity_factor * k * tokens / n_experts))


def dropped_tokens(loads: ArrayLike, capacity: int) -> int:
    """Token copies that find their expert full: ``sum_i max(load_i - C, 0)``.

    >>> dropped_tokens([3, 0, 5], 4)
    1
    """
    load = np.asarray(loads, dtype=np.int64)
    kept = np.minimum(load, capacity)
    return int(load.sum() - kept.sum())


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:parallelism.<name>).


def pipeline_schedule() -> Figure:
    """GPipe with 4 stages and 4 micro-batches: forward then backward, and the idle bubble (hatched)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    p, m = 4, 4
    grid = gpipe_schedule(p, m)
    fig = Figure(figsize=(7.2, 3.0))
    ax = fig.subplots()
    for (s, t), entry in np.ndenumerate(grid):
        if entry == 0:
            ax.add_patch(Rectangle((t, s), 1, 1, fill=False, hatch="///", edgecolor="#aaaaaa", linewidth=0.6))
            continue
        color = "C0" if entry > 0 else "C1"
        ax.add_patch(Rectangle((t, s), 1, 1, facecolor=color, alpha=0.25 + 0.15 * abs(entry), edgecolor="white"))
        ax.text(t + 0.5, s + 0.5, f"{'F' if entry > 0 else 'B'}{abs(entry)}", ha="center", va="center", fontsize=10)
    ax.set_xlim(0, grid.shape[1])
    ax.set_ylim(p, 0)
    ax.set_yticks(np.arange(p) + 0.5, [f"stage {s + 1}" for s in range(p)])
    ax.set_xticks(np.arange(grid.shape[1]) + 0.5, [str(t + 1) for t in range(grid.shape[1])])
    ax.set_xlabel(f"time step: F$j$ = forward, B$j$ = backward of micro-batch $j$; hatched = idle "
                  f"({idle_fraction(grid):.0%} of the slots)")
    ax.grid(False)
    ax.spines[["left", "bottom"]].set_visible(False)
    ax.tick_params(length=0)
    return fig


def bubble_vs_microbatches() -> Figure:
    """The bubble fraction (p - 1)/(m + p - 1) against the number of micro-batches for several stage counts."""
    from matplotlib.figure import Figure

    m = np.arange(1, 65)
    fig = Figure(figsize=(6.4, 3.3))
    ax = fig.subplots()
    for i, p in enumerate((2, 4, 8, 16)):
        ax.plot(m, bubble_fraction(p, m), color=f"C{i}", label=f"$p$ = {p} stages")
    ax.axvline(4 * 4, color="#888888", linestyle=":", linewidth=1)
    ax.text(17, 0.85, "$m = 4p$ for $p = 4$", fontsize=9.5)
    ax.set_xlabel("micro-batches $m$")
    ax.set_ylabel("idle fraction (bubble)")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper right")
    return fig


def _device(ax: Axes, x: float, y: float, w: float, h: float, title: str) -> None:
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.03", facecolor="none", edgecolor="#555555",
                                linewidth=1.1))
    ax.text(x + w / 2, y + h + 0.08, title, ha="center", va="bottom", fontsize=10, weight="bold")


def _block(ax: Axes, x: float, y: float, w: float, h: float, color: str, label: str = "", alpha: float = 0.35) -> None:
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((x, y), w, h, facecolor=color, alpha=alpha, edgecolor=color, linewidth=1))
    if label:
        ax.text(x + w / 2, y + h / 2, label, ha="center", va="center", fontsize=9.5)


def data_parallel_layout() -> Figure:
    """Data parallelism on 4 devices: the same layers everywhere, a different quarter of the batch on each."""
    from snippets.diagrams import _canvas

    fig, ax = _canvas(7.2, 2.7)
    for d in range(4):
        x = 0.25 + d * 1.75
        _device(ax, x, 0.75, 1.45, 1.5, f"device {d + 1}")
        for layer in range(4):
            _block(ax, x + 0.1, 0.85 + layer * 0.3, 0.7, 0.24, "C0", f"layer {layer + 1}" if d == 0 else "")
        _block(ax, x + 0.9, 0.85, 0.45, 1.14, "C2", f"batch\n{d + 1}/4")
    ax.annotate("", (6.9, 0.5), (0.35, 0.5), arrowprops={"arrowstyle": "<|-|>", "color": "C1", "lw": 1.4})
    ax.text(3.6, 0.15, "all-reduce: average the four gradients, so every replica takes the same step",
            ha="center", fontsize=9.5, color="#333333")
    return fig


def tensor_parallel_layout() -> Figure:
    """Tensor parallelism of an FFN on 2 devices: W_1 split by columns, W_2 by rows, one all-reduce at the end."""
    from snippets.diagrams import _canvas

    fig, ax = _canvas(7.2, 2.9)
    for d in range(2):
        x = 0.3 + d * 3.55
        _device(ax, x, 0.7, 3.15, 1.85, f"device {d + 1}")
        _block(ax, x + 0.15, 1.2, 0.5, 0.9, "C2", "$H$\n(copy)")
        _block(ax, x + 0.85, 1.2, 0.55, 0.9, "C0", f"$A_{d + 1}$")
        ax.text(x + 1.65, 1.65, "ReLU", ha="center", va="center", fontsize=9.5, rotation=90)
        _block(ax, x + 1.9, 1.45, 0.9, 0.4, "C1", f"$B_{d + 1}$")
        ax.text(x + 1.57, 0.88, f"$Y_{d + 1} = \\mathrm{{ReLU}}(H A_{d + 1}) B_{d + 1}$", ha="center", fontsize=9.5)
    ax.text(3.6, 0.2, "all-reduce: $Y = Y_1 + Y_2$  (columns of $W_1 = [A_1\\ A_2]$, rows of "
            "$W_2 = [B_1; B_2]$)", ha="center", fontsize=9.5)
    return fig


def expert_parallel_layout() -> Figure:
    """Expert parallelism: 4 experts on 2 devices; each token is sent to its expert's device and back (all-to-all)."""
    from matplotlib.figure import Figure

    rng = np.random.default_rng(5)
    T, n_experts, n_devices = 8, 4, 2
    token_device = np.repeat(np.arange(n_devices), T // n_devices)
    choice = rng.integers(0, n_experts, size=T)
    placement = expert_device(n_experts, n_devices)
    fig = Figure(figsize=(7.2, 3.4), layout="none")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 7.2)
    ax.set_ylim(0, 3.4)
    ax.set_axis_off()
    token_y = 2.75 - 0.3 * np.arange(T)
    expert_y = {e: 2.55 - 0.6 * e for e in range(n_experts)}
    for t in range(T):
        _block(ax, 0.5, token_y[t] - 0.11, 0.9, 0.22, f"C{token_device[t] + 4}", f"token {t + 1}", alpha=0.25)
    for e in range(n_experts):
        _block(ax, 5.3, expert_y[e] - 0.2, 1.3, 0.4, f"C{placement[e] + 4}", f"expert {e + 1}", alpha=0.25)
    for t in range(T):
        ax.annotate("", (5.28, expert_y[choice[t]]), (1.42, token_y[t]),
                    arrowprops={"arrowstyle": "-|>", "color": f"C{choice[t]}", "lw": 1.0, "alpha": 0.8})
    for d in range(n_devices):
        ax.text(0.3, token_y[token_device == d].mean(), f"device {d + 1}", rotation=90, ha="center", va="center",
                fontsize=9.5, color=f"C{d + 4}", weight="bold")
        ax.text(6.85, np.mean([expert_y[e] for e in np.flatnonzero(placement == d)]), f"device {d + 1}",
                rotation=90, ha="center", va="center", fontsize=9.5, color=f"C{d + 4}", weight="bold")
    counts = all_to_all_counts(token_device, choice, placement)
    ax.text(3.35, 0.12, f"all-to-all: tokens sent between devices = {counts.sum() - np.trace(counts)} of {T}",
            ha="center", fontsize=9.5)
    ax.text(3.35, 3.2, "router picks one expert per token (top-1)", ha="center", fontsize=9.5, style="italic")
    return fig
