"""Problems an author can act on, collected over a whole build.

Every stage (math, figures, term links, ...) reports into one ``ProblemLog``;
the hooks print each problem as it is found and fail the build once at the
end, so an author sees every problem of a build in one run.

``run_guarded`` runs one stage of one page so that even a bug (an exception
no stage expected) is one more problem, shown in the page as a red box like a
formula KaTeX refused, and the build goes on to the next page.
"""

from __future__ import annotations

import html
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")
ERROR_BOX_CLASS = "grimoire-math-error"  # styled like a formula KaTeX refused


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

    def report(self) -> str:
        """Every problem, one after the other, as the build log shows them."""
        return "\n".join(problem.format() for problem in self.problems)

    def summary(self) -> str:
        n = len(self.problems)
        files = len({p.path for p in self.problems})
        return f"{n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}"


def error_box(message: str) -> str:
    """What a reader sees where a stage failed (under ``mkdocs serve``)."""
    return f'<div class="{ERROR_BOX_CLASS}"><code>{html.escape(message)}</code></div>'


def with_error_box(text: str, message: str) -> str:
    """``text`` (Markdown, page HTML or a whole document) with an error box where a reader sees it."""
    box = error_box(message)
    if "</article>" in text:
        return text.replace("</article>", box + "</article>", 1)
    return box + "\n\n" + text


def run_guarded(problems: ProblemLog, path: str, stage: str, step: Callable[[], str], fallback: str) -> str:
    """``step()``; if it raises, a problem naming ``stage`` and ``fallback`` with an error box."""
    try:
        return step()
    except Exception as error:  # any bug in a stage: report it and keep building
        message = f"Grimoire failed while {stage}: {type(error).__name__}: {error}"
        trace = "".join(traceback.format_exception(error)[-6:])
        problems.add(
            Problem(
                path,
                None,
                message[:500],
                detail=trace.rstrip(),
                hint="this is a bug in Grimoire, not in the page; report it with the page attached",
            )
        )
        return with_error_box(fallback, message[:500])
