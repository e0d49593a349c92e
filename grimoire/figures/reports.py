"""Turns a figure that could not be drawn into a ``Problem`` an author can act on.

The problem sits at the page line of the reference; its message names the
figure and the ``snippets/`` file and line to open, its detail holds the
cleaned traceback and its hint the likely fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ..problems import Problem
from . import jobs
from .jobs import DrawOutcome

TIMEOUT_HINT = (
    "make it faster (fewer samples, smaller arrays) or raise the limit: "
    "`extra: grimoire: figure_timeout: <seconds>` in mkdocs.yml, or GRIMOIRE_FIGURE_TIMEOUT"
)


def figure_problem(
    path: str,
    line: int | None,
    target: str,
    module_path: str,
    def_line: int | None,
    outcome: DrawOutcome,
    candidates: Sequence[str] = (),
    timeout: float | None = None,
) -> Problem:
    """The problem for ``outcome`` of the reference to ``target`` at ``path:line``.

    ``candidates`` are names to suggest for a misspelt module or function.
    """
    where_def = module_path if def_line is None else f"{module_path}:{def_line}"
    kind = outcome.kind
    detail = outcome.traceback
    hint = ""
    if kind == jobs.BAD_TARGET:
        message = f"figure reference `figure:{target}` must name a snippet function as `module.function`"
        hint = "for example ![Alt text](figure:activations.softmax_temperatures \"Caption.\")"
    elif kind == jobs.MISSING_MODULE:
        message = f"figure `{target}`: there is no snippet module {module_path}"
        hint = _did_you_mean(target.rpartition(".")[0], candidates)
    elif kind == jobs.MISSING_FUNCTION:
        function = target.rpartition(".")[2]
        message = f"figure `{target}`: {module_path} has no function `{function}`"
        hint = _did_you_mean(function, candidates)
    elif kind == jobs.NOT_CALLABLE:
        name = target.rpartition(".")[2]
        message = f"figure `{target}`: {where_def} binds `{name}` to a {outcome.message}, not a function"
    elif kind == jobs.IMPORT_FAILED:
        at = outcome.location or module_path
        message = f"figure `{target}`: importing {module_path} failed at {at}: {outcome.message}"
    elif kind == jobs.RAISED:
        at = outcome.location or where_def
        message = f"figure `{target}` raised {outcome.message} at {at}"
    elif kind == jobs.WRONG_TYPE:
        message = (
            f"figure `{target}` ({where_def}) returned {outcome.message}, "
            "not a matplotlib.figure.Figure"
        )
        hint = "a figure function returns its Figure: `fig = Figure(); ax = fig.subplots(); ...; return fig`"
        if "Axes" in outcome.message:
            hint = "return `ax.figure` rather than the Axes"
    elif kind == jobs.TIMEOUT:
        limit = "" if timeout is None else f" {timeout:g} s"
        at = outcome.location or where_def
        message = f"figure `{target}` ({where_def}) took longer than its{limit} limit and was stopped at {at}"
        if outcome.message and not outcome.traceback:
            message += f" ({outcome.message})"
        detail = outcome.traceback
        hint = TIMEOUT_HINT
    elif kind == jobs.REFUSED:
        at = outcome.location or where_def
        message = f"figure `{target}` tried to change a file of the project at {at}, which was refused"
        detail = outcome.message
        hint = ("figure functions return their Figure and write nothing; the working directory is a "
                "scratch folder, removed after the figure is drawn")
    elif kind == jobs.CRASHED:
        message = f"figure `{target}` ({where_def}): the worker process drawing it died"
        detail = outcome.message
        hint = "the function may exit the interpreter, crash in C code or run out of memory"
    else:
        message = f"figure `{target}` ({where_def}): {outcome.message or kind}"
    return Problem(path, line, message, detail, hint)


def warning_problem(path: str, line: int | None, target: str, warning: str) -> Problem:
    """A warning emitted while drawing: a problem too, so figures stay clean."""
    return Problem(
        path,
        line,
        f"figure `{target}` warned: {warning}",
        hint="fix the cause, or silence it deliberately with warnings.catch_warnings() in the snippet",
    )


def _did_you_mean(name: str, candidates: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""
