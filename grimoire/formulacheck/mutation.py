"""Mutation testing of the formula checks: break each formula's LaTeX and expect its check to fail.

``python -m grimoire.formulacheck.mutation PAGES...`` mutates every checked
formula (sign flips, dropped minus, digit changes, dropped or shifted
exponents, swapped fractions, dropped transposes and square roots, shifted
and swapped subscripts, exp/log, max/min and sum/prod swaps), runs the
check on each mutant, and prints the kill rate per page and overall with
the surviving mutants, which are either equivalent formulas or holes in
the check. Bound names are never mutated (a mutated name would only test
the closed-world rule).
"""

from __future__ import annotations

import argparse
import dataclasses
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

BIG_OPERATORS = ("sum", "prod", "max", "min")
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
        if token.is_cmd(*BIG_OPERATORS) or token.is_cmd("log"):
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
    for mutant in _generate(text, tokens, editable, big_scripts):
        if mutant.latex != text and mutant.latex not in found:
            found[mutant.latex] = mutant
    return list(found.values())


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
        elif token.is_sym("^") and i + 1 < len(tokens):
            yield from _superscript(text, tokens, i, i in big, where)
        elif token.is_sym("_") and i not in big and i + 1 < len(tokens):
            yield from _subscript(text, tokens, i, where)


def _superscript(text: str, tokens: list[Token], i: int, upper_bound: bool, where: str) -> Iterator[Mutant]:
    end = _script_end(tokens, i + 1)
    inner = _inner(text, tokens, i + 1, end)
    content = tokens[i + 1 : end + 1] if not tokens[i + 1].is_sym("{") else tokens[i + 2 : end]
    start, stop = tokens[i].start, tokens[end].end
    if len(content) == 1 and (content[0].is_cmd("top") or (content[0].kind == "name" and content[0].text == "T")):
        yield Mutant("transpose", f"drop transpose {where}", _edit(text, start, stop, " "))
    elif upper_bound:
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
