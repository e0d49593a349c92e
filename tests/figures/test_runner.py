"""The process pool: results for every job, hard time limits, crashed workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from grimoire.figures import jobs
from grimoire.figures.jobs import DrawJob
from grimoire.workers.pool import WorkerPool as DrawQueue

SNIPPETS = {
    "snippets/plots.py": """
        import os
        import signal
        import time


        def line(slope=1.0):
            from matplotlib.figure import Figure

            fig = Figure()
            fig.subplots().plot([0, 1], [0, slope])
            return fig


        def steep():
            return line(3.0)


        def stuck():
            # Blocks the alarm the worker sets, like a long call into C code would.
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
            time.sleep(60)


        def exits():
            os._exit(3)
        """,
}


def job(root: Path, function: str, timeout: float = 20.0) -> DrawJob:
    return DrawJob(f"key-{function}", str(root), "plots", function, None, timeout)


def test_every_job_gets_its_own_result_from_parallel_workers(project) -> None:
    root = project(SNIPPETS)
    queue = DrawQueue(workers=2)
    try:
        for name in ("line", "steep"):
            queue.submit(job(root, name))
        queue.submit(job(root, "line"))  # the same key again: drawn once
        line, steep = queue.result("key-line"), queue.result("key-steep")
    finally:
        queue.close()
    assert line.ok and steep.ok and line.svg != steep.svg
    assert queue.pools_started == 1


def test_a_worker_that_ignores_the_alarm_is_killed_and_the_others_go_on(project) -> None:
    root = project(SNIPPETS)
    queue = DrawQueue(workers=2, grace=1.0)
    try:
        queue.submit(job(root, "stuck", timeout=0.5))
        queue.submit(job(root, "line"))
        queue.submit(job(root, "steep"))
        stuck = queue.result("key-stuck")
        assert queue.result("key-line").ok and queue.result("key-steep").ok
    finally:
        queue.close(kill=True)
    assert stuck.kind == jobs.TIMEOUT
    assert "no answer 1.5 s after it started" in stuck.message


def test_a_worker_that_dies_is_reported_after_a_retry(project) -> None:
    root = project(SNIPPETS)
    queue = DrawQueue(workers=1)
    try:
        queue.submit(job(root, "exits"))
        queue.submit(job(root, "line"))
        assert queue.result("key-exits").kind == jobs.CRASHED
        assert queue.result("key-line").ok
    finally:
        queue.close(kill=True)


def test_result_of_an_unknown_key_is_an_error() -> None:
    queue = DrawQueue(workers=1)
    with pytest.raises(KeyError):
        queue.result("never-submitted")
    queue.close()
