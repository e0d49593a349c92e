"""Quasi-Newton methods: Broyden's method for roots of F: R^n -> R^n and BFGS for minima.

Both replace the derivative Newton's method needs (the Jacobian of ``F``, the
Hessian of ``f``) by an approximation that is corrected after every step so
that it reproduces the change just observed (the secant condition):
Broyden's rank-one update of the Jacobian, ``J s = F(x + s) - F(x)``, and
BFGS's rank-two update of the inverse Hessian, ``H y = s`` with ``y`` the
change of the gradient. Newton's method is here as the reference they
approximate. Each solver returns its iterates so that pages can plot
convergence; BFGS takes its Wolfe line search from scipy, Broyden backtracks on ||F||.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import line_search

Vector = NDArray[np.float64]
VectorFunction = Callable[[Vector], Vector]


class Run(NamedTuple):
    """A solver's result: the final point and every iterate (``x_0`` first), one a row."""

    x: Vector
    iterates: NDArray[np.float64]


def broyden_update(J: ArrayLike, s: ArrayLike, dF: ArrayLike) -> NDArray[np.float64]:
    """Broyden's ("good") rank-one update ``J + (dF - J s) s^T / (s^T s)``.

    ``s`` is the step actually taken and ``dF = F(x + s) - F(x)``; the new
    matrix satisfies the secant condition ``J_new s = dF`` and acts like ``J``
    on every direction orthogonal to ``s``.

    >>> broyden_update(np.eye(2), [1.0, 0.0], [3.0, 1.0]).tolist()
    [[3.0, 0.0], [1.0, 1.0]]
    """
    JJ = np.asarray(J, dtype=np.float64)
    ss = np.asarray(s, dtype=np.float64)
    return JJ + np.outer(np.asarray(dF, dtype=np.float64) - JJ @ ss, ss) / (ss @ ss)


def _residual_line_search(F: VectorFunction, x: Vector, direction: Vector, Fx: Vector) -> float:
    """Step length along ``direction`` by halving from 1 until ``||F||`` decreases (at most 30 halvings).

    An approximate Jacobian may give a direction along which ``||F||`` grows
    for every step length; then the full step is taken and the update
    corrects the Jacobian from it.
    """
    norm = np.linalg.norm(Fx)
    alpha = 1.0
    for _ in range(30):
        if np.linalg.norm(F(x + alpha * direction)) < norm:
            return alpha
        alpha /= 2.0
    return 1.0


def broyden(
    F: VectorFunction, x0: ArrayLike, J0: ArrayLike | None = None, tol: float = 1e-10, maxiter: int = 100,
) -> Run:
    """A root of ``F`` by Broyden's method: Newton steps with a secant-updated Jacobian.

    Each iteration solves ``J d = -F(x)``, takes the step ``s = alpha d``
    (``alpha`` from a backtracking search on ``||F||``), and updates ``J`` with
    ``broyden_update`` on that step. ``J0`` defaults to a forward-difference
    Jacobian at ``x0``. Stops when ``||F(x)|| <= tol``; raises
    ``RuntimeError`` if that takes more than ``maxiter`` iterations.

    >>> run = broyden(lambda x: np.array([x[0] ** 2 - 2.0]), [1.0])
    >>> round(float(run.x[0]), 10)
    1.4142135624
    """
    x = np.asarray(x0, dtype=np.float64).copy()
    Fx = np.asarray(F(x), dtype=np.float64)
    J = finite_difference_jacobian(F, x) if J0 is None else np.asarray(J0, dtype=np.float64).copy()
    iterates = [x.copy()]
    for _ in range(maxiter):
        if np.linalg.norm(Fx) <= tol:
            return Run(x, np.array(iterates))
        direction = np.linalg.solve(J, -Fx)
        s = _residual_line_search(F, x, direction, Fx) * direction
        F_new = np.asarray(F(x + s), dtype=np.float64)
        J = broyden_update(J, s, F_new - Fx)
        x, Fx = x + s, F_new
        iterates.append(x.copy())
    if np.linalg.norm(Fx) <= tol:
        return Run(x, np.array(iterates))
    raise RuntimeError(f"broyden: ||F(x)|| = {np.linalg.norm(Fx):.3g} > tol = {tol:g} after {maxiter} iterations")


def newton(F: VectorFunction, jacobian: Callable[[Vector], NDArray[np.float64]], x0: ArrayLike,
           tol: float = 1e-10, maxiter: int = 100) -> Run:
    """A root of ``F`` by Newton's method with the exact ``jacobian`` (full steps).

    >>> run = newton(lambda x: x**2 - 2.0, lambda x: np.diag(2.0 * x), [1.0])
    >>> round(float(run.x[0]), 10)
    1.4142135624
    """
    x = np.asarray(x0, dtype=np.float64).copy()
    iterates = [x.copy()]
    for _ in range(maxiter):
        Fx = np.asarray(F(x), dtype=np.float64)
        if np.linalg.norm(Fx) <= tol:
            return Run(x, np.array(iterates))
        x = x + np.linalg.solve(jacobian(x), -Fx)
        iterates.append(x.copy())
    if np.linalg.norm(F(x)) <= tol:
        return Run(x, np.array(iterates))
    raise RuntimeError(f"newton: ||F(x)|| = {np.linalg.norm(F(x)):.3g} > tol = {tol:g} after {maxiter} iterations")


def finite_difference_jacobian(F: VectorFunction, x: ArrayLike, h: float = 1e-7) -> NDArray[np.float64]:
    """Forward-difference Jacobian ``(F(x + h e_j) - F(x)) / h``, one column per coordinate.

    >>> finite_difference_jacobian(lambda x: np.array([x[0] * x[1], x[1]]), [2.0, 3.0]).round(5).tolist()
    [[3.0, 2.0], [0.0, 1.0]]
    """
    xx = np.asarray(x, dtype=np.float64)
    Fx = np.asarray(F(xx), dtype=np.float64)
    steps = h * np.maximum(1.0, np.abs(xx))
    columns = [(np.asarray(F(xx + step * e), dtype=np.float64) - Fx) / step
               for step, e in zip(steps, np.eye(xx.size))]
    return np.stack(columns, axis=1)


def bfgs_update(H: ArrayLike, s: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
    """The BFGS update of an inverse-Hessian approximation: ``(I - rho s y^T) H (I - rho y s^T) + rho s s^T``.

    ``s`` is the step, ``y`` the change of the gradient over it and
    ``rho = 1 / (y^T s)``, which must be positive (the curvature condition a
    Wolfe line search guarantees); the result satisfies ``H_new y = s`` and
    stays symmetric positive definite.

    >>> bfgs_update(np.eye(2), [1.0, 0.0], [2.0, 0.0]).tolist()
    [[0.5, 0.0], [0.0, 1.0]]
    """
    HH = np.asarray(H, dtype=np.float64)
    ss = np.asarray(s, dtype=np.float64)
    yy = np.asarray(y, dtype=np.float64)
    curvature = float(yy @ ss)
    if not curvature > 0.0:
        raise ValueError(f"BFGS needs y^T s > 0 (positive curvature along the step); got {curvature:.3g}")
    rho = 1.0 / curvature
    left = np.eye(ss.size) - rho * np.outer(ss, yy)
    return left @ HH @ left.T + rho * np.outer(ss, ss)


def bfgs(
    f: Callable[[Vector], float], grad: VectorFunction, x0: ArrayLike, tol: float = 1e-8, maxiter: int = 200,
) -> Run:
    """A minimizer of ``f`` by BFGS: steps ``-H g`` with a Wolfe line search and ``bfgs_update``.

    ``H`` starts as the identity; the line search is ``scipy.optimize.line_search``
    (strong Wolfe conditions), so ``y^T s > 0`` after every accepted step.
    Stops when ``||grad f(x)|| <= tol``; raises ``RuntimeError`` if the line
    search fails or ``maxiter`` iterations pass first.

    >>> from scipy.optimize import rosen, rosen_der
    >>> bfgs(rosen, rosen_der, [-1.2, 1.0]).x.round(6).tolist()
    [1.0, 1.0]
    """
    x = np.asarray(x0, dtype=np.float64).copy()
    g = np.asarray(grad(x), dtype=np.float64)
    H = np.eye(x.size)
    iterates = [x.copy()]
    for _ in range(maxiter):
        if np.linalg.norm(g) <= tol:
            return Run(x, np.array(iterates))
        direction = -H @ g
        alpha = line_search(f, grad, x, direction, gfk=g)[0]
        if alpha is None:
            raise RuntimeError(f"bfgs: the line search found no Wolfe step at x = {x}")
        s = alpha * direction
        g_new = np.asarray(grad(x + s), dtype=np.float64)
        H = bfgs_update(H, s, g_new - g)
        x, g = x + s, g_new
        iterates.append(x.copy())
    if np.linalg.norm(g) <= tol:
        return Run(x, np.array(iterates))
    raise RuntimeError(f"bfgs: ||grad f|| = {np.linalg.norm(g):.3g} > tol = {tol:g} after {maxiter} iterations")


def example_system(x: ArrayLike) -> NDArray[np.float64]:
    """A nonlinear system with the root (1, 1): ``(x1^2 + x2^2 - 2, exp(x1 - 1) + x2^3 - 2)``.

    >>> example_system([1.0, 1.0]).tolist()
    [0.0, 0.0]
    """
    x1, x2 = np.asarray(x, dtype=np.float64)
    return np.array([x1**2 + x2**2 - 2.0, np.exp(x1 - 1.0) + x2**3 - 2.0])


def example_jacobian(x: ArrayLike) -> NDArray[np.float64]:
    """The exact Jacobian of ``example_system``."""
    x1, x2 = np.asarray(x, dtype=np.float64)
    return np.array([[2.0 * x1, 2.0 * x2], [np.exp(x1 - 1.0), 3.0 * x2**2]])


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:quasi_newton.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def broyden_convergence() -> Figure:
    """||F(x_k)|| against the iteration for Newton's method and Broyden's method (started from
    a finite-difference Jacobian and from the identity) on a 2-D nonlinear system: Newton
    converges quadratically, Broyden superlinearly, with no derivative evaluated after the start."""
    from matplotlib.figure import Figure

    x0 = np.array([1.5, 1.5])
    runs = {
        "Newton (exact Jacobian)": newton(example_system, example_jacobian, x0, tol=1e-13),
        "Broyden, $J_0$ by finite differences": broyden(example_system, x0, tol=1e-13),
        "Broyden, $J_0 = I$": broyden(example_system, x0, J0=np.eye(2), tol=1e-13),
    }
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.subplots()
    for i, (name, run) in enumerate(runs.items()):
        residuals = [np.linalg.norm(example_system(x)) for x in run.iterates]
        ax.semilogy(np.arange(len(residuals)), np.maximum(residuals, 1e-16), "o-", color=f"C{i}", ms=4,
                    label=name)
    ax.set_xlabel("iteration $k$")
    ax.set_ylabel("$\\|F(x_k)\\|_2$")
    ax.set_title("$F(x) = (x_1^2 + x_2^2 - 2,\\ e^{x_1 - 1} + x_2^3 - 2)$ from $(1.5, 1.5)$")
    ax.legend(loc="upper right", fontsize=9)
    return fig


def rosenbrock_bfgs() -> Figure:
    """BFGS, Newton (full steps) and gradient descent on the Rosenbrock function from (-1.2, 1):
    the iterates on the contour plot (Newton's third iterate lies far below it), and the distance
    to the minimum (1, 1) against the iteration."""
    from matplotlib.figure import Figure
    from scipy.optimize import rosen, rosen_der, rosen_hess

    from snippets.optimizers import gradient_descent

    x0 = np.array([-1.2, 1.0])
    paths = {
        "BFGS": bfgs(rosen, rosen_der, x0, tol=1e-10).iterates,
        "Newton": newton(rosen_der, rosen_hess, x0, tol=1e-10).iterates,
        "gradient descent, $\\eta = 10^{-3}$": gradient_descent(rosen_der, x0, lr=1e-3, steps=2000),
    }
    fig = Figure(figsize=(6.4, 3.6))
    left, right = fig.subplots(1, 2)
    g1, g2 = np.meshgrid(np.linspace(-1.6, 1.6, 300), np.linspace(-0.6, 1.6, 300))
    left.contour(g1, g2, rosen(np.stack([g1, g2])), levels=np.geomspace(0.1, 500, 12), colors="C5",
                 linewidths=0.7, alpha=0.8)
    for i, (name, path) in enumerate(paths.items()):
        left.plot(path[:, 0], path[:, 1], "o-" if len(path) < 60 else "-", color=f"C{i}", ms=3, lw=1.2,
                  label=f"{name} ({len(path) - 1} it.)" if i < 2 else name)
        error = np.linalg.norm(path - 1.0, axis=1)
        right.semilogy(np.arange(len(path)), np.maximum(error, 1e-16), color=f"C{i}", lw=1.6, label=name)
    left.plot(1, 1, "*", color="black", ms=10)
    left.set_xlim(-1.6, 1.6)
    left.set_ylim(-0.6, 1.6)
    left.set_xlabel("$x_1$")
    left.set_ylabel("$x_2$")
    fig.legend(*left.get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize=9)
    right.set_xlim(0, 60)
    right.set_xlabel("iteration $k$")
    right.set_ylabel("$\\|x_k - x^*\\|_2$")
    return fig
