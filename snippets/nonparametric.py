"""Parametric and non-parametric regression side by side: a straight line against k nearest neighbours.

A line has two parameters however much data it sees; a k-nearest-neighbour
regressor keeps every training point and averages the ``k`` closest to the
query, so what it can represent grows with the data. ``knn_regression``
matches ``sklearn.neighbors.KNeighborsRegressor`` (uniform weights) up to
the order in which tied distances are broken.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def nearest_indices(x_train: ArrayLike, x_query: float, k: int) -> NDArray[np.intp]:
    """Indices of the ``k`` training inputs closest to ``x_query`` (one-dimensional inputs), nearest first;
    ties keep the training order.

    >>> nearest_indices([0.0, 5.0, 1.0, 2.0], 1.2, 2).tolist()
    [2, 3]
    """
    distance = np.abs(np.asarray(x_train, dtype=np.float64) - x_query)
    if not 1 <= k <= distance.size:
        raise ValueError(f"k must be between 1 and the number of training points ({distance.size}); got {k}")
    return np.argsort(distance, kind="stable")[:k]


def knn_regression(x_train: ArrayLike, y_train: ArrayLike, x_query: ArrayLike, k: int) -> NDArray[np.float64] | float:
    """k-nearest-neighbour regression: the mean of ``y`` over the ``k`` training inputs nearest each query.

    >>> knn_regression([0.0, 1.0, 2.0, 3.0], [0.0, 10.0, 20.0, 30.0], 1.2, k=2)
    15.0
    """
    yy = np.asarray(y_train, dtype=np.float64)
    queries = np.asarray(x_query, dtype=np.float64)
    result = np.array([yy[nearest_indices(x_train, q, k)].mean() for q in queries.ravel()]).reshape(queries.shape)
    return float(result) if result.ndim == 0 else result


def _truth(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.sin(2.0 * x) + 0.5 * x


def sample(n: int, rng: np.random.Generator) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``n`` noisy observations of a smooth nonlinear function on [0, 3] (noise sd 0.3)."""
    x = rng.uniform(0.0, 3.0, n)
    return x, _truth(x) + rng.normal(0.0, 0.3, n)


def test_errors(sizes: ArrayLike, k_of_n: int | None = None, repeats: int = 20, seed: int = 0
                ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mean squared error against the true function on a grid, for a least-squares line and for
    k-NN with ``k = round(sqrt(n))``, averaged over ``repeats`` data sets of each size."""
    rng = np.random.default_rng(seed)
    grid = np.linspace(0.0, 3.0, 200)
    line_err, knn_err = [], []
    for n in np.asarray(sizes, dtype=int):
        errs = np.zeros(2)
        for _ in range(repeats):
            x, y = sample(int(n), rng)
            slope, intercept = np.polyfit(x, y, 1)
            k = k_of_n or max(1, int(round(np.sqrt(n))))
            errs += [np.mean((slope * grid + intercept - _truth(grid)) ** 2),
                     np.mean((knn_regression(x, y, grid, k) - _truth(grid)) ** 2)]
        line_err.append(errs[0] / repeats)
        knn_err.append(errs[1] / repeats)
    return np.array(line_err), np.array(knn_err)


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:nonparametric.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def fits_as_data_grows() -> Figure:
    """A least-squares line (2 parameters) and k-nearest neighbours (k = round(sqrt(n))) fitted
    to 15 and to 400 noisy points of a curved function, and their error against the true function
    as n grows: the line's error stops falling at its bias, the k-NN error keeps falling."""
    from matplotlib.figure import Figure

    rng = np.random.default_rng(1)
    grid = np.linspace(0.0, 3.0, 300)
    fig = Figure(figsize=(6.4, 2.9))
    axes = fig.subplots(1, 3, width_ratios=[1, 1, 1.15])
    for ax, n in zip(axes[:2], (15, 400)):
        x, y = sample(n, rng)
        slope, intercept = np.polyfit(x, y, 1)
        k = int(round(np.sqrt(n)))
        ax.plot(x, y, ".", color="C5", ms=4 if n < 100 else 2, alpha=0.8)
        ax.plot(grid, _truth(grid), color="black", lw=1.0, ls="--")
        ax.plot(grid, slope * grid + intercept, color="C0", lw=1.8, label="line")
        ax.plot(grid, knn_regression(x, y, grid, k), color="C1", lw=1.5, label="k-NN")
        ax.set_title(f"$n = {n}$ ($k = {k}$)")
        ax.set_xlabel("$x$")
    axes[0].set_ylabel("$y$")
    axes[0].legend(loc="lower center", fontsize=9)
    sizes = np.array([10, 20, 50, 100, 200, 500, 1000])
    line_err, knn_err = test_errors(sizes)
    axes[2].loglog(sizes, line_err, "o-", color="C0", ms=4, label="line")
    axes[2].loglog(sizes, knn_err, "s-", color="C1", ms=4, label="k-NN")
    axes[2].set_xlabel("$n$")
    axes[2].set_ylabel("error vs true function")
    axes[2].set_title("mean squared error")
    axes[2].legend(loc="lower left", fontsize=9)
    return fig
