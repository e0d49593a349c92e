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
    domain: Node | None = None  # from \sum_{t \in S}: the set the one index runs through


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


@dataclass(eq=False, kw_only=True)
class Derivative(Node):
    """``\\frac{\\partial f}{\\partial x}``, ``\\frac{d}{dx} f``, ``\\nabla_x f``: ``body`` differentiated with
    respect to each of ``variables`` in turn (two for a second derivative or a Hessian entry). A variable is
    a bound name (``x``), one entry of it (``x_j``), or the whole vector (a gradient or Jacobian)."""

    body: Node
    variables: list[Node] = field(default_factory=list)
    hessian: bool = False  # \nabla^2_x f: every second derivative of a scalar f over the entries of x


@dataclass(eq=False, kw_only=True)
class Integral(Node):
    """``\\int_{lower}^{upper} body \\, d variable`` over a real letter that only the integral binds."""

    variable: str
    lower: Node
    upper: Node
    body: Node


@dataclass(eq=False, kw_only=True)
class Limit(Node):
    """``\\lim_{variable \\to target^{side}} body``; ``side`` is +, - or '' (both sides)."""

    variable: str
    target: Node
    side: str
    body: Node


@dataclass(eq=False, kw_only=True)
class Moment(Node):
    """An expectation (E), variance (Var), covariance (Cov) or standard deviation (sd) over the random
    variables that the check block declares."""

    kind: str
    args: list[Node] = field(default_factory=list)


@dataclass(eq=False, kw_only=True)
class Condition(Node):
    """A relation used as a truth value, in ``cases``, indicators and Iverson brackets: ``a op b``."""

    left: Node
    op: str  # = ne < <= > >=
    right: Node


@dataclass(eq=False, kw_only=True)
class Cases(Node):
    """``\\begin{cases} v_1 & c_1 \\\\ v_2 & \\text{otherwise} \\end{cases}``; a missing condition is 'otherwise'."""

    values: list[Node] = field(default_factory=list)
    conditions: list[Node | None] = field(default_factory=list)


@dataclass(eq=False, kw_only=True)
class Indicator(Node):
    """``\\mathbb{1}[c]``, ``\\mathbb{1}_{c}``, ``\\mathbf{1}\\{c\\}``: 1 where ``c`` holds, else 0."""

    condition: Node


@dataclass(eq=False, kw_only=True)
class ArgOp(Node):
    """``\\argmax_{j} body`` or ``\\argmin_{j \\in S}``: the (first) index or member of S that is best."""

    op: str  # argmax or argmin
    index: str
    body: Node
    domain: Node | None = None  # the set S, a vector of candidates; None: the axis the index subscripts
