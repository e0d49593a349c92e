"""Width scaling of dense layers: µP, the spectral condition, and unit-scaled µP.

Three questions about a dense layer ``y = W x`` as the width grows:

- at initialisation, how large are the outputs (RMS of ``y``) for a given
  variance of the entries of ``W``;
- after one update of ``W`` by a sign-type rule (signSGD, Adam), how large is
  the change ``Delta W x`` of the outputs, and why the aligned, rank-one
  structure of a gradient makes it grow like ``d_in`` rather than ``sqrt(d_in)``;
- how the spectral norms of ``W`` and ``Delta W`` control both, and what the
  unit-scaled variant (weights ``N(0, 1)``, a ``1/sqrt(d_in)`` multiplier in the
  forward pass) needs from the learning rates of SignSGD, Adam and Muon.

Everything is seeded; Monte Carlo draws are returned for the pages' moment checks.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from snippets.newton_schulz import polar_factor
from snippets.regularization import adam_step


def rms(v: ArrayLike) -> float:
    """Root mean square of the entries: ``||v||_2 / sqrt(number of entries)``.

    >>> rms([3.0, -4.0, 0.0, 0.0])
    2.5
    """
    v = np.asarray(v, dtype=np.float64)
    return float(np.sqrt(np.mean(v**2)))


def dense_layer(W: ArrayLike, x: ArrayLike) -> NDArray[np.float64]:
    """``y = W x`` for one input ``x`` (a vector) or a batch (one input per column)."""
    return np.asarray(W, dtype=np.float64) @ np.asarray(x, dtype=np.float64)


def dense_output_samples(d_in: int, samples: int, sigma: float = 1.0, seed: int = 0) -> NDArray[np.float64]:
    """``samples`` independent draws of one output ``y_1 = sum_j W_1j x_j``, ``W_1j ~ N(0, sigma^2)``, ``x_j ~ N(0, 1)``."""
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((samples, int(d_in))) * sigma
    x = rng.standard_normal((samples, int(d_in)))
    return np.einsum("ij,ij->i", W, x)


def init_output_rms(d_in: int, d_out: int, variance: float, draws: int = 20, seed: int = 0) -> float:
    """Mean over ``draws`` of ``||W x||_RMS`` with ``W_ij ~ N(0, variance)`` and ``x ~ N(0, I)``."""
    rng = np.random.default_rng(seed)
    values = [rms((rng.standard_normal((d_out, d_in)) * np.sqrt(variance)) @ rng.standard_normal(d_in))
              for _ in range(draws)]
    return float(np.mean(values))


def linear_loss_gradient(delta: ArrayLike, x: ArrayLike) -> NDArray[np.float64]:
    """The gradient ``delta x^T`` of ``L = delta^T W x`` with respect to ``W`` (rank one: one example)."""
    return np.outer(np.ravel(delta), np.ravel(x))


def sign_update(G: ArrayLike, lr: float) -> NDArray[np.float64]:
    """A signSGD step ``-lr * sign(G)``."""
    return -lr * np.sign(np.asarray(G, dtype=np.float64))


def adam_first_update(G: ArrayLike, lr: float, eps: float = 0.0) -> NDArray[np.float64]:
    """Adam's first step from zero moments on gradient ``G`` (bias-corrected, so ``m_hat = G``, ``v_hat = G^2``)."""
    G = np.asarray(G, dtype=np.float64)
    zeros = np.zeros_like(G)
    with np.errstate(invalid="ignore"):  # 0/0 at a zero gradient entry when eps = 0
        w, _, _ = adam_step(zeros, G, zeros, zeros, t=1, lr=lr, eps=eps)
    return np.nan_to_num(w, nan=0.0)


def muon_update(G: ArrayLike, lr: float) -> NDArray[np.float64]:
    """Muon's step without momentum, exactly orthogonalised: ``-lr U V^T``."""
    return -lr * polar_factor(G)


def aligned_sign_change(d_in: int, d_out: int, lr: float = 1.0, seed: int = 0) -> NDArray[np.float64]:
    """``Delta W x`` for a sign update of the rank-one gradient ``delta x^T`` of the same input ``x``."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(int(d_in))
    delta = rng.standard_normal(int(d_out))
    return sign_update(linear_loss_gradient(delta, x), lr) @ x


def random_sign_change(d_in: int, d_out: int, lr: float = 1.0, seed: int = 0) -> NDArray[np.float64]:
    """``S x`` for a random ``+-lr`` matrix ``S`` independent of ``x``: the unaligned comparison."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(int(d_in))
    S = lr * rng.choice((-1.0, 1.0), size=(int(d_out), int(d_in)))
    return S @ x


def rademacher_gaussian_dots(d_in: int, samples: int, seed: int = 0) -> NDArray[np.float64]:
    """Draws of ``s^T x`` with ``s`` uniform on ``{-1, 1}^d_in`` and ``x ~ N(0, I)`` independent of it."""
    rng = np.random.default_rng(seed)
    s = rng.choice((-1.0, 1.0), size=(samples, int(d_in)))
    return np.einsum("ij,ij->i", s, rng.standard_normal((samples, int(d_in))))


def loglog_slope(widths: ArrayLike, values: ArrayLike) -> float:
    """Least-squares slope of ``log values`` against ``log widths``."""
    return float(np.polyfit(np.log(np.asarray(widths, float)), np.log(np.asarray(values, float)), 1)[0])


def mup_activation_scaling() -> Figure:
    """RMS of layer outputs against fan-in: init with variance 1 vs ``1/d_in`` (left);
    one sign update, aligned vs random, and aligned with ``lr = 1/d_in`` (right)."""
    widths = 2 ** np.arange(6, 14)
    naive = [init_output_rms(int(d), 64, 1.0, draws=4) for d in widths]
    scaled = [init_output_rms(int(d), 64, 1.0 / d, draws=4) for d in widths]
    aligned = [rms(aligned_sign_change(int(d), 64)) for d in widths]
    random = [rms(random_sign_change(int(d), 64)) for d in widths]
    mup = [rms(aligned_sign_change(int(d), 64, lr=1.0 / d)) for d in widths]
    fig = Figure(figsize=(6.4, 3.5))
    left, right = fig.subplots(1, 2)
    left.loglog(widths, naive, "o-", color="C1", label="Var $W_{ij}=1$")
    left.loglog(widths, scaled, "o-", color="C0", label="Var $W_{ij}=1/d_{in}$")
    left.loglog(widths, np.sqrt(widths), color="C1", lw=1, ls="--", label="$\\sqrt{d_{in}}$")
    left.set_xlabel("fan-in $d_{in}$")
    left.set_ylabel("RMS of $Wx$ at init")
    left.legend()
    right.loglog(widths, aligned, "o-", color="C1", label="aligned sign, $\\eta=1$")
    right.loglog(widths, random, "s-", color="C4", label="random signs, $\\eta=1$")
    right.loglog(widths, mup, "o-", color="C0", label="aligned, $\\eta=1/d_{in}$")
    right.set_xlabel("fan-in $d_{in}$")
    right.set_ylabel("RMS of $\\Delta W\\, x$")
    right.legend()
    return fig


# --- µP II: the spectral condition ---------------------------------------------------


def spectral_init_std(n_out: int, n_in: int) -> float:
    """The entry std ``sigma`` with ``sigma (sqrt(n_out) + sqrt(n_in)) = sqrt(n_out / n_in)``, the spectral-condition init."""
    return float(np.sqrt(n_out / n_in) / (np.sqrt(n_out) + np.sqrt(n_in)))


def gaussian_spectral_norm(n_out: int, n_in: int, sigma: float, seed: int = 0) -> float:
    """Spectral norm of one seeded ``n_out x n_in`` matrix of ``N(0, sigma^2)`` entries (about ``sigma (sqrt(n_out) + sqrt(n_in))``)."""
    from scipy.sparse.linalg import svds  # only the largest singular value: far cheaper than a full SVD

    W = np.random.default_rng(seed).standard_normal((int(n_out), int(n_in))) * sigma
    return float(svds(W, k=1, return_singular_vectors=False, random_state=seed)[0])


def spectral_scaled_update(G: ArrayLike, lr: float = 1.0) -> NDArray[np.float64]:
    """``-lr sqrt(n_out / n_in) G / ||G||_2``: a step of spectral norm ``lr sqrt(n_out / n_in)`` along ``G``."""
    G = np.asarray(G, dtype=np.float64)
    n_out, n_in = G.shape
    return -lr * np.sqrt(n_out / n_in) * G / np.linalg.norm(G, 2)


def rank_one_spectral_update(h: ArrayLike, u: ArrayLike) -> NDArray[np.float64]:
    """``sqrt(n_out / n_in) u v^T`` with unit ``u`` (direction of ``u``) and ``v = h / ||h||``: aligned with the input ``h``."""
    h, u = np.ravel(np.asarray(h, float)), np.ravel(np.asarray(u, float))
    return np.sqrt(u.size / h.size) * np.outer(u / np.linalg.norm(u), h / np.linalg.norm(h))


def feature_change(width: int, scheme: str = "spectral", lr: float = 0.5, d0: int = 32, seed: int = 0) -> tuple[float, float]:
    """``(RMS of h_3, RMS of Delta h_3)`` after one step of a 3-layer linear net ``h_l = W_l h_{l-1}``.

    Widths ``d0 -> width -> width -> width``; loss ``L = c^T h_3 / width`` for a
    fixed random ``c``. ``"spectral"``: init std from ``spectral_init_std``,
    each layer updated by ``spectral_scaled_update``. ``"sign"``: init
    ``N(0, 1/fan_in)``, each layer updated by ``-lr sign(grad)`` (fixed ``lr``).
    ``"sign-mup"``: the same with ``lr / fan_in``.
    """
    rng = np.random.default_rng(seed)
    dims = [d0, width, width, width]
    x = rng.standard_normal(d0)
    c = rng.standard_normal(width)
    if scheme == "spectral":
        Ws = [rng.standard_normal((o, i)) * spectral_init_std(o, i) for i, o in zip(dims[:-1], dims[1:])]
    else:
        Ws = [rng.standard_normal((o, i)) / np.sqrt(i) for i, o in zip(dims[:-1], dims[1:])]
    hs = [x]
    for W in Ws:
        hs.append(W @ hs[-1])
    # backward pass of L = c^T h_3 / width: grad wrt W_l is delta_l h_{l-1}^T
    delta = c / width
    grads = []
    for W, h in zip(reversed(Ws), reversed(hs[:-1])):
        grads.append(np.outer(delta, h))
        delta = W.T @ delta
    grads.reverse()
    if scheme == "spectral":
        # each gradient is rank one, delta h^T, so its spectral norm is its Frobenius norm
        # (the same step as spectral_scaled_update, without an SVD of a width x width matrix)
        new = [W - lr * np.sqrt(W.shape[0] / W.shape[1]) * G / np.linalg.norm(G) for W, G in zip(Ws, grads)]
    elif scheme == "sign":
        new = [W + sign_update(G, lr) for W, G in zip(Ws, grads)]
    elif scheme == "sign-mup":
        new = [W + sign_update(G, lr / W.shape[1]) for W, G in zip(Ws, grads)]
    else:
        raise ValueError(f"unknown scheme {scheme!r}")
    h_new = x
    for W in new:
        h_new = W @ h_new
    return rms(hs[-1]), rms(h_new - hs[-1])


def spectral_condition_widths() -> Figure:
    """RMS of the hidden features and of their change after one step against width, for three update rules."""
    widths = np.array([64, 128, 256, 512, 1024, 2048])
    fig = Figure(figsize=(6.4, 3.5))
    left, right = fig.subplots(1, 2)
    styles = {"spectral": ("C0", "o-", "spectral condition"), "sign-mup": ("C2", "s-", "sign, $\\eta/\\mathrm{fan_{in}}$"),
              "sign": ("C1", "^-", "sign, fixed $\\eta$")}
    for scheme, (colour, marker, label) in styles.items():
        values = np.array([feature_change(int(n), scheme) for n in widths])
        left.loglog(widths, values[:, 0], marker, color=colour, label=label)
        right.loglog(widths, values[:, 1], marker, color=colour, label=label)
    left.set_xlabel("width $n$")
    left.set_ylabel("RMS of $h_3$ (init)")
    left.set_ylim(0.05, 2e4)
    right.set_ylim(0.05, 2e4)
    right.set_xlabel("width $n$")
    right.set_ylabel("RMS of $\\Delta h_3$ (one step)")
    right.legend(loc="upper left")
    return fig


# --- unit-scaled µP -------------------------------------------------------------------


def unit_scaled_forward(W: ArrayLike, x: ArrayLike) -> NDArray[np.float64]:
    """``y = W x / sqrt(d_in)``: unit-scaled layer, weights stored at unit scale, the fan-in factor applied in the forward pass."""
    W = np.asarray(W, dtype=np.float64)
    return W @ np.asarray(x, dtype=np.float64) / np.sqrt(W.shape[1])


def unit_scaled_output_samples(d_in: int, samples: int, seed: int = 0) -> NDArray[np.float64]:
    """Draws of one output of ``unit_scaled_forward`` with ``W_ij, x_j ~ N(0, 1)``."""
    return dense_output_samples(d_in, samples, 1.0, seed) / np.sqrt(d_in)


def rms_operator_norm(A: ArrayLike) -> float:
    """``max_x ||A x||_RMS / ||x||_RMS``, found at the top eigenvector of ``A^T A`` and evaluated as a ratio of RMS norms."""
    A = np.asarray(A, dtype=np.float64)
    _, vectors = np.linalg.eigh(A.T @ A)
    x = vectors[:, -1]
    return rms(A @ x) / rms(x)


def unit_scaled_output_change(G: ArrayLike, x: ArrayLike, rule: str, lr: float = 1.0) -> NDArray[np.float64]:
    """``Delta y = Delta W x / sqrt(d_in)`` for one step of ``rule`` (``"sign"``, ``"adam"``, ``"muon"``) on gradient ``G``."""
    G = np.asarray(G, dtype=np.float64)
    step = {"sign": sign_update, "adam": adam_first_update, "muon": muon_update}[rule](G, lr)
    return unit_scaled_forward(step, x)


def unit_scaled_change_rms(d_in: int, d_out: int, rule: str, lr: float = 1.0, seed: int = 0) -> float:
    """RMS of ``Delta y`` for the rank-one gradient ``delta x^T`` of the same ``x`` (the aligned case that attains the bounds)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(int(d_in))
    delta = rng.standard_normal(int(d_out))
    return rms(unit_scaled_output_change(linear_loss_gradient(delta, x), x, rule, lr))


def unit_scaled_updates() -> Figure:
    """RMS of the output change against width (``d_in = d_out = n``) at a fixed learning rate, with the bounds."""
    widths = 2 ** np.arange(5, 11)  # Muon's exact polar factor needs an SVD of an n x n matrix: keep n small
    fig = Figure(figsize=(6.4, 3.5))
    ax = fig.subplots()
    for rule, colour, marker, label in (("sign", "C1", "o", "SignSGD"), ("adam", "C3", "x", "Adam (first step)"),
                                        ("muon", "C0", "s", "Muon")):
        values = [unit_scaled_change_rms(int(n), int(n), rule) for n in widths]
        ax.loglog(widths, values, marker, color=colour, label=label, ms=7 if marker == "x" else 5)
    ax.loglog(widths, np.sqrt(widths), color="C1", lw=1, ls="--", label="bound $\\eta\\sqrt{d_{in}}$")
    ax.loglog(widths, 1 / np.sqrt(widths), color="C0", lw=1, ls="--", label="bound $\\eta/\\sqrt{d_{out}}$")
    ax.set_xlabel("width $n = d_{in} = d_{out}$ ($\\eta = 1$, $\\|x\\|_{RMS} \\approx 1$)")
    ax.set_ylabel("RMS of $\\Delta y$")
    ax.legend(ncols=2)
    return fig
