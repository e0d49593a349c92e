"""The autoregressive factorisation a causal language model is trained on, for a joint table of token probabilities.

A joint distribution of ``T`` tokens over a vocabulary of ``V`` words is a
``(V, ..., V)`` array with ``T`` axes summing to 1. The conditionals
``p(x_t | x_1, ..., x_{t-1})`` are obtained from it by marginalising the
later tokens away and dividing by the probability of the prefix.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def next_token_probabilities(joint: ArrayLike, sequence: tuple[int, ...]) -> NDArray[np.float64]:
    """``p(x_t | x_1, ..., x_{t-1})`` for ``t = 1 .. T`` along ``sequence``, from the joint table.

    >>> joint = np.array([[0.1, 0.3], [0.2, 0.4]])
    >>> next_token_probabilities(joint, (1, 0)).round(4)
    array([0.6   , 0.3333])
    """
    p = np.asarray(joint, dtype=np.float64)
    if len(sequence) != p.ndim:
        raise ValueError(f"the joint table has {p.ndim} token axes, the sequence {len(sequence)} tokens")
    factors = []
    for t in range(p.ndim):
        prefix = p[tuple(sequence[:t])]  # the table restricted to the observed prefix
        marginal = prefix.sum(axis=tuple(range(1, prefix.ndim)))  # later tokens summed away
        factors.append(marginal[sequence[t]] / marginal.sum())
    return np.array(factors)
