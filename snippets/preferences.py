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

