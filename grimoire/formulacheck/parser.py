"""Recursive-descent parser from one row of formula tokens to an expression AST (``nodes``).

Precedence, loosest first: ``+``/``-``; products (juxtaposition,
``\\cdot``, ``\\times``, ``\\odot``, ``/``), where a big operator
(``\\sum``, ``\\prod``, ``\\max_j``) takes the rest of the product as its
body; prefix functions (``\\log``, ``\\exp``) take one factor or a
parenthesised argument; postfix ``_`` ``^`` ``!`` and calls of bound
functions bind tightest. Relations and rows are handled by ``equations``.
"""

from __future__ import annotations

from typing import Callable

from grimoire.formulacheck.errors import FormulaError, Location
from grimoire.formulacheck.nodes import (
    BigOp, BinOp, Binom, Call, Factorial, Frac, Func, Index, Name, Neg, Node, Num, Power, Ref,
    Transpose, Tuple, Word,
)
from grimoire.formulacheck.notation import (
    ARG_OPS, CONDITION_OPS, EXPECTATION_NAMES, INDICATOR_NAMES, MOMENT_WORDS, DerivationNotation,
)
from grimoire.formulacheck.tokens import Token

PREFIX_FUNCTIONS = frozenset({"log", "exp", "sin", "cos", "tanh", "det"})
WORD_FUNCTIONS = frozenset({"tr", "diag", "rank"})
FACTOR_COMMANDS = PREFIX_FUNCTIONS | {"frac", "sqrt", "binom", "lfloor", "lceil", "sum", "prod", "max", "min",
                                      "int", "lim", "nabla"}
OPERATORS = {"*": "cdot", "/": "/", "cdot": "cdot", "times": "times", "odot": "odot", "otimes": "otimes"}

Locate = Callable[[int], Location | None]


class Parser(DerivationNotation):
    """Parser over one row of tokens; ``callables`` are bound names that are functions."""

    def __init__(self, tokens: list[Token], callables: set[str], locate: Locate,
                 letters: dict[str, list[str]] | None = None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.callables = callables
        self.locate = locate
        self.letters = letters or {}
        self.bars: list[str] = []

    def peek(self, ahead: int = 0) -> Token | None:
        index = self.pos + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def advance(self) -> Token:
        token = self.peek()
        if token is None:
            end = self.tokens[-1].end if self.tokens else 0
            raise FormulaError(self.locate(end), "the formula ends too early")
        self.pos += 1
        return token

    def error(self, token: Token, message: str, hint: str | None = None) -> FormulaError:
        return FormulaError(self.locate(token.start), message, hint)

    def expect(self, text: str, kind: str = "sym") -> Token:
        token = self.peek()
        if token is None or token.kind != kind or token.text != text:
            found = "the end" if token is None else f"'{token.text}'"
            raise FormulaError(self.locate(token.start if token else (self.tokens[-1].end if self.tokens else 0)),
                               f"expected '{text}' but found {found}")
        return self.advance()

    def sub(self, tokens: list[Token]) -> Node:
        parser = Parser(tokens, self.callables, self.locate, self.letters)
        node = parser.expression()
        if parser.peek() is not None:
            raise parser.error(parser.peek(), f"unexpected '{parser.peek().text}'")  # type: ignore[union-attr]
        return node

    def expression(self) -> Node:
        first = self.peek()
        if first is not None and first.is_sym("-", "+"):
            self.advance()
            left = self.term()
            left = Neg(operand=left, start=first.start) if first.text == "-" else left
        else:
            left = self.term()
        while (token := self.peek()) is not None and token.is_sym("+", "-"):
            self.advance()
            left = BinOp(op=token.text, left=left, right=self.term(), start=token.start)
        return left

    def term(self) -> Node:
        left = self.operand()
        while (token := self.peek()) is not None:
            if token.kind in ("sym", "cmd") and token.text in OPERATORS:
                self.advance()
                right = self.signed_operand()
                left = BinOp(op=OPERATORS[token.text], left=left, right=right, start=token.start)
            elif self.starts_factor(token):
                left = BinOp(op="mul", left=left, right=self.operand(), start=token.start)
            else:
                break
        return left

    def signed_operand(self) -> Node:
        token = self.peek()
        if token is not None and token.is_sym("-"):
            self.advance()
            return Neg(operand=self.operand(), start=token.start)
        return self.operand()

    def starts_factor(self, token: Token) -> bool:
        if token.kind in ("num", "name", "bound", "word"):
            return True
        if token.is_sym("(", "[", "{"):
            return True
        if token.is_sym("|", "‖"):
            return not (self.bars and self.bars[-1] == token.text)
        return token.kind == "cmd" and token.text in FACTOR_COMMANDS

    def operand(self) -> Node:
        token = self.peek()
        if token is not None and token.is_cmd("sum", "prod"):
            return self.big_operator()
        if token is not None and token.is_cmd("max", "min") and (after := self.peek(1)) and after.is_sym("_"):
            return self.big_operator()
        if token is not None and token.is_sym("-"):
            raise self.error(token, "a minus sign inside a product is ambiguous", "put it in parentheses: a (-b)")
        return self.postfix(self.atom())

    def script_tokens(self) -> list[Token]:
        """The tokens of a sub/superscript argument: a braced group or one token."""
        token = self.advance()
        if not token.is_sym("{"):
            return [token]
        depth, start = 1, self.pos
        while depth:
            inner = self.advance()
            depth += inner.is_sym("{") - inner.is_sym("}")
        return self.tokens[start : self.pos - 1]

    def big_operator(self) -> Node:
        token = self.advance()
        indices: list[str] = []
        lower = upper = excluded = domain = None
        while (script := self.peek()) is not None and script.is_sym("_", "^"):
            self.advance()
            content = self.script_tokens()
            if script.text == "^":
                upper = self.sub(content)
                continue
            split = next((i for i, t in enumerate(content) if t.is_sym("=") or t.is_cmd("ne", "in")), len(content))
            names = [t for t in content[:split] if not t.is_sym(",")]
            if not names or any(t.kind not in ("name", "bound") for t in names):
                raise self.error(script, f"\\{token.text} needs index letters below it, like \\{token.text}_{{j=1}}",
                                 "bind summation indices with single letters, e.g. \\sum_{j=1}^{n}")
            indices = [t.text for t in names]
            if split < len(content) and content[split].is_cmd("in"):
                if len(names) != 1 or split + 1 == len(content):
                    raise self.error(script, f"\\{token.text}_{{... \\in S}} runs one letter through a set",
                                     f"write \\{token.text}_{{t \\in S}}")
                domain = self.set_expression(content[split + 1 :])
            elif split < len(content):
                bound = self.sub(content[split + 1 :])
                if content[split].is_sym("="):
                    lower = bound
                else:
                    excluded = bound
        if not indices:
            raise self.error(token, f"\\{token.text} has no index", "write e.g. \\sum_{j} or \\sum_{j=1}^{n}")
        if domain is not None and upper is not None:
            raise self.error(token, f"\\{token.text} over a set takes no upper bound", f"write \\{token.text}_{{t \\in S}}")
        if (lower is None) != (upper is None):
            raise self.error(token, f"\\{token.text} needs both bounds or none",
                             "write \\sum_{j=1}^{n}, or \\sum_j to run over the indexed axis")
        first = self.peek()
        if first is not None and first.is_sym("-"):
            self.advance()
            body: Node = Neg(operand=self.term(), start=first.start)
        else:
            body = self.term()
        return BigOp(op=token.text, indices=indices, body=body, lower=lower, upper=upper,
                     excluded=excluded, domain=domain, start=token.start)

    def postfix(self, node: Node) -> Node:
        while (token := self.peek()) is not None:
            if token.is_sym("_"):
                self.advance()
                content = self.script_tokens()
                indices = self.index_list(content)
                node = Index(base=node, indices=indices, factors=self.factors(content, indices), start=token.start)
            elif token.is_sym("^"):
                self.advance()
                content = self.script_tokens()
                if len(content) == 1 and (content[0].is_cmd("top") or (content[0].kind == "name" and content[0].text == "T")):
                    node = Transpose(operand=node, start=token.start)
                else:
                    node = Power(base=node, exponent=self.sub(content), start=token.start)
            elif token.is_sym("!"):
                self.advance()
                node = Factorial(operand=node, start=token.start)
            elif token.is_sym("(") and isinstance(node, Ref) and node.callable:
                node = Call(callee=node, args=self.arguments(), start=token.start)
            else:
                return node
        return node

    def index_list(self, content: list[Token]) -> list[Node]:
        groups: list[list[Token]] = [[]]
        for token in content:
            if token.is_sym(","):
                groups.append([])
            else:
                groups[-1].append(token)
        return [self.sub(group) for group in groups]

    def factors(self, content: list[Token], indices: list[Node]) -> list[Node] | None:
        """The separate indices of ``{ij}``, ``{2j}`` or ``{21}`` (letters and single digits)."""
        if len(indices) != 1:
            return None
        if len(content) == 1 and content[0].kind == "num" and content[0].text.isdigit() and len(content[0].text) > 1:
            return [Num(value=float(digit), start=content[0].start) for digit in content[0].text]
        parts = self._juxtaposed(indices[0])
        if len(parts) < 2 or not all(isinstance(p, (Name, Ref)) or (isinstance(p, Num) and p.value.is_integer()
                                                                     and 0 <= p.value <= 9) for p in parts):
            return None
        return parts

    def _juxtaposed(self, node: Node) -> list[Node]:
        if isinstance(node, BinOp) and node.op == "mul":
            return self._juxtaposed(node.left) + self._juxtaposed(node.right)
        return [node]

    def arguments(self) -> list[Node]:
        self.expect("(")
        saved, self.bars = self.bars, []
        args = [self.expression()]
        while (token := self.peek()) is not None and token.is_sym(","):
            self.advance()
            args.append(self.expression())
        self.expect(")")
        self.bars = saved
        return args

    def group_argument(self) -> Node:
        token = self.peek()
        if token is not None and token.is_sym("{"):
            self.advance()
            saved, self.bars = self.bars, []
            node = self.expression()
            self.expect("}")
            self.bars = saved
            return node
        return self.atom()

    def delimited(self, opener: str, closer: str, kind: str = "sym") -> Node:
        self.bars.append(opener)
        node = self.expression()
        self.expect(closer, kind)
        self.bars.pop()
        return node

    def atom(self) -> Node:
        token = self.advance()
        start = token.start
        if token.kind == "num":
            return Num(value=float(token.text), text=token.text, start=start)
        if token.kind == "name":
            if token.text in EXPECTATION_NAMES:
                return self.moment("E", token)
            if token.text in INDICATOR_NAMES and (indicator := self.indicator(token)) is not None:
                return indicator
            return Name(name=token.text, start=start)
        if token.kind == "bound":
            return Ref(key=token.text, callable=token.text in self.callables,
                       letters=list(self.letters.get(token.text, [])), start=start)
        if token.kind == "word":
            if token.text in WORD_FUNCTIONS:
                return self.prefix_function(token.text, start)
            if token.text in MOMENT_WORDS:
                return self.moment(MOMENT_WORDS[token.text], token)
            if token.text in ARG_OPS:
                return self.arg_operator(token.text, token)
            return Word(text=token.text, start=start)
        if token.kind == "env" and token.text == "begin:cases":
            return self.cases(token)
        if token.is_sym("(", "[", "{"):
            closer = {"(": ")", "[": "]", "{": "}"}[token.text]
            saved, self.bars = self.bars, []
            node = self.expression()
            items = [node]
            while (comma := self.peek()) is not None and comma.is_sym(",") and token.text == "(":
                self.advance()
                items.append(self.expression())
            if (comma := self.peek()) is not None and comma.is_sym(","):
                raise self.error(comma, "a comma outside a function call or a vector (a, b, c) cannot be evaluated")
            if (relation := self.peek()) is not None and token.text == "[" and relation.kind in ("sym", "cmd") \
                    and relation.text in CONDITION_OPS:
                node = self.iverson(node)
            self.expect(closer)
            self.bars = saved
            return Tuple(items=items, start=start) if len(items) > 1 else node
        if token.is_sym("|"):
            return Func(name="abs", args=[self.delimited("|", "|")], start=start)
        if token.is_sym("‖"):
            inner = self.delimited("‖", "‖")
            order = None
            if (script := self.peek()) is not None and script.is_sym("_"):
                self.advance()
                order = self.sub(self.script_tokens())
            return Func(name="norm", args=[inner], option=order, start=start)
        if token.kind == "cmd":
            return self.command(token)
        raise self.error(token, f"unexpected '{token.text}'")

    def command(self, token: Token) -> Node:
        name, start = token.text, token.start
        if name == "frac":
            derivative = self.derivative_fraction(start)
            if derivative is not None:
                return derivative
            return Frac(numerator=self.group_argument(), denominator=self.group_argument(), start=start)
        if name == "binom":
            return Binom(n=self.group_argument(), k=self.group_argument(), start=start)
        if name == "sqrt":
            degree = None
            if (bracket := self.peek()) is not None and bracket.is_sym("["):
                self.advance()
                degree = self.expression()
                self.expect("]")
            return Func(name="sqrt", args=[self.group_argument()], option=degree, start=start)
        if name in ("lfloor", "lceil"):
            closer = "rfloor" if name == "lfloor" else "rceil"
            return Func(name=name[1:], args=[self.delimited(name, closer, "cmd")], start=start)
        if name in PREFIX_FUNCTIONS or name in ("max", "min"):
            return self.prefix_function(name, start)
        if name == "int":
            return self.integral(token)
        if name == "lim":
            return self.limit(token)
        if name == "nabla":
            return self.nabla(token)
        raise self.error(token, f"the command \\{name} cannot be evaluated",
                         "bind it in the check block (NAME := python) or mark the formula nocheck")

    def prefix_function(self, name: str, start: int) -> Node:
        option = None
        if name == "log" and (script := self.peek()) is not None and script.is_sym("_"):
            self.advance()
            option = self.sub(self.script_tokens())
        token = self.peek()
        if token is not None and token.is_sym("("):
            return Func(name=name, args=self.arguments(), option=option, start=start)
        if token is None or not self.starts_factor(token):
            raise FormulaError(self.locate(start), f"\\{name} has no argument")
        return Func(name=name, args=[self.operand()], option=option, start=start)
