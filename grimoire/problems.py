"""Problems an author can act on, collected over a whole build.

Every stage (math, figures, term links, ...) reports into one ``ProblemLog``;
the hooks print each problem as it is found and fail the build once at the
end, so an author sees every problem of a build in one run.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a source file.

    ``path`` is relative to the project root, ``line`` 1-based (None when the
    position is unknown), ``message`` says what is wrong and what was expected,
    ``detail`` holds context lines (a formula with a caret, a traceback) and
    ``hint`` the suggested fix.
    """

    path: str
    line: int | None
    message: str
    detail: str = ""
    hint: str = ""
    cell: int | None = None  # notebooks: 1-based cell number; ``line`` is then within the cell

    @property
    def location(self) -> str:
        if self.cell is not None:
            where = f"cell {self.cell}" + ("" if self.line is None else f", line {self.line}")
            return f"{self.path} [{where}]"
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def format(self) -> str:
        parts = [f"{self.location}: {self.message}"]
        if self.detail:
            parts.extend("    " + line for line in self.detail.splitlines())
        if self.hint:
            parts.append(f"  hint: {self.hint}")
        return "\n".join(parts)


@dataclass
class ProblemLog:
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def __len__(self) -> int:
        return len(self.problems)

    def summary(self) -> str:
        n = len(self.problems)
        files = len({p.path for p in self.problems})
        return f"{n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}"
