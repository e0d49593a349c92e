"""Turn the LaTeX of a formula into tokens, after expanding the site's macros.

Tokens keep their offsets in the expanded text so that errors can name the
line of a multi-line formula. Spacing and sizing commands are dropped here;
``\\text``/``\\mathrm``/``\\operatorname`` become one ``word`` token, and
letters, Greek letters and styled letters (``\\mathbf{x}``) become ``name``
tokens, so that binding names can be matched token by token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grimoire.formulacheck.errors import FormulaError

GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta "
    "Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell infty".split()
)
# Commands whose braced argument is a styled or accented letter: one name token.
STYLES = frozenset(
    "mathbf mathbb mathcal mathsf mathfrak boldsymbol bm hat bar tilde vec dot ddot overline "
    "widehat widetilde check".split()
)
# Commands whose braced argument is an upright word: one word token.
WORDS = frozenset("mathrm operatorname text textrm textit textnormal mathit".split())
DROPPED = frozenset(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr displaystyle "
    "textstyle limits nolimits , ; : ! > thinspace medspace thickspace enspace".split()
)
ALIASES = {
    "dfrac": "frac", "tfrac": "frac", "ln": "log", "leq": "le", "geq": "ge", "neq": "ne",
    "intercal": "top", "lt": "<", "gt": ">", "ast": "*", "coloneqq": ":=", "leqslant": "le",
    "geqslant": "ge", "cdotp": "cdot", "rightarrow": "to", "mathds": "mathbb",
}
NORM_BARS = frozenset({"|", "Vert", "lVert", "rVert"})
ABS_BARS = frozenset({"vert", "lvert", "rvert", "mid"})
QUADS = frozenset({"quad", "qquad"})

_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")


@dataclass(frozen=True)
class Token:
    """One lexical unit. ``kind`` is num, name, word, cmd, sym, env or quad."""

    kind: str
    text: str
    start: int
    end: int

    def is_sym(self, *texts: str) -> bool:
        return self.kind == "sym" and self.text in texts

    def is_cmd(self, *texts: str) -> bool:
        return self.kind == "cmd" and self.text in texts


def _read_argument(text: str, pos: int) -> tuple[str, int]:
    """The macro argument at ``pos``: a braced group (without braces) or one token."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text):
        raise FormulaError(None, "a macro argument is missing at the end of the formula")
    if text[pos] == "{":
        end = _matching_brace(text, pos)
        return text[pos + 1 : end], end + 1
    word = _CONTROL_WORD.match(text, pos)
    if word:
        return word.group(0), word.end()
    return text[pos : pos + 2] if text[pos] == "\\" else text[pos], pos + (2 if text[pos] == "\\" else 1)


def _matching_brace(text: str, open_pos: int) -> int:
    depth = 0
    pos = open_pos
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        depth += char == "{"
        depth -= char == "}"
        if depth == 0:
            return pos
        pos += 1
    raise FormulaError(None, "unbalanced braces: a '{' is never closed", "add the missing '}'")


def expand_macros(text: str, macros: dict[str, str]) -> str:
    """``text`` with every site macro replaced by its expansion (arguments ``#1``..``#9``)."""
    for _ in range(200):
        for match in _CONTROL_WORD.finditer(text):
            name = "\\" + match.group(1)
            if name in macros:
                break
        else:
            return text
        body = macros[name]
        arity = max((int(d) for d in re.findall(r"#(\d)", body)), default=0)
        pos = match.end()
        for index in range(1, arity + 1):
            argument, pos = _read_argument(text, pos)
            body = body.replace(f"#{index}", argument)
        if re.search(r"\\[A-Za-z]+$", body) and pos < len(text) and text[pos].isalpha():
            body += " "
        text = text[: match.start()] + body + text[pos:]
    raise FormulaError(None, "macro expansion does not terminate (a macro expands to itself?)")


def _group_tokens(text: str, pos: int, command: str) -> tuple[list[Token], int]:
    """Tokens of the braced group (or single token) that follows a style/word command."""
    while pos < len(text) and text[pos] == " ":
        pos += 1
    if pos < len(text) and text[pos] == "{":
        end = _matching_brace(text, pos)
        inner = tokenize(text[pos + 1 : end], offset=pos + 1)
        return inner, end + 1
    if pos >= len(text):
        raise FormulaError(None, f"\\{command} needs an argument")
    first = tokenize(text[pos:], offset=pos)
    if not first:
        raise FormulaError(None, f"\\{command} needs an argument")
    return [first[0]], first[0].end


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of already macro-expanded LaTeX; offsets are relative to ``offset``."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        start = pos
        if char.isspace() or char == "~":
            pos += 1
            continue
        if char == "%":
            newline = text.find("\n", pos)
            pos = len(text) if newline < 0 else newline
            continue
        if char == "\\":
            pos = _control_sequence(text, pos, offset, tokens)
            continue
        number = _NUMBER.match(text, pos)
        if number:
            after_script = bool(tokens) and (tokens[-1].is_sym("_", "^") or tokens[-1].is_cmd("frac", "binom") or (
                len(tokens) > 1 and tokens[-2].is_cmd("frac", "binom") and tokens[-1].kind in ("num", "name")
                and tokens[-1].end - tokens[-1].start == 1))
            # TeX takes one character for an unbraced argument: x_12 is x_1 2, \frac12 is 1/2.
            end = pos + 1 if after_script else number.end()
            tokens.append(Token("num", text[pos:end], offset + pos, offset + end))
            pos = end
            continue
        if char.isalpha():
            pos += 1
            while pos < len(text) and text[pos] == "'":
                pos += 1
            tokens.append(Token("name", text[start:pos], offset + start, offset + pos))
            continue
        if text.startswith(":=", pos):
            tokens.append(Token("sym", ":=", offset + pos, offset + pos + 2))
            pos += 2
            continue
        tokens.append(Token("sym", char, offset + pos, offset + pos + 1))
        pos += 1
    return tokens


def _control_sequence(text: str, pos: int, offset: int, tokens: list[Token]) -> int:
    """Append the token(s) for the control sequence at ``pos``; return the position after it."""
    word = _CONTROL_WORD.match(text, pos)
    if not word:
        symbol = text[pos + 1 : pos + 2]
        end = pos + 2
        if symbol == "\\":
            tokens.append(Token("sym", "\\\\", offset + pos, offset + end))
        elif symbol == "|":
            tokens.append(Token("sym", "‖", offset + pos, offset + end))
        elif symbol in DROPPED or symbol == " ":
            pass
        else:
            tokens.append(Token("cmd", symbol, offset + pos, offset + end))
        return end
    name = ALIASES.get(word.group(1), word.group(1))
    end = word.end()
    start = offset + pos
    if name in ("left", "right"):
        # \left. and \right. are invisible delimiters: drop the dot too.
        rest = text[end:].lstrip()
        return len(text) - len(rest) + 1 if rest.startswith(".") else end
    if name in DROPPED:
        return end
    if name in QUADS:
        tokens.append(Token("quad", name, start, offset + end))
    elif name in NORM_BARS:
        tokens.append(Token("sym", "‖", start, offset + end))
    elif name in ABS_BARS:
        tokens.append(Token("sym", "|", start, offset + end))
    elif name in ("<", ">", "*", ":="):
        tokens.append(Token("sym", name, start, offset + end))
    elif name in ("begin", "end"):
        env, after = _group_text(text, end)
        tokens.append(Token("env", f"{name}:{env}", start, offset + after))
        return after
    elif name in GREEK:
        prime_end = end
        while prime_end < len(text) and text[prime_end] == "'":
            prime_end += 1
        tokens.append(Token("name", "\\" + name + text[end:prime_end], start, offset + prime_end))
        return prime_end
    elif name in STYLES or name in WORDS:
        if name == "operatorname" and text[end : end + 1] == "*":
            end += 1
        inner, after = _group_tokens(text, end, name)
        inner_text = "".join(t.text for t in inner)
        if name in WORDS and len(inner) == 1 and inner[0].kind == "name":
            tokens.append(Token("name", inner[0].text, start, offset + after))
        elif name in WORDS:
            tokens.append(Token("word", inner_text or " ", start, offset + after))
        else:
            tokens.append(Token("name", f"\\{name}{{{inner_text}}}", start, offset + after))
        return after
    else:
        tokens.append(Token("cmd", name, start, offset + end))
    return end


def _group_text(text: str, pos: int) -> tuple[str, int]:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    if pos >= len(text) or text[pos] != "{":
        raise FormulaError(None, "\\begin/\\end needs an environment name in braces")
    end = _matching_brace(text, pos)
    return text[pos + 1 : end].strip(), end + 1
