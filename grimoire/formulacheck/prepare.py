"""Turn a display formula and its check block into a ready-to-run ``Check``.

Everything an author can get wrong without running anything is found here
and reported with ``file:line``: malformed LaTeX, identifiers that are
neither bound nor constants nor indices (closed world), bindings the
formula never uses, Python that names nothing, and checks that never call
project code (which would compare the formula with itself).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from grimoire.formulacheck.bindings import CompiledBinding, compile_binding
from grimoire.formulacheck.blocks import LHS, Binding, CheckBlock, Member, Options, RandomVariable, Sampler, closest
from grimoire.formulacheck.errors import FormulaError, Location
from grimoire.formulacheck.evaluator import (
    CONSTANTS, NORM_NAMES, bound_variable, dependencies, is_kronecker, scope_parts, subscript_uses,
)
from grimoire.formulacheck.extract import DisplayFormula
from grimoire.formulacheck.moments import RandomSpec
from grimoire.formulacheck.names import Signature, bound_name, substitute
from grimoire.formulacheck.nodes import BigOp, Func, Name, Neg, Node, Num, Ref, Relation, Tuple, Word
from grimoire.formulacheck.equations import parse_formula
from grimoire.formulacheck.parser import Locate, Parser
from grimoire.formulacheck.tokens import expand_macros, tokenize

_ROW_MARKS = re.compile(r"\\\\|&")  # line breaks and alignment marks of an aligned step, not part of its text
# Names a random variable's drawing code sees besides the entries above it.
DRAW_NAMES = {"samples": "the number of draws", "seed": "the seed of the draws"}


@dataclass(frozen=True)
class PreparedSampler:
    kind: str
    args: list[Node]
    low: Node | None
    high: Node | None


@dataclass(frozen=True)
class Entry:
    """One block line, ready: a sampler with parsed bounds, or a compiled binding."""

    key: str
    latex: str
    python: str
    location: Location
    sampler: PreparedSampler | None = None
    binding: CompiledBinding | None = None
    random: RandomSpec | None = None  # a random variable (its code, if any, is also ``binding``)
    members: Node | None = None  # a set variable: the set its members come from
    deferred: bool = False  # a binding that reads a set variable: evaluated for each member, never alone


@dataclass(frozen=True)
class CheckedRelation:
    relation: Relation
    location: Location
    free: tuple[str, ...]
    text: str
    approx_atol: float | None = None  # for '\\approx' a rounded literal: half a unit in its last place
    step: int = 1  # 1-based position of the relation among the formula's relations (a derivation's step)
    steps: int = 1
    infinite: bool = False  # one side is written as +-\\infty: equal infinities agree


@dataclass(frozen=True)
class Check:
    location: Location
    latex: str
    entries: list[Entry]
    relations: list[CheckedRelation]
    deps: dict[Node, frozenset[str]]
    options: Options
    index_ranges: dict[str, tuple[Node, Node]]
    implementations: tuple[str, ...]
    random: dict[str, RandomSpec]


class _Names:
    """The bound names seen so far, for matching in LaTeX and for Python."""

    def __init__(self, macros: dict[str, str]) -> None:
        self.macros = macros
        self.signatures: dict[Signature, str] = {}
        self.python: dict[str, str] = {}  # python name -> key

    def add(self, latex: str, location: Location) -> tuple[str, str]:
        if latex == LHS:
            return LHS, LHS
        try:
            name = bound_name(latex, self.macros)
        except FormulaError as error:
            raise error.at(location) from None
        if not name.signature:
            raise FormulaError(location, f"'{latex}' is not a name")
        if name.signature in self.signatures:
            raise FormulaError(location, f"{latex} is bound twice", "keep one line per name")
        if name.python in self.python:
            raise FormulaError(location, f"{latex} and {self.python[name.python]} have the same Python name "
                               f"'{name.python}'", "rename one of them in the formula")
        self.signatures[name.signature] = name.latex
        self.python[name.python] = name.latex
        return name.latex, name.python

    def python_of(self, key: str) -> str | None:
        return next((python for python, latex in self.python.items() if latex == key), None)

    def listing(self) -> str:
        return ", ".join(self.signatures.values()) or "none"

    def letters(self) -> dict[str, list[str]]:
        """Per bound name, its single letters that are not bound themselves (i, j in \\partial s_i / \\partial x_j)."""
        found: dict[str, list[str]] = {}
        for signature, key in self.signatures.items():
            letters = [text for kind, text in signature if kind == "name" and len(text) == 1
                       and text.isalpha() and ((kind, text),) not in self.signatures]
            if letters and len(signature) > 1:
                found[key] = list(dict.fromkeys(letters))
        return found


def parse_expression(text: str, names: _Names, location: Location) -> Node:
    """A LaTeX expression of a block line (sampler bound, @index bound) over earlier names."""
    try:
        tokens, _ = substitute(tokenize(expand_macros(text, names.macros)), names.signatures)
        parser = Parser(tokens, set(), lambda offset: location)
        node = parser.expression()
        if parser.peek() is not None:
            raise FormulaError(location, f"unexpected '{parser.peek().text}' in '{text}'")  # type: ignore[union-attr]
    except FormulaError as error:
        raise error.at(location) from None
    for sub in node.walk():
        if isinstance(sub, (Name, Word)) and getattr(sub, "name", None) not in CONSTANTS:
            shown = sub.name if isinstance(sub, Name) else sub.text
            raise FormulaError(location, f"'{shown}' in '{text}' is not bound above this line",
                               f"bound so far: {names.listing()}")
    return node


def _unknown(node: Node, names: _Names, locate: Locate) -> FormulaError:
    shown = node.name if isinstance(node, Name) else f"\\mathrm{{{node.text}}}"  # type: ignore[attr-defined]
    guess = closest(shown, list(names.signatures.values()))
    hint = (f"did you mean {guess}? " if guess else "") + f"bound names: {names.listing()}; " + \
        "bind it in the check block (NAME : sampler or NAME := python)"
    if isinstance(node, Name):
        hint += f", or if it is an index that never subscripts an array on its own, add '@index {shown} low..high'"
    kind = "identifier" if isinstance(node, Name) else "operator"
    return FormulaError(locate(node.start), f"unknown {kind} '{shown}'", hint)


def _unbound(node: Node, scope: frozenset[str]) -> list[Node]:
    if isinstance(node, Word):
        return [node]
    if is_kronecker(node):
        return [found for index in node.indices for found in _unbound(index, scope)]  # type: ignore[attr-defined]
    if isinstance(node, Name):
        return [] if node.name in scope or node.name in CONSTANTS else [node]
    if isinstance(node, Func) and node.name == "norm" and isinstance(node.option, Name) \
            and node.option.name in NORM_NAMES:  # \|A\|_F names the norm; it is no variable
        return [found for arg in node.args for found in _unbound(arg, scope)]
    found: list[Node] = []
    letters = node.indices if isinstance(node, BigOp) else [bound_variable(node)] if bound_variable(node) else None
    if letters is not None:
        for part in scope_parts(node):
            found += _unbound(part, scope)
        return found + _unbound(node.body, scope | set(letters))  # type: ignore[attr-defined]
    for child in node.children():
        found += _unbound(child, scope)
    return found


def free_indices(relation: Relation, declared: set[str], names: _Names, locate: Locate) -> tuple[str, ...]:
    """The unbound names of ``relation`` that subscript something (or are declared): checked at every value."""
    free: list[str] = []
    letters = {letter for side in (relation.left, relation.right) for node in side.walk()
               if isinstance(node, Ref) for letter in node.letters}
    for node in _unbound(relation.left, frozenset()) + _unbound(relation.right, frozenset()):
        if isinstance(node, Name) and (node.name in declared or node.name in letters
                                       or any(subscript_uses(relation.left, node.name))
                                       or any(subscript_uses(relation.right, node.name))):
            if node.name not in free:
                free.append(node.name)
        else:
            raise _unknown(node, names, locate)
    return tuple(free)


def _literals(node: Node) -> list[Num] | None:
    if isinstance(node, Num):
        return [node]
    if isinstance(node, Neg):
        return _literals(node.operand)
    if isinstance(node, Tuple):
        parts = [_literals(item) for item in node.items]
        return None if any(p is None for p in parts) else [n for p in parts for n in p]  # type: ignore[union-attr]
    return None


def _step_text(expanded: str, relation: Relation) -> str:
    """The LaTeX of one step, without the line breaks and alignment marks of an aligned block."""
    return " ".join(_ROW_MARKS.sub(" ", expanded[relation.span[0]:relation.span[1]]).split())


def is_infinity(node: Node) -> bool:
    """``\\infty``, ``+\\infty`` or ``-\\infty`` as written."""
    inner = node.operand if isinstance(node, Neg) else node
    return isinstance(inner, Name) and inner.name == "\\infty"


def rounding(relation: Relation) -> float | None:
    """For ``a \\approx 0.167``: half a unit in the last written place of the rounded literal."""
    if relation.op != "approx":
        return None
    literals = _literals(relation.right) or _literals(relation.left)
    if not literals:
        return None
    places = max(len(n.text.partition(".")[2]) for n in literals)
    return 0.5 * 10.0 ** -places


def _refs(node: Node | None) -> set[str]:
    return set() if node is None else {sub.key for sub in node.walk() if isinstance(sub, Ref)}


def prepare(formula: DisplayFormula, block: CheckBlock, macros: dict[str, str]) -> Check:
    where = Location(formula.path, formula.line)
    try:
        expanded = expand_macros(formula.latex, macros)
        tokens = tokenize(expanded)
    except FormulaError as error:
        raise error.at(where) from None

    def locate(offset: int) -> Location:
        return Location(formula.path, formula.latex_line + expanded.count("\n", 0, offset))

    names = _Names(macros)
    entries: list[Entry] = []
    random_python: set[str] = set()
    member_python: set[str] = set()
    for position, item in enumerate(block.entries):
        if isinstance(item, RandomVariable):
            entries += _random_entries(item, names, position, random_python)
            continue
        if isinstance(item, Member):
            members = parse_expression(item.members, names, item.location)
            key, python = names.add(item.name, item.location)
            member_python.add(python)
            entries.append(Entry(key, item.name, python, item.location, members=members))
            continue
        if isinstance(item, Binding):
            _no_random_python(item.python, item.location, random_python)
        if isinstance(item, Sampler):
            args = [parse_expression(arg, names, item.location) for arg in item.args]
            low = None if item.low is None else parse_expression(item.low, names, item.location)
            high = None if item.high is None else parse_expression(item.high, names, item.location)
            key, python = names.add(item.name, item.location)
            entries.append(Entry(key, item.name, python, item.location, PreparedSampler(item.kind, args, low, high)))
        else:
            available = {py: latex for py, latex in names.python.items() if py not in random_python}
            compiled = compile_binding(item.python, item.location, available)
            key, python = names.add(item.name, item.location)
            deferred = bool(compiled.names & member_python)
            if deferred:
                member_python.add(python)
            entries.append(Entry(key, item.name, python, item.location, binding=compiled, deferred=deferred))
    callables = {entry.key for entry in entries
                 if entry.binding is not None and entry.binding.is_function and entry.random is None}
    substituted, used = substitute(tokens, names.signatures)
    parsed = parse_formula(substituted, callables, locate, names.letters())
    has_lhs = any(entry.key == LHS for entry in entries)
    if parsed.bare is not None:
        if not has_lhs:
            raise FormulaError(where, "the formula states no relation (=, \\le, ...)",
                               "bind 'lhs := snippets.module.function(...)' to compare the expression with code")
        relations = [Relation(Ref(key=LHS), "=", parsed.bare, 0)]
        used.add(LHS)
    elif has_lhs:
        raise FormulaError(where, "'lhs' is only for a formula without a relation sign")
    else:
        relations = parsed.relations
    index_ranges = {r.name: (parse_expression(r.low, names, r.location), parse_expression(r.high, names, r.location))
                    for r in block.options.indices}
    checked = [CheckedRelation(rel, locate(rel.offset), free_indices(rel, set(index_ranges), names, locate),
                               _step_text(expanded, rel) or f"lhs = {formula.latex.strip()}",
                               rounding(rel), step, len(relations), is_infinity(rel.left) or is_infinity(rel.right))
               for step, rel in enumerate(relations, start=1)]
    for name in index_ranges:
        if not any(name in rel.free for rel in checked):
            raise FormulaError(block.location, f"@index {name}: {name} is not an index of the formula")
    _check_usage(entries, used, block, index_ranges, where)
    random = {key: entry.random for entry in entries if entry.random is not None for key in entry.random.keys}
    deps: dict[Node, frozenset[str]] = {}
    roots = [side for rel in relations for side in (rel.left, rel.right)]
    roots += [node for bounds in index_ranges.values() for node in bounds]
    roots += [node for entry in entries if entry.random for node in entry.random.parameters + entry.random.shape_args]
    for root in roots:
        deps.update(dependencies(root, frozenset(random)))
    implementations = tuple(dict.fromkeys(
        ref for entry in entries if entry.binding for ref in entry.binding.project_refs))
    return Check(where, expanded, entries, checked, deps, block.options, index_ranges, implementations, random)


def _no_random_python(python: str, location: Location, random_python: set[str]) -> None:
    try:
        used = {node.id for node in ast.walk(ast.parse(python, mode="eval")) if isinstance(node, ast.Name)}
    except SyntaxError:
        return
    random = sorted(used & random_python)
    if random:
        raise FormulaError(location, f"'{random[0]}' is a random variable and has no single value for a binding",
                           "use it in the formula inside \\E[...], \\Var(...) or \\Cov(...)")


def _random_entries(item: RandomVariable, names: _Names, position: int, random_python: set[str]) -> list[Entry]:
    """The entries of a random-variable line: one per name, sharing one spec (a joint draw)."""
    parameters = tuple(parse_expression(p, names, item.location) for p in item.parameters)
    shape_args = tuple(parse_expression(a, names, item.location) for a in item.shape_args)
    for node in parameters + shape_args:
        for ref in (n for n in node.walk() if isinstance(n, Ref)):
            if names.python_of(ref.key) in random_python:
                raise FormulaError(item.location, f"the parameters of {item.name} use the random variable {ref.key}",
                                   "declare parameters from drawn or bound values only")
    code = None
    if item.python is not None:
        available = {py: latex for py, latex in names.python.items() if py not in random_python}
        available.update(DRAW_NAMES)
        code = compile_binding(item.python, item.location, available)
    keys = []
    pythons = []
    for name in item.names:
        key, python = names.add(name, item.location)
        keys.append(key)
        pythons.append(python)
    random_python.update(pythons)
    spec = RandomSpec(tuple(keys), item.family, parameters, item.shape, shape_args, code, position)
    return [Entry(key, name, python, item.location, binding=code, random=spec)
            for key, name, python in zip(keys, item.names, pythons)]


def _check_usage(entries: list[Entry], used: set[str], block: CheckBlock,
                 index_ranges: dict[str, tuple[Node, Node]], where: Location) -> None:
    """Every entry is used; the formula (through its bindings) reaches project code."""
    by_python = {entry.python: entry.key for entry in entries}
    needs: dict[str, set[str]] = {}
    for entry in entries:
        if entry.random is not None:
            parts = list(entry.random.parameters + entry.random.shape_args)
            needs[entry.key] = set().union(*(_refs(part) for part in parts))
            if entry.binding is not None:
                needs[entry.key] |= {by_python[name] for name in entry.binding.names if name in by_python}
        elif entry.sampler is not None:
            parts = entry.sampler.args + [entry.sampler.low, entry.sampler.high]  # type: ignore[list-item]
            needs[entry.key] = set().union(*(_refs(part) for part in parts))
        elif entry.members is not None:
            needs[entry.key] = _refs(entry.members)
        else:
            assert entry.binding is not None
            needs[entry.key] = {by_python[name] for name in entry.binding.names if name in by_python}
    referenced = set(used).union(*needs.values(), *(_refs(a) | _refs(b) for a, b in index_ranges.values()))
    for entry in entries:
        if entry.key not in referenced:
            raise FormulaError(entry.location, f"{entry.latex} is bound but neither the formula nor another line uses it",
                               "remove the line, or spell the name as the formula does "
                               "(names are matched token by token)")
    reached, frontier = set(), set(used)
    while frontier:
        key = frontier.pop()
        reached.add(key)
        frontier |= needs.get(key, set()) - reached
    calls_project = any(entry.binding and entry.binding.project_refs and entry.key in reached for entry in entries)
    if not calls_project and not block.options.identity:
        raise FormulaError(block.location, "this check never calls project code, so it would compare the formula "
                           "with itself", "bind the implementation (NAME := snippets.module.function) or, "
                           "for a pure identity, add @identity")
