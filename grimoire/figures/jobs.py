"""What the build sends to a drawing worker and what comes back (both picklable)."""

from __future__ import annotations

from dataclasses import dataclass

# Outcome kinds. Only OK carries an SVG.
OK = "ok"
RAISED = "raised"  # the figure function raised
IMPORT_FAILED = "import-failed"  # importing its module raised (SyntaxError included)
BAD_TARGET = "bad-target"  # `figure:` is not followed by module.function
MISSING_MODULE = "missing-module"
MISSING_FUNCTION = "missing-function"
NOT_CALLABLE = "not-callable"
WRONG_TYPE = "wrong-type"  # returned something other than a matplotlib Figure
TIMEOUT = "timeout"
CRASHED = "crashed"  # the worker process died
REFUSED = "refused"  # the function tried to change a file of the project (``workers.sandbox``)


@dataclass(frozen=True)
class DrawJob:
    key: str
    root: str  # project root; snippets are imported from <root>/snippets
    module: str  # dotted, relative to `snippets`
    function: str
    style_path: str | None  # the shared .mplstyle file, if the project has one
    timeout: float  # seconds; enforced inside the worker (and, as a backstop, by the pool)

    def execute(self) -> DrawOutcome:
        from .worker import draw

        return draw(self)

    def failed(self, kind: str, message: str) -> DrawOutcome:
        return DrawOutcome(self.key, kind, message=message)


@dataclass(frozen=True)
class DrawOutcome:
    key: str
    kind: str
    svg: str | None = None
    message: str = ""  # the exception (type: text) or what was wrong
    traceback: str = ""  # cleaned: only frames from snippets/ and the libraries they called
    location: str | None = None  # innermost snippets/ frame, "snippets/x.py:12"
    warnings: tuple[str, ...] = ()  # "snippets/x.py:12: UserWarning: ..."
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.kind == OK
