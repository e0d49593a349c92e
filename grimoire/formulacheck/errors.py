"""The two ways a formula check can go wrong, as exceptions that name ``file:line``.

``FormulaError`` is something the author must fix before anything can be
evaluated (unknown identifier, malformed block, unsupported construct).
``CheckFailure`` is a check that ran and found the formula and the code
disagreeing (or an error raised while evaluating on drawn inputs).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in a Markdown page: its path relative to the project root and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    def shifted(self, lines: int) -> "Location":
        return Location(self.path, self.line + lines)


class FormulaError(Exception):
    """A problem in a formula or its check block that the author can act on."""

    def __init__(self, location: Location | None, message: str, hint: str | None = None) -> None:
        self.location = location
        self.message = message
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.message}"
        return f"{text}\n  fix: {self.hint}" if self.hint else text

    def at(self, location: Location) -> "FormulaError":
        """The same error, placed at ``location`` if it had no place yet."""
        if self.location is not None:
            return self
        return FormulaError(location, self.message, self.hint)


class EvaluationError(Exception):
    """Evaluating the formula on particular inputs was impossible (bad index, shape mismatch)."""


class CheckFailure(AssertionError):
    """A check ran and failed; the message carries page:line, inputs and both values.

    ``step`` is the 1-based position of the failing relation among the formula's relations (the step of
    a derivation ``a = b \\le c`` or of an ``aligned`` block), or None when no relation is at fault;
    ``line`` is the source line of that relation's sign (which numbered row of an ``aligned`` block failed).
    """

    def __init__(self, message: str, step: int | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.step = step
        self.line = line
