"""Runs jobs in parallel worker processes, each under a time limit.

A ``WorkerPool`` owns a ``ProcessPoolExecutor`` (forkserver context where
available, else spawn; never fork, which would copy the build's threads and
state) and one dispatcher thread. The dispatcher keeps at most ``workers``
jobs in flight, so a job starts as soon as it is handed to the pool and its
deadline is known. Inside the worker a job is interrupted when its time is
up (``sandbox.JobTimeout``); if a worker does not answer ``grace`` seconds
after that (stuck in C code, signals blocked), the dispatcher kills the
pool, reports the job as timed out and requeues the other jobs that were in
flight. A worker that dies (a crash, a call to ``os._exit``) has its jobs
retried once, then reported as crashed. Both reports are made by the job
itself (``job.failed(kind, message)``), so each kind of job keeps its own
outcome type.

The pool is created on the first job: a warm build, whose results all come
from the caches, starts no process at all.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

# Imported once by the forkserver, so every worker starts with its libraries loaded.
_PRELOAD = ["grimoire.workers.preload"]
_ATTEMPTS = 2  # a job whose worker died is tried once more

TIMEOUT = "timeout"
CRASHED = "crashed"


class Job(Protocol):
    key: str
    timeout: float

    def execute(self) -> Any:
        """Runs in a worker; returns a picklable outcome and never raises."""

    def failed(self, kind: str, message: str) -> Any:
        """The outcome of this job when its worker timed out (``TIMEOUT``) or died (``CRASHED``)."""


def execute(job: Job) -> Any:
    """What a worker runs (a module-level function, so the pool can pickle it)."""
    return job.execute()


def pool_context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def _initialize() -> None:
    from . import lifeline
    from .environment import prepare_environment

    lifeline.die_with_parent()
    prepare_environment()


class WorkerPool:
    def __init__(self, workers: int, grace: float = 10.0, run: Callable[[Job], Any] = execute) -> None:
        self.workers = max(1, workers)
        self.grace = grace
        self._run = run
        self._lock = threading.Condition()
        self._pending: deque[tuple[Job, int]] = deque()
        self._inflight: dict[Future, tuple[Job, int, float]] = {}
        self._results: dict[str, Any] = {}
        self._submitted: set[str] = set()
        self._pool: ProcessPoolExecutor | None = None
        self._context = pool_context()
        self._wakeup: Future = Future()
        self._closing = False
        self._thread: threading.Thread | None = None
        self.pools_started = 0
        self.jobs_run = 0  # jobs handed to a worker (retries included)

    def submit(self, job: Job) -> None:
        """Queues ``job`` (once per key; later submissions of the same key are ignored)."""
        with self._lock:
            if self._closing:
                raise RuntimeError("WorkerPool is closed")
            if job.key in self._submitted:
                return
            self._submitted.add(job.key)
            self._pending.append((job, 1))
            if self._thread is None:
                # The forkserver dies with the thread that starts it (``lifeline``), so the
                # caller's thread starts it, not the dispatcher, which ends with this pool.
                if self._context.get_start_method() == "forkserver":
                    multiprocessing.forkserver.ensure_running()
                self._thread = threading.Thread(target=self._dispatch, name="grimoire-workers", daemon=True)
                self._thread.start()
            self._wake()

    def result(self, key: str) -> Any:
        """Waits for the outcome of the job ``key`` (which must have been submitted)."""
        with self._lock:
            if key not in self._submitted:
                raise KeyError(key)
            while key not in self._results:
                if self._closing:
                    raise RuntimeError("WorkerPool closed before the job ran")
                self._lock.wait()
            return self._results[key]

    def done(self, key: str) -> Any | None:
        with self._lock:
            return self._results.get(key)

    def close(self, kill: bool = False) -> None:
        """Stops the dispatcher; ``kill`` ends running jobs at once instead of waiting."""
        with self._lock:
            if not kill:
                while len(self._results) < len(self._submitted) and self._thread is not None:
                    self._lock.wait()
            self._closing = True
            self._wake()
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join()
        self._stop_pool(kill=kill)

    # -- the dispatcher thread ------------------------------------------------

    def _dispatch(self) -> None:
        while True:
            with self._lock:
                if self._closing:
                    return
                self._launch()
                waiting_on = [*self._inflight, self._wakeup]
                timeout = self._next_deadline()
            done, _ = wait(waiting_on, timeout=timeout, return_when=FIRST_COMPLETED)
            with self._lock:
                if self._wakeup.done():
                    self._wakeup = Future()
                self._collect(done)
                self._enforce_deadlines()
                self._lock.notify_all()

    def _launch(self) -> None:
        while self._pending and len(self._inflight) < self.workers:
            job, attempt = self._pending.popleft()
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=self._context, initializer=_initialize
                )
                self.pools_started += 1
            try:
                future = self._pool.submit(self._run, job)
            except BrokenProcessPool:
                self._pending.appendleft((job, attempt))
                self._stop_pool(kill=True)
                continue
            self.jobs_run += 1
            self._inflight[future] = (job, attempt, time.monotonic() + job.timeout + self.grace)

    def _next_deadline(self) -> float | None:
        if not self._inflight:
            return None
        return max(0.0, min(d for _, _, d in self._inflight.values()) - time.monotonic())

    def _collect(self, done: set[Future]) -> None:
        broken = False
        for future in done:
            if future not in self._inflight:
                continue
            job, attempt, _ = self._inflight.pop(future)
            try:
                self._results[job.key] = future.result()
            except BrokenProcessPool:
                broken = True
                if attempt < _ATTEMPTS:
                    self._pending.appendleft((job, attempt + 1))
                else:
                    self._results[job.key] = job.failed(
                        CRASHED, "the worker process died (a crash, or a call to os._exit) twice"
                    )
            except BaseException as exc:  # noqa: BLE001 - e.g. an outcome that cannot be pickled
                self._results[job.key] = job.failed(CRASHED, repr(exc))
        if broken:
            self._stop_pool(kill=True)

    def _enforce_deadlines(self) -> None:
        now = time.monotonic()
        overdue = [f for f, (_, _, deadline) in self._inflight.items() if deadline <= now and not f.done()]
        if not overdue:
            return
        for future in overdue:
            job, _, _ = self._inflight.pop(future)
            self._results[job.key] = job.failed(TIMEOUT, f"no answer {job.timeout + self.grace:g} s after it started")
        # The stuck worker can only be stopped with the pool; the innocent jobs go again.
        for future, (job, attempt, _) in list(self._inflight.items()):
            self._pending.appendleft((job, attempt))
        self._inflight.clear()
        self._stop_pool(kill=True)

    def _stop_pool(self, kill: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if kill:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
            pool.shutdown(wait=True, cancel_futures=True)
        else:
            pool.shutdown(wait=True)

    def _wake(self) -> None:
        if not self._wakeup.done():
            self._wakeup.set_result(None)


class SharedPool:
    """The one pool of a build, created when the first job needs it.

    Figures and formula checks hold the same ``SharedPool``, so they share
    the workers (and a warm build, which needs none, starts no process).
    """

    def __init__(self, workers: int = 2, grace: float = 10.0) -> None:
        self.workers = workers
        self.grace = grace
        self._pool: WorkerPool | None = None

    @property
    def started(self) -> WorkerPool | None:
        return self._pool

    def get(self) -> WorkerPool:
        if self._pool is None:
            self._pool = WorkerPool(self.workers, grace=self.grace)
        return self._pool

    def close(self, kill: bool = True) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close(kill=kill)
