"""Numbered equations: labels and their numbers, references and their links, every error at file:line."""

from __future__ import annotations

import re
import textwrap

import pytest

from grimoire.checks import jobs
from grimoire.checks.build import problem
from grimoire.checks.jobs import CheckResult
from grimoire.equations.build import EquationBuild
from grimoire.equations.cards import equation_card
from grimoire.equations.numbering import number_page, split_rows
from grimoire.equations.references import find_in_prose, link_references
from grimoire.equations.syntax import blank_labels
from grimoire.formula_marks import mark_view
from grimoire.glossary.model import first_display_formula
from grimoire.formulacheck.extract import extract_formulas
from grimoire.formulacheck.pages import items_of_text, site_macros
from grimoire.formulacheck.errors import CheckFailure
from grimoire.formulacheck.runner import check_item, run_item
from grimoire.formulacheck.status import FormulaStatus
from grimoire.mathrender.page_math import typeset_page
from grimoire.mathrender.renderer import MathRenderer
from grimoire.problems import ProblemLog
from tests.conftest import KATEX_DIR


def page(text: str) -> str:
    return textwrap.dedent(text).lstrip()


# Lines: 1 title, 3-5 first display, 7-9 unlabelled, 11-17 aligned with row labels, 19-21 last.
STEPS = page(r"""
    # Steps

    $$
    a = b \label{eq:first}
    $$

    $$
    c = d
    $$

    $$
    \begin{aligned}
    x &= y \label{eq:row-one} \\
    &= z \\
    &= w \label{eq:row-three}
    \end{aligned}
    $$

    $$
    \label{eq:last} e = f
    $$
    """)


def numbered(text: str, path: str = "derivations/steps.md"):
    return number_page(text, path, path)


def test_only_labelled_equations_are_numbered_in_page_order() -> None:
    equations, problems = numbered(STEPS)
    assert problems == []
    assert {name: (e.number, e.line) for name, e in equations.equations.items()} == {
        "eq:first": (1, 4), "eq:row-one": (2, 13), "eq:row-three": (3, 15), "eq:last": (4, 20)}
    first = equations.display_at(4)
    assert first is not None and first.tex == "a = b \\tag{1}" and first.labels == ("eq:first",)
    assert equations.display_at(8) is None  # c = d: no label, no number
    assert equations.display_at(20).tex.endswith("e = f \\tag{4}")


def test_each_labelled_row_of_an_aligned_block_gets_its_own_number() -> None:
    equations, _ = numbered(STEPS)
    display = equations.display_at(12)
    assert display is not None and display.labels == ("eq:row-one", "eq:row-three")
    assert display.tex.startswith("\\begin{align*}") and display.tex.endswith("\\end{align*}")
    assert "x &= y \\tag{2}" in display.tex and "&= w \\tag{3}" in display.tex and "\\label" not in display.tex
    assert "&= z \\\\" in display.tex  # the unlabelled row carries no number
    assert display.number_at(13) == 2 and display.number_at(15) == 3 and display.number_at(14) is None


def test_katex_typesets_one_tag_per_labelled_row(tmp_path) -> None:
    equations, _ = numbered(STEPS)
    renderer = MathRenderer(KATEX_DIR, {}, None)
    try:
        html = "<h1>Steps</h1>" + "".join(
            f'<div class="arithmatex">\\[{tex}\\]</div>'
            for tex in ("a = b \\label{eq:first}", "c = d",
                        "\\begin{aligned}\nx &= y \\label{eq:row-one} \\\\\n&= z \\\\\n&= w \\label{eq:row-three}\n"
                        "\\end{aligned}", "\\label{eq:last} e = f"))
        log = ProblemLog()

        def numbering(line):
            display = equations.display_at(line)
            return None if display is None else (display.tex, display.labels)

        out = typeset_page(html, STEPS, "derivations/steps.md", renderer, log, numbered=numbering)
    finally:
        renderer.close()
    assert log.problems == []
    assert '<div class="arithmatex" id="eq:first">' in out
    assert '<div class="arithmatex" id="eq:row-one"><span class="grimoire-eq-anchor" id="eq:row-three"></span>' in out
    assert '<div class="arithmatex"><span class="katex-display">' in out  # the unlabelled display
    displays = [re.sub(r"<[^>]+>", "", d) for d in out.split('<div class="arithmatex"')[1:]]
    numbers = [re.findall(r"\((\d+)\)", d) for d in displays]  # the tags, as typeset (MathML and HTML)
    assert [sorted(set(n)) for n in numbers] == [["1"], [], ["2", "3"], ["4"]], numbers


def test_a_label_after_the_aligned_block_numbers_the_whole_formula() -> None:
    equations, problems = numbered("$$\n\\begin{aligned}\na &= b \\\\\n&= c\n\\end{aligned} \\label{eq:all}\n$$\n")
    display = equations.display_at(2)
    assert problems == [] and display is not None
    assert display.tex.endswith("\\end{aligned} \\tag{1}") and display.number_at(None) == 1


def test_rows_split_only_at_the_top_level() -> None:
    body = r"a &= \begin{cases} 1 \\ 2 \end{cases} \\ &= {x \\ y} \\ &= c"
    rows = [body[s:e].strip() for s, e in split_rows(body)]
    assert rows == [r"a &= \begin{cases} 1 \\ 2 \end{cases}", r"&= {x \\ y}", "&= c"]


@pytest.mark.parametrize(
    ("text", "line", "message", "hint"),
    [
        ("# T\n\n$$\na = b \\label{first}\n$$\n", 4, "malformed equation label \\label{first}", "'eq:'"),
        ("# T\n\n$$\na \\label{eq:x}\n$$\n\n$$\nb \\label{eq:x}\n$$\n", 8, "duplicate equation label eq:x",
         "own label"),
        ("$$\na = b \\label{eq:x} \\label{eq:y}\n$$\n", 2, "a display formula takes one \\label", "aligned"),
        ("$$\n\\begin{aligned}\na &= b \\label{eq:x} \\label{eq:y}\n\\end{aligned}\n$$\n", 3,
         "a row of an aligned block takes one \\label", "split the row"),
    ],
)
def test_label_errors_name_file_and_line(text: str, line: int, message: str, hint: str) -> None:
    _, problems = numbered(text)
    assert len(problems) == 1, problems
    assert (problems[0].path, problems[0].line) == ("derivations/steps.md", line)
    assert problems[0].message == message and hint in problems[0].hint + problems[0].detail


def test_a_duplicate_label_names_the_first_one() -> None:
    _, (dup,) = numbered("$$\na \\label{eq:x}\n$$\n\n$$\nb \\label{eq:x}\n$$\n")
    assert "equation (1) at line 2" in dup.detail


# References -------------------------------------------------------------------------------------------------

OTHER = page(r"""
    # Other

    $$
    m = n \label{eq:optimum}
    $$
    """)


def linked(markdown: str, first_line: int = 1):
    here, _ = number_page(STEPS, "derivations/steps.md", "derivations/steps.md")
    other, _ = number_page(OTHER, "derivations/other.md", "derivations/other.md")
    pages = {"derivations/steps": here, "derivations/other": other}
    cards: list[str] = []

    def card(resolved) -> str:
        cards.append(resolved.equation.label)
        return f"card-{len(cards) - 1}"

    text, problems = link_references(markdown, "derivations/steps.md", "derivations/steps.md", first_line,
                                     here, pages, card)
    return text, problems, cards


def test_a_reference_links_to_the_equation_on_the_same_page() -> None:
    text, problems, cards = linked("By \\eqref{eq:row-three} and equation \\ref{eq:first}.")
    assert problems == []
    assert text == ('By [(3)](#eq:row-three){ .grimoire-eqref data-card="card-0" } and equation '
                    '[1](#eq:first){ .grimoire-eqref data-card="card-1" }.')
    assert cards == ["eq:row-three", "eq:first"]


def test_a_cross_page_reference_links_to_the_other_pages_equation() -> None:
    text, problems, _ = linked("As in \\eqref{derivations/other#eq:optimum}.")
    assert problems == []
    assert "[(1)](other.md#eq:optimum){ .grimoire-eqref" in text


def test_references_do_not_fire_in_code_comments_or_math() -> None:
    markdown = page(r"""
        `\eqref{eq:nope}` and

        ```
        \eqref{eq:nope}
        ```
        <!-- check
        \eqref{eq:nope}
        -->
        $\eqref{eq:nope}$ but \eqref{eq:first}
        """)
    found = find_in_prose(markdown)
    assert [(f.kind, f.target, f.line) for f in found] == [("eqref", "eq:first", 9)]


@pytest.mark.parametrize(
    ("markdown", "message", "hint"),
    [
        ("Text.\n\nBy \\eqref{eq:frist}.", "\\eqref{eq:frist}: this page has no equation labelled eq:frist",
         "closest labels: eq:first"),
        ("Text.\n\nBy \\eqref{derivations/othr#eq:optimum}.", "\\eqref{derivations/othr#eq:optimum}: no page "
         "derivations/othr", "closest pages: derivations/other"),
        ("Text.\n\nBy \\ref{derivations/other#eq:optimun}.", "\\ref{derivations/other#eq:optimun}: "
         "derivations/other.md has no equation labelled eq:optimun", "closest labels: eq:optimum"),
        ("Text.\n\nBy \\eqref{first}.", "malformed equation reference \\eqref{first}", "\\eqref{eq:name}"),
        ("Text.\n\nBy \\label{eq:here}.", "\\label{eq:here} outside a display formula", "inside the $$"),
    ],
)
def test_reference_errors_name_file_line_and_closest(markdown: str, message: str, hint: str) -> None:
    text, problems, _ = linked(markdown, first_line=10)  # front matter before: line 3 of the body is line 12
    assert len(problems) == 1, problems
    assert (problems[0].path, problems[0].line) == ("derivations/steps.md", 12)
    assert problems[0].message == message and hint in problems[0].hint
    assert "\\eqref" not in text and "\\ref" not in text and "\\label" not in text


def test_an_unresolved_reference_reads_as_latexs_question_marks() -> None:
    text, _, _ = linked("By \\eqref{eq:nope} and \\ref{eq:nope}.")
    assert text == "By (??) and ??."


# Hover cards ------------------------------------------------------------------------------------------------

def test_cards_show_the_typeset_equation_and_escape_the_title() -> None:
    card = equation_card(0, 3, "Q&A <page>", '<span class="katex">x</span>')
    assert card.startswith('<template id="grimoire-eqcard-0">')
    assert "Equation (3) in Q&amp;A &lt;page&gt;" in card
    assert '<div class="grimoire-card__formula"><span class="katex">x</span></div>' in card


def test_a_build_collects_every_page_then_links_and_makes_cards() -> None:
    renderer = MathRenderer(KATEX_DIR, {}, None)
    log = ProblemLog()
    try:
        build = EquationBuild(renderer, log, {"derivations/other.md": "The other page"}.get)
        build.collect([("derivations/steps.md", "derivations/steps.md", STEPS),
                       ("derivations/other.md", "derivations/other.md", OTHER)])
        text = build.link("By \\eqref{derivations/other#eq:optimum}, \\eqref{eq:first}, \\ref{eq:first}.",
                          "derivations/steps.md", "derivations/steps.md", 1)
        cards = build.cards("derivations/steps.md")
    finally:
        renderer.close()
    assert log.problems == []
    assert text.count('data-card="grimoire-eqcard-0"') == 1 and text.count('data-card="grimoire-eqcard-1"') == 2
    assert cards.startswith('<div class="grimoire-cards" hidden>')
    assert "Equation (1) in The other page" in cards and cards.count('class="katex-display"') == 2
    assert "\\label" not in cards and build.anchor_ids("derivations/steps.md")[0] == "eq:first"


# The formula checker and its messages ------------------------------------------------------------------------

CHAIN = page(r"""
    # Softmax

    $$
    \begin{aligned}
    \softmax(x)_i &= \frac{e^{x_i}}{\sum_{j=1}^{n} e^{x_j}} \label{eq:definition} \\
    &= \frac{2 e^{x_i}}{\sum_{j=1}^{n} e^{x_j}} \label{eq:wrong}
    \end{aligned}
    $$
    <!-- check
    n : int 1..4
    x : vector(n) -3..3
    \mathrm{softmax} := snippets.activations.softmax
    -->
    """)


def test_the_checker_reads_a_labelled_formula_without_its_labels_lines_kept() -> None:
    (formula,) = extract_formulas(CHAIN, "glossary/s.md")
    assert "\\label" not in formula.latex and formula.latex == blank_labels(formula.latex)
    assert len(formula.latex) == len(extract_formulas(CHAIN, "glossary/s.md", keep_labels=True)[0].latex)
    assert formula.latex_line == 4


def test_a_failing_step_of_a_numbered_aligned_chain_names_its_equation() -> None:
    (item,) = items_of_text(CHAIN, "glossary/s.md")
    outcome = run_item(item, site_macros(), examples=5)
    assert not outcome.ok and outcome.step == 2, outcome.message
    with pytest.raises(CheckFailure) as failure:
        check_item(item, site_macros(), examples=5)
    assert failure.value.line == 6  # the row "&= 2 e^{x_i} / ..." labelled eq:wrong

    equations = EquationBuild(MathRenderer(KATEX_DIR, {}, None), ProblemLog())
    equations.collect([("glossary/s.md", "glossary/s.md", CHAIN)])
    name = equations.equation_name("glossary/s.md", item.formula.line, failure.value.line)
    assert name == "equation (2)"
    assert equations.equation_name("glossary/s.md", item.formula.line, 5) == "equation (1)"
    result = CheckResult("k", jobs.FAILED, "glossary/s.md:3: formula check failed: the sides differ", 3, 2,
                         step_line=6)
    reported = problem("glossary/s.md", result, name)
    assert reported.location == "glossary/s.md:3"
    assert reported.message.startswith("formula check failed at step 2 (equation (2))")
    status = FormulaStatus(3, "checked", (), "", None)
    view = mark_view(status, result, "glossary/s.md", "glossary/s.md", lambda *a: "", str, equation=name)
    assert view.label == "check failed at step 2 (equation (2))"
    assert CheckResult.from_json("k", result.to_json()).step_line == 6


def test_a_terms_card_shows_its_labelled_defining_formula_without_the_label() -> None:
    assert first_display_formula("Text.\n\n$$\ns(x) = e^x \\label{eq:def}\n$$\n") == "s(x) = e^x"
