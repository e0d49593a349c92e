"""The abstract syntax tree of a formula: what the parser builds and the evaluator walks.

Nodes compare by identity (``eq=False``) so that they can key per-example
caches. ``start`` is the node's offset in the macro-expanded LaTeX, used to
name the line of an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator


@dataclass(eq=False, kw_only=True)
class Node:
    start: int = 0

    def children(self) -> Iterator["Node"]:
        for value in vars(self).values():
            if isinstance(value, Node):
                yield value
            elif isinstance(value, list):
                yield from (item for item in value if isinstance(item, Node))

    def walk(self) -> Iterator["Node"]:
        yield self
        for child in self.children():
            yield from child.walk()


@dataclass(eq=False, kw_only=True)
class Num(Node):
    value: float
    text: str = ""  # as written, for the precision of a worked example's rounded value


@dataclass(eq=False, kw_only=True)
class Tuple(Node):
    """A vector written out, ``(0.659, 0.242, 0.099)``."""

    items: list[Node] = field(default_factory=list)


@dataclass(eq=False, kw_only=True)
class Name(Node):
    """A LaTeX name not bound by the check block: a constant (e, pi) or an index."""

    name: str


@dataclass(eq=False, kw_only=True)
class Ref(Node):
    """A name bound by the check block (drawn or ``:=``), matched as a token sequence."""

    key: str
    callable: bool = False
    letters: list[str] = field(default_factory=list)  # unbound letters of the name: subscripts when indices


@dataclass(eq=False, kw_only=True)
class Word(Node):
    """An upright word (``\\mathrm{tr}``) that is not a bound name."""

    text: str


@dataclass(eq=False, kw_only=True)
class Neg(Node):
    operand: Node


@dataclass(eq=False, kw_only=True)
class BinOp(Node):
    """``op`` is one of + - / mul (juxtaposition) cdot times odot."""

    op: str
    left: Node
    right: Node


@dataclass(eq=False, kw_only=True)
class Frac(Node):
    numerator: Node
    denominator: Node


@dataclass(eq=False, kw_only=True)
class Power(Node):
    base: Node
    exponent: Node


@dataclass(eq=False, kw_only=True)
class Transpose(Node):
    operand: Node


@dataclass(eq=False, kw_only=True)
class Index(Node):
    """``base_{indices}``. ``factors`` is set for a subscript like ``{ij}``, ``{2j}`` or ``{21}``: it
    means several indices when the base has that many axes, else the product (``x_{2i}``)."""

    base: Node
    indices: list[Node] = field(default_factory=list)
    factors: list[Node] | None = None


@dataclass(eq=False, kw_only=True)
class Call(Node):
    callee: Node
    args: list[Node] = field(default_factory=list)


@dataclass(eq=False, kw_only=True)
class Func(Node):
    """A built-in function: log exp sqrt max min sin cos tanh det tr floor ceil abs norm."""

    name: str
    args: list[Node] = field(default_factory=list)
    option: Node | None = None  # log base, root degree or norm order


@dataclass(eq=False, kw_only=True)
class BigOp(Node):
    """``\\sum``, ``\\prod``, ``\\max``, ``\\min`` over one or more indices."""

    op: str
    indices: list[str]
    body: Node
    lower: Node | None = None
    upper: Node | None = None
    excluded: Node | None = None  # from \sum_{j \ne i}


@dataclass(eq=False, kw_only=True)
class Factorial(Node):
    operand: Node


@dataclass(eq=False, kw_only=True)
class Binom(Node):
    n: Node
    k: Node


@dataclass(frozen=True)
class Relation:
    """One checked pair ``left op right`` of a chain; ``offset`` is where its relation sign is."""

    left: Node
    op: str
    right: Node
    offset: int
    span: tuple[int, int] = (0, 0)  # offsets of the pair's text in the expanded LaTeX


INDEXING_OPS = ("sum", "prod", "max", "min")
EXPLICIT_PRODUCTS = ("cdot", "times", "odot", "*", "/")
