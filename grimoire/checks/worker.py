"""Runs one formula check; in a worker process of the shared pool (or in-process, for tests).

The snippet modules are imported afresh from the project's files
(``workers.snippet_loader``) and the check runs in the sandbox
(``workers.sandbox``): a time limit, a scratch working directory, writes to
the project refused, output captured. Every way it can end becomes a
``CheckResult``; nothing raises out of ``run``.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

from hypothesis.configuration import set_hypothesis_home_dir

from ..formulacheck.errors import CheckFailure, FormulaError
from ..formulacheck.runner import check_item
from ..workers import snippet_loader
from ..workers.sandbox import JobTimeout, sandboxed
from ..workers.tracebacks import clean_traceback
from . import jobs
from .jobs import CheckJob, CheckResult


def run(job: CheckJob) -> CheckResult:
    started = time.perf_counter()
    root = Path(job.root)
    item = job.item
    line = item.formula.line
    output = ""
    step_line = None  # a failing step's source line
    try:
        with snippet_loader.isolated(root), sandboxed(root, job.timeout) as watch, warnings.catch_warnings():
            # Warnings of the code under test are not the check's verdict; numpy's are silenced per example.
            warnings.simplefilter("ignore")
            # Hypothesis keeps a folder of its own (a cache of constants), by default in the project.
            set_hypothesis_home_dir(str(watch.scratch / ".hypothesis"))
            try:
                check_item(job.item, job.macros, job.examples)
                kind, message, hint, step = jobs.PASSED, "", "", None
            except JobTimeout as exc:
                kind, message, hint, step = jobs.TIMEOUT, str(exc), TIMEOUT_HINT, None
            except FormulaError as error:
                kind, message, hint, step = jobs.INVALID, error.message, error.hint or "", None
                line = error.location.line if error.location is not None else line
            except CheckFailure as failure:
                kind, message, hint, step = jobs.FAILED, str(failure), "", getattr(failure, "step", None)
                step_line = getattr(failure, "line", None)
            except BaseException as exc:  # noqa: BLE001 - the code under test may raise anything
                text, location = clean_traceback(exc, root)
                headline = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                if isinstance(exc, SyntaxError):
                    headline = f"{type(exc).__name__}: {exc.msg}"
                where = f" at {location}" if location else ""
                kind, message, step = jobs.FAILED, f"the bound code raised {headline}{where}\n{text}", None
                hint = "the traceback points at the snippet line that raised"
            if watch.refused:
                kind, message = jobs.REFUSED, watch.describe()
                hint = "a checked function computes and returns; it may not write into the project"
        output = watch.output
    except JobTimeout as exc:  # the alarm went off just as the check finished
        kind, message, hint, step = jobs.TIMEOUT, str(exc), TIMEOUT_HINT, None
    return CheckResult(job.key, kind, message, line, step, hint, output, time.perf_counter() - started, step_line)


TIMEOUT_HINT = ("make the bound code faster or the drawn inputs smaller (`@examples`, sizes), or raise the limit: "
                "`extra: grimoire: check_timeout: <seconds>` in mkdocs.yml, or GRIMOIRE_CHECK_TIMEOUT")
