"""Parse the check block that follows a display formula.

Three kinds: ``check`` (samplers, random variables, set variables,
bindings and options, one per line), ``check-doctest`` (a reason on its first line, then doctest
source) and ``nocheck: reason``. Errors name the block line at fault and,
for a misspelt keyword, the closest valid one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from grimoire.formulacheck.errors import FormulaError, Location

# sampler -> (number of size arguments, whether it takes a lo..hi range)
SAMPLERS: dict[str, tuple[int, bool]] = {
    "int": (0, True), "real": (0, True), "vector": (1, True), "col": (1, True), "matrix": (2, True),
    "simplex": (1, False), "invertible": (1, False), "spd": (1, False), "ints": (1, True), "distinct": (1, True),
}
OPTIONS = ("tol", "base", "index", "examples", "identity", "samples")
# random-variable families (see moments.FAMILIES) -> their parameters
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "normal": ("mean", "variance"), "uniform": ("a", "b"), "exponential": ("rate",), "bernoulli": ("p",),
    "binomial": ("n", "p"), "poisson": ("mean",), "categorical": ("p",),
}
SHAPES = {"vector": 1, "col": 1, "matrix": 2}
LHS = "lhs"


@dataclass(frozen=True)
class Sampler:
    """``NAME : kind(args) low..high``; args and bounds are LaTeX over earlier names."""

    name: str
    kind: str
    args: tuple[str, ...]
    low: str | None
    high: str | None
    location: Location


@dataclass(frozen=True)
class RandomVariable:
    """``NAME ~ family(params) [shape]`` or ``NAME[, NAME] ~ python`` (draws made by project code)."""

    names: tuple[str, ...]
    family: str | None
    parameters: tuple[str, ...]
    shape: str | None
    shape_args: tuple[str, ...]
    python: str | None
    location: Location

    @property
    def name(self) -> str:
        return ", ".join(self.names)


@dataclass(frozen=True)
class Binding:
    """``NAME := python``: a value, the implementation under test, or a trusted reference."""

    name: str
    python: str
    location: Location


@dataclass(frozen=True)
class Member:
    """``NAME \\in SET``: a variable that sums and argmax/argmin run over, taking each member of ``SET``
    (LaTeX over earlier names: a vector of numbers, or a matrix whose rows are the members)."""

    name: str
    members: str
    location: Location


@dataclass(frozen=True)
class IndexRange:
    name: str
    low: str
    high: str
    location: Location


@dataclass
class Options:
    rtol: float = 1e-9
    atol: float = 1e-12
    base: int = 1
    examples: int = 100
    identity: bool = False
    samples: int | None = None  # Monte Carlo draws per random variable (moments.DEFAULT_SAMPLES if None)
    indices: list[IndexRange] = field(default_factory=list)


@dataclass(frozen=True)
class CheckBlock:
    entries: tuple[Sampler | RandomVariable | Member | Binding, ...]
    options: Options
    location: Location


@dataclass(frozen=True)
class DoctestBlock:
    """Examples run by doctest, for a claim that only an experiment can check; ``reason`` says why."""

    source: str
    location: Location
    reason: str | None = None


@dataclass(frozen=True)
class NocheckBlock:
    reason: str
    location: Location


Block = CheckBlock | DoctestBlock | NocheckBlock


def closest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return matches[0] if matches else None


def split_range(text: str, location: Location, what: str) -> tuple[str, str]:
    parts = text.split("..")
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise FormulaError(location, f"{what}: expected a range 'low..high', got '{text.strip()}'",
                           "write bounds like 0..1 or 1..n")
    return parts[0].strip(), parts[1].strip()


def split_arguments(text: str) -> tuple[str, ...]:
    """Split on commas that are not inside parentheses or braces."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char in "({[" 
        depth -= char in ")}]"
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return tuple(part for part in parts if part)


_SAMPLER = re.compile(r"^([A-Za-z_]+)\s*(?:\((.*?)\))?\s*(.*)$")


def parse_sampler(name: str, spec: str, location: Location) -> Sampler:
    match = _SAMPLER.match(spec.strip())
    kind = match.group(1) if match else spec.strip()
    if not match or kind not in SAMPLERS:
        guess = closest(kind, tuple(SAMPLERS))
        raise FormulaError(location, f"unknown sampler '{kind}' for {name}",
                           f"did you mean '{guess}'?" if guess else "samplers: " + ", ".join(SAMPLERS))
    arity, ranged = SAMPLERS[kind]
    args = split_arguments(match.group(2) or "")
    if len(args) != arity:
        shape = {0: kind, 1: f"{kind}(n)", 2: f"{kind}(r, c)"}[arity]
        raise FormulaError(location, f"{kind} takes {arity} size argument(s), got {len(args)}",
                           f"write {name} : {shape}" + (" low..high" if ranged else ""))
    rest = match.group(3).strip()
    if ranged:
        low, high = split_range(rest, location, f"{name} : {kind}")
        return Sampler(name, kind, args, low, high, location)
    if rest:
        raise FormulaError(location, f"{kind} takes no range, found '{rest}'", f"write {name} : {kind}({args[0]})")
    return Sampler(name, kind, args, None, None, location)


def parse_option(text: str, options: Options, location: Location) -> None:
    word, _, rest = text[1:].partition(" ")
    rest = rest.strip()
    if word not in OPTIONS:
        guess = closest(word, OPTIONS)
        raise FormulaError(location, f"unknown option '@{word}'",
                           f"did you mean '@{guess}'?" if guess else "options: @" + ", @".join(OPTIONS))
    try:
        if word == "tol":
            for setting in rest.split():
                key, _, number = setting.partition("=")
                if key not in ("rtol", "atol"):
                    raise ValueError(f"unknown tolerance '{key}'")
                setattr(options, key, float(number))
        elif word == "base":
            if rest not in ("0", "1"):
                raise ValueError("the index base is 0 or 1")
            options.base = int(rest)
        elif word == "examples":
            options.examples = int(rest)
            if options.examples < 1:
                raise ValueError("at least one example is needed")
        elif word == "samples":
            from grimoire.formulacheck.moments import MAX_SAMPLES

            options.samples = int(rest)
            if not 100 <= options.samples <= MAX_SAMPLES:
                raise ValueError(f"the number of Monte Carlo samples must be within 100..{MAX_SAMPLES}")
        elif word == "identity":
            if rest:
                raise ValueError("@identity takes no argument")
            options.identity = True
        else:
            name, _, bounds = rest.partition(" ")
            low, high = split_range(bounds, location, f"@index {name}")
            options.indices.append(IndexRange(name, low, high, location))
    except ValueError as error:
        raise FormulaError(location, f"@{word}: {error}",
                           "examples: @tol rtol=1e-6 atol=1e-9, @base 0, @index t 2..n, @examples 200, "
                           "@samples 50000") from None


def _call(text: str) -> tuple[str, str, str] | None:
    """``name(arguments) rest`` split at the parenthesis matching the first one, or None."""
    match = re.match(r"^([A-Za-z_]+)\s*\(", text)
    if not match:
        return None
    depth = 0
    for position in range(match.end() - 1, len(text)):
        depth += (text[position] == "(") - (text[position] == ")")
        if depth == 0:
            return match.group(1), text[match.end():position], text[position + 1:]
    return None


def parse_random(names: str, spec: str, location: Location) -> RandomVariable:
    """``X ~ normal(\\mu, \\sigma^2) col(d)``, or ``W_s, W_t ~ snippets.module.function(samples, seed)``."""
    listed = split_arguments(names)
    if not listed:
        raise FormulaError(location, "a random variable without a name", "write X ~ normal(0, 1)")
    match = _call(spec.strip())
    family = match[0] if match else ""
    if match and family in DISTRIBUTIONS:
        if len(listed) != 1:
            raise FormulaError(location, "a distribution declares one random variable per line",
                               f"write one line per name: {listed[0]} ~ {spec.strip()}")
        parameters = split_arguments(match[1])
        expected = DISTRIBUTIONS[family]
        if len(parameters) != len(expected):
            raise FormulaError(location, f"{family} takes {len(expected)} parameter(s) ({', '.join(expected)}), "
                               f"got {len(parameters)}", f"write {listed[0]} ~ {family}({', '.join(expected)})")
        rest = match[2].strip()
        shape, shape_args = None, ()
        if rest:
            shaped = _call(rest)
            if not shaped or shaped[0] not in SHAPES or shaped[2].strip():
                raise FormulaError(location, f"cannot read the shape '{rest}' of {listed[0]}",
                                   "write vector(n), col(n) or matrix(r, c) after the distribution")
            shape, shape_args = shaped[0], split_arguments(shaped[1])
            if len(shape_args) != SHAPES[shape]:
                raise FormulaError(location, f"{shape} takes {SHAPES[shape]} size(s), got {len(shape_args)}")
        return RandomVariable(tuple(listed), family, parameters, shape, shape_args, None, location)
    if match and re.fullmatch(r"[a-z]+", family) and "." not in spec:
        guess = closest(family, tuple(DISTRIBUTIONS))
        raise FormulaError(location, f"unknown distribution '{family}' for {listed[0]}",
                           f"did you mean '{guess}'?" if guess else "distributions: " + ", ".join(DISTRIBUTIONS))
    return RandomVariable(tuple(listed), None, (), None, (), spec.strip(), location)


def parse_check(body: str, location: Location) -> CheckBlock:
    """Parse the lines of a ``<!-- check ... -->`` block; ``location`` is its first body line."""
    entries: list[Sampler | RandomVariable | Member | Binding] = []
    options = Options()
    for number, raw in enumerate(body.splitlines()):
        line = raw.strip()
        where = location.shifted(number)
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            parse_option(line, options, where)
        elif ":=" in line:
            name, _, python = line.partition(":=")
            if not name.strip() or not python.strip():
                raise FormulaError(where, f"incomplete binding '{line}'", "write NAME := python.expression")
            entries.append(Binding(name.strip(), python.strip(), where))
        elif "\\in " in line or line.rstrip().endswith("\\in"):
            name, _, members = line.partition("\\in")
            if not name.strip() or not members.strip():
                raise FormulaError(where, f"incomplete set variable '{line}'", "write NAME \\in SET, e.g. t \\in T")
            entries.append(Member(name.strip(), members.strip(), where))
        elif "~" in line:
            names, _, spec = line.partition("~")
            if not names.strip() or not spec.strip():
                raise FormulaError(where, f"incomplete random variable '{line}'", "write X ~ normal(0, 1)")
            entries.append(parse_random(names.strip(), spec, where))
        elif ":" in line:
            name, _, spec = line.partition(":")
            if not name.strip():
                raise FormulaError(where, f"a sampler without a name: '{line}'", "write NAME : sampler")
            entries.append(parse_sampler(name.strip(), spec, where))
        else:
            raise FormulaError(where, f"cannot read '{line}'",
                               "each line is 'NAME : sampler', 'NAME ~ distribution', 'NAME \\in SET', "
                               "'NAME := python' or an @option")
    if not entries and not options.identity:
        raise FormulaError(location, "the check block binds nothing", "draw inputs and bind the implementation")
    return CheckBlock(tuple(entries), options, location)


def parse_block(kind: str, body: str, location: Location, body_location: Location) -> Block:
    if kind == "nocheck":
        reason = " ".join(body.split())
        if not reason:
            raise FormulaError(location, "nocheck needs a reason", "write <!-- nocheck: why there is nothing to compute -->")
        return NocheckBlock(reason, location)
    if kind == "check-doctest":
        if ">>>" not in body:
            raise FormulaError(location, "check-doctest has no '>>>' example")
        first, newline, rest = body.partition("\n")
        reason = None
        if ">>>" not in first and first.strip():
            reason = " ".join(first.split())
            body, body_location = rest, body_location.shifted(1) if newline else body_location
        if reason is None:
            raise FormulaError(location, "a check-doctest must say why the formula is checked by experiment "
                               "rather than from its LaTeX",
                               "put the reason after the keyword, e.g. <!-- check-doctest: the sample mean "
                               "converges to p (a Monte Carlo claim)")
        return DoctestBlock(body, body_location, reason)
    return parse_check(body, body_location)
