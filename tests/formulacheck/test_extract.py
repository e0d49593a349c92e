"""Finding display formulas and their blocks in Markdown, with 1-based line numbers."""

from __future__ import annotations

from grimoire.formulacheck.extract import extract_formulas

PAGE = """# Title
Inline $x$ and $$-free text.

$$
a = b
$$
<!-- check
n : int 1..8
-->

```markdown
$$
inside a fence
$$
```

<!-- $$ inside a comment $$ -->
  $$ c = d $$

<!-- nocheck: a definition
  of notation -->
$$
e
$$
Some text.
$$ f
= g $$

<!-- check-doctest
>>> 1
1
-->
~~~
$$ x $$
~~~
$$x$$
<!-- just a remark -->
"""


def test_formulas_lines_and_blocks() -> None:
    formulas = extract_formulas(PAGE, "glossary/p.md")
    assert [(f.line, f.latex.strip(), f.latex_line) for f in formulas] == [
        (4, "a = b", 5), (18, "c = d", 18), (22, "e", 23), (26, "f\n= g", 26), (36, "x", 36)]
    first = formulas[0].block
    assert first is not None and (first.kind, first.line, first.body_line, first.body) == ("check", 7, 8, "n : int 1..8\n")
    second = formulas[1].block
    assert second is not None and second.kind == "nocheck" and second.line == 20
    assert " ".join(second.body.split()) == "a definition of notation"
    assert formulas[2].block is None
    doctest = formulas[3].block
    assert doctest is not None and doctest.kind == "check-doctest" and doctest.body.strip() == ">>> 1\n1"
    assert formulas[4].block is None and formulas[4].stray_comment == 37


def test_a_formula_at_the_end_of_the_page() -> None:
    assert [f.line for f in extract_formulas("$$\nx\n$$", "p.md")] == [1]


def test_indented_formulas_in_admonitions() -> None:
    text = '!!! note\n    $$\n    y = 2 x\n    $$\n    <!-- nocheck: illustration -->\n'
    (formula,) = extract_formulas(text, "p.md")
    assert formula.line == 2 and formula.block is not None and formula.block.kind == "nocheck"
