"""Parsing of derivation notation, mixed into ``parser.Parser``: calculus, moments, cases, argmax.

Derivatives: ``\\frac{\\partial f}{\\partial x}``, ``\\frac{\\partial}{\\partial x_j} f``,
``\\frac{\\partial^2 f}{\\partial x_i \\partial x_j}``, ``\\frac{d f}{d x}`` (an unbound upright or
italic ``d``), ``\\nabla_x f`` and ``\\nabla^2_x f``; the variable is a bound name or one entry of it.
Integrals ``\\int_a^b f \\, dx`` and limits ``\\lim_{x \\to a^{+}} f`` bind a letter of their own,
like a sum's index. ``\\E``, ``\\Var``, ``\\Cov`` and ``\\operatorname{sd}`` take a bracketed
argument (``\\E[X]``, ``\\Cov(X, Y)``) or the next factor (``\\E \\|x\\|^2``). ``cases`` rows are
``value & condition``, ``\\text{otherwise}`` for the last one; indicators are ``\\mathbb{1}[c]``,
``\\mathbb{1}_{c}``, ``\\mathbf{1}\\{c\\}`` and Iverson brackets ``[c]``; ``\\argmax_{j} f`` and
``\\argmin_{x \\in S} f`` run over an axis or a set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grimoire.formulacheck.nodes import (
    ArgOp, Cases, Condition, Derivative, Index, Indicator, Integral, Limit, Moment, Neg, Node, Num, Power, Ref, Tuple,
)
from grimoire.formulacheck.tokens import Token

if TYPE_CHECKING:
    from grimoire.formulacheck.parser import Parser

    _Base = Parser
else:
    _Base = object

CONDITION_OPS = {"=": "=", "ne": "ne", "<": "<", ">": ">", "le": "<=", "ge": ">="}
MOMENT_WORDS = {"Var": "Var", "Cov": "Cov", "sd": "sd", "Std": "sd", "std": "sd"}
EXPECTATION_NAMES = frozenset({"\\mathbb{E}", "\\operatorname{E}"})
INDICATOR_NAMES = frozenset({"\\mathbb{1}", "\\mathbf{1}", "\\mathbb{I}"})
CONDITION_WORDS = frozenset({"if", "for", "when", "where"})
OTHERWISE_WORDS = frozenset({"otherwise", "else"})
ARG_OPS = frozenset({"argmax", "argmin"})


def is_differential(token: Token) -> bool:
    """An unbound ``d`` (italic or ``\\mathrm{d}``): the d of ``dx``."""
    return token.kind == "name" and token.text == "d"


class DerivationNotation(_Base):
    """Methods of ``Parser`` for the notation of derivations; see the module docstring."""

    def braced_tokens(self) -> list[Token] | None:
        """The tokens of the braced group at the cursor (consumed), or None if there is none."""
        token = self.peek()
        if token is None or not token.is_sym("{"):
            return None
        return self.script_tokens()

    def derivative_fraction(self, start: int) -> Node | None:
        """``\\frac{\\partial ...}{\\partial ...}`` at the cursor (after ``\\frac``), else None (nothing consumed)."""
        opening, mark = self.peek(), self.peek(1)
        if opening is None or mark is None or not opening.is_sym("{") or not (
                mark.is_cmd("partial") or is_differential(mark)):
            return None
        saved = self.pos
        numerator = self.braced_tokens()
        denominator = self.braced_tokens() if numerator is not None else None
        if numerator is None or denominator is None or not numerator or not denominator:
            self.pos = saved
            return None
        mark = numerator[0]
        partial = mark.is_cmd("partial")
        if not (partial or is_differential(mark)) or not (denominator[0].is_cmd("partial") if partial
                                                            else is_differential(denominator[0])):
            self.pos = saved
            return None
        if len(denominator) < 2:
            self.pos = saved
            return None
        order, rest = 1, numerator[1:]
        if rest and rest[0].is_sym("^"):
            if len(rest) < 2 or rest[1].kind != "num":
                raise self.error(rest[0], "the order of a derivative must be a number, like \\partial^2")
            order, rest = int(rest[1].text), rest[2:]
        variables = self.derivative_variables(denominator, partial)
        if len(variables) != order:
            raise self.error(mark, f"a derivative of order {order} needs {order} variable(s) below, "
                                   f"found {len(variables)}", "write \\frac{\\partial^2 f}{\\partial x \\partial y} "
                                   "or \\frac{\\partial^2 f}{\\partial x^2}")
        if rest:
            body = self.sub(rest)
        else:
            body = self.operator_body(mark)
        return Derivative(body=body, variables=variables, start=start)

    def derivative_variables(self, tokens: list[Token], partial: bool) -> list[Node]:
        """The variables of a derivative's denominator: ``\\partial x_i \\partial x_j``, ``\\partial x^2``."""
        groups: list[list[Token]] = []
        for token in tokens:
            if token.is_cmd("partial") if partial else is_differential(token):
                groups.append([])
            elif not groups:
                raise self.error(token, "unexpected token in the denominator of a derivative")
            else:
                groups[-1].append(token)
        variables: list[Node] = []
        for group in groups:
            if not group:
                raise self.error(tokens[0], "a \\partial without a variable below a derivative")
            node = self.sub(group)
            times = 1
            if isinstance(node, Power):
                exponent = node.exponent
                if not (isinstance(exponent, Num) and exponent.value.is_integer()):
                    raise self.error(group[0], "the power of a derivative variable must be a whole number")
                times, node = int(exponent.value), node.base
            self.require_variable(node, group[0])
            variables += [node] * times
        return variables

    def require_variable(self, node: Node, token: Token) -> None:
        base = node.base if isinstance(node, Index) else node
        if not isinstance(base, Ref):
            raise self.error(token, "a derivative is taken with respect to a name bound in the check block "
                                    "(x, or an entry x_j of it)", "draw the variable: x : real -1..1")

    def operator_body(self, token: Token) -> Node:
        """The operand of an operator such as ``\\frac{\\partial}{\\partial x}``, ``\\lim`` or ``\\int``: the rest
        of the product, like the body of a sum."""
        first = self.peek()
        if first is None:
            raise self.error(token, "the operator has nothing to apply to")
        if first.is_sym("-"):
            self.advance()
            return Neg(operand=self.term(), start=first.start)
        return self.term()

    def nabla(self, token: Token) -> Node:
        order, variable = 1, None
        while (script := self.peek()) is not None and script.is_sym("_", "^"):
            self.advance()
            content = self.script_tokens()
            if script.text == "^":
                if len(content) != 1 or content[0].text not in ("1", "2"):
                    raise self.error(script, "\\nabla takes the power 2 (the Hessian) or none")
                order = int(content[0].text)
            else:
                variable = self.sub(content)
                self.require_variable(variable, content[0])
        if variable is None:
            raise self.error(token, "\\nabla needs the variable as a subscript", "write \\nabla_x f(x)")
        body = self.operator_body(token)
        return Derivative(body=body, variables=[variable] * order, hessian=order == 2, start=token.start)

    def integral(self, token: Token) -> Node:
        lower = upper = None
        while (script := self.peek()) is not None and script.is_sym("_", "^"):
            self.advance()
            bound = self.sub(self.script_tokens())
            lower, upper = (bound, upper) if script.text == "_" else (lower, bound)
        if lower is None or upper is None:
            raise self.error(token, "an integral needs both bounds", "write \\int_{a}^{b} f(x) \\, dx")
        depth, end = 0, None
        for index in range(self.pos, len(self.tokens) - 1):
            item = self.tokens[index]
            depth += item.is_sym("{", "(", "[") - item.is_sym("}", ")", "]")
            if depth == 0 and is_differential(item) and self.tokens[index + 1].kind == "name":
                end = index
                break
            if depth < 0:
                break
        if end is None:
            raise self.error(token, "the integral has no differential", "end the integrand with \\, dx")
        body_tokens = self.tokens[self.pos:end]
        if not body_tokens:
            raise self.error(token, "the integral has nothing to integrate")
        variable = self.tokens[end + 1].text
        body = self.sub(body_tokens)
        self.pos = end + 2
        return Integral(variable=variable, lower=lower, upper=upper, body=body, start=token.start)

    def limit(self, token: Token) -> Node:
        script = self.peek()
        if script is None or not script.is_sym("_"):
            raise self.error(token, "\\lim needs its variable and target below it", "write \\lim_{n \\to \\infty}")
        self.advance()
        content = self.script_tokens()
        if len(content) < 3 or content[0].kind != "name" or not content[1].is_cmd("to"):
            raise self.error(script, "\\lim_{...} must read 'letter \\to target'", "write \\lim_{x \\to 0^{+}}")
        target_tokens, side = content[2:], ""
        if len(target_tokens) >= 2 and target_tokens[-2].is_sym("^") and target_tokens[-1].is_sym("+", "-"):
            side, target_tokens = target_tokens[-1].text, target_tokens[:-2]
        elif (len(target_tokens) >= 4 and target_tokens[-4].is_sym("^") and target_tokens[-3].is_sym("{")
              and target_tokens[-2].is_sym("+", "-") and target_tokens[-1].is_sym("}")):
            side, target_tokens = target_tokens[-2].text, target_tokens[:-4]
        if not target_tokens:
            raise self.error(script, "\\lim has no target")
        target = self.sub(target_tokens)
        body = self.operator_body(token)
        return Limit(variable=content[0].text, target=target, side=side, body=body, start=token.start)

    def moment(self, kind: str, token: Token) -> Node:
        script = self.peek()
        if script is not None and script.is_sym("_"):
            self.advance()
            self.script_tokens()  # \E_{X \sim p}: the distributions are declared in the check block
        opener = self.peek()
        if opener is not None and opener.is_sym("["):
            self.advance()
            saved, self.bars = self.bars, []
            args = [self.expression()]
            self.expect("]")
            self.bars = saved
        elif opener is not None and opener.is_sym("("):
            args = self.arguments()
        elif opener is not None and self.starts_factor(opener):
            args = [self.operand()]
        else:
            raise self.error(token, f"{kind} has no argument", f"write {kind}[X]")
        expected = 2 if kind == "Cov" else 1
        if len(args) != expected:
            raise self.error(token, f"{kind} takes {expected} argument(s), got {len(args)}")
        return Moment(kind=kind, args=args, start=token.start)

    def condition(self) -> Node:
        """``a op b`` (a truth value); a bare expression is true where it is not zero."""
        left = self.expression()
        token = self.peek()
        if token is not None and token.kind in ("sym", "cmd") and token.text in CONDITION_OPS:
            self.advance()
            right = self.expression()
            return Condition(left=left, op=CONDITION_OPS[token.text], right=right, start=token.start)
        return left

    def iverson(self, left: Node) -> Node:
        """The rest of an Iverson bracket ``[a op b]`` whose left side ``left`` is parsed."""
        token = self.advance()
        right = self.expression()
        return Indicator(condition=Condition(left=left, op=CONDITION_OPS[token.text], right=right, start=token.start),
                         start=left.start)

    def indicator(self, token: Token) -> Node | None:
        """``\\mathbb{1}[c]``, ``\\mathbb{1}_{c}``, ``\\mathbf{1}\\{c\\}``; None when the name is not followed by a
        condition (``\\mathbf{1}`` is then the ones vector, or whatever the block binds)."""
        after = self.peek()
        if after is None:
            return None
        if after.is_sym("_"):
            saved = self.pos
            self.advance()
            content = self.script_tokens()
            if any(t.kind in ("sym", "cmd") and t.text in CONDITION_OPS for t in content):
                parser = type(self)(content, self.callables, self.locate, self.letters)
                node = parser.condition()
                return Indicator(condition=node, start=token.start)
            self.pos = saved
            return None
        pairs = {"[": ("sym", "]"), "(": ("sym", ")"), "{": ("cmd", "}")}
        opening = next((pair for text, pair in pairs.items()
                        if (after.is_sym(text) if pair[0] == "sym" else after.is_cmd(text))), None)
        if opening is None:
            return None
        self.advance()
        saved, self.bars = self.bars, []
        node = self.condition()
        self.expect(opening[1], opening[0])
        self.bars = saved
        return Indicator(condition=node, start=token.start)

    def cases(self, token: Token) -> Node:
        values: list[Node] = []
        conditions: list[Node | None] = []
        while True:
            values.append(self.expression())
            condition: Node | None = None
            if (amp := self.peek()) is not None and amp.is_sym("&"):
                self.advance()
                while (word := self.peek()) is not None and (
                        word.kind == "word" and word.text.strip() in CONDITION_WORDS or word.is_sym(",")):
                    self.advance()
                word = self.peek()
                if word is not None and word.kind == "word" and word.text.strip().rstrip(",.") in OTHERWISE_WORDS:
                    self.advance()
                else:
                    condition = self.condition()
            conditions.append(condition)
            while (mark := self.peek()) is not None and mark.is_sym(",", ".", ";"):
                self.advance()
            end = self.advance()
            if end.kind == "env" and end.text == "end:cases":
                break
            if not end.is_sym("\\\\"):
                raise self.error(end, f"unexpected '{end.text}' in a cases row",
                                 "write value & condition \\\\ value & \\text{otherwise}")
        if any(c is None for c in conditions[:-1]):
            raise self.error(token, "only the last row of cases may be 'otherwise'")
        return Cases(values=values, conditions=conditions, start=token.start)

    def arg_operator(self, name: str, token: Token) -> Node:
        script = self.peek()
        if script is None or not script.is_sym("_"):
            raise self.error(token, f"\\{name} needs what it runs over below it", f"write \\{name}_{{j}} x_j")
        self.advance()
        content = self.script_tokens()
        if not content or content[0].kind not in ("name", "bound"):
            raise self.error(script, f"\\{name}_{{...}} must start with the letter it binds")
        domain = None
        if len(content) > 1:
            if not content[1].is_cmd("in"):
                raise self.error(content[1], f"expected \\in after the letter of \\{name}",
                                 f"write \\{name}_{{j}} or \\{name}_{{x \\in S}}")
            domain = self.set_expression(content[2:])
        body = self.operator_body(token)
        return ArgOp(op=name, index=content[0].text, body=body, domain=domain, start=token.start)

    def set_expression(self, tokens: list[Token]) -> Node:
        """A finite set: a bound vector, or the members listed as ``\\{a, b, c\\}``."""
        if tokens and tokens[0].is_cmd("{") and tokens[-1].is_cmd("}"):
            members: list[list[Token]] = [[]]
            for item in tokens[1:-1]:
                if item.is_sym(","):
                    members.append([])
                else:
                    members[-1].append(item)
            return Tuple(items=[self.sub(m) for m in members], start=tokens[0].start)
        return self.sub(tokens)

