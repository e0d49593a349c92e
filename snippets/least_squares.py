"""Least squares solved by iteration and by Bayes: gradient descent, its implicit bias, and ridge's other faces.

The derivations on gradient descent for least squares, the minimum-norm
solution, input noise as ridge, ridge as a Gaussian conditional expectation
and ridge as a MAP estimate are checked against these functions.

Conventions. The least-squares loss is the mean ``L(w) = ||X w - y||^2 / (2n)``
with ``X`` of shape ``(n, d)``; its gradient is ``X^T (X w - y) / n`` and its
Hessian ``H = X^T X / n``, so gradient descent is stable for
``0 < lr < 2 / lambda_max(H)``. Ridge uses the site's (and scikit-learn's)
sum convention ``||y - X w||^2 + lam ||w||^2`` (``snippets.regularization.ridge``).
Randomness is seeded so that every result is reproducible.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.regularization import ridge

Array = NDArray[np.float64]


def _f(a: ArrayLike) -> Array:
    return np.asarray(a, dtype=np.float64)


# --- Gradient descent on the least-squares loss -----------------------------------


def ls_loss(X: ArrayLike, y: ArrayLike, w: ArrayLike) -> float:
    """The mean squared-error loss ``||X w - y||^2 / (2n)``.

    >>> ls_loss([[1.0], [2.0]], [1.0, 0.0], [1.0])
    1.0
    """
    XX = _f(X)
    r = XX @ _f(w) - _f(y)
    return float(r @ r / (2 * XX.shape[0]))


def ls_gradient(X: ArrayLike, y: ArrayLike, w: ArrayLike) -> Array:
    """The gradient ``X^T (X w - y) / n`` of ``ls_loss``.

    >>> ls_gradient([[1.0], [2.0]], [1.0, 0.0], [1.0]).tolist()
    [2.0]
    """
    XX = _f(X)
    return XX.T @ (XX @ _f(w) - _f(y)) / XX.shape[0]


def hessian(X: ArrayLike) -> Array:
    """The Hessian ``X^T X / n`` of ``ls_loss`` (the same for every ``w``).

    >>> hessian([[1.0, 0.0], [1.0, 2.0]]).tolist()
    [[1.0, 1.0], [1.0, 2.0]]
    """
    XX = _f(X)
    return XX.T @ XX / XX.shape[0]


def step_size_limit(X: ArrayLike) -> float:
    """The largest stable step ``2 / lambda_max(X^T X / n)``, from the largest singular value of ``X``:
    ``lambda_max(X^T X / n) = s_max^2 / n``.

    >>> step_size_limit([[2.0, 0.0], [0.0, 1.0]])
    1.0
    """
    XX = _f(X)
    s_max = np.linalg.norm(XX, 2)
    return float(2 * XX.shape[0] / s_max**2)


def contraction_factors(X: ArrayLike, lr: float) -> Array:
    """The factors ``1 - lr * lambda_i`` by which gradient descent multiplies the error along each
    eigenvector of ``H = X^T X / n`` (eigenvalues ascending, as ``numpy.linalg.eigvalsh``).

    >>> contraction_factors([[2.0, 0.0], [0.0, 1.0]], 0.5).tolist()
    [0.75, 0.0]
    """
    return 1.0 - lr * np.linalg.eigvalsh(hessian(X))


def optimal_step(X: ArrayLike) -> float:
    """The fixed step minimising the worst contraction, ``2 / (lambda_max + lambda_min)`` of ``H``.

    >>> optimal_step([[2.0, 0.0], [0.0, 1.0]])
    0.8
    """
    values = np.linalg.eigvalsh(hessian(X))
    return float(2.0 / (values[-1] + values[0]))


def gd_least_squares(X: ArrayLike, y: ArrayLike, lr: float, steps: int, w0: ArrayLike | None = None) -> Array:
    """Gradient descent on ``ls_loss``: the iterates ``w_0, ..., w_steps``, shape ``(steps + 1, d)``.

    ``w0`` defaults to zeros.

    >>> gd_least_squares([[1.0]], [2.0], lr=0.5, steps=2).ravel().tolist()
    [0.0, 1.0, 1.5]
    """
    XX, yy = _f(X), _f(y)
    n, d = XX.shape
    w = np.zeros(d) if w0 is None else _f(w0).copy()
    # X^T X / n and X^T y / n once, so each step is one d x d product
    H, b = XX.T @ XX / n, XX.T @ yy / n
    path = np.empty((steps + 1, d))
    path[0] = w
    for t in range(steps):
        w = w - lr * (H @ w - b)
        path[t + 1] = w
    return path


def gd_losses(X: ArrayLike, y: ArrayLike, lr: float, steps: int, w0: ArrayLike | None = None) -> Array:
    """``ls_loss`` at every gradient-descent iterate, shape ``(steps + 1,)``.

    >>> gd_losses([[1.0]], [2.0], lr=0.5, steps=2).tolist()
    [2.0, 0.5, 0.125]
    """
    path = gd_least_squares(X, y, lr, steps, w0)
    r = path @ _f(X).T - _f(y)[None, :]
    return np.sum(r**2, axis=1) / (2 * _f(X).shape[0])


def gd_closed_form(X: ArrayLike, y: ArrayLike, lr: float, t: int, w0: ArrayLike | None = None) -> Array:
    """The gradient-descent iterate ``w_t`` without iterating, from the eigendecomposition ``H = Q diag(lam) Q^T``:
    ``w_t = w_star + Q diag((1 - lr lam)^t) Q^T (w_0 - w_star)`` on the row space, where ``w_star`` is the
    minimum-norm least-squares solution; the null-space part of ``w_0`` never moves.

    >>> gd_closed_form([[1.0]], [2.0], lr=0.5, t=2).tolist()
    [1.5]
    """
    XX = _f(X)
    d = XX.shape[1]
    w_init = np.zeros(d) if w0 is None else _f(w0)
    w_star = pseudoinverse(XX) @ _f(y)
    lam, Q = np.linalg.eigh(hessian(XX))
    # eigenvalues at round-off level belong to the null space of X: exactly 0, factor exactly 1,
    # so those directions keep w_0's component however large t is
    lam[lam <= max(XX.shape) * np.finfo(np.float64).eps * max(lam[-1], 0.0)] = 0.0
    factors = (1.0 - lr * lam) ** t
    return w_star + Q @ (factors * (Q.T @ (w_init - w_star)))


def sgd_least_squares(X: ArrayLike, y: ArrayLike, lr: float, steps: int, w0: ArrayLike | None = None,
                      rng: int | np.random.Generator = 0) -> Array:
    """Single-sample SGD on ``ls_loss``: each step picks a row ``i`` uniformly and steps along
    ``x_i (x_i^T w - y_i)``, the gradient of ``(x_i^T w - y_i)^2 / 2``. Returns the iterates, shape ``(steps + 1, d)``.

    >>> sgd_least_squares([[1.0]], [2.0], lr=0.5, steps=2).ravel().tolist()
    [0.0, 1.0, 1.5]
    """
    XX, yy = _f(X), _f(y)
    n, d = XX.shape
    rows = np.random.default_rng(rng).integers(0, n, size=steps)
    w = np.zeros(d) if w0 is None else _f(w0).copy()
    path = np.empty((steps + 1, d))
    path[0] = w
    for t, i in enumerate(rows):
        w = w - lr * XX[i] * (XX[i] @ w - yy[i])
        path[t + 1] = w
    return path


# --- Pseudoinverse and the minimum-norm solution ----------------------------------


def pseudoinverse(A: ArrayLike, rtol: float | None = None) -> Array:
    """The Moore-Penrose pseudoinverse ``V diag(1/s) U^T`` from the thin SVD ``A = U diag(s) V^T``.

    Singular values at or below ``rtol * s_max`` count as zero (their reciprocal is set to 0, not
    inverted); ``rtol`` defaults to ``max(m, n) * eps``, as in ``scipy.linalg.pinv`` (``numpy.linalg.pinv``
    defaults to ``rcond=1e-15``; the two agree except for singular values between the two cutoffs).

    >>> pseudoinverse([[1.0, 0.0], [0.0, 0.0]]).tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    >>> pseudoinverse([[1.0, 1.0]]).round(12).tolist()
    [[0.5], [0.5]]
    """
    AA = _f(A)
    if AA.size == 0:
        return np.zeros(AA.shape[::-1])
    U, s, Vt = np.linalg.svd(AA, full_matrices=False)
    cutoff = (max(AA.shape) * np.finfo(np.float64).eps if rtol is None else rtol) * (s[0] if s.size else 0.0)
    inverse = np.zeros_like(s)
    keep = s > cutoff
    inverse[keep] = 1.0 / s[keep]
    return (Vt.T * inverse) @ U.T


def min_norm_solution(X: ArrayLike, y: ArrayLike) -> Array:
    """The minimum-norm interpolant ``X^T (X X^T)^{-1} y`` of a wide ``X`` with full row rank,
    solved as a linear system (equal to ``pinv(X) @ y`` there).

    >>> min_norm_solution([[1.0, 1.0]], [2.0]).tolist()
    [1.0, 1.0]
    """
    XX = _f(X)
    return XX.T @ np.linalg.solve(XX @ XX.T, _f(y))


def null_space_projector(X: ArrayLike) -> Array:
    """``I - X^+ X``, the orthogonal projector onto the null space of ``X`` (what gradients never change).

    >>> null_space_projector([[1.0, 1.0]]).round(12).tolist()
    [[0.5, -0.5], [-0.5, 0.5]]
    """
    XX = _f(X)
    return np.eye(XX.shape[1]) - pseudoinverse(XX) @ XX


def wide_problem(n: int = 20, d: int = 50, seed: int = 0) -> tuple[Array, Array]:
    """A seeded over-parameterised problem: standard-normal ``X`` of shape ``(n, d)`` and ``y`` (``n < d``:
    infinitely many interpolants).

    >>> X, y = wide_problem(3, 5)
    >>> X.shape, y.shape
    ((3, 5), (3,))
    """
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.standard_normal(n)


# --- Input noise and ridge ---------------------------------------------------------


def noisy_losses(X: ArrayLike, y: ArrayLike, w: ArrayLike, sigma: float, samples: int,
                 rng: int | np.random.Generator = 0) -> Array:
    """``||(X + N) w - y||^2`` for ``samples`` independent noise matrices ``N`` with iid ``N(0, sigma^2)`` entries.

    Only ``N w`` enters the loss, and for iid entries ``N w`` has iid ``N(0, sigma^2 ||w||^2)`` entries,
    but this draws the full matrices (in chunks) so that it tests the claim rather than assume it.

    >>> noisy_losses([[1.0]], [1.0], [1.0], 0.0, 3).tolist()
    [0.0, 0.0, 0.0]
    """
    XX, yy, ww = _f(X), _f(y), _f(w)
    gen = np.random.default_rng(rng)
    out = np.empty(samples)
    chunk = max(1, 2_000_000 // max(1, XX.size))
    for start in range(0, samples, chunk):
        k = min(chunk, samples - start)
        N = sigma * gen.standard_normal((k,) + XX.shape)
        r = (XX[None] + N) @ ww - yy[None, :]
        out[start:start + k] = np.sum(r**2, axis=1)
    return out


def noise_trained_solution(X: ArrayLike, y: ArrayLike, sigma: float, copies: int,
                           rng: int | np.random.Generator = 0) -> Array:
    """Least squares on ``copies`` noisy copies of the data stacked together: the minimiser of
    ``sum_k ||(X + N_k) w - y||^2``, which tends to ridge with ``lam = n sigma^2`` as ``copies`` grows.

    >>> noise_trained_solution([[1.0], [2.0]], [1.0, 2.0], 0.0, 2).round(12).tolist()
    [1.0]
    """
    XX, yy = _f(X), _f(y)
    gen = np.random.default_rng(rng)
    noisy = XX[None] + sigma * gen.standard_normal((copies,) + XX.shape)
    A = np.einsum("kni,knj->ij", noisy, noisy)
    b = np.einsum("kni,n->i", noisy, yy)
    return np.linalg.solve(A, b)


def noisy_sgd_scalar(x: float, y: float, sigma: float, lr: float, steps: int,
                     rng: int | np.random.Generator = 0, w0: float = 0.0) -> Array:
    """SGD on one example ``(x, y)`` whose input gets fresh noise at every step: ``x_t = x + sigma z_t``,
    ``w_{t+1} = w_t - 2 lr x_t (x_t w_t - y)`` (the gradient of ``(x_t w - y)^2``). Returns ``w_0, ..., w_steps``.

    >>> noisy_sgd_scalar(1.0, 2.0, 0.0, 0.25, 2).tolist()
    [0.0, 1.0, 1.5]
    """
    xs = x + sigma * np.random.default_rng(rng).standard_normal(steps)
    path = np.empty(steps + 1)
    path[0] = w = w0
    for t, xt in enumerate(xs):
        w = w - 2 * lr * xt * (xt * w - y)
        path[t + 1] = w
    return path


def noisy_sgd_step_draws(x: float, y: float, sigma: float, lr: float, samples: int, seed: int = 0) -> Array:
    """Pairs ``(w_t, w_{t+1})`` for one step of ``noisy_sgd_scalar`` from ``samples`` independent runs, with
    ``w_t`` drawn from ``N(0.5, 0.3^2)`` (any distribution independent of the step's noise would do):
    shape ``(samples, 2)``.

    >>> noisy_sgd_step_draws(1.0, 2.0, 0.0, 0.25, 3).shape
    (3, 2)
    """
    gen = np.random.default_rng(seed)
    w_t = 0.5 + 0.3 * gen.standard_normal(samples)
    x_t = x + sigma * gen.standard_normal(samples)
    return np.stack([w_t, w_t - 2 * lr * x_t * (x_t * w_t - y)], axis=-1)


# --- Ridge as a posterior: conditional expectation and MAP ------------------------


def sample_weights_and_targets(X: ArrayLike, noise_var: float, samples: int, seed: int = 0,
                               prior_var: float = 1.0) -> tuple[Array, Array]:
    """Draws of the linear-Gaussian model ``W ~ N(0, prior_var I_d)``, ``Y = X W + sqrt(noise_var) N``:
    arrays ``W`` of shape ``(samples, d)`` and ``Y`` of shape ``(samples, n)``.

    >>> W, Y = sample_weights_and_targets([[1.0, 0.0]], 0.0, 4)
    >>> bool(np.allclose(Y[:, 0], W[:, 0]))
    True
    """
    XX = _f(X)
    gen = np.random.default_rng(seed)
    W = np.sqrt(prior_var) * gen.standard_normal((samples, XX.shape[1]))
    Y = W @ XX.T + np.sqrt(noise_var) * gen.standard_normal((samples, XX.shape[0]))
    return W, Y


def conditional_mean_by_conditioning(X: ArrayLike, y: ArrayLike, noise_var: float, prior_var: float = 1.0) -> Array:
    """``E[W | Y = y]`` by conditioning the joint Gaussian of ``(Y, W)`` directly, with its covariance blocks
    ``Cov(Y) = prior_var X X^T + noise_var I``, ``Cov(Y, W) = prior_var X`` and ``Cov(W) = prior_var I``
    (``snippets.gaussian_processes.gaussian_conditional``).

    >>> conditional_mean_by_conditioning([[1.0]], [2.0], 1.0).round(12).tolist()
    [1.0]
    """
    from snippets.gaussian_processes import gaussian_conditional

    XX = _f(X)
    n, d = XX.shape
    S_yy = prior_var * XX @ XX.T + noise_var * np.eye(n)
    S_yw = prior_var * XX
    mean, _ = gaussian_conditional(np.zeros(n), np.zeros(d), S_yy, S_yw, prior_var * np.eye(d), y)
    return mean


def regression_coefficients(W: ArrayLike, Y: ArrayLike) -> Array:
    """The matrix ``A`` of the least-squares regression of samples of ``W`` on samples of ``Y`` (no intercept):
    the empirical best linear estimator ``W ~ A Y``, shape ``(d, n)``.

    >>> regression_coefficients([[2.0], [4.0]], [[1.0], [2.0]]).tolist()
    [[2.0]]
    """
    return np.linalg.lstsq(_f(Y), _f(W), rcond=None)[0].T


def empirical_covariances(X: ArrayLike, noise_var: float, samples: int, seed: int = 0) -> tuple[Array, Array]:
    """Monte Carlo estimates of ``Sigma_WY = E[W Y^T]`` (shape ``(d, n)``) and ``Sigma_YY = E[Y Y^T]`` (``(n, n)``)
    from ``samples`` draws of ``sample_weights_and_targets`` (both means are zero, so no centring).

    >>> S_wy, S_yy = empirical_covariances([[1.0]], 0.0, 4)
    >>> bool(np.allclose(S_wy, S_yy))
    True
    """
    W, Y = sample_weights_and_targets(X, noise_var, samples, seed)
    return W.T @ Y / samples, Y.T @ Y / samples


def residual_cross_moment(X: ArrayLike, noise_var: float, A: ArrayLike, samples: int, seed: int = 0) -> Array:
    """Monte Carlo estimate of ``E[(W - A Y) Y^T]`` (shape ``(d, n)``) for the estimator ``A Y`` in the model of
    ``sample_weights_and_targets``: zero exactly for the best linear estimator (the orthogonality principle).

    >>> residual_cross_moment([[1.0]], 0.0, [[1.0]], 5).tolist()
    [[0.0]]
    """
    W, Y = sample_weights_and_targets(X, noise_var, samples, seed)
    return (W - Y @ _f(A).T).T @ Y / samples


def log_posterior(X: ArrayLike, y: ArrayLike, w: ArrayLike, noise_var: float, prior_var: float) -> float:
    """``log p(w | y)`` for the prior ``w ~ N(0, prior_var I)`` and likelihood ``y | w ~ N(X w, noise_var I)``,
    by Bayes' theorem with every density normalised: log prior + log likelihood - log evidence, the evidence
    being ``y ~ N(0, prior_var X X^T + noise_var I)`` (``scipy.stats.multivariate_normal``).

    >>> round(log_posterior([[1.0]], [0.0], [0.0], 1.0, 1.0), 6)   # posterior N(0, 1/2) at its mean: -log(pi) / 2
    -0.572365
    """
    from scipy.stats import multivariate_normal

    XX, yy, ww = _f(X), _f(y), _f(w)
    n, d = XX.shape
    prior = multivariate_normal(np.zeros(d), prior_var * np.eye(d)).logpdf(ww)
    likelihood = multivariate_normal(XX @ ww, noise_var * np.eye(n)).logpdf(yy)
    evidence = multivariate_normal(np.zeros(n), prior_var * XX @ XX.T + noise_var * np.eye(n)).logpdf(yy)
    return float(prior + likelihood - evidence)


def map_estimate(X: ArrayLike, y: ArrayLike, noise_var: float, prior_var: float) -> Array:
    """The MAP weights, found numerically, not from the closed form: L-BFGS from zero on the negative log
    posterior up to its constant, ``||y - X w||^2 / (2 noise_var) + ||w||^2 / (2 prior_var)``, with its gradient
    ``X^T (X w - y) / noise_var + w / prior_var``.

    >>> map_estimate([[1.0]], [2.0], 1.0, 1.0).round(6).tolist()
    [1.0]
    """
    from scipy.optimize import minimize

    XX, yy = _f(X), _f(y)

    def objective(w: Array) -> tuple[float, Array]:
        r = yy - XX @ w
        grad = -(XX.T @ r) / noise_var + w / prior_var
        return float(r @ r / (2 * noise_var) + w @ w / (2 * prior_var)), grad

    result = minimize(objective, np.zeros(XX.shape[1]), jac=True, method="L-BFGS-B",
                      options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000})
    return result.x


def posterior_moments(X: ArrayLike, y: ArrayLike, noise_var: float, prior_var: float) -> tuple[Array, Array]:
    """Posterior mean and covariance of ``w`` in Bayesian linear regression:
    ``S = (X^T X / noise_var + I / prior_var)^{-1}`` and ``m = S X^T y / noise_var``.

    >>> m, S = posterior_moments([[1.0]], [2.0], 1.0, 1.0)
    >>> m.tolist(), S.tolist()
    ([1.0], [[0.5]])
    """
    XX, yy = _f(X), _f(y)
    precision = XX.T @ XX / noise_var + np.eye(XX.shape[1]) / prior_var
    S = np.linalg.inv(precision)
    return S @ XX.T @ yy / noise_var, (S + S.T) / 2


def ridge_map(X: ArrayLike, y: ArrayLike, noise_var: float, prior_var: float) -> Array:
    """Ridge with ``lam = noise_var / prior_var`` (``snippets.regularization.ridge``), the closed-form MAP.

    >>> ridge_map([[1.0]], [2.0], 1.0, 1.0).tolist()
    [1.0]
    """
    return ridge(X, y, noise_var / prior_var)


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:least_squares.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def step_size_problem() -> tuple[Array, Array]:
    """The seeded 40 x 5 problem of the step-size figure (columns scaled 2, 1.5, 1.2, 1, 0.8, so that
    ``H = X^T X / n`` has condition number of about 10).

    >>> X, y = step_size_problem()
    >>> X.shape
    (40, 5)
    """
    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 5)) * np.array([2.0, 1.5, 1.2, 1.0, 0.8])
    y = X @ rng.standard_normal(5) + 0.5 * rng.standard_normal(40)
    return X, y


def gd_step_sizes() -> Figure:
    """Left: excess loss of gradient descent for steps at fractions 0.5, 0.9, 1 and 1.03 of the
    limit 2 / lambda_max. Right: the contraction |1 - lr lambda| of the two extreme eigen-directions
    and their maximum, against the step."""
    from matplotlib.figure import Figure

    X, y = step_size_problem()
    limit = step_size_limit(X)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    best = ls_loss(X, y, w_star)
    w0 = np.zeros(X.shape[1])
    fig = Figure(figsize=(7.2, 3.6))
    left, right = fig.subplots(1, 2)
    for i, frac in enumerate((0.5, 0.9, 1.0, 1.03)):
        excess = gd_losses(X, y, frac * limit, 80, w0) - best
        left.semilogy(np.maximum(excess, 1e-16), color=f"C{i}", label=f"$\\eta = {frac:g}\\,\\eta_{{\\max}}$")
    left.set_xlabel("step $t$")
    left.set_ylabel("$L(w_t) - L(w^*)$")
    left.set_ylim(1e-8, 1e4)
    left.set_title("loss curves")
    left.legend(fontsize=9, loc="lower left")
    lam = np.linalg.eigvalsh(hessian(X))
    eta = np.linspace(0.0, 1.2 * limit, 400)
    lo, hi = np.abs(1 - eta * lam[0]), np.abs(1 - eta * lam[-1])
    right.plot(eta / limit, lo, color="C2", lw=1.2, ls="--", label="$|1 - \\eta\\lambda_{\\min}|$")
    right.plot(eta / limit, hi, color="C1", lw=1.2, ls="--", label="$|1 - \\eta\\lambda_{\\max}|$")
    right.plot(eta / limit, np.maximum(lo, hi), color="C0", lw=2.2, label="worst factor $\\rho(\\eta)$")
    right.axhline(1.0, color="C3", lw=1.0, ls=":")
    right.axvline(1.0, color="C3", lw=1.0, ls=":")
    opt = optimal_step(X) / limit
    right.plot([opt], [1 - optimal_step(X) * lam[0]], "o", color="C0")
    right.set_xlabel("step $\\eta / \\eta_{\\max}$")
    right.set_ylabel("factor per step")
    right.set_ylim(0, 1.3)
    right.set_title("contraction per eigen-direction")
    right.legend(fontsize=9, loc="lower left")
    return fig


def min_norm_interpolants() -> Figure:
    """The line of interpolants ``x^T w = y`` in the plane, gradient-descent paths from zero (to the foot
    of the perpendicular, the minimum-norm point) and from another start (to a different point), and the
    circle of the minimum norm."""
    from matplotlib.figure import Figure

    x = np.array([[1.0, 2.0]])
    y = np.array([2.0])
    w_min = pseudoinverse(x) @ y
    fig = Figure(figsize=(5.6, 4.6))
    ax = fig.subplots()
    t = np.linspace(-3, 4, 2)
    direction = np.array([2.0, -1.0]) / np.sqrt(5)
    line = w_min[None, :] + t[:, None] * direction[None, :]
    ax.plot(line[:, 0], line[:, 1], color="C5", lw=2.0, label="interpolants $x^\\top w = y$")
    angle = np.linspace(0, 2 * np.pi, 300)
    r = np.linalg.norm(w_min)
    ax.plot(r * np.cos(angle), r * np.sin(angle), color="C4", lw=1.0, ls="--", label="circle $\\|w\\| = \\|X^{\\dagger} y\\|$")
    for colour, start, name in (("C0", np.zeros(2), "from $w_0 = 0$"), ("C1", np.array([-1.5, -2.0]), "from $w_0 \\neq 0$")):
        path = gd_least_squares(x, y, 0.08, 40, start)
        ax.plot(path[:, 0], path[:, 1], "o-", ms=3, lw=1.0, color=colour, label=f"gradient descent {name}")
        ax.plot(*path[-1], "s", color=colour, ms=7)
    ax.plot(*w_min, "*", color="black", ms=12, label="$X^{\\dagger} y$ (minimum norm)")
    ax.axline((0, 0), (1.0, 2.0), color="C3", lw=0.8, ls=":", label="row space of $X$")
    ax.set_xlim(-2.4, 2.6)
    ax.set_ylim(-2.4, 2.2)
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.legend(fontsize=8.5, loc="lower right", framealpha=0.9)
    return fig


def noise_ridge_path() -> Figure:
    """The ridge path ``w(lam)`` of a seeded 30 x 3 problem, with least squares on 400 noisy copies of the
    inputs at sigma = 0.1, 0.3, 0.6, 1 plotted at ``lam = n sigma^2``: the markers sit on the path."""
    from matplotlib.figure import Figure

    rng = np.random.default_rng(2)
    X = rng.standard_normal((30, 3))
    y = X @ np.array([1.5, -1.0, 0.5]) + 0.3 * rng.standard_normal(30)
    n = X.shape[0]
    lams = np.geomspace(0.1, 300, 200)
    path = np.array([ridge(X, y, lam) for lam in lams])
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.subplots()
    for j in range(3):
        ax.semilogx(lams, path[:, j], color=f"C{j}", label=f"ridge $\\hat w_{j + 1}(\\lambda)$")
    for k, sigma in enumerate((0.1, 0.3, 0.6, 1.0)):
        w = noise_trained_solution(X, y, sigma, 400, rng=10 + k)
        ax.plot([n * sigma**2] * 3, w, "o", color="black", mfc="none", ms=7,
                label="least squares on noisy inputs" if k == 0 else None)
        ax.annotate(f"$\\sigma = {sigma:g}$", (n * sigma**2, w.max()), xytext=(0, 8), textcoords="offset points",
                    ha="center", fontsize=9)
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xlabel("$\\lambda$ (markers at $\\lambda = n\\sigma^2$, $n = 30$)")
    ax.set_ylabel("coefficient")
    ax.legend(fontsize=9, loc="center left", bbox_to_anchor=(0.01, 0.3))
    return fig


def conditional_mean_scatter() -> Figure:
    """Scalar model ``W ~ N(0, 1)``, ``Y = x W + sqrt(lam) N`` with ``x = 1``, ``lam = 0.5``: samples of
    ``(Y, W)``, the averages of ``W`` in bins of ``Y``, the conditional mean ``x y / (x^2 + lam)`` (ridge),
    and the unregularised inverse ``y / x`` for contrast."""
    from matplotlib.figure import Figure

    x, lam = 1.0, 0.5
    W, Y = sample_weights_and_targets([[x]], lam, 20_000, seed=3)
    w, yv = W[:, 0], Y[:, 0]
    fig = Figure(figsize=(6.0, 4.0))
    ax = fig.subplots()
    ax.plot(yv[:2000], w[:2000], ".", color="C5", ms=2.5, alpha=0.5, label="samples $(y, w)$")
    edges = np.linspace(-3, 3, 13)
    centres = (edges[:-1] + edges[1:]) / 2
    which = np.digitize(yv, edges) - 1
    means = np.array([w[which == k].mean() for k in range(len(centres))])
    ax.plot(centres, means, "s", color="C0", ms=6, label="average of $w$ in each bin of $y$")
    grid = np.linspace(-3.5, 3.5, 2)
    ax.plot(grid, x * grid / (x**2 + lam), color="C1", lw=2.0, label="ridge: $x y / (x^2 + \\lambda)$")
    ax.plot(grid, grid / x, color="C3", lw=1.2, ls="--", label="no shrinkage: $y / x$")
    ax.set_xlim(-3.5, 3.5)
    ax.set_ylim(-3.5, 3.5)
    ax.set_xlabel("observed $y$")
    ax.set_ylabel("weight $w$")
    ax.legend(fontsize=9, loc="upper left")
    return fig


def map_densities() -> Figure:
    """One weight, one observation (x = 1, y = 2): prior N(0, tau^2 = 1), likelihood with noise variance
    sigma^2 = 0.5 (as a function of w) and the posterior; the MAP, the posterior mean and ridge coincide."""
    from matplotlib.figure import Figure
    from scipy.stats import norm

    x, y, noise_var, prior_var = 1.0, 2.0, 0.5, 1.0
    w = np.linspace(-3, 4, 600)
    prior = norm.pdf(w, 0, np.sqrt(prior_var))
    like = norm.pdf(y, x * w, np.sqrt(noise_var))
    like = like / np.trapezoid(like, w)  # scaled to unit area, to share the axis
    post = np.exp([log_posterior([[x]], [y], [v], noise_var, prior_var) for v in w])
    w_map = map_estimate([[x]], [y], noise_var, prior_var)[0]
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.subplots()
    ax.plot(w, prior, color="C0", label="prior $\\mathcal{N}(0, \\tau^2)$")
    ax.plot(w, like, color="C2", ls="--", label="likelihood (rescaled)")
    ax.plot(w, post, color="C1", lw=2.4, label="posterior")
    ax.axvline(w_map, color="C3", lw=1.0, ls=":")
    ax.annotate(f"MAP = mean = ridge\n$w = {w_map:.3f}$", (w_map, post.max()), xytext=(2.45, 0.6),
                fontsize=9.5, color="C3", arrowprops=dict(arrowstyle="->", color="C3", lw=0.8))
    ax.set_xlabel("$w$")
    ax.set_ylabel("density")
    ax.legend(fontsize=9, loc="upper left")
    return fig


def gd_quadratic_paths() -> Figure:
    """Gradient descent on the quadratic ``(w_1^2 + 10 w_2^2) / 2`` for a small step, a step near the
    optimum and a step just past ``2 / lambda_max = 0.2``: slow, fast, and diverging by zig-zag."""
    from matplotlib.figure import Figure

    A = np.diag([1.0, 10.0])
    w0 = np.array([-2.8, 0.9])
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.subplots()
    g1, g2 = np.meshgrid(np.linspace(-3.2, 3.2, 200), np.linspace(-1.8, 1.8, 200))
    ax.contour(g1, g2, 0.5 * (g1**2 + 10 * g2**2), levels=[0.1, 0.4, 1, 2, 4, 6, 9], colors="C5", linewidths=0.7)
    for i, (lr, steps) in enumerate(((0.02, 40), (0.18, 15), (0.205, 12))):
        path = w0.copy()[None]
        for _ in range(steps):
            path = np.vstack([path, path[-1] - lr * (A @ path[-1])])
        ax.plot(path[:, 0], path[:, 1], "o-", ms=3, lw=1.0, color=f"C{i}", label=f"$\\eta = {lr:g}$")
    ax.plot(0, 0, "*", color="black", ms=11)
    ax.set_xlim(-3.2, 3.2)
    ax.set_ylim(-1.8, 1.8)
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.legend(fontsize=9, loc="lower right", title="limit $2/\\lambda_{\\max} = 0.2$", title_fontsize=9)
    return fig

