"""High-dimensional geometry behind the curse of dimensionality.

Ball volumes (in log space, so ``d = 1000`` neither overflows nor
underflows to garbage), and how the spread of distances between random
points shrinks relative to their size as the dimension ``d`` grows.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln

Seed = int | np.random.Generator | None


def _generator(rng: Seed) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def ball_volume(d: ArrayLike, r: ArrayLike = 1.0) -> NDArray[np.float64] | float:
    """Volume ``pi^(d/2) r^d / Gamma(d/2 + 1)`` of a ``d``-dimensional ball of radius ``r``.

    >>> round(ball_volume(2), 6), round(ball_volume(3), 6)    # pi and 4 pi / 3
    (3.141593, 4.18879)
    >>> ball_volume(1, 0.5)    # a segment of length 1
    1.0
    """
    dd = np.asarray(d, dtype=np.float64)
    rr = np.asarray(r, dtype=np.float64)
    result = np.exp(dd / 2 * np.log(np.pi) - gammaln(dd / 2 + 1)) * rr**dd
    return float(result) if result.ndim == 0 else result


def ball_to_cube_ratio(d: ArrayLike) -> NDArray[np.float64] | float:
    """Fraction of the cube ``[-1, 1]^d`` filled by the unit ball it encloses:
    ``pi^(d/2) / (Gamma(d/2 + 1) 2^d)``, computed in log space.

    >>> round(ball_to_cube_ratio(2), 6)    # pi / 4
    0.785398
    >>> ball_to_cube_ratio([1, 10]).round(8)
    array([1.        , 0.00249039])
    >>> float(f"{ball_to_cube_ratio(100):.3g}")
    1.87e-70
    """
    dd = np.asarray(d, dtype=np.float64)
    result = np.exp(dd / 2 * np.log(np.pi) - gammaln(dd / 2 + 1) - dd * np.log(2.0))
    return float(result) if result.ndim == 0 else result


def pairwise_distances(points: ArrayLike) -> NDArray[np.float64]:
    """Euclidean distances between all pairs of rows, in the order of
    ``scipy.spatial.distance.pdist`` (pairs ``(0, 1), (0, 2), ..., (1, 2), ...``).

    >>> pairwise_distances([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]])
    array([5.        , 1.        , 4.24264069])
    """
    X = np.asarray(points, dtype=np.float64)
    i, j = np.triu_indices(X.shape[0], k=1)
    return np.sqrt(np.sum((X[i] - X[j]) ** 2, axis=-1))


def relative_contrast(distances: ArrayLike) -> float:
    """``(max - min) / min`` of a set of distances: how much farther the farthest is than the nearest.

    >>> relative_contrast([1.0, 2.0, 4.0])
    3.0
    """
    D = np.asarray(distances, dtype=np.float64)
    return float((D.max() - D.min()) / D.min())


def distance_contrast(n: int, d: int, rng: Seed = None) -> float:
    """Relative contrast of the pairwise distances between ``n`` uniform random points in ``[0, 1]^d``.

    >>> distance_contrast(50, 2, rng=0) > 10, distance_contrast(50, 1000, rng=0) < 0.3
    (True, True)
    """
    return relative_contrast(pairwise_distances(_generator(rng).random((n, d))))


def squared_distance_stats(d: int, pairs: int, rng: Seed = None) -> tuple[float, float]:
    """Sample mean and standard deviation of ``||x - x'||^2`` for ``pairs`` independent pairs
    of uniform points in ``[0, 1]^d``. In theory the mean is ``d / 6`` and the standard
    deviation ``sqrt(7 d / 180)``, so their ratio falls like ``sqrt(7 / (5 d))``.

    >>> mean, sd = squared_distance_stats(600, 20_000, rng=1)
    >>> bool(abs(mean / 100 - 1) < 0.01), bool(abs(sd / np.sqrt(7 * 600 / 180) - 1) < 0.03)
    (True, True)
    """
    squared = squared_distances(d, pairs, rng)
    return float(squared.mean()), float(squared.std(ddof=1))


def squared_distances(d: int, pairs: int, rng: Seed = None) -> NDArray[np.float64]:
    """``||x - x'||^2`` for ``pairs`` independent pairs of uniform points in ``[0, 1]^d``.

    >>> squared_distances(3, 5, rng=0).shape
    (5,)
    """
    generator = _generator(rng)
    squared = np.empty(pairs)
    chunk = max(1, 2_000_000 // max(d, 1))  # bound the memory of one batch
    for start in range(0, pairs, chunk):
        size = min(chunk, pairs - start)
        squared[start : start + size] = np.sum((generator.random((size, d)) - generator.random((size, d))) ** 2, axis=1)
    return squared


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:geometry.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).
# matplotlib is imported inside them, so the numeric code above stays light.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def dimensionality_curse() -> Figure:
    """Left: the share of the cube ``[-1, 1]^d`` taken by the inscribed unit ball.
    Right: the relative contrast ``(max - min) / min`` of the pairwise distances between
    random points, against ``d`` (median of 20 draws), with the ``1 / sqrt(d)`` trend."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.2))
    left, right = fig.subplots(1, 2)
    d = np.arange(1, 21)
    left.semilogy(d, ball_to_cube_ratio(d), "o-", color="C0", ms=4)
    left.set_xlabel("dimension $d$")
    left.set_ylabel("ball volume / cube volume")
    left.set_title("the ball vanishes from the cube")
    left.set_xticks([1, 5, 10, 15, 20])

    rng = np.random.default_rng(7)
    dims = np.array([1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000])
    for color, n in (("C1", 10), ("C2", 100)):
        medians = [np.median([distance_contrast(n, int(k), rng) for _ in range(20)]) for k in dims]
        right.loglog(dims, medians, "o-", color=color, ms=4, label=f"{n} points")
        if n == 100:
            anchor = medians[-1] * np.sqrt(dims[-1])
            right.loglog(dims[3:], anchor / np.sqrt(dims[3:]), ls=":", color="black", lw=1.0,
                         label="$\\propto 1/\\sqrt{d}$")
    right.set_xlabel("dimension $d$")
    right.set_ylabel("$(D_{\\max} - D_{\\min}) / D_{\\min}$")
    right.set_title("nearest and farthest look alike")
    right.legend()
    return fig
