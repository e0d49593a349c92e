"""Tracebacks that start in the author's code: the runner's own frames removed.

Frames before the first one in ``snippets/`` belong to the worker and the
import machinery, and frames of this package (the time-limit handler) are
noise too; both go. What remains is printed with paths relative to the
project root, ``snippets/x.py:12 in function`` then the source line, the way
``Problem`` prints locations.
"""

from __future__ import annotations

import traceback
from pathlib import Path

_ENGINE_DIR = Path(__file__).resolve().parent.parent  # every module of grimoire


def clean_traceback(exc: BaseException, root: Path) -> tuple[str, str | None]:
    """(the cleaned traceback text, the innermost ``snippets/`` location or None)."""
    snippets = (root / "snippets").resolve()
    te = traceback.TracebackException.from_exception(exc)
    chain: list[tuple[traceback.TracebackException, str]] = []
    current: traceback.TracebackException | None = te
    note = ""
    while current is not None:
        chain.append((current, note))
        if current.__cause__ is not None:
            current, note = current.__cause__, "The above exception was the direct cause of:"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, note = current.__context__, "During handling of the above exception:"
        else:
            current = None
    ordered = list(reversed(chain))  # root cause first, as Python prints them
    text = ""
    innermost: str | None = None
    for i, (link, _) in enumerate(ordered):
        frames = _author_frames(link.stack, snippets)
        lines = []
        for frame in frames:
            rel = _relative(frame.filename, root)
            lines.append(f"  {rel}:{frame.lineno} in {frame.name}")
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
            if _inside(frame.filename, snippets):
                innermost = f"{rel}:{frame.lineno}"
        if link.exc_type is not None and issubclass(link.exc_type, SyntaxError) and link.filename:
            if _inside(link.filename, snippets):
                innermost = f"{_relative(link.filename, root)}:{link.lineno}"
            link.filename = _relative(link.filename, root)
        lines.extend(line.rstrip("\n") for line in link.format_exception_only())
        block = "\n".join(["Traceback (most recent call last):", *lines] if frames else lines)
        text = block if i == 0 else f"{text}\n\n{ordered[i - 1][1]}\n\n{block}"
    return text, innermost


def relative_location(filename: str, lineno: int | None, root: Path) -> str:
    rel = _relative(filename, root)
    return rel if lineno is None else f"{rel}:{lineno}"


def _author_frames(stack: traceback.StackSummary, snippets: Path) -> list[traceback.FrameSummary]:
    start = next((i for i, f in enumerate(stack) if _inside(f.filename, snippets)), None)
    if start is None:
        return []
    return [f for f in list(stack)[start:] if not _inside(f.filename, _ENGINE_DIR)]


def _inside(filename: str, directory: Path) -> bool:
    try:
        Path(filename).resolve().relative_to(directory)
    except (ValueError, OSError):
        return False
    return True


def _relative(filename: str, root: Path) -> str:
    try:
        return Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return filename
