"""The input side of a Vision Transformer (ViT): cut an image into patches and turn them into tokens.

An image is ``(H, W, C)``. ``patchify`` cuts it into ``N = H W / P^2``
non-overlapping ``P x P`` patches, in reading order (left to right, then
top to bottom), each flattened to ``P^2 C`` numbers. ``vit_input`` projects
the flattened patches linearly with ``E`` (``(P^2 C, D)``), puts the learned
class token in front and adds the learned position embeddings ``E_pos``
(``(N + 1, D)``): the sequence ``z_0`` the Transformer encoder reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def patch_count(height: int, width: int, P: int) -> int:
    """``N = H W / P^2``, the number of patches; the sides must be multiples of ``P``.

    >>> patch_count(224, 224, 16)
    196
    """
    if height % P or width % P:
        raise ValueError(f"a {height} x {width} image cannot be cut into whole {P} x {P} patches")
    return (height // P) * (width // P)


def patchify(image: ArrayLike, P: int) -> NDArray[np.float64]:
    """The image's ``P x P`` patches, flattened, one per row: shape ``(N, P^2 C)``.

    Within a patch the numbers run row by row, pixel by pixel, channel by channel.

    >>> patchify(np.arange(16.0).reshape(4, 4, 1), 2)
    array([[ 0.,  1.,  4.,  5.],
           [ 2.,  3.,  6.,  7.],
           [ 8.,  9., 12., 13.],
           [10., 11., 14., 15.]])
    """
    img = np.asarray(image, dtype=np.float64)
    if img.ndim == 2:
        img = img[:, :, None]
    height, width, channels = img.shape
    patch_count(height, width, P)  # validates the sides
    grid = img.reshape(height // P, P, width // P, P, channels).transpose(0, 2, 1, 3, 4)
    return grid.reshape(-1, P * P * channels)


def vit_input(image: ArrayLike, P: int, E: ArrayLike, x_class: ArrayLike, E_pos: ArrayLike) -> NDArray[np.float64]:
    """``z_0 = [x_class; x_p^1 E; ...; x_p^N E] + E_pos``: shape ``(N + 1, D)``.

    >>> z0 = vit_input(np.ones((4, 4, 1)), 2, np.ones((4, 3)), np.zeros(3), np.zeros((5, 3)))
    >>> z0[:2]
    array([[0., 0., 0.],
           [4., 4., 4.]])
    """
    tokens = patchify(image, P) @ np.asarray(E, dtype=np.float64)
    sequence = np.vstack([np.asarray(x_class, dtype=np.float64)[None, :], tokens])
    pos = np.asarray(E_pos, dtype=np.float64)
    if pos.shape != sequence.shape:
        raise ValueError(f"E_pos must be (N + 1, D) = {sequence.shape}, got {pos.shape}")
    return sequence + pos


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:vision_transformer.<name>).


def _toy_image(size: int = 32) -> NDArray[np.float64]:
    """A small RGB picture: a sky gradient, a sun and a hill, values in [0, 1]."""
    y, x = np.mgrid[0:size, 0:size] / (size - 1)
    image = np.stack([0.55 + 0.3 * y, 0.75 + 0.15 * y, 0.95 - 0.1 * y], axis=-1)
    sun = (x - 0.72) ** 2 + (y - 0.28) ** 2 < 0.025
    image[sun] = (1.0, 0.8, 0.2)
    hill = y > 0.72 - 0.25 * np.sin(np.pi * x) * 0.9
    image[hill] = np.stack([0.25 + 0.1 * x[hill], 0.6 - 0.2 * y[hill], 0.25 * np.ones(hill.sum())], axis=-1)
    return image


def patching() -> Figure:
    """A 32 x 32 image cut into 16 patches of 8 x 8, numbered in reading order, and the token sequence."""
    from matplotlib.figure import Figure

    image, P = _toy_image(), 8
    patches = patchify(image, P)
    n_side = image.shape[0] // P
    fig = Figure(figsize=(7.2, 3.5))
    grid = fig.add_gridspec(2, 2, width_ratios=(1, 2.4), height_ratios=(1, 1))
    left = fig.add_subplot(grid[:, 0])
    left.imshow(image, interpolation="nearest")
    for k in range(1, n_side):
        left.axhline(k * P - 0.5, color="white", linewidth=2)
        left.axvline(k * P - 0.5, color="white", linewidth=2)
    for n in range(patches.shape[0]):
        r, c = divmod(n, n_side)
        left.text(c * P + 0.8, r * P + 0.8, str(n + 1), color="white", fontsize=9, weight="bold", va="top",
                  bbox={"facecolor": "black", "alpha": 0.5, "pad": 1.2, "edgecolor": "none"})
    left.set_title(f"image {image.shape[0]}\u00d7{image.shape[1]}, $P$ = {P}", fontweight="normal")
    left.set_axis_off()
    strip = fig.add_subplot(grid[0, 1])
    tiles = [np.ones((P, P, 3))] + [patches[n].reshape(P, P, 3) for n in range(patches.shape[0])]
    gap = np.ones((P, 2, 3))
    strip.imshow(np.concatenate([np.concatenate([t, gap], axis=1) for t in tiles], axis=1), interpolation="nearest")
    strip.text(P / 2 - 0.5, P / 2 - 0.5, "cls", ha="center", va="center", fontsize=9, weight="bold")
    for n in range(patches.shape[0]):
        strip.text((n + 1) * (P + 2) + P / 2 - 0.5, P + 1.5, str(n + 1), ha="center", va="top", fontsize=9)
    strip.set_title(f"sequence: class token + {patches.shape[0]} patch tokens", fontweight="normal")
    strip.set_axis_off()
    note = fig.add_subplot(grid[1, 1])
    note.set_axis_off()
    note.text(0.0, 0.75, f"each patch flattened to $P^2 C$ = {patches.shape[1]} numbers,", fontsize=10)
    note.text(0.0, 0.5, "projected linearly to width $D$ by $E$,", fontsize=10)
    note.text(0.0, 0.25, "plus a learned position embedding per slot", fontsize=10)
    return fig
