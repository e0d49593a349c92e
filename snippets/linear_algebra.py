"""Eigenvalues and eigenvectors: power iteration and counting independent eigenvectors.

``power_iteration`` finds the dominant eigenpair (largest ``|lambda|``) using
only matrix-vector products; ``numpy.linalg.eig`` finds all of them. The
count of linearly independent real eigenvectors is the sum of the geometric
multiplicities ``n - rank(A - lambda I)`` over the distinct real eigenvalues.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def power_iteration_step(A: ArrayLike, v: ArrayLike) -> NDArray[np.float64]:
    """One step of power iteration: ``A v / ||A v||``.

    >>> power_iteration_step([[2.0, 0.0], [0.0, 1.0]], [1.0, 1.0]).round(4)
    array([0.8944, 0.4472])
    """
    Av = np.asarray(A, dtype=np.float64) @ np.asarray(v, dtype=np.float64)
    return Av / np.linalg.norm(Av)


def rayleigh_quotient(A: ArrayLike, v: ArrayLike) -> float:
    """``v^T A v / v^T v``: the eigenvalue estimate that goes with an approximate eigenvector ``v``.

    >>> rayleigh_quotient([[2.0, 1.0], [1.0, 2.0]], [1.0, 1.0])
    3.0
    """
    vv = np.asarray(v, dtype=np.float64)
    return float(vv @ np.asarray(A, dtype=np.float64) @ vv / (vv @ vv))


def power_iteration(
    A: ArrayLike, n_iter: int = 10_000, tol: float = 1e-13, seed: int = 0
) -> tuple[float, NDArray[np.float64]]:
    """Dominant eigenvalue and a unit eigenvector of ``A`` by power iteration.

    Repeats ``v <- A v / ||A v||`` from a random start until the residual
    ``||A v - lambda v||`` is below ``tol * ||A||`` (or ``n_iter`` steps), with
    ``lambda`` the Rayleigh quotient. Converges when one real eigenvalue is
    strictly largest in absolute value, at the rate ``|lambda_2 / lambda_1|``
    per step. ``numpy.linalg.eig`` returns the same pair (up to the sign of ``v``).

    >>> lam, v = power_iteration([[2.0, 1.0], [1.0, 2.0]])
    >>> round(lam, 10), np.abs(v).round(6)
    (3.0, array([0.707107, 0.707107]))
    >>> lam, v = power_iteration([[1.0, 0.0], [0.0, -3.0]])
    >>> round(lam, 10), np.abs(v).round(6)
    (-3.0, array([0., 1.]))
    """
    AA = np.asarray(A, dtype=np.float64)
    scale = max(float(np.linalg.norm(AA)), np.finfo(np.float64).tiny)
    v = np.random.default_rng(seed).standard_normal(AA.shape[0])
    v /= np.linalg.norm(v)
    lam = rayleigh_quotient(AA, v)
    for _ in range(n_iter):
        if np.linalg.norm(AA @ v - lam * v) <= tol * scale:
            break
        v = power_iteration_step(AA, v)
        lam = rayleigh_quotient(AA, v)
    return lam, v


def _eigenvalue_clusters(values: list[complex], scale: float) -> list[list[complex]]:
    """Group computed eigenvalues that are one repeated eigenvalue split by rounding.

    An eigenvalue in a Jordan block of size ``m`` comes back from a
    floating-point solver as ``m`` values spread over a circle of radius about
    ``eps^(1/m) ||A||`` (``[[1, -1], [4, 5]]``: ``3 +- 3e-8 i``). So a group of
    ``m`` values counts as one eigenvalue when its diameter is below
    ``4 (n eps)^(1/m) ||A||``; the largest such group is taken first.
    """
    n = len(values)
    eps = np.finfo(np.float64).eps
    left = list(values)
    clusters: list[list[complex]] = []
    while left:
        best: tuple[int, float, list[int]] | None = None
        for v in left:
            order = sorted(range(len(left)), key=lambda i: abs(left[i] - v))
            for m in range(len(order), 0, -1):
                group = order[:m]
                diameter = max(abs(left[i] - left[j]) for i in group for j in group)
                if diameter <= 4.0 * (n * eps) ** (1.0 / m) * scale:
                    if best is None or (m, -diameter) > (best[0], -best[1]):
                        best = (m, diameter, group)
                    break
        assert best is not None  # a single value always qualifies
        clusters.append([left[i] for i in best[2]])
        left = [u for i, u in enumerate(left) if i not in best[2]]
    return clusters


def independent_eigenvector_count(A: ArrayLike) -> int:
    """How many linearly independent real eigenvectors the square matrix ``A`` has.

    The sum over distinct real eigenvalues of the geometric multiplicity
    ``n - rank(A - lambda I)``. Never more than ``n``, whatever the rank of
    ``A``: the zero matrix has rank 0 and ``n`` independent eigenvectors.

    In floating point a repeated eigenvalue of a defective matrix comes back
    split, often into a complex pair (``[[1, -1], [4, 5]]`` has the double
    eigenvalue 3 and one eigenvector; ``eigvals`` gives ``3 +- 3e-8 i``).
    So the computed eigenvalues are first grouped (``_eigenvalue_clusters``);
    a group whose mean is real is one real eigenvalue of algebraic
    multiplicity ``m`` (its size). Its geometric multiplicity ``k`` (between
    1 and ``m``) is read from the ``m + 1`` smallest singular values of
    ``A - lambda I``: ``k`` of them are rounding-sized, and the largest
    ratio between neighbours marks where they end. Differences below about
    ``1e-7 ||A||`` are treated as rounding, so a matrix that close to one with
    another count may get that count. Meant for small matrices (the grouping
    costs ``O(n^4)``); the tests compare it with exact arithmetic (sympy).

    >>> independent_eigenvector_count(np.zeros((2, 2)))    # rank 0
    2
    >>> independent_eigenvector_count([[1.0, 1.0], [1.0, 1.0]])    # rank 1
    2
    >>> independent_eigenvector_count([[1.0, 1.0], [0.0, 1.0]])    # shear
    1
    >>> independent_eigenvector_count([[1.0, -1.0], [4.0, 5.0]])    # double eigenvalue 3, not triangular
    1
    >>> independent_eigenvector_count([[0.0, -1.0], [1.0, 0.0]])    # rotation by 90 degrees
    0
    """
    AA = np.asarray(A, dtype=np.float64)
    n = AA.shape[0]
    scale = float(np.linalg.norm(AA, 2)) if n else 0.0
    if scale == 0.0:
        return n  # the zero matrix (or an empty one): every vector is an eigenvector
    floor = 4.0 * n * np.finfo(np.float64).eps * scale  # what rounding leaves of a zero singular value
    total = 0
    for cluster in _eigenvalue_clusters([complex(v) for v in np.linalg.eigvals(AA)], scale):
        lam = complex(np.mean(cluster))  # a conjugate-closed group has a real mean
        if abs(lam.imag) > floor:
            continue
        m = len(cluster)
        singular = np.sort(np.linalg.svd(AA - lam.real * np.eye(n), compute_uv=False))
        z = np.maximum(np.append(singular, scale), floor)
        if z[m - 1] <= floor:
            total += m  # all m at the rounding floor: m eigenvectors
        else:
            total += int(np.argmax(z[1 : m + 1] / z[:m])) + 1
    return total


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:linear_algebra.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).
# matplotlib is imported inside them, so the numeric code above stays light.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def eigen_directions() -> Figure:
    """The unit circle and its image under three 2x2 matrices: a symmetric matrix
    (two eigen-directions, the ellipse's axes), a shear (one) and a scaled rotation (none)."""
    from matplotlib.figure import Figure

    turn = 0.6
    cases = [
        ("symmetric: 2 directions", np.array([[2.0, 1.0], [1.0, 2.0]])),
        ("shear: 1 direction", np.array([[1.0, 1.0], [0.0, 1.0]])),
        ("scaled rotation: none", 1.6 * np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])),
    ]
    angle = np.linspace(0, 2 * np.pi, 300)
    circle = np.stack([np.cos(angle), np.sin(angle)])
    fig = Figure(figsize=(6.4, 3.1))
    axes = fig.subplots(1, 3)
    for ax, (title, A) in zip(axes, cases):
        ax.plot(*circle, color="C0", ls="--", lw=1.0, label="unit circle")
        ax.plot(*(A @ circle), color="C0", lw=1.8, label="its image under $A$")
        values, vectors = np.linalg.eig(A)
        drawn: list[NDArray[np.float64]] = []
        for k in np.argsort(-np.abs(values)):
            v = vectors[:, k].real
            if abs(values[k].imag) > 1e-12 or any(abs(abs(u @ v) - 1.0) < 1e-6 for u in drawn):
                continue  # complex, or parallel to one already drawn (the shear's repeated eigenvalue)
            v = v if v[0] + v[1] >= 0 else -v
            drawn.append(v)
            lam = values[k].real
            ax.axline((0, 0), tuple(v), color="C1", lw=0.8, ls=":")
            ax.annotate("", xy=tuple(lam * v), xytext=(0, 0),
                        arrowprops=dict(arrowstyle="-|>", color="C1", lw=1.6))
            ax.annotate(f"$\\lambda = {lam:.3g}$", tuple(lam * v), xytext=(5, -3) if len(drawn) == 1 else (-4, 4),
                        textcoords="offset points", fontsize=8.5, color="C1",
                        ha="left" if len(drawn) == 1 else "right", va="top" if len(drawn) == 1 else "bottom")
        if not drawn:  # every vector changes direction: show a few of them and their images
            for phi in (0.3, 2.2, 4.0):
                x = np.array([np.cos(phi), np.sin(phi)])
                ax.annotate("", xy=tuple(x), xytext=(0, 0), arrowprops=dict(arrowstyle="-|>", color="C2", lw=1.0))
                ax.annotate("", xy=tuple(A @ x), xytext=(0, 0), arrowprops=dict(arrowstyle="-|>", color="C3", lw=1.4))
            ax.plot([], [], color="C2", label="a vector $\\mathbf{x}$")
            ax.plot([], [], color="C3", label="$A\\mathbf{x}$, turned")
        ax.plot([], [], color="C1", ls=":", label="eigen-direction") if drawn else None
        ax.set_title(title)
        ax.set_aspect("equal")
        ax.set_xlim(-3.2, 3.2)
        ax.set_ylim(-3.2, 3.2)
        ax.set_xticks([-2, 0, 2])
        ax.set_yticks([-2, 0, 2])
    handles, labels = axes[0].get_legend_handles_labels()
    more, more_labels = axes[2].get_legend_handles_labels()
    fig.legend(handles + more[2:], labels + more_labels[2:], loc="outside lower center", ncols=5, fontsize=8.5)
    return fig
