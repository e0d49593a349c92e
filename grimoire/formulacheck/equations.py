"""From a display formula's tokens to the relations it states.

``aligned`` rows are split at ``\\\\``, ``&`` and ``\\quad`` comments are
dropped, and a chain ``a = b = c`` becomes the pairs ``a = b`` and
``b = c``; a row that starts with a relation continues the previous row's
chain, any other row starts a new one. A formula without any relation is
returned as a single bare expression (compared with ``lhs := ...``).
"""

from __future__ import annotations

from dataclasses import dataclass

from grimoire.formulacheck.errors import FormulaError
from grimoire.formulacheck.nodes import Node, Relation
from grimoire.formulacheck.parser import Locate, Parser
from grimoire.formulacheck.tokens import Token

RELATIONS = {"=": "=", ":=": "=", "equiv": "=", "approx": "approx", "le": "<=", "<": "<",
             "ge": ">=", ">": ">"}
ALIGN_ENVIRONMENTS = frozenset({"aligned", "align", "align*", "gathered", "gather", "gather*",
                                "split", "equation", "equation*", "alignedat"})
NESTED_ENVIRONMENTS = frozenset({"cases"})


@dataclass(frozen=True)
class ParsedFormula:
    """The relations to check, or the single expression of a formula with no relation."""

    relations: list[Relation]
    bare: Node | None


def _relation(token: Token | None) -> str | None:
    if token is None or token.kind not in ("sym", "cmd"):
        return None
    return RELATIONS.get(token.text)


def split_rows(tokens: list[Token], locate: Locate) -> list[list[Token]]:
    """Rows of an aligned formula, without ``&``, ``\\quad`` comments and trailing punctuation."""
    rows: list[list[Token]] = [[]]
    in_comment = False
    nested = 0  # depth inside cases, whose rows and & belong to the cases expression
    for token in tokens:
        if token.kind == "env" and token.text.split(":", 1)[1] in NESTED_ENVIRONMENTS:
            nested += 1 if token.text.startswith("begin:") else -1
            if not in_comment:
                rows[-1].append(token)
            continue
        if nested:
            if not in_comment and token.kind != "quad":
                rows[-1].append(token)
            continue
        if token.kind == "env":
            env = token.text.split(":", 1)[1]
            if env not in ALIGN_ENVIRONMENTS:
                raise FormulaError(locate(token.start), f"environment '{env}' cannot be evaluated",
                                   "use aligned for multi-line formulas, or mark the formula nocheck")
            continue
        if token.is_sym("\\\\"):
            rows.append([])
            in_comment = False
        elif token.kind == "quad":
            in_comment = True
        elif not in_comment and not token.is_sym("&"):
            rows[-1].append(token)
    for row in rows:
        while row and row[-1].is_sym(",", ".", ";"):
            row.pop()
    return [row for row in rows if row]


def parse_formula(tokens: list[Token], callables: set[str], locate: Locate,
                  letters: dict[str, list[str]] | None = None) -> ParsedFormula:
    """Parse a whole display formula into the relations it states."""
    relations: list[Relation] = []
    chain_end: Node | None = None
    end_start = 0
    bare: Node | None = None
    rows = split_rows(tokens, locate)
    if not rows:
        raise FormulaError(locate(0), "the formula is empty")
    for row in rows:
        parser = Parser(row, callables, locate, letters)
        if _relation(parser.peek()) is None:
            end_start = row[0].start
            chain_end = parser.expression()
            if parser.peek() is None:
                bare = chain_end if len(rows) == 1 else None
        elif chain_end is None:
            raise FormulaError(locate(row[0].start), "the formula starts with a relation sign")
        while parser.peek() is not None:
            token = parser.advance()
            op = _relation(token)
            if op is None:
                raise parser.error(token, f"unexpected '{token.text}'")
            right_start = parser.peek().start if parser.peek() is not None else token.end
            right = parser.expression()
            span = (end_start, row[parser.pos - 1].end)
            relations.append(Relation(chain_end, op, right, token.start, span))
            chain_end, end_start = right, right_start
    return ParsedFormula(relations, bare if not relations else None)


