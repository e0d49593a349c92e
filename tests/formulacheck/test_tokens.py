"""Macro expansion and tokenizing."""

from __future__ import annotations

import pytest

from grimoire.formulacheck.errors import FormulaError
from grimoire.formulacheck.tokens import expand_macros, tokenize
from grimoire.macros import default_macros_path, load_macros

MACROS = load_macros(default_macros_path())


def kinds(latex: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(expand_macros(latex, MACROS))]


def test_site_macros_expand_with_arguments() -> None:
    assert expand_macros(r"\norm{x - y}_2", MACROS) == r"\left\lVert x - y \right\rVert_2"
    assert expand_macros(r"\KL(p \| q)", MACROS) == r"D_{\mathrm{KL}}(p \| q)"
    assert expand_macros(r"\softmax(z)", MACROS) == r"\operatorname{softmax}(z)"


def test_macro_names_match_whole_control_words_only() -> None:
    assert expand_macros(r"\Rightarrow \R", MACROS) == r"\Rightarrow \mathbb{R}"


def test_self_referencing_macro_is_an_error() -> None:
    with pytest.raises(FormulaError, match="does not terminate"):
        expand_macros(r"\loop", {r"\loop": r"\loop x"})


def test_upright_words_are_one_token_whatever_the_command() -> None:
    assert kinds(r"\mathrm{softmax}") == kinds(r"\operatorname{softmax}") == [("word", "softmax")]
    assert kinds(r"\operatorname*{arg\,max}") == [("word", "argmax")]
    assert kinds(r"\text{e}") == [("name", "e")]


def test_letters_greek_and_styled_letters_are_names() -> None:
    assert kinds(r"xy \beta \mathbf{W} \hat{\mu} x'") == [
        ("name", "x"), ("name", "y"), ("name", r"\beta"), ("name", r"\mathbf{W}"), ("name", r"\hat{\mu}"), ("name", "x'")]


def test_unbraced_script_takes_one_digit_as_tex_does() -> None:
    assert kinds("x_12")[:4] == [("name", "x"), ("sym", "_"), ("num", "1"), ("num", "2")]
    assert kinds("3.25 x") == [("num", "3.25"), ("name", "x")]


def test_spacing_and_sizing_commands_are_dropped() -> None:
    assert kinds(r"\left( a \,\; b \right) \bigl[ c \bigr]") == kinds("(a b)[c]")
    assert kinds(r"\left. x \right|") == [("name", "x"), ("sym", "|")]


def test_norm_and_absolute_bars_have_one_spelling_each() -> None:
    assert kinds(r"\| \lVert \rVert \Vert") == [("sym", "‖")] * 4
    assert kinds(r"| \lvert \rvert \vert") == [("sym", "|")] * 4


def test_quad_environments_and_rows_are_marked() -> None:
    assert kinds(r"\begin{aligned} a &= b \\ \end{aligned} \quad") == [
        ("env", "begin:aligned"), ("name", "a"), ("sym", "&"), ("sym", "="), ("name", "b"), ("sym", "\\\\"),
        ("env", "end:aligned"), ("quad", "quad")]


def test_aliases_share_one_spelling() -> None:
    assert kinds(r"\dfrac \ln \leq \geq \intercal") == [
        ("cmd", "frac"), ("cmd", "log"), ("cmd", "le"), ("cmd", "ge"), ("cmd", "top")]


def test_offsets_point_into_the_expanded_text() -> None:
    text = "a +\n  \\beta"
    beta = tokenize(text)[-1]
    assert text[beta.start : beta.end] == r"\beta"


def test_unbalanced_braces_are_an_error() -> None:
    with pytest.raises(FormulaError, match="unbalanced"):
        tokenize(r"\mathrm{softmax")
