"""One long-lived Node process running the npm ``katex`` package.

Spawning a process per formula costs about 0.1 s each (see
``shared/design/math-rendering.md``); one process fed JSON lines renders about
a thousand formulas a second. Requests are pipelined: a writer thread feeds
stdin while this thread reads stdout, so neither pipe can fill up and block
the other. A formula that runs past its time limit cannot be interrupted
inside Node, so the process is killed and a new one renders the rest.

Hand-written rather than taken from mkdocs-katex-ssr, which measured 15 of
300 formulas silently unrendered and ignores the KaTeX version and options in
its cache key.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .limits import DEFAULT_LIMITS, MathLimits, took_too_long

WORKER_SCRIPT = Path(__file__).with_name("katex_worker.mjs")


class KatexUnavailable(RuntimeError):
    """Node or the katex package cannot be found or started."""


@dataclass(frozen=True)
class RenderRequest:
    tex: str
    display: bool


@dataclass(frozen=True)
class RenderResult:
    html: str | None
    error: str | None = None
    position: int | None = None  # offset in the TeX where KaTeX failed
    warnings: tuple[str, ...] = ()


def katex_version(katex_dir: Path) -> str:
    """The version of the katex package at ``katex_dir`` (its package.json)."""
    try:
        return str(json.loads((katex_dir / "package.json").read_text("utf-8"))["version"])
    except FileNotFoundError:
        raise KatexUnavailable(
            f"KaTeX is not installed at {katex_dir}; run `npm ci` (or `make install`)"
        ) from None


class KatexProcess:
    """A Node process rendering TeX with KaTeX; start it once, reuse it for a build.

    A formula that takes longer than ``limits.seconds_per_formula`` (or kills
    the process) comes back as an error, and a fresh process renders the rest.
    """

    def __init__(
        self, katex_dir: Path, options: dict, macros: dict[str, str], limits: MathLimits = DEFAULT_LIMITS
    ) -> None:
        node = shutil.which("node")
        if node is None:
            raise KatexUnavailable("`node` is not on PATH; install Node.js 20 or newer")
        katex_version(katex_dir)  # fail early with a clear message
        self._command = [node, str(WORKER_SCRIPT)]
        self._config = {
            "katex": str(katex_dir.resolve()),
            "options": options,
            "macros": macros,
            "maxHtmlChars": limits.max_html_chars,
        }
        self.limits = limits
        self.restarts = 0
        self._next_id = 0
        self._start()

    def _start(self) -> None:
        self._proc = subprocess.Popen(
            self._command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
            bufsize=1 << 16,
        )
        self._replies: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read_replies, args=(self._proc, self._replies), daemon=True).start()
        self._write_lines(self._proc.stdin, [json.dumps(self._config)])
        ready = self._read_message(timeout=60)
        if not ready or not ready.get("ready"):
            raise KatexUnavailable(f"the KaTeX worker did not start: {ready}")
        self.version: str = ready["version"]

    def render(self, requests: Sequence[RenderRequest]) -> list[RenderResult]:
        """Render every request; results come back in the same order."""
        results: list[RenderResult] = []
        pending = list(requests)
        while pending:
            done, failure = self._render_until_stuck(pending)
            results += done
            if failure is None:
                break
            # The formula after the last reply is the one that hung or killed the process.
            results.append(RenderResult(html=None, error=failure))
            pending = pending[len(done) + 1 :]
            self._stop()
            self.restarts += 1
            self._start()
        return results

    def _render_until_stuck(self, requests: Sequence[RenderRequest]) -> tuple[list[RenderResult], str | None]:
        """Results up to the first formula that hangs or kills the process, and why it failed."""
        first = self._next_id
        self._next_id += len(requests)
        payload = [
            json.dumps({"id": first + i, "tex": r.tex, "display": r.display})
            for i, r in enumerate(requests)
        ]
        # The stream is bound now: a restart must never receive this batch.
        writer = threading.Thread(target=self._write_lines, args=(self._proc.stdin, payload), daemon=True)
        writer.start()
        results: list[RenderResult] = []
        for i in range(len(requests)):
            try:
                message = self._read_message(timeout=self.limits.seconds_per_formula)
            except KatexUnavailable as died:
                return results, f"KaTeX parse error: the KaTeX process died on this formula ({died})"
            if message is None:
                return results, "KaTeX parse error: " + took_too_long(self.limits)
            if message.get("id") != first + i:
                raise KatexUnavailable(f"KaTeX worker answered out of order: {message}")
            results.append(
                RenderResult(
                    html=message.get("html"),
                    error=message.get("error"),
                    position=message.get("position"),
                    warnings=tuple(message.get("warnings", ())),
                )
            )
        writer.join()
        return results, None

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin is not None
            try:
                self._proc.stdin.close()
            except OSError:
                pass
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._close_pipes()

    def _stop(self) -> None:
        """Ends the process at once (it is stuck in a formula)."""
        self._proc.kill()
        self._proc.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for stream in (self._proc.stdin, self._proc.stdout, self._proc.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass

    def __enter__(self) -> KatexProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _write_lines(stdin: IO[str] | None, lines: Iterable[str]) -> None:
        assert stdin is not None
        try:
            stdin.write("".join(line + "\n" for line in lines))
            stdin.flush()
        except (OSError, ValueError):
            pass  # the process was stopped; the reader reports what is missing

    @staticmethod
    def _read_replies(proc: subprocess.Popen, replies: queue.Queue[str | None]) -> None:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                replies.put(line)
        except (OSError, ValueError):
            pass
        replies.put(None)

    def _read_message(self, timeout: float) -> dict | None:
        """The next reply; None when none came within ``timeout`` seconds."""
        try:
            line = self._replies.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is None:
            self._proc.wait()
            stderr = self._proc.stderr.read() if self._proc.stderr else ""
            raise KatexUnavailable(f"the KaTeX worker exited unexpectedly:\n{stderr.strip()[-2000:]}")
        return json.loads(line)
