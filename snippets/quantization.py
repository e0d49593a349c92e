"""Rounding in a differentiable program: the straight-through estimator (STE).

There is no autodiff framework here, so the gradients are computed by a
tiny forward-mode differentiator: a :class:`Dual` carries a value and its
exact Jacobian with respect to the inputs, and every operation applies its
derivative rule. No finite differences are involved. The rules are the
ones frameworks use: ``round`` has derivative 0 (true wherever the
derivative exists, that is away from the half-integers), and
``stop_gradient`` passes the value and blocks the derivative, like
``tensor.detach()`` in PyTorch or ``jax.lax.stop_gradient``.

The straight-through round is then ``x + stop_gradient(round(x) - x)``:
forward it equals ``round(x)`` exactly, backward its Jacobian is the
identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Dual:
    """A value ``(n,)`` with its Jacobian ``(n, m)`` with respect to ``m`` inputs."""

    value: NDArray[np.float64]
    jacobian: NDArray[np.float64]

    def __add__(self, other: Operand) -> Dual:
        v, j = _parts(other, self)
        return Dual(self.value + v, self.jacobian + j)

    __radd__ = __add__

    def __sub__(self, other: Operand) -> Dual:
        v, j = _parts(other, self)
        return Dual(self.value - v, self.jacobian - j)

    def __rsub__(self, other: Operand) -> Dual:
        v, j = _parts(other, self)
        return Dual(v - self.value, j - self.jacobian)

    def __mul__(self, scalar: float) -> Dual:
        return Dual(self.value * scalar, self.jacobian * scalar)

    __rmul__ = __mul__

    def __truediv__(self, scalar: float) -> Dual:
        return Dual(self.value / scalar, self.jacobian / scalar)


Operand = Union[Dual, ArrayLike]


def _parts(other: Operand, like: Dual) -> tuple[NDArray[np.float64], NDArray[np.float64] | float]:
    if isinstance(other, Dual):
        return other.value, other.jacobian
    return np.asarray(other, dtype=np.float64), 0.0  # a constant has zero derivative


def variable(x: ArrayLike) -> Dual:
    """An input: its value and the identity Jacobian ``d x / d x = I``.

    >>> variable([1.5, -2.0]).jacobian
    array([[1., 0.],
           [0., 1.]])
    """
    v = np.atleast_1d(np.asarray(x, dtype=np.float64))
    if v.ndim != 1:
        raise ValueError("variable() takes a scalar or a 1-D vector")
    return Dual(v, np.eye(v.size))


def stop_gradient(v: Operand) -> Operand:
    """``sg(v)``: the value of ``v`` with zero derivative. On a plain array it is the identity.

    >>> stop_gradient(variable([2.0]) * 3.0)
    Dual(value=array([6.]), jacobian=array([[0.]]))
    >>> stop_gradient(np.array([1.0, 2.0]))
    array([1., 2.])
    """
    if isinstance(v, Dual):
        return Dual(v.value, np.zeros_like(v.jacobian))
    return np.array(v, dtype=np.float64)


def round_half_even(v: Operand) -> Operand:
    """Round to the nearest integer, halves to even (``numpy.round``, ``torch.round``); derivative 0.

    >>> round_half_even(np.array([0.5, 1.5, 2.4, -0.6]))
    array([ 0.,  2.,  2., -1.])
    >>> round_half_even(variable([0.3, 2.8])).jacobian
    array([[0., 0.],
           [0., 0.]])
    """
    if isinstance(v, Dual):
        return Dual(np.round(v.value), np.zeros_like(v.jacobian))
    return np.round(np.asarray(v, dtype=np.float64))


def ste_round(x: Operand) -> Operand:
    """Straight-through round ``x + sg(round(x) - x)``: the value of ``round(x)``, the derivative of ``x``.

    On plain numbers this is just the forward pass, and it is exactly
    ``round(x)``: ``round(x) - x`` and the sum are computed without
    rounding error.

    >>> ste_round(np.array([0.2, 0.7, 1.5, -1.2]))
    array([ 0.,  1.,  2., -1.])
    """
    return x + stop_gradient(round_half_even(x) - x)


def jacobian(f: Callable[[Dual], Operand], x: ArrayLike) -> NDArray[np.float64]:
    """The Jacobian of ``f`` at ``x`` by forward-mode differentiation (exact derivative rules, no step size).

    >>> jacobian(lambda v: 3.0 * v - 1.0, [0.0, 5.0])
    array([[3., 0.],
           [0., 3.]])
    """
    out = f(variable(x))
    if not isinstance(out, Dual):
        raise TypeError("f must build its result from its Dual argument")
    return out.jacobian


def ste_jacobian(x: ArrayLike) -> NDArray[np.float64]:
    """Jacobian of :func:`ste_round` at ``x``: the identity, whatever ``x`` is.

    >>> ste_jacobian([0.2, 2.5, -7.9])
    array([[1., 0., 0.],
           [0., 1., 0.],
           [0., 0., 1.]])
    """
    return jacobian(ste_round, x)


def round_jacobian(x: ArrayLike) -> NDArray[np.float64]:
    """Jacobian of plain :func:`round_half_even` at ``x``: all zeros.

    >>> round_jacobian([0.2, 2.5])
    array([[0., 0.],
           [0., 0.]])
    """
    return jacobian(round_half_even, x)


def fake_quantize(x: ArrayLike, scale: float, qmin: int = -128, qmax: int = 127) -> NDArray[np.float64]:
    """Uniform quantize-dequantize ``scale * clip(round(x / scale), qmin, qmax)`` (int8 range by default).

    Quantization-aware training runs this in the forward pass and uses the
    clipped straight-through derivative :func:`fake_quantize_surrogate` in
    the backward pass.

    >>> fake_quantize([0.26, 0.04, 100.0], scale=0.1)
    array([ 0.3,  0. , 12.7])
    """
    q = np.clip(np.round(np.asarray(x, dtype=np.float64) / scale), qmin, qmax)
    return scale * q


def fake_quantize_surrogate(x: ArrayLike, scale: float, qmin: int = -128, qmax: int = 127) -> NDArray[np.float64]:
    """The clipped STE derivative of :func:`fake_quantize`: 1 inside the representable range, 0 outside.

    >>> fake_quantize_surrogate([0.26, -20.0, 100.0], scale=0.1)
    array([1., 0., 0.])
    """
    z = np.asarray(x, dtype=np.float64) / scale
    return ((z >= qmin - 0.5) & (z <= qmax + 0.5)).astype(np.float64)


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:quantization.<name>).


def ste_staircase() -> Figure:
    """Forward: the round staircase and the identity the backward pass assumes. Backward: derivative 0 vs 1."""
    from matplotlib.figure import Figure

    x = np.linspace(-2.5, 2.5, 1001)
    forward = ste_round(x)
    true_slope = np.diag(round_jacobian(x))
    surrogate = np.diag(ste_jacobian(x))
    fig = Figure(figsize=(7.2, 3.4))
    left, right = fig.subplots(1, 2)
    jumps = np.flatnonzero(np.diff(forward)) + 1
    for piece in np.split(np.arange(x.size), jumps):
        left.plot(x[piece], forward[piece], color="C0", linewidth=2)
    left.plot([], [], color="C0", linewidth=2, label=r"forward: $\mathrm{round}(x)$")
    left.plot(x, x, color="C1", linestyle="--", label="surrogate: $y = x$")
    left.set_xlabel("$x$")
    left.set_ylabel("$y$")
    left.set_title("forward pass")
    left.legend(loc="upper left", fontsize="small")
    right.plot(x, true_slope, color="C0", linewidth=2, label=r"true $d\,\mathrm{round}/dx$")
    right.plot(x, surrogate, color="C1", linestyle="--", linewidth=2, label="STE: 1")
    for jump in (-1.5, -0.5, 0.5, 1.5):
        right.axvline(jump, color="C5", linestyle=":", linewidth=1)
    right.set_ylim(-0.2, 1.3)
    right.set_xlabel("$x$")
    right.set_ylabel("derivative")
    right.set_title("backward pass")
    right.legend(loc="center left", fontsize="small")
    return fig
