"""Convolutional layers in numpy: output sizes, parameter counts, receptive fields, and backpropagation.

A "convolution" in deep learning is a cross-correlation: the kernel slides over
the input without being flipped. The functions here compute it with
``numpy.lib.stride_tricks.sliding_window_view`` (no Python loop over positions),
so the sizes the formulas predict can be compared with the arrays actually made.
Gradients are written out by hand (the weight gradient is a correlation of the
input with the output gradient) so that they can be checked against finite
differences; pooling and its backward pass show where the gradient of a window goes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Seed = int | np.random.Generator | None


def conv_output_size(n: int, k: int, p: int = 0, s: int = 1, d: int = 1) -> int:
    """Output length along one axis: ``floor((n + 2p - d(k - 1) - 1) / s) + 1``.

    With dilation ``d = 1`` this is ``floor((n + 2p - k) / s) + 1``; ``0`` when the kernel does not fit.

    >>> conv_output_size(32, 5, p=2), conv_output_size(224, 7, p=3, s=2), conv_output_size(3, 5)
    (32, 112, 0)
    """
    span = d * (k - 1) + 1  # the extent of a dilated kernel
    return max((n + 2 * p - span) // s + 1, 0)


def conv_param_count(k: int, c_in: int, c_out: int, bias: bool = True) -> int:
    """Learned parameters of a ``k x k`` convolution from ``c_in`` to ``c_out`` channels: ``(k^2 c_in + 1) c_out``.

    >>> conv_param_count(5, 3, 16)
    1216
    """
    return (k * k * c_in + int(bias)) * c_out


def receptive_field(kernels: ArrayLike, strides: ArrayLike | None = None,
                    dilations: ArrayLike | None = None) -> NDArray[np.int64]:
    """Receptive fields ``r_0 = 1, r_1, ..., r_L`` of a stack of convolutions (or pools), along one axis.

    ``r_l = r_{l-1} + d_l (k_l - 1) * (s_1 ... s_{l-1})``: layer ``l`` widens the field by its
    dilated kernel's extent minus one, measured in input pixels (the product of earlier strides).

    >>> receptive_field([3, 3, 3]).tolist()
    [1, 3, 5, 7]
    >>> receptive_field([3, 3, 3], strides=[2, 2, 1]).tolist()
    [1, 3, 7, 15]
    """
    k = np.asarray(kernels, dtype=np.int64)
    s = np.ones_like(k) if strides is None else np.asarray(strides, dtype=np.int64)
    d = np.ones_like(k) if dilations is None else np.asarray(dilations, dtype=np.int64)
    jump = np.concatenate([[1], np.cumprod(s)[:-1]])  # input pixels between neighbouring units of layer l-1
    return np.concatenate([[1], 1 + np.cumsum(d * (k - 1) * jump)])


def receptive_field_support(kernels: ArrayLike, strides: ArrayLike | None = None,
                            dilations: ArrayLike | None = None) -> NDArray[np.int64]:
    """The input positions one output unit of a stack of 1-D convolutions reads, found by walking back layer by layer.

    Unit ``i`` of layer ``l`` reads units ``s_l i + d_l h`` (``h = 0..k_l-1``) of layer ``l-1``; starting from
    output unit 0 and applying this to every unit found gives the set of input pixels, whose extent
    (``max - min + 1``) is the receptive field. Independent of the closed form in ``receptive_field``.

    >>> receptive_field_support([2], dilations=[3]).tolist()
    [0, 3]
    """
    k = np.asarray(kernels, dtype=np.int64)
    s = np.ones_like(k) if strides is None else np.asarray(strides, dtype=np.int64)
    d = np.ones_like(k) if dilations is None else np.asarray(dilations, dtype=np.int64)
    positions = np.array([0], dtype=np.int64)
    for kl, sl, dl in zip(k[::-1], s[::-1], d[::-1]):
        positions = np.unique(sl * positions[:, None] + dl * np.arange(kl)[None, :])
    return positions


def receptive_field_extent(kernels: ArrayLike, strides: ArrayLike | None = None,
                           dilations: ArrayLike | None = None) -> int:
    """Extent ``max - min + 1`` of ``receptive_field_support``: the receptive field measured by tracing the stack."""
    support = receptive_field_support(kernels, strides, dilations)
    return int(support[-1] - support[0] + 1)


def init_conv_layer(c_in: int, c_out: int, k: int, seed: Seed = None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The learned arrays of a ``k x k`` convolution layer: weights ``(c_out, c_in, k, k)`` (He-normal) and biases ``(c_out,)``."""
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((c_out, c_in, k, k)) * np.sqrt(2.0 / (c_in * k * k))
    return w, np.zeros(c_out)


def layer_parameter_count(c_in: int, c_out: int, k: int) -> int:
    """Number of learned numbers in ``init_conv_layer``: counted from the arrays, not from a formula."""
    return sum(int(a.size) for a in init_conv_layer(c_in, c_out, k, seed=0))


def correlate2d(x: ArrayLike, w: ArrayLike, stride: int = 1, padding: int = 0,
                dilation: int = 1) -> NDArray[np.float64]:
    """Single-channel 2-D cross-correlation (a deep-learning "convolution"): ``y_ij = sum_hl x[s i + d h, s j + d l] w_hl``.

    Zero padding of ``padding`` pixels on every side; indices from 0.

    >>> correlate2d(np.arange(16.0).reshape(4, 4), np.ones((2, 2)), stride=2).tolist()
    [[10.0, 18.0], [42.0, 50.0]]
    """
    xx = np.pad(np.asarray(x, dtype=np.float64), padding)
    ww = np.asarray(w, dtype=np.float64)
    kh, kw = ww.shape
    span_h, span_w = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    if span_h > xx.shape[0] or span_w > xx.shape[1]:
        return np.zeros((0, 0))
    windows = sliding_window_view(xx, (span_h, span_w))[::stride, ::stride, ::dilation, ::dilation]
    return np.einsum("ijhl,hl->ij", windows, ww)


def delta_response_support(layers: int, k: int, size: int = 15) -> int:
    """Pixels lit by ``layers`` all-ones ``k x k`` "same" convolutions of a ``size x size`` image that is 1 at its
    centre: the pixels whose receptive field contains the centre (``(1 + layers (k - 1))^2`` if it fits)."""
    x = np.zeros((size, size))
    x[size // 2, size // 2] = 1.0
    for _ in range(layers):
        x = correlate2d(x, np.ones((k, k)), padding=(k - 1) // 2)
    return int(np.count_nonzero(x > 0))


def conv2d(x: ArrayLike, w: ArrayLike, b: ArrayLike | None = None, stride: int = 1,
           padding: int = 0) -> NDArray[np.float64]:
    """Multi-channel convolution layer: input ``(C_in, H, W)``, weights ``(C_out, C_in, k, k)``, bias ``(C_out,)``.

    >>> conv2d(np.ones((3, 32, 32)), np.zeros((16, 3, 5, 5)), np.zeros(16), padding=2).shape
    (16, 32, 32)
    """
    xx = np.pad(np.asarray(x, dtype=np.float64), ((0, 0), (padding, padding), (padding, padding)))
    ww = np.asarray(w, dtype=np.float64)
    k = ww.shape[-1]
    windows = sliding_window_view(xx, (k, k), axis=(1, 2))[:, ::stride, ::stride]
    y = np.einsum("cijhl,ochl->oij", windows, ww)
    return y if b is None else y + np.asarray(b, dtype=np.float64)[:, None, None]


def conv_loss(x: ArrayLike, w: ArrayLike, g: ArrayLike) -> float:
    """The linear loss ``L = sum_ij g_ij y_ij`` of ``y = correlate2d(x, w)``: its output gradient is ``g``."""
    return float(np.sum(correlate2d(x, w) * np.asarray(g, dtype=np.float64)))


def conv_weight_grad(x: ArrayLike, g: ArrayLike) -> NDArray[np.float64]:
    """``dL/dW`` of a stride-1 valid correlation: the valid correlation of the input with the output gradient ``g``.

    >>> conv_weight_grad(np.arange(9.0).reshape(3, 3), np.ones((2, 2))).tolist()
    [[8.0, 12.0], [20.0, 24.0]]
    """
    return correlate2d(x, g)


def conv_input_grad(g: ArrayLike, w: ArrayLike) -> NDArray[np.float64]:
    """``dL/dX`` of a stride-1 valid correlation: the full correlation of ``g`` with the kernel rotated by 180 degrees."""
    ww = np.asarray(w, dtype=np.float64)
    return correlate2d(g, ww[::-1, ::-1], padding=ww.shape[0] - 1)


def weight_grad_samples(n: int, k: int, samples: int, sigma_x: float = 1.0, sigma_g: float = 1.0,
                        seed: Seed = None) -> NDArray[np.float64]:
    """Draws of the weight-gradient entry ``dW_11`` for independent inputs ``N(0, sigma_x^2)`` and output
    gradients ``N(0, sigma_g^2)`` of an ``n x n`` input and ``k x k`` kernel, shape ``(samples,)``."""
    rng = np.random.default_rng(seed)
    m = n - k + 1
    x = sigma_x * rng.standard_normal((samples, m, m))  # only the inputs that dW_11 reads
    g = sigma_g * rng.standard_normal((samples, m, m))
    return np.einsum("sij,sij->s", x, g)


def _windows(x: ArrayLike, size: int) -> NDArray[np.float64]:
    """Non-overlapping ``size x size`` windows of ``x``, shape ``(H/size, W/size, size, size)``."""
    xx = np.asarray(x, dtype=np.float64)
    return sliding_window_view(xx, (size, size))[::size, ::size]


def max_pool(x: ArrayLike, size: int = 2) -> NDArray[np.float64]:
    """Max-pooling over non-overlapping ``size x size`` windows (stride = size)."""
    return _windows(x, size).max(axis=(2, 3))


def avg_pool(x: ArrayLike, size: int = 2) -> NDArray[np.float64]:
    """Average-pooling over non-overlapping ``size x size`` windows (stride = size)."""
    return _windows(x, size).mean(axis=(2, 3))


def max_pool_backward(x: ArrayLike, g: ArrayLike, size: int = 2) -> NDArray[np.float64]:
    """Gradient of max-pooling: each window's output gradient goes to the window's largest input, 0 elsewhere.

    >>> max_pool_backward([[1.0, 4.0], [3.0, 2.0]], [[5.0]]).tolist()
    [[0.0, 5.0], [0.0, 0.0]]
    """
    win = _windows(x, size)
    a, b = win.shape[:2]
    flat = win.reshape(a, b, size * size)
    onehot = (np.arange(size * size) == flat.argmax(axis=-1)[..., None]).reshape(a, b, size, size)
    routed = onehot * np.asarray(g, dtype=np.float64)[:, :, None, None]
    out = np.zeros(np.shape(x))
    out[:a * size, :b * size] = routed.transpose(0, 2, 1, 3).reshape(a * size, b * size)
    return out


def avg_pool_backward(g: ArrayLike, size: int = 2, shape: tuple[int, int] | None = None) -> NDArray[np.float64]:
    """Gradient of average-pooling: each input of a window receives the window's gradient divided by ``size^2``.

    >>> avg_pool_backward([[4.0]]).tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    gg = np.asarray(g, dtype=np.float64)
    spread = np.kron(gg, np.ones((size, size))) / size**2
    if shape is None:
        return spread
    out = np.zeros(shape)
    out[:spread.shape[0], :spread.shape[1]] = spread
    return out


def numerical_gradient(f, x: ArrayLike, h: float = 1e-6) -> NDArray[np.float64]:
    """Central finite differences of a scalar function ``f`` at every entry of ``x``."""
    xx = np.asarray(x, dtype=np.float64)
    grad = np.zeros_like(xx)
    for index in np.ndindex(xx.shape):
        step = np.zeros_like(xx)
        step[index] = h
        grad[index] = (f(xx + step) - f(xx - step)) / (2 * h)
    return grad


# --- Figures ---------------------------------------------------------------------


def receptive_field_growth() -> Figure:
    """Receptive field against depth: linear for stride-1 stacks of k = 3, 5, 7; geometric with stride 2 or dilation 2^l."""
    from matplotlib.figure import Figure

    depth = np.arange(0, 9)
    fig = Figure()
    ax = fig.subplots()
    for colour, k in zip(("C0", "C1", "C2"), (3, 5, 7)):
        ax.plot(depth, receptive_field([k] * 8), "o-", color=colour, label=f"{k}×{k}, stride 1")
    ax.plot(depth, receptive_field([3] * 8, strides=[2] * 8), "s--", color="C3", label="3×3, stride 2")
    ax.plot(depth, receptive_field([3] * 8, dilations=2 ** np.arange(8)), "^:", color="C4",
            label="3×3, dilation 1, 2, 4, …")
    ax.set_yscale("log", base=2)
    ax.set_xlabel("number of layers $L$", fontsize=12)
    ax.set_ylabel("receptive field (pixels)", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.legend(fontsize=10)
    return fig


def pooling_gradients() -> Figure:
    """Backpropagation through 2x2 max- and average-pooling of a 4x4 input, with output gradients 1, 2, 3, 4."""
    from matplotlib.figure import Figure

    x = np.random.default_rng(4).integers(0, 10, size=(4, 4)).astype(float)
    g = np.array([[1.0, 2.0], [3.0, 4.0]])
    panels = (("input $x$", x), ("max-pool gradient", max_pool_backward(x, g)),
              ("average-pool gradient", avg_pool_backward(g)))
    fig = Figure(figsize=(7.2, 2.9))
    for ax, (title, values) in zip(fig.subplots(1, 3), panels):
        ax.imshow(values, cmap="Blues", vmin=0, vmax=max(values.max(), 1e-9) * 1.6)
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=12)
        for t in (1.5,):
            ax.axhline(t, color="C1", lw=2)
            ax.axvline(t, color="C1", lw=2)
        ax.set_title(title, fontsize=12)
        ax.set_xticks([])
        ax.set_yticks([])
    return fig


def weight_gradient_spread() -> Figure:
    """Monte Carlo standard deviation of a weight-gradient entry against the input size n (k = 3, unit variances),
    on the line m = n - k + 1."""
    from matplotlib.figure import Figure

    sizes = np.arange(4, 33, 2)
    k = 3
    spread = [weight_grad_samples(int(n), k, 4000, seed=int(n)).std() for n in sizes]
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.subplots()
    ax.plot(sizes, sizes - k + 1, color="C0", lw=1.5, label="theory: $m = n - k + 1$")
    ax.plot(sizes, spread, "o", color="C1", label="Monte Carlo, 4000 draws")
    ax.set_xlabel("input side $n$ (kernel $k = 3$)", fontsize=12)
    ax.set_ylabel("s.d. of $\\partial L / \\partial w_{11}$", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.legend(fontsize=10)
    return fig
