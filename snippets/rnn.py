"""Recurrent networks in numpy: the forward recursion and the Jacobians that backpropagation through time multiplies.

For ``h_t = tanh(W h_{t-1} + U x_t + b)`` the Jacobian of one step is
``diag(1 - h_t^2) W``, and ``dh_T/dh_t`` is the product of ``T - t`` of them. In
a linear RNN the product is ``W^{T-t}``, whose size is governed by the spectral
radius of ``W``; these functions compute both, and build matrices with a chosen
spectral radius for the experiments and the figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Seed = int | np.random.Generator | None


def rnn_step(W: ArrayLike, h: ArrayLike, c: ArrayLike) -> NDArray[np.float64]:
    """One step ``tanh(W h + c)``, with ``c = U x_t + b`` the input's contribution."""
    return np.tanh(np.asarray(W, dtype=np.float64) @ np.ravel(h) + np.ravel(c))


def rnn_states(W: ArrayLike, U: ArrayLike, xs: ArrayLike, h0: ArrayLike, b: ArrayLike | None = None,
               linear: bool = False) -> NDArray[np.float64]:
    """States ``h_0, h_1, ..., h_T`` (rows) of ``h_t = tanh(W h_{t-1} + U x_t + b)``; ``linear`` drops the tanh."""
    WW, UU = np.asarray(W, dtype=np.float64), np.asarray(U, dtype=np.float64)
    X = np.atleast_2d(np.asarray(xs, dtype=np.float64))
    bb = np.zeros(WW.shape[0]) if b is None else np.asarray(b, dtype=np.float64)
    states = [np.asarray(h0, dtype=np.float64)]
    for x in X:
        a = WW @ states[-1] + UU @ x + bb
        states.append(a if linear else np.tanh(a))
    return np.stack(states)


def final_state(W: ArrayLike, U: ArrayLike, xs: ArrayLike, h0: ArrayLike, linear: bool = False) -> NDArray[np.float64]:
    """``h_T`` as a function of the initial state ``h_0`` (for finite differences of ``dh_T/dh_0``)."""
    return rnn_states(W, U, xs, h0, linear=linear)[-1]


def step_jacobian(W: ArrayLike, h_next: ArrayLike) -> NDArray[np.float64]:
    """``dh_k/dh_{k-1} = diag(1 - h_k^2) W`` for a tanh step whose output is ``h_next``."""
    return (1.0 - np.asarray(h_next, dtype=np.float64) ** 2)[:, None] * np.asarray(W, dtype=np.float64)


def state_jacobian(W: ArrayLike, states: ArrayLike, t: int, T: int) -> NDArray[np.float64]:
    """``dh_T/dh_t`` of a tanh RNN: the product ``J_T J_{T-1} ... J_{t+1}`` of step Jacobians along ``states``."""
    S = np.asarray(states, dtype=np.float64)
    out = np.eye(S.shape[1])
    for k in range(t + 1, T + 1):
        out = step_jacobian(W, S[k]) @ out
    return out


def with_spectral_radius(n: int, rho: float, seed: Seed = None, symmetric: bool = False) -> NDArray[np.float64]:
    """A random Gaussian ``n x n`` matrix rescaled to spectral radius ``rho`` (symmetric if asked)."""
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((n, n)) / np.sqrt(n)
    if symmetric:
        M = (M + M.T) / 2
    return rho * M / np.max(np.abs(np.linalg.eigvals(M)))


def scaled_orthogonal(n: int, c: float, seed: Seed = None) -> NDArray[np.float64]:
    """``c Q`` for a random orthogonal ``Q``: every singular value and every eigenvalue modulus equals ``|c|``."""
    Q, R = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return c * Q * np.sign(np.diag(R))[None, :]


def spectral_radius(W: ArrayLike) -> float:
    """``rho(W) = max |lambda_i(W)|``."""
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(W, dtype=np.float64)))))


def power_norms(W: ArrayLike, steps: int) -> NDArray[np.float64]:
    """Spectral norms ``||W^n||_2`` for ``n = 0, ..., steps``: ``||dh_{t+n}/dh_t||`` of a linear RNN."""
    WW = np.asarray(W, dtype=np.float64)
    P = np.eye(WW.shape[0])
    norms = [1.0]
    for _ in range(steps):
        P = WW @ P
        norms.append(np.linalg.norm(P, 2))
    return np.asarray(norms)


def tanh_jacobian_norms(W: ArrayLike, U: ArrayLike, xs: ArrayLike, h0: ArrayLike) -> NDArray[np.float64]:
    """``||dh_T/dh_{T-n}||_2`` for ``n = 0, ..., T`` along one trajectory of a tanh RNN."""
    S = rnn_states(W, U, xs, h0)
    T = S.shape[0] - 1
    out = np.eye(S.shape[1])
    norms = [1.0]
    for k in range(T, 0, -1):  # accumulate J_T ... J_k, extending backwards
        out = out @ step_jacobian(W, S[k])
        norms.append(np.linalg.norm(out, 2))
    return np.asarray(norms)


# --- Figures ---------------------------------------------------------------------


def gradient_norm_vs_radius() -> Figure:
    """Left: ||W^n|| against n for spectral radius 0.9, 1.0, 1.1 (linear RNN) and a tanh RNN.
    Right: ||W^50||^(1/50) against rho(W) for random matrices, on the line y = rho."""
    from matplotlib.figure import Figure

    n = 32
    steps = 60
    fig = Figure(figsize=(8.4, 3.6))
    left, right = fig.subplots(1, 2)
    lags = np.arange(steps + 1)
    for colour, rho in zip(("C0", "C2", "C1"), (0.9, 1.0, 1.1)):
        W = with_spectral_radius(n, rho, seed=0, symmetric=True)
        left.semilogy(lags, power_norms(W, steps), color=colour, lw=2, label=f"linear, ρ = {rho}")
    rng = np.random.default_rng(1)
    W = with_spectral_radius(n, 1.1, seed=0, symmetric=True)
    xs = rng.standard_normal((steps, 4))
    U = rng.standard_normal((n, 4)) / 2
    left.semilogy(lags, tanh_jacobian_norms(W, U, xs, np.zeros(n)), "--", color="C3", lw=2, label="tanh, ρ = 1.1")
    left.set_xlabel("steps back $T - t$", fontsize=12)
    left.set_ylabel("$\\|\\partial h_T / \\partial h_t\\|_2$", fontsize=12)
    left.legend(fontsize=10)
    radii = np.linspace(0.5, 1.5, 21)
    growth = [power_norms(with_spectral_radius(n, r, seed=int(100 * r)), 50)[-1] ** (1 / 50) for r in radii]
    right.plot(radii, radii, color="C0", lw=1, label="$y = \\rho$")
    right.plot(radii, growth, "o", color="C1", label="random $W$, $n = 32$")
    right.axvline(1, color="C2", lw=0.8)
    right.set_xlabel("spectral radius $\\rho(W)$", fontsize=12)
    right.set_ylabel("$\\|W^{50}\\|_2^{1/50}$", fontsize=12)
    right.legend(fontsize=10)
    for ax in (left, right):
        ax.tick_params(labelsize=11)
    return fig
