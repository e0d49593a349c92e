"""Names bound by a check block: matching them in a formula, and their Python spelling.

A block may bind any LaTeX fragment (``\\Sigma_{21}``, ``W_\\text{out}``,
``P(X = x)``). Before structural parsing, every occurrence of a bound
fragment in the formula's token stream is replaced by one ``bound`` token,
longest fragment first, so that ``x_i`` stays an indexing of ``x`` while a
bound ``\\Sigma_{21}`` is a single value.

A single letter inside a bound name that is not bound itself (``i`` and
``j`` in ``\\frac{\\partial s_i}{\\partial x_j}``, ``x`` in ``P(x)``) subscripts
the bound value wherever that letter is an index of the formula (a free
index, or the index of an enclosing sum), in order of appearance; a scalar
value is the same at every index. Other letters (``X`` in ``P(X = x)``)
are just part of the name.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from grimoire.formulacheck.tokens import Token, expand_macros, tokenize

Signature = tuple[tuple[str, str], ...]
ACCENTS = frozenset("hat bar tilde vec dot ddot overline widehat widetilde check".split())


def normalise(tokens: list[Token]) -> list[Token]:
    """Drop braces around a single-token sub/superscript: ``x_{i}`` is ``x_i``."""
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (
            token.is_sym("{")
            and result
            and result[-1].is_sym("_", "^")
            and index + 2 < len(tokens)
            and tokens[index + 2].is_sym("}")
            and tokens[index + 1].kind != "sym"
        ):
            result.append(tokens[index + 1])
            index += 3
            continue
        result.append(token)
        index += 1
    return result


def signature(tokens: list[Token]) -> Signature:
    return tuple((token.kind, token.text) for token in tokens)


@dataclass(frozen=True)
class BoundName:
    """A name as written in the block, its token signature, and its Python identifier."""

    latex: str
    signature: Signature
    python: str


def bound_name(latex: str, macros: dict[str, str]) -> BoundName:
    tokens = normalise(tokenize(expand_macros(latex, macros)))
    return BoundName(latex.strip(), signature(tokens), python_name(tokens))


def python_name(tokens: list[Token]) -> str:
    """The Python identifier for a LaTeX name: ``\\beta`` -> beta, ``\\Sigma_{21}`` -> Sigma_21.

    Letters, digits and command names are kept, joined by ``_``; fonts are
    dropped (``\\mathbf{x}`` -> x) and accents become suffixes
    (``\\hat{\\mu}`` -> mu_hat); ``x'`` is ``x_prime``; a Python keyword gets a
    trailing underscore (``\\lambda`` -> lambda_).
    """
    pieces: list[str] = []
    joined = False  # consecutive plain letters form one word: seed -> seed
    for token in tokens:
        letter = token.kind == "name" and len(token.text) == 1
        if letter and joined:
            pieces[-1] += token.text
            continue
        joined = letter
        if token.kind in ("sym", "quad", "env"):
            continue
        text = token.text.replace("'", "_prime")
        styled = re.fullmatch(r"\\([A-Za-z]+)\{(.*)\}", text)
        if styled:
            text = styled.group(2) + (f"_{styled.group(1)}" if styled.group(1) in ACCENTS else "")
        pieces.extend(part for part in re.split(r"[^A-Za-z0-9_]+", text) if part)
    name = "_".join(pieces) or "value"
    if name[0].isdigit():
        name = "_" + name
    return name + "_" if keyword.iskeyword(name) else name


def substitute(tokens: list[Token], names: dict[Signature, str]) -> tuple[list[Token], set[str]]:
    """Replace bound fragments by ``bound`` tokens (longest first); also return the keys used."""
    tokens = normalise(tokens)
    ordered = sorted(names.items(), key=lambda item: -len(item[0]))
    result: list[Token] = []
    used: set[str] = set()
    index = 0
    while index < len(tokens):
        for sig, key in ordered:
            end = index + len(sig)
            if end <= len(tokens) and signature(tokens[index:end]) == sig:
                result.append(Token("bound", key, tokens[index].start, tokens[end - 1].end))
                used.add(key)
                index = end
                break
        else:
            result.append(tokens[index])
            index += 1
    return result, used
