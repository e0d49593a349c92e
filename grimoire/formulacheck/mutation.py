"""Mutation testing of the formula checks: break each formula's LaTeX and expect its check to fail.

``python -m grimoire.formulacheck.mutation PAGES...`` mutates every checked
formula (sign flips, dropped minus, digit changes, dropped or shifted
exponents, swapped fractions, dropped transposes and square roots, shifted
and swapped subscripts, exp/log, max/min and sum/prod swaps; for the
notation of derivations: swapped integral bounds, a limit approached from
the other side, derivatives with respect to another variable, flipped
inequalities, E/Var and argmax/argmin swaps),
runs the check on each mutant, and prints the kill rate per page and overall with
the surviving mutants, which are either equivalent formulas or holes in
the check. Bound names are never mutated (a mutated name would only test
the closed-world rule).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from grimoire.formulacheck.blocks import CheckBlock
from grimoire.formulacheck.errors import CheckFailure, FormulaError
from grimoire.formulacheck.names import bound_name, substitute
from grimoire.formulacheck.pages import Item, items_of_page, site_macros, site_pages
from grimoire.formulacheck.prepare import prepare
from grimoire.formulacheck.runner import run_check
from grimoire.formulacheck.tokens import Token, expand_macros, tokenize

BIG_OPERATORS = ("sum", "prod", "max", "min", "int", "lim", "nabla")
FLIPS = {"le": "\\ge", "ge": "\\le", "<": "\\ge", ">": "\\le"}
NAME_SWAPS = {"\\mathbb{E}": "\\operatorname{Var}", "\\mathbf{1}": "(1-\\mathbf{1})"}
WORD_SWAPS = {"Var": "\\mathbb{E}", "argmax": "\\operatorname*{arg\\,min}", "argmin": "\\operatorname*{arg\\,max}"}
SWAPS = {"exp": "log", "log": "exp", "max": "min", "min": "max", "sum": "prod", "prod": "sum"}
UNARY_CONTEXT = ("{", "(", "[", "=", "&", ",", "\\\\", "<", ">", ":=")


@dataclass(frozen=True)
class Mutant:
    operator: str
    description: str
    latex: str


def _script_end(tokens: list[Token], start: int) -> int:
    """Index of the last token of the script argument (braced group or one token) starting at ``start``."""
    if start >= len(tokens) or not tokens[start].is_sym("{"):
        return start
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].is_sym("{") - tokens[index].is_sym("}")
        if depth == 0:
            return index
    return len(tokens) - 1


def _inner(text: str, tokens: list[Token], start: int, end: int) -> str:
    if tokens[start].is_sym("{"):
        return text[tokens[start].end : tokens[end].start]
    return text[tokens[start].start : tokens[end].end]


def _editable(text: str, macros: dict[str, str], bound: list[str]) -> tuple[list[Token], list[bool], set[int]]:
    """Tokens, which of them may be mutated, and the positions of big-operator scripts."""
    tokens = tokenize(text)
    signatures = {bound_name(name, macros).signature: name for name in bound}
    substituted, _ = substitute(tokens, signatures)
    protected = [(t.start, t.end) for t in substituted if t.kind == "bound"]
    editable = []
    in_comment = False
    for token in tokens:
        in_comment = (in_comment or token.kind == "quad") and not token.is_sym("\\\\")
        inside = any(start <= token.start and token.end <= end for start, end in protected)
        editable.append(not (inside or in_comment or token.kind in ("env", "quad")))
    big_scripts: set[int] = set()
    for index, token in enumerate(tokens):
        if token.is_cmd(*BIG_OPERATORS) or token.is_cmd("log") or token.kind == "word" and token.text in WORD_SWAPS:
            position = index + 1
            while position < len(tokens) and tokens[position].is_sym("_", "^"):
                big_scripts.add(position)
                position = _script_end(tokens, position + 1) + 1
    return tokens, editable, big_scripts


def _edit(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def mutants(text: str, macros: dict[str, str], bound: list[str]) -> list[Mutant]:
    """Every mutant of the macro-expanded formula ``text``, without duplicates."""
    tokens, editable, big_scripts = _editable(text, macros, bound)
    found: dict[str, Mutant] = {}
    generated = itertools.chain(_generate(text, tokens, editable, big_scripts),
                                _derivative_variables(text, macros, bound))
    for mutant in generated:
        if mutant.latex != text and mutant.latex not in found:
            found[mutant.latex] = mutant
    return list(found.values())


def _derivative_variables(text: str, macros: dict[str, str], bound: list[str]) -> Iterator[Mutant]:
    """``\\partial x`` -> ``\\partial y`` (and ``\\nabla_x`` -> ``\\nabla_y``, ``dx`` -> ``dy``): a derivative
    with respect to another bound name of the formula, the first one that differs."""
    tokens = tokenize(text)
    substituted, _ = substitute(tokens, {bound_name(name, macros).signature: name for name in bound})
    # Candidates: bound names that are not applied like functions, f(x).
    names = list(dict.fromkeys(text[t.start:t.end] for i, t in enumerate(substituted) if t.kind == "bound" and not (
        i + 1 < len(substituted) and substituted[i + 1].is_sym("("))))
    denominators: set[int] = set()
    for index, token in enumerate(substituted):
        if token.is_cmd("frac") and index + 1 < len(substituted) and substituted[index + 1].is_sym("{"):
            first_end = _script_end(substituted, index + 1)
            if first_end + 1 < len(substituted) and substituted[first_end + 1].is_sym("{"):
                denominators.update(range(first_end + 1, _script_end(substituted, first_end + 1) + 1))
    variables: list[tuple[Token, Token]] = []  # (the \partial, d or \nabla; the variable's token)
    for index, token in enumerate(substituted[:-1]):
        after = substituted[index + 1]
        if token.is_cmd("nabla") and after.is_sym("_") and index + 2 < len(substituted):
            after = substituted[index + 2]
        elif index not in denominators or not (token.is_cmd("partial") or token.kind == "name" and token.text == "d"):
            continue
        if after.kind == "bound":
            variables.append((token, after))
    differentiated = {text[t.start:t.end] for i, t in enumerate(substituted[1:], start=1)
                      if t.kind == "bound" and substituted[i - 1].is_cmd("partial") and i - 1 not in denominators}
    preferred = list(dict.fromkeys(text[v.start:v.end] for _, v in variables))
    others = preferred + [name for name in names if name not in preferred and name not in differentiated]
    for token, after in variables:
        variable = text[after.start:after.end]
        other = next((name for name in others if name != variable), None)
        if other is not None:
            where = f"at '{text[max(0, token.start - 12):after.end + 12].strip()}'"
            yield Mutant("derivative", f"with respect to {other} instead of {variable} {where}",
                         _edit(text, after.start, after.end, other))


def _generate(text: str, tokens: list[Token], editable: list[bool], big: set[int]) -> Iterator[Mutant]:
    for i, token in enumerate(tokens):
        if not editable[i]:
            continue
        where = f"at '{text[max(0, token.start - 12) : token.end + 12].strip()}'"
        if token.is_sym("+"):
            yield Mutant("sign", f"+ -> - {where}", _edit(text, token.start, token.end, "-"))
        elif token.is_sym("-"):
            previous = tokens[i - 1] if i else None
            unary = previous is None or previous.is_sym(*UNARY_CONTEXT) or previous.is_cmd("le", "ge", "approx", "cdot")
            yield (Mutant("sign", f"drop unary minus {where}", _edit(text, token.start, token.end, " ")) if unary
                   else Mutant("sign", f"- -> + {where}", _edit(text, token.start, token.end, "+")))
        elif token.kind == "num":
            new = str(int(token.text) + 1) if token.text.isdigit() else token.text[:-1] + str((int(token.text[-1]) + 1) % 10)
            yield Mutant("digit", f"{token.text} -> {new} {where}", _edit(text, token.start, token.end, f"{{{new}}}"))
        elif token.kind == "cmd" and token.text in SWAPS:
            new = SWAPS[token.text]
            yield Mutant("function", f"\\{token.text} -> \\{new} {where}", _edit(text, token.start, token.end, f"\\{new} "))
        elif token.is_cmd("frac"):
            first_end = _script_end(tokens, i + 1)
            second_end = _script_end(tokens, first_end + 1)
            if second_end < len(tokens):
                a = text[tokens[i + 1].start : tokens[first_end].end]
                b = text[tokens[first_end + 1].start : tokens[second_end].end]
                yield Mutant("fraction", f"swap fraction {where}",
                             _edit(text, tokens[i + 1].start, tokens[second_end].end, f"{{{b}}}{{{a}}}"))
        elif token.is_cmd("sqrt"):
            end = i
            if i + 1 < len(tokens) and tokens[i + 1].is_sym("["):
                end = next(k for k in range(i + 1, len(tokens)) if tokens[k].is_sym("]"))
            yield Mutant("sqrt", f"drop square root {where}", _edit(text, token.start, tokens[end].end, " "))
        elif token.is_cmd("int"):
            yield from _integral(text, tokens, i, where)
        elif token.is_cmd("to") and i + 1 < len(tokens):
            yield from _approach(text, tokens, i, where)
        elif (token.kind in ("cmd", "sym") and token.text in FLIPS
              and not (i + 1 < len(tokens) and tokens[i + 1].is_sym("}") and i in big)):
            yield Mutant("relation", f"{token.text} -> {FLIPS[token.text]} {where}",
                         _edit(text, token.start, token.end, FLIPS[token.text] + " "))
        elif token.kind == "name" and token.text in NAME_SWAPS:
            yield Mutant("operator", f"{token.text} -> {NAME_SWAPS[token.text]} {where}",
                         _edit(text, token.start, token.end, NAME_SWAPS[token.text]))
        elif token.kind == "word" and token.text in WORD_SWAPS:
            yield Mutant("operator", f"{token.text} -> {WORD_SWAPS[token.text]} {where}",
                         _edit(text, token.start, token.end, WORD_SWAPS[token.text]))
        elif token.is_sym("^") and i + 1 < len(tokens):
            yield from _superscript(text, tokens, i, i in big, where)
        elif token.is_sym("_") and i not in big and i + 1 < len(tokens):
            yield from _subscript(text, tokens, i, where)


def _integral(text: str, tokens: list[Token], i: int, where: str) -> Iterator[Mutant]:
    """``\\int_a^b`` -> ``\\int_b^a`` (the sign of the integral)."""
    scripts: dict[str, tuple[int, int]] = {}
    position = i + 1
    while position < len(tokens) and tokens[position].is_sym("_", "^") and position + 1 < len(tokens):
        end = _script_end(tokens, position + 1)
        scripts[tokens[position].text] = (position + 1, end)
        position = end + 1
    if set(scripts) == {"_", "^"}:
        lower, upper = (_inner(text, tokens, *scripts[key]) for key in ("_", "^"))
        start, stop = tokens[i + 1].start, tokens[position - 1].end
        yield Mutant("bounds", f"swap integral bounds {where}", _edit(text, start, stop, f"_{{{upper}}}^{{{lower}}}"))


def _approach(text: str, tokens: list[Token], i: int, where: str) -> Iterator[Mutant]:
    """``x \\to a^{+}`` -> ``x \\to a^{-}``, and a finite target a -> a + 1."""
    sides = [k for k in range(i + 1, min(i + 6, len(tokens))) if tokens[k].is_sym("+", "-")
             and tokens[k - 1].is_sym("^", "{")]
    if sides:
        side = tokens[sides[0]]
        yield Mutant("limit", f"approach from the other side {where}",
                     _edit(text, side.start, side.end, "-" if side.text == "+" else "+"))
    target = tokens[i + 1]
    if target.kind == "num":
        yield Mutant("limit", f"target {target.text} -> {target.text}+1 {where}",
                     _edit(text, target.start, target.end, f"({target.text}+1)"))


def _superscript(text: str, tokens: list[Token], i: int, upper_bound: bool, where: str) -> Iterator[Mutant]:
    end = _script_end(tokens, i + 1)
    inner = _inner(text, tokens, i + 1, end)
    content = tokens[i + 1 : end + 1] if not tokens[i + 1].is_sym("{") else tokens[i + 2 : end]
    start, stop = tokens[i].start, tokens[end].end
    if len(content) == 1 and (content[0].is_cmd("top") or (content[0].kind == "name" and content[0].text == "T")):
        yield Mutant("transpose", f"drop transpose {where}", _edit(text, start, stop, " "))
    elif upper_bound:
        if inner.strip() in ("\\infty", "+\\infty", "{+}", "+", "-", "2"):
            return  # infinity - 1 is infinity; a limit's side and \nabla^2 have their own mutants
        yield Mutant("index", f"upper bound {inner} -> {inner}-1 {where}", _edit(text, start, stop, f"^{{{inner}-1}}"))
    else:
        yield Mutant("exponent", f"drop exponent ^{{{inner}}} {where}", _edit(text, start, stop, " "))
        if not (len(content) == 1 and content[0].kind == "num"):
            yield Mutant("exponent", f"exponent {inner} -> ({inner})+1 {where}",
                         _edit(text, start, stop, f"^{{({inner})+1}}"))


def _subscript(text: str, tokens: list[Token], i: int, where: str) -> Iterator[Mutant]:
    end = _script_end(tokens, i + 1)
    content = tokens[i + 1 : end + 1] if not tokens[i + 1].is_sym("{") else tokens[i + 2 : end]
    start, stop = tokens[i].start, tokens[end].end
    letters = [t for t in content if not t.is_sym(",")]
    if len(letters) == 2 and all(t.kind == "name" for t in letters):
        swapped = f"_{{{letters[1].text},{letters[0].text}}}"
        yield Mutant("index", f"swap subscripts {where}", _edit(text, start, stop, swapped))
        return
    if any(t.is_sym(",") for t in content) or not content:
        return
    inner = _inner(text, tokens, i + 1, end)
    for shift in ("+1", "-1"):
        yield Mutant("index", f"subscript {inner} -> {inner}{shift} {where}", _edit(text, start, stop, f"_{{{inner}{shift}}}"))


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0].split(": ", 1)[-1]


@dataclass(frozen=True)
class MutantResult:
    item_id: str
    mutant: Mutant
    killed: bool
    by_error: bool
    reason: str = ""


def run_mutants(item: Item, examples: int | None = None) -> tuple[list[MutantResult], str | None]:
    """Run every mutant of one checked formula; the string is why the formula itself could not be used."""
    macros = site_macros()
    assert isinstance(item.block, CheckBlock)
    try:
        run_check(prepare(item.formula, item.block, macros), examples)
        expanded = expand_macros(item.formula.latex, macros)
    except (FormulaError, CheckFailure) as error:
        return [], f"the unmutated check fails: {str(error).splitlines()[0]}"
    bound = [entry.name for entry in item.block.entries if entry.name != "lhs"]
    results = []
    for mutant in mutants(expanded, macros, bound):
        formula = dataclasses.replace(item.formula, latex=mutant.latex)
        try:
            run_check(prepare(formula, item.block, macros), examples, shrink=False)
            results.append(MutantResult(item.id, mutant, False, False))
        except CheckFailure as failure:
            results.append(MutantResult(item.id, mutant, True, False, _first_line(failure)))
        except FormulaError as error:
            results.append(MutantResult(item.id, mutant, True, True, _first_line(error)))
    return results, None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grimoire.formulacheck.mutation", description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", type=Path, help="Markdown pages (default: every site page)")
    parser.add_argument("--examples", type=int, default=None, help="examples per mutant (default: the block's)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every mutant and what killed it")
    args = parser.parse_args(argv)
    pages = args.pages or site_pages()
    items = [item for page in pages for item in items_of_page(page) if isinstance(item.block, CheckBlock)]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(run_mutants, items, [args.examples] * len(items)))
    by_page: dict[str, list[MutantResult]] = {}
    for item, (results, problem) in zip(items, outcomes):
        by_page.setdefault(item.formula.path, []).extend(results)
        if problem:
            print(f"{item.id}: skipped, {problem}")
    total = killed = 0
    for page, results in by_page.items():
        page_killed = sum(r.killed for r in results)
        errors = sum(r.by_error for r in results)
        total, killed = total + len(results), killed + page_killed
        rate = 100.0 * page_killed / len(results) if results else 100.0
        print(f"{page}: {page_killed}/{len(results)} mutants killed ({rate:.1f}%; {errors} by a check-block error)")
    rate = 100.0 * killed / total if total else 100.0
    print(f"overall: {killed}/{total} mutants killed ({rate:.1f}%)")
    if args.verbose:
        for result in (r for results in by_page.values() for r in results if r.killed):
            print(f"  killed {result.item_id} [{result.mutant.operator}] {result.mutant.description}: {result.reason}")
    survivors = [r for results in by_page.values() for r in results if not r.killed]
    if survivors:
        print("survivors (equivalent formulas, or holes in the check):")
        for result in survivors:
            print(f"  {result.item_id} [{result.mutant.operator}] {result.mutant.description}")
    return 1 if any(problem for _, problem in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
