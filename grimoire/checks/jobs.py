"""What the build sends to a checking worker and what comes back (both picklable)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..formulacheck.pages import Item

# Result kinds.
PASSED = "passed"
FAILED = "failed"  # the check ran and the formula and the code disagree
INVALID = "invalid"  # the block cannot run: unbound symbol, binding that does not parse, unknown sampler
TIMEOUT = "timeout"
CRASHED = "crashed"  # the worker process died
REFUSED = "refused"  # the bound code tried to change a file of the project
# Kinds that do not depend on the machine or the moment: safe to store in the cache.
CACHEABLE = frozenset({PASSED, FAILED, INVALID})


@dataclass(frozen=True)
class CheckJob:
    key: str
    root: str  # project root; snippets are imported from <root>/snippets
    item: Item  # the display formula and its parsed block
    macros: dict[str, str] = field(default_factory=dict)
    examples: int | None = None  # None: the block's own count (or the checker's default)
    timeout: float = 30.0

    def execute(self) -> CheckResult:
        from .worker import run

        return run(self)

    def failed(self, kind: str, message: str) -> CheckResult:
        return CheckResult(self.key, kind, message=message, line=self.item.formula.line)


@dataclass(frozen=True)
class CheckResult:
    key: str
    kind: str
    message: str = ""  # the checker's report: inputs, both sides, tolerance; or what went wrong
    line: int | None = None  # where to report it (the formula, or the block line at fault)
    step: int | None = None  # in a chain of relations, the 1-based step that failed
    hint: str = ""
    output: str = ""  # what the code printed
    seconds: float = 0.0
    step_line: int | None = None  # the source line of the failing step (its row of an aligned block)

    @property
    def ok(self) -> bool:
        return self.kind == PASSED

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "message": self.message, "line": self.line, "step": self.step,
                "hint": self.hint, "output": self.output, "seconds": round(self.seconds, 4), "step_line": self.step_line}

    @classmethod
    def from_json(cls, key: str, data: dict[str, object]) -> CheckResult:
        def number(name: str) -> int | None:
            value = data.get(name)
            return value if isinstance(value, int) else None

        return cls(key, str(data["kind"]), str(data.get("message", "")), number("line"), number("step"),
                   str(data.get("hint", "")), str(data.get("output", "")), float(data.get("seconds", 0.0)),  # type: ignore[arg-type]
                   number("step_line"))
