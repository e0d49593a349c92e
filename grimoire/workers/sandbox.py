"""The conditions one job of the author's code runs under, inside a worker.

``sandboxed(root, timeout)`` is a context manager that, while active:

- raises ``JobTimeout`` in the running code after ``timeout`` seconds
  (``SIGALRM``; a ``BaseException``, so ``except Exception`` in a snippet
  cannot swallow it; main thread only, elsewhere the pool's own deadline
  still applies);
- makes a fresh scratch folder the working directory, removed afterwards, so
  a stray ``open("out.png", "w")`` lands nowhere near the repository;
- refuses, through a ``sys.addaudithook`` hook, every write, removal,
  rename or folder creation inside the project (the scratch folder lies
  outside it), raising ``PermissionError`` in the author's code and
  recording the attempt with its ``snippets/x.py:line``: a figure function
  that wrote into ``snippets/`` would otherwise make ``mkdocs serve``
  rebuild for ever. Library caches elsewhere (matplotlib's font list) stay
  writable;
- captures what the code prints (``sys.stdout``/``sys.stderr``).

The audit hook is a guard against mistakes, not a security boundary: code
that means harm can go around it (``ctypes``). Python offers no way to
remove an audit hook, so it is installed once per process and does nothing
outside a ``sandboxed`` block.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


class JobTimeout(BaseException):
    """Raised inside the author's code when the job's time is up."""


# Audit events that change the file system, and the argument that holds the path.
_WRITE_EVENTS = {
    "os.remove": 0, "os.rename": 0, "os.mkdir": 0, "os.rmdir": 0, "os.truncate": 0, "os.link": 1,
    "os.symlink": 1, "os.chmod": 0, "os.chown": 0, "os.utime": 0, "shutil.rmtree": 0, "shutil.move": 1,
    "shutil.copyfile": 1, "os.removexattr": 0, "os.setxattr": 0,
}
_RENAME_TARGET = {"os.rename": 1}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


@dataclass
class Watch:
    """What one sandboxed job did that it should not have."""

    root: Path
    scratch: Path
    refused: list[tuple[str, str]] = field(default_factory=list)  # (location, what was refused)
    output: str = ""

    def describe(self) -> str:
        lines = [f"{where}: {what}" for where, what in self.refused]
        return "\n".join(lines)


_active: Watch | None = None
_installed = False


def _allowed(path: Path, watch: Watch) -> bool:
    return path.is_relative_to(watch.scratch) or not path.is_relative_to(watch.root)


def _resolve(raw: object) -> Path | None:
    if isinstance(raw, int):  # a file descriptor: already open, nothing new is named
        return None
    try:
        path = os.fsdecode(raw)  # type: ignore[arg-type]
    except TypeError:
        return None
    return Path(os.path.abspath(path)).resolve()


def _location(root: Path) -> str:
    """The innermost frame of the author's code (a file under ``root``) on the stack."""
    for frame in reversed(traceback.extract_stack()):
        try:
            where = Path(frame.filename).resolve()
        except (OSError, ValueError):
            continue
        if where.is_relative_to(root) and not where.is_relative_to(root / "grimoire"):
            return f"{where.relative_to(root).as_posix()}:{frame.lineno}"
    return "(no line of the project's code on the stack)"


def _audit(event: str, args: tuple) -> None:
    watch = _active
    if watch is None:
        return
    targets: list[object] = []
    if event == "open":
        path, mode, flags = (args + (None, None, None))[:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        if writing and path is not None:
            targets.append(path)
    elif event in _WRITE_EVENTS:
        if len(args) > _WRITE_EVENTS[event]:
            targets.append(args[_WRITE_EVENTS[event]])
        if event in _RENAME_TARGET and len(args) > _RENAME_TARGET[event]:
            targets.append(args[_RENAME_TARGET[event]])
    for target in targets:
        path = _resolve(target)
        if path is None or _allowed(path, watch):
            continue
        shown = path.relative_to(watch.root).as_posix() if path.is_relative_to(watch.root) else str(path)
        what = "write" if event == "open" else event
        watch.refused.append((_location(watch.root), f"{what} of {shown} refused"))
        raise PermissionError(
            f"Grimoire: project code may not change files ({what} {shown}); "
            "write to the working directory, a scratch folder removed after the job"
        )


def _install() -> None:
    global _installed
    if not _installed:
        sys.addaudithook(_audit)
        _installed = True


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raises ``JobTimeout`` in the running code after ``seconds`` (main thread only)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _on_alarm(signum, frame):  # noqa: ARG001
        raise JobTimeout(f"stopped after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def sandboxed(root: Path, timeout: float) -> Iterator[Watch]:
    """Runs the block as one job of the author's code (see the module docstring)."""
    global _active
    _install()
    scratch = Path(tempfile.mkdtemp(prefix="grimoire-job-")).resolve()
    watch = Watch(root.resolve(), scratch)
    previous_cwd = os.getcwd()
    captured = io.StringIO()
    os.chdir(scratch)
    _active = watch
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured), time_limit(timeout):
            yield watch
    finally:
        _active = None
        os.chdir(previous_cwd)
        watch.output = captured.getvalue()[-4000:]
        shutil.rmtree(scratch, ignore_errors=True)
