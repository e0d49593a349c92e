"""SLiC's calibration losses: make a model's sequence log-likelihoods rank its own candidates by quality.

For one input, ``logp_pos`` is the model's log-probability ``log P(y+ | x)``
of a decoded candidate closer to the reference and ``logp_neg`` that of a
candidate further from it; ``beta`` is the required margin (in nats).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def rank_loss(logp_pos: ArrayLike, logp_neg: ArrayLike, beta: float) -> NDArray[np.float64] | float:
    """SLiC's rank calibration loss ``max(0, beta - log P(y+|x) + log P(y-|x))``.

    Zero once the better candidate is more likely than the worse one by at
    least ``beta`` nats; otherwise it grows linearly with the shortfall.

    >>> rank_loss(-12.0, -11.5, 1.0)
    1.5
    >>> rank_loss(-10.0, -14.0, 1.0)
    0.0
    """
    gap = np.asarray(logp_pos, dtype=np.float64) - np.asarray(logp_neg, dtype=np.float64)
    result = np.maximum(0.0, beta - gap)
    return float(result) if result.ndim == 0 else result

