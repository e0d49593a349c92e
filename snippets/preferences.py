"""Learning from pairwise preferences: the reward model and the KL-regularized objective of RLHF.

Conventions: ``r_w`` is the reward of the preferred ("winning") response and
``r_l`` that of the rejected one; logarithms are natural. A policy over a
finite set of responses is a probability vector along the last axis.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from snippets.activations import softmax
from snippets.information import kl_divergence


def _as_result(x: NDArray[np.float64]) -> NDArray[np.float64] | float:
    return float(x) if np.ndim(x) == 0 else x


def sigmoid(z: ArrayLike) -> NDArray[np.float64] | float:
    """Logistic function ``1 / (1 + exp(-z))``, without overflow for large ``|z|``.

    Same as ``scipy.special.expit``.

    >>> sigmoid(0.0)
    0.5
    >>> sigmoid([-800.0, 800.0])
    array([0., 1.])
    """
    x = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(x))  # never overflows
    return _as_result(np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)))


def bradley_terry_probability(r_w: ArrayLike, r_l: ArrayLike) -> NDArray[np.float64] | float:
    """Bradley-Terry probability that the response with reward ``r_w`` beats the one with ``r_l``.

    ``sigma(r_w - r_l)``: only the reward difference matters, and a gap of
    ``d`` nats means odds of ``e**d`` to one.

    >>> bradley_terry_probability(1.0, 1.0)
    0.5
    >>> round(bradley_terry_probability(2.0, 0.0), 4)
    0.8808
    """
    return sigmoid(np.subtract(r_w, r_l, dtype=np.float64))


def reward_model_loss(r_w: ArrayLike, r_l: ArrayLike, reduction: str = "mean") -> NDArray[np.float64] | float:
    """Bradley-Terry negative log-likelihood ``-log sigma(r_w - r_l)`` of the observed preferences.

    Computed as ``log(1 + exp(-(r_w - r_l)))`` with ``np.logaddexp``, so it
    stays finite and accurate for any margin (``-log(expit(-800))`` would be
    ``inf``). ``reduction="mean"`` averages over pairs (a float);
    ``"none"`` returns the loss of each pair.

    >>> round(reward_model_loss(0.0, 0.0), 6)  # no preference learned yet: log 2
    0.693147
    >>> reward_model_loss([2.0, -800.0], [0.0, 0.0], reduction="none").round(6).tolist()
    [0.126928, 800.0]
    """
    margin = np.subtract(r_w, r_l, dtype=np.float64)
    losses = np.logaddexp(0.0, -margin)
    if reduction == "mean":
        return float(np.mean(losses))
    if reduction == "none":
        return _as_result(losses)
    raise ValueError(f"unknown reduction {reduction!r}; use 'mean' or 'none'")


def kl_regularized_objective(
    pi: ArrayLike, pi_ref: ArrayLike, rewards: ArrayLike, beta: float
) -> NDArray[np.float64] | float:
    """Expected reward minus ``beta`` times the KL divergence from the reference policy.

    ``sum_y pi(y) r(y) - beta * KL(pi || pi_ref)`` for policies over a finite
    set of responses (last axis). The KL term is
    ``snippets.information.kl_divergence``: responses with ``pi(y) = 0``
    contribute nothing, and ``pi(y) > 0 = pi_ref(y)`` gives ``-inf``.

    >>> kl_regularized_objective([0.5, 0.5], [0.5, 0.5], [1.0, 3.0], beta=0.1)
    2.0
    >>> round(kl_regularized_objective([0.0, 1.0], [0.5, 0.5], [1.0, 3.0], beta=0.1), 4)
    2.9307
    """
    p = np.asarray(pi, dtype=np.float64)
    expected = np.sum(p * np.asarray(rewards, dtype=np.float64), axis=-1)
    return _as_result(expected - beta * np.asarray(kl_divergence(p, pi_ref)))


def kl_shaped_reward(
    reward: ArrayLike, logp_policy: ArrayLike, logp_ref: ArrayLike, beta: float
) -> NDArray[np.float64] | float:
    """The reward PPO maximizes in RLHF: ``r - beta * (log pi(y|x) - log pi_ref(y|x))``.

    Its expectation under the policy is the KL-regularized objective, because
    ``E_pi[log pi - log pi_ref] = KL(pi || pi_ref)``.

    >>> round(kl_shaped_reward(1.0, np.log(0.5), np.log(0.25), beta=0.1), 4)
    0.9307
    """
    shaped = np.asarray(reward, dtype=np.float64) - beta * (
        np.asarray(logp_policy, dtype=np.float64) - np.asarray(logp_ref, dtype=np.float64))
    return _as_result(shaped)


def optimal_kl_policy(pi_ref: ArrayLike, rewards: ArrayLike, beta: float) -> NDArray[np.float64]:
    """The maximizer of the KL-regularized objective: ``pi_ref(y) exp(r(y)/beta)``, normalized.

    Computed as ``softmax(log pi_ref + r / beta)``, stable for small
    ``beta``; responses the reference never produces keep probability 0.
    As ``beta -> 0`` it concentrates on the best reward, as ``beta -> inf``
    it returns ``pi_ref``.

    >>> optimal_kl_policy([0.5, 0.5], [0.0, np.log(3.0)], beta=1.0)
    array([0.25, 0.75])
    >>> optimal_kl_policy([0.0, 1.0], [5.0, 0.0], beta=1.0)
    array([0., 1.])
    """
    ref = np.asarray(pi_ref, dtype=np.float64)
    with np.errstate(divide="ignore"):
        logits = np.log(ref) + np.asarray(rewards, dtype=np.float64) / beta
    return softmax(logits)


def optimal_kl_value(pi_ref: ArrayLike, rewards: ArrayLike, beta: float) -> float:
    """The maximum of the KL-regularized objective, ``beta * log sum_y pi_ref(y) exp(r(y)/beta)``.

    Equals ``kl_regularized_objective(optimal_kl_policy(...), ...)``; computed
    with a log-sum-exp so that small ``beta`` does not overflow.

    >>> round(optimal_kl_value([0.5, 0.5], [0.0, np.log(3.0)], beta=1.0), 6)  # log 2
    0.693147
    """
    ref = np.asarray(pi_ref, dtype=np.float64)
    with np.errstate(divide="ignore"):
        logits = np.log(ref) + np.asarray(rewards, dtype=np.float64) / beta
    top = np.max(logits)
    return float(beta * (top + np.log(np.sum(np.exp(logits - top)))))



def bradley_terry_log_likelihood(beta: ArrayLike, wins: ArrayLike) -> float:
    """Log-likelihood of pairwise results under Bradley-Terry strengths ``beta``.

    ``wins[i, j]`` counts the times item ``i`` beat item ``j``; each such win
    contributes ``log sigma(beta_i - beta_j)``.

    >>> round(bradley_terry_log_likelihood([0.0, 0.0], [[0, 1], [1, 0]]), 6)    # two coin flips
    -1.386294
    """
    b = np.asarray(beta, dtype=np.float64)
    w = np.asarray(wins, dtype=np.float64)
    margins = b[:, None] - b[None, :]
    return float(-np.sum(w * np.logaddexp(0.0, -margins)))


def fit_bradley_terry(wins: ArrayLike) -> NDArray[np.float64]:
    """Maximum-likelihood Bradley-Terry strengths from a matrix of win counts, with ``beta_0 = 0``.

    Only differences of strengths are identified (adding a constant to every
    ``beta`` changes no probability), so the first item is the reference.
    The maximum exists when every split of the items into two groups has a
    win in each direction between them; otherwise some difference runs to
    infinity and ``ValueError`` says so. Maximized with
    ``scipy.optimize.minimize`` (BFGS, exact gradient).

    >>> fit_bradley_terry([[0, 2], [1, 0]]).round(6).tolist()    # 2 wins to 1: beta_1 = -log 2
    [0.0, -0.693147]
    """
    from scipy.optimize import minimize
    from scipy.sparse.csgraph import connected_components

    w = np.asarray(wins, dtype=np.float64)
    k = w.shape[0]
    if connected_components(w > 0, directed=True, connection="strong")[0] > 1:
        raise ValueError("no finite maximum-likelihood strengths: some group of items never lost "
                         "(or never won) against the rest, so its strength difference diverges")

    def negative(free: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        b = np.concatenate([[0.0], free])
        p = sigmoid(b[:, None] - b[None, :])
        # d/d beta_i of sum_ij w_ij log sigma(b_i - b_j) = sum_j (w_ij (1 - p_ij) - w_ji (1 - p_ji))
        residual = w * (1.0 - p)
        grad = residual.sum(axis=1) - residual.sum(axis=0)
        return -bradley_terry_log_likelihood(b, w), -grad[1:]

    result = minimize(negative, np.zeros(k - 1), jac=True, method="BFGS", options={"gtol": 1e-10})
    return np.concatenate([[0.0], result.x])


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:preferences.<name>);
# each takes no arguments and returns a matplotlib Figure (see grimoire/figures).

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def bradley_terry_curve() -> Figure:
    """Left: the Bradley-Terry probability that i beats j against beta_i - beta_j, a logistic curve
    through 1/2 at equal strengths. Right: strengths of five items fitted from 200 simulated games
    per pair, against the true strengths (both with the first item at 0)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.2))
    left, right = fig.subplots(1, 2)
    d = np.linspace(-6.0, 6.0, 241)
    left.plot(d, bradley_terry_probability(d, 0.0), color="C0")
    for gap in (1.0, 3.0):
        prob = float(bradley_terry_probability(gap, 0.0))
        left.plot(gap, prob, "o", color="C1")
        left.annotate(f"$\\Delta = {gap:g}$: {prob:.3f}", (gap, prob), xytext=(8, -14), textcoords="offset points",
                      fontsize=9)
    left.axhline(0.5, color="black", lw=0.6, alpha=0.5)
    left.set_xlabel("$\\Delta = \\beta_i - \\beta_j$")
    left.set_ylabel("$P(i \\succ j)$")
    left.set_title("win probability")

    rng = np.random.default_rng(5)
    true = np.array([0.0, 0.5, -0.8, 1.5, 0.9])
    games = 200
    wins = np.zeros((5, 5))
    for i in range(5):
        for j in range(i + 1, 5):
            won = rng.binomial(games, bradley_terry_probability(true[i], true[j]))
            wins[i, j], wins[j, i] = won, games - won
    fitted = fit_bradley_terry(wins)
    right.plot([-1.2, 1.9], [-1.2, 1.9], color="black", lw=0.8, ls="--")
    right.plot(true, fitted, "o", color="C2", ms=7)
    for i in range(5):
        right.annotate(f"item {i}", (true[i], fitted[i]), xytext=(6, -4), textcoords="offset points", fontsize=9)
    right.set_xlabel("true $\\beta_i$")
    right.set_ylabel("fitted $\\hat\\beta_i$")
    right.set_title(f"fit from {games} games per pair")
    return fig


# --- Direct preference losses: DPO and IPO (the PsiPO paper) ----------------------------
# h is the log-likelihood-ratio difference of a preference pair,
# h = log pi(y_w)/pi_ref(y_w) - log pi(y_l)/pi_ref(y_l).


def log_ratio_difference(logp_w: ArrayLike, logp_l: ArrayLike, ref_logp_w: ArrayLike,
                         ref_logp_l: ArrayLike) -> NDArray[np.float64] | float:
    """``h = (log pi(y_w) - log pi_ref(y_w)) - (log pi(y_l) - log pi_ref(y_l))`` from log-probabilities.

    Positive when the policy has raised the preferred response relative to
    the rejected one, compared with the reference policy.

    >>> round(log_ratio_difference(np.log(0.5), np.log(0.1), np.log(0.25), np.log(0.25)), 6)  # log 5
    1.609438
    """
    h = (np.asarray(logp_w, dtype=np.float64) - np.asarray(ref_logp_w, dtype=np.float64)) - (
        np.asarray(logp_l, dtype=np.float64) - np.asarray(ref_logp_l, dtype=np.float64))
    return _as_result(h)


def dpo_loss(h: ArrayLike, beta: float) -> NDArray[np.float64] | float:
    """DPO's loss for one pair, ``-log sigma(beta h)``, computed as ``log(1 + exp(-beta h))`` without overflow.

    It decreases for every ``h``, so it has no finite minimiser: a pair can
    always lower it by pushing ``h`` further up.

    >>> round(dpo_loss(0.0, 0.1), 6)  # log 2
    0.693147
    >>> dpo_loss(-1e4, 1.0)
    10000.0
    """
    return _as_result(np.logaddexp(0.0, -beta * np.asarray(h, dtype=np.float64)))


def ipo_loss(h: ArrayLike, tau: float) -> NDArray[np.float64] | float:
    """IPO's loss for one pair, ``(h - 1 / (2 tau))^2``: a regression of ``h`` onto the target ``1 / (2 tau)``.

    >>> ipo_loss(5.0, 0.1)
    0.0
    >>> ipo_loss(0.0, 0.5)
    1.0
    """
    return _as_result((np.asarray(h, dtype=np.float64) - 1.0 / (2.0 * tau)) ** 2)


def dpo_ipo_losses() -> Figure:
    """DPO's loss -log sigma(beta h) and IPO's (h - 1/(2 tau))^2 against the log-ratio difference h,
    for beta = tau = 0.1: DPO keeps falling as h grows, IPO has its minimum at h = 5."""
    from matplotlib.figure import Figure

    beta = tau = 0.1
    h = np.linspace(-10.0, 40.0, 501)
    fig = Figure(figsize=(6.4, 3.3))
    ax = fig.subplots()
    ax.plot(h, dpo_loss(h, beta), color="C0", label=f"DPO: $-\\log\\sigma(\\beta h)$, $\\beta = {beta:g}$")
    ax.plot(h, ipo_loss(h, tau) / 25.0, color="C1",
            label=f"IPO: $(h - 1/(2\\tau))^2 / 25$, $\\tau = {tau:g}$")
    ax.axvline(1 / (2 * tau), color="C1", ls="--", lw=1)
    ax.annotate("IPO minimum\n$h = 1/(2\\tau) = 5$", (5, 0.05), xytext=(14, 1.15), fontsize=10,
                arrowprops={"arrowstyle": "->", "lw": 0.8})
    ax.annotate("DPO still decreasing", (32, float(dpo_loss(32.0, beta))), xytext=(22, 0.9), fontsize=10,
                arrowprops={"arrowstyle": "->", "lw": 0.8})
    ax.set_ylim(-0.05, 2.2)
    ax.set_xlabel("$h$ = log-ratio difference of the preferred and rejected response")
    ax.set_ylabel("loss")
    ax.legend(loc="upper right", fontsize=9.5)
    return fig


from collections.abc import Callable  # noqa: E402


def psi_po_objective(pi: ArrayLike, mu: ArrayLike, P: ArrayLike, psi: Callable[[NDArray[np.float64]], NDArray[np.float64]],
                     tau: float, pi_ref: ArrayLike) -> float:
    """The PsiPO objective on a finite set of responses (one prompt):
    ``sum_{y, y'} pi(y) mu(y') psi(P[y, y']) - tau * KL(pi || pi_ref)``.

    ``P[y, y']`` is the probability that ``y`` is preferred to ``y'``, ``mu``
    the distribution the comparison responses ``y'`` are drawn from. With
    ``psi = logit`` and Bradley-Terry preferences this is the KL-regularised
    reward objective of RLHF up to a constant; ``psi = identity`` gives IPO.

    >>> P = np.array([[0.5, 0.9], [0.1, 0.5]])
    >>> round(psi_po_objective([1.0, 0.0], [0.5, 0.5], P, lambda q: q, 0.0, [0.5, 0.5]), 6)
    0.7
    """
    p = np.asarray(pi, dtype=np.float64)
    m = np.asarray(mu, dtype=np.float64)
    value = p @ psi(np.asarray(P, dtype=np.float64)) @ m
    return float(value - tau * kl_divergence(p, pi_ref))
