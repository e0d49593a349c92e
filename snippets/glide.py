"""GLIDE's in-painting input: the noisy image, the visible part of the original, and the mask, stacked as 7 channels.

Images are channels-first, ``(3, H, W)`` as in PyTorch; the mask ``m`` is
``(H, W)`` (or ``(1, H, W)``) with ``1`` on the region to fill in and ``0``
where the original is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def inpaint_input(x_t: ArrayLike, x0: ArrayLike, mask: ArrayLike) -> NDArray[np.float64]:
    """The 7-channel network input ``[x_t; x0 * (1 - m); m]`` of GLIDE's in-painting model.

    Channels 0-2 are the noisy image, 3-5 the original with the region to
    fill erased (set to 0), 6 the mask itself.

    >>> z = inpaint_input(np.ones((3, 2, 2)), 2 * np.ones((3, 2, 2)), [[1, 0], [0, 0]])
    >>> z.shape, z[3].tolist(), z[6].tolist()
    ((7, 2, 2), [[0.0, 2.0], [2.0, 2.0]], [[1.0, 0.0], [0.0, 0.0]])
    """
    xt = np.asarray(x_t, dtype=np.float64)
    x = np.asarray(x0, dtype=np.float64)
    m = np.asarray(mask, dtype=np.float64)
    if m.ndim == 2:
        m = m[None]
    if xt.shape != x.shape or xt.shape[0] != 3 or m.shape != (1,) + xt.shape[1:]:
        raise ValueError(f"need x_t and x0 of shape (3, H, W) and a mask (H, W); got {xt.shape}, {x.shape}, {m.shape}")
    if not np.all((m == 0) | (m == 1)):
        raise ValueError("the mask must be binary: 1 on the region to fill, 0 elsewhere")
    return np.concatenate([xt, x * (1.0 - m), m], axis=0)


def toy_image(size: int = 32) -> NDArray[np.float64]:
    """A small synthetic RGB picture in ``[-1, 1]`` (a sky gradient, a sun and a ground strip), channels-first.

    >>> toy_image(8).shape
    (3, 8, 8)
    """
    yy, xx = np.mgrid[0:size, 0:size] / (size - 1)
    img = np.stack([0.2 + 0.3 * yy, 0.5 + 0.3 * yy, 0.95 - 0.2 * yy])
    sun = (xx - 0.7) ** 2 + (yy - 0.3) ** 2 < 0.02
    img[:, sun] = np.array([1.0, 0.85, 0.2])[:, None]
    ground = yy > 0.75
    img[:, ground] = np.array([0.3, 0.6, 0.25])[:, None]
    return 2 * img - 1


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:glide.<name>).


def inpainting_channels() -> Figure:
    """The three parts of GLIDE's in-painting input for a toy picture: the noisy image x_t (3 channels),
    the original with the masked square erased (3 channels) and the mask (1 channel)."""
    from matplotlib.figure import Figure

    x0 = toy_image()
    mask = np.zeros(x0.shape[1:])
    mask[10:22, 16:28] = 1.0
    abar = 0.8
    eps = np.random.default_rng(0).standard_normal(x0.shape)
    xt = np.sqrt(abar) * x0 + np.sqrt(1 - abar) * eps
    z = inpaint_input(xt, x0, mask)
    fig = Figure(figsize=(7.0, 2.9))
    axes = fig.subplots(1, 3)
    panels = ((z[0:3], "channels 1–3: $x_t$"), (z[3:6], "channels 4–6: $x_0 \\odot (1 - m)$"),
              (z[6:7], "channel 7: mask $m$"))
    for ax, (part, title) in zip(axes, panels):
        if part.shape[0] == 3:
            ax.imshow(np.clip((np.moveaxis(part, 0, -1) + 1) / 2, 0, 1), interpolation="nearest")
        else:
            ax.imshow(part[0], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(title, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    return fig
