"""Discrete linear state-space models: the recurrence, its convolution kernel, and fast ways to get both.

Single input, single output throughout: the state is ``x_k`` in ``R^n``, the
input ``u`` and output ``y`` are length-``L`` sequences, ``A`` is ``(n, n)``,
``B`` and ``C`` are length-``n`` vectors and ``D`` a number. The convention is
``x_k = A x_{k-1} + B u_k`` with ``x_{-1} = 0`` and ``y_k = C x_k + D u_k``
(the matrices are the already discretised ``A-bar`` and ``B-bar`` of the pages).
Indices are 0-based, as on the pages.

Costs are counted, not timed: ``recurrence_cost`` and ``fft_convolution_cost``
count multiplications and sequential steps under a stated model, so that the
figures are the same on every machine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Array = NDArray[np.float64]


def _vectors(A: ArrayLike, B: ArrayLike, C: ArrayLike) -> tuple[Array, Array, Array]:
    A = np.atleast_2d(np.asarray(A, dtype=np.float64))
    return A, np.ravel(np.asarray(B, dtype=np.float64)), np.ravel(np.asarray(C, dtype=np.float64))


def ssm_states(A: ArrayLike, B: ArrayLike, u: ArrayLike) -> Array:
    """The states ``x_0, ..., x_{L-1}`` of ``x_k = A x_{k-1} + B u_k`` from ``x_{-1} = 0``, shape ``(L, n)``.

    >>> ssm_states([[0.5]], [1.0], [1.0, 0.0, 0.0])
    array([[1.  ],
           [0.5 ],
           [0.25]])
    """
    A, B, _ = _vectors(A, B, np.zeros(1))
    u = np.ravel(np.asarray(u, dtype=np.float64))
    states = np.zeros((u.size, A.shape[0]))
    x = np.zeros(A.shape[0])
    for k, value in enumerate(u):  # sequential by nature: each state needs the previous one
        x = A @ x + B * value
        states[k] = x
    return states


def ssm_recurrence(A: ArrayLike, B: ArrayLike, C: ArrayLike, u: ArrayLike, D: float = 0.0) -> Array:
    """The outputs ``y_k = C x_k + D u_k`` of the recurrence, length ``L``.

    >>> ssm_recurrence([[0.5]], [1.0], [2.0], [1.0, 0.0, 0.0, 1.0])
    array([2.  , 1.  , 0.5 , 2.25])
    """
    _, _, C = _vectors(A, B, C)
    u = np.ravel(np.asarray(u, dtype=np.float64))
    return ssm_states(A, B, u) @ C + D * u


def ssm_kernel(A: ArrayLike, B: ArrayLike, C: ArrayLike, L: int) -> Array:
    """The kernel ``K_l = C A^l B`` for ``l = 0, ..., L-1``, by ``L`` matrix-vector products.

    >>> ssm_kernel([[0.5]], [1.0], [2.0], 4)
    array([2.  , 1.  , 0.5 , 0.25])
    """
    A, B, C = _vectors(A, B, C)
    kernel = np.zeros(L)
    v = B.copy()
    for ell in range(L):
        kernel[ell] = C @ v
        v = A @ v
    return kernel


def causal_convolution(K: ArrayLike, u: ArrayLike) -> Array:
    """``y_k = sum_{l=0}^{k} K_l u_{k-l}`` for ``k < L``, computed directly (``O(L^2)``).

    >>> causal_convolution([2.0, 1.0, 0.5, 0.25], [1.0, 0.0, 0.0, 1.0])
    array([2.  , 1.  , 0.5 , 2.25])
    """
    K = np.ravel(np.asarray(K, dtype=np.float64))
    u = np.ravel(np.asarray(u, dtype=np.float64))
    L = u.size
    return np.array([K[: k + 1] @ u[k::-1] for k in range(L)])


def fft_size(L: int) -> int:
    """The smallest power of two ``N >= 2L - 1``: long enough that circular convolution of two
    zero-padded length-``L`` sequences has no wrap-around in its first ``L`` entries.

    >>> fft_size(1), fft_size(3), fft_size(4)
    (1, 8, 8)
    """
    return 1 << max(0, int(np.ceil(np.log2(max(1, 2 * L - 1)))))


def fft_convolution(K: ArrayLike, u: ArrayLike) -> Array:
    """The causal convolution of ``causal_convolution``, through the FFT: zero-pad both to ``N``,
    multiply the transforms, transform back and keep the first ``L`` entries (``O(L log L)``).

    >>> fft_convolution([2.0, 1.0, 0.5, 0.25], [1.0, 0.0, 0.0, 1.0]).round(12)
    array([2.  , 1.  , 0.5 , 2.25])
    """
    K = np.ravel(np.asarray(K, dtype=np.float64))
    u = np.ravel(np.asarray(u, dtype=np.float64))
    L = u.size
    N = fft_size(L)
    spectrum = np.fft.rfft(K[:L], N) * np.fft.rfft(u, N)
    return np.fft.irfft(spectrum, N)[:L]


def matrix_power_by_squaring(A: ArrayLike, L: int) -> tuple[Array, int]:
    """``A^L`` by repeated squaring, and the number of matrix products it used:
    ``floor(log2 L) + popcount(L) - 1`` for ``L >= 1`` (``0`` for ``L = 0`` and ``L = 1``).

    >>> P, products = matrix_power_by_squaring([[2.0]], 10)
    >>> P, products
    (array([[1024.]]), 4)
    """
    A = np.atleast_2d(np.asarray(A, dtype=np.float64))
    result: Array | None = None
    square = A.copy()
    products = 0
    remaining = int(L)
    while remaining:
        if remaining & 1:
            if result is None:
                result = square.copy()
            else:
                result = result @ square
                products += 1
        remaining >>= 1
        if remaining:
            square = square @ square
            products += 1
    return (np.eye(A.shape[0]) if result is None else result), products


def kernel_by_doubling(A: ArrayLike, B: ArrayLike, C: ArrayLike, L: int) -> tuple[Array, int]:
    """The kernel of ``ssm_kernel`` from ``ceil(log2 L)`` doubling rounds: with ``V_m = (B, AB, ...,
    A^{m-1} B)`` and ``P = A^m``, one round sets ``V_{2m} = (V_m, P V_m)`` and ``P = P^2``. Each round is
    one wide matrix product (every column at once), so the rounds, not the length, set the depth.
    Returns the kernel and the number of rounds.

    >>> K, rounds = kernel_by_doubling([[0.5]], [1.0], [2.0], 5)
    >>> K, rounds
    (array([2.   , 1.   , 0.5  , 0.25 , 0.125]), 3)
    """
    A, B, C = _vectors(A, B, C)
    V = B[:, None]
    power = A.copy()
    rounds = 0
    while V.shape[1] < L:
        V = np.hstack([V, power @ V])
        power = power @ power
        rounds += 1
    return C @ V[:, :L], rounds


def kernel_diagonal(a: ArrayLike, B: ArrayLike, C: ArrayLike, L: int) -> Array:
    """The kernel for a diagonal ``A = diag(a)``: ``K_l = sum_i C_i B_i a_i^l``, a product of the
    weights ``C * B`` with the Vandermonde matrix ``V[i, l] = a_i^l``. Works for complex ``a`` too
    (the result is then complex).

    >>> kernel_diagonal([0.5, -1.0], [1.0, 1.0], [2.0, 1.0], 3)
    array([3. , 0. , 1.5])
    """
    a = np.ravel(np.asarray(a))
    weights = np.ravel(np.asarray(C)) * np.ravel(np.asarray(B))
    vandermonde = np.vander(a, L, increasing=True)
    result = weights @ vandermonde
    return result.real if not np.iscomplexobj(result) else result


def identity_plus_rank_one_power(p: ArrayLike, L: int) -> Array:
    """``(I + p p^T)^L`` in closed form, ``I + ((1 + |p|^2)^L - 1) / |p|^2 p p^T`` (``I`` when ``p = 0``),
    with a single scalar power instead of matrix products.

    >>> identity_plus_rank_one_power([1.0, 0.0], 3)
    array([[8., 0.],
           [0., 1.]])
    """
    p = np.ravel(np.asarray(p, dtype=np.float64))
    s = float(p @ p)
    # expm1/log1p keep the coefficient accurate when |p|^2 is tiny; its limit at 0 is L.
    coefficient = np.expm1(L * np.log1p(s)) / s if s > 0 else float(L)
    return np.eye(p.size) + coefficient * np.outer(p, p)


def recurrence_cost(n: int, L: int) -> tuple[int, int]:
    """Multiplications and sequential steps of running the recurrence: each of the ``L`` steps needs
    ``A x`` (``n^2``), ``B u_k`` (``n``) and ``C x`` (``n``), and each waits for the previous one.

    >>> recurrence_cost(4, 100)
    (2400, 100)
    """
    return L * (n * n + 2 * n), L


def fft_convolution_cost(L: int) -> tuple[int, int]:
    """Complex multiplications and sequential stages of an FFT convolution of length-``L`` sequences
    with the kernel known: three radix-2 FFTs of size ``N = fft_size(L)``, each of ``(N/2) log2 N``
    butterflies in ``log2 N`` stages, plus ``N`` pointwise products in one stage. The two forward
    transforms run side by side, so the stages are ``2 log2 N + 1``.

    >>> fft_convolution_cost(4)
    (44, 7)
    """
    N = fft_size(L)
    stages = int(np.log2(N))
    return 3 * (N // 2) * stages + N, 2 * stages + 1


def damped_rotation(n_pairs: int = 1, radius: float = 0.95, angle: float = 0.3) -> Array:
    """A block-diagonal ``A`` of ``n_pairs`` 2x2 blocks, each ``radius`` times a rotation by ``angle``
    (block ``j`` by ``angle * (j + 1)``): a damped oscillator, whose kernel rings and decays."""
    blocks = []
    for j in range(n_pairs):
        t = angle * (j + 1)
        blocks.append(radius * np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]))
    A = np.zeros((2 * n_pairs, 2 * n_pairs))
    for j, block in enumerate(blocks):
        A[2 * j:2 * j + 2, 2 * j:2 * j + 2] = block
    return A


def kernel_figure() -> Figure:
    """Top: the kernel ``K_l = C A^l B`` of a damped oscillator (rotation by 0.3 rad times 0.95).
    Bottom: an input of two pulses and the output, computed by the recurrence and by convolving
    with the kernel (the same values)."""
    from matplotlib.figure import Figure

    A = damped_rotation()
    B = np.array([1.0, 0.0])
    C = np.array([1.0, 0.0])
    L = 60
    K = ssm_kernel(A, B, C, L)
    u = np.zeros(L)
    u[5], u[30] = 1.0, -0.6
    y_rec = ssm_recurrence(A, B, C, u)
    y_conv = causal_convolution(K, u)
    fig = Figure(figsize=(6.4, 3.8))
    top, bottom = fig.subplots(2, 1, sharex=True)
    top.stem(np.arange(L), K, linefmt="C0-", markerfmt="C0o", basefmt=" ")
    top.axhline(0.0, color="C5", lw=0.8)
    top.set_ylabel("$K_\\ell$")
    top.set_title("kernel of a damped oscillator")
    pulses = np.flatnonzero(u)
    bottom.stem(pulses, u[pulses], linefmt="C1-", markerfmt="C1s", basefmt=" ", label="input $u_k$ (0 elsewhere)")
    bottom.axhline(0.0, color="C5", lw=0.8)
    bottom.plot(np.arange(L), y_rec, color="C2", lw=2.2, label="output, recurrence")
    bottom.plot(np.arange(L), y_conv, color="C3", lw=1.2, ls="--", label="output, $K * u$")
    bottom.set_xlabel("step $k$ (or lag $\\ell$)")
    bottom.legend(fontsize=9, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.35))
    for ax in (top, bottom):
        ax.grid(True)
    return fig


def cost_figure() -> Figure:
    """Counted costs against the sequence length ``L`` (state size ``n = 64``): sequential steps of
    the recurrence (``L``) against the stages of an FFT convolution (``2 log2 N + 1``), and the
    multiplications of each. The FFT's depth grows like ``log L``; its work is higher for short
    sequences and lower for long ones when ``n`` is large."""
    from matplotlib.figure import Figure

    n = 64
    lengths = 2 ** np.arange(0, 17)
    rec = np.array([recurrence_cost(n, int(L)) for L in lengths])
    fft = np.array([fft_convolution_cost(int(L)) for L in lengths])
    fig = Figure(figsize=(6.4, 3.0))
    left, right = fig.subplots(1, 2)
    left.loglog(lengths, rec[:, 1], color="C0", lw=1.8, marker="o", ms=3, label="recurrence")
    left.loglog(lengths, fft[:, 1], color="C1", lw=1.8, marker="s", ms=3, label="FFT convolution")
    left.set_title("sequential steps")
    right.loglog(lengths, rec[:, 0], color="C0", lw=1.8, marker="o", ms=3, label=f"recurrence, $n = {n}$")
    right.loglog(lengths, fft[:, 0], color="C1", lw=1.8, marker="s", ms=3, label="FFT convolution")
    right.set_title("multiplications")
    for ax in (left, right):
        ax.set_xlabel("sequence length $L$")
        ax.grid(True)
        ax.legend(fontsize=9)
    return fig


def bilinear_discretize(A: ArrayLike, B: ArrayLike, step: float) -> tuple[Array, Array]:
    """The bilinear (Tustin) discretisation with step ``step``:
    ``A_bar = (I - step/2 A)^{-1} (I + step/2 A)`` and ``B_bar = (I - step/2 A)^{-1} step B``.

    >>> A_bar, B_bar = bilinear_discretize([[-1.0]], [[1.0]], 0.5)
    >>> A_bar, B_bar
    (array([[0.6]]), array([[0.4]]))
    """
    A = np.atleast_2d(np.asarray(A, dtype=np.float64))
    B = np.asarray(B, dtype=np.float64)
    half = np.eye(A.shape[0]) - step / 2 * A
    return np.linalg.solve(half, np.eye(A.shape[0]) + step / 2 * A), np.linalg.solve(half, step * B)


def continuous_state(A: ArrayLike, B: ArrayLike, u: float, t: float) -> Array:
    """The state at time ``t`` of ``x' = A x + B u`` from ``x(0) = 0`` under a constant input ``u``:
    ``integral_0^t e^{A s} ds B u``, computed with one matrix exponential of an augmented matrix
    (so that singular ``A`` needs no inverse).

    >>> continuous_state([[0.0]], [[2.0]], 1.5, 2.0)
    array([[6.]])
    """
    from scipy.linalg import expm

    A = np.atleast_2d(np.asarray(A, dtype=np.float64))
    B = np.asarray(B, dtype=np.float64).reshape(A.shape[0], -1)
    n, m = B.shape
    augmented = np.zeros((n + m, n + m))
    augmented[:n, :n] = A
    augmented[:n, n:] = B
    # The top-right block of exp([[A, B], [0, 0]] t) is integral_0^t e^{A s} ds B.
    return expm(augmented * t)[:n, n:] * u


def random_stable_model(n: int, radius: float, seed: int) -> tuple[Array, Array, Array]:
    """A seeded random model ``(A, B, C)``: Gaussian entries, with ``A`` rescaled to spectral radius
    ``radius`` so that its powers neither blow up nor vanish too fast over a few hundred steps.

    >>> A, B, C = random_stable_model(3, 0.9, 0)
    >>> round(float(np.max(np.abs(np.linalg.eigvals(A)))), 12), B.shape, C.shape
    (0.9, (3, 1), (1, 3))
    """
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n))
    A *= radius / np.max(np.abs(np.linalg.eigvals(A)))
    return A, rng.standard_normal((n, 1)), rng.standard_normal((1, n))
