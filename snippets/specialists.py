"""A system of specialist models: one shared base, small per-task deltas, a router and merging.

The pages on modular ML systems, specialist models, task routing and model
merging use these functions. Parameters are flat vectors (a model is one point
in parameter space); a set of specialists is a matrix whose rows are their
parameter vectors. Task embeddings are rows of a matrix too, and the router
picks the row closest in angle to the query's embedding.

Indices are 0-based here; the pages number specialists from 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.retrieval import cosine_similarity

if TYPE_CHECKING:
    from matplotlib.figure import Figure


# --- specialists: base plus a sparse delta ------------------------------------------


def densify(indices: ArrayLike, values: ArrayLike, size: int) -> NDArray[np.float64]:
    """The dense delta of length ``size`` that is ``values`` at ``indices`` and 0 elsewhere.

    A specialist is stored as this sparse pair, a few numbers next to a shared base.

    >>> densify([0, 3], [0.5, -1.0], 5)
    array([ 0.5,  0. ,  0. , -1. ,  0. ])
    """
    delta = np.zeros(int(size))
    idx = np.asarray(indices, dtype=np.int64)
    # np.add.at sums repeated indices, as applying the pairs one by one would.
    np.add.at(delta, idx, np.asarray(values, dtype=np.float64))
    return delta


def apply_delta(base: ArrayLike, indices: ArrayLike, values: ArrayLike) -> NDArray[np.float64]:
    """A specialist's parameters: the base with ``values`` added at ``indices`` (the base is not modified).

    >>> apply_delta([1.0, 1.0, 1.0], [2], [0.25])
    array([1.  , 1.  , 1.25])
    """
    theta = np.array(base, dtype=np.float64)
    np.add.at(theta, np.asarray(indices, dtype=np.int64), np.asarray(values, dtype=np.float64))
    return theta


def storage(base_params: float, n_specialists: int, delta_fraction: float) -> tuple[float, float]:
    """Parameters stored for ``n_specialists`` tasks: (shared base + deltas, one full copy per task).

    >>> storage(1e9, 100, 0.005)
    (1500000000.0, 100000000000.0)
    """
    shared = float(base_params) * (1.0 + n_specialists * float(delta_fraction))
    return shared, float(base_params) * n_specialists


# --- routing: nearest task embedding -----------------------------------------------------


def task_similarities(query: ArrayLike, task_embeddings: ArrayLike) -> NDArray[np.float64]:
    """Cosine similarity of the query embedding with each task embedding (the rows)."""
    E = np.atleast_2d(np.asarray(task_embeddings, dtype=np.float64))
    return np.asarray(cosine_similarity(np.asarray(query, dtype=np.float64)[None, :], E), dtype=np.float64)


def route(query: ArrayLike, task_embeddings: ArrayLike) -> int:
    """Index (0-based) of the task embedding with the largest cosine similarity to ``query``.

    Ties go to the lower index, as ``np.argmax`` breaks them.

    >>> route([0.5, 0.9], [[1.0, 0.0], [0.6, 0.8], [-0.8, 0.6]])
    1
    """
    return int(np.argmax(task_similarities(query, task_embeddings)))


def route_batch(queries: ArrayLike, task_embeddings: ArrayLike) -> NDArray[np.int64]:
    """``route`` for each row of ``queries`` at once."""
    Q = np.atleast_2d(np.asarray(queries, dtype=np.float64))
    E = np.atleast_2d(np.asarray(task_embeddings, dtype=np.float64))
    scores = cosine_similarity(Q[:, None, :], E[None, :, :])
    return np.argmax(scores, axis=1)


# --- merging: task vectors and task arithmetic ---------------------------------------------


def task_vectors(base: ArrayLike, finetuned: ArrayLike) -> NDArray[np.float64]:
    """Task vectors ``theta_m - theta_base``, one row per fine-tuned model (rows of ``finetuned``)."""
    return np.atleast_2d(np.asarray(finetuned, dtype=np.float64)) - np.asarray(base, dtype=np.float64)


def merge(base: ArrayLike, finetuned: ArrayLike, lam: float) -> NDArray[np.float64]:
    """Task arithmetic: ``theta_base + lam * sum_m (theta_m - theta_base)``.

    ``lam = 1 / M`` is the plain average of the ``M`` fine-tuned models; ``lam = 1``
    adds every task vector in full; a negative ``lam`` with one model subtracts a task.

    >>> merge([1.0, 0.0], [[2.0, 0.5], [0.5, 1.5]], 0.5)
    array([1.25, 1.  ])
    """
    return np.asarray(base, dtype=np.float64) + float(lam) * task_vectors(base, finetuned).sum(axis=0)


def quadratic_loss(theta: ArrayLike, center: ArrayLike, hessian: ArrayLike) -> NDArray[np.float64]:
    """``0.5 (theta - c)^T H (theta - c)`` for each row (last axis) of ``theta``: a toy task loss."""
    d = np.asarray(theta, dtype=np.float64) - np.asarray(center, dtype=np.float64)
    H = np.asarray(hessian, dtype=np.float64)
    return 0.5 * np.einsum("...i,ij,...j->...", d, H, d)


# The toy problem of the merging figure: a base and two tasks whose minima lie in different
# directions from it, with differently shaped valleys.
TOY_BASE = np.array([0.0, 0.0])
TOY_CENTERS = np.array([[2.0, 0.4], [0.4, 2.0]])
TOY_HESSIANS = np.array([[[1.0, 0.0], [0.0, 4.0]], [[4.0, 0.0], [0.0, 1.0]]])


def toy_finetune(steps: int = 40, lr: float = 0.05) -> NDArray[np.float64]:
    """Fine-tune the toy base on each toy task by gradient descent; one row per task.

    Fine-tuning stops short of the minimum, as it does in practice.
    """
    rows = []
    for c, H in zip(TOY_CENTERS, TOY_HESSIANS):
        theta = TOY_BASE.copy()
        for _ in range(steps):
            theta = theta - lr * H @ (theta - c)
        rows.append(theta)
    return np.array(rows)


def toy_joint_loss(theta: ArrayLike) -> NDArray[np.float64]:
    """Sum of the two toy task losses: what a merged model should keep low."""
    return sum(quadratic_loss(theta, c, H) for c, H in zip(TOY_CENTERS, TOY_HESSIANS))


# --- Figures -----------------------------------------------------------------------------


def routing_diagram() -> Figure:
    """A query is embedded, the router picks one specialist; each specialist is the base plus a small delta."""
    from snippets.diagrams import Arrow, Box, _canvas, draw_diagram

    fig, ax = _canvas(7.2, 3.3)
    boxes = [
        Box("query", "Query $x$", 0.7, 1.65, width=1.05),
        Box("router", "Router:\nembed $x$ as $\\mathbf{e}_q$,\npick $\\arg\\max_m \\cos(\\mathbf{e}_q, \\mathbf{e}_m)$",
            2.45, 1.65, width=2.0, height=1.0, color="C1"),
        Box("s1", "Specialist 1: $\\theta_{\\mathrm{base}} + \\Delta\\theta_1$", 5.35, 2.75, width=2.7, height=0.5,
            color="C2"),
        Box("s2", "Specialist 2 (chosen): $\\theta_{\\mathrm{base}} + \\Delta\\theta_2$", 5.35, 2.05, width=2.7,
            height=0.5, color="C1"),
        Box("s3", "Specialist 3: $\\theta_{\\mathrm{base}} + \\Delta\\theta_3$", 5.35, 1.35, width=2.7, height=0.5,
            color="C2"),
        Box("sM", "Specialist $M$: $\\theta_{\\mathrm{base}} + \\Delta\\theta_M$", 5.35, 0.45, width=2.7, height=0.5,
            color="C2"),
    ]
    arrows = [
        Arrow("query", "router"),
        Arrow("router", "s1", dashed=True),
        Arrow("router", "s2"),
        Arrow("router", "s3", dashed=True),
        Arrow("router", "sM", dashed=True),
    ]
    draw_diagram(ax, boxes, arrows)
    ax.text(5.35, 0.92, "...", ha="center", va="center", fontsize=12)
    ax.text(3.9, 3.12, "shared frozen base, one small delta per task", fontsize=9.5, style="italic")
    return fig


def task_embedding_map() -> Figure:
    """Task embeddings in 2-D, the query, and the regions each specialist wins under the cosine rule."""
    from matplotlib.figure import Figure

    tasks = np.array([[1.0, 0.0], [0.6, 0.8], [-0.8, 0.6]])
    names = ["code", "maths", "translation"]
    query = np.array([0.5, 0.9])
    offsets = np.array([[0.0, -0.12], [0.45, 0.0], [-0.1, 0.12]])  # label positions, clear of the arrows
    fig = Figure(figsize=(6.4, 4.2))
    ax = fig.subplots()
    # Colour the plane by the winning specialist: cosine routing depends only on direction,
    # so the regions are wedges from the origin.
    g = np.linspace(-1.3, 1.3, 261)
    X, Y = np.meshgrid(g, g)
    winners = route_batch(np.column_stack([X.ravel(), Y.ravel()]), tasks).reshape(X.shape)
    from matplotlib.colors import ListedColormap

    ax.contourf(X, Y, winners, levels=[-0.5, 0.5, 1.5, 2.5], cmap=ListedColormap(["C0", "C1", "C2"]), alpha=0.12)
    for m, (e, name) in enumerate(zip(tasks, names)):
        ax.annotate("", xy=e, xytext=(0, 0), arrowprops={"arrowstyle": "-|>", "color": f"C{m}", "lw": 1.8})
        ax.text(*(e + offsets[m]), f"$\\mathbf{{e}}_{m + 1}$ ({name})", color=f"C{m}", fontsize=11,
                ha="center", va="center")
    ax.annotate("", xy=query, xytext=(0, 0), arrowprops={"arrowstyle": "-|>", "color": "#333333", "lw": 1.8,
                                                          "linestyle": "--"})
    ax.text(query[0] - 0.05, query[1] + 0.12, "$\\mathbf{e}_q$ (query)", fontsize=11, ha="right")
    ax.set_xlim(-1.4, 1.6)
    ax.set_ylim(-0.5, 1.3)
    ax.set_aspect("equal")
    ax.set_xlabel("embedding dimension 1", fontsize=11)
    ax.set_ylabel("embedding dimension 2", fontsize=11)
    ax.tick_params(labelsize=10)
    return fig


def merge_landscape() -> Figure:
    """Contours of the joint loss of two toy tasks, the two fine-tuned models and the merge line."""
    from matplotlib.figure import Figure

    finetuned = toy_finetune()
    fig = Figure(figsize=(7.4, 4.4))
    ax = fig.subplots()
    g = np.linspace(-0.5, 2.6, 241)
    X, Y = np.meshgrid(g, g)
    P = np.stack([X, Y], axis=-1)
    # Each task's own valley (coloured) and the joint loss a merged model should keep low (grey).
    for c, H, color in zip(TOY_CENTERS, TOY_HESSIANS, ["C1", "C3"]):
        ax.contour(X, Y, quadratic_loss(P, c, H), levels=[0.1, 0.5, 1.5], colors=color, linewidths=0.8,
                   alpha=0.6)
    ax.contour(X, Y, toy_joint_loss(P), levels=np.geomspace(0.5, 20, 7), colors="#333333", linewidths=0.6,
               alpha=0.45)
    lams = np.linspace(0.0, 1.3, 131)
    line = np.array([merge(TOY_BASE, finetuned, lam) for lam in lams])
    ax.plot(line[:, 0], line[:, 1], color="C0", label=r"$\theta_{\mathrm{base}} + \lambda(\tau_1 + \tau_2)$")
    best = lams[np.argmin(toy_joint_loss(line))]
    for lam, marker, color, text in [(0.5, "s", "C1", r"$\lambda = 1/2$ (average)"), (1.0, "D", "C3", r"$\lambda = 1$"),
                                    (best, "*", "C2", rf"best on the line, $\lambda \approx {best:.2f}$")]:
        p = merge(TOY_BASE, finetuned, lam)
        ax.plot(*p, marker=marker, color=color, markersize=10 if marker == "*" else 7, linestyle="none", label=text)
    ax.plot(*TOY_BASE, "o", color="#333333")
    ax.text(TOY_BASE[0] + 0.06, TOY_BASE[1] - 0.2, r"$\theta_{\mathrm{base}}$", fontsize=11)
    for m, th in enumerate(finetuned):
        ax.annotate("", xy=th, xytext=TOY_BASE, arrowprops={"arrowstyle": "-|>", "color": "C4", "lw": 1.3})
        ax.text(th[0] + 0.05, th[1] + 0.06, rf"$\theta_{m + 1}$", fontsize=11, color="C4")
    ax.set_xlabel(r"parameter 1", fontsize=11)
    ax.set_ylabel(r"parameter 2", fontsize=11)
    ax.set_aspect("equal")
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=10)
    ax.tick_params(labelsize=10)
    return fig
